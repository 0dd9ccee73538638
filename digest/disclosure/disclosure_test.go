package disclosure_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/digest/disclosure"
)

func mustNew(t *testing.T, k, r int) disclosure.Policy {
	t.Helper()
	p, err := disclosure.New(k, r)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewRejectsWeakRules(t *testing.T) {
	tests := []struct {
		k, r int
		want string
	}{
		{4, 5, "disclosure.min_count is 4: it must be at least 5"},
		{0, 5, "disclosure.min_count is 0: it must be at least 5"},
		{8, 1, "disclosure.round_to is 1: it must be at least 5"},
		{8, 17, "disclosure.round_to is 17: it must be at most twice disclosure.min_count (16)"},
	}
	for _, tt := range tests {
		_, err := disclosure.New(tt.k, tt.r)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%d, %d) = %v; want an error containing %q", tt.k, tt.r, err, tt.want)
		}
	}
	for _, ok := range [][2]int{{5, 5}, {8, 5}, {8, 10}, {10, 20}, {100, 5}} {
		if _, err := disclosure.New(ok[0], ok[1]); err != nil {
			t.Errorf("New(%d, %d) = %v; want it accepted", ok[0], ok[1], err)
		}
	}
}

func TestCount(t *testing.T) {
	p := mustNew(t, 8, 5)
	tests := []struct {
		raw  int
		want string
	}{
		{0, "*"}, {1, "*"}, {7, "*"}, {8, "10"}, {12, "10"}, {13, "15"}, {17, "15"}, {18, "20"}, {102, "100"}, {103, "105"}, {-1, "*"},
	}
	for _, tt := range tests {
		if got := p.Count(tt.raw).String(); got != tt.want {
			t.Errorf("Count(%d) = %s; want %s", tt.raw, got, tt.want)
		}
	}
	// Rounding to 10 with k = 5: halves go up.
	p10 := mustNew(t, 5, 10)
	for raw, want := range map[int]string{4: "*", 5: "10", 14: "10", 15: "20", 25: "30"} {
		if got := p10.Count(raw).String(); got != want {
			t.Errorf("k=5, round 10: Count(%d) = %s; want %s", raw, got, want)
		}
	}
}

func TestZeroValuesAreSuppressed(t *testing.T) {
	var c disclosure.Count
	var pc disclosure.Percent
	var ch disclosure.Change
	if c.String() != "*" || pc.String() != "*" || ch.String() != "*" {
		t.Errorf("zero values print %q %q %q; want *", c, pc, ch)
	}
	b, _ := json.Marshal(struct {
		C disclosure.Count
		P disclosure.Percent
		X disclosure.Change
	}{})
	if string(b) != `{"C":"*","P":"*","X":"*"}` {
		t.Errorf("zero values marshal as %s", b)
	}
	// The zero Policy applies the defaults.
	var p disclosure.Policy
	if p.MinCount() != 8 || p.RoundTo() != 5 || p.Count(7).String() != "*" || p.Count(8).String() != "10" {
		t.Errorf("zero Policy: k=%d round=%d", p.MinCount(), p.RoundTo())
	}
}

func TestCountOf(t *testing.T) {
	p := mustNew(t, 8, 5)
	tests := []struct {
		raw, people int
		want        string
	}{
		{40, 3, "*"},   // many answers from three people
		{40, 8, "40"},  // enough people
		{0, 0, "*"},    // nothing: withheld like any small count
		{5, 0, "*"},    // inconsistent
		{12, 12, "10"}, // one answer each
	}
	for _, tt := range tests {
		if got := p.CountOf(tt.raw, tt.people).String(); got != tt.want {
			t.Errorf("CountOf(%d, %d) = %s; want %s", tt.raw, tt.people, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	p := mustNew(t, 8, 5)
	tests := []struct {
		num, den int
		want     string
	}{
		{0, 7, "*"},     // denominator below k
		{7, 7, "*"},     // ditto
		{0, 8, "*"},     // zero is withheld, and so is its percentage
		{3, 100, "*"},   // a suppressed numerator would be revealed by its percentage
		{8, 8, "100%"},  // 10 of 10, and truly all
		{9, 12, "99%"},  // 10 of 10 from the rounded figures, but not all: never 100%
		{8, 9, "99%"},   // near-unanimity: 8 of 9 do not read as all
		{8, 2100, "1%"}, // 10 of 2100 is someone, not 0%
		{13, 40, "38%"}, // 15 of 40 = 37.5, halves up
		{50, 150, "33%"},
		{100, 150, "67%"},
		{9, 8, "*"}, // impossible: more than all
	}
	for _, tt := range tests {
		if got := p.Percent(tt.num, tt.den).String(); got != tt.want {
			t.Errorf("Percent(%d, %d) = %s; want %s", tt.num, tt.den, got, tt.want)
		}
	}
}

func TestChangesUseRoundedFigures(t *testing.T) {
	p := mustNew(t, 8, 5)
	tests := []struct {
		now, prev int
		want      string
	}{
		{12, 13, "-5"}, // 10 - 15: the raw difference (-1) never appears
		{13, 12, "+5"},
		{12, 8, "0"}, // 10 - 10
		{12, 3, "*"}, // the previous figure is suppressed
		{0, 0, "*"},  // zero to zero: both withheld
		{20, 0, "*"}, // from a withheld zero
	}
	for _, tt := range tests {
		if got := p.Count(tt.now).Minus(p.Count(tt.prev)).String(); got != tt.want {
			t.Errorf("Count(%d).Minus(Count(%d)) = %s; want %s", tt.now, tt.prev, got, tt.want)
		}
	}
	if got := p.Percent(20, 40).Minus(p.Percent(10, 40)).String(); got != "+25" {
		t.Errorf("percentage point change = %s; want +25", got)
	}
	if got := p.Percent(20, 40).Minus(p.Percent(1, 4)).String(); got != "*" {
		t.Errorf("change from a suppressed percentage = %s; want *", got)
	}
}

func TestPublishable(t *testing.T) {
	p := mustNew(t, 8, 5)
	tests := []struct {
		answers map[string]int
		want    bool
	}{
		{map[string]int{"agree": 20}, false},                // everyone gave the same answer
		{map[string]int{"agree": 20, "disagree": 0}, false}, // ditto, with a zero
		{map[string]int{"agree": 4, "disagree": 3}, false},  // fewer than k
		{map[string]int{"agree": 7, "disagree": 1}, true},
		{map[string]int{}, false},
	}
	for _, tt := range tests {
		if got := p.Publishable(tt.answers); got != tt.want {
			t.Errorf("Publishable(%v) = %v; want %v", tt.answers, got, tt.want)
		}
	}
}

func TestPartition(t *testing.T) {
	p := mustNew(t, 8, 5)
	g := func(name string, counts ...int) disclosure.Group {
		m := map[string]int{}
		for i, n := range counts {
			m[fmt.Sprint("a", i)] = n
		}
		return disclosure.Group{Name: name, Answers: m}
	}
	names := func(gs []disclosure.Group) string {
		var s []string
		for _, g := range gs {
			s = append(s, fmt.Sprintf("%s:%d", g.Name, g.People()))
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name       string
		groups     []disclosure.Group
		other      disclosure.Group
		want       string
		wantHidden bool
	}{
		{"all pass", []disclosure.Group{g("W", 10, 5), g("M", 6, 6)}, g("Other"), "W:15 M:12", false},
		{"small merged into other", []disclosure.Group{g("W", 10, 5), g("M", 6, 6), g("NB", 2, 1)}, g("Other", 3, 2), "W:15 M:12 Other:8", true},
		{"unanimous merged", []disclosure.Group{g("W", 10, 5), g("M", 20), g("NB", 0, 3)}, g("Other"), "W:15 Other:23", true},
		{"other too small: left out", []disclosure.Group{g("W", 10, 5), g("M", 6, 6), g("NB", 2, 1)}, g("Other", 1), "W:15 M:12", true},
		{"other unanimous: left out", []disclosure.Group{g("W", 10, 5), g("M", 6, 6), g("NB", 2)}, g("Other", 9), "W:15 M:12", true},
		{"one group is no comparison", []disclosure.Group{g("W", 10, 5), g("M", 3, 1)}, g("Other"), "", true},
		{"nobody", []disclosure.Group{g("W"), g("M")}, g("Other"), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown, hidden := p.Partition(tt.groups, tt.other)
			if got := names(shown); got != tt.want || hidden != tt.wantHidden {
				t.Errorf("Partition = %q, hidden %v; want %q, %v", got, hidden, tt.want, tt.wantHidden)
			}
		})
	}
}

// TestPartitionProperty checks, over random groups, that every group shown
// has at least k people and two different answers, and that nobody is
// counted twice.
func TestPartitionProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		k := 5 + rng.IntN(6)
		p := mustNew(t, k, 5)
		var groups []disclosure.Group
		total := 0
		for j := range 1 + rng.IntN(6) {
			m := map[string]int{}
			for a := range 1 + rng.IntN(4) {
				n := rng.IntN(3 * k)
				if rng.IntN(3) == 0 {
					n = rng.IntN(3)
				}
				m[fmt.Sprint(a)] = n
				total += n
			}
			groups = append(groups, disclosure.Group{Name: fmt.Sprint("g", j), Answers: m})
		}
		other := disclosure.Group{Name: "Other", Answers: map[string]int{"0": rng.IntN(k)}}
		total += other.Answers["0"]
		shown, _ := p.Partition(groups, other)
		sum := 0
		for _, g := range shown {
			if !p.Publishable(g.Answers) {
				t.Fatalf("case %d: group %s shown with %v (k=%d)", i, g.Name, g.Answers, k)
			}
			sum += g.People()
		}
		if sum > total || len(shown) == 1 {
			t.Fatalf("case %d: %d groups shown with %d people of %d", i, len(shown), sum, total)
		}
	}
}

// TestNobodyIsWithheld checks that nobody (a count or a percentage of
// 0, a percentage of no one) and a change from a withheld figure show as
// "*", in text and in JSON, like every figure withheld: no mark tells
// nobody from a few.
func TestNobodyIsWithheld(t *testing.T) {
	var p disclosure.Policy
	tests := []struct {
		name string
		got  interface {
			String() string
			MarshalJSON() ([]byte, error)
		}
		want, wantJSON string
	}{
		{"percent of nobody", p.Percent(0, 0), "*", `"*"`},
		{"percent of a few", p.Percent(0, 3), "*", `"*"`},
		{"percent of nobody out of range", p.Percent(2, 0), "*", `"*"`},
		{"zero of many", p.Percent(0, 20), "*", `"*"`},
		{"count of nobody", p.Count(0), "*", `"*"`},
		{"change from withheld", p.Percent(5, 20).Minus(p.Percent(1, 3)), "*", `"*"`},
		{"count change from withheld", p.Count(10).Minus(p.Count(3)), "*", `"*"`},
	}
	for _, tt := range tests {
		j, err := tt.got.MarshalJSON()
		if got := tt.got.String(); got != tt.want || err != nil || string(j) != tt.wantJSON {
			t.Errorf("%s: %q, JSON %s (%v); want %q, JSON %s", tt.name, got, j, err, tt.want, tt.wantJSON)
		}
	}
}
