package terminal_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/terminal"
	"github.com/peervoice/peervoice/uitext"
)

// TestChatMenuInWelsh: with Lang cy the menu, help and goodbye are in
// Welsh, and the Welsh words for help and quit work.
func TestChatMenuInWelsh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peervoice.db")
	var out strings.Builder
	c := &terminal.Chat{Service: service(t, path), User: participant.User{Platform: "terminal", ID: "sam"}, In: strings.NewReader("cymorth\n99\ngadael\n"), Out: &out, Echo: true, Lang: "cy"}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Pa un hoffech chi ei ateb?", "(heb ddechrau)", "Teipiwch rif, neu gadael.",
		uitext.T("cy", uitext.HelpIntro), `doeddwn i ddim yn adnabod "99"`, "Hwyl fawr. Diolch am fod yma.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("transcript lacks %q:\n%s", want, out.String())
		}
	}
}
