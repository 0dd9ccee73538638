package store

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/scrub"
)

// TestDigestWindowsMatchFullScan compares the digest's windowed read (a
// PeriodOnly query) with the full scan, its oracle, over many random
// small communities: two versions of every flow (a prompt reworded, an
// option renamed, one flow made repeating, for the trend), participants
// with several sessions of a flow (and waves), demographic answers that
// change over time, answers given at the same time and exactly on the
// periods' bounds, consents changed, participants withdrawn, sessions
// expired, reminders sent. For weekly and monthly periods, before,
// during and after the data, the figures the digest reads must be the
// same, and so must the digest itself, byte for byte, in every format.
func TestDigestWindowsMatchFullScan(t *testing.T) {
	v1, v2 := dgVersions(t)
	fs := append(v2.Flows(), v1.Flows()...)
	crisis, err := safety.New(safety.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := disclosure.New(5, 5) // the smallest k publishes most, so most is compared
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	var seen dgCoverage
	seeds := 12
	if testing.Short() {
		seeds = 4
	}
	for seed := range uint64(seeds) {
		db, periods := dgCommunity(t, seed, v1, v2, loc)
		for _, p := range periods {
			q, err := digest.NewQuery(p, fs, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !q.PeriodOnly {
				t.Fatal("digest.NewQuery does not ask for PeriodOnly: the digest would read every answer")
			}
			ctx := context.Background()
			got, err := db.DigestData(ctx, q)
			if err != nil {
				t.Fatalf("seed %d, %s: %v", seed, p.Name, err)
			}
			full := q
			full.PeriodOnly = false
			want, err := db.DigestData(ctx, full)
			if err != nil {
				t.Fatalf("seed %d, %s: full scan: %v", seed, p.Name, err)
			}
			seen.note(want)
			where := fmt.Sprintf("seed %d, %s", seed, p.Name)
			dgCompare(t, where, got, dgExpected(want))
			for _, format := range digest.Formats {
				opt := digest.Options{Scrubber: scrub.New(nil), Crisis: crisis, Policy: pol, PublishUnapproved: true}
				g, w := dgRender(t, p, fs, got, opt, format), dgRender(t, p, fs, want, opt, format)
				if !bytes.Equal(g, w) {
					t.Errorf("%s: the %s digest differs from the full scan's:\n got %.2000s\nwant %.2000s", where, format, g, w)
				}
			}
		}
		db.Close()
	}
	seen.check(t)
}

// dgExpected is what the windowed read should return for the full scan's
// figures d: the windows' figures as they are, no total window, the
// versions of the questions the digest reads (those with tallies in the
// period, the previous one or the trend), and the option ids of the
// total window's tallies for the questions with tallies in the period.
func dgExpected(d figures.Data) figures.Data {
	want := d
	want.Total = figures.Activity{}
	want.Tallies = nil
	wanted, options := map[figures.QuestionRef]bool{}, map[figures.QuestionRef]map[string]bool{}
	for _, t := range d.Tallies {
		ref := figures.QuestionRef{FlowID: t.FlowID, QuestionID: t.QuestionID}
		if t.Window != figures.WindowTotal {
			want.Tallies = append(want.Tallies, t)
			wanted[ref] = true
		}
		if t.Window == figures.WindowPeriod && options[ref] == nil {
			options[ref] = map[string]bool{}
		}
	}
	for _, t := range d.Tallies {
		ref := figures.QuestionRef{FlowID: t.FlowID, QuestionID: t.QuestionID}
		if t.Window == figures.WindowTotal && options[ref] != nil {
			for _, id := range t.Choices {
				options[ref][id] = true
			}
		}
	}
	for _, t := range d.Trend {
		wanted[figures.QuestionRef{FlowID: t.FlowID, QuestionID: t.QuestionID}] = true
	}
	want.Versions = nil
	for _, v := range d.Versions {
		if wanted[figures.QuestionRef{FlowID: v.FlowID, QuestionID: v.QuestionID}] {
			want.Versions = append(want.Versions, v)
		}
	}
	for ref, ids := range options {
		o := figures.QuestionOptions{FlowID: ref.FlowID, QuestionID: ref.QuestionID, Options: []string{}}
		for id := range ids {
			o.Options = append(o.Options, id)
		}
		slices.Sort(o.Options)
		want.Answered = append(want.Answered, o)
	}
	slices.SortFunc(want.Answered, func(a, b figures.QuestionOptions) int {
		return strings.Compare(a.FlowID+"\x00"+a.QuestionID, b.FlowID+"\x00"+b.QuestionID)
	})
	return want
}

// dgCompare reports every part of got that differs from want. A flow
// with nothing counted in a window is no figure: the full scan lists
// every flow with a session, the windowed read those with one there.
func dgCompare(t *testing.T, where string, got, want figures.Data) {
	t.Helper()
	active := func(a figures.Activity) figures.Activity {
		var fs []figures.FlowActivity
		for _, f := range a.Flows {
			if f != (figures.FlowActivity{FlowID: f.FlowID}) {
				fs = append(fs, f)
			}
		}
		a.Flows = fs
		return a
	}
	for _, part := range []struct {
		name      string
		got, want any
	}{
		{"activity", []figures.Activity{active(got.Period), active(got.Previous), got.Total}, []figures.Activity{active(want.Period), active(want.Previous), want.Total}},
		{"tallies", got.Tallies, want.Tallies},
		{"group sizes", got.GroupSizes, want.GroupSizes},
		{"set counts", got.SetCounts, want.SetCounts},
		{"quotes", got.Quotes, want.Quotes},
		{"versions", got.Versions, want.Versions},
		{"trend", got.Trend, want.Trend},
		{"answered options", got.Answered, want.Answered},
		{"unreadable", got.Unreadable, want.Unreadable},
	} {
		if g, w := fmt.Sprintf("%+v", part.got), fmt.Sprintf("%+v", part.want); g != w {
			t.Errorf("%s: %s differ from the full scan's:\n got %.1500s\nwant %.1500s", where, part.name, g, w)
		}
	}
}

func dgRender(t *testing.T, p digest.Period, fs []*flows.Flow, data figures.Data, opt digest.Options, format string) []byte {
	t.Helper()
	d, err := digest.Build(p, fs, data, opt)
	if err != nil {
		t.Fatalf("%s: build: %v", p.Name, err)
	}
	var buf bytes.Buffer
	if err := d.Render(&buf, format); err != nil {
		t.Fatalf("%s: render %s: %v", p.Name, format, err)
	}
	return buf.Bytes()
}

// dgCoverage counts what the communities' full scans held, so that the
// comparison cannot pass by comparing empty digests.
type dgCoverage struct {
	periods, tallies, trends, quotes, unreadable, partial, reminders, reworded, groups int
}

func (c *dgCoverage) note(d figures.Data) {
	c.periods++
	for _, t := range d.Tallies {
		if t.Window == figures.WindowPeriod {
			c.tallies++
		}
	}
	c.trends += len(d.Trend)
	c.quotes += len(d.Quotes)
	c.unreadable += d.Unreadable
	for _, f := range d.Period.Flows {
		c.partial += f.Partial
	}
	c.reminders += d.Period.RemindersSent
	for _, v := range d.Versions {
		if len(v.Versions) > 1 {
			c.reworded++
		}
	}
	c.groups += len(d.GroupSizes)
}

func (c *dgCoverage) check(t *testing.T) {
	t.Helper()
	t.Logf("compared %+v", *c)
	for name, n := range map[string]int{"period tallies": c.tallies, "trend tallies": c.trends, "quotes": c.quotes,
		"unreadable quotes": c.unreadable, "partial responses": c.partial, "reminders": c.reminders,
		"questions answered on two versions": c.reworded, "group sizes": c.groups} {
		if n == 0 {
			t.Errorf("no %s in any period compared: the communities are too thin to test the windowed read", name)
		}
	}
}

// dgVersions returns the default flows and a second version of each: a
// prompt reworded and, where nothing refers to it, an option renamed;
// recovery also repeats weekly, so monthly digests have a trend.
func dgVersions(t *testing.T) (v1, v2 *flows.Catalog) {
	t.Helper()
	v1, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	var next []*flows.Flow
	for _, f := range v1.Flows() {
		src := reword(string(f.Source))
		if f.ID == "recovery" {
			src = strings.Replace(src, "\nquestions:", "\nrepeat: weekly\nquestions:", 1)
		}
		renamed := strings.Replace(src, "- {id: ", "- {id: v2_", 1)
		g, probs := flows.Parse(f.ID+".yaml", []byte(renamed))
		if probs.Err() != nil {
			if g, probs = flows.Parse(f.ID+".yaml", []byte(src)); probs.Err() != nil {
				t.Fatalf("second version of %s: %v", f.ID, probs.Err())
			}
		}
		next = append(next, g)
	}
	if v2, err = flows.NewCatalog(next); err != nil {
		t.Fatal(err)
	}
	return v1, v2
}

// dgCommunity stores a random small community and returns the periods
// to compare, weekly and monthly, including ones before and after it.
func dgCommunity(t *testing.T, seed uint64, v1, v2 *flows.Catalog, loc *time.Location) (*DB, []digest.Period) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	db, err := Open(ctx, filepath.Join(t.TempDir(), fmt.Sprintf("window%d.db", seed)), Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).Add(-time.Duration(rng.IntN(40*24)) * time.Hour)
	weeks := 5 + rng.IntN(8)
	people := 15 + rng.IntN(35)
	per := 10 + rng.IntN(40)
	for i, c := range []*flows.Catalog{v1, v2} {
		spec := GenSpec{Participants: people, Answers: people * per, Seed: seed*10 + uint64(i), End: end.AddDate(0, 0, -7*(1-i)*weeks/2), Weeks: weeks}
		if _, err := GenerateDigestData(ctx, db, c, spec); err != nil {
			t.Fatal(err)
		}
	}
	w := weekOf(t, end.Add(-time.Hour), loc)
	periods := []digest.Period{w, w.Previous(), w.Previous().Previous(), weekOf(t, end.AddDate(0, 0, -7*weeks/2), loc),
		weekOf(t, end.AddDate(0, 0, 7), loc), weekOf(t, end.AddDate(0, 0, -7*weeks-14), loc)}
	m := monthOf(t, end.Add(-time.Hour), loc)
	periods = append(periods, m, m.Previous(), monthOf(t, end.AddDate(0, 0, -7*weeks), loc))
	var bounds []string
	for _, p := range periods {
		bounds = append(bounds, formatTime(p.Start), formatTime(p.End), formatTime(p.Start.Add(-time.Second)))
	}
	dgMutate(t, db, rng, end, weeks, bounds)
	return db, periods
}

func weekOf(t *testing.T, at time.Time, loc *time.Location) digest.Period {
	t.Helper()
	y, wk := at.In(loc).ISOWeek()
	p, err := digest.ParsePeriod(fmt.Sprintf("%d-W%02d", y, wk), loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func monthOf(t *testing.T, at time.Time, loc *time.Location) digest.Period {
	t.Helper()
	p, err := digest.ParsePeriod(at.In(loc).Format("2006-01"), loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// reword rewords the first question's prompt written plainly or in
// double quotes.
func reword(src string) string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		k := strings.Index(l, "prompt: ")
		if k < 0 || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		v := l[k+len("prompt: "):]
		switch {
		case strings.HasPrefix(v, `"`):
			lines[i] = l[:k] + `prompt: "Now, ` + v[1:]
		case v != "" && !strings.ContainsAny(v[:1], `'>|`):
			lines[i] = l[:k] + "prompt: Now, " + v
		default:
			continue
		}
		break
	}
	return strings.Join(lines, "\n")
}
