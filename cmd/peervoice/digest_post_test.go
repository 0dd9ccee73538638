package main_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"

	"github.com/peervoice/peervoice/internal/discordtest"
)

// TestDigestPostBinary runs `peervoice digest --post` against the
// emulator: the digest lands in the research channel over REST alone,
// a week still under way is not posted, and a missing channel fails
// with the fix.
func TestDigestPostBinary(t *testing.T) {
	dir := t.TempDir()
	now := digestCommunity(t, dir)
	e := newEmulator(t)
	g := e.AddGuild("Peer support")
	ch := g.AddChannel("research")
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL()}

	// This week is not over: its digest is not posted (beside the whole
	// week's, later, it would give away who answered in between).
	r := peervoice(t, dir, "", append(env, "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID="+ch.ID), "digest", "--period", now, "--post")
	if r.code == 0 || !strings.Contains(r.stderr, "not over yet") || len(e.ChannelMessages(ch.ID)) != 0 {
		t.Fatalf("digest --post of the week under way: exit %d, %d messages\n%s\n%s", r.code, len(e.ChannelMessages(ch.ID)), r.stdout, r.stderr)
	}
	// The community answered a week earlier, then: last week is over.
	week := previousWeek(t, now)
	backdate(t, filepath.Join(dir, "peervoice.db"), 7*24*time.Hour)

	r = peervoice(t, dir, "", append(env, "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID="+ch.ID), "digest", "--period", week, "--post")
	if r.code != 0 || !strings.Contains(r.stdout, "Posted the digest for "+week) {
		t.Fatalf("digest --post: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	msgs := e.ChannelMessages(ch.ID)
	if len(msgs) == 0 {
		t.Fatal("nothing was posted in the research channel")
	}
	var all strings.Builder
	for _, m := range msgs {
		all.WriteString(embedText(m) + "\n")
	}
	if !strings.Contains(all.String(), "PeerVoice digest: week "+week) || !strings.Contains(all.String(), "New participants") {
		t.Errorf("the posted digest lacks its title or figures:\n%s", all.String())
	}
	checkDigestAnonymous(t, "the posted digest", all.String())
	if st := e.GatewayStats(); st.Connections != 0 {
		t.Errorf("--post opened %d gateway connections; want REST only", st.Connections)
	}
	charts := 0
	for _, m := range msgs {
		for _, a := range m.Attachments {
			if !bytes.HasPrefix(a.Data, []byte("\x89PNG\r\n\x1a\n")) {
				t.Errorf("attachment %s is not a PNG", a.Filename)
			}
			charts++
		}
	}
	if charts == 0 {
		t.Error("the posted digest has no charts")
	}

	// A complete week is posted once: again says where, and --again
	// posts anew.
	ch2 := g.AddChannel("research-archive")
	env2 := append(env, "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID="+ch2.ID)
	last := previousWeek(t, week)
	r = peervoice(t, dir, "", env2, "digest", "--period", last, "--post")
	first := e.ChannelMessages(ch2.ID)
	if r.code != 0 || len(first) == 0 {
		t.Fatalf("digest --period %s --post: exit %d\n%s\n%s", last, r.code, r.stdout, r.stderr)
	}
	r = peervoice(t, dir, "", env2, "digest", "--period", last, "--post")
	link := "https://discord.com/channels/" + g.ID + "/" + ch2.ID + "/" + first[0].ID
	if r.code != 0 || !strings.Contains(r.stdout, "already posted") || !strings.Contains(r.stdout, link) || len(e.ChannelMessages(ch2.ID)) != len(first) {
		t.Errorf("digest --post a second time: exit %d, %d messages\n%s\n%s", r.code, len(e.ChannelMessages(ch2.ID)), r.stdout, r.stderr)
	}
	r = peervoice(t, dir, "", env2, "digest", "--period", last, "--post", "--again")
	if r.code != 0 || len(e.ChannelMessages(ch2.ID)) != 2*len(first) {
		t.Errorf("digest --post --again: exit %d, %d messages; want %d\n%s", r.code, len(e.ChannelMessages(ch2.ID)), 2*len(first), r.stderr)
	}

	r = peervoice(t, dir, "", append(env, "PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID=123456789012345678"), "digest", "--period", week, "--post", "--again")
	if r.code == 0 || !strings.Contains(r.stderr, "Unknown Channel") || !strings.Contains(r.stderr, "discord.research_channel_id") {
		t.Errorf("digest --post to an unknown channel: exit %d\n%s", r.code, r.stderr)
	}
	r = peervoice(t, dir, "", env, "digest", "--period", week, "--post", "--again")
	if r.code == 0 || !strings.Contains(r.stderr, "discord.research_channel_id") {
		t.Errorf("digest --post with no research channel: exit %d\n%s", r.code, r.stderr)
	}
	// Every --post is in the audit log, the failed ones too.
	r = peervoice(t, dir, "", nil, "audit", "--action", "digest.post")
	if ok, failed := strings.Count(r.stdout, "\tdigest.post\t"+last+"\tok\t"), strings.Count(r.stdout, "\tdigest.post\t"+week+"\tfailed\t"); r.code != 0 || ok != 3 || failed != 2 {
		t.Errorf("audit --action digest.post: exit %d, %d posts of %s ok, %d of %s failed; want 3 and 2:\n%s", r.code, ok, last, failed, week, r.stdout)
	}
}

// embedText is everything a message's embeds say.
func embedText(m discordtest.Message) string {
	var b strings.Builder
	b.WriteString(m.Content)
	for _, e := range m.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
	}
	return b.String()
}

// previousWeek is the ISO week before week ("2026-W49" → "2026-W48").
func previousWeek(t *testing.T, week string) string {
	t.Helper()
	p, err := digest.ParsePeriod(week, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return p.Previous().Name
}

// backdate moves every time the community's rows hold back by d, as if
// they had answered then. The times are RFC 3339 in UTC with
// nanoseconds, a fixed width, and no ciphertext is bound to them.
func backdate(t *testing.T, path string, d time.Duration) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	shift := func(col string) string {
		return col + " = strftime('%Y-%m-%dT%H:%M:%S', " + col + ", '-" + fmt.Sprint(int(d.Seconds())) + " seconds') || substr(" + col + ", 20)"
	}
	for _, q := range []string{
		"UPDATE participants SET " + shift("created_at"),
		"UPDATE consents SET " + shift("given_at"),
		"UPDATE flow_versions SET " + shift("created_at"),
		"UPDATE sessions SET " + shift("started_at") + ", " + shift("updated_at"),
		"UPDATE answers SET " + shift("answered_at"),
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
