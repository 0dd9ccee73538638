package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// TestDigestDataOracle checks DigestData against a slow, obvious count
// of the same generated community, for several periods.
func TestDigestDataOracle(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "digestOracle.db"), Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	// Many answers each, so participants repeat flows.
	if _, err := GenerateDigestData(ctx, db, cat, GenSpec{Participants: 150, Answers: 15000, Seed: 7, End: end, Weeks: 8}); err != nil {
		t.Fatal(err)
	}
	// Some change their minds about taking part, or about quotes.
	if _, err := db.wr.ExecContext(ctx, `INSERT INTO consents (participant_id, version, take_part, quotes, given_at)
		SELECT id, '2', id % 3 > 0, id % 2, ? FROM participants WHERE id % 5 = 0`, formatTime(end)); err != nil {
		t.Fatal(err)
	}
	demo := []figures.QuestionRef{{FlowID: "about-you", QuestionID: "gender"}, {FlowID: "about-you", QuestionID: "ethnicity"}}
	var sets []figures.Set
	for _, f := range cat.Flows() {
		s := figures.Set{Name: f.Theme}
		for _, q := range f.Questions {
			s.Questions = append(s.Questions, figures.QuestionRef{FlowID: f.ID, QuestionID: q.ID})
		}
		sets = append(sets, s)
	}
	for _, weeksBack := range []int{0, 2, 5} {
		to := end.AddDate(0, 0, -7*weeksBack)
		q := figures.Query{
			Period:       figures.Span{From: to.AddDate(0, 0, -7), To: to},
			Previous:     figures.Span{From: to.AddDate(0, 0, -14), To: to.AddDate(0, 0, -7)},
			Demographics: demo,
			Sets:         sets,
		}
		got, err := db.DigestData(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want := digestOracle(t, db, q)
		for _, part := range []struct {
			name      string
			got, want any
		}{
			{"tallies", got.Tallies, want.Tallies},
			{"group sizes", got.GroupSizes, want.GroupSizes},
			{"set counts", got.SetCounts, want.SetCounts},
			{"activity", []figures.Activity{got.Period, got.Previous, got.Total}, []figures.Activity{want.Period, want.Previous, want.Total}},
		} {
			if g, w := fmt.Sprint(part.got), fmt.Sprint(part.want); g != w {
				t.Errorf("week -%d: %s differ:\n got %.600s\nwant %.600s", weeksBack, part.name, g, w)
			}
		}
		if len(got.Tallies) < 100 {
			t.Errorf("week -%d: only %d tallies; the generated data is too thin to test", weeksBack, len(got.Tallies))
		}
	}
}

// digestOracle counts what DigestData should return, one answer at a time.
func digestOracle(t *testing.T, db *DB, q figures.Query) figures.Data {
	ctx := context.Background()
	type answer struct {
		pid                     int64
		session, flow, question string
		choices, at             string
		kind                    string
		skipped                 bool
		hasChoices              bool
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT s.participant_id, a.session_id, a.flow_id, a.question_id, COALESCE(a.choices, ''), a.answered_at, a.kind, a.skipped, a.choices IS NOT NULL
		FROM answers a JOIN sessions s ON s.id = a.session_id`)
	if err != nil {
		t.Fatal(err)
	}
	var all []answer
	for rows.Next() {
		var a answer
		if err := rows.Scan(&a.pid, &a.session, &a.flow, &a.question, &a.choices, &a.at, &a.kind, &a.skipped, &a.hasChoices); err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	rows.Close()
	taking := map[int64]bool{}
	created := map[int64]string{}
	rows, err = db.rd.QueryContext(ctx, `SELECT p.id, p.created_at, (SELECT take_part FROM consents WHERE participant_id = p.id ORDER BY id DESC LIMIT 1) FROM participants p`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var c string
		var take bool
		if err := rows.Scan(&id, &c, &take); err != nil {
			t.Fatal(err)
		}
		created[id] = c
		if take {
			taking[id] = true
		}
	}
	rows.Close()
	spans := []figures.Span{q.Period, q.Previous, {To: q.Period.To}}
	in := func(w int, at string) bool {
		s := spans[w]
		return at < formatTime(s.To) && (s.From.IsZero() || at >= formatTime(s.From))
	}
	choicesOf := func(js string) []string {
		var ids []string
		if err := json.Unmarshal([]byte(js), &ids); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	isChoice := func(a answer) bool {
		return !a.skipped && a.hasChoices && (a.kind == "choice" || a.kind == "multi" || a.kind == "scale")
	}
	// Groups: the latest answer to each demographic question before the end.
	groups := map[int64][]string{}
	groupAt := map[int64][]string{}
	for pid := range taking {
		groups[pid] = make([]string, len(q.Demographics))
		groupAt[pid] = make([]string, len(q.Demographics))
	}
	for _, a := range all {
		for i, d := range q.Demographics {
			if taking[a.pid] && isChoice(a) && a.flow == d.FlowID && a.question == d.QuestionID && in(2, a.at) && a.at >= groupAt[a.pid][i] {
				groupAt[a.pid][i], groups[a.pid][i] = a.at, choicesOf(a.choices)[0]
			}
		}
	}
	var d figures.Data
	counts := map[string]int{}
	for w := range 3 {
		latest := map[string]answer{}
		for _, a := range all {
			if !taking[a.pid] || !isChoice(a) || !in(w, a.at) {
				continue
			}
			k := fmt.Sprint(a.pid, a.flow, a.question)
			if old, ok := latest[k]; !ok || a.at >= old.at {
				latest[k] = a
			}
		}
		for _, a := range latest {
			ids := choicesOf(a.choices)
			slices.Sort(ids)
			counts[fmt.Sprintf("%d\x01%s\x01%s\x01%s\x01%s", w, a.flow, a.question, strings.Join(ids, "\x02"), strings.Join(groups[a.pid], "\x02"))]++
		}
	}
	for k, n := range counts {
		f := strings.Split(k, "\x01")
		var w figures.Window
		fmt.Sscan(f[0], &w)
		split := func(s string) []string { return strings.Split(s, "\x02") }
		d.Tallies = append(d.Tallies, figures.Tally{Window: w, FlowID: f[1], QuestionID: f[2], Choices: split(f[3]), Groups: split(f[4]), People: n})
	}
	slices.SortFunc(d.Tallies, compareDigestTallies)
	sizes := map[string]int{}
	for pid := range taking {
		if created[pid] < formatTime(q.Period.To) {
			sizes[strings.Join(groups[pid], "\x02")]++
		}
	}
	for k, n := range sizes {
		d.GroupSizes = append(d.GroupSizes, figures.GroupSize{Groups: strings.Split(k, "\x02"), People: n})
	}
	slices.SortFunc(d.GroupSizes, func(a, b figures.GroupSize) int { return slices.Compare(a.Groups, b.Groups) })
	for w := range 2 {
		for _, set := range q.Sets {
			c := figures.SetCount{Window: figures.Window(w), Set: set.Name}
			people := map[int64]bool{}
			for _, a := range all {
				if taking[a.pid] && !a.skipped && in(w, a.at) && slices.Contains(set.Questions, figures.QuestionRef{FlowID: a.flow, QuestionID: a.question}) {
					c.Answers++
					people[a.pid] = true
				}
			}
			c.People = len(people)
			d.SetCounts = append(d.SetCounts, c)
		}
	}
	// Activity, from the sessions table.
	type sess struct {
		pid              int64
		flow, status     string
		started, updated string
	}
	var ss []sess
	rows, err = db.rd.QueryContext(ctx, `SELECT participant_id, flow_id, status, started_at, updated_at FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s sess
		if err := rows.Scan(&s.pid, &s.flow, &s.status, &s.started, &s.updated); err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	rows.Close()
	for w, act := range []*figures.Activity{&d.Period, &d.Previous, &d.Total} {
		byFlow := map[string]*figures.FlowActivity{}
		for _, s := range ss {
			if !taking[s.pid] || !in(2, s.started) {
				continue
			}
			f := byFlow[s.flow]
			if f == nil {
				f = &figures.FlowActivity{FlowID: s.flow}
				byFlow[s.flow] = f
			}
			if in(w, s.started) {
				f.Started++
				if s.status == StatusDone && s.updated < formatTime(spans[w].To) {
					f.StartedAndCompleted++
				}
			}
			if s.status == StatusDone && in(w, s.updated) {
				f.Completed++
			}
		}
		for _, f := range byFlow {
			act.Flows = append(act.Flows, *f)
		}
		slices.SortFunc(act.Flows, func(a, b figures.FlowActivity) int { return strings.Compare(a.FlowID, b.FlowID) })
		for pid := range taking {
			if in(w, created[pid]) {
				act.NewParticipants++
			}
		}
	}
	return d
}
