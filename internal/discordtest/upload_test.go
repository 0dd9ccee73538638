package discordtest_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestUploadLimit: the files of one message together may be as large as
// the upload limit and no larger; over it, Discord's 413 (40005).
func TestUploadLimit(t *testing.T) {
	t.Parallel()
	e := discordtest.New(t, discordtest.WithUploadLimit(1000))
	s := open(t, e)
	ch := e.AddGuild("Peer support").AddChannel("research")
	file := func(name string, n int) *discordgo.File {
		return &discordgo.File{Name: name, ContentType: "application/zip", Reader: bytes.NewReader(make([]byte, n))}
	}
	if _, err := s.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Content: "two files, 1000 bytes", Files: []*discordgo.File{file("a.zip", 600), file("b.zip", 400)}}); err != nil {
		t.Fatalf("send at the limit = %v; want it accepted", err)
	}
	e.ExpectViolation("1001 bytes of files uploaded; the limit is 1000 bytes")
	_, err := s.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{Content: "over", Files: []*discordgo.File{file("a.zip", 600), file("b.zip", 401)}})
	if code, status := restCode(err); code != 40005 || status != http.StatusRequestEntityTooLarge {
		t.Errorf("send over the limit = %v; want 413 Request entity too large (40005)", err)
	}
	if got := e.ChannelMessages(ch.ID); len(got) != 1 || got[0].Content != "two files, 1000 bytes" || len(got[0].Attachments) != 2 {
		t.Errorf("channel holds %+v; want only the message at the limit, with its two files", got)
	}
}

// TestUploadParts: multipart bodies are checked like JSON bodies, and
// their files' fields and names as Discord does.
func TestUploadParts(t *testing.T) {
	t.Parallel()
	type part struct{ field, filename, data string }
	tests := []struct {
		name    string
		payload string
		parts   []part
		want    string // the violation; "" for none
	}{
		{"ok", `{"content":"x","attachments":[{"id":"0","filename":"a.csv"}]}`, []part{{"files[0]", "a.csv", "a,b"}}, ""},
		{"payload_json checked", `{"content":"` + strings.Repeat("x", 2001) + `"}`, []part{{"files[0]", "a.csv", "a"}}, "content is 2001 characters"},
		{"field name", `{"content":"x"}`, []part{{"file", "a.csv", "a"}}, `multipart field "file": files go in fields named files[0] to files[9]`},
		{"field index", `{"content":"x"}`, []part{{"files[10]", "a.csv", "a"}}, `multipart field "files[10]"`},
		{"twice", `{"content":"x"}`, []part{{"files[0]", "a.csv", "a"}, {"files[0]", "b.csv", "b"}}, `"files[0]" appears twice`},
		{"no filename", `{"content":"x"}`, []part{{"files[0]", "", "a"}}, `"files[0]" has no filename`},
		{"path", `{"content":"x"}`, []part{{"files[0]", "../etc/a.csv", "a"}}, `a file name, not a path`},
		{"unmatched attachment", `{"content":"x","attachments":[{"id":"1","filename":"b.csv"}]}`, []part{{"files[0]", "a.csv", "a"}}, "id 1 names files[1], which was not uploaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := discordtest.New(t)
			ch := e.AddGuild("Peer support").AddChannel("research")
			if tt.want != "" {
				e.ExpectViolation(tt.want)
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="payload_json"`)
			h.Set("Content-Type", "application/json")
			w, _ := mw.CreatePart(h)
			w.Write([]byte(tt.payload))
			for _, p := range tt.parts {
				h := textproto.MIMEHeader{}
				disp := fmt.Sprintf(`form-data; name=%q`, p.field)
				if p.filename != "" {
					disp += fmt.Sprintf(`; filename=%q`, p.filename)
				}
				h.Set("Content-Disposition", disp)
				w, _ := mw.CreatePart(h)
				w.Write([]byte(p.data))
			}
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, e.URL()+"/api/v10/channels/"+ch.ID+"/messages", &body)
			req.Header.Set("Authorization", "Bot "+e.Token())
			req.Header.Set("Content-Type", mw.FormDataContentType())
			resp, err := e.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := http.StatusOK
			if tt.want != "" {
				want = http.StatusBadRequest
			}
			if resp.StatusCode != want {
				t.Errorf("status = %d; want %d", resp.StatusCode, want)
			}
			if v := e.Violations(); (tt.want == "") != (len(v) == 0) {
				t.Errorf("violations = %v; want %q", v, tt.want)
			}
			if got := len(e.ChannelMessages(ch.ID)); got != 1-min(1, len(tt.want)) {
				t.Errorf("%d messages posted", got)
			}
		})
	}
}
