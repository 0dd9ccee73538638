package bot_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/internal/testutil"
)

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
	_, parts := testutil.Unzip(t, a.Data)
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
	if !twoCodes(codes) {
		t.Errorf("participants in Answers = %q; want two codes P-XXXXX-XXXXX, in order (carol withdrew)", codes)
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
	if !strings.Contains(reply.Content, "CSV files, zipped") {
		t.Errorf("the researcher reads %q", reply.Content)
	}
	if len(m.Attachments) != 1 || !strings.HasSuffix(m.Attachments[0].Filename, "-csv.zip") {
		t.Fatalf("attachments = %+v; want one .zip", m.Attachments)
	}
	names, files := testutil.Unzip(t, m.Attachments[0].Data)
	if got := strings.Join(names, ","); got != "answers.csv,framework-matrix.csv,codebook.csv,about.csv" {
		t.Errorf("files in the zip = %s", got)
	}
	h.checkClean(t, "CSV export", strings.Join([]string{files["answers.csv"], files["framework-matrix.csv"]}, "\n"))
	records, err := csv.NewReader(strings.NewReader(files["answers.csv"])).ReadAll()
	if err != nil {
		t.Fatalf("answers.csv: %v", err)
	}
	if len(records) != 3 || !twoCodes([]string{records[1][0], records[2][0]}) {
		t.Errorf("answers.csv = %q; want two participants' codes only, in order", records)
	}
	h.noTempFiles(t)
}

// twoCodes reports whether codes are two participants' codes, distinct
// and in order, of the form the export's About table gives.
func twoCodes(codes []string) bool {
	code := regexp.MustCompile(`^P-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)
	return len(codes) == 2 && code.MatchString(codes[0]) && code.MatchString(codes[1]) && codes[0] < codes[1]
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
			"-csv.zip", []string{"The workbook is too large for Discord (", "the CSV files are posted instead", "Posted the export (CSV files, zipped"}, ""},
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
