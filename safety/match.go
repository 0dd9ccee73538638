package safety

import (
	"iter"
	"slices"
	"strings"
)

// Matching a normalised reading: find every anchor literal in one pass, cut
// out the ignored idioms, then try each trigger rule only where one of its
// anchors says a match could start (analyse.go explains why).

// match reports whether a normalised reading triggers. It finds every
// anchor in one pass, and cuts out any ignored idioms before trying the
// trigger rules.
func (d *Detector) match(s string) bool {
	var buf [128]hit
	hits := d.auto.find(s, buf[:0])
	if cut, cuts := d.removeIgnored(s, hits); cuts != nil {
		s, hits = cut, d.moveHits(cut, hits, cuts)
	}
	for _, ri := range d.unindexed {
		if r := d.rules[ri]; !r.ignore && r.whole.MatchString(s) {
			return true
		}
	}
	for _, h := range hits {
		for _, e := range d.anchors[h.id].trigger {
			r := d.rules[e.rule]
			for p := range d.starts(s, hits, h.start, e) {
				if r.matchAt(s, p) {
					return true
				}
			}
		}
	}
	return false
}

// removeIgnored replaces the longest ignore match at each position with a
// clause break, so that what is left of the text cannot join up across it.
// hits are the anchors in s. It also returns the runs of s it replaced.
func (d *Detector) removeIgnored(s string, hits []hit) (string, []span) {
	var spans []span
	try := func(r *rule, p int) {
		if loc := r.re.FindStringIndex(s[p:r.end(s, p)]); loc != nil && loc[1] > 0 {
			spans = append(spans, span{p, p + loc[1]})
		}
	}
	for _, h := range hits {
		for _, e := range d.anchors[h.id].ignore {
			for p := range d.starts(s, hits, h.start, e) {
				try(d.rules[e.rule], p)
			}
		}
	}
	for _, ri := range d.unindexed {
		if r := d.rules[ri]; r.ignore {
			for p := range len(s) {
				try(r, p)
			}
		}
	}
	return cut(s, spans)
}

// starts yields each position where a match of e's rule could start, given
// its anchor found at start and all the anchors in s.
func (d *Detector) starts(s string, hits []hit, start int, e entry) iter.Seq[int] {
	return func(yield func(int) bool) {
		r := d.rules[e.rule]
		for p, last := max(start-e.maxOff, 0), start-e.minOff; p <= last; p++ {
			if r.words {
				// Matches start at a space: skip to the next one.
				i := strings.IndexByte(s[p:last+1], ' ')
				if i < 0 {
					return
				}
				p += i
			}
			if r.mayStart(s, p) && r.alsoNear(d.also[e.rule], hits, p) && !yield(p) {
				return
			}
		}
	}
}

// span is a half-open byte range of text to remove.
type span struct{ from, to int }

// cut replaces each run of overlapping spans in s with a clause break.
// It also returns the runs it replaced, in order.
func cut(s string, spans []span) (string, []span) {
	if len(spans) == 0 {
		return s, nil
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	var b strings.Builder
	merged := spans[:0]
	at := 0
	for i := 0; i < len(spans); {
		from, to := spans[i].from, spans[i].to
		for i++; i < len(spans) && spans[i].from < to; i++ {
			to = max(to, spans[i].to)
		}
		b.WriteString(s[at:from])
		b.WriteString(replacement)
		merged = append(merged, span{from, to})
		at = to
	}
	b.WriteString(s[at:])
	return b.String(), merged
}

// replacement is what cut puts in place of an idiom.
const replacement = " " + clauseBreak + " "

// moveHits returns the anchors in s, which is old with cuts replaced, given
// hits, the anchors in old. Anchors clear of the cuts only move; new ones
// can only overlap a replacement, so only the text around each is scanned.
func (d *Detector) moveHits(s string, hits []hit, cuts []span) []hit {
	out := make([]hit, 0, len(hits)+4*len(cuts))
	shift, c := 0, 0
	for _, h := range hits {
		for c < len(cuts) && cuts[c].to <= h.start {
			shift += len(replacement) - (cuts[c].to - cuts[c].from)
			c++
		}
		if c < len(cuts) && cuts[c].from < h.end {
			continue // overlaps a cut
		}
		out = append(out, hit{start: h.start + shift, end: h.end + shift, id: h.id})
	}
	shift = 0
	for _, ct := range cuts {
		at := ct.from + shift // where the replacement starts in s
		shift += len(replacement) - (ct.to - ct.from)
		from, to := max(at-maxAnchor+1, 0), min(at+len(replacement)+maxAnchor-1, len(s))
		for _, h := range d.auto.find(s[from:to], nil) {
			h.start, h.end = h.start+from, h.end+from
			if h.start < at+len(replacement) && h.end > at {
				out = append(out, h)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b hit) int { return a.end - b.end })
	return out
}
