package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// quotes makes the period's quote candidates: text answers to quotable
// questions from participants who allowed quotes, with no crisis language,
// scrubbed, capped, and labelled only with groups of at least k
// participants. Candidates go in
// the digest; only approved ones (or all, with approval off) are
// published.
func (b *builder) quotes(d *Digest) error {
	var candidates []Quote
	for _, qt := range b.data.Quotes {
		f, q := b.cat.questionAsked(qt.FlowVersion, figures.QuestionRef{FlowID: qt.FlowID, QuestionID: qt.QuestionID})
		if q == nil || !q.Quotable || q.Type != flows.TypeText {
			continue
		}
		if b.opt.Scrubber == nil {
			return errNoScrubber
		}
		if b.opt.Crisis == nil {
			return errNoCrisis
		}
		text := capText(strings.TrimSpace(b.opt.Scrubber.Text(qt.Text)), MaxQuoteLen)
		if text == "" || b.opt.Crisis.Check(qt.Text) {
			continue // nothing left, or crisis language: never a quote
		}
		c := Quote{ID: quoteID(qt.Ref, text), Text: text, FlowTitle: f.Title.String(), Prompt: q.Prompt.String(), Label: b.label(qt.Groups)}
		c.Approved = b.opt.Approved != nil && b.opt.Approved(c.ID)
		candidates = append(candidates, c)
	}
	slices.SortFunc(candidates, func(a, b Quote) int { return strings.Compare(a.ID, b.ID) })
	d.candidates = candidates
	pending := 0
	for _, c := range candidates {
		if !c.Approved && !b.opt.PublishUnapproved {
			if b.opt.Rejected == nil || !b.opt.Rejected(c.ID) {
				pending++
			}
			continue
		}
		if len(d.Quotes) < b.opt.MaxQuotes {
			d.Quotes = append(d.Quotes, c)
		}
	}
	d.QuotesPending = b.pol.Alone(pending) // in no sum: 0 may show
	return nil
}

// quoteID names a quote by the answer it comes from and its published
// text.
func quoteID(ref, text string) string {
	sum := sha256.Sum256([]byte("peervoice quote v1\x00" + ref + "\x00" + text))
	return hex.EncodeToString(sum[:6])
}

// capText shortens s to at most max characters, at a word boundary where
// there is one, ending with an ellipsis.
func capText(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)[:max-1]
	cut := len(runes)
	for i := len(runes) - 1; i > max/2; i-- {
		if unicode.IsSpace(runes[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

// label names a quote's groups: each of the speaker's stated groups, in
// the order of the subgroups, as long as the participants who share all
// the groups named so far number at least k.
func (b *builder) label(answers []string) string {
	var names []string
	var dims []int
	for i, d := range b.demos {
		if i >= len(answers) {
			break
		}
		name, stated := d.group(answers[i])
		if !stated {
			continue
		}
		if b.groupSize(append(dims, i), append(names, name)) >= b.pol.MinCount() {
			dims, names = append(dims, i), append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// groupSize counts the participants in all of the groups names, on the
// demographics dims.
func (b *builder) groupSize(dims []int, names []string) int {
	n := 0
	for _, gs := range b.data.GroupSizes {
		match := true
		for j, i := range dims {
			name, stated := "", false
			if i < len(gs.Groups) {
				name, stated = b.demos[i].group(gs.Groups[i])
			}
			match = match && stated && name == names[j]
		}
		if match {
			n += gs.People
		}
	}
	return n
}
