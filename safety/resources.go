package safety

import "strings"

// Resource is a place a participant can get support.
type Resource struct {
	Name        string `mapstructure:"name" json:"name" yaml:"name"`
	Contact     string `mapstructure:"contact" json:"contact" yaml:"contact"` // e.g. "Call 116 123 (free, 24/7)"
	Description string `mapstructure:"description" json:"description" yaml:"description"`
}

// DefaultResources returns the UK defaults: Samaritans 116 123 (free, any
// time); Shout, text SHOUT to 85258; NHS 111, option 2 (urgent mental health
// help); 999 in an emergency (or A&E). It returns a new slice each time, so
// callers may change it.
func DefaultResources() []Resource {
	return []Resource{
		{
			Name:        "Samaritans",
			Contact:     "Call 116 123 (free, any time)",
			Description: "someone to talk to, whatever you're going through",
		},
		{
			Name:        "Shout",
			Contact:     "Text SHOUT to 85258 (free, any time)",
			Description: "if you'd rather text than talk",
		},
		{
			Name:        "NHS 111",
			Contact:     "Call 111 and choose option 2",
			Description: "urgent mental health help from the NHS",
		},
		{
			Name:        "In an emergency",
			Contact:     "Call 999 or go to A&E",
			Description: "if you might act on these thoughts or can't keep yourself safe right now",
		},
	}
}

// DefaultMessage is the warm, non-clinical text shown before the resources.
// It thanks the person, says they are not alone, and is honest that this
// community is not a crisis service, without telling them what they feel or
// what to do about their health.
const DefaultMessage = "Thank you for telling us how you're feeling. It sounds like things might be really hard right now, and you don't have to face this on your own. We're a peer-support community rather than a crisis service, but these people are there to listen and help:"

// Signpost formats message and resources as plain text for any front end:
// the message, a blank line, then one resource per line as
// "• Name: Contact — Description". Line breaks inside a field are flattened
// so each resource stays on one line; empty fields are left out with their
// punctuation.
func Signpost(message string, resources []Resource) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(message))
	for i, r := range resources {
		switch {
		case i > 0:
			b.WriteByte('\n')
		case b.Len() > 0:
			b.WriteString("\n\n")
		}
		b.WriteString("• " + oneLine(r.Name))
		if c := oneLine(r.Contact); c != "" {
			b.WriteString(": " + c)
		}
		if d := oneLine(r.Description); d != "" {
			b.WriteString(" — " + d)
		}
	}
	return b.String()
}

// oneLine collapses all whitespace in s, including line breaks, to single
// spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
