package loadtest

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// latency holds the latency histograms, shared by all participants.
type latency struct {
	all, typed, click hist
	last              atomic.Int64 // when the latest answer was recorded, Unix ns
}

func (l *latency) record(d time.Duration, click bool) {
	now := time.Now().UnixNano()
	for {
		last := l.last.Load()
		if now <= last || l.last.CompareAndSwap(last, now) {
			break
		}
	}
	l.all.add(int64(d))
	if click {
		l.click.add(int64(d))
	} else {
		l.typed.add(int64(d))
	}
}

// hist is a log-linear histogram of nanoseconds: 64 buckets per power of
// two, so a quantile is within 1.6% of the true value. It is allocated
// once, so recording adds nothing to the heap being measured.
type hist struct {
	counts [41 * 64]atomic.Int64
	max    atomic.Int64
}

// bucket is the index of the bucket holding v: values below 128 have a
// bucket each, larger ones share one with the values that agree in their
// top 7 bits.
func bucket(v int64) int {
	if v < 128 {
		return int(max(v, 0))
	}
	shift := bits.Len64(uint64(v)) - 7
	return 64*(shift+1) + int(v>>shift) - 64
}

// bucketTop is the largest value in bucket i.
func bucketTop(i int) int64 {
	if i < 128 {
		return int64(i)
	}
	shift := i/64 - 1
	return (int64(i%64+64)+1)<<shift - 1
}

func (h *hist) add(v int64) {
	h.counts[min(bucket(v), len(h.counts)-1)].Add(1)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			return
		}
	}
}

// counts is a histogram read at one moment.
type counts struct {
	counts []int64
	count  int64
	max    int64
}

func (h *hist) snapshot() counts {
	s := counts{counts: make([]int64, len(h.counts)), max: h.max.Load()}
	for i := range h.counts {
		s.counts[i] = h.counts[i].Load()
		s.count += s.counts[i]
	}
	return s
}

// minus is what was recorded since o was read; max stays the overall one.
func (s counts) minus(o counts) counts {
	d := counts{counts: make([]int64, len(s.counts)), max: s.max}
	for i := range s.counts {
		d.counts[i] = s.counts[i] - o.counts[i]
		d.count += d.counts[i]
	}
	return d
}

// quantile returns the upper end of the bucket holding quantile q.
func (s counts) quantile(q float64) int64 {
	if s.count == 0 {
		return 0
	}
	rank := int64(q*float64(s.count) + 0.5)
	rank = min(max(rank, 1), s.count)
	var seen int64
	for i, c := range s.counts {
		seen += c
		if seen >= rank {
			return min(bucketTop(i), s.max)
		}
	}
	return s.max
}
