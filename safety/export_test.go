package safety

import (
	"regexp"
	"strings"
	"sync"
)

// Hooks for the black-box tests in package safety_test.

// Sample is the everyday text New uses to choose anchors.
const Sample = sample

// Normalise returns the readings Check matches for text.
func Normalise(text string) []string { return normalise(text) }

// Indexed reports whether every rule of d is indexed by anchors, so Check
// never falls back to scanning the whole text with a rule.
func Indexed(d *Detector) bool { return len(d.unindexed) == 0 }

// slowRules are d's rules compiled for CheckSlow: each trigger rule on its
// own, and every ignore rule in one leftmost-longest regexp, whose match at
// a position is the longest of any ignore rule there.
type slowRules struct {
	triggers []*regexp.Regexp
	ignore   *regexp.Regexp
}

var slowCache sync.Map // *Detector → *slowRules

// CheckSlow is Check without the index: each ignore rule is tried at every
// position and each trigger rule on the whole text. Check must always agree
// with it.
func CheckSlow(d *Detector, text string) bool {
	v, ok := slowCache.Load(d)
	if !ok {
		r := &slowRules{}
		var ignores []string
		for _, rule := range d.rules {
			if rule.ignore {
				ignores = append(ignores, "(?:"+rule.expr+")")
			} else {
				r.triggers = append(r.triggers, regexp.MustCompile(rule.expr))
			}
		}
		if ignores != nil {
			r.ignore = regexp.MustCompile(`\A(?:` + strings.Join(ignores, "|") + `)`)
			r.ignore.Longest()
		}
		v, _ = slowCache.LoadOrStore(d, r)
	}
	r := v.(*slowRules)
	for _, s := range normalise(text) {
		var spans []span
		for p := range len(s) {
			if r.ignore == nil {
				break
			}
			if loc := r.ignore.FindStringIndex(s[p:]); loc != nil && loc[1] > 0 {
				spans = append(spans, span{p, p + loc[1]})
			}
		}
		s, _ = cut(s, spans)
		for _, re := range r.triggers {
			if re.MatchString(s) {
				return true
			}
		}
	}
	return false
}
