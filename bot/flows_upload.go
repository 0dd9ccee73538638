package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/release"
)

// MaxFlowUpload is the largest flow file /flows upload takes: far more
// than any questionnaire needs, small enough to read into memory.
const MaxFlowUpload = 256 << 10

// shownProblems is how many lint problems the upload reply lists; all
// of them are in the attached file.
const shownProblems = 10

// flowsUpload checks an attached flow file and keeps it as a draft: too
// large or not UTF-8 text, it is refused before it reaches the release
// service; with lint problems, the reply lists them and nothing changes;
// clean, the reply shows the draft's changes against the live version,
// with buttons to preview and publish it.
func (b *Bot) flowsUpload(ctx context.Context, rq request) (reply, error) {
	fa, err := b.flowAdmin()
	if err != nil {
		return reply{}, err
	}
	a := rq.attachment("file")
	if a == nil {
		return reply{}, userError{"Attach the flow file (YAML) to `/flows upload file:`."}
	}
	src, err := b.download(ctx, a)
	if err != nil {
		return reply{}, err
	}
	d, err := fa.Upload(ctx, src, a.Filename, actorOf(rq.ic))
	var le *release.LintError
	if errors.As(err, &le) {
		return shown(lintMessage(a.Filename, le)), nil
	}
	if err != nil {
		return reply{}, err
	}
	return shown(draftMessage(d)), nil
}

// attachment is the file given for an attachment option; nil when none.
func (rq request) attachment(name string) *discordgo.MessageAttachment {
	o, ok := rq.opts[name]
	if !ok || o.Type != discordgo.ApplicationCommandOptionAttachment {
		return nil
	}
	res := rq.i.ApplicationCommandData().Resolved
	if res == nil {
		return nil
	}
	return res.Attachments[fmt.Sprint(o.Value)]
}

// download fetches an attachment from Discord's CDN: refused without a
// byte read when its size says it is too large, and read no further than
// the limit in case the size was wrong; refused unless it is UTF-8 text.
func (b *Bot) download(ctx context.Context, a *discordgo.MessageAttachment) ([]byte, error) {
	tooLarge := userError{fmt.Sprintf("`%s` is larger than %d KiB, the most a flow file may be; nothing changed. A flow that large is probably not a flow file: check you attached the right one.", a.Filename, MaxFlowUpload>>10)}
	if a.Size > MaxFlowUpload {
		return nil, tooLarge
	}
	u, err := url.Parse(a.URL)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("download %s: not a web address: %q", a.Filename, a.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", a.Filename, err)
	}
	resp, err := b.files.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", a.Filename, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: %s", a.Filename, resp.Status)
	}
	src, err := io.ReadAll(io.LimitReader(resp.Body, MaxFlowUpload+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", a.Filename, err)
	}
	if len(src) > MaxFlowUpload {
		return nil, tooLarge
	}
	if !utf8.Valid(src) {
		return nil, userError{fmt.Sprintf("`%s` is not UTF-8 text, so it cannot be a flow file; nothing changed. Save it as UTF-8 (most editors offer it under Save As, Encoding) and upload it again.", a.Filename)}
	}
	return src, nil
}

// lintMessage lists a refused upload's problems: the first ten in the
// reply, all of them, as file:line:col: message, in an attached file.
func lintMessage(name string, le *release.LintError) message {
	probs := le.Problems
	var sb strings.Builder
	s := "s"
	if len(probs) == 1 {
		s = ""
	}
	fmt.Fprintf(&sb, "`%s` has %d problem%s, so nothing changed: the live version and any draft stay as they were. Fix them and upload it again.\n```\n", name, len(probs), s)
	for i, p := range probs {
		if i == shownProblems {
			break
		}
		sb.WriteString(clip(problemLine(p), 180) + "\n")
	}
	sb.WriteString("```\n")
	if len(probs) > shownProblems {
		fmt.Fprintf(&sb, "…and %d more. ", len(probs)-shownProblems)
	}
	sb.WriteString("All of them are in the attached file.")
	all := le.Problems.Error() + "\n"
	return message{
		Content: clip(sb.String(), maxContent),
		Files:   []*discordgo.File{{Name: "flow-problems.txt", ContentType: "text/plain; charset=utf-8", Reader: strings.NewReader(all)}},
	}
}

// draftMessage shows a clean upload: the draft's changes against the
// live version, what they touch, and the buttons to preview and publish.
func draftMessage(d release.Draft) message {
	var sb strings.Builder
	if d.Against == 0 {
		fmt.Fprintf(&sb, "`%s` is now a draft: a new flow, with no live version to compare with.\n", d.FlowID)
	} else {
		fmt.Fprintf(&sb, "`%s` is now a draft. Compared with live v%d:\n", d.FlowID, d.Against)
		if len(d.Changes) == 0 {
			sb.WriteString("• no changes to the questions\n")
		}
	}
	var tail strings.Builder
	tail.WriteString("\nNothing is live yet. Preview it, or publish it as the next version.")
	if d.Affected > 0 {
		answers := "answers"
		if d.Affected == 1 {
			answers = "answer"
		}
		fmt.Fprintf(&tail, "\n⚠️ These changes touch **%d %s** already given. Publishing needs your confirmation: **Publish anyway**, or `/flows publish id:%s confirm:true`.", d.Affected, answers, d.FlowID)
	}
	room := maxContent - len([]rune(sb.String())) - len([]rune(tail.String())) - 40
	for i, c := range d.Changes {
		line := "• " + clip(c.Detail, 300) + "\n"
		if n := len([]rune(line)); n > room {
			fmt.Fprintf(&sb, "…and %d more changes.\n", len(d.Changes)-i)
			break
		} else {
			room -= n
		}
		sb.WriteString(line)
	}
	sb.WriteString(tail.String())
	return message{Content: clip(sb.String(), maxContent), Components: draftButtons(d, d.Affected > 0)}
}

// draftButtons are the draft's Preview and Publish buttons; confirm
// makes Publish the Publish anyway that confirms the changes. Each names
// the draft by its hash, so a click publishes the draft it was shown
// beside and not one a colleague uploaded since.
func draftButtons(d release.Draft, confirm bool) []discordgo.MessageComponent {
	hash := d.Hash
	if !idPart.MatchString(hash) {
		hash = ""
	}
	publish := discordgo.Button{Label: "Publish", Style: discordgo.SuccessButton, CustomID: ID{Action: ActPublishDraft, Session: hash, Value: d.FlowID}.String()}
	if confirm {
		publish = discordgo.Button{Label: "Publish anyway", Style: discordgo.DangerButton, CustomID: ID{Action: ActPublishAnyway, Session: hash, Value: d.FlowID}.String()}
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Preview", Style: discordgo.SecondaryButton, CustomID: ID{Action: ActPreviewDraft, Session: hash, Value: d.FlowID}.String()},
		publish,
	}}}
}

// flowButton handles a click on a draft's Preview, Publish or Publish
// anyway (requireRole has passed). The draft must still be the one the
// button was shown beside.
func (b *Bot) flowButton(ic *discordgo.InteractionCreate, id ID) {
	b.respond(ic.Interaction, true, func(ctx context.Context) (response, error) {
		fa, err := b.flowAdmin()
		if err != nil {
			return response{}, err
		}
		d, ok, err := fa.Draft(ctx, id.Value)
		if err != nil {
			return response{}, flowError(id.Value, err)
		}
		if !ok || id.Session != "" && d.Hash != id.Session {
			return response{}, userError{fmt.Sprintf("That draft of `%s` is no longer the one awaiting publication (it was published, or a newer one was uploaded). `/flows list` and `/flows history id:%s` show where it stands.", id.Value, id.Value)}
		}
		var r reply
		if id.Action == ActPreviewDraft {
			r, err = b.startPreview(ctx, ic, id.Value, 0)
		} else {
			r, err = b.publishDraft(ctx, ic, id.Value, id.Action == ActPublishAnyway)
		}
		if err != nil {
			return response{}, err
		}
		return r.response(), nil
	})
}
