package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/config"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/store"
)

// Housekeeping intervals of `peervoice run`: how often sessions left
// unfinished too long are closed, and how often retention runs.
const (
	expiryEvery    = time.Hour
	retentionEvery = 24 * time.Hour
)

func (a *app) retentionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "retention",
		Short: "Delete answers older than the retention period (retention.*)",
	}
	var dry bool
	run := &cobra.Command{
		Use:   "run",
		Short: "Delete now what the daily retention job would, and print the counts",
		Long: `Deletes the words of free-text answers older than retention.free_text, then
whole answers older than retention.answers (and the sessions left with no
answer), as peervoice run does daily, and prints how many of each it deleted.
With --dry-run it deletes nothing and prints how many it would.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(); err != nil {
				return err
			}
			r := a.cfg.Retention
			if r.FreeText <= 0 && r.Answers <= 0 {
				return errors.New("retention: no retention period is set (retention.free_text, retention.answers): nothing to delete")
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			c, err := a.retention(cmd.Context(), db, time.Now(), dry, cliActor())
			verb := "deleted"
			if dry {
				verb = "would delete"
			}
			fmt.Fprintf(a.stdout, "retention (free text %s, answers %s): %s the words of %d free-text answer(s), %d whole answer(s) and %d session(s) left empty\n",
				config.FormatLifetime(r.FreeText), config.FormatLifetime(r.Answers), verb, c.FreeText, c.Answers, c.Sessions)
			return err
		},
	}
	run.Flags().BoolVar(&dry, "dry-run", false, "count what would be deleted, and delete nothing")
	a.dbFlags(run)
	cmd.AddCommand(run)
	return cmd
}

// retentionPolicy is the configured retention at now; zero times keep.
func (a *app) retentionPolicy(now time.Time) store.RetentionPolicy {
	var p store.RetentionPolicy
	if d := a.cfg.Retention.FreeText; d > 0 {
		p.FreeTextBefore = now.Add(-d)
	}
	if d := a.cfg.Retention.Answers; d > 0 {
		p.AnswersBefore = now.Add(-d)
	}
	return p
}

// retention applies the configured retention at now (or counts, dry),
// forgets the quote reviews of words it deleted that were never posted
// (a review posted to the moderators is redacted and forgotten by the
// bot's next quote check, which must edit the message first), and records
// the run in the audit log, counts only.
func (a *app) retention(ctx context.Context, db *store.DB, now time.Time, dry bool, actor audit.Actor) (store.RetentionCounts, error) {
	p := a.retentionPolicy(now)
	p.DryRun = dry
	c, err := db.ApplyRetention(ctx, p)
	if err == nil && !dry && c.Deleted() {
		err = a.forgetGoneQuotes(ctx, db, now)
	}
	if dry {
		return c, err
	}
	e := audit.Entry{At: now, Actor: actor, Action: "retention.run", Target: "answers", Outcome: audit.OK}
	details, _ := json.Marshal(c)
	e.Details = string(details)
	if err != nil {
		e.Outcome = audit.Failed
	}
	if rerr := a.auditRecorder(db).Record(ctx, e); rerr != nil {
		err = errors.Join(err, fmt.Errorf("record the retention run in the audit log: %w", rerr))
	}
	return c, err
}

// forgetGoneQuotes withdraws the reviews whose quote is no longer a
// candidate of its week (its words deleted), and forgets at once those
// never posted: nothing is left of them to redact.
func (a *app) forgetGoneQuotes(ctx context.Context, db *store.DB, now time.Time) error {
	revs, err := db.QuoteReviews(ctx)
	if err != nil || len(revs) == 0 {
		return err
	}
	rc, err := a.researchConfig(nil)
	if err != nil {
		return err
	}
	var periods []string
	for _, r := range revs {
		if !slices.Contains(periods, r.Period) {
			periods = append(periods, r.Period)
		}
	}
	cands, err := research.New(db, rc).CandidatesIn(ctx, periods, now)
	if err != nil {
		return fmt.Errorf("retention: the quote candidates of the reviewed weeks: %w", err)
	}
	live := map[[2]string]bool{}
	for _, c := range cands {
		live[[2]string{c.Period, c.ID}] = true
	}
	for _, r := range revs {
		if live[[2]string{r.Period, r.QuoteID}] || r.Posted() {
			continue
		}
		if r.Status != store.QuoteWithdrawn {
			if _, err := db.WithdrawQuote(ctx, r.QuoteID); err != nil {
				return fmt.Errorf("retention: %w", err)
			}
		}
		if _, err := db.ForgetQuoteReview(ctx, r.QuoteID); err != nil {
			return fmt.Errorf("retention: %w", err)
		}
	}
	return nil
}

// housekeeping closes sessions left unfinished longer than
// sessions.expire_after, at once and then hourly, and applies retention
// at once and then daily, until ctx ends; the returned wait blocks until
// a run under way has finished, so the database is closed after it.
func (a *app) housekeeping(ctx context.Context, db *store.DB) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		expiry := time.NewTicker(expiryEvery)
		defer expiry.Stop()
		retention := time.NewTicker(retentionEvery)
		defer retention.Stop()
		a.expireSessions(ctx, db)
		a.retentionJob(ctx, db)
		for {
			select {
			case <-ctx.Done():
				return
			case <-expiry.C:
				a.expireSessions(ctx, db)
			case <-retention.C:
				a.retentionJob(ctx, db)
			}
		}
	}()
	return func() { <-done }
}

// expireSessions is the hourly job: errors are logged and the next hour
// tries again (nothing is lost: a session left open is closed later, or
// when its participant comes back).
func (a *app) expireSessions(ctx context.Context, db *store.DB) {
	d := a.cfg.Sessions.ExpireAfter
	if d <= 0 {
		return
	}
	now := time.Now()
	n, err := db.ExpireSessions(ctx, now.Add(-d), now)
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Error("session expiry: close the sessions left unfinished; will try again in an hour", "err", err)
	case n > 0:
		a.log.Info("session expiry: closed sessions left unfinished as partial responses", "sessions", n, "expire_after", config.FormatLifetime(d))
	}
}

// retentionJob is the daily job, run as the system.
func (a *app) retentionJob(ctx context.Context, db *store.DB) {
	r := a.cfg.Retention
	if r.FreeText <= 0 && r.Answers <= 0 {
		return
	}
	c, err := a.retention(ctx, db, time.Now(), false, audit.Actor{Kind: audit.KindSystem})
	if err != nil && ctx.Err() == nil {
		a.log.Error("retention: the daily run stopped; what it deleted so far stays deleted, and tomorrow's carries on", "err", err,
			"free_text", c.FreeText, "answers", c.Answers, "sessions", c.Sessions)
		return
	}
	if c.Deleted() {
		a.log.Info("retention: deleted what is past the retention period", "free_text", c.FreeText, "answers", c.Answers, "sessions", c.Sessions)
	}
}
