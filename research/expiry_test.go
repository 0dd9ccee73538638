package research_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/research"
	"github.com/peervoice/peervoice/uitext"
)

// clock is a test clock the service and the checks share.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time            { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration)   { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }
func expiryUser(kind string, i int) string { return fmt.Sprintf("%s-%d", kind, i) }

// startRecovery consents and answers own_words with words, leaving
// recovery under way.
func startRecovery(t *testing.T, svc *participant.Service, u participant.User, words string) participant.Reply {
	t.Helper()
	c := context.Background()
	if _, err := svc.Begin(c, u, "recovery", ""); err != nil {
		t.Fatal(err)
	}
	var r participant.Reply
	for _, in := range []flows.Input{{Kind: flows.Choose, Choices: []string{"yes"}}, {Kind: flows.Choose, Choices: []string{"yes"}}, flows.Typed(words)} {
		var err error
		if r, err = svc.Input(c, u, participant.Step{Input: in}); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// finish skips every question left until the flow ends.
func finish(t *testing.T, svc *participant.Service, u participant.User) {
	t.Helper()
	for range 100 {
		r, err := svc.Input(context.Background(), u, participant.Step{Input: flows.Input{Kind: flows.Skip}})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range r.Outputs {
			if _, ok := o.(flows.Finished); ok {
				return
			}
		}
	}
	t.Fatal("recovery did not finish after 100 skips")
}

// TestExpiredSessionIsPartial: ten participants finish recovery and ten
// leave it unfinished in the same week. Thirty-one days later the job
// closes the ten as partial responses: the digest of that week counts
// ten partials, the completion rate of the week they started stays 50%
// (a partial is started, never completed), and the export keeps their
// answers, marked partial. A participant coming back starts afresh and
// is told their earlier answers were kept; one whose session the job
// has not reached yet is expired on the way, with the same message.
func TestExpiredSessionIsPartial(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	cat := defaultPack(t)
	clk := &clock{now: at(2026, 11, 3, 10)} // Tuesday of 2026-W45
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }, Now: clk.Now,
		ExpireAfter: participant.DefaultExpireAfter})
	if err != nil {
		t.Fatal(err)
	}
	user := func(kind string, i int) participant.User {
		return participant.User{Platform: "terminal", ID: expiryUser(kind, i)}
	}
	for i := range 10 {
		startRecovery(t, svc, user("done", i), fmt.Sprintf("finished words %d", i))
		finish(t, svc, user("done", i))
		startRecovery(t, svc, user("left", i), fmt.Sprintf("unfinished words %d", i))
		if _, err := svc.Pause(ctx, user("left", i)); err != nil {
			t.Fatal(err)
		}
	}

	clk.Advance(31 * 24 * time.Hour) // Thursday of 2026-W49
	now := clk.Now()
	// The periodic job, as peervoice run calls it.
	n, err := db.ExpireSessions(ctx, now.Add(-participant.DefaultExpireAfter), now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Errorf("ExpireSessions closed %d sessions; want the 10 left unfinished", n)
	}

	b := research.New(db, config(t, cat))
	started, err := b.Build(ctx, mustPeriod(t, "2026-W45"), now)
	if err != nil {
		t.Fatal(err)
	}
	a := started.Participation.Period
	if got := fmt.Sprint(a.FlowsStarted, " ", a.FlowsCompleted, " ", a.CompletionRate); got != "20 10 50%" {
		t.Errorf("2026-W45 started, completed, completion rate = %s; want 20 10 50%% (the partials started, never completed)", got)
	}
	ended, err := b.Build(ctx, mustPeriod(t, "2026-W49"), now)
	if err != nil {
		t.Fatal(err)
	}
	if got := ended.Participation.Period.FlowsPartial.String(); got != "10" {
		t.Errorf("2026-W49 partial responses = %s; want 10", got)
	}
	if got := started.Participation.Period.FlowsPartial.String(); got != "*" {
		t.Errorf("2026-W45 partial responses = %s; want * (none closed then)", got)
	}
	var md strings.Builder
	if err := ended.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| Partial responses (left unfinished, answers kept) | 10 |") {
		t.Errorf("the digest's markdown does not show the partials:\n%s", md.String())
	}

	// Coming back: afresh, told kindly, on the menu and in the flow.
	back, err := svc.Begin(ctx, user("left", 0), "recovery", "")
	if err != nil {
		t.Fatal(err)
	}
	if !back.Kept || len(back.Outputs) == 0 {
		t.Fatalf("Begin after expiry = %+v; want a fresh start with Kept", back)
	}
	rf, err := cat.Get("recovery")
	if err != nil {
		t.Fatal(err)
	}
	if ask, ok := back.Outputs[0].(flows.Ask); !ok || ask.Question.ID != rf.Questions[0].ID || back.Session.ID == "" {
		t.Errorf("Begin after expiry first shows %#v; want the flow's first question", back.Outputs[0])
	}
	if uitext.T("en", uitext.ExpiredKept) == "" || uitext.T("cy", uitext.ExpiredKept) == uitext.T("en", uitext.ExpiredKept) {
		t.Error("the kind message has no English or no Welsh")
	}
	again, err := svc.Begin(ctx, user("left", 1), "recovery", "")
	if err != nil || !again.Kept {
		t.Errorf("Begin of another expired participant: Kept %v, %v; want true", again.Kept, err)
	}
	if r, err := svc.Begin(ctx, user("left", 1), "recovery", ""); err != nil || r.Kept {
		t.Errorf("Begin once the fresh session is under way: Kept %v, %v; want the message only once", r.Kept, err)
	}

	// A session the job has not reached: expired on the way.
	startRecovery(t, svc, user("lazy", 0), "words the job never reached")
	clk.Advance(31 * 24 * time.Hour)
	if _, err := svc.Continue(ctx, user("lazy", 0)); !errors.Is(err, participant.ErrNoSession) {
		t.Errorf("Continue of a session idle 31 days = %v; want ErrNoSession: it is closed on the way", err)
	}
	lazyBack, err := svc.Begin(ctx, user("lazy", 0), "recovery", "")
	if err != nil {
		t.Fatal(err)
	}
	if !lazyBack.Kept {
		t.Errorf("Begin after a session idle 31 days that the job did not close = %+v; want Kept", lazyBack)
	}

	var buf bytes.Buffer
	if _, err := b.Export(ctx, &buf, research.ExportCSV); err != nil {
		t.Fatal(err)
	}
	_, files := testutil.Unzip(t, buf.Bytes())
	rows, err := csv.NewReader(strings.NewReader(string(files["answers.csv"]))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "response")
	if col < 0 || col < slices.Index(rows[0], "date") {
		t.Fatalf("answers.csv header %v; want response after the columns before it", rows[0])
	}
	status := map[string]string{}
	for _, r := range rows[1:] {
		if r[3] == "own_words" {
			status[r[6]] = r[col]
		}
	}
	for word, want := range map[string]string{
		"unfinished words 0": "partial", "unfinished words 9": "partial", "words the job never reached": "partial",
		"finished words 0": "complete",
	} {
		if got, ok := status[word]; !ok || got != want {
			t.Errorf("export: the answer %q has response %q (present %v); want %q", word, got, ok, want)
		}
	}
}
