package disclosure_test

import (
	"math/rand/v2"
	"testing"

	"github.com/peervoice/peervoice/digest/disclosure"
)

// TestRange checks what a published count tells a reader, against the
// counts that publish as it.
func TestRange(t *testing.T) {
	for _, kr := range [][2]int{{5, 5}, {6, 5}, {7, 5}, {8, 5}, {8, 10}, {8, 16}, {10, 5}, {12, 5}, {5, 10}} {
		p := mustNew(t, kr[0], kr[1])
		want := map[string]disclosure.Range{}
		for raw := 0; raw < 200; raw++ {
			c := p.Count(raw)
			r, ok := want[c.String()]
			if !ok {
				r = disclosure.Range{Lo: raw, Hi: raw}
			}
			r.Hi = raw
			want[c.String()] = r
		}
		for raw := 0; raw < 190; raw++ {
			c := p.Count(raw)
			if got := p.Range(c); got != want[c.String()] {
				t.Errorf("k=%d round %d: Range(Count(%d) = %s) = %v; want %v", kr[0], kr[1], raw, c, got, want[c.String()])
			}
			if got := p.Range(c); c.Shown() && got.Exact() {
				t.Errorf("k=%d round %d: Count(%d) = %s is exact: every published count must stand for two or more", kr[0], kr[1], raw, c)
			}
		}
	}
	// k = 7 rounding to 5: 7 alone would round to 5, so it shows as 10.
	if got := mustNew(t, 7, 5).Count(7).String(); got != "10" {
		t.Errorf("k=7, round 5: Count(7) = %s; want 10 (5 would mean exactly 7)", got)
	}
	if got := mustNew(t, 8, 5).Alone(0).String(); got != "0" {
		t.Errorf("Alone(0) = %s; want 0", got)
	}
}

func TestPinned(t *testing.T) {
	p := mustNew(t, 8, 5)
	r := func(raw ...int) []disclosure.Range {
		var out []disclosure.Range
		for _, n := range raw {
			out = append(out, p.Range(p.Count(n)))
		}
		return out
	}
	tests := []struct {
		name  string
		total int
		parts []int
		want  bool
	}{
		{"shown parts at the top, total at the bottom", 43, []int{12, 12, 12, 7}, true},
		{"two withheld forced to 7", 38, []int{12, 12, 7, 7}, true},
		{"four withheld forced to 7", 28, []int{7, 7, 7, 7}, true},
		{"room to spare", 40, []int{20, 15, 5}, false},
		{"one small beside a large", 13, []int{12, 1}, false},
		{"all shown", 30, []int{10, 20}, false},
	}
	for _, tt := range tests {
		if got := disclosure.Pinned(p.Range(p.Count(tt.total)), r(tt.parts...)); got != tt.want {
			t.Errorf("%s: Pinned(%d = %v) = %v; want %v", tt.name, tt.total, tt.parts, got, tt.want)
		}
	}
	// An unbounded part (people merged away) is given away by exact
	// others: case 1 of issue 11, 8 + 8 + 1 shown as 10 + 10 of 15.
	people := []disclosure.Range{{Lo: 1, Hi: disclosure.Unbounded}, p.Range(p.Count(8)), p.Range(p.Count(8))}
	if !disclosure.Pinned(p.Range(p.Count(17)), people) {
		t.Errorf("Pinned(17 = merged + 8 + 8) = false; want true: the one merged person is known to be one")
	}
}

// TestPinnedMatchesSearch checks Pinned against an exhaustive search of
// every set of raw counts that publishes the same figures.
func TestPinnedMatchesSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 1))
	for range 3000 {
		k := 5 + rng.IntN(4)
		p := mustNew(t, k, 5)
		n := 2 + rng.IntN(2)
		raw := make([]int, n)
		total := 0
		for i := range raw {
			raw[i] = rng.IntN(3 * k)
			total += raw[i]
		}
		var parts []disclosure.Range
		for _, x := range raw {
			parts = append(parts, p.Range(p.Count(x)))
		}
		want := false
		for i := range raw {
			seen := map[int]bool{}
			var walk func(j, sum, mine int)
			walk = func(j, sum, mine int) {
				if j == n {
					if p.Count(sum) == p.Count(total) {
						seen[mine] = true
					}
					return
				}
				for v := 0; v < 4*k; v++ {
					if p.Count(v) != p.Count(raw[j]) {
						continue
					}
					m := mine
					if j == i {
						m = v
					}
					walk(j+1, sum+v, m)
				}
			}
			walk(0, 0, 0)
			want = want || (len(seen) == 1 && !parts[i].Exact())
		}
		if got := disclosure.Pinned(p.Range(p.Count(total)), parts); got != want {
			t.Fatalf("k=%d: Pinned(%d = %v) = %v; the search says %v", k, total, raw, got, want)
		}
	}
}
