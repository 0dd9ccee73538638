package main

import (
	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/store"
)

// quoteReview configures the moderators' approval of quotes for the bot:
// with digest.quote_approval on, the bot posts the candidates of the
// current and the last week to the moderator channel, built by the same
// research builder as every digest, so the ids the moderators approve
// are the ones the digest publishes; and it withdraws from the moderator
// channel each posted quote that is no longer a candidate of its week,
// built by that same builder. With approval off, the zero value: the
// bot posts nothing and the digest publishes every candidate.
func (a *app) quoteReview(db *store.DB) (bot.QuotesConfig, error) {
	rc, err := a.researchConfig(nil)
	if err != nil {
		return bot.QuotesConfig{}, err
	}
	if !rc.QuoteApproval {
		return bot.QuotesConfig{}, nil
	}
	b := research.New(db, rc)
	return bot.QuotesConfig{Candidates: b.Candidates, InPeriods: b.CandidatesIn}, nil
}
