package bot_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	rs "github.com/peervoice/peervoice/research" // research is the test channel helper here
	"github.com/peervoice/peervoice/store"
)

// exportWords is a participant's answer with personal details the
// export must scrub.
const exportWords = "Recovery is my life back. Email me at sam@example.com or ring 07700 900123."

// exportHarness runs the real bot, with a researcher role, a research
// channel and exports from the real export package, on a database where
// alice and bob answered through the participant service and carol
// answered and then withdrew.
type exportHarness struct {
	*harness
	guild               *discordtest.Guild
	research, general   *discordtest.Channel
	researcher, member  *discordtest.User
	alice, bob, carol   string       // participants' Discord ids
	builds              atomic.Int32 // exports built
	tmp                 string       // the bot's temporary directory
	xlsxBytes, zipBytes int64        // the sizes of the two exports
	channelID           func(research *discordtest.Channel) string
	uploadLimit         int64
	emulatorOpts        []discordtest.Option
	noExports           bool // start the bot without an ExportSource
	failBuild           bool // the export fails half-way
}

// exportSource is the export cmd/peervoice gives the bot: built by
// research from the store, scrubbed, XLSX or the CSV files zipped.
func exportSource(db func() *store.DB) bot.ExportSource {
	return func(ctx context.Context, w io.Writer, format string) (bot.ExportSummary, error) {
		sum, err := rs.New(db(), rs.Config{}).Export(ctx, w, format)
		return bot.ExportSummary(sum), err
	}
}

// newExportHarness seeds the database, measures the two exports, and
// lets adjust change the setup (with the sizes known) before the bot
// starts.
func newExportHarness(t *testing.T, adjust func(*exportHarness)) *exportHarness {
	t.Helper()
	h := &exportHarness{channelID: research, alice: "123456789012345678", bob: "223456789012345678", carol: "323456789012345678"}
	path := filepath.Join(t.TempDir(), "peervoice.db")
	// The bot's temporary files go here, so the test can see them go.
	// (The test's own temporary directories stay where the first
	// t.TempDir put them.)
	h.tmp = filepath.Join(t.TempDir(), "tmp")
	if err := os.Mkdir(h.tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", h.tmp)
	seedExport(t, path, h)
	if adjust != nil {
		adjust(h)
	}
	h.harness = newStoppedHarness(t, h.emulatorOpts...)
	h.harness.path = path
	h.guild = h.e.AddGuild("Peer support")
	h.research = h.guild.AddChannel("research")
	h.general = h.guild.AddChannel("general")
	role := h.guild.AddRole("researchers", 0)
	managers := h.guild.AddRole("server managers", discordtest.PermissionManageGuild)
	h.researcher, h.member = h.e.User("researcher"), h.e.User("manager")
	h.guild.AddMember(h.researcher, role, managers)
	h.guild.AddMember(h.member, managers) // Manage Server, but not the researcher role
	source := exportSource(func() *store.DB { return h.db })
	h.configure = func(c *bot.Config) {
		c.GuildID = h.guild.ID
		c.ResearcherRoles = []string{role.ID}
		c.ResearchChannelID = h.channelID(h.research)
		c.UploadLimit = h.uploadLimit
		c.Exports = func(ctx context.Context, w io.Writer, format string) (bot.ExportSummary, error) {
			h.builds.Add(1)
			if h.failBuild {
				w.Write([]byte("PK half a workbook"))
				return bot.ExportSummary{}, errors.New("disk full")
			}
			return source(ctx, w, format)
		}
		if h.noExports {
			c.Exports = nil
		}
	}
	h.start()
	if err := h.e.WaitCommands(ctx(t), h.guild.ID, "export"); err != nil {
		t.Fatalf("bot did not register /export: %v", err)
	}
	return h
}

// seedExport stores the participants' answers through the participant
// service, and measures the exports of them.
func seedExport(t *testing.T, path string, h *exportHarness) {
	t.Helper()
	c := context.Background()
	db := storetest.Open(t, path, store.Options{})
	defer db.Close()
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog {
		cat, _ := flows.Default()
		return cat
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		id, words string
	}{{h.alice, exportWords}, {h.bob, "Being listened to"}, {h.carol, "words of someone who withdrew"}} {
		u := participant.User{Platform: "discord", ID: p.id}
		if _, err := svc.Begin(c, u, "recovery", ""); err != nil {
			t.Fatal(err)
		}
		for _, in := range []flows.Input{{Kind: flows.Choose, Choices: []string{"yes"}}, {Kind: flows.Choose, Choices: []string{"yes"}}, flows.Typed(p.words)} {
			r, err := svc.Input(c, u, participant.Step{Input: in})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range r.Outputs {
				if inv, ok := o.(flows.Invalid); ok {
					t.Fatalf("seeding: %s: %s", inv.Question.ID, inv.Reason)
				}
			}
		}
	}
	if found, err := svc.Withdraw(c, participant.User{Platform: "discord", ID: h.carol}); err != nil || !found {
		t.Fatalf("Withdraw(carol) = %v, %v", found, err)
	}
	source := exportSource(func() *store.DB { return db })
	for _, f := range []struct {
		format string
		size   *int64
	}{{bot.ExportXLSX, &h.xlsxBytes}, {bot.ExportCSV, &h.zipBytes}} {
		var buf bytes.Buffer
		if _, err := source(c, &buf, f.format); err != nil {
			t.Fatal(err)
		}
		*f.size = int64(buf.Len())
	}
	if h.zipBytes >= h.xlsxBytes {
		t.Fatalf("the zip of CSV files (%d bytes) is not smaller than the workbook (%d bytes)", h.zipBytes, h.xlsxBytes)
	}
}

// forbidden is what no export may contain: the participants' Discord ids,
// their pseudonyms, what they wrote of personal details, and the
// withdrawn participant.
func (h *exportHarness) forbidden() []string {
	var out []string
	for _, id := range []string{h.alice, h.bob, h.carol, h.researcher.ID} {
		out = append(out, id, h.db.Pseudonym("discord", id))
	}
	return append(out, "sam@example.com", "07700 900123", "someone who withdrew", "P0003")
}

// runExport runs /export in the general channel and returns the
// researcher's ephemeral answer.
func (h *exportHarness) runExport(t *testing.T, u *discordtest.User, opts ...discordtest.CommandOption) discordtest.Message {
	t.Helper()
	return h.runExportIn(t, h.general, u, opts...)
}

func (h *exportHarness) runExportIn(t *testing.T, ch *discordtest.Channel, u *discordtest.User, opts ...discordtest.CommandOption) discordtest.Message {
	t.Helper()
	if _, err := u.RunCommandIn(ch, "export", opts...); err != nil {
		t.Fatal(err)
	}
	m, err := u.WaitMessage(ctx(t), func(m discordtest.Message) bool { return m.Ephemeral && m.Content != "" })
	if err != nil {
		t.Fatalf("no answer to /export: %v", err)
	}
	return m
}

// posted returns the one message in the research channel, failing the
// test unless there is exactly one, and checks nothing went elsewhere.
func (h *exportHarness) posted(t *testing.T) discordtest.Message {
	t.Helper()
	if got := h.e.ChannelMessages(h.general.ID); len(got) != 0 {
		t.Errorf("%d message(s) in the channel where /export was used; want none", len(got))
	}
	got := h.e.ChannelMessages(h.research.ID)
	if len(got) != 1 {
		t.Fatalf("%d messages in the research channel; want 1", len(got))
	}
	return got[0]
}

// nothingPosted checks that no channel got a message.
func (h *exportHarness) nothingPosted(t *testing.T) {
	t.Helper()
	for _, ch := range []*discordtest.Channel{h.research, h.general} {
		if got := h.e.ChannelMessages(ch.ID); len(got) != 0 {
			t.Errorf("%d message(s) posted in #%s; want none", len(got), ch.Name)
		}
	}
}

// noTempFiles checks the bot removed its temporary files.
func (h *exportHarness) noTempFiles(t *testing.T) {
	t.Helper()
	entries, _ := os.ReadDir(h.tmp)
	for _, e := range entries {
		t.Errorf("temporary file left behind: %s", e.Name())
	}
}

// checkClean fails the test if text holds anything forbidden.
func (h *exportHarness) checkClean(t *testing.T, what, text string) {
	t.Helper()
	for _, f := range h.forbidden() {
		if strings.Contains(text, f) {
			t.Errorf("the %s contains %q", what, f)
		}
	}
	if hex := regexp.MustCompile(`[0-9a-f]{64}`).FindString(text); hex != "" {
		t.Errorf("the %s contains a 64-hex value %s", what, hex)
	}
	if !strings.Contains(text, "Email me at [email] or ring [phone].") {
		t.Errorf("the %s lacks alice's scrubbed words", what)
	}
}
