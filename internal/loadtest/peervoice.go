package loadtest

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/bot"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/discordtest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// PeerVoice is the real bot on a real SQLite file (synchronous FULL, as
// in production), with the built-in flows. Its runs also report the time
// inside the participant service and the store per answer.
var PeerVoice = Bot{name: "peervoice", start: startPeerVoice}

func startPeerVoice(b testing.TB, e *discordtest.Emulator, cfg Config) *running {
	// Opened and closed here, not with storetest.Open: its cleanup would
	// keep the store reachable after stop, and the memory figures count
	// what stopping the bot frees.
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "peervoice.db"), store.Options{Synchronous: cfg.Synchronous})
	if err != nil {
		b.Fatal(err)
	}
	cat, err := flows.Default()
	if err != nil {
		b.Fatal(err)
	}
	timed := &timedStore{DB: db, save: &hist{}}
	svc, err := participant.New(timed, participant.Config{Flows: func() *flows.Catalog { return cat }})
	if err != nil {
		b.Fatal(err)
	}
	log := &logCounter{}
	tsvc := &timedService{Service: svc, input: &hist{}}
	// settle ends the session with op 9; the 1 to 5 seconds' back-off
	// before identifying again would only slow the benchmark down.
	noBackoff := func() time.Duration { return 0 }
	pv, err := bot.New(bot.Config{Token: e.Token(), APIURL: e.URL(), Log: slog.New(log), InvalidSessionBackoff: noBackoff}, tsvc)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pv.Run(ctx) }()
	wait, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	if err := e.WaitCommands(wait, "", "survey"); err != nil {
		cancel()
		b.Fatalf("bot did not register its commands: %v", err)
	}
	return &running{
		flows: cat.IDs(),
		check: func() { log.check(b) },
		input: tsvc.input,
		save:  timed.save,
		stop: func() {
			cancel()
			if err := <-done; err != nil {
				b.Errorf("bot.Run: %v", err)
			}
			if err := db.Close(); err != nil {
				b.Error(err)
			}
		},
	}
}

// timedService times the participant service's Input, which is the whole
// of PeerVoice's own work for an answer.
type timedService struct {
	*participant.Service
	input *hist
}

func (s *timedService) Input(ctx context.Context, u participant.User, step participant.Step) (participant.Reply, error) {
	t0 := time.Now()
	r, err := s.Service.Input(ctx, u, step)
	s.input.add(int64(time.Since(t0)))
	return r, err
}

// timedStore times the store's durable step.
type timedStore struct {
	*store.DB
	save *hist
}

func (s *timedStore) SaveStep(ctx context.Context, st store.Session, answers []store.Answer, cleared []string) error {
	t0 := time.Now()
	err := s.DB.SaveStep(ctx, st, answers, cleared)
	s.save.add(int64(time.Since(t0)))
	return err
}

// SaveStepIf times the conditional durable step, which the service
// takes for an answer to the session it kept from the last one
// (participant/stepcache.go): without it the save figures would count
// only the other steps.
func (s *timedStore) SaveStepIf(ctx context.Context, st store.Session, answers []store.Answer, cleared []string, rev store.StepRev, open bool) (store.StepRev, error) {
	t0 := time.Now()
	wrote, err := s.DB.SaveStepIf(ctx, st, answers, cleared, rev, open)
	s.save.add(int64(time.Since(t0)))
	return wrote, err
}

// logCounter counts what the bot logs at warning level and above,
// keeping the first few, so a benchmark does not pass while replies are
// being lost. Discord's refusals of late interaction responses (10062),
// and the failed edits of deferrals so refused (10008), are counted
// apart: under overload they are a result (late-acks, stranded).
type logCounter struct {
	mu      sync.Mutex
	errs    int
	warns   int
	late    int
	samples []string
}

func (l *logCounter) Enabled(_ context.Context, lvl slog.Level) bool { return lvl >= slog.LevelWarn }
func (l *logCounter) WithAttrs([]slog.Attr) slog.Handler             { return l }
func (l *logCounter) WithGroup(string) slog.Handler                  { return l }

func (l *logCounter) Handle(_ context.Context, r slog.Record) error {
	var sb strings.Builder
	sb.WriteString(r.Level.String() + " " + r.Message)
	r.Attrs(func(a slog.Attr) bool {
		sb.WriteString(" " + a.String())
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case strings.Contains(sb.String(), "Unknown interaction"),
		strings.Contains(sb.String(), "edit deferred response") && strings.Contains(sb.String(), "Unknown Message"):
		l.late++
		return nil
	case r.Level >= slog.LevelError:
		l.errs++
	default:
		l.warns++
	}
	if len(l.samples) < 5 {
		l.samples = append(l.samples, sb.String())
	}
	return nil
}

// check fails b if the bot logged errors, and logs what else it said.
func (l *logCounter) check(b testing.TB) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.late > 0 {
		b.Logf("the bot logged %d failures from late interaction responses (10062 Unknown interaction; 10008 on editing a refused deferral)", l.late)
	}
	if l.errs > 0 {
		b.Errorf("the bot logged %d errors and %d warnings, first: %q", l.errs, l.warns, l.samples)
	} else if l.warns > 0 {
		b.Logf("the bot logged %d warnings, first: %q", l.warns, l.samples)
	}
}
