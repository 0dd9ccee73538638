package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// The formats of /export.
const (
	// ExportXLSX is one workbook with the sheets Answers, Framework
	// matrix, Codebook and About.
	ExportXLSX = "xlsx"
	// ExportCSV is a zip archive of answers.csv, framework-matrix.csv,
	// codebook.csv and about.csv.
	ExportCSV = "csv"
)

// DefaultUploadLimit is how many bytes of files a bot may upload in one
// message to a server without boosts (Discord's developer documentation,
// "Uploading Files": the limit applies to the whole request). Boosted
// servers allow more; Config.UploadLimit raises it.
const DefaultUploadLimit = 10 << 20

// ExportSource writes the research export to w, in format ExportXLSX or
// ExportCSV, with free text scrubbed of personal details: the bot never
// offers unscrubbed text, and this type gives it no way to ask.
type ExportSource func(ctx context.Context, w io.Writer, format string) (ExportSummary, error)

// ExportSummary says what an export holds.
type ExportSummary struct {
	Participants, Answers int
}

// exportCommand is /export, for researchers.
func (b *Bot) exportCommand() command {
	perms := int64(discordgo.PermissionManageServer)
	dm := false
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "export",
			Description:              "Post the research export (anonymised, scrubbed) in the research channel (researchers)",
			DefaultMemberPermissions: &perms,
			DMPermission:             &dm,
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "format",
				Description: "xlsx: one workbook (default); csv: a zip of CSV files",
				Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: "XLSX workbook", Value: ExportXLSX},
					{Name: "CSV files (zip)", Value: ExportCSV},
				},
			}},
		},
		// slow: building a workbook takes long; respond defers
		// (ephemerally) once it has taken a moment.
		routes: one(route{role: researcher, slow: true, audit: "export", handle: b.export}),
	}
}

func (b *Bot) export(ctx context.Context, rq request) (reply, error) {
	format := ExportXLSX
	if _, ok := rq.opts["format"]; ok {
		format = rq.str("format")
	}
	// The bot's exports are always scrubbed (ExportSource).
	rq.note.details = fmt.Sprintf("format=%s scrubbed=true channel=%s", format, b.cfg.ResearchChannelID)
	if format != ExportXLSX && format != ExportCSV {
		return reply{}, userError{"Choose the format `xlsx` or `csv`."}
	}
	if b.cfg.Exports == nil {
		b.log.Warn("/export: this bot was started without exports")
		return reply{}, userError{"Exports are not available from this bot. The data controller can run `peervoice export --format xlsx` on the server instead."}
	}
	if b.cfg.ResearchChannelID == "" {
		b.log.Warn("cannot post export", "err", ErrNoResearchChannel)
		return reply{}, userError{"There is no research channel to post the export in, and it is never posted anywhere else. A server admin should set `discord.research_channel_id` to the research channel's id (right-click the channel, Copy Channel ID) and restart PeerVoice; then run `/export` again."}
	}
	text, err := b.postExport(ctx, rq.ic, format)
	if err != nil {
		return reply{}, err
	}
	return shown(message{Content: text}), nil
}

// exportFile is an export built into a temporary file.
type exportFile struct {
	format, name, path string
	size               int64
	sum                ExportSummary
}

// postExport builds the export and posts it as one file in the research
// channel, returning what to tell the researcher. A workbook over the
// upload limit is replaced by the CSV files zipped, which compress much
// better; when that is too large as well, nothing is posted and the
// researcher is told how to get the export on the server. Only failures
// on our side are returned as errors.
func (b *Bot) postExport(ctx context.Context, ic *discordgo.InteractionCreate, format string) (string, error) {
	limit := b.uploadLimit()
	channel := b.cfg.ResearchChannelID
	name := b.channelName(channel)
	formats := []string{format}
	if format == ExportXLSX {
		formats = append(formats, ExportCSV)
	}
	var tooLarge []string // what did not fit, for the researcher
	var xlsxSize int64
	for _, f := range formats {
		file, err := b.buildExport(ctx, f)
		if err != nil {
			return "", err
		}
		defer os.Remove(file.path)
		if f == ExportXLSX {
			xlsxSize = file.size
		}
		if file.size > limit {
			b.log.Info("export over Discord's upload limit", "format", f, "bytes", file.size, "limit", limit)
			tooLarge = append(tooLarge, sized(f, file.size))
			continue
		}
		msg, err := b.sendExport(ctx, ic, channel, file)
		if err == nil {
			b.log.Info("posted export", "format", f, "channel", name, "bytes", file.size, "participants", file.sum.Participants, "answers", file.sum.Answers)
			text := fmt.Sprintf("Posted the export (%s, %s) in <#%s>: %s", describe(f), size(file.size), channel, b.messageLink(ic, channel, msg))
			if len(tooLarge) > 0 {
				text = fmt.Sprintf("The workbook is too large for Discord (%s), so the CSV files are posted instead, zipped. ", size(xlsxSize)) + text
			}
			return text, nil
		}
		if isTooLarge(err) {
			// Discord's limit is lower than ours: a server lost its boosts.
			b.log.Warn("Discord refused the export as too large: the server allows less than the bot's upload limit", "format", f, "bytes", file.size, "limit", limit)
			tooLarge = append(tooLarge, sized(f, file.size))
			continue
		}
		reason, fix := postProblem(err, name)
		if fix != "" {
			fix = exportFix(err, name, fix)
		}
		b.log.Warn("cannot post export", "channel", name, "err", reason, "fix", fix)
		text := fmt.Sprintf("Could not post the export in %s: %s.", name, reason)
		if fix != "" {
			text += " To fix it: " + fix + "."
		}
		return text + " Nothing was posted; run `/export` again once it is fixed.", nil
	}
	b.log.Warn("cannot post export: too large for Discord; the data controller can run peervoice export on the server", "sizes", strings.Join(tooLarge, "; "), "limit", limit)
	return fmt.Sprintf("The export is too large to post in Discord: %s, and Discord takes at most %s from a bot in one message. Nothing was posted. The data controller can run `peervoice export --format xlsx` (or `--format csv`) on the server instead.",
		strings.Join(tooLarge, ", and "), size(limit)), nil
}

// buildExport writes the export in format to a temporary file, readable
// by its owner alone (it holds participants' words), which the caller
// removes.
func (b *Bot) buildExport(ctx context.Context, format string) (*exportFile, error) {
	f, err := os.CreateTemp("", "peervoice-export-*.tmp") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	file := &exportFile{format: format, path: f.Name(), name: exportName(format, time.Now())}
	sum, err := b.cfg.Exports(ctx, f, format)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		var st os.FileInfo
		if st, err = os.Stat(file.path); err == nil {
			file.size = st.Size()
		}
	}
	if err != nil {
		os.Remove(file.path)
		return nil, fmt.Errorf("export %s: %w", format, err)
	}
	file.sum = sum
	return file, nil
}

// sendExport posts the file in the channel, naming who asked for it
// without pinging them.
func (b *Bot) sendExport(ctx context.Context, ic *discordgo.InteractionCreate, channel string, file *exportFile) (*discordgo.Message, error) {
	r, err := os.Open(file.path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer r.Close()
	content := fmt.Sprintf("Research export, %s, of %s, asked for by <@%s>: %d answers from %d participants, as codes (P-7K3QX-M2D9A, ...). Free text is scrubbed of personal details; withdrawn participants are absent. Keep it as securely as the study's other data.",
		describe(file.format), time.Now().UTC().Format(time.DateOnly), userOf(ic).ID, file.sum.Answers, file.sum.Participants)
	contentType := "application/zip"
	if file.format == ExportXLSX {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return b.s.ChannelMessageSendComplex(channel, &discordgo.MessageSend{
		Content:         content,
		Files:           []*discordgo.File{{Name: file.name, ContentType: contentType, Reader: r}},
		AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
	}, discordgo.WithContext(ctx))
}

// exportName is the file name of an export made at now.
func exportName(format string, now time.Time) string {
	base := "peervoice-export-" + now.UTC().Format(time.DateOnly)
	if format == ExportXLSX {
		return base + ".xlsx"
	}
	return base + "-csv.zip"
}

// describe names a format for people.
func describe(format string) string {
	if format == ExportXLSX {
		return "XLSX workbook"
	}
	return "CSV files, zipped"
}

// sized says how large an export in format is.
func sized(format string, n int64) string {
	if format == ExportXLSX {
		return "the workbook (XLSX) is " + size(n)
	}
	return "the CSV files, zipped, are " + size(n)
}

// size writes a number of bytes for people: "512 bytes", "45.2 KB",
// "10.0 MB" (in units of 1,024, as Discord counts its limit).
func size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// uploadLimit is the most the bot uploads in one message.
func (b *Bot) uploadLimit() int64 {
	if b.cfg.UploadLimit > 0 {
		return b.cfg.UploadLimit
	}
	return DefaultUploadLimit
}

// isTooLarge reports whether Discord refused an upload for its size.
func isTooLarge(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return false
	}
	return re.Response != nil && re.Response.StatusCode == http.StatusRequestEntityTooLarge ||
		re.Message != nil && re.Message.Code == discordgo.ErrCodeRequestEntityTooLarge
}

// exportFix says how to fix a refused export post: unlike a prompt or a
// digest, it needs Attach Files.
func exportFix(err error, channel, fix string) string {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Message == nil {
		return fix
	}
	switch re.Message.Code {
	case discordgo.ErrCodeUnknownChannel:
		return fmt.Sprintf("%s does not exist, or the bot cannot see it: check discord.research_channel_id (right-click the channel, Copy Channel ID), and give the bot View Channel, Send Messages and Attach Files there", channel)
	case discordgo.ErrCodeMissingAccess:
		return fmt.Sprintf("give the bot View Channel, Send Messages and Attach Files in %s", channel)
	case discordgo.ErrCodeMissingPermissions:
		return fmt.Sprintf("give the bot Send Messages and Attach Files in %s", channel)
	}
	return fix
}

// messageLink is the address of a posted message, for a researcher to
// click.
func (b *Bot) messageLink(ic *discordgo.InteractionCreate, channel string, m *discordgo.Message) string {
	guild := m.GuildID
	if guild == "" {
		if ch, err := b.s.State.Channel(channel); err == nil {
			guild = ch.GuildID
		}
	}
	if guild == "" {
		guild = ic.GuildID // the research channel is in the researchers' server
	}
	return fmt.Sprintf("https://discord.com/channels/%s/%s/%s", guild, channel, m.ID)
}
