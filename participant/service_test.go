package participant_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

var ctx = context.Background()

// env is a service over a real SQLite file.
type env struct {
	t    *testing.T
	path string
	db   *store.DB
	svc  *participant.Service
	cat  *flows.Catalog
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, path: storetest.Path(t), cat: storetest.Flows(t)}
	e.open(participant.Config{})
	return e
}

// open (re)opens the database and builds a service, as a restart does.
func (e *env) open(cfg participant.Config) {
	e.t.Helper()
	if e.db != nil {
		e.db.Close()
	}
	e.db = storetest.Open(e.t, e.path, store.Options{})
	if cfg.Flows == nil {
		cfg.Flows = func() *flows.Catalog { return e.cat }
	}
	e.svc = storetest.Service(e.t, e.db, cfg)
}

var alice = participant.User{Platform: "discord", ID: "123456789012345678"}

// asked returns the id of the last question in a reply, or "".
func asked(r participant.Reply) string {
	for i := len(r.Outputs) - 1; i >= 0; i-- {
		if a, ok := r.Outputs[i].(flows.Ask); ok {
			return a.Question.ID
		}
	}
	return ""
}

func (e *env) say(u participant.User, line string) participant.Reply {
	e.t.Helper()
	r, err := e.svc.Input(ctx, u, participant.Step{Input: flows.Typed(line)})
	if err != nil {
		e.t.Fatalf("Input(%q): %v", line, err)
	}
	return r
}

// consent takes u through consent with the given answers and returns the
// reply to the last one.
func (e *env) consent(u participant.User, flow string, takePart, quotes string) participant.Reply {
	e.t.Helper()
	r, err := e.svc.Begin(ctx, u, flow, "")
	if err != nil {
		e.t.Fatal(err)
	}
	if asked(r) != "take_part" {
		e.t.Fatalf("Begin asked %q; want take_part first", asked(r))
	}
	r = e.say(u, takePart)
	if takePart == "yes" {
		r = e.say(u, quotes)
	}
	return r
}

func TestConsentThenFlow(t *testing.T) {
	e := newEnv(t)
	r, err := e.svc.Begin(ctx, alice, "recovery", "")
	if err != nil {
		t.Fatal(err)
	}
	ask := r.Outputs[0].(flows.Ask)
	if ask.Question.ID != "take_part" || !strings.Contains(ask.Intro, "About this study") {
		t.Fatalf("first output = %s with intro %q; want take_part with the study information", ask.Question.ID, ask.Intro)
	}
	r = e.say(alice, "1")
	if asked(r) != "quotes" {
		t.Fatalf("after yes, asked %q; want quotes", asked(r))
	}
	r = e.say(alice, "no")
	if r.Consent == nil || !r.Consent.TakePart || r.Consent.Quotes || r.Consent.Version != "1" {
		t.Errorf("consent = %+v; want take part, no quotes, version 1", r.Consent)
	}
	if r.Flow.ID != "recovery" || asked(r) != e.mustFlow("recovery").Questions[0].ID {
		t.Errorf("after consent, reply is %s/%s; want the recovery flow's first question", r.Flow.ID, asked(r))
	}
	d, err := e.svc.MyData(ctx, alice)
	if err != nil || d.Consent == nil || !d.Consent.TakePart {
		t.Errorf("MyData consent = %+v, %v", d.Consent, err)
	}
}

func (e *env) mustFlow(id string) *flows.Flow {
	f, err := e.cat.Get(id)
	if err != nil {
		e.t.Fatal(err)
	}
	return f
}

func TestDeclineKeepsNothing(t *testing.T) {
	e := newEnv(t)
	r := e.consent(alice, "recovery", "no", "")
	if !r.Declined {
		t.Errorf("reply.Declined = false after no")
	}
	st, err := e.db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Participants != 0 || st.Sessions != 0 || st.Answers != 0 {
		t.Errorf("after declining, stats = %+v; want nothing stored", st)
	}
	// Skipping the consent question is not consent either.
	r, _ = e.svc.Begin(ctx, alice, "recovery", "")
	r = e.say(alice, "skip")
	if !r.Declined {
		t.Errorf("skipping take_part did not decline: %+v", r)
	}
}

func TestConsentVersionAsksAgain(t *testing.T) {
	e := newEnv(t)
	e.consent(alice, "recovery", "yes", "yes")
	e.open(participant.Config{ConsentVersion: "2"})
	r, err := e.svc.Begin(ctx, alice, "recovery", "")
	if err != nil {
		t.Fatal(err)
	}
	if asked(r) != "take_part" {
		t.Errorf("after a new consent version, Begin asked %q; want take_part", asked(r))
	}
}

func TestAnswersAreStoredAndResumeAfterRestart(t *testing.T) {
	e := newEnv(t)
	r := e.consent(alice, "recovery", "yes", "yes")
	f := r.Flow
	first := asked(r)
	q := f.Question(first)
	if q.Type != flows.TypeText {
		t.Fatalf("recovery starts with %s; this test expects a text question", q.Type)
	}
	r = e.say(alice, "Getting my life back on my own terms")
	second := asked(r)
	// Restart: a new service on the same database file.
	e.open(participant.Config{})
	r, err := e.svc.Continue(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if asked(r) != second {
		t.Errorf("after restart, Continue asked %q; want %q", asked(r), second)
	}
	d, err := e.svc.MyData(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Answers) != 1 || d.Answers[0].Answer != "Getting my life back on my own terms" || d.Answers[0].QuestionID != first {
		t.Errorf("MyData answers = %+v", d.Answers)
	}
}

func TestCrisisLanguageSignpostsAndSaves(t *testing.T) {
	e := newEnv(t)
	e.consent(alice, "recovery", "yes", "yes")
	r := e.say(alice, "Some days I want to end my life")
	if !strings.Contains(r.Signpost, "116 123") {
		t.Errorf("Signpost = %q; want the Samaritans' number", r.Signpost)
	}
	d, _ := e.svc.MyData(ctx, alice)
	if len(d.Answers) != 1 || !strings.Contains(d.Answers[0].Answer, "end my life") {
		t.Errorf("the answer was not saved: %+v", d.Answers)
	}
	r = e.say(alice, "I nearly died laughing at the group")
	if r.Signpost != "" {
		t.Errorf("an idiom signposted: %q", r.Signpost)
	}
}

func TestHelpChangesNothing(t *testing.T) {
	e := newEnv(t)
	e.consent(alice, "recovery", "yes", "yes")
	r := e.say(alice, "help")
	if !strings.Contains(r.Signpost, "Samaritans") {
		t.Errorf("help = %q", r.Signpost)
	}
	if d, _ := e.svc.MyData(ctx, alice); len(d.Answers) != 0 {
		t.Errorf("help was stored as an answer: %+v", d.Answers)
	}
	// Help works for someone who has never taken part, too.
	r, err := e.svc.Input(ctx, participant.User{Platform: "discord", ID: "9"}, participant.Step{Input: flows.Typed("help")})
	if err != nil || r.Signpost == "" {
		t.Errorf("help for a stranger = %q, %v", r.Signpost, err)
	}
}

func TestCrisisWithNoSessionStillSignposts(t *testing.T) {
	e := newEnv(t)
	r, err := e.svc.Input(ctx, alice, participant.Step{Input: flows.Typed("i want to kill myself")})
	if !errors.Is(err, participant.ErrNoSession) || r.Signpost == "" {
		t.Errorf("Input with no session = %q, %v; want a signpost and ErrNoSession", r.Signpost, err)
	}
}

// TestStrangerHasNoSession: someone PeerVoice has never seen has no flow
// under way to continue or switch language in, and nothing is stored
// about them by asking.
func TestStrangerHasNoSession(t *testing.T) {
	e := newEnv(t)
	stranger := participant.User{Platform: "discord", ID: "404"}
	for name, call := range map[string]func() (participant.Reply, error){
		"Continue":    func() (participant.Reply, error) { return e.svc.Continue(ctx, stranger) },
		"SetLanguage": func() (participant.Reply, error) { return e.svc.SetLanguage(ctx, stranger, "no-such-session", "cy") },
	} {
		if _, err := call(); !errors.Is(err, participant.ErrNoSession) {
			t.Errorf("%s for a stranger: err = %v; want ErrNoSession", name, err)
		}
	}
	if d, err := e.svc.MyData(ctx, stranger); err != nil || d.Consent != nil || len(d.Answers) != 0 {
		t.Errorf("MyData for a stranger after asking = %+v, %v; want nothing stored", d, err)
	}
}

func TestStaleAndDoubleClicks(t *testing.T) {
	e := newEnv(t)
	r := e.consent(alice, "what-matters", "yes", "yes")
	sid, qid := r.Session.ID, asked(r)
	q := r.Flow.Question(qid)
	if !q.HasOptions() {
		t.Fatalf("what-matters starts with a %s question; this test needs options", q.Type)
	}
	click := participant.Step{SessionID: sid, QuestionID: qid, Input: flows.Input{Kind: flows.Choose, Choices: []string{q.Options[0].ID}}}
	var wg sync.WaitGroup
	replies := make([]participant.Reply, 8)
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if replies[i], err = e.svc.Input(ctx, alice, click); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	stale := 0
	for _, r := range replies {
		if r.Stale {
			stale++
		}
	}
	if stale != len(replies)-1 {
		t.Errorf("%d of %d identical clicks were stale; want all but one", stale, len(replies))
	}
	if st, _ := e.db.Stats(ctx); st.Answers != 1 {
		t.Errorf("answers stored = %d; want 1", st.Answers)
	}
}

func TestOlderVersionFinishesOnItsVersion(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	v1 := "id: mini\ntitle: Mini\ntheme: T\nquestions:\n  - {id: a, type: text, prompt: First version A}\n  - {id: b, type: text, prompt: First version B}\n"
	v2 := "id: mini\ntitle: Mini\ntheme: T\nquestions:\n  - {id: a, type: text, prompt: Second version A}\n  - {id: c, type: text, prompt: Second version C}\n"
	write := func(src string) *flows.Catalog {
		if err := os.WriteFile(filepath.Join(dir, "mini.yaml"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		c, probs := flows.LoadDir(dir)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		return c
	}
	e.cat = write(v1)
	r := e.consent(alice, "mini", "yes", "yes")
	r = e.say(alice, "an answer")
	if asked(r) != "b" {
		t.Fatalf("asked %q; want b", asked(r))
	}
	e.cat = write(v2) // a moderator edits the flow mid-session
	e.open(participant.Config{})
	r, err := e.svc.Continue(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if asked(r) != "b" || r.Flow.Question("b").Prompt.String() != "First version B" {
		t.Errorf("after the edit, asked %q; want b from the first version", asked(r))
	}
	r = e.say(alice, "done")
	if _, ok := r.Outputs[len(r.Outputs)-1].(flows.Finished); !ok {
		t.Errorf("the old session did not finish: %v", r.Outputs)
	}
	// A new session gets the new version.
	r, _ = e.svc.Begin(ctx, alice, "mini", "")
	if r.Flow.Question("a").Prompt.String() != "Second version A" {
		t.Errorf("a new session got the old version")
	}
}

func TestWithdraw(t *testing.T) {
	e := newEnv(t)
	e.consent(alice, "recovery", "yes", "yes")
	e.say(alice, "my words")
	found, err := e.svc.Withdraw(ctx, alice)
	if err != nil || !found {
		t.Fatalf("Withdraw = %v, %v", found, err)
	}
	d, err := e.svc.MyData(ctx, alice)
	if err != nil || d.Consent != nil || len(d.Answers) != 0 {
		t.Errorf("after Withdraw, MyData = %+v, %v", d, err)
	}
	if found, _ := e.svc.Withdraw(ctx, alice); found {
		t.Errorf("second Withdraw found data")
	}
}

func TestOverview(t *testing.T) {
	e := newEnv(t)
	e.consent(alice, "recovery", "yes", "yes")
	list, err := e.svc.Overview(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]participant.Progress{}
	for _, fs := range list {
		got[fs.Flow.ID] = fs.Progress
	}
	if got["recovery"] != participant.InProgress || got["risk"] != participant.NotStarted {
		t.Errorf("Overview = %v", got)
	}
}

// TestNoRawIDsOrWordsInTheFile scans the database files' bytes after a
// conversation: neither the Discord id nor the free text may be there.
func TestNoRawIDsOrWordsInTheFile(t *testing.T) {
	e := newEnv(t)
	e.consent(alice, "recovery", "yes", "yes")
	words := "My recovery is mine and nobody else's"
	e.say(alice, words)
	e.db.Close()
	matches, _ := filepath.Glob(e.path + "*")
	for _, file := range matches {
		if strings.HasSuffix(file, ".key") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{alice.ID, words} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q", filepath.Base(file), secret)
			}
		}
	}
	_ = time.Now
}

func TestStudyInfoTooLong(t *testing.T) {
	e := newEnv(t)
	_, err := participant.New(e.db, participant.Config{Flows: func() *flows.Catalog { return e.cat }, StudyInfo: strings.Repeat("x", participant.MaxStudyInfo+1)})
	if err == nil || !strings.Contains(err.Error(), "study.info_file") {
		t.Errorf("New with long study info = %v; want an error naming study.info_file", err)
	}
}

// TestOverviewFinished: a finished flow is done with the time it was
// finished; started again, it is in progress and still says when it was
// first finished.
func TestOverviewFinished(t *testing.T) {
	e := newEnv(t)
	at := time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC)
	e.open(participant.Config{Now: func() time.Time { return at }})
	e.consent(alice, "recovery-tools", "yes", "no")
	if r := e.say(alice, "no"); asked(r) != "" {
		t.Fatalf("answering no asked %q; want the end of recovery-tools", asked(r))
	}
	status := func() participant.FlowStatus {
		t.Helper()
		list, err := e.svc.Overview(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		for _, fs := range list {
			if fs.Flow.ID == "recovery-tools" {
				return fs
			}
		}
		t.Fatal("Overview lacks recovery-tools")
		return participant.FlowStatus{}
	}
	if got := status(); got.Progress != participant.Completed || !got.Finished.Equal(at) {
		t.Errorf("after finishing: Progress %q, Finished %v; want %q, %v", got.Progress, got.Finished, participant.Completed, at)
	}
	if _, err := e.svc.Begin(ctx, alice, "recovery-tools", ""); err != nil {
		t.Fatal(err)
	}
	if got := status(); got.Progress != participant.InProgress || !got.Finished.Equal(at) {
		t.Errorf("started again: Progress %q, Finished %v; want %q, %v", got.Progress, got.Finished, participant.InProgress, at)
	}
}

// TestDefaultStudyInfoNamesNoPlatform: the built-in study information
// is shown in the terminal as well as in Discord, so it names neither.
func TestDefaultStudyInfoNamesNoPlatform(t *testing.T) {
	for _, word := range []string{"Discord", "server", "terminal"} {
		if strings.Contains(strings.ToLower(participant.DefaultStudyInfo), strings.ToLower(word)) {
			t.Errorf("DefaultStudyInfo mentions %q:\n%s", word, participant.DefaultStudyInfo)
		}
	}
}

func TestIsHelp(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{{"help", true}, {" Help? ", true}, {"/help", true}, {"support", true}, {"help me", false}, {"skip", false}, {"", false}} {
		if got := participant.IsHelp(tc.in); got != tc.want {
			t.Errorf("IsHelp(%q) = %v; want %v", tc.in, got, tc.want)
		}
	}
}
