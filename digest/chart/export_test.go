package chart

import "github.com/peervoice/peervoice/digest"

// QuestionNotes and ComparisonNotes expose the footnotes to the tests,
// which cannot read them back from a PNG.
func QuestionNotes(d *digest.Digest, q digest.Question, opt Options) []string {
	return questionNotes(d, q, opt)
}

func ComparisonNotes(d *digest.Digest, c digest.Comparison) []string {
	return comparisonNotes(d, c)
}
