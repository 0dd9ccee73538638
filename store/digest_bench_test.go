package store_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/scrub"
	"github.com/peervoice/peervoice/store"
)

// dgBenchSpec is the community of docs/benchmarks.md: 50,000 participants
// and 1,000,000 answers over a year, the digest's period its last week.
var dgBenchSpec = store.GenSpec{Participants: 50000, Answers: 1000000, Seed: 1, End: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Weeks: 52}

// dgBenchDB returns the benchmark database: the one at
// PEERVOICE_DIGEST_BENCH_DB, generated there if it does not exist yet,
// or a new one in dir.
func dgBenchDB(tb testing.TB, dir string) string {
	tb.Helper()
	path := os.Getenv("PEERVOICE_DIGEST_BENCH_DB")
	if path == "" {
		path = filepath.Join(dir, "bench.db")
	}
	// A file already there is used as it is, marker or not: it may be one
	// made before the marker was, and a path named by hand is never removed.
	if _, err := os.Stat(path); err == nil {
		return path
	}
	return genDigestDB(tb, path, dgBenchSpec)
}

// TestGenerateDigestBenchDB writes the benchmark database for timing the
// command itself (docs/benchmarks.md); it runs only when
// PEERVOICE_DIGEST_BENCH_DB names the file.
func TestGenerateDigestBenchDB(t *testing.T) {
	if os.Getenv("PEERVOICE_DIGEST_BENCH_DB") == "" {
		t.Skip("set PEERVOICE_DIGEST_BENCH_DB=/path/bench.db to generate the benchmark database")
	}
	dgBenchDB(t, "")
}

// BenchmarkDigest measures a whole digest: the store's query, Build and
// the Markdown rendering, as `peervoice digest` does them.
func BenchmarkDigest(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, dgBenchDB(b, b.TempDir()), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
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
	var query, build, render time.Duration
	for b.Loop() {
		t0 := time.Now()
		q, err := digest.NewQuery(p, fs, nil)
		if err != nil {
			b.Fatal(err)
		}
		data, err := db.DigestData(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		d, err := digest.Build(p, fs, data, digest.Options{Scrubber: scrub.New(nil), Crisis: crisis})
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := d.Render(io.Discard, "md"); err != nil {
			b.Fatal(err)
		}
		query, build, render = query+t1.Sub(t0), build+t2.Sub(t1), render+time.Since(t2)
	}
	n := float64(b.N)
	b.ReportMetric(query.Seconds()*1000/n, "query-ms")
	b.ReportMetric(build.Seconds()*1000/n, "build-ms")
	b.ReportMetric(render.Seconds()*1000/n, "render-ms")
}
