package flows

import "github.com/peervoice/peervoice/uitext"

// Progress says where a participant is in a flow.
type Progress struct {
	Number int  // this question's number on the participant's way
	Total  int  // the number of questions on the way, when Exact
	Exact  bool // false where branching makes the total uncertain
	Left   int  // about how many questions are left, this one included
}

// String reads "3 of 9", or "about 4 left" where branches make the
// total uncertain, in English.
func (p Progress) String() string { return p.In(uitext.English) }

// In is String in lang ("3 o 9" in Welsh); a language without a catalog
// reads English.
func (p Progress) In(lang string) string {
	switch {
	case p.Exact:
		return uitext.T(lang, uitext.ProgressOf, p.Number, p.Total)
	case p.Left <= 1:
		return uitext.T(lang, uitext.ProgressNearly)
	default:
		return uitext.T(lang, uitext.ProgressLeft, p.Left)
	}
}

// progress counts the fewest and most questions still to come from the
// current one, evaluating conditions that depend only on answers already
// settled; the rest might go either way.
func progress(f *Flow, s Session) Progress {
	cur := f.position(s.Current)
	settled := map[string]bool{}
	for _, id := range s.Path[:max(len(s.Path)-1, 0)] {
		settled[id] = true
	}
	type span struct{ lo, hi int }
	memo := map[int]span{}
	onStack := map[int]bool{}
	loop := false
	var left func(i int) span
	left = func(i int) span {
		if i < 0 || i >= len(f.Questions) {
			return span{}
		}
		if r, ok := memo[i]; ok {
			return r
		}
		if onStack[i] {
			loop = true
			return span{0, len(f.Questions)}
		}
		onStack[i] = true
		defer delete(onStack, i)
		q := f.Questions[i]
		known, show := true, true
		if q.when != nil {
			for _, ref := range q.whenRefs {
				if !settled[ref] {
					known = false
				}
			}
			if known {
				show, _ = q.shown(s.Answers, f)
			}
		}
		skipped := left(defaultNext(f, i, q))
		var r span
		if known && !show {
			r = skipped
		} else {
			succ := successors(f, i, q, true)
			r = span{lo: 1 << 30}
			for _, j := range succ {
				x := left(j)
				r.lo, r.hi = min(r.lo, x.lo+1), max(r.hi, x.hi+1)
			}
			if !known {
				r.lo, r.hi = min(r.lo, skipped.lo), max(r.hi, skipped.hi)
			}
		}
		memo[i] = r
		return r
	}
	r := left(cur)
	p := Progress{Number: len(s.Path), Exact: r.lo == r.hi && !loop, Left: (r.lo + r.hi + 1) / 2}
	if p.Exact {
		p.Total = p.Number - 1 + r.lo
	}
	return p
}
