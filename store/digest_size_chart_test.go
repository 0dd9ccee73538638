package store_test

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// TestDigestSizeChart draws docs/benchmarks.md's chart of the digest's
// time against the size of the study, from the output of
// BenchmarkDigestSize before and after issue 15: the median wall time of
// the whole digest at each size. It runs only when
// PEERVOICE_DIGEST_CHART names the SVG to write, with
// PEERVOICE_DIGEST_CHART_BEFORE and _AFTER the two outputs, and
// optionally _AFTER2 a third, the second step's.
func TestDigestSizeChart(t *testing.T) {
	out := os.Getenv("PEERVOICE_DIGEST_CHART")
	if out == "" {
		t.Skip("set PEERVOICE_DIGEST_CHART=docs/digest-size.svg (or .png), PEERVOICE_DIGEST_CHART_BEFORE and _AFTER to the benchmark outputs")
	}
	p := plot.New()
	p.Title.Text = "One week's digest (query, build, render) against the study's size"
	p.X.Label.Text = "answers stored (thousands; one participant per 20)"
	p.Y.Label.Text = "milliseconds (median)"
	p.Y.Min = 0
	p.Add(plotter.NewGrid())
	var lines []any
	runs := []struct{ name, env string }{{"before (full scan)", "PEERVOICE_DIGEST_CHART_BEFORE"}, {"after (windows read by index)", "PEERVOICE_DIGEST_CHART_AFTER"}}
	if os.Getenv("PEERVOICE_DIGEST_CHART_AFTER2") != "" {
		runs = append(runs, struct{ name, env string }{"then (participants' state kept by triggers)", "PEERVOICE_DIGEST_CHART_AFTER2"})
	}
	for _, run := range runs {
		ms, err := medians(os.Getenv(run.env))
		if err != nil {
			t.Fatalf("%s: %v", run.env, err)
		}
		var xy plotter.XYs
		for _, n := range dgSizes {
			if v, ok := ms[n]; ok {
				xy = append(xy, plotter.XY{X: float64(n) / 1000, Y: v})
			}
		}
		if len(xy) < 2 {
			t.Fatalf("%s: no whole-digest results at two sizes or more", run.env)
		}
		lines = append(lines, run.name, xy)
	}
	if err := plotutil.AddLinePoints(p, lines...); err != nil {
		t.Fatal(err)
	}
	target := plotter.NewFunction(func(float64) float64 { return 200 })
	target.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(target)
	p.Legend.Add("issue 15's target (200 ms)", target)
	p.Legend.Top, p.Legend.Left = true, true
	if err := p.Save(7*vg.Inch, 4*vg.Inch, out); err != nil {
		t.Fatal(err)
	}
}

var benchLine = regexp.MustCompile(`^BenchmarkDigestSize/answers=(\d+)/whole-\d+\s+\d+\s+(\d+) ns/op`)

// medians returns the median whole-digest time in ms by size in a
// benchmark output.
func medians(path string) (map[int]float64, error) {
	all := map[int][]float64{}
	// Several files, separated by commas: the runs of one tree alternated
	// with another's.
	for _, path := range strings.Split(path, ",") {
		if err := scanMedians(path, all); err != nil {
			return nil, err
		}
	}
	out := map[int]float64{}
	for n, v := range all {
		slices.Sort(v)
		out[n] = v[len(v)/2]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no BenchmarkDigestSize whole-digest lines in %s", path)
	}
	return out, nil
}

// scanMedians adds the whole-digest times in ms of a benchmark output to
// all, by size.
func scanMedians(path string, all map[int][]float64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		ns, _ := strconv.ParseFloat(m[2], 64)
		all[n] = append(all[n], ns/1e6)
	}
	return sc.Err()
}
