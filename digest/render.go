package digest

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/peervoice/peervoice/digest/disclosure"
)

// MultiNote is shown under a multiple choice question's figures.
const MultiNote = "People could choose more than one answer, so percentages can add up to more than 100%."

// Formats are the formats a digest renders in.
var Formats = []string{"md", "json", "html"}

// Render writes the digest in format: md, json or html. Every renderer
// prints only the digest's already protected values.
func (d *Digest) Render(w io.Writer, format string) error {
	switch format {
	case "md":
		return d.WriteMarkdown(w)
	case "json":
		return d.WriteJSON(w)
	case "html":
		return d.WriteHTML(w)
	}
	return fmt.Errorf("digest: format %q is not supported; want one of %s", format, strings.Join(Formats, ", "))
}

// WriteJSON writes the digest as indented JSON. Suppressed figures are
// the string "*", figures with no data null; rules.legend says so.
func (d *Digest) WriteJSON(w io.Writer) error {
	c := *d
	c.Rules.Legend = d.RulesText() + ` In this JSON, a withheld figure is the string "*".`
	buf, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	_, err = w.Write(append(buf, '\n'))
	return err
}

// Title is the digest's heading.
func (d *Digest) Title() string {
	return fmt.Sprintf("PeerVoice digest: %s %s (%s)", d.Period.Unit, d.Period.Name, d.Period.Label)
}

// RulesText explains the disclosure rules in a sentence or two.
func (d *Digest) RulesText() string {
	k, r := d.Rules.MinCount, d.Rules.RoundTo
	return fmt.Sprintf("Anonymised. Every figure is about this %s alone: a running total, set beside an earlier digest's, would give "+
		"small counts away, so there is none (the research export has them). Counts from 0 to %d are shown as *, 0 included, so that no "+
		"exact figure beside a * can complete a sum (a total, the groups' figures against everyone's) and give the * away; other counts are rounded "+
		"to the nearest %d, and totals are rounded after adding up. Percentages are worked out from the rounded counts and shown only where "+
		"%d or more people answered and not all of them gave the same answer, and never as 100%% unless everyone gave that answer. "+
		"A table whose shown figures, added up, would still pin down a * is withheld as a whole. Changes are from the previous %s's figures, worked out by the same rules. "+
		"Rows none of whose figures can be shown are left out, and each table says how many: that tells no more than their * did.",
		d.Period.Unit, k-1, r, k, d.Period.Unit)
}

// HiddenThemesText says how many themes are left out, or is "".
func (d *Digest) HiddenThemesText() string {
	if d.HiddenThemes == 0 {
		return ""
	}
	return fmt.Sprintf("%s with answers from fewer than %d people %s not shown.",
		plural(d.HiddenThemes, "theme", "themes"), d.Rules.MinCount, isAre(d.HiddenThemes))
}

// HiddenText says how many of q's answers are left out, or is "". When
// every answer is left out, it says why instead, in place of the table.
func (d *Digest) HiddenText(q Question) string {
	switch {
	case q.Hidden == 0:
		return ""
	case len(q.Period.Options) == 0:
		return fmt.Sprintf("No answer can be shown: fewer than %d people gave each one, everyone gave the same answer, or the figures together would give a small one away. People who answered: %s this %s (change %s).",
			d.Rules.MinCount, q.Period.Respondents, d.Period.Unit, changeText(q.Change.Respondents, false))
	}
	return fmt.Sprintf("%s chosen by fewer than %d people %s not shown.",
		plural(q.Hidden, "answer", "answers"), d.Rules.MinCount, isAre(q.Hidden))
}

// WordingsText lists the other wordings q's answers were given to, or
// is "".
func (q Question) WordingsText() string {
	if len(q.OtherWordings) == 0 {
		return ""
	}
	quoted := make([]string, len(q.OtherWordings))
	for i, w := range q.OtherWordings {
		quoted[i] = "“" + w + "”"
	}
	return "Some answers were given to an earlier wording: " + strings.Join(quoted, "; ") + "."
}

// HiddenGroupsText says which groups of c are left out, or is "". When
// every group is left out, it says so in place of the table.
func (d *Digest) HiddenGroupsText(c Comparison) string {
	switch {
	case len(c.HiddenGroups) == 0:
		return ""
	case len(c.Groups) == 0:
		return fmt.Sprintf("No group can be shown: in each (%s), every answer was given by fewer than %d people.", strings.Join(c.HiddenGroups, ", "), d.Rules.MinCount)
	}
	return fmt.Sprintf("Not shown, because every answer in them was given by fewer than %d people: %s.", d.Rules.MinCount, strings.Join(c.HiddenGroups, ", "))
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// InProgressText warns that the period is not over, or is "".
func (d *Digest) InProgressText() string {
	if d.Period.ToDate == "" {
		return ""
	}
	return fmt.Sprintf("This %s is not over: figures are to %s and will change.", d.Period.Unit, d.Period.ToDate)
}

// QuotesText says how quotes are chosen, and how many wait for approval.
func (d *Digest) QuotesText() string {
	if n, ok := d.QuotesPending.Value(); ok && n == 0 {
		return ""
	}
	return fmt.Sprintf("Quotes waiting for a moderator's approval, not shown: %s.", d.QuotesPending)
}

// GroupsText explains how subgroups are formed.
func (d *Digest) GroupsText() string {
	return fmt.Sprintf("This %s's answers, by group. A group is shown only where %d or more people in it answered and they gave "+
		"at least two different answers; smaller groups are merged into %q, which is left out when it is too small in turn. "+
		"Ethnic groups are the 2021 Census's five high-level groups.", d.Period.Unit, d.Rules.MinCount, OtherGroup)
}

// changeText shows a change, with a unit for percentage points.
func changeText(c disclosure.Change, points bool) string {
	s := c.String()
	if points && c.Shown() {
		s += " pts"
	}
	return s
}

// WriteMarkdown writes the digest as Markdown.
func (d *Digest) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s\n\n_%s_\n\n", mdText(d.Title()), mdText(d.RulesText()))
	if d.Notice != "" {
		p("**%s**\n\n", mdText(d.Notice))
	}
	if t := d.InProgressText(); t != "" {
		p("**%s**\n\n", mdText(t))
	}
	unit := d.Period.Unit
	a := d.Participation
	p("## Taking part\n\n| | this %s | change |\n| --- | ---: | ---: |\n", unit)
	p("| New participants | %s | %s |\n", a.Period.NewParticipants, changeText(a.Change.NewParticipants, false))
	p("| Question flows started | %s | %s |\n", a.Period.FlowsStarted, changeText(a.Change.FlowsStarted, false))
	p("| Question flows completed | %s | %s |\n", a.Period.FlowsCompleted, changeText(a.Change.FlowsCompleted, false))
	p("| Partial responses (left unfinished, answers kept) | %s | %s |\n", a.Period.FlowsPartial, changeText(a.Change.FlowsPartial, false))
	p("| Completion rate | %s | %s |\n", a.Period.CompletionRate, changeText(a.Change.CompletionRate, true))
	p("| Reminders sent | %s | %s |\n\n", a.Period.RemindersSent, changeText(a.Change.RemindersSent, false))

	p("## Themes this %s\n\n", unit)
	if len(d.Themes) == 0 && d.HiddenThemes == 0 {
		p("No themes.\n\n")
	}
	var themes []string
	for _, t := range d.Themes {
		themes = append(themes, fmt.Sprintf("%s %s (%s)", mdText(t.Name), t.Answers, changeText(t.Change, false)))
	}
	if len(themes) > 0 {
		p("Answers touching each theme (change): %s\n\n", strings.Join(themes, " · "))
	}
	if t := d.HiddenThemesText(); t != "" {
		p("_%s_\n\n", mdText(t))
	}

	p("## Answers this %s\n\n", unit)
	if len(d.Questions) == 0 {
		p("No one answered a choice or scale question this %s.\n\n", unit)
	}
	for _, q := range d.Questions {
		p("### %s: %s\n\n", mdText(q.FlowTitle), mdText(q.Prompt))
		if t := q.WordingsText(); t != "" {
			p("_%s_\n\n", mdText(t))
		}
		if len(q.Period.Options) == 0 {
			p("%s\n\n", mdText(d.HiddenText(q)))
			continue
		}
		p("| answer | this %s | %% | change | %% change |\n| --- | ---: | ---: | ---: | ---: |\n", unit)
		for i, s := range q.Period.Options {
			ch := q.Change.Options[i]
			p("| %s | %s | %s | %s | %s |\n", mdText(s.Label), s.Count, s.Percent, changeText(ch.Count, false), changeText(ch.Points, true))
		}
		p("| _people who answered_ | %s | | %s | |\n\n", q.Period.Respondents, changeText(q.Change.Respondents, false))
		if t := d.HiddenText(q); t != "" {
			p("_%s_\n\n", mdText(t))
		}
		if q.Type == "multi" {
			p("_%s_\n\n", mdText(MultiNote))
		}
	}

	if len(d.Comparisons) > 0 {
		p("## Compared by group\n\n_%s_\n\n", mdText(d.GroupsText()))
	}
	for _, c := range d.Comparisons {
		p("### By %s · %s: %s\n\n", mdText(strings.ToLower(c.Demographic)), mdText(c.FlowTitle), mdText(c.Prompt))
		if len(c.Groups) == 0 {
			p("%s\n\n", mdText(d.HiddenGroupsText(c)))
			continue
		}
		p("| group | people |")
		for _, o := range c.Options {
			p(" %s |", mdText(o.Label))
		}
		p("\n| --- | ---: |%s\n", strings.Repeat(" ---: |", len(c.Options)))
		for _, g := range c.Groups {
			p("| %s | %s |", mdText(g.Name), g.Respondents)
			for _, s := range g.Shares {
				p(" %s |", s.Percent)
			}
			p("\n")
		}
		if t := d.HiddenGroupsText(c); t != "" {
			p("\n_%s_\n", mdText(t))
		}
		if c.Merged {
			p("\n_Some groups were merged into %q or left out._\n", OtherGroup)
		}
		p("\n")
	}

	d.writeTrendsMarkdown(&b)

	p("## Quotes\n\n")
	if len(d.Quotes) == 0 {
		p("No quotes this %s.\n\n", unit)
	}
	for _, q := range d.Quotes {
		p("> %s\n>\n> — %s\n\n", mdText(q.Text), mdText(attribution(q)))
	}
	if t := d.QuotesText(); t != "" {
		p("%s\n\n", mdText(t))
	}
	if len(d.Notes) > 0 {
		p("## Notes\n\n")
		for _, n := range d.Notes {
			p("- %s\n", mdText(n))
		}
		p("\n")
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// attribution says who said a quote, as far as may be said, and to what.
func attribution(q Quote) string {
	parts := slices.DeleteFunc([]string{q.Label, q.FlowTitle + ": " + q.Prompt}, func(s string) bool { return s == "" })
	return strings.Join(parts, " · ")
}

// mdEscaper escapes what Markdown would read as formatting or a table
// cell's end; text is one line.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;",
	"|", `\|`, "#", `\#`, "~", `\~`, "\r\n", " ", "\n", " ", "\r", " ",
)

func mdText(s string) string { return mdEscaper.Replace(s) }
