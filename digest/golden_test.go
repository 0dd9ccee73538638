package digest_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil"
)

// goldenDigest builds the digest of a fixed generated community of 400
// people answering the default flows.
func goldenDigest(t *testing.T) *digest.Digest {
	return goldenCommunity(t, genSpec{
		people: 400, genderWeights: []int{45, 35, 6, 2, 5, 7}, ethnicityWeights: []int{40, 8, 12, 10, 9, 6, 3, 5, 7},
		answerRate: 0.85, bias: 0.3, quoteRate: 0.6, weeks: 10,
	})
}

// smallDigest builds the digest of a fixed small community: 13 people
// in one week, most of them agreeing, so most figures are withheld, most
// rows are left out, and the previous week, with nobody in it, is
// withheld (nobody is a count of 0, withheld like any small count).
func smallDigest(t *testing.T) *digest.Digest {
	return goldenCommunity(t, genSpec{
		people: 13, genderWeights: []int{5, 4, 1}, ethnicityWeights: []int{6, 2, 2},
		answerRate: 0.8, bias: 0.8, quoteRate: 0.5, weeks: 1,
	})
}

func goldenCommunity(t *testing.T, spec genSpec) *digest.Digest {
	t.Helper()
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	p, err := digest.ParsePeriod("2026-W47", loc)
	if err != nil {
		t.Fatal(err)
	}
	fs := cat.Flows()
	c := generate(rand.New(rand.NewPCG(47, 2026)), fs, p, spec)
	q, err := digest.NewQuery(p, fs, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := digest.Build(p, fs, c.data(q), digest.Options{
		Scrubber: fakeScrubber{},
		Crisis:   fakeCrisis{},
		// A moderator approved the quotes whose ids start with a digit.
		Approved:  func(id string) bool { return id[0] >= '0' && id[0] <= '9' },
		MaxQuotes: 4,
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGolden renders the digests in every format and compares them with
// testdata/NAME.FORMAT; go test -update rewrites them. A format with no
// golden file fails, so a new renderer cannot go untested.
func TestGolden(t *testing.T) {
	for name, d := range map[string]*digest.Digest{"digest": goldenDigest(t), "small": smallDigest(t)} {
		for _, format := range digest.Formats {
			t.Run(name+"/"+format, func(t *testing.T) { golden(t, d, name, format) })
		}
	}
}

// golden compares d rendered in format with testdata/NAME.FORMAT.
func golden(t *testing.T, d *digest.Digest, name, format string) {
	var buf bytes.Buffer
	if err := d.Render(&buf, format); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+"."+format)
	if testutil.Update() {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no golden file for format %s: %v (run go test ./digest/ -update)", format, err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("%s differs from %s (run go test ./digest/ -update and review the diff):\n%s", format, path, firstDiff(got, string(want)))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}
