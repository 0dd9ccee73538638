package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// TestReadExportInOrder checks that ReadExportInOrder hands over what
// ReadExport does, participant by participant in the order given, across
// more than one batch, leaving out the participants not asked for; and
// that an answer whose ids hold the character its query joins columns
// with (U+001F) is read whole.
func TestReadExportInOrder(t *testing.T) {
	e := newExportEnv(t)
	yes := &store.Consent{Version: "1", TakePart: true, Quotes: true}
	three := 3.0
	var ids []int64
	for i := range 600 { // more than a batch of 256
		p := e.participant(t, fmt.Sprintf("%018d", 100000000000000000+i), yes)
		ids = append(ids, p)
		s := fmt.Sprint("s", i)
		e.now = e.now.Add(time.Minute)
		switch i % 4 {
		case 0:
			e.answer(t, p, s, store.Answer{QuestionID: "own_words", Kind: "text", Text: fmt.Sprint("words of ", i)})
		case 1:
			e.answer(t, p, s, store.Answer{QuestionID: "team_agrees", Kind: "scale", Choices: []string{"agree", "a\x1fb"}})
		case 2:
			e.answer(t, p, s, store.Answer{QuestionID: "years", Kind: "number", Number: &three})
			e.answer(t, p, s+"b", store.Answer{QuestionID: "odd\x1fid", Kind: "text", Text: "joined\x1fwords"})
		case 3: // no answers
		}
	}
	_, all := e.read(t)
	want := map[int64][]store.ExportAnswer{}
	for _, a := range all {
		want[a.ParticipantID] = append(want[a.ParticipantID], a)
	}

	// Every other participant, in an order of their own.
	var order []int64
	for i, id := range ids {
		if i%2 == 0 {
			order = append(order, id)
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i]%7 < order[j]%7 || order[i]%7 == order[j]%7 && order[i] > order[j] })
	var h store.ExportHeader
	var got []store.ExportAnswer
	err := e.db.ReadExportInOrder(context.Background(),
		func(hh store.ExportHeader) ([]int64, error) { h = hh; return order, nil },
		func(a store.ExportAnswer) error { got = append(got, a); return nil })
	if err != nil {
		t.Fatalf("ReadExportInOrder() = %v", err)
	}
	if len(h.Participants) != len(ids) || h.Answers != len(all) {
		t.Errorf("header: %d participants, %d answers; want %d and %d", len(h.Participants), h.Answers, len(ids), len(all))
	}
	var wantSeq []store.ExportAnswer
	for _, id := range order {
		wantSeq = append(wantSeq, want[id]...)
	}
	key := func(a store.ExportAnswer) string { return a.SessionID + "/" + a.QuestionID }
	for _, as := range [][]store.ExportAnswer{got, wantSeq} {
		// Within a participant, in no particular order.
		sort.SliceStable(as, func(i, j int) bool {
			return as[i].ParticipantID == as[j].ParticipantID && key(as[i]) < key(as[j])
		})
	}
	if len(got) != len(wantSeq) {
		t.Fatalf("handed %d answers; want %d", len(got), len(wantSeq))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], wantSeq[i]) {
			t.Fatalf("answer %d = %+v; want %+v", i, got[i], wantSeq[i])
		}
	}
	odd := 0
	for _, a := range got {
		if a.QuestionID == "odd\x1fid" && a.Text == "joined\x1fwords" {
			odd++
		}
	}
	if odd == 0 {
		t.Error("no answer with U+001F in its question id was read whole")
	}
}

func TestReadExportInOrderStopsOnError(t *testing.T) {
	e := newExportEnv(t)
	p := e.participant(t, "111111111111111111", &store.Consent{Version: "1", TakePart: true})
	e.answer(t, p, "s1", store.Answer{QuestionID: "a", Kind: "text", Text: "one"})
	e.answer(t, p, "s2", store.Answer{QuestionID: "b", Kind: "text", Text: "two"})
	stop := errors.New("stop")
	begin := func(store.ExportHeader) ([]int64, error) { return []int64{p}, nil }
	if err := e.db.ReadExportInOrder(context.Background(), func(store.ExportHeader) ([]int64, error) { return nil, stop }, nil); err != stop {
		t.Errorf("ReadExportInOrder with a failing begin = %v; want its error as it is", err)
	}
	n := 0
	err := e.db.ReadExportInOrder(context.Background(), begin, func(store.ExportAnswer) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("ReadExportInOrder with a failing each = %v after %d answers; want its error after 1", err, n)
	}
}
