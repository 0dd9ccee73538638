package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/store"
)

// Colours of a review request: waiting, approved, rejected.
const (
	colourReview   = 0xE8A33D
	colourApproved = 0x2D7D46
	colourRejected = 0x99AAB5
)

// statusField names the embed field that shows the decision.
const statusField = "Decision"

// reviewMessage is the request to review c, posted in the moderator
// channel: the scrubbed quote, its question and flow, its group label
// (k-safe), and the buttons. It names no one.
func reviewMessage(c QuoteCandidate, rev store.QuoteReview) message {
	label := c.Label
	if label == "" {
		label = "None named (groups smaller than the disclosure minimum never are)"
	}
	e := &discordgo.MessageEmbed{
		Title:       "A quote for the research digest",
		Description: clip(quoteBlock(c.Text), maxEmbedDesc),
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Question", Value: clip(orDash(c.Prompt), 1024)},
			{Name: "Flow", Value: clip(orDash(c.FlowTitle), 1024), Inline: true},
			{Name: "Group", Value: clip(label, 1024), Inline: true},
			{Name: statusField, Value: statusText(rev)},
		},
		Footer: &discordgo.MessageEmbedFooter{Text: "From answers in " + c.Period + ", by someone who agreed to be quoted. Personal details were removed; check nothing else could identify anyone."},
	}
	e.Color = statusColour(rev.Status)
	return message{Embeds: []*discordgo.MessageEmbed{e}, Components: reviewButtons(c.ID, rev.Status)}
}

// quoteBlock shows text as a Markdown block quote.
func quoteBlock(text string) string {
	return "> " + strings.ReplaceAll(text, "\n", "\n> ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// statusText says where the review stands, to the day.
func statusText(rev store.QuoteReview) string {
	day := rev.DecidedAt.UTC().Format("2 January 2006")
	switch rev.Status {
	case store.QuoteApproved:
		return "✅ Approved on " + day + ": it will appear in the digest. **Undo** to decide again."
	case store.QuoteRejected:
		return "❌ Rejected on " + day + ": it will not be published. **Undo** to decide again."
	}
	return "Waiting for a moderator: **Approve** publishes it in the digest, **Reject** never does."
}

func statusColour(s store.QuoteStatus) int {
	switch s {
	case store.QuoteApproved:
		return colourApproved
	case store.QuoteRejected:
		return colourRejected
	}
	return colourReview
}

// reviewButtons are Approve and Reject while the quote waits; once it is
// decided, they are disabled, so a second click cannot record twice, and
// Undo reopens the decision.
func reviewButtons(quoteID string, s store.QuoteStatus) []discordgo.MessageComponent {
	decided := s != store.QuotePending
	row := []discordgo.MessageComponent{
		discordgo.Button{Label: "Approve", Style: discordgo.SuccessButton, Disabled: decided, CustomID: ID{Action: ActApproveQuote, Value: quoteID}.String()},
		discordgo.Button{Label: "Reject", Style: discordgo.DangerButton, Disabled: decided, CustomID: ID{Action: ActRejectQuote, Value: quoteID}.String()},
	}
	if decided {
		row = append(row, discordgo.Button{Label: "Undo", Style: discordgo.SecondaryButton, CustomID: ID{Action: ActUndoQuote, Value: quoteID}.String()})
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// reviewed is the review request m as it stands after rev: the decision
// shown and the buttons to match.
func reviewed(m *discordgo.Message, rev store.QuoteReview) message {
	var embeds []*discordgo.MessageEmbed
	for _, e := range m.Embeds {
		c := *e
		c.Color = statusColour(rev.Status)
		c.Fields = nil
		for _, f := range e.Fields {
			if f.Name != statusField {
				c.Fields = append(c.Fields, f)
			}
		}
		c.Fields = append(c.Fields, &discordgo.MessageEmbedField{Name: statusField, Value: statusText(rev)})
		embeds = append(embeds, &c)
	}
	return message{Content: m.Content, Embeds: embeds, Components: reviewButtons(rev.QuoteID, rev.Status)}
}

// reviewQuote records a moderator's click on a review request: checked
// for the moderator role on the server side (by onComponent, with
// requireRole, before this runs), recorded once, and shown on
// the request. A second click, or a moderator's after another's decision,
// changes nothing and says so.
func (b *Bot) reviewQuote(ic *discordgo.InteractionCreate, id ID) {
	i := ic.Interaction
	b.respond(i, true, func(ctx context.Context) (res response, err error) {
		note := &auditNote{target: id.Value}
		defer func() {
			b.auditUse(ctx, request{ic: ic}, buttonActions[id.Action], note, err)
		}()
		r := b.quotes
		if r == nil {
			b.log.Warn("quote review button used while quote approval is off", "quote", id.Value)
			return response{}, userError{"Quote approval is off (`digest.quote_approval: false`): the digest publishes quotes without review, so there is nothing to decide here."}
		}
		// The quote is locked from the decision until the request shows
		// it, and the reviewer takes the same lock to withdraw a quote:
		// otherwise this update, carrying the quote's words, could reach
		// Discord just after the withdrawal's edit had removed them.
		unlock := b.lockQuote(id.Value)
		res, err = b.decideQuote(ctx, i, r, id, note)
		if err != nil || res.initial == nil {
			unlock()
			return res, err
		}
		res.after = holdUntilDone(res.after, unlock)
		return res, nil
	})
}

// lockQuote serialises what touches one quote's review request: a
// moderator's click, and the reviewer's withdrawal of the quote. Quote
// ids are hex, so they never meet a user id among the locks' keys.
func (b *Bot) lockQuote(quoteID string) func() { return b.userLocks.Lock("quote/" + quoteID) }

// decideQuote records the click and says what to show.
func (b *Bot) decideQuote(ctx context.Context, i *discordgo.Interaction, r *quoteReviewer, id ID, note *auditNote) (response, error) {
	rev, changed, err := r.decide(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return response{}, userError{"PeerVoice has no record of this quote, so nothing changed. It may come from another PeerVoice database."}
	}
	if err != nil {
		return response{}, err
	}
	if rev.Status == store.QuoteWithdrawn {
		note.details = "nothing changed: the quote was withdrawn by its author"
		// Nothing recorded; the request loses its words here too,
		// should the reviewer's edit not have reached it yet.
		note := message{Content: withdrawnNote}
		if i.Message == nil {
			return response{initial: ephemeralReply(note)}, nil
		}
		return response{initial: updateReply(withdrawnMessage()), after: func() { b.followup(i, note, true) }}, nil
	}
	if !changed {
		note.details = "nothing changed: already " + string(rev.Status)
		// The request is brought up to date (it may have been left
		// stale, say by a crash before its update), and the note goes
		// as an ephemeral follow-up: an ephemeral response after a
		// deferral would replace the request itself.
		note := message{Content: alreadyNote(rev)}
		after := func() { b.followup(i, note, true) }
		if i.Message == nil {
			return response{initial: ephemeralReply(note)}, nil
		}
		return response{initial: updateReply(reviewed(i.Message, rev)), after: after}, nil
	}
	b.log.Info("quote reviewed", "quote", rev.QuoteID, "decision", string(rev.Status), "decisions", rev.Decisions)
	note.details = "now " + string(rev.Status)
	if i.Message == nil {
		return response{initial: ephemeralReply(message{Content: "Recorded: " + statusText(rev)})}, nil
	}
	return response{initial: updateReply(reviewed(i.Message, rev))}, nil
}

// decide applies the click id to the quote's review.
func (r *quoteReviewer) decide(ctx context.Context, id ID) (store.QuoteReview, bool, error) {
	now := r.now()
	switch id.Action {
	case ActApproveQuote:
		return r.st.DecideQuote(ctx, id.Value, store.QuotePending, store.QuoteApproved, now)
	case ActRejectQuote:
		return r.st.DecideQuote(ctx, id.Value, store.QuotePending, store.QuoteRejected, now)
	}
	// Undo: from whatever was decided; if it is waiting already, there
	// is nothing to undo, and DecideQuote says so without a change.
	for _, from := range []store.QuoteStatus{store.QuoteApproved, store.QuoteRejected} {
		rev, changed, err := r.st.DecideQuote(ctx, id.Value, from, store.QuotePending, now)
		if err != nil || changed || rev.Status == store.QuotePending || rev.Status == store.QuoteWithdrawn {
			return rev, changed, err
		}
	}
	return store.QuoteReview{}, false, fmt.Errorf("undo quote %s: its decision changed while undoing; try again", id.Value)
}

// alreadyNote tells a moderator kindly that their click changed nothing.
func alreadyNote(rev store.QuoteReview) string {
	day := rev.DecidedAt.UTC().Format("2 January 2006")
	switch rev.Status {
	case store.QuoteApproved:
		return "This quote was already approved (on " + day + "), so nothing changed. Use **Undo** on it to decide again."
	case store.QuoteRejected:
		return "This quote was already rejected (on " + day + "), so nothing changed. Use **Undo** on it to decide again."
	}
	return "This quote is already waiting for a decision, so nothing changed."
}
