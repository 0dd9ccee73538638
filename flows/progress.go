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
	// A walk's notes on each question, by index: on the stack for any
	// flow of usual size, since progress runs at every question asked.
	var buf [64]progressNode
	var nodes []progressNode
	if n := len(f.Questions); n <= len(buf) {
		nodes = buf[:n]
	} else {
		nodes = make([]progressNode, n)
	}
	for _, id := range s.Path[:max(len(s.Path)-1, 0)] {
		if j := f.position(id); j >= 0 {
			nodes[j].settled = true
		}
	}
	w := progressWalk{f: f, answers: s.Answers, nodes: nodes}
	r := w.left(f.position(s.Current))
	p := Progress{Number: len(s.Path), Exact: r.lo == r.hi && !w.loop, Left: (r.lo + r.hi + 1) / 2}
	if p.Exact {
		p.Total = p.Number - 1 + r.lo
	}
	return p
}

// span is the fewest and most questions left from one question.
type span struct{ lo, hi int }

// progressNode is what progress knows of one question.
type progressNode struct {
	left    span // once memo is set
	memo    bool
	onStack bool // being worked out, further up the walk
	settled bool // on the path before the current question
}

type progressWalk struct {
	f       *Flow
	answers map[string]Answer
	nodes   []progressNode
	loop    bool // a jump back was met, so the count is not exact
}

// left returns the span of questions left from question i, this one
// included (none past the end).
func (w *progressWalk) left(i int) span {
	f := w.f
	if i < 0 || i >= len(f.Questions) {
		return span{}
	}
	nd := &w.nodes[i]
	if nd.memo {
		return nd.left
	}
	if nd.onStack {
		w.loop = true
		return span{0, len(f.Questions)}
	}
	nd.onStack = true
	q := f.Questions[i]
	known, show := true, true
	if q.when != nil {
		for _, ref := range q.whenRefs {
			if j := f.position(ref); j < 0 || !w.nodes[j].settled {
				known = false
			}
		}
		if known {
			show, _ = q.shown(w.answers, f)
		}
	}
	skipped := w.left(defaultNext(f, i, q))
	var r span
	if known && !show {
		r = skipped
	} else {
		r = span{lo: 1 << 30}
		for _, j := range q.succ { // successors(f, i, q, true), from prepare
			x := w.left(j)
			r.lo, r.hi = min(r.lo, x.lo+1), max(r.hi, x.hi+1)
		}
		if !known {
			r.lo, r.hi = min(r.lo, skipped.lo), max(r.hi, skipped.hi)
		}
	}
	nd = &w.nodes[i]
	nd.left, nd.memo, nd.onStack = r, true, false
	return r
}
