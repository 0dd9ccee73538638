package store_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/scrub"
	"github.com/peervoice/peervoice/store"
)

// The digest against the size of the study (issue 15): one week's digest
// of communities of 100,000 to 1,000,000 answers, each with one
// participant for every 20 answers, as dgBenchSpec. A study grows by
// running longer: each community is the same year-long one cut to its
// length (dgBenchSpec.Weeks scaled with the answers), so a week holds
// about the same activity whatever the size, and a digest that reads
// only what it needs takes the same time at every size.

// dgSizes are the study sizes, in answers.
var dgSizes = []int{100000, 250000, 500000, 1000000}

// dgSizeSpec is the community of n answers.
func dgSizeSpec(n int) store.GenSpec {
	s := dgBenchSpec
	s.Answers, s.Participants = n, n/20
	s.Weeks = max(3, (dgBenchSpec.Weeks*n+dgBenchSpec.Answers/2)/dgBenchSpec.Answers)
	return s
}

// dgSizeDB returns the database of n answers, cached in
// PEERVOICE_DIGEST_BENCH_DIR (default: $TMPDIR/peervoice-digest-bench),
// generated there the first time (14 s at a million answers).
func dgSizeDB(tb testing.TB, n int) string {
	tb.Helper()
	dir := os.Getenv("PEERVOICE_DIGEST_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "peervoice-digest-bench")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	return genDigestDB(tb, filepath.Join(dir, fmt.Sprintf("digest-%d.db", n)), dgSizeSpec(n))
}

// genDigestDB returns the generated database at path, generating it with
// spec unless a complete one is there. A marker is written once the
// generation is complete: a database left half-made by an interrupted
// run is made again.
func genDigestDB(tb testing.TB, path string, spec store.GenSpec) string {
	tb.Helper()
	done := path + ".complete"
	if _, err := os.Stat(done); err == nil {
		return path
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{Synchronous: "NORMAL"})
	if err != nil {
		tb.Fatal(err)
	}
	cat, err := flows.Default()
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	st, err := store.GenerateDigestData(ctx, db, cat, spec)
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(done, []byte(fmt.Sprintf("%+v\n", st)), 0o600); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("generated %s in %v: %+v", path, time.Since(start).Round(time.Millisecond), st)
	return path
}

// TestGenerateDigestSizeDBs writes the size benchmark's databases, for
// timing the command on them (docs/benchmarks.md); it runs only when
// PEERVOICE_DIGEST_BENCH_DIR names their directory.
func TestGenerateDigestSizeDBs(t *testing.T) {
	if os.Getenv("PEERVOICE_DIGEST_BENCH_DIR") == "" {
		t.Skip("set PEERVOICE_DIGEST_BENCH_DIR=/path/dir to generate the size benchmark's databases")
	}
	for _, n := range dgSizes {
		dgSizeDB(t, n)
	}
}

// BenchmarkDigestSize measures the store's query (query) and the whole
// digest, query, Build and the Markdown rendering (whole), as `peervoice
// digest` does them, at each study size. cpu-ms/op is the process's CPU
// time (user and system, the page reads included) per digest, steadier
// than the wall clock on a shared machine; peak-heap-MB is the largest
// live heap seen while the digests ran (sampled every 500 µs), on top of
// what was live before.
func BenchmarkDigestSize(b *testing.B) {
	ctx := context.Background()
	cat, err := flows.Default()
	if err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	p, _ := digest.ParsePeriod("2026-W47", loc)
	fs := cat.Flows()
	crisis, err := safety.New(safety.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range dgSizes {
		path := dgSizeDB(b, n)
		for _, whole := range []bool{false, true} {
			name := fmt.Sprintf("answers=%d/query", n)
			if whole {
				name = fmt.Sprintf("answers=%d/whole", n)
			}
			b.Run(name, func(b *testing.B) {
				db, err := store.Open(ctx, path, store.Options{})
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				run := func() {
					q, err := digest.NewQuery(p, fs, nil)
					if err != nil {
						b.Fatal(err)
					}
					data, err := db.DigestData(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					if !whole {
						return
					}
					d, err := digest.Build(p, fs, data, digest.Options{Scrubber: scrub.New(nil), Crisis: crisis})
					if err != nil {
						b.Fatal(err)
					}
					if err := d.Render(io.Discard, "md"); err != nil {
						b.Fatal(err)
					}
				}
				run() // warm the page cache and the statements
				peak := newHeapPeak()
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					run()
				}
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
				b.ReportMetric(peak.stop()/(1<<20), "peak-heap-MB")
			})
		}
	}
}

// heapPeak samples the live heap until stopped.
type heapPeak struct {
	base, peak float64
	done       chan struct{}
	wg         sync.WaitGroup
}

func newHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{done: make(chan struct{})}
	h.base = heapObjects()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				h.peak = max(h.peak, heapObjects()-h.base)
			}
		}
	}()
	return h
}

// stop returns the peak, in bytes.
func (h *heapPeak) stop() float64 {
	close(h.done)
	h.wg.Wait()
	return h.peak
}

func heapObjects() float64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return float64(s[0].Value.Uint64())
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
