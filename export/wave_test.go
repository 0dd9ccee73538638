package export_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
)

const checkinYAML = `id: checkin
title: Check-in
theme: Wellbeing
repeat: weekly
questions:
  - id: listened
    type: choice
    prompt: Have you felt listened to?
    options: [yes, no]
`

// TestExportWaves: two waves of a repeating flow are two rounds in the
// export: their answers carry wave 1 and 2 in the last column, and the
// framework matrix has a row for each.
func TestExportWaves(t *testing.T) {
	e := newEnv(t)
	cat, probs := flows.Load(fstest.MapFS{"checkin.yaml": {Data: []byte(checkinYAML)}}, "")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	e.cat = cat
	u := user(aliceID)
	take := func(answer string) {
		t.Helper()
		if _, err := e.svc.Begin(ctx, u, "checkin", ""); err != nil {
			t.Fatal(err)
		}
		e.now = e.now.Add(time.Second)
		if _, err := e.svc.Input(ctx, u, participant.Step{Input: choose(answer)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Begin(ctx, u, "checkin", ""); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"yes", "no"} { // consent: take part, no quotes
		e.now = e.now.Add(time.Second)
		if _, err := e.svc.Input(ctx, u, participant.Step{Input: choose(in)}); err != nil {
			t.Fatal(err)
		}
	}
	e.now = e.now.Add(time.Second)
	if _, err := e.svc.Input(ctx, u, participant.Step{Input: choose("yes")}); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.AddDate(0, 0, 8)
	take("no")

	files, _, sum := e.csvExport(export.Options{})
	if sum.Participants != 1 || sum.Answers != 2 {
		t.Errorf("Summary = %+v; want 1 participant, 2 answers", sum)
	}
	answers := files["answers.csv"]
	wave, answer := column(t, answers[0], "wave"), column(t, answers[0], "answer")
	if wave != len(answers[0])-1 {
		t.Errorf("answers.csv header %v: wave is column %d; want the last", answers[0], wave)
	}
	var got []string
	for _, r := range answers[1:] {
		got = append(got, r[wave]+":"+r[answer])
	}
	if s := strings.Join(got, " "); s != "1:Yes 2:No" {
		t.Errorf("answers.csv wave:answer = %s; want 1:Yes 2:No", s)
	}
	fw := files["framework-matrix.csv"]
	if len(fw) != 3 {
		t.Fatalf("framework-matrix.csv = %q; want a row for each wave", fw)
	}
	fwWave, fwTheme := column(t, fw[0], "wave"), column(t, fw[0], "Wellbeing")
	for i, want := range []string{"1|checkin/listened: Yes", "2|checkin/listened: No"} {
		if r := fw[i+1]; r[fwWave]+"|"+r[fwTheme] != want || r[0] != fw[1][0] {
			t.Errorf("framework-matrix.csv row %d = %q; want %s for the same participant", i+1, r, want)
		}
	}
}
