package loadtest

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBucket checks that every value falls in a bucket whose top is at
// least the value and within 1/64 of it (the 1.6% BenchmarkLoad's
// quantiles promise), and that buckets follow the order of values.
func TestBucket(t *testing.T) {
	values := []int64{0, 1, 127, 128, 129, 255, 256, 1000, 1e6, 1e9, 60e9, 1 << 40}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		values = append(values, r.Int64N(1<<41))
	}
	slices.Sort(values)
	prev := -1
	for _, v := range values {
		i := bucket(v)
		if i < prev {
			t.Fatalf("bucket(%d) = %d, below the bucket of a smaller value (%d)", v, i, prev)
		}
		prev = i
		top := bucketTop(i)
		if top < v || float64(top-v) > float64(v)/64 {
			t.Errorf("bucketTop(bucket(%d)) = %d; want within [%d, %d]", v, top, v, v+v/64)
		}
		if i > 0 && bucketTop(i-1) >= v {
			t.Errorf("bucketTop(bucket(%d) - 1) = %d; want below %d", v, bucketTop(i-1), v)
		}
	}
}

// TestQuantile records known latencies and checks the quantiles and
// snapshot arithmetic that BenchmarkLoad reports.
func TestQuantile(t *testing.T) {
	var h hist
	if got := h.snapshot().quantile(0.5); got != 0 {
		t.Errorf("quantile of an empty histogram = %d; want 0", got)
	}
	for v := int64(1); v <= 1000; v++ {
		h.add(v * 1e6) // 1 ms to 1 s
	}
	before := h.snapshot()
	tests := []struct {
		q    float64
		want int64 // the exact quantile; the histogram may be up to 1/64 above
	}{{0.5, 500e6}, {0.99, 990e6}, {1, 1000e6}, {0, 1e6}}
	for _, tt := range tests {
		got := before.quantile(tt.q)
		if got < tt.want || float64(got-tt.want) > float64(tt.want)/64 {
			t.Errorf("quantile(%v) = %d; want %d to 1/64 above it", tt.q, got, tt.want)
		}
	}
	if got := before.quantile(1); got != 1000e6 {
		t.Errorf("quantile(1) = %d; want the maximum, 1000e6", got)
	}
	for range 10 {
		h.add(5e9)
	}
	since := h.snapshot().minus(before)
	if since.count != 10 || since.quantile(0.5) != 5e9 {
		t.Errorf("minus: %d values, median %d; want the 10 added since, median 5e9", since.count, since.quantile(0.5))
	}
}
