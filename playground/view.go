package playground

import (
	"html/template"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// The view types are the bot's discordgo messages, read into what the
// templates show: Discord's embeds, buttons and select menus.

type colView struct {
	ID    string
	Name  string // the column's accessible name
	Items []itemView
	Form  *formView
}

type itemView struct {
	Col     string // the column's id, for the forms' addresses
	Index   int
	Mine    bool
	Text    string
	Content template.HTML
	Embeds  []embedView
	Rows    []rowView
	Last    bool // the latest message: where focus goes after a step
}

type embedView struct {
	Title, Description template.HTML
	Kind               string // question, support, done: the bar's colour
	Fields             []fieldView
	Footer             string
}

type fieldView struct{ Name, Value template.HTML }

type rowView struct {
	Buttons []buttonView
	Select  *selectView
}

type buttonView struct {
	Label, CustomID, Style, Emoji string
	Disabled                      bool
}

type selectView struct {
	CustomID, Placeholder string
	Multi                 bool
	Min, Max              int
	Options               []optionView
	Disabled              bool
}

type optionView struct {
	Label, Value, Description string
	Default                   bool
}

type formView struct {
	CustomID, Title, Label, Placeholder, Value string
	Paragraph                                  bool
	MaxLength                                  int
}

// view reads the column for its template; the caller holds c.mu.
func (c *column) view() colView {
	v := colView{ID: c.id, Name: "Your conversation with PeerVoice"}
	if c.id != "you" {
		v.Name = "Simulated participant " + strings.TrimPrefix(c.id, "m")
	}
	for i, it := range c.items {
		iv := itemView{Col: c.id, Index: i, Mine: it.Mine, Text: it.Text, Content: markdown(it.Msg.Content), Last: i == len(c.items)-1}
		for _, e := range it.Msg.Embeds {
			iv.Embeds = append(iv.Embeds, embedOf(e))
		}
		for _, comp := range it.Msg.Components {
			if row, ok := value(comp).(discordgo.ActionsRow); ok {
				iv.Rows = append(iv.Rows, rowOf(row))
			}
		}
		v.Items = append(v.Items, iv)
	}
	if c.form != nil {
		v.Form = formOf(c.form)
	}
	return v
}

func embedOf(e *discordgo.MessageEmbed) embedView {
	ev := embedView{Title: markdown(e.Title), Description: markdown(e.Description), Kind: embedKinds[e.Color]}
	if ev.Kind == "" {
		ev.Kind = "other"
	}
	for _, f := range e.Fields {
		ev.Fields = append(ev.Fields, fieldView{Name: markdown(f.Name), Value: markdown(f.Value)})
	}
	if e.Footer != nil {
		ev.Footer = e.Footer.Text
	}
	return ev
}

// value reads a component as its value: discordgo decodes pointers, the
// bot builds values.
func value(c discordgo.MessageComponent) discordgo.MessageComponent {
	switch p := c.(type) {
	case *discordgo.ActionsRow:
		return *p
	case *discordgo.Button:
		return *p
	case *discordgo.SelectMenu:
		return *p
	case *discordgo.TextInput:
		return *p
	}
	return c
}

func rowOf(row discordgo.ActionsRow) rowView {
	var rv rowView
	for _, c := range row.Components {
		switch c := value(c).(type) {
		case discordgo.Button:
			b := buttonView{Label: c.Label, CustomID: c.CustomID, Style: buttonStyle(c.Style), Disabled: c.Disabled}
			if c.Emoji != nil {
				b.Emoji = c.Emoji.Name
			}
			rv.Buttons = append(rv.Buttons, b)
		case discordgo.SelectMenu:
			sv := &selectView{CustomID: c.CustomID, Placeholder: c.Placeholder, Max: c.MaxValues, Disabled: c.Disabled, Min: 1}
			if c.MinValues != nil {
				sv.Min = *c.MinValues
			}
			sv.Multi = c.MaxValues > 1
			for _, o := range c.Options {
				sv.Options = append(sv.Options, optionView{Label: o.Label, Value: o.Value, Description: o.Description, Default: o.Default})
			}
			rv.Select = sv
		}
	}
	return rv
}

// embedKinds are the bot's embed colours (bot/render.go), by the kind
// of message each marks; the page's CSS gives each the same colour.
var embedKinds = map[int]string{0x5865F2: "question", 0x2D7D46: "support", 0x99AAB5: "done"}

func buttonStyle(s discordgo.ButtonStyle) string {
	switch s {
	case discordgo.PrimaryButton:
		return "primary"
	case discordgo.SuccessButton:
		return "success"
	case discordgo.DangerButton:
		return "danger"
	}
	return "secondary"
}

func formOf(d *discordgo.InteractionResponseData) *formView {
	f := &formView{CustomID: d.CustomID, Title: d.Title}
	for _, row := range d.Components {
		r, ok := value(row).(discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if ti, ok := value(c).(discordgo.TextInput); ok {
				f.Label, f.Placeholder, f.Value = ti.Label, ti.Placeholder, ti.Value
				f.Paragraph, f.MaxLength = ti.Style == discordgo.TextInputParagraph, ti.MaxLength
			}
		}
	}
	return f
}

var (
	boldRe = regexp.MustCompile(`\*\*(.+?)\*\*`)
	itRe   = regexp.MustCompile(`(^|[^*\w])\*([^*\n]+?)\*`)
	linkRe = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)\s]+)\)`)
)

// markdown shows the little of Discord's Markdown the bot writes: bold,
// italics, links and line breaks. Everything is escaped first.
func markdown(s string) template.HTML {
	h := template.HTMLEscapeString(s)
	h = linkRe.ReplaceAllString(h, `<a href="$2" rel="noreferrer noopener">$1</a>`)
	h = boldRe.ReplaceAllString(h, "<strong>$1</strong>")
	h = itRe.ReplaceAllString(h, "$1<em>$2</em>")
	h = strings.ReplaceAll(h, "\n", "<br>")
	return template.HTML(h)
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
}
