package bot_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil"
)

// extraQuestion is a question added at the end of risk.yaml.
const extraQuestion = `
  - id: risk_extra
    type: choice
    prompt: Is there anything else about risk you want to tell us?
    options:
      - {id: "yes", label: "Yes"}
      - {id: "no", label: "No"}
`

// TestFlowsUploadPublishRollback walks a flow through its life from
// Discord: a file uploaded through the emulator's CDN becomes a draft
// shown with its diff, and changes nothing live; Publish makes it v2,
// told in the moderator channel; history lists both; show returns the
// exact bytes; rollback makes v1's source live as v3; close and reopen
// show in the list.
func TestFlowsUploadPublishRollback(t *testing.T) {
	h := newFlowsHarness(t)
	v1 := packSource(t, "risk")
	v2 := append(edited(t, v1, "mostly\n      focused on?", "mostly\n      been about?"), extraQuestion...)

	draft, up := h.uploadFile(h.moderator, "risk.yaml", v2)
	testutil.Golden(t, "testdata/flows/upload_draft.txt", draft.Content+"\n"+strings.Join(buttonLabels(draft), " | ")+"\n")
	if n := up.Downloads(); n != 1 {
		t.Errorf("the upload was downloaded %d times; want once", n)
	}
	if n := h.fake.versions("risk"); n != 1 {
		t.Errorf("after the upload risk has %d versions; want still 1 (a draft is not live)", n)
	}
	if got := h.run(h.moderator, "list").Content; !strings.Contains(got, "`risk` **Risk and the life you want**: v1 live, open, 7 questions, 0 responses · a draft awaits publication") {
		t.Errorf("list = %q; want risk at v1 with a draft waiting", got)
	}

	live := h.click(h.moderator, draft, "Publish")
	if want := "**risk** v2 is live. People part-way through keep the version they started on; new starts get v2."; live.Content != want {
		t.Errorf("Publish = %q; want %q", live.Content, want)
	}
	notice, err := h.e.WaitChannelMessage(ctx(t), h.mods.ID, discordtest.ContentContains("**risk** v2 is live"))
	if err != nil {
		t.Fatalf("no notice in the moderator channel: %v", err)
	}
	testutil.Golden(t, "testdata/flows/live_notice.txt", notice.Content+"\n")
	if again := h.click(h.moderator, draft, "Publish"); !strings.Contains(again.Content, "no longer the one awaiting publication") {
		t.Errorf("a second Publish on the same draft = %q; want it refused", again.Content)
	}

	h.clock.Advance(90 * 60e9)
	back := h.run(h.moderator, "rollback", discordtest.Opt("id", "risk"), discordtest.Opt("version", 1))
	if want := "**risk** v1's questions are live again, as v3 (history is never rewritten). People part-way through keep the version they started on."; back.Content != want {
		t.Errorf("rollback = %q; want %q", back.Content, want)
	}
	if _, err := h.e.WaitChannelMessage(ctx(t), h.mods.ID, discordtest.ContentContains("**risk** v3 is live")); err != nil {
		t.Errorf("no notice of the rollback in the moderator channel: %v", err)
	}
	hist := h.run(h.moderator, "history", discordtest.Opt("id", "risk"))
	testutil.Golden(t, "testdata/flows/history.txt", hist.Content+"\n")

	for _, tt := range []struct {
		version int
		name    string
		want    []byte
	}{{1, "risk-v1.yaml", v1}, {2, "risk-v2.yaml", v2}, {3, "risk-v3.yaml", v1}, {0, "risk-v3.yaml", v1}} {
		var opts []discordtest.CommandOption
		opts = append(opts, discordtest.Opt("id", "risk"))
		if tt.version > 0 {
			opts = append(opts, discordtest.Opt("version", tt.version))
		}
		m := h.run(h.moderator, "show", opts...)
		if tt.version == 0 && m.Content != "**risk** v3, live: published 3 Dec 2026 11:00 UTC by Robin. The source is attached exactly as published." {
			t.Errorf("show of the live version says %q", m.Content)
		}
		name, data := attached(t, m)
		if name != tt.name || !bytes.Equal(data, tt.want) {
			t.Errorf("show version:%d attached %s (%d bytes, equal %v); want %s, exactly the source (%d bytes)", tt.version, name, len(data), bytes.Equal(data, tt.want), tt.name, len(tt.want))
		}
	}
	if got := h.run(h.moderator, "show", discordtest.Opt("id", "risk"), discordtest.Opt("version", 9)).Content; got != "`risk` has no such version: `/flows history id:risk` lists them." {
		t.Errorf("show version:9 = %q", got)
	}

	closed := h.run(h.moderator, "close", discordtest.Opt("id", "risk"))
	if want := "**risk** is closed: it has left the `/survey` menu and nobody can start it. People part-way through may finish. `/flows reopen id:risk` opens it again."; closed.Content != want {
		t.Errorf("close = %q; want %q", closed.Content, want)
	}
	if got := h.run(h.moderator, "list").Content; !strings.Contains(got, "`risk` **Risk and the life you want**: v3 live, closed, 7 questions") {
		t.Errorf("list after close = %q; want risk closed at v3", got)
	}
	if got := h.run(h.moderator, "reopen", discordtest.Opt("id", "risk")).Content; got != "**risk** is open again: people can start it from `/survey`." {
		t.Errorf("reopen = %q", got)
	}
	list := h.run(h.moderator, "list")
	testutil.Golden(t, "testdata/flows/list.txt", list.Content+"\n")
	if got := h.run(h.moderator, "close", discordtest.Opt("id", "nope")).Content; !strings.HasPrefix(got, "There is no flow `nope`.") {
		t.Errorf("close of an unknown flow = %q", got)
	}
}

// TestFlowsUploadBroken: a flow file with problems is refused with its
// problems by line and column, the first ten in the reply and all of
// them in an attached file; nothing changes: no draft, no version.
func TestFlowsUploadBroken(t *testing.T) {
	h := newFlowsHarness(t)
	var src strings.Builder
	src.WriteString("id: risk\ntitle: Broken\nquestions:\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&src, "  - id: q%d\n    type: bogus\n    prompt: Question %d?\n", i, i)
	}
	m, _ := h.uploadFile(h.moderator, "risk.yaml", []byte(src.String()))
	name, all := attached(t, m)
	testutil.Golden(t, "testdata/flows/upload_broken.txt", m.Content+"\n--- "+name+"\n"+string(all))
	if !strings.Contains(m.Content, "\n5:11: ") || strings.Count(m.Content, "\n") < 11 {
		t.Errorf("the reply does not list problems as line:col: message: %q", m.Content)
	}
	if lines := strings.Count(string(all), "risk.yaml:"); lines != 12 {
		t.Errorf("the attached file lists %d problems; want all 12", lines)
	}
	if n := h.fake.versions("risk"); n != 1 {
		t.Errorf("risk has %d versions after a broken upload; want 1", n)
	}
	if d, ok, _ := h.fake.Draft(ctx(t), "risk"); ok {
		t.Errorf("a broken upload left a draft: %+v", d.Hash)
	}
	if len(m.Components) != 0 {
		t.Errorf("a refused upload offers buttons: %v", m.CustomIDs())
	}
}

// TestFlowsUploadRefused: a file over 256 KiB is refused from the size
// Discord gives, before a byte is downloaded; one whose size was given
// wrong is read no further than the limit and refused the same; a file
// that is not UTF-8 is refused; each changes nothing.
func TestFlowsUploadRefused(t *testing.T) {
	h := newFlowsHarness(t)
	big := append(packSource(t, "risk"), bytes.Repeat([]byte("# padding\n"), 30<<10)...)
	tooLarge := "`risk.yaml` is larger than 256 KiB, the most a flow file may be; nothing changed. A flow that large is probably not a flow file: check you attached the right one."

	m, up := h.uploadFile(h.moderator, "risk.yaml", big)
	if m.Content != tooLarge || up.Downloads() != 0 {
		t.Errorf("a %d-byte upload: %q, downloaded %d times; want %q without a download", len(big), m.Content, up.Downloads(), tooLarge)
	}
	lying := h.e.NewUpload("risk.yaml", "application/x-yaml", big)
	lying.Size = 2000
	if m := h.run(h.moderator, "upload", discordtest.Opt("file", lying)); m.Content != tooLarge {
		t.Errorf("an upload whose size was given as 2000 bytes: %q; want %q", m.Content, tooLarge)
	}
	latin1 := edited(t, packSource(t, "risk"), "Thank you", "Diolch \xe2\x80\x94 caf\xe9")
	if m, _ := h.uploadFile(h.moderator, "risk.yaml", latin1); !strings.HasPrefix(m.Content, "`risk.yaml` is not UTF-8 text, so it cannot be a flow file; nothing changed.") {
		t.Errorf("a Latin-1 upload: %q; want it refused as not UTF-8", m.Content)
	}
	if n := h.fake.versions("risk"); n != 1 {
		t.Errorf("risk has %d versions; want 1", n)
	}
	if _, ok, _ := h.fake.Draft(ctx(t), "risk"); ok {
		t.Error("a refused upload left a draft")
	}
}

// TestFlowsConfirmWhenAnswersAffected: a draft that removes an option
// people have chosen says how many answers it touches, and is published
// only with an explicit confirmation: /flows publish without confirm
// publishes nothing and offers Publish anyway, which does.
func TestFlowsConfirmWhenAnswersAffected(t *testing.T) {
	h := newFlowsHarness(t)
	h.fake.mu.Lock()
	h.fake.answers["risk/risk_open/not_sure"] = 3
	h.fake.mu.Unlock()
	src := edited(t, packSource(t, "risk"), "      - {id: partly, label: \"Partly\"}\n      - {id: \"no\", label: \"No\"}\n      - {id: not_sure, label: \"Not sure\"}\n", "      - {id: partly, label: \"Partly\"}\n      - {id: \"no\", label: \"No\"}\n")
	draft, _ := h.uploadFile(h.moderator, "risk.yaml", src)
	if !strings.Contains(draft.Content, "These changes touch **3 answers** already given. Publishing needs your confirmation") {
		t.Errorf("draft = %q; want it to say 3 answers are touched and confirmation is needed", draft.Content)
	}
	if got := strings.Join(buttonLabels(draft), " | "); got != "Preview | Publish anyway" {
		t.Errorf("draft buttons = %s; want Preview | Publish anyway", got)
	}
	refused := h.run(h.moderator, "publish", discordtest.Opt("id", "risk"))
	testutil.Golden(t, "testdata/flows/publish_needs_confirm.txt", refused.Content+"\n")
	if n := h.fake.versions("risk"); n != 1 {
		t.Fatalf("publish without confirm made %d versions; want still 1", n)
	}
	live := h.click(h.moderator, refused, "Publish anyway")
	if !strings.HasPrefix(live.Content, "**risk** v2 is live.") || h.fake.versions("risk") != 2 {
		t.Errorf("Publish anyway = %q (%d versions); want v2 live", live.Content, h.fake.versions("risk"))
	}
	if got := h.run(h.moderator, "publish", discordtest.Opt("id", "risk"), discordtest.Opt("confirm", true)).Content; got != "There is no draft of `risk` to publish: upload one first with `/flows upload`." {
		t.Errorf("publish with no draft = %q", got)
	}
}
