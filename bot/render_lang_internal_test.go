package bot

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/flows"
)

// TestLanguageControls checks the language control on a question: none
// for a flow in one language, a button naming the other language in that
// language for two, and a menu of them all for three or more.
func TestLanguageControls(t *testing.T) {
	for _, tt := range []struct {
		langs  []string
		lang   string
		button string   // the label of the one language button
		menu   []string // the menu's options, when there is one
	}{
		{nil, "", "", nil},
		{[]string{"en"}, "en", "", nil},
		{[]string{"cy", "en"}, "en", "Cymraeg", nil},
		{[]string{"cy", "en"}, "cy", "English", nil},
		{[]string{"en", "cy", "pl"}, "cy", "", []string{"English", "Cymraeg", "Polski"}},
	} {
		src := "id: f\ntheme: T\nquestions:\n  - id: q\n    type: text\n"
		if len(tt.langs) > 0 {
			var title, prompt []string
			for _, l := range tt.langs {
				title, prompt = append(title, l+": T"+l), append(prompt, l+": P"+l)
			}
			src = "id: f\ntheme: T\nlanguages: [" + strings.Join(tt.langs, ", ") + "]\ntitle: {" + strings.Join(title, ", ") + "}\nquestions:\n  - id: q\n    type: text\n    prompt: {" + strings.Join(prompt, ", ") + "}\n"
		} else {
			src += "    prompt: P\ntitle: T\n"
		}
		cat, probs := flows.Load(fstest.MapFS{"f.yaml": {Data: []byte(src)}}, "")
		if err := probs.Err(); err != nil {
			t.Fatal(err)
		}
		f, _ := cat.Get("f")
		_, outs := flows.Start(f, "s", tt.lang, time.Time{})
		var button string
		var menu []string
		for _, row := range askComponents(f, "s", outs[0].(flows.Ask)) {
			for _, c := range row.(discordgo.ActionsRow).Components {
				switch c := c.(type) {
				case discordgo.Button:
					if id, _ := ParseID(c.CustomID); id.Action == ActLang {
						button = c.Label
					}
				case discordgo.SelectMenu:
					if id, _ := ParseID(c.CustomID); id.Action == ActLang {
						for _, o := range c.Options {
							menu = append(menu, o.Label)
						}
					}
				}
			}
		}
		if button != tt.button || strings.Join(menu, ",") != strings.Join(tt.menu, ",") {
			t.Errorf("languages %v shown in %q: button %q, menu %v; want %q, %v", tt.langs, tt.lang, button, menu, tt.button, tt.menu)
		}
	}
}
