package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// TestDigestTrendIsEachMonthsOwn checks the trend against the digest's
// own count: each month of a trend must be counted exactly as a digest
// of that month counts its period (its tallies, added up over the
// groups), whichever later digest republishes it. Participants answer
// the flows several times (waves), and some withdraw from taking part
// before the digests are read.
func TestDigestTrendIsEachMonthsOwn(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "digestTrend.db"), Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := flows.Default()
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if _, err := GenerateDigestData(ctx, db, cat, GenSpec{Participants: 120, Answers: 12000, Seed: 3, End: end, Weeks: 13}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.wr.ExecContext(ctx, `INSERT INTO consents (participant_id, version, take_part, quotes, given_at)
		SELECT id, '2', 0, 0, ? FROM participants WHERE id % 7 = 0`, formatTime(end)); err != nil {
		t.Fatal(err)
	}
	var trendQs []figures.QuestionRef
	for _, f := range cat.Flows() {
		for _, q := range f.Questions {
			if q.Type == flows.TypeChoice || q.Type == flows.TypeScale {
				trendQs = append(trendQs, figures.QuestionRef{FlowID: f.ID, QuestionID: q.ID})
			}
		}
	}
	month := func(m time.Month) figures.Span {
		from := time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
		return figures.Span{From: from, To: from.AddDate(0, 1, 0)}
	}
	months := []figures.Span{month(time.September), month(time.October), month(time.November)}
	q := figures.Query{Period: months[2], Previous: months[1], Trend: months, TrendQuestions: trendQs}
	got, err := db.DigestData(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Trend) < 50 {
		t.Fatalf("only %d trend tallies; the generated data is too thin to test", len(got.Trend))
	}
	isTrend := map[figures.QuestionRef]bool{}
	for _, r := range trendQs {
		isTrend[r] = true
	}
	for i, m := range months {
		own, err := db.DigestData(ctx, figures.Query{Period: m, Previous: figures.Span{From: m.From.AddDate(0, -1, 0), To: m.From}})
		if err != nil {
			t.Fatal(err)
		}
		sum := map[string]int{}
		for _, tl := range own.Tallies {
			if tl.Window == figures.WindowPeriod && isTrend[figures.QuestionRef{FlowID: tl.FlowID, QuestionID: tl.QuestionID}] {
				sum[tl.FlowID+"/"+tl.QuestionID+" "+strings.Join(tl.Choices, ",")] += tl.People
			}
		}
		trend := map[string]int{}
		for _, tl := range got.Trend {
			if tl.Month == i {
				trend[tl.FlowID+"/"+tl.QuestionID+" "+strings.Join(tl.Choices, ",")] += tl.People
			}
		}
		if g, w := fmt.Sprint(sorted(trend)), fmt.Sprint(sorted(sum)); g != w {
			t.Errorf("trend month %d (%s) differs from that month's own digest:\n got %.600s\nwant %.600s", i, m.From.Format("2006-01"), g, w)
		}
	}
	// A question outside TrendQuestions is not counted.
	q.TrendQuestions = trendQs[:1]
	few, err := db.DigestData(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range few.Trend {
		if (figures.QuestionRef{FlowID: tl.FlowID, QuestionID: tl.QuestionID}) != trendQs[0] {
			t.Fatalf("trend of %v counts %s/%s", trendQs[:1], tl.FlowID, tl.QuestionID)
		}
	}
}

// sorted lists m's entries in key order, for comparing.
func sorted(m map[string]int) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s=%d", k, v))
	}
	slices.Sort(out)
	return out
}
