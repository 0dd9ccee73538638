package bot

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/store"
)

// PeriodQuotes returns the quote candidates of the named digest periods
// (e.g. 2026-W49) at now, built by the same builder as the QuoteSource.
// A posted request whose quote is not among its period's candidates any
// more is withdrawn: its author withdrew, stopped allowing quotes, or
// changed the answer.
type PeriodQuotes func(ctx context.Context, periods []string, now time.Time) ([]QuoteCandidate, error)

// withdrawnText replaces a withdrawn quote's words in the moderator
// channel.
const withdrawnText = "This quote is no longer available: its author withdrew it or it changed. It will not be published."

// withdrawnNote answers a click on a withdrawn quote's old buttons.
const withdrawnNote = "This quote is no longer available: its author withdrew it or it changed, so nothing was recorded. It will not be published."

// withdrawnMessage is a withdrawn quote's request: no quote, question,
// flow, group or period, and no buttons.
func withdrawnMessage() message {
	return message{
		Embeds:     []*discordgo.MessageEmbed{{Title: "A quote withdrawn from review", Description: withdrawnText, Color: colourRejected}},
		Components: []discordgo.MessageComponent{},
	}
}

// withdrawGone finds the reviews whose quote is no longer a candidate of
// the period it was first seen in (its author withdrew, stopped allowing
// quotes or changed the answer), marks them withdrawn, replaces the
// words of their request in the moderator channel, and then forgets them
// (ForgetQuoteReview): nothing keeps a withdrawn quote's id, and the same
// quote, should it come back, is reviewed afresh. It retries the edits
// that failed before. Only the periods of reviews still standing are
// built. On any doubt (the candidates cannot be built) it withdraws
// nothing. It runs with or without a moderator channel: a request is
// edited in the channel it was posted in.
//
// known are candidates this check has already built: a period with one of
// them among them was built whole, and is not built again.
func (r *quoteReviewer) withdrawGone(ctx context.Context, stop <-chan struct{}, now time.Time, known []QuoteCandidate) {
	if r.inPeriods == nil {
		return
	}
	log := r.log
	revs, err := r.st.QuoteReviews(ctx)
	if err != nil {
		log.Error("quote review: load the reviews; will try again", "err", err)
		return
	}
	live := map[[2]string]bool{}
	built := map[string]bool{}
	for _, c := range known {
		live[[2]string{c.Period, c.ID}] = true
		built[c.Period] = true
	}
	var periods []string
	for _, rev := range revs {
		if rev.Status != store.QuoteWithdrawn && !built[rev.Period] && !slices.Contains(periods, rev.Period) {
			periods = append(periods, rev.Period)
		}
	}
	if len(periods) > 0 {
		cands, err := r.inPeriods(ctx, periods, now)
		if err != nil {
			log.Error("quote review: build the candidates of the reviewed quotes' periods; will try again", "periods", periods, "err", err)
			return
		}
		for _, c := range cands {
			live[[2]string{c.Period, c.ID}] = true
		}
	}
	for _, rev := range revs {
		select {
		case <-stop:
			return
		default:
		}
		if rev.Status != store.QuoteWithdrawn && live[[2]string{rev.Period, rev.QuoteID}] {
			continue
		}
		if stopHere := r.withdraw(ctx, rev, now); stopHere {
			return
		}
	}
}

// withdraw withdraws rev's quote, unless it is already, removes its
// words from its request if it was posted, holding the quote's lock
// (lockQuote) so that no click's update of the request can land after
// the edit, and forgets the review once its words are gone. It reports
// whether the rest should wait for the next check.
func (r *quoteReviewer) withdraw(ctx context.Context, rev store.QuoteReview, now time.Time) (stopHere bool) {
	defer r.lock(rev.QuoteID)()
	if rev.Status != store.QuoteWithdrawn {
		// Withdrawn first, so that no click records a decision on it
		// while its message is edited.
		if _, err := r.st.WithdrawQuote(ctx, rev.QuoteID); err != nil {
			r.log.Error("quote review: withdraw a quote; will try again", "quote", rev.QuoteID, "err", err)
			return true
		}
	}
	if rev.Posted() && rev.RedactedAt.IsZero() {
		if channelProblem := r.redact(ctx, rev, now); channelProblem {
			return true
		}
	}
	// A request whose edit failed, or was not recorded, is not forgotten
	// (ForgetQuoteReview checks): the edit is tried again on the next
	// check first.
	if forgot, err := r.st.ForgetQuoteReview(ctx, rev.QuoteID); err != nil {
		r.log.Error("quote review: forget a withdrawn quote; will try again", "quote", rev.QuoteID, "err", err)
	} else if forgot {
		r.log.Debug("quote review: forgot a withdrawn quote", "quote", rev.QuoteID)
	}
	return false
}

// redact replaces a withdrawn quote's request with withdrawnMessage and
// records it, so it is edited once. A request someone deleted is
// recorded as it is. It reports whether the channel itself is the
// problem; the edit is then tried again on the next check.
func (r *quoteReviewer) redact(ctx context.Context, rev store.QuoteReview, now time.Time) (channelProblem bool) {
	log := r.log.With("quote", rev.QuoteID, "period", rev.Period, "message", rev.MessageID)
	name := r.out.channelName(rev.ChannelID)
	m := withdrawnMessage()
	edit := &discordgo.MessageEdit{ID: rev.MessageID, Channel: rev.ChannelID, Embeds: &m.Embeds, Components: &m.Components}
	err := r.out.edit(ctx, edit)
	var re *discordgo.RESTError
	switch {
	case err == nil:
		log.Info("withdrew a quote from review: its words are gone from the moderator channel", "channel", name)
	case errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownMessage:
		log.Info("withdrew a quote from review: its request was already deleted", "channel", name)
	default:
		reason, fix := postProblem(err, name)
		if fix != "" {
			fix = moderatorChannelFix(err, name, fix)
		}
		// Loudly the first time and when the reason changes, as for posts.
		level := log.Warn
		if r.redactErr[rev.QuoteID] == reason {
			level = log.Debug
		}
		r.redactErr[rev.QuoteID] = reason
		msg := "cannot remove a withdrawn quote's words from the moderator channel; it will not be published, and the edit is tried again on the next check"
		if fix != "" {
			level(msg, "channel", name, "err", reason, "fix", fix)
		} else {
			level(msg, "channel", name, "err", err)
		}
		return fix != ""
	}
	delete(r.redactErr, rev.QuoteID)
	if err := r.st.QuoteReviewRedacted(ctx, rev.QuoteID, now); err != nil {
		// The edit is made again on the next check; the same edit twice
		// changes nothing.
		log.Error("quote review: edited, but could not record it; will check again", "err", err)
	}
	return false
}
