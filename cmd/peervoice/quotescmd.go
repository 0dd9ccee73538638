package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/store"
)

// quotesCmd is `peervoice quotes`: the moderators' review of quotes from
// the terminal, for studies without Discord, recorded in the same store
// as the bot's Approve, Reject and Undo buttons.
func (a *app) quotesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "quotes",
		Short: "List the quote candidates, and approve or reject them from the terminal",
		Long: `Quotes are free-text answers to quotable questions from participants who
allowed quotes, scrubbed of personal details and at most 280 characters; an
answer the crisis check (safety.*) flags is never one. With
digest.quote_approval on (the default), the digest publishes a quote only
once it is approved: with the buttons the bot posts in the moderator
channel, or here.

  peervoice quotes list            the candidates of the current and the last week
  peervoice quotes approve ID...   publish them in the digest
  peervoice quotes reject ID...    never publish them
  peervoice quotes undo ID...      take the decision back: waiting again

A decision made here is the same as a moderator's click: the bot does not
ask the moderators about a quote decided here, and a decision can be changed
either way. A digest already posted is not changed.`,
	}
	cmd.AddCommand(a.quotesListCmd())
	for _, d := range quoteDecisions {
		cmd.AddCommand(a.quoteDecisionCmd(d))
	}
	return cmd
}

// quoteDesk is what the quotes commands share: the research builder that
// makes the candidates with its rules, the store, and the time they are
// looked at.
type quoteDesk struct {
	b   *research.Builder
	cfg research.Config
	db  *store.DB
	now time.Time
}

// quoteFlags are the flags of every quotes command.
func (a *app) quoteFlags(cmd *cobra.Command) {
	a.dbFlags(cmd)
	cmd.Flags().String("flows", "", "directory of flow YAML files (default: the built-in pack)")
	a.bind(cmd.Flags(), "flows", "flows_dir")
}

// openQuoteDesk loads the config and opens the store; the caller closes
// the store.
func (a *app) openQuoteDesk(ctx context.Context) (*quoteDesk, error) {
	if err := a.load(); err != nil {
		return nil, err
	}
	rc, err := a.researchConfig(nil)
	if err != nil {
		return nil, err
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	return &quoteDesk{b: research.New(db, rc), cfg: rc, db: db, now: time.Now()}, nil
}

// recentWeeks are the weeks the bot's reviewer looks at: the last and the
// current one.
func (q *quoteDesk) recentWeeks() []digest.Period {
	return q.b.RecentWeeks(q.now)
}

// allWeeks are the weeks from the current one back to that of the first
// answer, newest first.
func (q *quoteDesk) allWeeks(ctx context.Context) ([]digest.Period, error) {
	first, err := q.db.FirstAnswerAt(ctx)
	if err != nil {
		return nil, err
	}
	w := digest.Week(q.now, q.cfg.Location)
	out := []digest.Period{w}
	for !first.IsZero() && w.Start.After(first) {
		w = w.Previous()
		out = append(out, w)
	}
	return out, nil
}

// decisionText says where a candidate's review stands, and whether the
// digest of its period publishes it.
func (q *quoteDesk) decisionText(rev store.QuoteReview, published bool) string {
	if !q.cfg.QuoteApproval {
		if published {
			return "published (quote approval is off)"
		}
		return fmt.Sprintf("not published: the digest shows at most digest.max_quotes (%d)", q.cfg.MaxQuotes)
	}
	day := rev.DecidedAt.In(q.cfg.Location).Format("2 January 2006")
	switch rev.Status {
	case store.QuoteApproved:
		if !published {
			return fmt.Sprintf("approved on %s, not published: the digest shows at most digest.max_quotes (%d)", day, q.cfg.MaxQuotes)
		}
		return "approved on " + day
	case store.QuoteRejected:
		return "rejected on " + day
	case store.QuoteWithdrawn:
		return "withdrawn from review: never published"
	}
	if rev.Posted() {
		return "undecided (asked in the moderator channel)"
	}
	return "undecided"
}

func (a *app) quotesListCmd() *cobra.Command {
	var period string
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the quote candidates with their decisions",
		Long: `Lists the quote candidates of the current and the last week (those the bot
asks the moderators about), of --period (an ISO week such as 2026-W47 or a
month such as 2026-11, in digest.timezone), or with --all of every week since
the first answer. Each shows its id, its week, its question and flow, its
group label, the text exactly as the digest would publish it, and its
decision. No one is named.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if all && period != "" {
				return errors.New("--all and --period: give one of them (--all lists every week)")
			}
			q, err := a.openQuoteDesk(cmd.Context())
			if err != nil {
				return err
			}
			defer q.db.Close()
			ps := q.recentWeeks()
			switch {
			case period != "":
				p, err := q.cfg.Period(period, q.now)
				if err != nil {
					return fmt.Errorf("--period: %w", err)
				}
				ps = []digest.Period{p}
			case all:
				if ps, err = q.allWeeks(cmd.Context()); err != nil {
					return err
				}
				slices.Reverse(ps)
			}
			return q.list(cmd.Context(), a.stdout, ps, all || period != "")
		},
	}
	a.quoteFlags(cmd)
	cmd.Flags().StringVar(&period, "period", "", "ISO week such as 2026-W47, or month such as 2026-11 (default: the current and the last week)")
	cmd.Flags().BoolVar(&all, "all", false, "list the candidates of every week since the first answer")
	return cmd
}

// list prints the candidates of ps, each with its decision; chosen says
// the periods were asked for, so there is no hint about earlier weeks.
func (q *quoteDesk) list(ctx context.Context, w io.Writer, ps []digest.Period, chosen bool) error {
	if q.cfg.QuoteApproval {
		fmt.Fprintln(w, "Quote approval is on: the digest publishes a quote once it is approved (peervoice quotes approve ID).")
	} else {
		fmt.Fprintln(w, "Quote approval is off (digest.quote_approval: false): the digest publishes every candidate, up to digest.max_quotes.")
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	where := strings.Join(names, ", ")
	if len(ps) > 3 {
		where = names[0] + " to " + names[len(names)-1]
	}
	n := 0
	undecided := 0
	for _, p := range ps {
		d, err := q.b.Build(ctx, p, q.now)
		if err != nil {
			return err
		}
		published := map[string]bool{}
		for _, c := range d.Quotes {
			published[c.ID] = true
		}
		for _, c := range d.Candidates() {
			rev, err := q.db.QuoteReviewOf(ctx, c.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if rev.Status == "" || rev.Status == store.QuotePending {
				undecided++
			}
			n++
			label := c.Label
			if label == "" {
				label = "none named (groups smaller than disclosure.min_count never are)"
			}
			fmt.Fprintf(w, "\n%s  %s  %s\n", c.ID, p.Name, q.decisionText(rev, published[c.ID]))
			fmt.Fprintf(w, "    Question: %s (%s)\n", c.Prompt, c.FlowTitle)
			fmt.Fprintf(w, "    Group: %s\n", label)
			fmt.Fprintf(w, "    > %s\n", strings.ReplaceAll(c.Text, "\n", "\n    > "))
		}
	}
	if n == 0 {
		fmt.Fprintf(w, "\nNo quote candidates in %s.\n", where)
		if !chosen {
			fmt.Fprintln(w, "Earlier weeks: peervoice quotes list --period 2026-W47, or --all.")
		}
		return nil
	}
	fmt.Fprintf(w, "\n%d quote candidate(s) in %s", n, where)
	if !q.cfg.QuoteApproval {
		fmt.Fprintln(w, ".")
		return nil
	}
	fmt.Fprintf(w, "; %d undecided.\nDecide with: peervoice quotes approve ID...  or  peervoice quotes reject ID...\n", undecided)
	return nil
}

// quoteDecision is one of the decision commands.
type quoteDecision struct {
	name  string
	to    store.QuoteStatus
	short string
}

var quoteDecisions = []quoteDecision{
	{"approve", store.QuoteApproved, "Approve quotes: the digest publishes them"},
	{"reject", store.QuoteRejected, "Reject quotes: the digest never publishes them"},
	{"undo", store.QuotePending, "Take back the decision on quotes: they wait for one again"},
}

func (a *app) quoteDecisionCmd(qd quoteDecision) *cobra.Command {
	cmd := &cobra.Command{
		Use:   qd.name + " ID...",
		Short: qd.short,
		Long: qd.short + `, by the ids that peervoice quotes list shows.
The decision is recorded as a moderator's click on the bot's buttons is:
the digest reads it when it is next built, and a quote decided here is not
posted to the moderator channel. A quote decided before can be decided
again. If any id is not a quote candidate of a week since the first
answer, nothing is changed.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("which quotes? Give their ids: peervoice quotes %s ID... (peervoice quotes list shows them)", qd.name)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := a.openQuoteDesk(cmd.Context())
			if err != nil {
				return err
			}
			defer q.db.Close()
			err = q.decide(cmd.Context(), a.stdout, qd, args)
			a.recordRun(cmd.Context(), q.db, "quote."+qd.name, strings.Join(args, " "), "", err)
			return err
		},
	}
	a.quoteFlags(cmd)
	return cmd
}

// decide records qd on every quote of ids, once all of them are found to
// be candidates that can take a decision; otherwise it changes nothing.
func (q *quoteDesk) decide(ctx context.Context, w io.Writer, qd quoteDecision, ids []string) error {
	var want []string
	for _, id := range ids {
		if id = strings.ToLower(strings.TrimSpace(id)); !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	found, err := q.find(ctx, want)
	if err != nil {
		return err
	}
	var problems []string
	for _, id := range want {
		rev, err := q.db.QuoteReviewOf(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		switch _, ok := found[id]; {
		case !ok && err == nil:
			problems = append(problems, fmt.Sprintf("quote %s is no longer a candidate: its author withdrew, stopped allowing quotes or changed the answer (or the crisis check flags it), so it is not published whatever its decision", id))
		case !ok:
			problems = append(problems, fmt.Sprintf("there is no quote candidate %s: peervoice quotes list shows the ids of the current and the last week's candidates, and peervoice quotes list --all those of every week", id))
		case rev.Status == store.QuoteWithdrawn:
			problems = append(problems, fmt.Sprintf("quote %s was withdrawn from review, when its author took it back, and is never published: it takes no decision", id))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s; nothing changed", strings.Join(problems, "; "))
	}
	if !q.cfg.QuoteApproval {
		if qd.to == store.QuoteApproved {
			fmt.Fprintf(w, "Quote approval is off (digest.quote_approval: false): the digest publishes every candidate without review, up to digest.max_quotes, so there is nothing to approve; nothing was recorded.\n")
			return nil
		}
		return fmt.Errorf("quote approval is off (digest.quote_approval: false): the digest publishes every candidate without review, so %s would not keep a quote out; nothing was recorded. To review quotes, set digest.quote_approval to true (or PEERVOICE_DIGEST_QUOTE_APPROVAL=true), then decide them", map[bool]string{true: "a rejection", false: "an undo"}[qd.to == store.QuoteRejected])
	}
	for _, id := range want {
		period := found[id]
		before, after, err := q.db.SetQuoteDecision(ctx, store.QuoteReview{QuoteID: id, Period: period, Nonce: bot.QuoteNonce(id)}, qd.to, q.now)
		if err != nil {
			return fmt.Errorf("quotes %s: %w", qd.name, err)
		}
		fmt.Fprintln(w, q.decided(id, period, before, after))
	}
	return nil
}

// find looks for the quotes ids among the candidates of every week, newest
// first, and returns the week of each one found.
func (q *quoteDesk) find(ctx context.Context, ids []string) (map[string]string, error) {
	weeks, err := q.allWeeks(ctx)
	if err != nil {
		return nil, err
	}
	found := map[string]string{}
	for _, w := range weeks {
		if len(found) == len(ids) {
			break
		}
		cands, err := q.b.CandidatesOf(ctx, []digest.Period{w}, q.now)
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			if slices.Contains(ids, c.ID) {
				found[c.ID] = c.Period
			}
		}
	}
	return found, nil
}

// decided says what a decision did.
func (q *quoteDesk) decided(id, period string, before, after store.QuoteReview) string {
	was := func(r store.QuoteReview) string {
		return fmt.Sprintf("%s on %s", r.Status, r.DecidedAt.In(q.cfg.Location).Format("2 January 2006"))
	}
	effect := map[store.QuoteStatus]string{
		store.QuoteApproved: "the digest publishes it",
		store.QuoteRejected: "the digest never publishes it",
		store.QuotePending:  "it waits for a decision again, and is not published until approved",
	}[after.Status]
	undecided := func(r store.QuoteReview) bool { return r.Status == "" || r.Status == store.QuotePending }
	var s string
	switch {
	case undecided(before) && undecided(after):
		return fmt.Sprintf("Quote %s (%s) has no decision to undo; nothing changed.", id, period)
	case before.Status == after.Status:
		return fmt.Sprintf("Quote %s (%s) was already %s; nothing changed.", id, period, was(before))
	case undecided(before):
		verb := map[store.QuoteStatus]string{store.QuoteApproved: "Approved", store.QuoteRejected: "Rejected"}[after.Status]
		s = fmt.Sprintf("%s quote %s (%s): %s.", verb, id, period, effect)
	case after.Status == store.QuotePending:
		s = fmt.Sprintf("Quote %s (%s): the decision (%s) is undone: %s.", id, period, was(before), effect)
	default:
		s = fmt.Sprintf("Quote %s (%s) was %s; now %s: %s. A digest already posted is not changed.", id, period, was(before), after.Status, effect)
	}
	if after.Posted() {
		s += " Its request in the moderator channel shows the new decision once a moderator clicks one of its buttons."
	}
	return s
}
