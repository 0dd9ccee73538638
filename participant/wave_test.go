package participant_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

const checkinYAML = `id: checkin
title: Weekly check-in
theme: Wellbeing
repeat: every 14d
questions:
  - id: listened
    type: scale
    scale: agree5
    prompt: I have felt listened to.
`

// testClock is the service's clock, moved by the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newWaveEnv serves the repeating check-in and a flow taken once, on
// the test clock.
func newWaveEnv(t *testing.T) (*env, *testClock) {
	t.Helper()
	once := strings.NewReplacer("id: checkin", "id: once", "repeat: every 14d\n", "").Replace(checkinYAML)
	cat, probs := flows.Load(fstest.MapFS{"checkin.yaml": {Data: []byte(checkinYAML)}, "once.yaml": {Data: []byte(once)}}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)}
	e := &env{t: t, path: t.TempDir() + "/peervoice.db", cat: cat}
	e.open(participant.Config{Now: clock.now})
	return e, clock
}

// finish takes u through the one question of flow id, from Begin.
func (e *env) finish(u participant.User, id string) {
	e.t.Helper()
	r, err := e.svc.Begin(ctx, u, id, "")
	if err != nil {
		e.t.Fatalf("Begin(%s) = %v", id, err)
	}
	if asked(r) != "listened" {
		e.t.Fatalf("Begin(%s) asked %q; want listened", id, asked(r))
	}
	e.say(u, "1")
}

// status returns u's line of the menu for flow id.
func (e *env) status(u participant.User, id string) participant.FlowStatus {
	e.t.Helper()
	list, err := e.svc.Overview(ctx, u)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, fs := range list {
		if fs.Flow.ID == id {
			return fs
		}
	}
	e.t.Fatalf("no flow %s in the overview", id)
	return participant.FlowStatus{}
}

// TestRepeatingFlowWaves: a participant who finished a repeating flow is
// told when the next wave opens, and nothing starts; once the period has
// passed, the next wave starts as a session of its own, wave 2.
func TestRepeatingFlowWaves(t *testing.T) {
	e, clock := newWaveEnv(t)
	e.consent(alice, "checkin", "yes", "no")
	e.say(alice, "1") // the check-in's one question: wave 1 is done
	finished := clock.now()

	clock.add(13 * 24 * time.Hour)
	st := e.status(alice, "checkin")
	if st.Progress != participant.Completed || st.Wave != 1 || !st.Waiting || !st.NextWave.Equal(finished.AddDate(0, 0, 14)) {
		t.Errorf("Overview after wave 1 = %+v; want done, wave 1, waiting until %v", st, finished.AddDate(0, 0, 14))
	}
	_, err := e.svc.Begin(ctx, alice, "checkin", "")
	var wait *participant.WaveNotOpenError
	if !errors.As(err, &wait) || !errors.Is(err, participant.ErrWaveNotOpen) {
		t.Fatalf("Begin(checkin) 13 days on = %v; want a WaveNotOpenError", err)
	}
	if wait.Wave != 2 || !wait.Opens.Equal(finished.AddDate(0, 0, 14)) {
		t.Errorf("WaveNotOpenError = wave %d opening %v; want wave 2 opening %v", wait.Wave, wait.Opens, finished.AddDate(0, 0, 14))
	}
	msg := wait.Message("en")
	for _, want := range []string{"Weekly check-in", "every 14 days", "16 March 2026", "/mydata"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Message(en) = %q; want it to say %q", msg, want)
		}
	}
	if due, err := e.svc.WavesDue(ctx, clock.now()); err != nil || len(due) != 0 {
		t.Errorf("WavesDue 13 days on = %+v, %v; want none", due, err)
	}

	clock.add(24 * time.Hour) // the period has passed
	due, err := e.svc.WavesDue(ctx, clock.now())
	if err != nil || len(due) != 1 || due[0].FlowID != "checkin" || due[0].Wave != 2 {
		t.Errorf("WavesDue 14 days on = %+v, %v; want alice's wave 2 of checkin", due, err)
	}
	if st := e.status(alice, "checkin"); st.Waiting {
		t.Errorf("Overview 14 days on = %+v; want the next wave open", st)
	}
	e.finish(alice, "checkin")
	p, err := e.db.FindParticipant(ctx, e.db.Pseudonym(alice.Platform, alice.ID))
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := e.db.Sessions(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	waves := map[int]bool{}
	for _, s := range sessions {
		if s.FlowID == "checkin" && s.Status == "done" {
			waves[s.Wave] = true
		}
	}
	if len(waves) != 2 || !waves[1] || !waves[2] {
		t.Errorf("done check-in sessions have waves %v; want 1 and 2", waves)
	}
	answers, err := e.db.Answers(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 2 {
		t.Errorf("Answers() = %d answers; want 2, one per wave, the first kept", len(answers))
	}
	if _, err := e.svc.Begin(ctx, alice, "checkin", ""); !errors.Is(err, participant.ErrWaveNotOpen) {
		t.Errorf("Begin(checkin) just after wave 2 = %v; want ErrWaveNotOpen", err)
	}
}

// TestOnceFlowAgainAtAnyTime: a flow without repeat: is answered again
// whenever the participant asks, as before waves.
func TestOnceFlowAgainAtAnyTime(t *testing.T) {
	e, _ := newWaveEnv(t)
	e.consent(alice, "once", "yes", "no")
	e.say(alice, "1")
	if st := e.status(alice, "once"); st.Waiting || !st.NextWave.IsZero() || st.Wave != 1 {
		t.Errorf("Overview of a flow taken once = %+v; want wave 1, nothing to wait for", st)
	}
	e.finish(alice, "once") // at once: a second set
	if st := e.status(alice, "once"); st.Wave != 2 || st.Progress != participant.Completed {
		t.Errorf("Overview after a second set = %+v; want wave 2, done", st)
	}
}
