package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/scrub"
	"github.com/peervoice/peervoice/store"
)

var ctx = context.Background()

// env is a real store with the participant service over the test flow.
type env struct {
	t    *testing.T
	path string
	db   *store.DB
	cat  *flows.Catalog
	now  time.Time
	svc  *participant.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	cat, probs := flows.LoadDir("testdata")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, path: storetest.Path(t), cat: cat, now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	e.db = storetest.Open(t, e.path, store.Options{Now: e.clock})
	e.service("1")
	return e
}

func (e *env) clock() time.Time { return e.now }

// service (re)builds the participant service with a consent version.
func (e *env) service(consentVersion string) {
	e.t.Helper()
	e.svc = storetest.Service(e.t, e.db, participant.Config{
		Flows: func() *flows.Catalog { return e.cat }, ConsentVersion: consentVersion, Now: e.clock,
	})
}

// user is a participant as the service sees one: a raw Discord id.
func user(id string) participant.User { return participant.User{Platform: "discord", ID: id} }

func choose(ids ...string) flows.Input { return flows.Input{Kind: flows.Choose, Choices: ids} }

// answers takes u through consent (quotes: yes or no) and the study flow,
// giving each input in turn.
func (e *env) answers(u participant.User, quotes string, inputs ...flows.Input) {
	e.t.Helper()
	if _, err := e.svc.Begin(ctx, u, "study", ""); err != nil {
		e.t.Fatal(err)
	}
	all := append([]flows.Input{choose("yes"), choose(quotes)}, inputs...)
	for _, in := range all {
		e.now = e.now.Add(time.Second) // the service finds the latest session by time
		r, err := e.svc.Input(ctx, u, participant.Step{Input: in})
		if err != nil {
			e.t.Fatalf("Input(%+v) = %v", in, err)
		}
		for _, o := range r.Outputs {
			if inv, ok := o.(flows.Invalid); ok {
				e.t.Fatalf("Input(%+v) at %s: %s", in, inv.Question.ID, inv.Reason)
			}
		}
	}
}

// csvExport runs WriteCSV into memory and returns each file's records.
func (e *env) csvExport(opt export.Options) (map[string][][]string, map[string]string, export.Summary) {
	e.t.Helper()
	bufs := map[string]*bytes.Buffer{}
	sum, err := export.WriteCSV(ctx, e.db, func(name string) (io.Writer, error) {
		bufs[name] = &bytes.Buffer{}
		return bufs[name], nil
	}, opt)
	if err != nil {
		e.t.Fatalf("WriteCSV() = %v", err)
	}
	records, raw := map[string][][]string{}, map[string]string{}
	for name, b := range bufs {
		raw[name] = b.String()
		r, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
		if err != nil {
			e.t.Fatalf("%s is not valid CSV: %v\n%s", name, err, b.String())
		}
		records[name] = r
	}
	return records, raw, sum
}

// xlsxExport runs WriteXLSX and returns the file's bytes.
func (e *env) xlsxExport(opt export.Options) ([]byte, export.Summary) {
	e.t.Helper()
	var buf bytes.Buffer
	sum, err := export.WriteXLSX(ctx, e.db, &buf, e.t.TempDir(), opt)
	if err != nil {
		e.t.Fatalf("WriteXLSX() = %v", err)
	}
	return buf.Bytes(), sum
}

// sheets opens a workbook with excelize and returns each sheet's rows, in
// the workbook's sheet order.
func sheets(t *testing.T, b []byte) ([]string, map[string][][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	names := f.GetSheetList()
	out := map[string][][]string{}
	for _, n := range names {
		rows, err := f.GetRows(n)
		if err != nil {
			t.Fatalf("sheet %q: %v", n, err)
		}
		out[n] = rows
	}
	return names, out
}

// column returns the index of a heading, failing the test without it.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %q", name, header)
	return -1
}

// tempFiles lists the files in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func scrubWithNames(names ...string) *scrub.Scrubber { return scrub.New(names) }

// codeRE matches a participant's code, as the About table describes it.
var codeRE = regexp.MustCompile(`P-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}`)

// codeWith returns the code on the first row of answers.csv whose answer
// contains words, failing the test without one or with a code of another
// form.
func codeWith(t *testing.T, answers [][]string, words string) string {
	t.Helper()
	for _, r := range answers[1:] {
		if strings.Contains(r[6], words) {
			if !codeRE.MatchString(r[0]) || len(r[0]) != len("P-XXXXX-XXXXX") {
				t.Fatalf("participant code %q is not of the form P-XXXXX-XXXXX", r[0])
			}
			return r[0]
		}
	}
	t.Fatalf("no answer with %q in %q", words, answers)
	return ""
}

// answerOf returns the first answer in answers.csv containing words.
func answerOf(t *testing.T, answers [][]string, words string) string {
	t.Helper()
	for _, r := range answers[1:] {
		if strings.Contains(r[6], words) {
			return r[6]
		}
	}
	t.Fatalf("no answer with %q in %q", words, answers)
	return ""
}

// byCode puts rows in the order of their codes, keeping each participant's
// rows in their order: the order an export has.
func byCode(rows [][]string) {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
}

// distinct returns the distinct strings of ss, sorted.
func distinct(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
