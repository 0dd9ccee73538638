package main

import (
	"context"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/store"
)

// quoteReview configures the moderators' approval of quotes for the bot:
// with digest.quote_approval on, the bot posts the candidates of the
// current and the last week to the moderator channel, built by the same
// digestBuilder as every digest, so the ids the moderators approve are
// the ones the digest publishes. With approval off, the zero value: the
// bot posts nothing and the digest publishes every candidate.
func (a *app) quoteReview(db *store.DB) (bot.QuotesConfig, error) {
	b, err := a.newDigestBuilder()
	if err != nil {
		return bot.QuotesConfig{}, err
	}
	if !b.settings.QuoteApproval {
		return bot.QuotesConfig{}, nil
	}
	return bot.QuotesConfig{Store: db, Candidates: b.quoteCandidates(db)}, nil
}

// quoteCandidates returns the quote candidates of the last week and the
// current one, at now, each with its week.
func (b *digestBuilder) quoteCandidates(db *store.DB) bot.QuoteSource {
	return func(ctx context.Context, now time.Time) ([]bot.QuoteCandidate, error) {
		this := digest.Week(now, b.loc)
		var out []bot.QuoteCandidate
		for _, p := range []digest.Period{this.Previous(), this} {
			d, err := b.build(ctx, db, p, now)
			if err != nil {
				return nil, err
			}
			for _, q := range d.Candidates() {
				out = append(out, bot.QuoteCandidate{Quote: q, Period: p.Name})
			}
		}
		return out, nil
	}
}
