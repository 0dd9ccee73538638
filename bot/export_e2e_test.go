package bot_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/participant"
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

// exportSource is the export cmd/peervoice gives the bot: scrubbed,
// XLSX or the CSV files zipped, from the store.
func exportSource(db func() *store.DB) bot.ExportSource {
	return func(ctx context.Context, w io.Writer, format string) (bot.ExportSummary, error) {
		var sum export.Summary
		var err error
		if format == bot.ExportXLSX {
			sum, err = export.WriteXLSX(ctx, db(), w, "", export.Options{})
		} else {
			sum, err = export.WriteCSVZip(ctx, db(), w, export.Options{})
		}
		return bot.ExportSummary{Participants: sum.Participants, Answers: sum.Answers}, err
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
	if err := h.e.WaitCommands(ctx(t), "", "export"); err != nil {
		t.Fatalf("bot did not register /export: %v", err)
	}
	return h
}

// seedExport stores the participants' answers through the participant
// service, and measures the exports of them.
func seedExport(t *testing.T, path string, h *exportHarness) {
	t.Helper()
	c := context.Background()
	db, err := store.Open(c, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
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

// unzipAll returns the files of a zip archive by name, in order.
func unzipAll(t *testing.T, b []byte) ([]string, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip file: %v", err)
	}
	var names []string
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		files[f.Name] = string(data)
	}
	return names, files
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

func TestExportPostsWorkbookInResearchChannel(t *testing.T) {
	h := newExportHarness(t, nil)
	reply := h.runExport(t, h.researcher)
	m := h.posted(t)
	link := "https://discord.com/channels/" + h.guild.ID + "/" + h.research.ID + "/" + m.ID
	if !strings.Contains(reply.Content, "Posted the export") || !strings.Contains(reply.Content, link) {
		t.Errorf("the researcher reads %q; want a confirmation with the link %s", reply.Content, link)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("the research channel's message has %d attachments; want 1", len(m.Attachments))
	}
	a := m.Attachments[0]
	if !strings.HasSuffix(a.Filename, ".xlsx") || int64(len(a.Data)) != h.xlsxBytes {
		t.Errorf("attachment %s of %d bytes; want an .xlsx of %d bytes", a.Filename, len(a.Data), h.xlsxBytes)
	}
	if !strings.Contains(m.Content, "2 answers from 2 participants") || !strings.Contains(m.Content, "<@"+h.researcher.ID+">") {
		t.Errorf("the post says %q; want the counts and who asked", m.Content)
	}
	_, parts := unzipAll(t, a.Data)
	var xml strings.Builder
	for _, p := range parts {
		xml.WriteString(p)
	}
	h.checkClean(t, "workbook", xml.String())
	f, err := excelize.OpenReader(bytes.NewReader(a.Data))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Answers,Framework matrix,Codebook,About" {
		t.Errorf("sheets = %s; want Answers,Framework matrix,Codebook,About", got)
	}
	rows, err := f.GetRows("Answers")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range rows[1:] {
		codes = append(codes, r[0])
	}
	if got := strings.Join(codes, ","); got != "P0001,P0002" {
		t.Errorf("participants in Answers = %s; want P0001,P0002 (carol withdrew)", got)
	}
	if h.builds.Load() != 1 {
		t.Errorf("%d exports built; want 1", h.builds.Load())
	}
	if r := h.e.RequestsTo("POST /channels/{channel_id}/messages"); len(r) != 1 || len(r[0].Files) != 1 {
		t.Errorf("requests = %d; want one upload", len(r))
	}
	h.noTempFiles(t)
}

// TestExportDeferredInResearchChannel: when building takes a while the
// bot defers, and the confirmation replaces "thinking"; used in the
// research channel itself, the export is still posted once, as a message
// of its own, and the confirmation stays the researcher's.
func TestExportDeferredInResearchChannel(t *testing.T) {
	defer bot.SetAckAfter(0)()
	h := newExportHarness(t, nil)
	reply := h.runExportIn(t, h.research, h.researcher)
	if !reply.Ephemeral || reply.Followup || reply.Edits == 0 || !strings.Contains(reply.Content, "Posted the export") {
		t.Errorf("reply: ephemeral %v, follow-up %v, edits %d, %q; want the deferred response edited into the confirmation", reply.Ephemeral, reply.Followup, reply.Edits, reply.Content)
	}
	if got := h.e.ChannelMessages(h.research.ID); len(got) != 1 || len(got[0].Attachments) != 1 || got[0].InteractionID != "" {
		t.Errorf("research channel holds %d public message(s); want one with the file, not an interaction response", len(got))
	}
	h.noTempFiles(t)
}

func TestExportCSVZip(t *testing.T) {
	h := newExportHarness(t, nil)
	reply := h.runExport(t, h.researcher, discordtest.Opt("format", "csv"))
	m := h.posted(t)
	if !strings.Contains(reply.Content, "CSV files (zip)") {
		t.Errorf("the researcher reads %q", reply.Content)
	}
	if len(m.Attachments) != 1 || !strings.HasSuffix(m.Attachments[0].Filename, "-csv.zip") {
		t.Fatalf("attachments = %+v; want one .zip", m.Attachments)
	}
	names, files := unzipAll(t, m.Attachments[0].Data)
	if got := strings.Join(names, ","); got != "answers.csv,framework-matrix.csv,codebook.csv,about.csv" {
		t.Errorf("files in the zip = %s", got)
	}
	h.checkClean(t, "CSV export", strings.Join([]string{files["answers.csv"], files["framework-matrix.csv"]}, "\n"))
	records, err := csv.NewReader(strings.NewReader(files["answers.csv"])).ReadAll()
	if err != nil {
		t.Fatalf("answers.csv: %v", err)
	}
	if len(records) != 3 || records[1][0] != "P0001" || records[2][0] != "P0002" {
		t.Errorf("answers.csv = %q; want P0001 and P0002 only", records)
	}
	h.noTempFiles(t)
}

func TestExportNeedsTheResearcherRole(t *testing.T) {
	h := newExportHarness(t, nil)
	reply := h.runExport(t, h.member)
	if !strings.Contains(reply.Content, "This needs the researcher role.") {
		t.Errorf("a member without the role reads %q; want a refusal", reply.Content)
	}
	h.nothingPosted(t)
	if h.builds.Load() != 0 {
		t.Errorf("%d exports built for a refused member", h.builds.Load())
	}
	if !strings.Contains(h.logs.String(), "privileged command refused") || !strings.Contains(h.logs.String(), "command=export") {
		t.Errorf("the refusal was not logged:\n%s", h.logs.String())
	}
}

// TestExportPostProblems: no research channel, an unknown one, or a
// channel the bot may not post files in: the researcher is told the fix,
// the admin reads it in the log, and nothing is posted anywhere. Nor is
// anything posted when the bot has no exports, or an export fails
// half-way: never a partial file.
func TestExportPostProblems(t *testing.T) {
	for _, tc := range []struct {
		name    string
		channel func(*discordtest.Channel) string
		fault   *discordtest.Fault
		says    []string
		logs    string
		built   int32
	}{
		{"not configured", func(*discordtest.Channel) string { return "" }, nil,
			[]string{"discord.research_channel_id", "never posted anywhere else"}, "cannot post export", 0},
		{"unknown", func(*discordtest.Channel) string { return "123456789012345678" }, nil,
			[]string{"Unknown Channel", "discord.research_channel_id", "Attach Files", "Nothing was posted"}, "cannot post export", 1},
		{"missing permissions", research, ptrTo(discordtest.APIError(http.StatusForbidden, 50013, "Missing Permissions")),
			[]string{"Missing Permissions", "give the bot Send Messages and Attach Files in #research", "Nothing was posted"}, "cannot post export", 1},
		{"no exports", nil, nil, []string{"Exports are not available from this bot", "peervoice export --format xlsx"}, "started without exports", 0},
		{"export fails", nil, nil, []string{"Sorry, something went wrong on our side"}, "disk full", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newExportHarness(t, func(h *exportHarness) {
				if tc.channel != nil {
					h.channelID = tc.channel
				}
				h.noExports = tc.name == "no exports"
				h.failBuild = tc.name == "export fails"
			})
			if tc.fault != nil {
				h.e.FailNext("POST /channels/{channel_id}/messages", 1, *tc.fault)
			}
			reply := h.runExport(t, h.researcher)
			for _, s := range tc.says {
				if !strings.Contains(reply.Content, s) {
					t.Errorf("the researcher reads %q; want %q in it", reply.Content, s)
				}
			}
			h.nothingPosted(t)
			if got := h.builds.Load(); got != tc.built {
				t.Errorf("%d exports built; want %d", got, tc.built)
			}
			if !strings.Contains(h.logs.String(), tc.logs) {
				t.Errorf("not logged (%q):\n%s", tc.logs, h.logs.String())
			}
			h.noTempFiles(t)
		})
	}
}

// TestExportTooLarge: a workbook over the upload limit is replaced by the
// CSV files zipped; when those are too large too, nothing is posted and
// the researcher learns how to get the export on the server. The limits
// are set between the sizes of this study's exports.
func TestExportTooLarge(t *testing.T) {
	for _, tc := range []struct {
		name string
		// limits of the bot and of the emulator, from the exports' sizes
		limits func(h *exportHarness) (bot, discord int64)
		posted string // suffix of the file posted; "" for none
		says   []string
		expect string // a violation the emulator is to see
	}{
		{"zip instead", func(h *exportHarness) (int64, int64) { l := (h.xlsxBytes + h.zipBytes) / 2; return l, l },
			"-csv.zip", []string{"The workbook is too large for Discord (", "the CSV files are posted instead", "Posted the export (CSV files (zip)"}, ""},
		{"neither fits", func(h *exportHarness) (int64, int64) { l := h.zipBytes - 1; return l, l },
			"", []string{"too large to post in Discord", "the workbook (XLSX) is", "the CSV files, zipped, are", "`peervoice export --format xlsx`", "Nothing was posted"}, ""},
		{"Discord refuses", func(h *exportHarness) (int64, int64) { return 0, (h.xlsxBytes + h.zipBytes) / 2 },
			"-csv.zip", []string{"the CSV files are posted instead"}, "bytes of files uploaded; the limit is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newExportHarness(t, func(h *exportHarness) {
				botLimit, discordLimit := tc.limits(h)
				h.uploadLimit = botLimit
				h.emulatorOpts = []discordtest.Option{discordtest.WithUploadLimit(discordLimit)}
			})
			if tc.expect != "" {
				h.e.ExpectViolation(tc.expect)
			}
			reply := h.runExport(t, h.researcher)
			for _, s := range tc.says {
				if !strings.Contains(reply.Content, s) {
					t.Errorf("the researcher reads %q; want %q in it", reply.Content, s)
				}
			}
			if tc.posted == "" {
				h.nothingPosted(t)
				if !strings.Contains(h.logs.String(), "too large for Discord") {
					t.Errorf("not logged:\n%s", h.logs.String())
				}
			} else if m := h.posted(t); len(m.Attachments) != 1 || !strings.HasSuffix(m.Attachments[0].Filename, tc.posted) {
				t.Errorf("posted %+v; want one %s", m.Attachments, tc.posted)
			}
			h.noTempFiles(t)
		})
	}
}

func ptrTo[T any](v T) *T { return &v }
