package bot

import (
	"testing"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/uitext"
)

// TestRenderKept: a fresh start after a session was closed as a partial
// response tells the participant, before the first question and in their
// language, that their earlier answers were kept.
func TestRenderKept(t *testing.T) {
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := cat.Get("recovery")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "cy"} {
		r := participant.Reply{Kept: true, Flow: f, Session: flows.Session{ID: "s1", Lang: lang},
			Outputs: []flows.Output{flows.Ask{Question: f.Questions[0], Lang: lang}}}
		msgs := renderReply(r, true, "")
		if len(msgs) != 2 || msgs[0].Content != uitext.T(lang, uitext.ExpiredKept) || msgs[1].Ask == nil {
			t.Errorf("renderReply(Kept, %s) = %+v; want the kind message in %s, then the question", lang, msgs, lang)
		}
		r.Kept = false
		if msgs := renderReply(r, true, ""); len(msgs) != 1 {
			t.Errorf("renderReply(not Kept, %s) = %d messages; want the question alone", lang, len(msgs))
		}
	}
}
