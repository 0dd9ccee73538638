package participant_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// plainStore is the store without the one-transaction reads (ReadStep,
// OpenSession): embedding the interface, not *store.DB, hides them, so
// the service reads it the longer way, as it reads the bot's preview
// store.
type plainStore struct{ participant.Store }

// twin is a service whose clock and ids are its own, over its own file.
type twin struct {
	t   *testing.T
	db  *store.DB
	svc *participant.Service
	now time.Time
	ids int
}

func newTwin(t *testing.T, plain bool) *twin {
	w := &twin{t: t, now: time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)}
	w.db = storetest.Open(t, storetest.Path(t), store.Options{Now: func() time.Time { return w.now }})
	var st participant.Store = w.db
	if plain {
		st = plainStore{w.db}
	}
	w.svc = storetest.Service(t, st, participant.Config{
		Now:         func() time.Time { return w.now },
		NewID:       func() string { w.ids++; return fmt.Sprintf("s%02d", w.ids) },
		ExpireAfter: 30 * 24 * time.Hour,
	})
	return w
}

// summary is what a front end shows of a step, in a line.
func summary(r participant.Reply, err error) string {
	flow := ""
	if r.Flow != nil {
		flow = r.Flow.ID
	}
	return fmt.Sprintf("flow=%s asked=%s session=%s/%s stale=%v kept=%v signpost=%v err=%v",
		flow, asked(r), r.Session.ID, r.Session.Status, r.Stale, r.Kept, r.Signpost != "", err)
}

// TestReadStepPathMatchesTheLongWay runs one script of steps, with stale
// buttons, two flows under way, Continue, help, crisis words and a
// lapse past ExpireAfter, through a service over *store.DB (one read per
// step) and one over the same store without ReadStep (a read for the
// participant, another for the sessions, as before): every reply and
// the sessions left must be the same.
func TestReadStepPathMatchesTheLongWay(t *testing.T) {
	fast, slow := newTwin(t, false), newTwin(t, true)
	alice := participant.User{Platform: "discord", ID: "423456789012345678"}
	bob := participant.User{Platform: "discord", ID: "523456789012345678"}
	type step struct {
		what string
		do   func(w *twin) (participant.Reply, error)
	}
	begin := func(u participant.User, flow string) func(w *twin) (participant.Reply, error) {
		return func(w *twin) (participant.Reply, error) { return w.svc.Begin(ctx, u, flow, "") }
	}
	say := func(u participant.User, line string) func(w *twin) (participant.Reply, error) {
		return func(w *twin) (participant.Reply, error) {
			return w.svc.Input(ctx, u, participant.Step{Input: flows.Typed(line)})
		}
	}
	button := func(u participant.User, session, question, line string) func(w *twin) (participant.Reply, error) {
		return func(w *twin) (participant.Reply, error) {
			return w.svc.Input(ctx, u, participant.Step{SessionID: session, QuestionID: question, Input: flows.Typed(line)})
		}
	}
	wait := func(d time.Duration) func(w *twin) (participant.Reply, error) {
		return func(w *twin) (participant.Reply, error) { w.now = w.now.Add(d); return participant.Reply{}, nil }
	}
	script := []step{
		{"alice types before PeerVoice knows her", say(alice, "hello")},
		{"alice begins", begin(alice, "recovery")},
		{"takes part", say(alice, "1")},
		{"quotes", say(alice, "1")},
		{"own words", say(alice, "My life on my own terms")},
		{"bob begins", begin(bob, "recovery")},
		{"bob takes part", say(bob, "1")},
		{"alice clicks bob's session", button(alice, "s03", "take_part", "1")},
		{"alice clicks a session that never was", button(alice, "zz", "own_words", "1")},
		{"alice clicks an old question of hers", button(alice, "s01", "take_part", "1")},
		{"word fits", say(alice, "2")},
		{"alice pauses", say(alice, "stop")},
		{"alice begins another flow", begin(alice, "what-matters")},
		{"answers it", say(alice, "2")},
		{"crisis words", say(alice, "some days I want to end my life")},
		{"help", say(alice, "help")},
		{"continue", func(w *twin) (participant.Reply, error) { return w.svc.Continue(ctx, alice) }},
		{"back to recovery", begin(alice, "recovery")},
		{"better words", say(alice, "Getting by")},
		{"a day later", wait(24 * time.Hour)},
		{"team agrees", say(alice, "4")},
		{"thirty-one days later", wait(31 * 24 * time.Hour)},
		{"alice types: both flows lapse", say(alice, "1")},
		{"and clicks the lapsed session", button(alice, "s02", "team_view", "words")},
		{"bob types: his lapses", say(bob, "1")},
		{"alice comes back", begin(alice, "recovery")},
		{"and answers", say(alice, "Different words")},
	}
	for _, s := range script {
		fast.now, slow.now = fast.now.Add(time.Minute), slow.now.Add(time.Minute)
		got, want := summary(s.do(fast)), summary(s.do(slow))
		if got != want {
			t.Errorf("%s: with ReadStep %s\nthe long way %s", s.what, got, want)
		}
	}
	for _, u := range []participant.User{alice, bob} {
		if got, want := sessions(t, fast, u), sessions(t, slow, u); got != want {
			t.Errorf("sessions left: with ReadStep %s; the long way %s", got, want)
		}
	}
	// The script must reach what it is about: the lapses and the stale
	// clicks (a script that no longer did would compare nothing).
	if got := sessions(t, fast, alice); strings.Count(got, "expired") != 2 {
		t.Errorf("alice's sessions %s; want two expired on the way", got)
	}
	if _, err := fast.svc.Input(ctx, bob, participant.Step{Input: flows.Typed("1")}); !errors.Is(err, participant.ErrNoSession) {
		t.Errorf("bob after his lapse: %v; want ErrNoSession", err)
	}
}

// sessions lists u's sessions in w as id/flow/status, newest first.
func sessions(t *testing.T, w *twin, u participant.User) string {
	t.Helper()
	p, err := w.db.FindParticipant(ctx, w.db.Pseudonym(u.Platform, u.ID))
	if err != nil {
		t.Fatal(err)
	}
	all, err := w.db.Sessions(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range all {
		out = append(out, s.ID+"/"+s.FlowID+"/"+s.Status)
	}
	return strings.Join(out, " ")
}
