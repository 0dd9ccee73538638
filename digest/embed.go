package digest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Discord's limits on embeds, in characters (Unicode code points). The
// embed rendering keeps within them; the bot converts Embeds to
// discordgo's type, so this package needs no Discord client.
const (
	EmbedTitleMax       = 256
	EmbedDescriptionMax = 4096
	EmbedFieldsMax      = 25
	EmbedFieldNameMax   = 256
	EmbedFieldValueMax  = 1024
	EmbedFooterMax      = 2048
	MessageEmbedsMax    = 10
	MessageEmbedCharMax = 6000
)

// Embed is one chat embed: a title, a description and named fields, as
// Discord shows them. Text is Discord-flavoured Markdown.
type Embed struct {
	Title       string
	Description string
	Fields      []EmbedField
	Footer      string
}

// EmbedField is one field of an Embed.
type EmbedField struct {
	Name, Value string
}

// Chars counts the embed's characters as Discord does towards a
// message's total: title, description, field names and values, footer.
func (e Embed) Chars() int {
	n := runes(e.Title) + runes(e.Description) + runes(e.Footer)
	for _, f := range e.Fields {
		n += runes(f.Name) + runes(f.Value)
	}
	return n
}

// labelMax bounds a label or group name inside a figure line, so that a
// line is never longer than a field value: figures are never cut, only
// the words naming them.
const labelMax = 200

// Embeds renders the digest as chat embeds, grouped into messages: each
// message has at most MessageEmbedsMax embeds and MessageEmbedCharMax
// characters, each embed and field is within Discord's limits, and a
// figure line is never split between two fields. Only the digest's
// protected figures appear.
func (d *Digest) Embeds() [][]Embed {
	var p embedPacker
	unit := d.Period.Unit
	a := d.Participation

	head := d.RulesText()
	if t := d.InProgressText(); t != "" {
		head = "**" + t + "**\n" + head
	}
	if d.Notice != "" {
		head = "**" + chatText(d.Notice) + "**\n" + head
	}
	p.section(d.Title(), head)
	part := func(name string, this fmt.Stringer, change string) {
		p.field(name, []string{fmt.Sprintf("This %s: **%s** (change %s)", unit, this, change)})
	}
	part("New participants", a.Period.NewParticipants, changeText(a.Change.NewParticipants, false))
	part("Question flows started", a.Period.FlowsStarted, changeText(a.Change.FlowsStarted, false))
	part("Question flows completed", a.Period.FlowsCompleted, changeText(a.Change.FlowsCompleted, false))
	part("Partial responses", a.Period.FlowsPartial, changeText(a.Change.FlowsPartial, false))
	part("Completion rate", a.Period.CompletionRate, changeText(a.Change.CompletionRate, true))
	part("Reminders sent", a.Period.RemindersSent, changeText(a.Change.RemindersSent, false))
	if len(d.Themes) == 0 {
		line := "No themes."
		if t := d.HiddenThemesText(); t != "" {
			line = "_" + t + "_"
		}
		p.field("Themes this "+unit, []string{line})
	} else {
		var lines []string
		for _, t := range d.Themes {
			lines = append(lines, fmt.Sprintf("%s: %s (change %s)", chatLabel(t.Name), t.Answers, changeText(t.Change, false)))
		}
		if t := d.HiddenThemesText(); t != "" {
			lines = append(lines, "_"+t+"_")
		}
		p.field("Themes this "+unit+": answers touching each", lines)
	}

	if len(d.Questions) == 0 {
		p.section("Answers this "+unit, fmt.Sprintf("No one answered a choice or scale question this %s.", unit))
	} else {
		p.section("Answers this "+unit, fmt.Sprintf("Each answer: this %s's count (%%) · change (points).", unit))
	}
	for _, q := range d.Questions {
		var lines []string
		if t := q.WordingsText(); t != "" {
			lines = append(lines, "_"+chatText(t)+"_")
		}
		if len(q.Period.Options) == 0 {
			p.field(q.FlowTitle+": "+q.Prompt, append(lines, chatText(d.HiddenText(q))))
			continue
		}
		for i, s := range q.Period.Options {
			ch := q.Change.Options[i]
			lines = append(lines, fmt.Sprintf("%s: **%s** (%s) · %s (%s)",
				chatLabel(s.Label), s.Count, s.Percent, changeText(ch.Count, false), changeText(ch.Points, true)))
		}
		lines = append(lines, fmt.Sprintf("_People who answered: %s (change %s)_", q.Period.Respondents, changeText(q.Change.Respondents, false)))
		if t := d.HiddenText(q); t != "" {
			lines = append(lines, "_"+t+"_")
		}
		if q.Type == "multi" {
			lines = append(lines, "_"+MultiNote+"_")
		}
		p.field(q.FlowTitle+": "+q.Prompt, lines)
	}

	if len(d.Comparisons) > 0 {
		p.section("Compared by group", d.GroupsText())
	}
	for _, c := range d.Comparisons {
		var lines []string
		if len(c.Groups) == 0 {
			lines = append(lines, chatText(d.HiddenGroupsText(c)))
		}
		for _, g := range c.Groups {
			var shares []string
			for i, s := range g.Shares {
				label := s.Label
				if label == "" && i < len(c.Options) {
					label = c.Options[i].Label
				}
				shares = append(shares, fmt.Sprintf("%s %s", chatLabel(label), s.Percent))
			}
			lines = append(lines, fmt.Sprintf("**%s** (%s people): %s", chatLabel(g.Name), g.Respondents, strings.Join(shares, " · ")))
		}
		if t := d.HiddenGroupsText(c); t != "" && len(c.Groups) > 0 {
			lines = append(lines, "_"+chatText(t)+"_")
		}
		if c.Merged {
			lines = append(lines, fmt.Sprintf("_Some groups were merged into %q or left out._", OtherGroup))
		}
		p.field(fmt.Sprintf("By %s · %s: %s", strings.ToLower(c.Demographic), c.FlowTitle, c.Prompt), lines)
	}

	d.trendEmbeds(&p)

	quotesIntro := d.QuotesText()
	if len(d.Quotes) == 0 {
		quotesIntro = strings.TrimSpace(fmt.Sprintf("No quotes this %s. %s", unit, quotesIntro))
	}
	p.section("Quotes", quotesIntro)
	for _, q := range d.Quotes {
		p.field(attribution(q), []string{"> " + chatText(q.Text)})
	}

	if len(d.Notes) > 0 {
		var lines []string
		for _, n := range d.Notes {
			lines = append(lines, "• "+chatText(n))
		}
		p.section("Notes", "")
		p.field("Notes", lines)
	}
	return p.messages()
}

// embedPacker lays out sections and fields into embeds, and embeds into
// messages, within Discord's limits.
type embedPacker struct {
	embeds []Embed
	title  string // the current section's title, for continuations
}

// section starts a new embed with a title and an introduction.
func (p *embedPacker) section(title, intro string) {
	p.title = title
	p.embeds = append(p.embeds, Embed{Title: clipText(title, EmbedTitleMax), Description: clipText(intro, EmbedDescriptionMax)})
}

// field adds lines under a name, as one field or, when they do not fit
// in one value, several, each holding whole lines.
func (p *embedPacker) field(name string, lines []string) {
	name = clipText(chatText(name), EmbedFieldNameMax)
	var value strings.Builder
	first := true
	flush := func() {
		if value.Len() == 0 {
			return
		}
		n := name
		if !first {
			n = clipText(name+" (continued)", EmbedFieldNameMax)
		}
		p.add(EmbedField{Name: n, Value: value.String()})
		value.Reset()
		first = false
	}
	for _, l := range lines {
		l = clipText(l, EmbedFieldValueMax) // only a pathological label gets here
		if value.Len() > 0 && runes(value.String())+1+runes(l) > EmbedFieldValueMax {
			flush()
		}
		if value.Len() > 0 {
			value.WriteByte('\n')
		}
		value.WriteString(l)
	}
	flush()
}

// add puts a field in the current embed, or in a continuation of it
// when the embed is full.
func (p *embedPacker) add(f EmbedField) {
	if len(p.embeds) == 0 {
		p.section("", "")
	}
	e := &p.embeds[len(p.embeds)-1]
	if len(e.Fields) == EmbedFieldsMax || e.Chars()+runes(f.Name)+runes(f.Value) > MessageEmbedCharMax {
		p.embeds = append(p.embeds, Embed{Title: clipText(p.title+" (continued)", EmbedTitleMax)})
		e = &p.embeds[len(p.embeds)-1]
	}
	e.Fields = append(e.Fields, f)
}

// messages groups the embeds into messages.
func (p *embedPacker) messages() [][]Embed {
	var out [][]Embed
	var cur []Embed
	chars := 0
	for _, e := range p.embeds {
		if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
			continue
		}
		if len(cur) == MessageEmbedsMax || (len(cur) > 0 && chars+e.Chars() > MessageEmbedCharMax) {
			out = append(out, cur)
			cur, chars = nil, 0
		}
		cur = append(cur, e)
		chars += e.Chars()
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// clipText shortens s to at most n characters, ending with an ellipsis.
func clipText(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// chatEscaper escapes what chat Markdown would read as formatting, a
// quote or a heading; text is one line.
var chatEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "~", `\~`, "|", `\|`, ">", `\>`, "#", `\#`, "[", `\[`, "]", `\]`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// chatText is free text made safe for an embed.
func chatText(s string) string { return chatEscaper.Replace(s) }

// chatLabel is a label inside a figure line: escaped and short enough
// that the line always fits in a field.
func chatLabel(s string) string { return chatText(clipText(s, labelMax)) }
