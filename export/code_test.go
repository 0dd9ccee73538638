package export_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/flows"
)

// join has n participants answer the study, in turn, each writing
// "joined N" and skipping the rest, and returns the raw ids in the order
// they joined.
func (e *env) join(from, n int) []string {
	e.t.Helper()
	var ids []string
	for i := from; i < from+n; i++ {
		id := fmt.Sprintf("9%017d", i)
		e.answers(user(id), "yes", flows.Typed(fmt.Sprintf("joined %03d", i)), flows.Input{Kind: flows.Skip},
			flows.Typed("ok"), flows.Input{Kind: flows.Skip}, flows.Input{Kind: flows.Skip}, flows.Input{Kind: flows.Skip})
		ids = append(ids, id)
	}
	return ids
}

// joinedCodes returns, from an export's answers.csv, each participant's
// code by the order they joined ("joined N"), and the codes in the order
// of the rows.
func joinedCodes(t *testing.T, answers [][]string) (byJoin map[string]string, rows []string) {
	t.Helper()
	byJoin = map[string]string{}
	for _, r := range answers[1:] {
		if len(rows) == 0 || rows[len(rows)-1] != r[0] {
			rows = append(rows, r[0])
		}
		if r[3] == "words" {
			byJoin[r[6]] = codeWith(t, answers, r[6])
		}
	}
	return byJoin, rows
}

// TestCodesHideJoinOrder checks that codes are distinct, of the
// documented form, that the rows are in the order of the codes and not of
// joining, and that nobody's code changes when more participants join.
func TestCodesHideJoinOrder(t *testing.T) {
	e := newEnv(t)
	e.join(0, 30)
	files, _, _ := e.csvExport(export.Options{})
	byJoin, rows := joinedCodes(t, files["answers.csv"])
	if len(byJoin) != 30 || len(distinct(rows)) != 30 || len(rows) != 30 {
		t.Fatalf("%d participants, %d codes in %d runs of rows; want 30 distinct codes, each participant's rows together", len(byJoin), len(distinct(rows)), len(rows))
	}
	if !slices.IsSorted(rows) {
		t.Errorf("rows are not in the order of the codes: %v", rows)
	}
	var joinOrder []string
	for i := 0; i < 30; i++ {
		joinOrder = append(joinOrder, byJoin[fmt.Sprintf("joined %03d", i)])
	}
	if slices.IsSorted(joinOrder) || slices.Equal(joinOrder, rows) {
		t.Errorf("codes in the order of joining are sorted (a chance of 1 in 30!): %v", joinOrder)
	}
	var fwCodes []string
	for _, r := range files["framework-matrix.csv"][1:] {
		fwCodes = append(fwCodes, r[0])
	}
	if !slices.Equal(fwCodes, rows) {
		t.Errorf("framework matrix codes = %v; want those of answers.csv, in order: %v", fwCodes, rows)
	}
	book, _ := e.xlsxExport(export.Options{})
	_, sheets := sheets(t, book)
	xlsxByJoin, xlsxRows := joinedCodes(t, sheets["Answers"])
	if !slices.Equal(xlsxRows, rows) || fmt.Sprint(xlsxByJoin) != fmt.Sprint(byJoin) {
		t.Errorf("the workbook's codes differ from the CSV files':\n%v\n%v", xlsxRows, rows)
	}

	e.join(30, 20)
	files, _, _ = e.csvExport(export.Options{})
	later, rows := joinedCodes(t, files["answers.csv"])
	if len(later) != 50 || len(distinct(rows)) != 50 || !slices.IsSorted(rows) {
		t.Errorf("after 20 more joined: %d participants, %d codes, sorted %v; want 50, 50, sorted", len(later), len(distinct(rows)), slices.IsSorted(rows))
	}
	for words, code := range byJoin {
		if later[words] != code {
			t.Errorf("%s: code %s became %s when more participants joined", words, code, later[words])
		}
	}
}
