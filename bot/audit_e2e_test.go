package bot_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/store"
)

// auditLog returns every entry of the bot's audit log, failing the test
// unless its chain is intact.
func auditLog(t *testing.T, db *store.DB) []audit.Entry {
	t.Helper()
	es, err := db.AuditEntries(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Verify(es); err != nil {
		t.Fatalf("the audit log's chain is broken: %v", err)
	}
	return es
}

// find returns the entries of action with outcome.
func find(es []audit.Entry, action, outcome string) []audit.Entry {
	var out []audit.Entry
	for _, e := range es {
		if e.Action == action && e.Outcome == outcome {
			out = append(out, e)
		}
	}
	return out
}

// auditBytes is everything the audit table holds, read from the file.
func auditBytes(t *testing.T, path string) string {
	t.Helper()
	raw := rawSQL(t, path)
	var s sql.NullString
	if err := raw.QueryRow(`SELECT group_concat(seq || at || actor_kind || actor_id || actor_name || action || target || outcome || details || prev || hash, '|') FROM audit`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s.String
}

func rawSQL(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// askIn runs a command as u in ch and returns the bot's ephemeral answer.
func askIn(t *testing.T, u *discordtest.User, ch *discordtest.Channel, name string, opts ...discordtest.CommandOption) discordtest.Message {
	t.Helper()
	if _, err := u.RunCommandIn(ch, name, opts...); err != nil {
		t.Fatal(err)
	}
	m, err := u.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.Ephemeral && m.Content != "" })
	if err != nil {
		t.Fatalf("no answer to /%s: %v", name, err)
	}
	return m
}

// TestAuditRecordsRefusals: members refused a command are audited: one
// without a staff role (who may be a participant) naming no one, one
// holding the other staff role by id and name; so is a command from a
// server not served. /audit is refused, and audited, for a member with
// no staff role, and shows the entries to a researcher, or only those of
// one action. A participant acting meanwhile, in their DM, is nowhere in
// the audit table: neither their id nor their pseudonym.
func TestAuditRecordsRefusals(t *testing.T) {
	h := newRolesHarness(t)
	pat := h.e.User("pat")
	h.guild.AddMember(pat)
	h.consent(pat, "recovery")
	waitQ(t, pat, ctx(t), "own_words")
	other := h.e.AddGuild("Another server")
	lobby := other.AddChannel("lobby")
	stranger := h.e.User("stranger")
	other.AddMember(stranger)
	nobody, mod := h.member(""), h.member("moderator")
	export := bot.Route{Command: "export"}
	csv := []discordtest.CommandOption{discordtest.Opt("format", bot.ExportCSV)}

	if m := h.run(t, nobody, export, csv); m.Content != "This needs the researcher role." {
		t.Fatalf("/export by a member with no staff role reads %q", m.Content)
	}
	if m := h.run(t, mod, export, csv); m.Content != "This needs the researcher role." {
		t.Fatalf("/export by a moderator reads %q", m.Content)
	}
	if m := askIn(t, stranger, lobby, "help"); !strings.Contains(m.Content, "this server is not it") {
		t.Fatalf("/help from another server reads %q", m.Content)
	}
	if m := h.run(t, nobody, bot.Route{Command: "audit"}, nil); m.Content != "This needs the moderator or researcher role." {
		t.Fatalf("/audit by a member with no staff role reads %q", m.Content)
	}

	es := auditLog(t, h.db)
	anon := audit.Actor{Kind: audit.KindDiscord}
	named := audit.Actor{Kind: audit.KindDiscord, ID: mod.ID, Name: mod.Name}
	got := find(es, "export", audit.Refused)
	if len(got) != 2 || got[0].Actor != anon || got[1].Actor != named || !strings.Contains(got[0].Details, "needs the researcher role") ||
		!strings.Contains(got[0].Details, "not named") || strings.Contains(got[1].Details, "not named") {
		t.Errorf("refused exports = %+v; want one naming no one, then the moderator's, naming them", got)
	}
	if got := find(es, "help", audit.Refused); len(got) != 1 || got[0].Actor != anon || !strings.Contains(got[0].Details, "from server "+other.ID) {
		t.Errorf("refusals of /help = %+v; want one from server %s, naming no one", got, other.ID)
	}
	if got := find(es, "audit", audit.Refused); len(got) != 1 || got[0].Actor != anon {
		t.Errorf("refusals of /audit = %+v; want one, naming no one", got)
	}
	if len(es) != 4 {
		t.Errorf("%d entries; want the 4 above: a participant's own steps are not privileged:\n%+v", len(es), es)
	}

	res := h.member("researcher")
	m := h.run(t, res, bot.Route{Command: "audit"}, []discordtest.CommandOption{discordtest.Opt("limit", 10)})
	for _, want := range []string{"#1 ", "discord export refused: needs the researcher role", mod.Name + " (" + mod.ID + ") export refused", "discord help refused: from server " + other.ID, "discord audit refused"} {
		if !strings.Contains(m.Content, want) {
			t.Errorf("/audit shows %q; want it to hold %q", m.Content, want)
		}
	}
	if m := h.run(t, res, bot.Route{Command: "audit"}, []discordtest.CommandOption{discordtest.Opt("action", "help")}); strings.Contains(m.Content, "export") || !strings.Contains(m.Content, "help refused") {
		t.Errorf("/audit action:help shows %q; want the refusal of /help alone", m.Content)
	}

	raw := auditBytes(t, h.path)
	for _, id := range []string{pat.ID, nobody.ID, stranger.ID} {
		for _, needle := range []string{id, h.db.Pseudonym("discord", id)} {
			if strings.Contains(raw, needle) {
				t.Errorf("the audit table holds %q, a participant's or non-staff member's id or pseudonym:\n%s", needle, raw)
			}
		}
	}
}

// TestAuditRecordsExport: the researcher's export is audited with its
// format and that it was scrubbed, by their id and name; the audit table
// holds none of the exported participants' ids or pseudonyms.
func TestAuditRecordsExport(t *testing.T) {
	h := newExportHarness(t, nil)
	if m := h.runExport(t, h.researcher, discordtest.Opt("format", "csv")); !strings.Contains(m.Content, "Posted the export") {
		t.Fatalf("/export by the researcher reads %q", m.Content)
	}
	es := auditLog(t, h.db)
	researcher := audit.Actor{Kind: audit.KindDiscord, ID: h.researcher.ID, Name: "researcher"}
	if got := find(es, "export", audit.OK); len(es) != 1 || len(got) != 1 || got[0].Actor != researcher || !strings.HasPrefix(got[0].Details, "format=csv scrubbed=true") {
		t.Errorf("audit log = %+v; want one export by %v, csv and scrubbed", es, researcher)
	}
	raw := auditBytes(t, h.path)
	for _, id := range []string{h.alice, h.bob, h.carol} {
		for _, needle := range []string{id, h.db.Pseudonym("discord", id)} {
			if strings.Contains(raw, needle) {
				t.Errorf("the audit table holds %q, a participant's id or pseudonym:\n%s", needle, raw)
			}
		}
	}
}

// TestAuditCommandLongOutput: entries too many for a message come as an
// attached text file, whole.
func TestAuditCommandLongOutput(t *testing.T) {
	h := newExportHarness(t, nil)
	for i := range 60 {
		e := audit.Entry{Actor: audit.Actor{Kind: audit.KindSystem}, Action: "prompt.post", Target: fmt.Sprintf("flow-%02d", i), Outcome: audit.OK, Details: strings.Repeat("x", 40)}
		if err := h.db.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	m := askIn(t, h.researcher, h.general, "audit", discordtest.Opt("limit", 50))
	if len(m.Attachments) != 1 || !strings.Contains(m.Content, "attached file") {
		t.Fatalf("/audit limit:50 reads %q with %d attachments; want a note and one file", m.Content, len(m.Attachments))
	}
	text := string(m.Attachments[0].Data)
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) != 50 || !strings.HasPrefix(lines[0], "#11 ") || !strings.Contains(lines[49], "#60 ") || !strings.Contains(lines[49], "flow-59") {
		t.Errorf("the attached file has %d lines, from %q to %q; want entries 11 to 60", len(lines), lines[0], lines[len(lines)-1])
	}
}

// wantAudited fails the test unless the audit log holds exactly n
// entries of action with outcome, each as ok says (nil: any).
func wantAudited(t *testing.T, db *store.DB, action, outcome string, n int, ok func(audit.Entry) bool) {
	t.Helper()
	got := find(auditLog(t, db), action, outcome)
	if len(got) != n {
		t.Errorf("audit log: %d %s entries of %s; want %d: %+v", len(got), outcome, action, n, got)
		return
	}
	for _, e := range got {
		if ok != nil && !ok(e) {
			t.Errorf("audit log: entry %+v is not as wanted", e)
		}
	}
}
