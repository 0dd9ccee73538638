package chart_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	stdhtml "html"
	"html/template"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/chart"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// -out writes every chart drawn to a directory, to look at them.
var out = flag.String("out", "", "write the charts to this directory")

// answers is how many people gave each answer, by gender; the same
// numbers go into the period and the total.
type answers map[string]map[string]int // choice → gender → people

// build makes a digest of 2026-W47 over the default flows from answers
// to a few questions, through digest.Build, so every figure charted has
// been protected as it is in production.
func build(t *testing.T, qs map[figures.QuestionRef]answers, multi map[string]int) *digest.Digest {
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
	var data figures.Data
	sizes := map[string]int{}
	for ref, byChoice := range qs {
		for choice, byGender := range byChoice {
			for gender, n := range byGender {
				for _, w := range []figures.Window{figures.WindowPeriod, figures.WindowTotal} {
					data.Tallies = append(data.Tallies, figures.Tally{Window: w, FlowID: ref.FlowID, QuestionID: ref.QuestionID,
						Choices: []string{choice}, Groups: []string{gender, ""}, People: n})
				}
				sizes[gender] = max(sizes[gender], n)
			}
		}
	}
	// A multiple choice question: each entry is one person's set of answers.
	for key, n := range multi {
		for _, w := range []figures.Window{figures.WindowPeriod, figures.WindowTotal} {
			data.Tallies = append(data.Tallies, figures.Tally{Window: w, FlowID: "discrimination", QuestionID: "unfair_because",
				Choices: splitKey(key), Groups: []string{"", ""}, People: n})
		}
	}
	for g, n := range sizes {
		data.GroupSizes = append(data.GroupSizes, figures.GroupSize{Groups: []string{g, ""}, People: n})
	}
	d, err := digest.Build(p, cat.Flows(), data, digest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func splitKey(s string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		if r == '+' {
			out = append(out, cur)
			cur = ""
			continue
		}
		cur += string(r)
	}
	return append(out, cur)
}

var (
	teamAgrees = figures.QuestionRef{FlowID: "recovery", QuestionID: "team_agrees"}
	wordFits   = figures.QuestionRef{FlowID: "recovery", QuestionID: "word_fits"}
)

// fixtures are digests from large and even to small and lopsided.
func fixtures(t *testing.T) map[string]*digest.Digest {
	return map[string]*digest.Digest{
		"large": build(t, map[figures.QuestionRef]answers{
			teamAgrees: {
				"strongly_agree": {"woman": 12, "man": 20}, "agree": {"woman": 30, "man": 25},
				"neither": {"woman": 22, "man": 10}, "disagree": {"woman": 25, "man": 8},
				"strongly_disagree": {"woman": 14, "man": 9},
			},
			wordFits: {"fits_well": {"woman": 40, "man": 33}, "fits_partly": {"woman": 25, "man": 20}, "fits_not": {"woman": 10, "man": 9}, "not_sure": {"woman": 9, "man": 8}},
		}, map[string]int{"ethnicity": 14, "ethnicity+culture": 9, "diagnosis": 22, "gender+age": 10, "money_housing": 12}),
		// Some options chosen by fewer than k people: withheld.
		"withheld": build(t, map[figures.QuestionRef]answers{
			teamAgrees: {
				"strongly_agree": {"woman": 3, "man": 9}, "agree": {"woman": 14, "man": 12},
				"neither": {"woman": 9, "man": 2}, "disagree": {"woman": 11, "man": 10},
				"strongly_disagree": {"woman": 5, "non_binary": 2},
			},
		}, nil),
		// Many options and groups, some withheld.
		"many": build(t, map[figures.QuestionRef]answers{
			{FlowID: "about-you", QuestionID: "ethnicity"}: {
				"asian_indian": {"": 9}, "asian_pakistani": {"": 12}, "asian_bangladeshi": {"": 3}, "asian_chinese": {"": 8},
				"asian_other": {"": 15}, "black_african": {"": 30}, "black_caribbean": {"": 22}, "black_other": {"": 4},
				"mixed_white_black_caribbean": {"": 9}, "mixed_white_black_african": {"": 2}, "mixed_white_asian": {"": 11},
				"mixed_other": {"": 16}, "white_british": {"": 40}, "white_irish": {"": 10}, "white_gypsy_traveller": {"": 1},
				"white_roma": {"": 1}, "white_other": {"": 14}, "other_arab": {"": 6}, "other_any": {"": 9}, "prefer_not": {"": 5},
			},
			wordFits: {
				"fits_well":   {"woman": 10, "man": 12, "non_binary": 9, "other": 8, "prefer_not": 10},
				"fits_partly": {"woman": 10, "man": 12, "non_binary": 9, "other": 8, "prefer_not": 10},
				"fits_not":    {"woman": 30, "man": 2, "non_binary": 9, "other": 8, "prefer_not": 10},
			},
		}, nil),
		// Too few people: nothing is published.
		"tiny": build(t, map[figures.QuestionRef]answers{
			wordFits: {"fits_well": {"woman": 2}, "fits_not": {"man": 3}},
		}, nil),
	}
}

func TestCharts(t *testing.T) {
	const footnote = "* fewer than 8 people: not shown"
	for name, d := range fixtures(t) {
		files, err := chart.All(d, chart.Options{})
		if err != nil {
			t.Fatalf("%s: All = %v", name, err)
		}
		wantFiles := map[string]int{"large": 3 + 2, "withheld": 1 + 1, "many": 2 + 1, "tiny": 0}[name]
		if len(files) != wantFiles {
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
			}
			t.Errorf("%s: All gave %d charts %v; want %d", name, len(files), names, wantFiles)
		}
		for _, f := range files {
			img, err := png.Decode(bytes.NewReader(f.PNG))
			if err != nil {
				t.Errorf("%s/%s: png.Decode = %v", name, f.Name, err)
				continue
			}
			if b := img.Bounds(); b.Dx() != 1600 || b.Dy() != 900 {
				t.Errorf("%s/%s: size %dx%d; want 1600x900", name, f.Name, b.Dx(), b.Dy())
			}
			if _, _, _, a := img.At(0, 0).RGBA(); a != 0xffff {
				t.Errorf("%s/%s: corner alpha %#x; want opaque", name, f.Name, a)
			}
			if *out != "" {
				if err := os.WriteFile(filepath.Join(*out, name+"-"+f.Name), f.PNG, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		again, err := chart.All(d, chart.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range again {
			if !bytes.Equal(again[i].PNG, files[i].PNG) {
				t.Errorf("%s/%s: drawn twice, the bytes differ", name, files[i].Name)
			}
		}
	}
}

// TestWithheld checks that a withheld share, or an answer left out for
// having no published figure, gets a footnote, and a chart with every
// share published does not.
func TestWithheld(t *testing.T) {
	fx := fixtures(t)
	for _, tt := range []struct {
		name string
		want bool
	}{{"withheld", true}, {"large", false}} {
		d := fx[tt.name]
		q := question(t, d, teamAgrees)
		got := chart.QuestionNotes(d, q, chart.Options{})
		if noted := contains(got, "* fewer than 8 people: not shown") || contains(got, d.HiddenText(q)); noted != tt.want {
			t.Errorf("%s: Notes = %q; want the footnote %v", tt.name, got, tt.want)
		}
	}
}

// TestComparisonNotes checks the footnotes of subgroup comparisons.
func TestComparisonNotes(t *testing.T) {
	fx := fixtures(t)
	for _, tt := range []struct {
		name string
		want bool
	}{{"withheld", true}, {"many", true}, {"large", false}} {
		d := fx[tt.name]
		if len(d.Comparisons) == 0 {
			t.Fatalf("%s: no comparisons", tt.name)
		}
		got := chart.ComparisonNotes(d, d.Comparisons[0])
		if contains(got, "* fewer than 8 people: not shown") != tt.want {
			t.Errorf("%s: ComparisonNotes = %q; want the footnote %v", tt.name, got, tt.want)
		}
	}
}

func question(t *testing.T, d *digest.Digest, ref figures.QuestionRef) digest.Question {
	t.Helper()
	for _, q := range d.Questions {
		if q.FlowID == ref.FlowID && q.QuestionID == ref.QuestionID {
			return q
		}
	}
	t.Fatalf("no question %v in the digest", ref)
	return digest.Question{}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestNothingShown(t *testing.T) {
	d := fixtures(t)["tiny"]
	for _, q := range d.Questions {
		if _, err := chart.Question(d, q, chart.Options{}); !errors.Is(err, chart.ErrNothingShown) {
			t.Errorf("Question(%s) = %v; want ErrNothingShown", q.QuestionID, err)
		}
	}
}

func TestScale(t *testing.T) {
	d := fixtures(t)["large"]
	q := question(t, d, wordFits)
	for _, tt := range []struct {
		scale, w, h int
		ok          bool
	}{{1, 800, 450, true}, {3, 2400, 1350, true}, {5, 0, 0, false}, {-1, 0, 0, false}} {
		b, err := chart.Question(d, q, chart.Options{Scale: tt.scale})
		if (err == nil) != tt.ok {
			t.Errorf("Question(Scale: %d) error = %v; want ok %v", tt.scale, err, tt.ok)
			continue
		}
		if !tt.ok {
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
			t.Errorf("Question(Scale: %d) = %dx%d, %v; want %dx%d", tt.scale, cfg.Width, cfg.Height, err, tt.w, tt.h)
		}
	}
}

// TestHTMLFigures checks that the HTML digest embeds every chart All
// draws, as a data: URI beside its table, with a text alternative that
// reads out the published figures, and makes no request of its own.
func TestHTMLFigures(t *testing.T) {
	d := fixtures(t)["large"]
	files, err := chart.All(d, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	figs, err := chart.Figures(d, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != len(files) || len(figs) == 0 {
		t.Fatalf("Figures gave %d figures, All %d files; want the same, more than 0", len(figs), len(files))
	}
	var page bytes.Buffer
	if err := d.WriteHTMLFigures(&page, figs); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	for i, f := range figs {
		if !bytes.Equal(f.PNG, files[i].PNG) {
			t.Errorf("figure %s is not the chart All draws (%s)", f.Key, files[i].Name)
		}
		src := `src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(f.PNG) + `"`
		// html/template writes a + in an attribute as &#43;, which the
		// browser reads back as +.
		if !strings.Contains(stdhtml.UnescapeString(html), src) {
			t.Errorf("the page does not embed figure %s as a data: URI", f.Key)
		}
		if !strings.Contains(html, `alt="`+template.HTMLEscapeString(f.Alt)+`"`) || !strings.HasPrefix(f.Alt, "Bar chart") {
			t.Errorf("figure %s: alt %q is not on the page, or says nothing", f.Key, f.Alt)
		}
	}
	q := d.Questions[0]
	alt := figs[0].Alt
	for _, s := range q.Period.Options {
		if !strings.Contains(alt, s.Label+" "+s.Percent.String()) {
			t.Errorf("alt %q lacks %s's published %s", alt, s.Label, s.Percent)
		}
	}
	if n := strings.Count(html, "<img "); n != len(figs) {
		t.Errorf("%d images on the page; want %d", n, len(figs))
	}
	for _, external := range []string{"http:", "https:", `src="//`, "<link", "<script", "url("} {
		if strings.Contains(html, external) {
			t.Errorf("the page refers to something outside it: %q", external)
		}
	}
	var plain bytes.Buffer
	if err := d.WriteHTML(&plain); err != nil || strings.Contains(plain.String(), "<img") {
		t.Errorf("WriteHTML without figures: %v, images %d", err, strings.Count(plain.String(), "<img"))
	}
}
