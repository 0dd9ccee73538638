package bot

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/store"
)

// QuoteStore keeps the moderators' reviews of quote candidates;
// *store.DB satisfies it.
type QuoteStore interface {
	ClaimQuoteReview(ctx context.Context, r store.QuoteReview) (bool, error)
	UnpostedQuoteReviews(ctx context.Context) ([]store.QuoteReview, error)
	QuoteReviewPosted(ctx context.Context, quoteID, channelID, messageID string, at time.Time) error
	QuoteReviewFailed(ctx context.Context, quoteID, reason string) error
	DecideQuote(ctx context.Context, quoteID string, from, to store.QuoteStatus, at time.Time) (store.QuoteReview, bool, error)
	QuoteReviews(ctx context.Context) ([]store.QuoteReview, error)
	WithdrawQuote(ctx context.Context, quoteID string) (bool, error)
	QuoteReviewRedacted(ctx context.Context, quoteID string, at time.Time) error
	ForgetQuoteReview(ctx context.Context, quoteID string) (bool, error)
}

var _ QuoteStore = (*store.DB)(nil)

// QuoteCandidate is a quote waiting to be reviewed, with its digest
// period: research builds them.
type QuoteCandidate = research.Candidate

// QuoteSource returns the quote candidates to review at now: those of the
// current week and the last, built by the same builder as the digest, so
// their ids are the ones the digest publishes. Each period it returns a
// candidate of, it returns every candidate of: the check relies on that
// to find withdrawn quotes without building those weeks again.
type QuoteSource func(ctx context.Context, now time.Time) ([]QuoteCandidate, error)

// QuotesConfig configures the moderators' approval of quotes
// (digest.quote_approval). Without Config.Store or Candidates, approval
// is off: nothing is posted to the moderator channel, and the digest
// publishes quotes without review. The clock is Config.Now.
type QuotesConfig struct {
	Candidates QuoteSource
	// InPeriods builds the candidates of the periods of the requests
	// posted, so that a quote withdrawn since is removed from the
	// moderator channel. nil: posted requests are never withdrawn.
	InPeriods PeriodQuotes
	Tick      time.Duration // how often to look for new candidates; 0: 15 minutes
}

// reviewSender is what the quote reviewer needs of Discord: a sender, and
// an edit of a request it posted, to remove a withdrawn quote's words.
// discordSender is one.
type reviewSender interface {
	sender
	edit(ctx context.Context, e *discordgo.MessageEdit) error
}

var _ reviewSender = discordSender{}

// DefaultQuoteTick is how often the bot looks for new quote candidates.
const DefaultQuoteTick = 15 * time.Minute

// noModeratorChannelFix says what to set when quote approval is on but
// there is nowhere to ask.
const noModeratorChannelFix = "set discord.moderator_channel_id (or PEERVOICE_DISCORD_MODERATOR_CHANNEL_ID) to the id of a private channel the moderators read (right-click the channel, Copy Channel ID), give the bot View Channel, Send Messages and Embed Links there, and restart PeerVoice; or set digest.quote_approval to false to publish quotes without review"

// quoteReviewer posts each quote candidate once to the moderator channel
// with Approve and Reject buttons, and records the moderators' clicks.
// The claim in the store makes a request posted once across processes and
// restarts; the nonce makes a retry return the message already posted.
type quoteReviewer struct {
	out       reviewSender
	lock      func(quoteID string) (unlock func()) // the lock a moderator's click takes too (Bot.lockQuote)
	channel   string                               // the moderator channel; "": none configured
	log       *slog.Logger
	st        QuoteStore
	src       QuoteSource
	inPeriods PeriodQuotes
	now       func() time.Time
	tick      time.Duration

	mu        sync.Mutex        // one check at a time
	redactErr map[string]string // quote id → why its last edit failed; under mu
	first     chan struct{}     // closed after the first check
}

// newQuoteReviewer returns nil when quote approval is off. cfg's log and
// clock are set (Config.withDefaults). With approval on and no moderator
// channel, it says once what to set.
func newQuoteReviewer(cfg Config, out reviewSender, lock func(quoteID string) func()) *quoteReviewer {
	qc := cfg.Quotes
	if cfg.Store == nil || qc.Candidates == nil {
		return nil
	}
	r := &quoteReviewer{out: out, lock: lock, channel: cfg.ModeratorChannelID, log: cfg.Log, st: cfg.Store,
		src: qc.Candidates, inPeriods: qc.InPeriods, now: cfg.Now, tick: qc.Tick,
		redactErr: map[string]string{}, first: make(chan struct{})}
	if r.tick <= 0 {
		r.tick = DefaultQuoteTick
	}
	if r.channel == "" {
		r.log.Warn("quote approval is on, but there is no moderator channel: no quote is published until one is set", "fix", noModeratorChannelFix)
	}
	return r
}

// startQuoteReviewer runs the reviewer until ctx ends, as an in-flight
// task that Run waits for. Without a moderator channel nothing is posted,
// but the reviews of withdrawn quotes are still cleaned away, and the
// clicks on requests posted earlier are still handled.
func (b *Bot) startQuoteReviewer(ctx context.Context) {
	r := b.quotes
	if r == nil {
		return
	}
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		r.run(ctx)
	}()
}

// run checks at once, then every tick, until ctx ends. A check under way
// finishes: a claimed request is posted and recorded.
func (r *quoteReviewer) run(ctx context.Context) {
	// ctx's end also stops a long backlog between requests.
	every(ctx, r.tick, r.first, func(work context.Context) { r.check(work, ctx.Done()) })
}

// check withdraws and forgets the reviews whose quote is gone, then
// posts the new review requests: a quote withdrawn and a candidate again
// is forgotten first, so this same check asks for it afresh. Without a
// moderator channel it only withdraws, and builds only the weeks of the
// reviews it holds.
func (r *quoteReviewer) check(ctx context.Context, stop <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if r.channel == "" {
		r.withdrawGone(ctx, stop, now, nil)
		return
	}
	cands, err := r.src(ctx, now)
	if err != nil {
		r.log.Error("quote review: build the quote candidates; will try again", "err", err)
	}
	// The weeks just built are not built again to find withdrawn quotes.
	r.withdrawGone(ctx, stop, now, cands)
	if err == nil {
		r.postNew(ctx, stop, now, cands)
	}
}

// postNew posts a review request for every candidate not yet posted: those
// claimed before whose post failed or was not recorded, with their nonce,
// and new ones, claimed first. When the channel itself is the problem
// (missing, or no permission), it stops until the next tick: every
// request would fail alike. When stop is closed it stops between
// requests, so a long backlog does not hold up a shutdown; each request
// is claimed, posted and recorded, or left to the next check.
func (r *quoteReviewer) postNew(ctx context.Context, stop <-chan struct{}, now time.Time, cands []QuoteCandidate) {
	log := r.log
	cands = slices.Clone(cands) // sorted below; the caller reads them after
	unposted, err := r.st.UnpostedQuoteReviews(ctx)
	if err != nil {
		log.Error("quote review: load the unposted requests; will try again", "err", err)
		return
	}
	waiting := map[string]store.QuoteReview{}
	for _, rev := range unposted {
		waiting[rev.QuoteID] = rev
	}
	slices.SortStableFunc(cands, func(a, b QuoteCandidate) int {
		return strings.Compare(a.Period+a.ID, b.Period+b.ID)
	})
	seen := map[string]bool{}
	for _, c := range cands {
		select {
		case <-stop:
			return
		default:
		}
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		rev, ok := waiting[c.ID]
		if !ok {
			rev = store.QuoteReview{QuoteID: c.ID, Period: c.Period, Nonce: claimNonce(), Status: store.QuotePending, ClaimedAt: now}
			claimed, err := r.st.ClaimQuoteReview(ctx, rev)
			if err != nil {
				log.Error("quote review: claim; will try again", "quote", c.ID, "err", err)
				return
			}
			if !claimed {
				continue // posted before, or another process is posting it
			}
		}
		if channelProblem := r.post(ctx, c, rev, now); channelProblem {
			return
		}
	}
}

// post sends the review request for c and records it. On failure the
// claim stays unposted, to be retried on the next check with the same
// nonce. It reports whether the channel itself is the problem.
func (r *quoteReviewer) post(ctx context.Context, c QuoteCandidate, rev store.QuoteReview, now time.Time) (channelProblem bool) {
	channel := r.channel
	name := r.out.channelName(channel)
	log := r.log.With("quote", c.ID, "period", c.Period)
	m, err := r.out.send(ctx, channel, reviewMessage(c, rev), rev.Nonce)
	if err != nil {
		reason, fix := postProblem(err, name)
		if fix != "" {
			fix = moderatorChannelFix(err, name, fix)
		}
		if rerr := r.st.QuoteReviewFailed(ctx, c.ID, reason); rerr != nil {
			log.Error("quote review: record the failed post", "err", rerr)
		}
		// Loudly the first time and when the reason changes; a channel
		// that stays missing would otherwise fill the log every tick.
		level := log.Warn
		if rev.Attempts > 0 && rev.LastError == reason {
			level = log.Debug
		}
		if fix != "" {
			level("cannot post a quote for review; nothing is lost, it is tried again on the next check", "channel", name, "err", reason, "fix", fix)
		} else {
			level("cannot post a quote for review; nothing is lost, it is tried again on the next check", "channel", name, "err", err)
		}
		return fix != ""
	}
	if err := r.st.QuoteReviewPosted(ctx, c.ID, channel, m.ID, now); err != nil {
		// Posted but not recorded: it stays unposted, and the retry's
		// nonce gets this same message back from Discord.
		log.Error("quote review: posted, but could not record it; will check again", "message", m.ID, "err", err)
		return false
	}
	log.Info("posted a quote for review", "channel", name, "message", m.ID)
	return false
}

// moderatorChannelFix says how to fix a refused post in the moderator
// channel: the channel comes from the config, not from a schedule.
func moderatorChannelFix(err error, channel, fix string) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownChannel {
		return fmt.Sprintf("%s does not exist, or the bot cannot see it: check discord.moderator_channel_id (right-click the channel, Copy Channel ID), and give the bot View Channel, Send Messages and Embed Links there", channel)
	}
	return fix
}

// QuoteNonce is the nonce of a quote's review request, the same in every
// process: a quote claimed outside the bot (a decision made with peervoice
// quotes) is claimed with it, so that a request the bot posts for it
// later, after an undo, is still posted once.
func QuoteNonce(quoteID string) string { return quoteNonce(quoteID) }

// quoteNonce is the nonce of a quote's review request: the same in every
// process.
func quoteNonce(quoteID string) string {
	return nonceFor("quote review\x00"+quoteID, time.Time{})
}

// claimNonce is the nonce of a review request the bot claims: random, so
// that it differs from the one of any earlier request for the same quote
// (forgotten when the quote was withdrawn), which Discord would otherwise
// hand back, words removed, instead of posting the fresh request. Every
// retry, in any process, reads it from the claim.
func claimNonce() string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return strconv.FormatUint(binary.BigEndian.Uint64(b[:])>>1, 10)
}
