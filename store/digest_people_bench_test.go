package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/peervoice/peervoice/store"
)

// BenchmarkSaveStepAboutYou is BenchmarkSaveStep for the answers that
// migration 015's triggers work on: each participant answers the six
// about-you questions in a session of their own, a durable transaction
// each, and a new participant is stored every six answers.
func BenchmarkSaveStepAboutYou(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b, newPath(b))
	fv := store.FlowVersion{Hash: "aboutyou1", FlowID: "about-you", Source: []byte("id: about-you\nquestions: []\n")}
	if err := f.db.SaveFlowVersion(ctx, fv); err != nil {
		b.Fatal(err)
	}
	questions := []string{"gender", "ethnicity", "age", "trans", "cpa", "years_services"}
	options := []string{"woman", "man", "non_binary", "prefer_not"}
	var s store.Session
	i := 0
	for b.Loop() {
		if i%len(questions) == 0 {
			p, err := f.db.EnsureParticipant(ctx, f.db.Pseudonym("discord", fmt.Sprint(100000+i)))
			if err != nil {
				b.Fatal(err)
			}
			s = store.Session{ID: fmt.Sprintf("ay%d", i), ParticipantID: p.ID, FlowID: fv.FlowID, FlowVersion: fv.Hash, Status: store.StatusActive}
		}
		q := questions[i%len(questions)]
		s.State = fmt.Appendf(s.State[:0], `{"flow":"about-you","at":%q}`, q)
		a := store.Answer{QuestionID: q, Kind: "choice", Choices: []string{options[i%len(options)]}}
		if err := f.db.SaveStep(ctx, s, []store.Answer{a}, nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}
