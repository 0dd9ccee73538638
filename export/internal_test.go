package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/peervoice/peervoice/store"
)

// fakeStore hands over a fixed header and answers, failing on demand.
type fakeStore struct {
	h       store.ExportHeader
	answers []store.ExportAnswer
	failAt  int // fail when handing over this answer (1-based); 0: never
}

var errStore = errors.New("store failed")

func (s *fakeStore) ReadExport(ctx context.Context, begin func(store.ExportHeader) error, each func(store.ExportAnswer) error) error {
	if err := begin(s.h); err != nil {
		return err
	}
	for i, a := range s.answers {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i+1 == s.failAt {
			return errStore
		}
		if err := each(a); err != nil {
			return err
		}
	}
	return nil
}

const flowSource = `id: f
title: F
theme: Theme
questions:
  - id: words
    type: text
    prompt: Words?
`

// newFake returns a store of n participants with one text answer each.
func newFake(n int, text string) *fakeStore {
	s := &fakeStore{h: store.ExportHeader{Versions: []store.FlowVersion{{Hash: "h1", FlowID: "f", Source: []byte(flowSource)}}, Answers: n, Tags: map[int64][]byte{}}}
	at := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		s.h.Participants = append(s.h.Participants, store.ExportParticipant{ID: int64(i), Consented: true, TakePart: true})
		s.h.Tags[int64(i)] = fakeTag(int64(i))
		s.answers = append(s.answers, store.ExportAnswer{ParticipantID: int64(i), SessionStarted: at, Answer: store.Answer{
			SessionID: fmt.Sprint("s", i), FlowID: "f", FlowVersion: "h1", QuestionID: "words", Kind: "text", Text: text, AnsweredAt: at,
		}})
	}
	return s
}

// fakeTag is participant id's export tag in a fake store.
func fakeTag(id int64) []byte {
	t := sha256.Sum256([]byte(fmt.Sprint("participant ", id)))
	return t[:]
}

// TestSheetsContinue checks that a table longer than a sheet continues on
// "Answers (2)", placed before the next table, with its header again.
func TestSheetsContinue(t *testing.T) {
	var buf bytes.Buffer
	opt := Options{}.withDefaults()
	b, err := newXLSXBook(&buf, t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer b.f.Close()
	b.maxRows = 20 // a header and 19 rows
	if _, err := run(context.Background(), newFake(40, "hello"), b, opt); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := strings.Join(f.GetSheetList(), ",")
	want := "Answers,Answers (2),Answers (3),Framework matrix,Framework matrix (2),Framework matrix (3),Codebook,About"
	if got != want {
		t.Errorf("sheets = %s; want %s", got, want)
	}
	var codes []string
	for _, sheet := range []string{"Answers", "Answers (2)", "Answers (3)"} {
		rows, _ := f.GetRows(sheet)
		if rows[0][0] != "participant" {
			t.Errorf("sheet %s starts with %q; want the header", sheet, rows[0])
		}
		for _, r := range rows[1:] {
			codes = append(codes, r[0])
		}
	}
	var want40 []string
	for i := 1; i <= 40; i++ {
		want40 = append(want40, Code(fakeTag(int64(i))))
	}
	sort.Strings(want40) // in the order of the codes
	if got, want := strings.Join(codes, ","), strings.Join(want40, ","); got != want {
		t.Errorf("codes across the sheets = %s; want %s", got, want)
	}
}

// TestLongCell checks that a matrix cell longer than a spreadsheet cell
// holds is cut with a note, and the workbook still opens.
func TestLongCell(t *testing.T) {
	long := strings.Repeat("word ", 7000) // 35,000 characters
	s := newFake(1, long)
	s.h.Versions[0].Source = []byte(flowSource + `  - id: more
    type: text
    prompt: More?
`)
	a := s.answers[0]
	a.QuestionID = "more"
	s.answers = append(s.answers, a)
	var buf bytes.Buffer
	if _, err := WriteXLSX(context.Background(), s, &buf, t.TempDir(), Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell, _ := f.GetCellValue("Framework matrix", "C2")
	if n := utf8.RuneCountInString(cell); n > maxCellUnits || !strings.HasSuffix(cell, cutMark) {
		t.Errorf("long cell: %d characters ending %q; want at most %d ending with the cut mark", n, cell[len(cell)-40:], maxCellUnits)
	}
}

// TestUnreadableVersion checks that answers to a flow version whose source
// no longer parses are still exported, under noTheme.
func TestUnreadableVersion(t *testing.T) {
	s := newFake(1, "kept")
	s.h.Versions[0].Source = []byte("id: [not yaml")
	files := map[string]*bytes.Buffer{}
	_, err := WriteCSV(context.Background(), s, func(name string) (io.Writer, error) {
		files[name] = &bytes.Buffer{}
		return files[name], nil
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := files["answers.csv"].String(); !strings.Contains(got, Code(fakeTag(1))+",f,h1,words,(unknown theme),text,kept,") {
		t.Errorf("answers.csv =\n%s", got)
	}
	if got := files["framework-matrix.csv"].String(); !strings.Contains(got, "participant,may_quote,(unknown theme),wave\n"+Code(fakeTag(1))+",no,f/words: kept,1\n") {
		t.Errorf("framework-matrix.csv =\n%s", got)
	}
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

var errDisk = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errDisk
	}
	return len(p), nil
}

// TestErrorsStopTheExport checks that a failure in any stage ends the
// export with that failure, and nothing waits for ever.
func TestErrorsStopTheExport(t *testing.T) {
	big := newFake(5000, "some words")
	failing := *big
	failing.failAt = 3000
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		st   Store
		w    io.Writer
		want error
	}{
		{"store", context.Background(), &failing, io.Discard, errStore},
		{"writer", context.Background(), big, &failingWriter{n: 100000}, errDisk},
		{"cancelled", cancelled, big, io.Discard, context.Canceled},
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() {
			_, err := WriteCSV(tt.ctx, tt.st, func(string) (io.Writer, error) { return tt.w, nil }, Options{})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, tt.want) {
				t.Errorf("%s: WriteCSV() = %v; want %v", tt.name, err, tt.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: WriteCSV() did not return", tt.name)
		}
	}
	if _, err := WriteCSV(context.Background(), big, func(name string) (io.Writer, error) {
		return nil, errDisk
	}, Options{}); !errors.Is(err, errDisk) {
		t.Errorf("WriteCSV() with a file that cannot be created = %v; want %v", err, errDisk)
	}
}

func TestGuard(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain words", "plain words"},
		{"=1+2", "'=1+2"},
		{"+44 7700 900123", "'+44 7700 900123"},
		{"-- not a list", "'-- not a list"},
		{"@everyone", "'@everyone"},
		{"\tindent", "'\tindent"},
		{"\rreturn", "'\rreturn"},
		{"＝1+2", "'＝1+2"},
		{"＠x", "'＠x"},
		{"-3", "-3"},
		{"+1.5", "+1.5"},
		{"-", "'-"},
		{"-1.", "'-1."},
		{"-1e5", "'-1e5"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := guard(tt.in); got != tt.want {
			t.Errorf("guard(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if got := validUTF8("bad \xff byte"); got != "bad \uFFFD byte" {
		t.Errorf("validUTF8 = %q", got)
	}
}

func TestFit(t *testing.T) {
	short := strings.Repeat("é", maxCellUnits)
	if got := fit(short); got != short {
		t.Errorf("fit cut a string of exactly %d units", maxCellUnits)
	}
	long := strings.Repeat("😀", maxCellUnits/2+1) // two UTF-16 units each
	got := fit(long)
	if !strings.HasSuffix(got, cutMark) || utf16Len(got) > maxCellUnits || !utf8.ValidString(got) {
		t.Errorf("fit(long) is %d units, ends %q", utf16Len(got), got[len(got)-20:])
	}
}

func TestDay(t *testing.T) {
	d := dayOf(time.Date(2026, 3, 2, 23, 59, 59, 0, time.FixedZone("X", -5*3600))) // 04:59 UTC on the 3rd
	if d.String() != "2026-03-03" {
		t.Errorf("day = %s; want 2026-03-03 (UTC)", d)
	}
	if s := dayOf(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)).excelSerial(); s != 61 {
		t.Errorf("excelSerial(1900-03-01) = %v; want 61", s)
	}
}

// TestInvalidUTF8 checks that text which is not valid UTF-8 is repaired in
// both formats, and the workbook still opens.
func TestInvalidUTF8(t *testing.T) {
	s := newFake(1, "bad \xff byte")
	var csvOut bytes.Buffer
	if _, err := WriteCSV(context.Background(), s, func(name string) (io.Writer, error) {
		if name == "answers.csv" {
			return &csvOut, nil
		}
		return io.Discard, nil
	}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvOut.String(), "bad \uFFFD byte") || !utf8.Valid(csvOut.Bytes()) {
		t.Errorf("answers.csv = %q", csvOut.String())
	}
	var book bytes.Buffer
	if _, err := WriteXLSX(context.Background(), s, &book, t.TempDir(), Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := f.GetCellValue("Answers", "G2"); got != "bad \uFFFD byte" {
		t.Errorf("Answers!G2 = %q", got)
	}
}

// TestEmpty checks that a database with nothing to export still gives
// every table, with its header.
func TestEmpty(t *testing.T) {
	s := &fakeStore{}
	var book bytes.Buffer
	sum, err := WriteXLSX(context.Background(), s, &book, t.TempDir(), Options{})
	if err != nil || sum != (Summary{Scrubbed: true}) {
		t.Fatalf("WriteXLSX() = %+v, %v", sum, err)
	}
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Answers,Framework matrix,Codebook,About" {
		t.Errorf("sheets = %s", got)
	}
	if rows, _ := f.GetRows("Framework matrix"); len(rows) != 1 || strings.Join(rows[0], ",") != "participant,may_quote,wave" {
		t.Errorf("Framework matrix = %q; want its header alone", rows)
	}
}
