package main

import (
	"context"
	"fmt"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/store"
)

// quoteReview configures the moderators' approval of quotes for the bot:
// with digest.quote_approval on, the bot posts the candidates of the
// current and the last week to the moderator channel, built by the same
// digestBuilder as every digest, so the ids the moderators approve are
// the ones the digest publishes; and it withdraws from the moderator
// channel each posted quote that is no longer a candidate of its week,
// built by that same builder. With approval off, the zero value: the
// bot posts nothing and the digest publishes every candidate.
func (a *app) quoteReview(db *store.DB) (bot.QuotesConfig, error) {
	b, err := a.newDigestBuilder()
	if err != nil {
		return bot.QuotesConfig{}, err
	}
	if !b.settings.QuoteApproval {
		return bot.QuotesConfig{}, nil
	}
	return bot.QuotesConfig{Candidates: b.quoteCandidates(db), InPeriods: b.periodCandidates(db)}, nil
}

// quoteCandidates returns the quote candidates of the last week and the
// current one, at now, each with its week.
func (b *digestBuilder) quoteCandidates(db *store.DB) bot.QuoteSource {
	return func(ctx context.Context, now time.Time) ([]bot.QuoteCandidate, error) {
		this := digest.Week(now, b.loc)
		return b.candidatesOf(ctx, db, []digest.Period{this.Previous(), this}, now)
	}
}

// periodCandidates returns the quote candidates of the named periods, at
// now: those the posted review requests were first seen in.
func (b *digestBuilder) periodCandidates(db *store.DB) bot.PeriodQuotes {
	return func(ctx context.Context, names []string, now time.Time) ([]bot.QuoteCandidate, error) {
		ps := make([]digest.Period, 0, len(names))
		for _, name := range names {
			p, err := digest.ParsePeriod(name, b.loc)
			if err != nil {
				return nil, fmt.Errorf("quote review period: %w", err)
			}
			ps = append(ps, p)
		}
		return b.candidatesOf(ctx, db, ps, now)
	}
}

// candidatesOf builds the digest of each period, at now, and returns its
// quote candidates, each with its period.
func (b *digestBuilder) candidatesOf(ctx context.Context, db *store.DB, ps []digest.Period, now time.Time) ([]bot.QuoteCandidate, error) {
	var out []bot.QuoteCandidate
	for _, p := range ps {
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
