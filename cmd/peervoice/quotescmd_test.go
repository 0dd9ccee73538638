package main_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// quoteCommunity has one person for each of answers answer the recovery
// flow's quotable question through `peervoice chat`, in dir, each taking
// part and allowing quotes. It returns the ISO week the answers fell in.
func quoteCommunity(t *testing.T, dir string, answers ...string) string {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	year, week := time.Now().In(loc).ISOWeek()
	for i, a := range answers {
		// Consent: take part, may quote; then the recovery flow.
		in := "1\n1\n" + a + "\n1\n1\n1\n"
		r := peervoice(t, dir, in, nil, "chat", "--user", fmt.Sprintf("quote-person-%02d", i), "--flow", "recovery")
		if r.code != 0 {
			t.Fatalf("chat for person %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	if y, w := time.Now().In(loc).ISOWeek(); y != year || w != week {
		t.Skip("the week changed while the community answered; run again")
	}
	return fmt.Sprintf("%04d-W%02d", year, week)
}

// listedQuote is one quote as `peervoice quotes list` shows it.
type listedQuote struct{ id, week, decision, text string }

var listedHead = regexp.MustCompile(`(?m)^([0-9a-f]{12})  (\S+)  (.*)$`)

// listQuotes runs `peervoice quotes list` with args and returns the quotes
// it shows, by the first words of their text, and its whole output.
func listQuotes(t *testing.T, dir string, env []string, args ...string) (map[string]listedQuote, string) {
	t.Helper()
	r := peervoice(t, dir, "", env, append([]string{"quotes", "list"}, args...)...)
	if r.code != 0 {
		t.Fatalf("quotes list %v: exit %d\n%s", args, r.code, r.stderr)
	}
	out := map[string]listedQuote{}
	blocks := strings.Split(r.stdout, "\n\n")
	for _, b := range blocks {
		m := listedHead.FindStringSubmatch(b)
		if m == nil {
			continue
		}
		_, text, ok := strings.Cut(b, "    > ")
		if !ok {
			t.Fatalf("quotes list shows %s without its text:\n%s", m[1], r.stdout)
		}
		q := listedQuote{id: m[1], week: m[2], decision: m[3], text: strings.TrimSpace(text)}
		key, _, _ := strings.Cut(q.text, ",")
		out[key] = q
	}
	return out, r.stdout
}

// publishedQuotes returns the texts of the quotes the digest of week
// publishes.
func publishedQuotes(t *testing.T, dir, week string, env []string) []string {
	t.Helper()
	var texts []string
	for _, q := range quotesOf(t, dir, week, env).Quotes {
		texts = append(texts, q.Text)
	}
	return texts
}

// TestQuotesCommand: three participants allow quotes; `peervoice quotes
// list` shows each candidate of this week, scrubbed, with its week, its
// question and flow, undecided, naming no one. Approving one from the
// terminal publishes it alone in `peervoice digest`; a rejection keeps
// another out; a decided quote can be changed, and undone, and the
// command says what happened; an unknown id fails, names the id and
// changes nothing, even for the good ids beside it. The review table
// holds no request message for a quote decided here, nor any words.
func TestQuotesCommand(t *testing.T) {
	dir := t.TempDir()
	week := quoteCommunity(t, dir,
		"Alpha, a group that listens; write to me at alpha@example.com",
		"Bravo, walking every morning",
		"Charlie, my own life back")
	quotes, out := listQuotes(t, dir, nil)
	checkDigestAnonymous(t, "quotes list", out)
	if len(quotes) != 3 {
		t.Fatalf("quotes list shows %d quotes; want 3:\n%s", len(quotes), out)
	}
	for _, want := range []string{"Question: In your own words, what does recovery mean to you? (What recovery means to you)", "Quote approval is on", "3 undecided"} {
		if !strings.Contains(out, want) {
			t.Errorf("quotes list does not say %q:\n%s", want, out)
		}
	}
	alpha, bravo, charlie := quotes["Alpha"], quotes["Bravo"], quotes["Charlie"]
	if alpha.text != "Alpha, a group that listens; write to me at [email]" || alpha.week != week || alpha.decision != "undecided" {
		t.Errorf("quotes list shows %+v; want the scrubbed text, week %s, undecided", alpha, week)
	}
	if got := publishedQuotes(t, dir, week, nil); len(got) != 0 {
		t.Fatalf("before any approval the digest publishes %q; want none", got)
	}

	// An unknown id beside a good one: nothing changes.
	r := peervoice(t, dir, "", nil, "quotes", "approve", alpha.id, "0123456789ab")
	if r.code != 1 || !strings.Contains(r.stderr, "no quote candidate 0123456789ab") || !strings.Contains(r.stderr, "nothing changed") {
		t.Errorf("quotes approve with an unknown id: exit %d, %q; want 1, naming the id, nothing changed", r.code, r.stderr)
	}
	if got := publishedQuotes(t, dir, week, nil); len(got) != 0 {
		t.Errorf("after a failed approve the digest publishes %q; want none", got)
	}
	if r := peervoice(t, dir, "", nil, "quotes", "lst"); r.code != 1 || !strings.Contains(r.stderr, `unknown command "lst"`) {
		t.Errorf("quotes lst: exit %d, %q; want 1, naming the unknown command", r.code, r.stderr)
	}
	if r := peervoice(t, dir, "", nil, "quotes", "approve"); r.code != 1 || !strings.Contains(r.stderr, "peervoice quotes list shows them") {
		t.Errorf("quotes approve with no id: exit %d, %q; want 1 and how to find the ids", r.code, r.stderr)
	}

	steps := []struct {
		args      []string
		say       string
		published []string
	}{
		{[]string{"approve", alpha.id}, "Approved quote " + alpha.id + " (" + week + "): the digest publishes it.", []string{alpha.text}},
		{[]string{"reject", bravo.id}, "Rejected quote " + bravo.id, []string{alpha.text}},
		{[]string{"approve", strings.ToUpper(alpha.id)}, "was already approved on ", []string{alpha.text}},
		{[]string{"approve", bravo.id, charlie.id}, "was rejected on ", []string{alpha.text, bravo.text, charlie.text}},
		{[]string{"reject", alpha.id}, "was approved on ", []string{bravo.text, charlie.text}},
		{[]string{"undo", alpha.id, charlie.id}, "is undone: it waits for a decision again", []string{bravo.text}},
		{[]string{"undo", alpha.id}, "has no decision to undo; nothing changed.", []string{bravo.text}},
	}
	for _, st := range steps {
		r := peervoice(t, dir, "", nil, append([]string{"quotes"}, st.args...)...)
		if r.code != 0 || !strings.Contains(r.stdout, st.say) {
			t.Errorf("quotes %v: exit %d, %q%s; want 0, saying %q", st.args, r.code, r.stdout, r.stderr, st.say)
		}
		got := publishedQuotes(t, dir, week, nil)
		slices.Sort(got)
		if strings.Join(got, "|") != strings.Join(st.published, "|") {
			t.Errorf("after quotes %v the digest publishes %q; want %q", st.args, got, st.published)
		}
	}
	// Each decision is on the record, the refused one too.
	r = peervoice(t, dir, "", nil, "audit", "--action", "quote")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 1+len(steps) || !strings.Contains(lines[0], "\tquote.approve\t"+alpha.id+" 0123456789ab\tfailed\t") ||
		!strings.Contains(lines[len(lines)-1], "\tquote.undo\t"+alpha.id+"\tok") {
		t.Errorf("audit --action quote: exit %d, %d lines; want %d, from the failed approval to the last undo:\n%s", r.code, len(lines), 1+len(steps), r.stdout)
	}
	quotes, out = listQuotes(t, dir, nil, "--period", week)
	for _, q := range []struct{ who, decision string }{{"Alpha", "undecided"}, {"Bravo", "approved on "}, {"Charlie", "undecided"}} {
		if !strings.HasPrefix(quotes[q.who].decision, q.decision) {
			t.Errorf("quotes list --period %s shows %s's quote %q; want %q", week, q.who, quotes[q.who].decision, q.decision)
		}
	}
	if all, out := listQuotes(t, dir, nil, "--all"); len(all) != 3 || all["Bravo"] != quotes["Bravo"] || !strings.Contains(out, "3 quote candidate(s) in "+week+";") {
		t.Errorf("quotes list --all shows %+v; want the 3 quotes of %s, the one week with answers:\n%s", all, week, out)
	}
	if r := peervoice(t, dir, "", nil, "quotes", "list", "--all", "--period", week); r.code != 1 || !strings.Contains(r.stderr, "give one of them") {
		t.Errorf("quotes list --all --period: exit %d, %q; want 1", r.code, r.stderr)
	}
	if r := peervoice(t, dir, "", nil, "quotes", "list", "--period", "2026-W99"); r.code != 1 || !strings.Contains(r.stderr, "--period") {
		t.Errorf("quotes list --period 2026-W99: exit %d, %q; want 1, naming --period", r.code, r.stderr)
	}

	// The store holds ids, weeks and decisions: no message, no words.
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "peervoice.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var rows, posted int
	if err := raw.QueryRowContext(context.Background(), `SELECT COUNT(*), COUNT(message_id) FROM quote_reviews`).Scan(&rows, &posted); err != nil {
		t.Fatal(err)
	}
	if rows != 3 || posted != 0 {
		t.Errorf("quote_reviews has %d rows, %d with a message; want 3 decided here, none posted", rows, posted)
	}
	var words int
	if err := raw.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM quote_reviews WHERE quote_id || period || nonce || last_error LIKE '%Alpha%'`).Scan(&words); err != nil || words != 0 {
		t.Errorf("quote_reviews holds the answer's words (%d rows, %v)", words, err)
	}
}

// TestQuotesNeverCrisis: a participant who allowed quotes writes crisis
// language, another does not. With approval off, `peervoice digest`
// publishes the second answer and never the first; `peervoice quotes
// list` does not show it, with approval off or on; and `quotes approve`
// says approval is off and records nothing, while `quotes reject` fails,
// saying how to turn approval on.
func TestQuotesNeverCrisis(t *testing.T) {
	dir := t.TempDir()
	week := quoteCommunity(t, dir, "Honestly I want to kill myself, nothing helps", "Delta, the peer group on Thursdays")
	off := []string{"PEERVOICE_DIGEST_QUOTE_APPROVAL=false"}
	got := publishedQuotes(t, dir, week, off)
	if len(got) != 1 || !strings.HasPrefix(got[0], "Delta") {
		t.Errorf("with approval off the digest publishes %q; want the peer-group answer alone", got)
	}
	for _, env := range [][]string{off, nil} {
		quotes, out := listQuotes(t, dir, env)
		if strings.Contains(out, "kill myself") || len(quotes) != 1 || quotes["Delta"].id == "" {
			t.Errorf("quotes list (%v) shows %+v; want the peer-group answer alone:\n%s", env, quotes, out)
		}
		if len(env) > 0 && quotes["Delta"].decision != "published (quote approval is off)" {
			t.Errorf("with approval off, quotes list shows the decision %q; want it published", quotes["Delta"].decision)
		}
	}
	quotes, _ := listQuotes(t, dir, nil)
	id := quotes["Delta"].id
	r := peervoice(t, dir, "", off, "quotes", "approve", id)
	if r.code != 0 || !strings.Contains(r.stdout, "Quote approval is off") || !strings.Contains(r.stdout, "nothing was recorded") {
		t.Errorf("quotes approve with approval off: exit %d, %q %q; want 0, saying approval is off", r.code, r.stdout, r.stderr)
	}
	r = peervoice(t, dir, "", off, "quotes", "reject", id)
	if r.code != 1 || !strings.Contains(r.stderr, "set digest.quote_approval to true") {
		t.Errorf("quotes reject with approval off: exit %d, %q; want 1, saying how to turn approval on", r.code, r.stderr)
	}
	if got := publishedQuotes(t, dir, week, nil); len(got) != 0 {
		t.Errorf("with approval on the digest publishes %q; want none: nothing was approved while approval was off", got)
	}
}

// TestQuotesBotAsksOnlyUndecided: when the bot starts with a moderator
// channel, it puts to the moderators neither a quote approved from the
// terminal nor one the crisis check flags; the undecided one it posts. To
// know that the bot's check went through every candidate, the undecided
// quote's author then withdraws it: the next check removes its words
// from the channel only after it has posted whatever it would post.
func TestQuotesBotAsksOnlyUndecided(t *testing.T) {
	dir := t.TempDir()
	week := quoteCommunity(t, dir, "Echo, a place to be heard", "Foxtrot, being believed", "Honestly I want to kill myself, nothing helps")
	quotes, _ := listQuotes(t, dir, nil)
	decided, open := quotes["Echo"], quotes["Foxtrot"]
	if r := peervoice(t, dir, "", nil, "quotes", "approve", decided.id); r.code != 0 {
		t.Fatalf("quotes approve: exit %d\n%s", r.code, r.stderr)
	}
	e := newEmulator(t)
	g := e.AddGuild("Peer support")
	mods := g.AddChannel("moderators")
	env := []string{"PEERVOICE_DISCORD_TOKEN=" + e.Token(), "PEERVOICE_DISCORD_API_URL=" + e.URL(), "PEERVOICE_DISCORD_MODERATOR_CHANNEL_ID=" + mods.ID}
	logs, stop := startBot(t, dir, env)
	asked := waitMessages(t, e, mods.ID, 1, logs)[0]
	stop()
	if !strings.Contains(embedText(asked), open.text) {
		t.Fatalf("the bot asked the moderators about %q; want the undecided quote %q", embedText(asked), open.text)
	}
	quotes, _ = listQuotes(t, dir, nil)
	if d := quotes["Foxtrot"].decision; d != "undecided (asked in the moderator channel)" {
		t.Errorf("quotes list shows the posted quote as %q; want undecided, asked in the moderator channel", d)
	}

	if r := peervoice(t, dir, "", nil, "withdraw", "--user", "quote-person-01", "--yes"); r.code != 0 {
		t.Fatalf("withdraw: exit %d\n%s", r.code, r.stderr)
	}
	logs, stop = startBot(t, dir, env)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if m, ok := e.Message(asked.ID); ok && strings.Contains(embedText(m), "no longer available") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the withdrawn quote is still in the moderator channel:\n%s", logs.String())
		}
	}
	stop()
	var texts []string
	for _, m := range e.ChannelMessages(mods.ID) {
		texts = append(texts, embedText(m))
	}
	if len(texts) != 1 || strings.Contains(strings.Join(texts, "\n"), "kill myself") || strings.Contains(strings.Join(texts, "\n"), "Echo") {
		t.Errorf("the moderator channel has %q; want the one request, withdrawn: nothing about the decided quote or the crisis answer", texts)
	}
	if got := publishedQuotes(t, dir, week, nil); len(got) != 1 || got[0] != decided.text {
		t.Errorf("the digest publishes %q; want the quote approved from the terminal, %q", got, decided.text)
	}
}
