package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/store"
)

var (
	// The period is the week from Monday 16 November 2026; the one before
	// starts on the 9th.
	dgWeekStart = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	dgPeriod    = figures.Span{From: dgWeekStart, To: dgWeekStart.AddDate(0, 0, 7)}
	dgPrevious  = figures.Span{From: dgWeekStart.AddDate(0, 0, -7), To: dgWeekStart}
	// Days relative to the period's start.
	dgLastWeek  = dgWeekStart.AddDate(0, 0, -3)
	dgThisWeek  = dgWeekStart.AddDate(0, 0, 2)
	dgLongAgo   = dgWeekStart.AddDate(0, 0, -20)
	dgAfterward = dgWeekStart.AddDate(0, 0, 9)
)

// digestWorld builds a small community through the public API.
type digestWorld struct {
	t   *testing.T
	db  *store.DB
	now time.Time
	n   int
}

func newDigestWorld(t *testing.T) *digestWorld {
	w := &digestWorld{t: t}
	w.db = open(t, newPath(t), store.Options{Synchronous: "NORMAL", Now: func() time.Time { return w.now }})
	for _, f := range []string{"recovery", "about-you"} {
		if err := w.db.SaveFlowVersion(context.Background(), store.FlowVersion{Hash: "v-" + f, FlowID: f, Source: []byte("id: " + f)}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// participant stores a participant first seen at `at`, and their consent.
func (w *digestWorld) participant(at time.Time, takePart, quotes bool) int64 {
	w.t.Helper()
	ctx := context.Background()
	w.n++
	w.now = at
	p, err := w.db.EnsureParticipant(ctx, w.db.Pseudonym("discord", fmt.Sprint("user", w.n)))
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.db.SaveConsent(ctx, p.ID, store.Consent{Version: "1", TakePart: true, Quotes: quotes, GivenAt: at}); err != nil {
		w.t.Fatal(err)
	}
	if !takePart { // they took part, then changed their mind
		if err := w.db.SaveConsent(ctx, p.ID, store.Consent{Version: "1", TakePart: false, GivenAt: at.Add(time.Hour)}); err != nil {
			w.t.Fatal(err)
		}
	}
	return p.ID
}

// step saves answers to session id of flow at time at.
func (w *digestWorld) step(pid int64, id, flow, status string, started, at time.Time, answers ...store.Answer) {
	w.t.Helper()
	for i := range answers {
		answers[i].AnsweredAt = at
	}
	s := store.Session{ID: id, ParticipantID: pid, FlowID: flow, FlowVersion: "v-" + flow, Status: status, State: []byte("{}"), StartedAt: started, UpdatedAt: at}
	if err := w.db.SaveStep(context.Background(), s, answers, nil); err != nil {
		w.t.Fatal(err)
	}
}

func dgChoice(q string, ids ...string) store.Answer {
	kind := "choice"
	if len(ids) > 1 {
		kind = "multi"
	}
	return store.Answer{QuestionID: q, Kind: kind, Choices: ids}
}

func dgScale(q, id string) store.Answer {
	return store.Answer{QuestionID: q, Kind: "scale", Choices: []string{id}}
}

func dgText(q, s string) store.Answer { return store.Answer{QuestionID: q, Kind: "text", Text: s} }

func dgSkip(q string) store.Answer { return store.Answer{QuestionID: q, Kind: "choice", Skipped: true} }

func dgQuery() figures.Query {
	r := func(f, q string) figures.QuestionRef { return figures.QuestionRef{FlowID: f, QuestionID: q} }
	return figures.Query{
		Period: dgPeriod, Previous: dgPrevious,
		Demographics: []figures.QuestionRef{r("about-you", "gender")},
		Sets: []figures.Set{
			{Name: "Recovery", Questions: []figures.QuestionRef{r("recovery", "team_agrees"), r("recovery", "word_fits"), r("recovery", "helps"), r("recovery", "own_words")}},
			{Name: "About you", Questions: []figures.QuestionRef{r("about-you", "gender")}},
		},
		Quotable: []figures.QuestionRef{r("recovery", "own_words")},
	}
}

// dgCommunity stores five participants whose figures the tests know.
func dgCommunity(w *digestWorld) {
	done, paused := store.StatusDone, store.StatusPaused
	p1 := w.participant(dgLastWeek, true, true)
	w.step(p1, "s1a", "about-you", done, dgLastWeek, dgLastWeek, dgChoice("gender", "woman"))
	w.step(p1, "s1b", "recovery", done, dgThisWeek, dgThisWeek, dgScale("team_agrees", "agree"), dgChoice("word_fits", "fits_well"),
		dgText("own_words", "My own words, call me on 07700 900123"), dgText("notes", "not a quotable question"))

	p2 := w.participant(dgThisWeek, true, false)
	w.step(p2, "s2a", "about-you", done, dgThisWeek, dgThisWeek, dgChoice("gender", "man"))
	w.step(p2, "s2b", "recovery", paused, dgThisWeek, dgThisWeek, dgScale("team_agrees", "disagree"), dgChoice("helps", "peers", "art"),
		dgText("own_words", "P2 said no to quotes"))

	// Two sessions of recovery: the later answer counts.
	p3 := w.participant(dgLongAgo, true, false)
	w.step(p3, "s3a", "about-you", done, dgLastWeek, dgLastWeek, dgChoice("gender", "man"))
	w.step(p3, "s3b", "recovery", done, dgLastWeek, dgLastWeek, dgScale("team_agrees", "agree"))
	w.step(p3, "s3c", "recovery", done, dgThisWeek, dgThisWeek, dgScale("team_agrees", "disagree"), dgChoice("helps", "art", "peers"))

	// Took part, then withdrew their consent: never counted.
	p4 := w.participant(dgThisWeek, false, true)
	w.step(p4, "s4a", "recovery", done, dgThisWeek, dgThisWeek, dgScale("team_agrees", "agree"), dgText("own_words", "P4 withdrew"))

	// Gender changed after the period: the period's digest keeps the old.
	p5 := w.participant(dgLongAgo, true, true)
	w.step(p5, "s5a", "about-you", done, dgLastWeek, dgLastWeek, dgChoice("gender", "woman"))
	w.step(p5, "s5b", "recovery", paused, dgLastWeek, dgLastWeek, dgScale("team_agrees", "neither"))
	w.step(p5, "s5b", "recovery", paused, dgLastWeek, dgThisWeek, dgSkip("word_fits"))
	w.step(p5, "s5c", "about-you", done, dgAfterward, dgAfterward, dgChoice("gender", "man"))
}

func dgTallies(d figures.Data) []string {
	var out []string
	for _, t := range d.Tallies {
		out = append(out, fmt.Sprintf("%d %s/%s %s %s=%d", t.Window, t.FlowID, t.QuestionID, strings.Join(t.Choices, "+"), strings.Join(t.Groups, ","), t.People))
	}
	return out
}

func TestDigestDataTallies(t *testing.T) {
	w := newDigestWorld(t)
	dgCommunity(w)
	d, err := w.db.DigestData(context.Background(), dgQuery())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// period
		"0 about-you/gender man man=1",
		"0 recovery/helps art+peers man=2", // the same options in another order
		"0 recovery/team_agrees agree woman=1",
		"0 recovery/team_agrees disagree man=2",
		"0 recovery/word_fits fits_well woman=1",
		// previous
		"1 about-you/gender man man=1",
		"1 about-you/gender woman woman=2",
		"1 recovery/team_agrees agree man=1",
		"1 recovery/team_agrees neither woman=1",
		// total: p3 once, with the later answer
		"2 about-you/gender man man=2",
		"2 about-you/gender woman woman=2",
		"2 recovery/helps art+peers man=2",
		"2 recovery/team_agrees agree woman=1",
		"2 recovery/team_agrees disagree man=2",
		"2 recovery/team_agrees neither woman=1",
		"2 recovery/word_fits fits_well woman=1",
	}
	if got := dgTallies(d); !slices.Equal(got, want) {
		t.Errorf("tallies:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	sizes := fmt.Sprint(d.GroupSizes)
	if sizes != "[{[man] 2} {[woman] 2}]" {
		t.Errorf("group sizes = %s; want man 2, woman 2", sizes)
	}
}

func TestDigestDataActivity(t *testing.T) {
	w := newDigestWorld(t)
	dgCommunity(w)
	d, err := w.db.DigestData(context.Background(), dgQuery())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  figures.Activity
		want string
	}{
		{"period", d.Period, "{1 [{about-you 1 1 1 0} {recovery 3 2 2 0}] 0}"},
		{"previous", d.Previous, "{1 [{about-you 3 3 3 0} {recovery 2 1 1 0}] 0}"},
		{"total", d.Total, "{4 [{about-you 4 4 4 0} {recovery 5 3 3 0}] 0}"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(tt.got); got != tt.want {
			t.Errorf("%s activity = %s; want %s", tt.name, got, tt.want)
		}
	}
}

func TestDigestDataSets(t *testing.T) {
	w := newDigestWorld(t)
	dgCommunity(w)
	d, err := w.db.DigestData(context.Background(), dgQuery())
	if err != nil {
		t.Fatal(err)
	}
	// Period: p1 answered 3 recovery questions, p2 3, p3 2; p5's skip
	// and p4's answers do not count; notes is in no set.
	want := "[{0 Recovery 8 3} {0 About you 1 1} {1 Recovery 2 2} {1 About you 3 3}]"
	if got := fmt.Sprint(d.SetCounts); got != want {
		t.Errorf("set counts = %s; want %s", got, want)
	}
}

func TestDigestDataQuotes(t *testing.T) {
	w := newDigestWorld(t)
	dgCommunity(w)
	d, err := w.db.DigestData(context.Background(), dgQuery())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Quotes) != 1 {
		t.Fatalf("quotes = %+v; want only p1's answer to own_words", d.Quotes)
	}
	q := d.Quotes[0]
	if q.Text != "My own words, call me on 07700 900123" || q.FlowID != "recovery" || q.QuestionID != "own_words" || q.FlowVersion != "v-recovery" || !slices.Equal(q.Groups, []string{"woman"}) {
		t.Errorf("quote = %+v", q)
	}
	if len(q.Ref) != 32 || strings.Contains(q.Ref, "s1b") {
		t.Errorf("quote ref %q; want 32 hex characters that do not show the session", q.Ref)
	}
	again, err := w.db.DigestData(context.Background(), dgQuery())
	if err != nil || again.Quotes[0].Ref != q.Ref {
		t.Errorf("the quote's ref changed between reads: %q, then %+v (%v)", q.Ref, again.Quotes, err)
	}
}

func TestDigestDataEmptyPeriod(t *testing.T) {
	w := newDigestWorld(t)
	if _, err := w.db.DigestData(context.Background(), figures.Query{}); err == nil || !strings.Contains(err.Error(), "the period") {
		t.Errorf("DigestData(no period) = %v; want an error about the period", err)
	}
	d, err := w.db.DigestData(context.Background(), dgQuery())
	if err != nil || len(d.Tallies) != 0 || len(d.Quotes) != 0 || d.Total.NewParticipants != 0 {
		t.Errorf("DigestData(empty database) = %+v, %v", d, err)
	}
}

func TestFlowVersions(t *testing.T) {
	w := newDigestWorld(t)
	vs, err := w.db.FlowVersions(context.Background())
	if err != nil || len(vs) != 2 {
		t.Fatalf("FlowVersions() = %v, %v; want 2", vs, err)
	}
	ids := []string{vs[0].FlowID, vs[1].FlowID}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"about-you", "recovery"}) || string(vs[0].Source) == "" {
		t.Errorf("FlowVersions() = %+v", vs)
	}
}

// TestDigestDataVersions checks that the digest data names the flow
// versions each choice question was answered on, the most recently
// stored first, and no version only text answers were given on.
func TestDigestDataVersions(t *testing.T) {
	w := newDigestWorld(t)
	ctx := context.Background()
	w.now = dgLongAgo.Add(time.Hour) // stored after v-recovery
	if err := w.db.SaveFlowVersion(ctx, store.FlowVersion{Hash: "v2-recovery", FlowID: "recovery", Source: []byte("id: recovery # v2")}); err != nil {
		t.Fatal(err)
	}
	done := store.StatusDone
	p1 := w.participant(dgLastWeek, true, false)
	w.step(p1, "s1", "recovery", done, dgLastWeek, dgLastWeek, dgChoice("word_fits", "fits_well"), dgText("own_words", "words"))
	p2 := w.participant(dgThisWeek, true, false)
	s := store.Session{ID: "s2", ParticipantID: p2, FlowID: "recovery", FlowVersion: "v2-recovery", Status: done, State: []byte("{}"), StartedAt: dgThisWeek, UpdatedAt: dgThisWeek}
	a := dgChoice("word_fits", "not_sure")
	a.AnsweredAt = dgThisWeek
	if err := w.db.SaveStep(ctx, s, []store.Answer{a, {QuestionID: "notes", Kind: "text", Text: "x", AnsweredAt: dgThisWeek}}, nil); err != nil {
		t.Fatal(err)
	}
	// After the period: not among the versions answered up to its end.
	p3 := w.participant(dgAfterward, true, false)
	w.step(p3, "s3", "about-you", done, dgAfterward, dgAfterward, dgChoice("gender", "woman"))

	d, err := w.db.DigestData(ctx, dgQuery())
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(d.Versions)
	want := fmt.Sprint([]figures.QuestionVersions{{FlowID: "recovery", QuestionID: "word_fits", Versions: []string{"v2-recovery", "v-recovery"}}})
	if got != want {
		t.Errorf("DigestData().Versions = %s; want %s", got, want)
	}
}

// TestLatestAnswer checks the time of the latest answer of a participant
// taking part: skipped answers and those of people who stopped taking
// part do not count, and an empty store has none.
func TestLatestAnswer(t *testing.T) {
	w := newDigestWorld(t)
	ctx := context.Background()
	latest, err := w.db.LatestAnswer(ctx)
	if err != nil || !latest.IsZero() {
		t.Fatalf("LatestAnswer() of an empty store = %v, %v; want the zero time", latest, err)
	}
	done := store.StatusDone
	p1 := w.participant(dgLongAgo, true, false)
	w.step(p1, "s1", "recovery", done, dgLongAgo, dgLongAgo, dgChoice("word_fits", "fits_well"))
	w.step(p1, "s1", "recovery", done, dgLongAgo, dgThisWeek, dgSkip("helps"))
	p2 := w.participant(dgLastWeek, false, false) // answered, then withdrew consent
	w.step(p2, "s2", "recovery", done, dgAfterward, dgAfterward, dgChoice("word_fits", "not_sure"))
	latest, err = w.db.LatestAnswer(ctx)
	if err != nil || !latest.Equal(dgLongAgo) {
		t.Errorf("LatestAnswer() = %v, %v; want %v", latest, err, dgLongAgo)
	}
}
