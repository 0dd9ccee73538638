package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/chart"
)

// colourDigest is the digest embeds' colour: a mid blue that reads in
// dark and light themes.
const colourDigest = 0x3B7DD8

// Discord's limits on a message's files, kept to with room to spare:
// 10 attachments a message, and an upload limit of 10 MiB a message for
// servers without boosts.
const (
	maxFilesPerMessage = 10
	maxUploadBytes     = 8 << 20
)

// DefaultDigestCharts is how many charts a posted digest carries at most
// unless DigestPosting.Charts says otherwise: two messages of them. A
// digest of many questions charts the first ones; every figure is in
// the text all the same.
const DefaultDigestCharts = 20

// DigestSource builds the digest for a period ("2026-W47", "2026-11", or
// "" for the last complete week) from the store, afresh each time: a
// digest that failed to post is never lost, only built again.
type DigestSource func(ctx context.Context, period string) (*digest.Digest, error)

// ErrNoResearchChannel is returned when a digest is to be posted but no
// research channel is configured.
// ErrPeriodUnderWay is a post asked for of a week or month not yet
// over. Its digest would be posted again, whole, once it ends, and the
// two side by side give away the answers of the few who took part in
// between (the same differencing that keeps running totals out of the
// digest), so it is shown in a preview only.
var ErrPeriodUnderWay = errors.New("this period is not over yet, so its digest is not posted: a digest of part of a period, beside the whole period's posted once it ends, would let readers work out small counts from the difference. Preview it instead (/digest preview, or peervoice digest without --post); it is posted once the period ends")

var ErrNoResearchChannel = errors.New("no research channel: set discord.research_channel_id (or PEERVOICE_DISCORD_RESEARCH_CHANNEL_ID) to the id of the channel researchers watch (right-click the channel, Copy Channel ID)")

// DigestPostError is a digest Discord refused to take, with what a
// server admin can do about it.
type DigestPostError struct {
	Channel string // the channel id
	Reason  string // e.g. "Unknown Channel"
	Fix     string // "" when there is nothing to suggest
	Err     error
}

func (e *DigestPostError) Error() string {
	s := fmt.Sprintf("post digest in channel %s: %s", e.Channel, e.Reason)
	if e.Fix != "" {
		s += ": " + e.Fix
	}
	return s
}

func (e *DigestPostError) Unwrap() error { return e.Err }

// digestMessage is one message of a digest: embeds, and the chart files
// they show.
type digestMessage struct {
	content string
	embeds  []*discordgo.MessageEmbed
	files   []chart.File
}

// discordFiles are the message's files for discordgo, each read afresh.
func (m digestMessage) discordFiles() []*discordgo.File {
	var out []*discordgo.File
	for _, f := range m.files {
		out = append(out, &discordgo.File{Name: f.Name, ContentType: "image/png", Reader: bytes.NewReader(f.PNG)})
	}
	return out
}

// digestMessages converts the digest's embeds into Discord's, one
// message each, followed by up to maxCharts charts (digest/chart) as PNG
// attachments, each shown in an embed of its own. The charts draw only
// the figures the digest publishes.
func digestMessages(d *digest.Digest, maxCharts int) ([]digestMessage, error) {
	var out []digestMessage
	for _, m := range d.Embeds() {
		var embeds []*discordgo.MessageEmbed
		for _, e := range m {
			de := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: e.Title, Description: e.Description, Color: colourDigest}
			for _, f := range e.Fields {
				de.Fields = append(de.Fields, &discordgo.MessageEmbedField{Name: f.Name, Value: f.Value})
			}
			if e.Footer != "" {
				de.Footer = &discordgo.MessageEmbedFooter{Text: e.Footer}
			}
			embeds = append(embeds, de)
		}
		out = append(out, digestMessage{embeds: embeds})
	}
	if maxCharts <= 0 {
		return out, nil
	}
	charts, err := digestCharts(d, maxCharts)
	if err != nil {
		return nil, err
	}
	return append(out, chartMessages(d, charts)...), nil
}

// digestCharts draws the digest's charts, at most max of them, with
// names unique within the digest (Discord refers to them by name).
func digestCharts(d *digest.Digest, max int) ([]chart.File, error) {
	all, err := chart.All(d, chart.Options{})
	if err != nil {
		return nil, fmt.Errorf("draw digest charts: %w", err)
	}
	var out []chart.File
	for i, f := range all {
		if len(out) == max {
			break
		}
		if len(f.PNG) > maxUploadBytes {
			continue // cannot happen at these sizes; never send what Discord refuses
		}
		out = append(out, chart.File{Name: fmt.Sprintf("chart-%02d-%s", i+1, f.Name), PNG: f.PNG})
	}
	return out, nil
}

// chartMessages packs charts into messages within Discord's limits on
// files, each chart in an embed that shows it ("attachment://name").
func chartMessages(d *digest.Digest, charts []chart.File) []digestMessage {
	var out []digestMessage
	var cur digestMessage
	size := 0
	flush := func() {
		if len(cur.files) > 0 {
			out = append(out, cur)
		}
		cur, size = digestMessage{}, 0
	}
	for _, f := range charts {
		if len(cur.files) == maxFilesPerMessage || size+len(f.PNG) > maxUploadBytes {
			flush()
		}
		cur.embeds = append(cur.embeds, &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: colourDigest,
			Image: &discordgo.MessageEmbedImage{URL: "attachment://" + f.Name}})
		cur.files = append(cur.files, f)
		size += len(f.PNG)
	}
	flush()
	for i := range out {
		out[i].content = fmt.Sprintf("**Charts: %s** (%d of %d). Every figure as published above: counts of 1 to %d are not shown.",
			d.Period.Label, i+1, len(out), d.Rules.MinCount-1)
	}
	return out
}

// refusedDigest names what went wrong posting a digest, with the fix.
func refusedDigest(err error, channelID, channelName string) *DigestPostError {
	reason, fix := postProblem(err, channelName)
	if fix != "" {
		// postProblem speaks of schedules; a digest goes to the
		// configured research channel.
		fix = digestFix(err, channelName, fix)
	}
	return &DigestPostError{Channel: channelID, Reason: reason, Fix: fix, Err: err}
}

// digestFix says how to fix a refused digest post.
func digestFix(err error, channel, fix string) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownChannel {
		return fmt.Sprintf("%s does not exist, or the bot cannot see it: check discord.research_channel_id (right-click the channel, Copy Channel ID), and give the bot View Channel, Send Messages, Embed Links and Attach Files there", channel)
	}
	if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeMissingPermissions {
		return fmt.Sprintf("give the bot Send Messages, Embed Links and Attach Files in %s", channel)
	}
	return fix
}
