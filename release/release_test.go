package release_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/internal/testutil"
	"github.com/peervoice/peervoice/release"
	"github.com/peervoice/peervoice/store"
)

// answer stores one finished session on version hash of mood that
// chose option, as a participant's would be.
func answer(t *testing.T, e *env, hash, session, option string) {
	t.Helper()
	p, err := e.db.EnsureParticipant(ctxb, e.db.Pseudonym("test", session))
	if err != nil {
		t.Fatal(err)
	}
	s := store.Session{ID: session, ParticipantID: p.ID, FlowID: "mood", FlowVersion: hash, Status: "done", State: []byte(`{}`)}
	if err := e.db.SaveStep(ctxb, s, []store.Answer{{QuestionID: "feel", Kind: "choice", Choices: []string{option}}}, nil); err != nil {
		t.Fatal(err)
	}
}

// history renders the flow's versions as peervoice flows history does.
func history(t *testing.T, e *env, id string) string {
	t.Helper()
	vs, err := e.svc.History(ctxb, id)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, v := range vs {
		live := ""
		if v.Live {
			live = " live"
		}
		fmt.Fprintf(&b, "v%d%s %s %s %s: %s\n", v.N, live, v.At.Format("2006-01-02 15:04"), v.Hash, v.Actor, v.Summary)
	}
	return b.String()
}

// TestPublishHistoryRollback publishes, republishes the same source,
// rewords, and rolls back; the history, the sources shown and the audit
// log are compared with testdata/publish.golden.
func TestPublishHistoryRollback(t *testing.T) {
	e := newEnv(t)
	v1src, v2src := mood("How do you feel?", "good, okay, low"), mood("How are you feeling?", "good, okay, low")
	steps := []struct {
		name string
		do   func() (release.Version, error)
		want int // version number returned
	}{
		{"first", func() (release.Version, error) { return e.svc.PublishSource(ctxb, v1src, "mood.yaml", cli) }, 1},
		{"same source again", func() (release.Version, error) { return e.svc.PublishSource(ctxb, v1src, "flows/mood.yaml", cli) }, 1},
		{"reworded", func() (release.Version, error) { return e.svc.PublishSource(ctxb, v2src, "mood.yaml", cli) }, 2},
		{"rollback", func() (release.Version, error) { return e.svc.Rollback(ctxb, "mood", 1, mod) }, 3},
	}
	for _, s := range steps {
		v, err := s.do()
		if err != nil || v.N != s.want || !v.Live {
			t.Fatalf("%s: version %d live %t, %v; want v%d live", s.name, v.N, v.Live, err, s.want)
		}
	}
	for n, want := range map[int][]byte{0: v1src, 1: v1src, 2: v2src, 3: v1src} {
		if v, err := e.svc.Show(ctxb, "mood", n); err != nil || !bytes.Equal(v.Source, want) {
			t.Errorf("Show(mood, %d) = %q, %v; want %q", n, v.Source, err, want)
		}
	}
	if _, err := e.svc.Rollback(ctxb, "mood", 3, mod); err == nil || !strings.Contains(err.Error(), "live version already") {
		t.Errorf("Rollback to the live version = %v; want it refused", err)
	}
	if _, err := e.svc.Show(ctxb, "mood", 9); !errors.Is(err, release.ErrNoVersion) || !strings.Contains(err.Error(), "v1 to v3") {
		t.Errorf("Show(mood, 9) = %v; want ErrNoVersion naming v1 to v3", err)
	}
	if _, err := e.svc.History(ctxb, "nothing"); !errors.Is(err, release.ErrUnknownFlow) {
		t.Errorf("History(nothing) = %v; want ErrUnknownFlow", err)
	}
	cs, err := e.svc.Diff(ctxb, "mood", 1, 2)
	if err != nil || len(cs) != 1 || cs[0].Kind != "question reworded" || cs[0].QuestionID != "feel" {
		t.Errorf("Diff(mood, 1, 2) = %+v, %v; want feel reworded", cs, err)
	}
	if len(e.live) != 3 {
		t.Errorf("OnLive told of %d versions; want 3 (v1, v2, v3)", len(e.live))
	}
	got := history(t, e, "mood") + "\naudit:\n" + strings.Join(e.log.lines(), "\n") + "\n"
	testutil.Golden(t, "testdata/publish.golden", got)
}

// TestLintRefusedChangesNothing: a broken upload or publication returns
// the problems with their lines and leaves no trace but a failed audit
// entry; a batch with one broken file publishes none of it.
func TestLintRefusedChangesNothing(t *testing.T) {
	e := newEnv(t)
	broken := bytes.Replace(mood("How do you feel?", "good, low"), []byte("prompt: Why?"), []byte("promt: Why?"), 1)
	_, err := e.svc.Upload(ctxb, broken, "mood.yaml", mod)
	var lerr *release.LintError
	if !errors.As(err, &lerr) || len(lerr.Problems) == 0 || !strings.HasPrefix(lerr.Problems[0].Error(), "mood.yaml:9:5: ") {
		t.Fatalf("Upload(broken) = %v; want a LintError at mood.yaml:9:5", err)
	}
	_, err = e.svc.PublishSources(ctxb, []release.Source{{Name: "other.yaml", Src: []byte(strings.ReplaceAll(string(mood("A?", "a, b")), "mood", "other"))}, {Name: "mood.yaml", Src: broken}}, cli)
	if !errors.As(err, &lerr) {
		t.Fatalf("PublishSources(good, broken) = %v; want a LintError", err)
	}
	if list, err := e.svc.List(ctxb); err != nil || len(list) != 0 {
		t.Errorf("List after refused changes = %+v, %v; want nothing", list, err)
	}
	if _, ok, err := e.svc.Draft(ctxb, "mood"); ok || err != nil {
		t.Errorf("Draft after a refused upload: ok %t, %v; want none", ok, err)
	}
	want := []string{"Mo (1001) flows.upload mood.yaml failed 2 problem(s)",
		"cli:ann flows.publish other.yaml failed 2 problem(s) in 2 file(s); nothing published",
		"cli:ann flows.publish mood.yaml failed 2 problem(s) in 2 file(s); nothing published"}
	if got := e.log.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit = %q; want %q", got, want)
	}
}

// TestDraftNeedsConfirm: a draft that removes an option with answers
// says how many, and publishes only when confirmed.
func TestDraftNeedsConfirm(t *testing.T) {
	e := newEnv(t)
	v1, err := e.svc.PublishSource(ctxb, mood("How do you feel?", "good, okay, low"), "mood.yaml", cli)
	if err != nil {
		t.Fatal(err)
	}
	answer(t, e, v1.Hash, "s1", "low")
	answer(t, e, v1.Hash, "s2", "low")
	answer(t, e, v1.Hash, "s3", "good")
	if _, err := e.svc.Publish(ctxb, "mood", true, mod); !errors.Is(err, release.ErrNoDraft) {
		t.Errorf("Publish with no draft = %v; want ErrNoDraft", err)
	}
	d, err := e.svc.Upload(ctxb, mood("How do you feel?", "good, okay, very_low"), "mood.yaml", mod)
	if err != nil {
		t.Fatal(err)
	}
	if d.Against != 1 || d.Affected != 2 || len(d.Changes) != 2 || d.Changes[1].Kind != "option removed" || d.Changes[1].Affected != 2 {
		t.Fatalf("draft = against v%d, affected %d, changes %+v; want low removed touching 2 answers", d.Against, d.Affected, d.Changes)
	}
	if _, err := e.svc.Publish(ctxb, "mood", false, mod); !errors.Is(err, release.ErrNeedsConfirm) {
		t.Errorf("Publish unconfirmed = %v; want ErrNeedsConfirm", err)
	}
	if vs, _ := e.svc.History(ctxb, "mood"); len(vs) != 1 {
		t.Errorf("history after an unconfirmed publish has %d versions; want 1", len(vs))
	}
	v2, err := e.svc.Publish(ctxb, "mood", true, mod)
	if err != nil || v2.N != 2 || v2.Summary != "1 option added, 1 removed" || v2.Actor != mod {
		t.Errorf("Publish confirmed = %+v, %v; want v2 by Mo, \"1 option added, 1 removed\"", v2, err)
	}
	if _, ok, _ := e.svc.Draft(ctxb, "mood"); ok {
		t.Error("the draft is still there after it was published")
	}
	list, err := e.svc.List(ctxb)
	if err != nil || len(list) != 1 || list[0] != (release.Summary{FlowID: "mood", Title: "Mood check", Live: 2, Questions: 2, Responses: 3}) {
		t.Errorf("List = %+v, %v; want mood v2 with 3 responses", list, err)
	}
}

// TestCloseReopen: a closed flow leaves the catalog and comes back.
func TestCloseReopen(t *testing.T) {
	e := newEnv(t)
	other := []byte(strings.ReplaceAll(string(mood("A?", "a, b")), "mood", "other"))
	if _, err := e.svc.PublishSources(ctxb, []release.Source{{Name: "mood.yaml", Src: mood("B?", "a, b")}, {Name: "other.yaml", Src: other}}, cli); err != nil {
		t.Fatal(err)
	}
	ids := func() string {
		t.Helper()
		c, err := e.svc.Catalog(ctxb)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(c.IDs(), ",")
	}
	steps := []struct {
		name string
		do   func() error
		want string
	}{
		{"both published", func() error { return nil }, "mood,other"},
		{"mood closed", func() error { return e.svc.Close(ctxb, "mood", mod) }, "other"},
		{"mood reopened", func() error { return e.svc.Reopen(ctxb, "mood", mod) }, "mood,other"},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := ids(); got != s.want {
			t.Errorf("%s: catalog %q; want %q", s.name, got, s.want)
		}
	}
	if err := e.svc.Close(ctxb, "nothing", mod); !errors.Is(err, release.ErrUnknownFlow) {
		t.Errorf("Close(nothing) = %v; want ErrUnknownFlow", err)
	}
	lines := e.log.lines()
	if got := strings.Join(lines[len(lines)-2:], "\n"); got != "Mo (1001) flows.close mood v1 ok\nMo (1001) flows.reopen mood v1 ok" {
		t.Errorf("audit ends %q; want the close and reopen of mood v1", got)
	}
}
