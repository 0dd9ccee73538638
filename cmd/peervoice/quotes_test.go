package main_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"

	_ "github.com/mattn/go-sqlite3"
)

// runBinary starts peervoice run in dir with env and returns once the
// bot says it is ready (or fails t after 20 s, with what it printed).
func runBinary(t *testing.T, dir string, env []string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, "run")
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "PeerVoice bot ready") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the bot never became ready:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cmd, out
}

// startBot runs `peervoice run` in dir with env until it is ready; stop
// sends SIGTERM and waits for a clean exit.
func startBot(t *testing.T, dir string, env []string) (out *syncBuffer, stop func()) {
	t.Helper()
	cmd, out := runBinary(t, dir, env)
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("bot exit after SIGTERM: %v\n%s", err, out.String())
		}
	}
	t.Cleanup(stop)
	return out, stop
}

// waitMessages waits until the channel holds n messages, and returns them.
func waitMessages(t *testing.T, e *discordtest.Emulator, channelID string, n int, logs *syncBuffer) []discordtest.Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		msgs := e.ChannelMessages(channelID)
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d message(s) in the channel after 30 seconds; want %d\n%s", len(msgs), n, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type digestQuotes struct {
	Quotes []struct {
		ID, Text string
	} `json:"quotes"`
}

func quotesOf(t *testing.T, dir, week string, env []string) digestQuotes {
	t.Helper()
	r := peervoice(t, dir, "", env, "digest", "--period", week, "--format", "json")
	if r.code != 0 {
		t.Fatalf("digest: exit %d\n%s", r.code, r.stderr)
	}
	var d digestQuotes
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestQuoteApprovalBinary: twenty participants answer a quotable question,
// allowing quotes; the real bot posts each scrubbed candidate once to the
// moderator channel (once across a restart too), naming no one; a
// moderator approves one and rejects another; the digest built afterwards
// publishes the approved quote alone. With approval off, nothing goes to
// the moderators and the digest publishes quotes as before.
func TestQuoteApprovalBinary(t *testing.T) {
	dir := t.TempDir()
	week := digestCommunity(t, dir)
	e := newEmulator(t)
	g := e.AddGuild("Peer support")
	mods := g.AddChannel("moderators")
	role := g.AddRole("moderators", 0)
	researchers := g.AddRole("researchers", discordtest.PermissionManageGuild) // Discord offers /digest to Manage Server
	mod := e.User("moderator")
	g.AddMember(mod, role, researchers)
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL(),
		"PEERVOICE_ROLES_MODERATOR=" + role.ID, "PEERVOICE_ROLES_RESEARCHER=" + researchers.ID, "PEERVOICE_DISCORD_GUILD_ID=" + g.ID}
	on := append(env[:len(env):len(env)], "PEERVOICE_DISCORD_MODERATOR_CHANNEL_ID="+mods.ID)

	if d := quotesOf(t, dir, week, nil); len(d.Quotes) != 0 {
		t.Fatalf("before any approval the digest publishes %d quotes; want none", len(d.Quotes))
	}
	logs, stop := startBot(t, dir, on)
	msgs := waitMessages(t, e, mods.ID, 20, logs)
	var all strings.Builder
	find := func(s string) discordtest.Message {
		for _, m := range msgs {
			if strings.Contains(embedText(m), s) {
				return m
			}
		}
		t.Fatalf("no review request says %q", s)
		return discordtest.Message{}
	}
	for _, m := range msgs {
		all.WriteString(embedText(m) + "\n")
		for _, e := range m.Embeds {
			if e.Footer != nil {
				all.WriteString(e.Footer.Text + "\n")
			}
		}
		all.WriteString(strings.Join(m.CustomIDs(), " ") + "\n")
	}
	checkDigestAnonymous(t, "the review requests", all.String())
	three := embedText(find("person 3;"))
	for _, want := range []string{"In your own words, what does recovery mean to you?", "What recovery means to you", "Group: Man"} {
		if !strings.Contains(three, want) {
			t.Errorf("the review request lacks %q:\n%s", want, three)
		}
	}
	if f := find("person 3;").Embeds[0].Footer; f == nil || !strings.Contains(f.Text, week) {
		t.Errorf("the review request does not say its week (%s): %+v", week, f)
	}
	if strings.Contains(all.String(), "example.com") || !strings.Contains(three, "[email") {
		t.Errorf("the review request is not scrubbed:\n%s", three)
	}
	click := func(m discordtest.Message, act bot.Action) {
		t.Helper()
		var quote string
		for _, cid := range m.CustomIDs() {
			if id, err := bot.ParseID(cid); err == nil && id.Action == act {
				quote = id.Value
			}
		}
		in, err := mod.Click(m, bot.ID{Action: act, Value: quote}.String())
		if err != nil {
			t.Fatal(err)
		}
		c, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if _, err := in.WaitResponse(c); err != nil {
			t.Fatal(err)
		}
	}
	// The running bot's /digest reads the decisions afresh: a preview
	// made before the approval, then one after it.
	preview := func(match func(discordtest.Message) bool) {
		t.Helper()
		c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := mod.RunCommandIn(mods, "digest", discordtest.Sub("preview", discordtest.Opt("period", week))); err != nil {
			t.Fatal(err)
		}
		if _, err := mod.WaitMessage(c, match); err != nil {
			t.Fatalf("/digest preview: %v\n%s", err, logs.String())
		}
	}
	preview(func(m discordtest.Message) bool {
		return m.Ephemeral && strings.Contains(m.Content, "Preview of the digest for "+week)
	})
	click(find("person 3;"), bot.ActApproveQuote)
	click(find("person 5;"), bot.ActRejectQuote)
	preview(func(m discordtest.Message) bool { return m.Ephemeral && strings.Contains(embedText(m), "person 3;") })

	d := quotesOf(t, dir, week, nil)
	if len(d.Quotes) != 1 || !strings.Contains(d.Quotes[0].Text, "person 3;") {
		t.Fatalf("after one approval and one rejection the digest publishes %+v; want person 3's quote alone", d.Quotes)
	}
	if strings.Contains(d.Quotes[0].Text, "example.com") {
		t.Errorf("the published quote is not scrubbed: %q", d.Quotes[0].Text)
	}

	// A restart posts nothing again.
	stop()
	logs, stop = startBot(t, dir, on)
	stop()
	if n := len(e.ChannelMessages(mods.ID)); n != 20 {
		t.Errorf("%d review requests after a restart; want the same 20", n)
	}

	// Person 3 withdraws: on the bot's next check (here, the one on
	// start) their words leave the moderator channel, approved as they
	// were; the other requests stay, and nothing is posted again.
	threeID := find("person 3;").ID
	threeQuote := ""
	for _, cid := range find("person 3;").CustomIDs() {
		if id, err := bot.ParseID(cid); err == nil && id.Action == bot.ActApproveQuote {
			threeQuote = id.Value
		}
	}
	if r := peervoice(t, dir, "", nil, "withdraw", "--user", "digest-person-03", "--yes"); r.code != 0 {
		t.Fatalf("withdraw: exit %d\n%s", r.code, r.stderr)
	}
	logs, stop = startBot(t, dir, on)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		m, ok := e.Message(threeID)
		if ok && strings.Contains(embedText(m), "no longer available") {
			if len(m.CustomIDs()) != 0 {
				t.Errorf("the withdrawn request still has buttons: %v", m.CustomIDs())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("person 3's words are still in the moderator channel after their withdrawal:\n%s\n%s", embedText(m), logs.String())
		}
	}
	stop()
	now := e.ChannelMessages(mods.ID)
	if len(now) != 20 {
		t.Errorf("%d review requests after a withdrawal; want the same 20", len(now))
	}
	left := 0
	for _, m := range now {
		if strings.Contains(embedText(m), "person 3;") || (m.ID == threeID && strings.Contains(embedText(m), "what does recovery mean")) {
			t.Errorf("the moderator channel still shows person 3's quote:\n%s", embedText(m))
		}
		if strings.Contains(embedText(m), "Recovery means my own life back") {
			left++
		}
	}
	if left != 19 {
		t.Errorf("%d requests still show their quote; want the other 19", left)
	}
	if d := quotesOf(t, dir, week, nil); len(d.Quotes) != 0 {
		t.Errorf("after the approved quote's author withdrew, the digest publishes %+v; want none", d.Quotes)
	}

	// Person 3's review is forgotten once their words are gone: nothing
	// keeps their quote's id.
	checkReviewTable(t, dir, 19, threeQuote)

	// Approval off: nothing for the moderators, every candidate (up to
	// digest.max_quotes) published.
	off := append(env[:len(env):len(env)], "PEERVOICE_DIGEST_QUOTE_APPROVAL=false")
	quiet := g.AddChannel("moderators-2")
	_, stop = startBot(t, dir, append(off, "PEERVOICE_DISCORD_MODERATOR_CHANNEL_ID="+quiet.ID))
	stop()
	if n := len(e.ChannelMessages(quiet.ID)); n != 0 {
		t.Errorf("with approval off, %d messages went to the moderator channel", n)
	}
	if d := quotesOf(t, dir, week, off); len(d.Quotes) != 10 {
		t.Errorf("with approval off the digest publishes %d quotes; want 10 (digest.max_quotes)", len(d.Quotes))
	}
	if strings.Contains(logs.String(), mod.ID) {
		t.Errorf("the moderator's id was logged")
	}
}

// checkReviewTable fails unless the quote_reviews table has want rows,
// none holding a quote id of gone, and fails if it holds anything about
// a participant: a name, a pseudonym, a Discord id or the answer's words.
func checkReviewTable(t *testing.T, dir string, want int, gone ...string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, "peervoice.db")
	db := storetest.Open(t, path, store.Options{})
	var bad []string
	for i := range 20 {
		name := fmt.Sprintf("digest-person-%02d", i)
		bad = append(bad, name, db.Pseudonym("terminal", name), fmt.Sprintf("person %d;", i))
	}
	bad = append(bad, gone...)
	db.Close()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(ctx, `SELECT * FROM quote_reviews`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		n++
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts = append(parts, fmt.Sprint(v))
		}
		row := strings.Join(parts, " | ")
		for _, b := range bad {
			if strings.Contains(row, b) {
				t.Errorf("quote_reviews holds %q: %v", b, row)
			}
		}
		if m := digestLongHex.FindString(row); m != "" {
			t.Errorf("quote_reviews holds %q, which looks like a pseudonym or session id", m)
		}
	}
	if n != want {
		t.Errorf("quote_reviews has %d rows; want %d", n, want)
	}
}
