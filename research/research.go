// Package research builds what researchers and moderators read from a
// store, with the configured rules: the digest of a period, the quote
// candidates of periods and the scrubbed research export. cmd/peervoice,
// the bot (through the functions cmd hands it) and the tests all build
// through a Builder, so none of them copies how.
//
// It takes plain values, never a config.Config, and reaches the store
// through the narrow Store interface it defines. It must not import
// config, viper, discordgo or bot: the Discord adapter imports it, not
// the other way round.
package research

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/scrub"
	"github.com/peervoice/peervoice/store"
)

// Store is what a Builder reads: the digest's figures, the stored flow
// versions, the moderators' quote decisions and the export's answers.
// *store.DB satisfies it.
type Store interface {
	export.Store
	DigestData(ctx context.Context, q figures.Query) (figures.Data, error)
	FlowVersions(ctx context.Context) ([]store.FlowVersion, error)
	LatestAnswer(ctx context.Context) (time.Time, error)
	ApprovedQuotes(ctx context.Context) (map[string]bool, error)
	RejectedQuotes(ctx context.Context) (map[string]bool, error)
}

var _ Store = (*store.DB)(nil)

// Config holds the rules a Builder applies: the digest.* and
// disclosure.* settings, the flows being served and the crisis check.
// The zero value of each field means the digest's default, as noted.
type Config struct {
	// Location is digest.timezone: weeks start at Monday midnight there.
	// nil means UTC.
	Location *time.Location
	// Policy holds disclosure.min_count and disclosure.round_to; the zero
	// Policy applies the defaults.
	Policy disclosure.Policy
	// Subgroups are the about-you questions the digest compares groups
	// by (digest.subgroups); nil means digest.DefaultSubgroups, an empty
	// list none.
	Subgroups []string
	// QuoteApproval is digest.quote_approval: a quote is published only
	// once a moderator approved it. Off, every candidate is published.
	QuoteApproval bool
	// MaxQuotes is digest.max_quotes; 0 means digest.DefaultMaxQuotes.
	MaxQuotes int
	// ScrubNames are digest.scrub_names, removed from quotes and from
	// exported free text besides the personal details always removed.
	ScrubNames []string
	// Flows returns the flows being served; nil means none, so answers
	// are labelled by the stored flow versions alone.
	Flows func() *flows.Catalog
	// Crisis is the participant service's crisis check: an answer it
	// flags is never a quote. A digest with quotable answers needs one
	// (digest.Build refuses without it); an export does not.
	Crisis digest.CrisisCheck
	// Ask says how a reader asks for the digest of a period, for the
	// notice a default week without answers gets (NoticeEmpty), such as
	// "peervoice digest --period 2026-W45". nil: no notice.
	Ask func(period string) string
	// Now is the clock of Digest; nil means time.Now.
	Now func() time.Time
}

// Period reads s, an ISO week (2026-W47) or a month (2026-11) in
// c.Location, or returns the last complete week at now when s is "".
func (c Config) Period(s string, now time.Time) (digest.Period, error) {
	if s == "" {
		return digest.LastWeek(now, c.location()), nil
	}
	return digest.ParsePeriod(s, c.location())
}

func (c Config) location() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Builder builds digests, quote candidates and exports from one store
// with one Config. It is safe for concurrent use: everything it builds
// is read from the store afresh.
type Builder struct {
	st       Store
	cfg      Config
	scrubber *scrub.Scrubber
}

// New returns a Builder reading st (which must not be nil) with cfg's
// rules.
func New(st Store, cfg Config) *Builder {
	cfg.Location = cfg.location()
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Builder{st: st, cfg: cfg, scrubber: scrub.New(cfg.ScrubNames)}
}

// Digest builds the digest of period ("2026-W47", "2026-11", or "" for
// the last complete week), afresh from the store. The default week, when
// it has no answers, gets a notice naming the latest week that has
// (Config.Ask). Its signature is the bot's DigestSource.
func (b *Builder) Digest(ctx context.Context, period string) (*digest.Digest, error) {
	now := b.cfg.Now()
	p, err := b.cfg.Period(period, now)
	if err != nil {
		return nil, err
	}
	d, err := b.Build(ctx, p, now)
	if err != nil || period != "" {
		return d, err
	}
	return d, b.NoticeEmpty(ctx, d, p)
}

// Build reads the figures of period p from the store and builds its
// digest as it is at now, with the moderators' quote decisions as they
// are when it is built.
func (b *Builder) Build(ctx context.Context, p digest.Period, now time.Time) (*digest.Digest, error) {
	fs, err := b.allFlows(ctx)
	if err != nil {
		return nil, err
	}
	q, err := digest.NewQuery(p, fs, b.cfg.Subgroups)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	data, err := b.st.DigestData(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("digest %s: %w", p.Name, err)
	}
	// The moderators' decisions as they are now, read for every digest:
	// an approval made a minute ago counts, an undo too.
	var approved, rejected map[string]bool
	if b.cfg.QuoteApproval {
		if approved, err = b.st.ApprovedQuotes(ctx); err != nil {
			return nil, fmt.Errorf("digest %s: %w", p.Name, err)
		}
		if rejected, err = b.st.RejectedQuotes(ctx); err != nil {
			return nil, fmt.Errorf("digest %s: %w", p.Name, err)
		}
	}
	d, err := digest.Build(p, fs, data, digest.Options{
		Policy:            b.cfg.Policy,
		Subgroups:         b.cfg.Subgroups,
		PublishUnapproved: !b.cfg.QuoteApproval,
		Approved:          func(id string) bool { return approved[id] },
		Rejected:          func(id string) bool { return rejected[id] },
		MaxQuotes:         b.cfg.MaxQuotes,
		Scrubber:          b.scrubber,
		Crisis:            b.cfg.Crisis,
		Today:             now,
	})
	if err != nil {
		return nil, fmt.Errorf("digest %s: %w", p.Name, err)
	}
	return d, nil
}

// NoticeEmpty tells, in d, the digest of the default period p, when it
// has no answers, which week has, and how to ask for it (Config.Ask).
func (b *Builder) NoticeEmpty(ctx context.Context, d *digest.Digest, p digest.Period) error {
	if !d.NoAnswers || b.cfg.Ask == nil {
		return nil
	}
	latest, err := b.st.LatestAnswer(ctx)
	if err != nil {
		return fmt.Errorf("digest %s: %w", p.Name, err)
	}
	d.Notice = digest.EmptyNotice(p, latest, b.cfg.Ask)
	return nil
}

// allFlows returns the current flows, then the stored versions of flows
// since changed or removed (newest first), so answers given to an older
// wording are still labelled. The consent flow is not research.
func (b *Builder) allFlows(ctx context.Context) ([]*flows.Flow, error) {
	var fs []*flows.Flow
	if b.cfg.Flows != nil {
		fs = b.cfg.Flows().Flows()
	}
	have := map[string]bool{}
	for _, f := range fs {
		have[f.Version] = true
	}
	versions, err := b.st.FlowVersions(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range slices.Backward(versions) {
		if have[v.Hash] || v.FlowID == participant.ConsentFlowID {
			continue
		}
		f, probs := flows.Parse(v.FlowID+".yaml", v.Source)
		if f == nil || probs.Err() != nil {
			continue // a version the current linter refuses: its answers keep their ids
		}
		have[v.Hash] = true
		fs = append(fs, f)
	}
	return fs, nil
}
