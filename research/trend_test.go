package research_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/research"
)

const checkinYAML = `id: checkin
title: Monthly check-in
theme: Wellbeing
repeat: monthly
questions:
  - id: listened
    type: choice
    prompt: Have you felt listened to this month?
    options: [yes, no]
`

// TestDigestTrendWaves: 25 participants take two waves of a monthly
// check-in, in November and December; the December digest's trend shows
// each month's own answers (15 yes and 10 no, then 10 and 15), never a
// sum of the two; a digest built in January, the month under way, leaves
// January out; a weekly digest has no trend.
func TestDigestTrendWaves(t *testing.T) {
	db := openStore(t)
	pack := defaultPack(t)
	checkin, probs := flows.Parse("checkin.yaml", []byte(checkinYAML))
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	cat, err := flows.NewCatalog(append(pack.Flows(), checkin))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := at(2026, 11, 10, 12)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	svc, err := participant.New(db, participant.Config{Flows: func() *flows.Catalog { return cat }, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	c := context.Background()
	take := func(u participant.User, inputs ...string) {
		t.Helper()
		if _, err := svc.Begin(c, u, "checkin", ""); err != nil {
			t.Fatalf("Begin(%s) at %v: %v", u.ID, clock(), err)
		}
		for _, in := range inputs {
			if _, err := svc.Input(c, u, participant.Step{Input: flows.Input{Kind: flows.Choose, Choices: []string{in}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	users := make([]participant.User, 25)
	for i := range users {
		users[i] = participant.User{Platform: "terminal", ID: fmt.Sprintf("person-%02d", i)}
		answer := "yes"
		if i >= 15 {
			answer = "no"
		}
		take(users[i], "yes", "no", answer) // consent (take part, no quotes), wave 1
	}
	mu.Lock()
	now = at(2026, 12, 14, 12) // a month on: wave 2 is open
	mu.Unlock()
	for i, u := range users {
		answer := "no"
		if i >= 15 {
			answer = "yes"
		}
		take(u, answer)
	}

	b := research.New(db, config(t, cat))
	d, err := b.Build(c, mustPeriod(t, "2026-12"), at(2027, 1, 2, 9))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Trends) != 1 || d.Trends[0].FlowID != "checkin" || d.Trends[0].Repeat != "monthly" {
		t.Fatalf("Trends = %+v; want the check-in's question", d.Trends)
	}
	tr := d.Trends[0]
	if len(tr.Months) != digest.TrendMonths || tr.Months[len(tr.Months)-1].Name != "2026-12" {
		t.Fatalf("trend months = %v; want %d months ending 2026-12", monthNames(tr), digest.TrendMonths)
	}
	want := map[string]string{"2026-11": "25: yes 15 no 10", "2026-12": "25: yes 10 no 15"}
	for _, m := range tr.Months {
		got := figures(m.Distribution)
		if w, ok := want[m.Name]; ok && got != w || !ok && m.Distribution.Shown {
			t.Errorf("trend month %s = %s; want %s", m.Name, got, w)
		}
	}
	var md strings.Builder
	if err := d.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Trend by month", "| Yes |", "15 (60%)", "10 (40%)"} {
		if !strings.Contains(md.String(), s) {
			t.Errorf("Markdown lacks %q:\n%s", s, md.String())
		}
	}

	jan, err := b.Build(c, mustPeriod(t, "2027-01"), at(2027, 1, 20, 9))
	if err != nil {
		t.Fatal(err)
	}
	if len(jan.Trends) != 1 || strings.Join(monthNames(jan.Trends[0]), " ") != strings.Join(monthNames(tr)[1:], " ") {
		t.Errorf("January's trend, built in January = %v; want %v: the month under way left out", jan.Trends, monthNames(tr)[1:])
	}
	week, err := b.Build(c, digest.Week(at(2026, 12, 14, 12), london), at(2027, 1, 2, 9))
	if err != nil {
		t.Fatal(err)
	}
	if len(week.Trends) != 0 {
		t.Errorf("a weekly digest has trends %+v; want none", week.Trends)
	}
}

func monthNames(t digest.Trend) []string {
	var out []string
	for _, m := range t.Months {
		out = append(out, m.Name)
	}
	return out
}

// figures writes a distribution's published figures: respondents, then
// each shown option's count.
func figures(d digest.Distribution) string {
	s := d.Respondents.String() + ":"
	if !d.Shown {
		return s + " not shown"
	}
	for _, o := range d.Options {
		s += " " + o.ID + " " + o.Count.String()
	}
	return s
}
