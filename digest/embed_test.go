package digest_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peervoice/peervoice/digest"
)

// checkEmbedLimits fails the test where the messages break one of
// Discord's limits.
func checkEmbedLimits(t *testing.T, msgs [][]digest.Embed) {
	t.Helper()
	n := utf8.RuneCountInString
	for i, m := range msgs {
		if len(m) == 0 || len(m) > digest.MessageEmbedsMax {
			t.Errorf("message %d has %d embeds", i, len(m))
		}
		total := 0
		for j, e := range m {
			total += e.Chars()
			if n(e.Title) > digest.EmbedTitleMax || n(e.Description) > digest.EmbedDescriptionMax || len(e.Fields) > digest.EmbedFieldsMax {
				t.Errorf("message %d embed %d: title %d, description %d, %d fields", i, j, n(e.Title), n(e.Description), len(e.Fields))
			}
			for _, f := range e.Fields {
				if n(f.Name) == 0 || n(f.Name) > digest.EmbedFieldNameMax || n(f.Value) == 0 || n(f.Value) > digest.EmbedFieldValueMax {
					t.Errorf("message %d embed %d: field name %d, value %d characters", i, j, n(f.Name), n(f.Value))
				}
			}
		}
		if total > digest.MessageEmbedCharMax {
			t.Errorf("message %d has %d characters", i, total)
		}
	}
}

func TestEmbedsWithinLimits(t *testing.T) {
	d := goldenDigest(t)
	msgs := d.Embeds()
	checkEmbedLimits(t, msgs)
	if len(msgs) == 0 || msgs[0][0].Title != d.Title() {
		t.Fatalf("the first message does not start with the digest's title")
	}
	text := allEmbedText(msgs)
	for _, want := range []string{d.Title(), "New participants", "Completion rate"} {
		if !strings.Contains(text, want) {
			t.Errorf("embeds lack %q:\n%s", want, text)
		}
	}
}

// TestEmbedsSplitWholeLines blows a digest up past every limit: it is
// spread over several messages, and each figure line stays whole.
func TestEmbedsSplitWholeLines(t *testing.T) {
	d := goldenDigest(t)
	var qs []digest.Question
	for i := 0; i < 40; i++ {
		for _, q := range d.Questions {
			q.Prompt = strings.Repeat("A very long prompt indeed. ", 20)
			opts := q.Period.Options
			for len(opts) < 30 {
				opts = append(opts, q.Period.Options...)
			}
			q.Period.Options = opts
			var chs []digest.ShareChange
			for range opts {
				chs = append(chs, q.Change.Options[0])
			}
			q.Change.Options = chs
			qs = append(qs, q)
		}
	}
	d.Questions = qs
	for len(d.Quotes) < 60 && len(d.Quotes) > 0 {
		d.Quotes = append(d.Quotes, d.Quotes...)
	}
	msgs := d.Embeds()
	checkEmbedLimits(t, msgs)
	if len(msgs) < 2 {
		t.Fatalf("%d messages; want the digest split", len(msgs))
	}
	for _, m := range msgs {
		for _, e := range m {
			for _, f := range e.Fields {
				for _, l := range strings.Split(f.Value, "\n") {
					if strings.HasSuffix(l, "…") && !strings.HasPrefix(l, "> ") { // quotes come capped
						t.Errorf("a line was cut: %q", l)
					}
				}
			}
		}
	}
}

func allEmbedText(msgs [][]digest.Embed) string {
	var b strings.Builder
	for _, m := range msgs {
		for _, e := range m {
			b.WriteString(e.Title + "\n" + e.Description + "\n")
			for _, f := range e.Fields {
				b.WriteString(f.Name + "\n" + f.Value + "\n")
			}
		}
	}
	return b.String()
}

// TestEmbedsLeaveOutEmptyRows checks that the Discord rendering of a
// small community's digest leaves out the rows with nothing to show, as
// the other formats do, and says so: a question none of whose answers
// can be shown is one line, themes left out are counted, and a change
// from a week nobody took part in is withheld, not marked as no data
// (which would publish the 0).
func TestEmbedsLeaveOutEmptyRows(t *testing.T) {
	d := smallDigest(t)
	msgs := d.Embeds()
	checkEmbedLimits(t, msgs)
	text := embedText(d)
	allHidden, partly := 0, 0
	for _, q := range d.Questions {
		switch {
		case len(q.Period.Options) == 0:
			allHidden++
			if want := strings.ReplaceAll(d.HiddenText(q), "*", `\*`); !strings.Contains(text, want) {
				t.Errorf("the embeds lack %q for %s/%s", want, q.FlowID, q.QuestionID)
			}
		case q.Hidden > 0:
			partly++
			if !strings.Contains(text, d.HiddenText(q)) {
				t.Errorf("the embeds lack %q for %s/%s", d.HiddenText(q), q.FlowID, q.QuestionID)
			}
		}
	}
	if allHidden == 0 || partly == 0 || d.HiddenThemes == 0 {
		t.Fatalf("the small community has %d questions all left out, %d partly, %d themes; want some of each", allHidden, partly, d.HiddenThemes)
	}
	if !strings.Contains(text, d.HiddenThemesText()) {
		t.Errorf("the embeds lack %q", d.HiddenThemesText())
	}
	// No line of figures is all "*": every answer line has a figure.
	lines := 0
	for _, line := range strings.Split(text, "\n") {
		i := strings.LastIndex(line, ": **")
		if i < 0 || !strings.Contains(line, ") · ") {
			continue
		}
		lines++
		if !strings.ContainsAny(line[i:], "0123456789") {
			t.Errorf("the embeds show a line with nothing to show: %q", line)
		}
	}
	if lines == 0 {
		t.Error("the embeds show no answer lines at all")
	}
	if !strings.Contains(text, "(change \\*)") || strings.Contains(text, "–") {
		t.Errorf("the changes from a week nobody took part in are not withheld, or a figure is marked as no data:\n%s", text)
	}
}
