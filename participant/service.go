// Package participant holds the participant's path through PeerVoice,
// the same for every front end: the consent gate, the flow engine, the
// safety check and storage. The terminal and Discord are thin adapters
// that turn what people do into calls here and show the replies.
//
// Of PeerVoice it imports flows, safety, store, uitext and
// internal/keylock, and nothing of a front end: no discordgo, no viper,
// no config, bot or terminal (internal/archtest checks it).
package participant

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/keylock"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/store"
	"github.com/peervoice/peervoice/uitext"
)

// Store is the storage the service needs; *store.DB satisfies it.
type Store interface {
	Pseudonym(platform, userID string) string
	EnsureParticipant(ctx context.Context, pseudonym string) (store.Participant, error)
	FindParticipant(ctx context.Context, pseudonym string) (store.Participant, error)
	SaveConsent(ctx context.Context, participantID int64, c store.Consent) error
	SaveFlowVersion(ctx context.Context, v store.FlowVersion) error
	FlowVersion(ctx context.Context, hash string) (store.FlowVersion, error)
	SaveStep(ctx context.Context, s store.Session, answers []store.Answer, cleared []string) error
	Session(ctx context.Context, id string) (store.Session, error)
	Sessions(ctx context.Context, participantID int64) ([]store.Session, error)
	FinishedWaves(ctx context.Context, flowID string) ([]store.WaveEnd, error)
	Answers(ctx context.Context, participantID int64) ([]store.Answer, error)
	DeleteSession(ctx context.Context, id string) error
	ExpireSession(ctx context.Context, id string, idleSince, at time.Time) (bool, error)
	Withdraw(ctx context.Context, participantID int64) error
	// Reminders (reminders.go).
	AllowReminders(ctx context.Context, participantID int64, platform, userID string, at time.Time) error
	StopReminders(ctx context.Context, participantID int64, at time.Time) error
	ReminderPrefs(ctx context.Context, participantID int64) (store.ReminderPrefs, error)
}

var _ Store = (*store.DB)(nil)

// MaxStudyInfo is the longest study information shown with the consent
// question: it must fit in one Discord embed beside the question.
const MaxStudyInfo = 4000

// ErrNoSession means the participant has no flow under way to answer.
var ErrNoSession = errors.New("participant: no flow in progress")

// User is a person on a platform. Its ID is hashed into a pseudonym at
// once and never stored or logged.
type User struct {
	Platform string // "discord", "terminal"
	ID       string
}

// Config configures a Service.
type Config struct {
	// Flows returns the current flows; it is called on every new session,
	// so moderators' edits apply without a restart.
	Flows     func() *flows.Catalog
	StudyInfo string // Markdown shown with the consent question
	// ConsentVersion is study.consent_version; with a Retention period
	// set, the version recorded is this with a hash of the period's
	// statement (withRetention), so a new period asks for consent again.
	ConsentVersion string
	// Retention is stated with the study information when set.
	Retention Retention
	Detector  *safety.Detector
	Signpost  string // message shown before the resources
	Resources []safety.Resource
	Now       func() time.Time // default time.Now
	NewID     func() string    // default random ids
	// ExpireAfter closes a session left unfinished longer than this as
	// a partial response (sessions.expire_after) when it is next looked
	// up, if the periodic job has not yet; 0: never.
	ExpireAfter time.Duration
	// Log receives what moderators must fix, such as a flow's when:
	// condition failing at run time (see flows.WhenFailed); never a
	// participant's id or answers. nil: discarded.
	Log *slog.Logger
	// Reminders is set when reminders are on (reminders.enabled): Begin
	// then keeps how to reach the participant, sealed under their key,
	// and allows reminders again after No more reminders (reminders.go).
	Reminders bool
}

// Service runs participants through consent and flows.
type Service struct {
	st      Store
	cfg     Config
	consent *flows.Flow

	mu       sync.Mutex
	versions map[string]*flows.Flow // parsed older flow versions, by hash
	saved    map[string]bool        // flow versions known to be stored

	locks keylock.Locks // per participant, so a double click is applied once
	steps stepCache     // each participant's session as last saved here (stepcache.go)
}

// New returns a Service over st.
func New(st Store, cfg Config) (*Service, error) {
	if cfg.StudyInfo == "" {
		cfg.StudyInfo = DefaultStudyInfo
	}
	if cfg.ConsentVersion == "" {
		cfg.ConsentVersion = "1"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = randomID
	}
	if cfg.Detector == nil {
		d, err := safety.New(safety.Options{})
		if err != nil {
			return nil, fmt.Errorf("participant: default safety detector: %w", err)
		}
		cfg.Detector = d
	}
	if cfg.Signpost == "" {
		cfg.Signpost = safety.DefaultMessage
	}
	if cfg.Resources == nil {
		cfg.Resources = safety.DefaultResources()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Flows == nil {
		return nil, errors.New("participant: no flows configured")
	}
	info, version := withRetention(cfg.StudyInfo, cfg.ConsentVersion, cfg.Retention)
	cfg.ConsentVersion = version
	for _, text := range info {
		if n := utf8.RuneCountInString(text); n > MaxStudyInfo {
			return nil, fmt.Errorf("participant: the study information is %d characters, with the retention period; at most %d fit beside the consent question in Discord: shorten study.info_file", n, MaxStudyInfo)
		}
	}
	cf, err := consentFlow(cfg.StudyInfo, info)
	if err != nil {
		return nil, err
	}
	return &Service{st: st, cfg: cfg, consent: cf, versions: map[string]*flows.Flow{}, saved: map[string]bool{}}, nil
}

// Reply is what to show a participant after a step, in order: the
// signpost (if any) first, then the flow's outputs.
type Reply struct {
	// Signpost is the support message and resources, set when the
	// participant's words suggested crisis, or when they asked for help.
	Signpost string
	// Outputs are the engine's outputs: questions, reasons, the end.
	Outputs []flows.Output
	// Flow is the flow the outputs belong to (the consent flow during
	// consent); Session is the session after the step.
	Flow    *flows.Flow
	Session flows.Session
	// Consent reports a consent decision made by this step.
	Consent *store.Consent
	// Declined is set when the participant chose not to take part.
	Declined bool
	// Stale is set when the input was for a question that is no longer
	// the current one (a second click, an old message): nothing changed.
	Stale bool
	// Kept is set when the participant's earlier session of this flow
	// was left unfinished too long and closed as a partial response: its
	// answers were kept, and this is a fresh start (or, on a stale
	// input, the session can no longer be carried on). Front ends say
	// so kindly (uitext.ExpiredKept).
	Kept bool
}

// HelpMessage introduces the resources when a participant asks for help.
// Unlike the crisis signpost it assumes nothing about how they feel. It
// is the English of uitext.HelpIntro.
const HelpMessage = "PeerVoice is a research tool run by this community, not a support service, and it can't give advice. If you'd like support, now or at any time, these services are there for you:"

// Help returns the resources with a neutral introduction, for `help`.
func (s *Service) Help() string { return s.HelpIn(uitext.English) }

// HelpIn is Help with the introduction in lang (any tag; English where
// PeerVoice has no catalog). The resources are shown as configured.
func (s *Service) HelpIn(lang string) string {
	return safety.Signpost(uitext.T(lang, uitext.HelpIntro), s.cfg.Resources)
}

// crisis returns the signpost for words that suggest crisis, its
// framing in lang unless the config gives a message of its own.
func (s *Service) crisis(lang string) string {
	msg := s.cfg.Signpost
	if msg == safety.DefaultMessage {
		msg = uitext.T(lang, uitext.CrisisFraming)
	}
	return safety.Signpost(msg, s.cfg.Resources)
}

// Flows returns the current catalog.
func (s *Service) Flows() *flows.Catalog { return s.cfg.Flows() }

// record is the state the service stores for a session: the engine's
// session, and for the consent flow the flow to start once it is given.
type record struct {
	Session flows.Session `json:"session"`
	Then    string        `json:"then,omitempty"`
	// Chose is the language the participant picked themselves (a
	// language button, chat --lang); it outranks their Discord locale in
	// this session and in the flows they start after it.
	Chose string `json:"chose,omitempty"`
}

// lang is the language to reply in outside the flow's own wording: the
// session's, else the one the participant chose, else fallback.
func (r record) lang(fallback string) string {
	switch {
	case r.Session.Lang != "":
		return r.Session.Lang
	case r.Chose != "":
		return r.Chose
	}
	return fallback
}

// lock takes the participant's lock and drops their cached session
// (stepcache.go): whatever the caller does next is not an answer the
// cache can stand for.
func (s *Service) lock(pseudonym string) func() {
	unlock := s.locks.Lock(pseudonym)
	s.steps.forget(pseudonym)
	return unlock
}

func randomID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// needsConsent reports whether p must (re)consent before a flow.
func (s *Service) needsConsent(p store.Participant) bool {
	return p.Consent == nil || !p.Consent.TakePart || p.Consent.Version != s.cfg.ConsentVersion
}

// flow returns the flow a session runs on: the current one if the
// version matches, else the stored older version, so participants finish
// on the version they started.
func (s *Service) flow(ctx context.Context, flowID, version string) (*flows.Flow, error) {
	if flowID == ConsentFlowID && version == s.consent.Version {
		return s.consent, nil
	}
	if f, err := s.cfg.Flows().Get(flowID); err == nil && f.Version == version {
		return f, nil
	}
	s.mu.Lock()
	f, ok := s.versions[version]
	s.mu.Unlock()
	if ok {
		return f, nil
	}
	v, err := s.st.FlowVersion(ctx, version)
	if err != nil {
		return nil, fmt.Errorf("load flow %s version %s: %w", flowID, version, err)
	}
	f, probs := flows.Parse(flowID+".yaml", v.Source)
	if err := probs.Err(); err != nil {
		return nil, fmt.Errorf("stored flow %s version %s: %w", flowID, version, err)
	}
	s.mu.Lock()
	s.versions[version] = f
	s.mu.Unlock()
	return f, nil
}

func decode(rec store.Session) (record, error) {
	var r record
	if rec.Unreadable {
		return r, fmt.Errorf("decode session %s: %w: its stored state is damaged", rec.ID, store.ErrDecrypt)
	}
	if err := json.Unmarshal(rec.State, &r); err != nil {
		return r, fmt.Errorf("decode session %s: %w", rec.ID, err)
	}
	return r, nil
}

// known returns the participant with pseudonym pseud, or ErrNoSession if
// there is none: someone PeerVoice has never seen has no flow under way.
// Other errors are wrapped with op.
func (s *Service) known(ctx context.Context, pseud, op string) (store.Participant, error) {
	p, err := s.st.FindParticipant(ctx, pseud)
	if errors.Is(err, store.ErrNotFound) {
		return store.Participant{}, ErrNoSession
	}
	if err != nil {
		return store.Participant{}, fmt.Errorf("%s: %w", op, err)
	}
	return p, nil
}

// IsHelp reports whether typed text is a request for help ("help",
// "support", "cymorth", any case, in any catalogued language), which Input
// answers with the support resources and which front ends may answer with
// their own commands as well.
func IsHelp(text string) bool {
	return uitext.Typed(strings.TrimRight(strings.TrimSpace(text), "?")) == uitext.CmdHelp
}

// reportWhen logs each condition that failed at run time, so the
// moderators who own the flow hear of it: the engine asked the question
// rather than hide it, and a broken condition asks it of everyone.
func (s *Service) reportWhen(f *flows.Flow, outs []flows.Output) {
	for _, o := range outs {
		if w, ok := o.(flows.WhenFailed); ok {
			s.cfg.Log.Warn("a when: condition failed at run time, so its question was asked; fix the condition (peervoice flows lint shows where)",
				"flow", f.ID, "version", f.Version, "question", w.Question.ID, "when", w.Question.When, "err", w.Reason)
		}
	}
}
