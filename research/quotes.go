package research

import (
	"context"
	"fmt"
	"time"

	"github.com/peervoice/peervoice/digest"
)

// Candidate is a quote waiting to be reviewed: scrubbed, capped and
// labelled only with k-safe groups by the digest, with the digest period
// whose answers it comes from. Its id is the one the digest of that
// period publishes once a moderator approves it.
type Candidate struct {
	digest.Quote
	Period string // e.g. 2026-W49
}

// RecentWeeks are the weeks whose quotes the moderators are asked about
// at now: the last complete week and the current one, in that order.
func (b *Builder) RecentWeeks(now time.Time) []digest.Period {
	this := digest.Week(now, b.cfg.Location)
	return []digest.Period{this.Previous(), this}
}

// Candidates returns the quote candidates of the RecentWeeks at now,
// each with its week. Its signature is the bot's QuoteSource.
func (b *Builder) Candidates(ctx context.Context, now time.Time) ([]Candidate, error) {
	return b.CandidatesOf(ctx, b.RecentWeeks(now), now)
}

// CandidatesIn returns the quote candidates of the named periods (e.g.
// 2026-W49) at now: those the posted review requests were first seen
// in. Its signature is the bot's PeriodQuotes.
func (b *Builder) CandidatesIn(ctx context.Context, names []string, now time.Time) ([]Candidate, error) {
	ps := make([]digest.Period, 0, len(names))
	for _, name := range names {
		p, err := digest.ParsePeriod(name, b.cfg.Location)
		if err != nil {
			return nil, fmt.Errorf("quote review period: %w", err)
		}
		ps = append(ps, p)
	}
	return b.CandidatesOf(ctx, ps, now)
}

// CandidatesOf builds the digest of each period of ps, at now, and
// returns its quote candidates, each with its period. Every candidate of
// a period is returned, published or not.
func (b *Builder) CandidatesOf(ctx context.Context, ps []digest.Period, now time.Time) ([]Candidate, error) {
	var out []Candidate
	for _, p := range ps {
		d, err := b.Build(ctx, p, now)
		if err != nil {
			return nil, err
		}
		for _, q := range d.Candidates() {
			out = append(out, Candidate{Quote: q, Period: p.Name})
		}
	}
	return out, nil
}
