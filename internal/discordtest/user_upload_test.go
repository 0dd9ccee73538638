package discordtest_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

var uploadCommand = &discordgo.ApplicationCommand{
	Name: "upload", Description: "Send the bot a file",
	Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", Description: "The file", Required: true},
	},
}

// TestCommandAttachment: a file attached to a command's attachment option
// reaches a real discordgo client as Discord sends it (the option's value
// is the attachment's id, its description in data.resolved.attachments),
// and its URL serves the exact bytes, counting each download; a wrong
// file name or id is a 404, and an upload of the wrong kind of value is
// refused before anything is sent.
func TestCommandAttachment(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t)
	bot := newErrs()
	seen := make(chan *discordgo.InteractionCreate, 1)
	s := open(t, e, pingBot(bot, seen))
	register(t, s, e, "", uploadCommand)
	data := []byte("id: demo\ntitle: Démo\n")
	up := e.NewUpload("demo.yaml", "application/x-yaml", data)
	alice := e.User("alice")
	if _, err := alice.RunCommand("upload", discordtest.Opt("file", up)); err != nil {
		t.Fatal(err)
	}
	got := <-seen
	d := got.ApplicationCommandData()
	if len(d.Options) != 1 || d.Options[0].Type != discordgo.ApplicationCommandOptionAttachment || d.Options[0].Value != up.ID {
		t.Fatalf("options = %+v; want one attachment option valued %s", d.Options, up.ID)
	}
	a := d.Resolved.Attachments[up.ID]
	if a == nil || a.Filename != "demo.yaml" || a.Size != len(data) || a.URL != up.URL || a.ContentType != "application/x-yaml" {
		t.Fatalf("resolved attachment = %+v; want demo.yaml, %d bytes, at %s", a, len(data), up.URL)
	}
	if n := up.Downloads(); n != 0 {
		t.Errorf("Downloads() = %d before any fetch; want 0", n)
	}
	body, status := fetch(t, e, a.URL)
	if status != http.StatusOK || !bytes.Equal(body, data) {
		t.Errorf("GET %s = %d %q; want 200 %q", a.URL, status, body, data)
	}
	if n := up.Downloads(); n != 1 {
		t.Errorf("Downloads() = %d after one fetch; want 1", n)
	}
	for _, url := range []string{e.URL() + "/ephemeral-attachments/" + e.AppID() + "/" + up.ID + "/other.yaml", e.URL() + "/ephemeral-attachments/" + e.AppID() + "/1/demo.yaml"} {
		if _, status := fetch(t, e, url); status != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", url, status)
		}
	}
	if _, err := alice.RunCommand("upload", discordtest.Opt("file", "demo.yaml")); err == nil {
		t.Error("a string for an attachment option was accepted")
	}
	bot.none(t)
}

func fetch(t *testing.T, e *discordtest.Emulator, url string) ([]byte, int) {
	t.Helper()
	resp, err := e.HTTPClient().Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b, resp.StatusCode
}
