package main_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/store"
)

// Terminal participants named like raw Discord ids: the export must show
// neither the names nor their pseudonyms.
const (
	exportUser1 = "123456789012345678"
	exportUser2 = "223456789012345678"
	exportGone  = "323456789012345678"
)

const exportWords = "Recovery is my life back. Email me at sam@example.com or ring 07700 900123."

// exportFixture makes a database where two participants answered the
// first recovery question and a third answered and then withdrew.
func exportFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, u := range []struct{ id, words string }{
		{exportUser1, exportWords},
		{exportUser2, "Being listened to"},
		{exportGone, "words of someone who withdrew"},
	} {
		// consent yes, quotes yes, then the first recovery question; the
		// end of input pauses the session.
		if r := peervoice(t, dir, "1\n1\n"+u.words+"\n", nil, "chat", "--user", u.id, "--flow", "recovery"); r.code != 0 {
			t.Fatalf("chat as %s: exit %d\n%s", u.id, r.code, r.stderr)
		}
	}
	if r := peervoice(t, dir, "", nil, "withdraw", "--user", exportGone, "--yes"); r.code != 0 {
		t.Fatalf("withdraw: exit %d\n%s", r.code, r.stderr)
	}
	return dir
}

// forbidden lists what no export may contain: the raw ids, their
// pseudonyms, and the withdrawn participant's words.
func forbidden(t *testing.T, dir string) []string {
	t.Helper()
	db := storetest.Open(t, filepath.Join(dir, "peervoice.db"), store.Options{})
	defer db.Close() // before the test looks at the files beside it
	var out []string
	for _, id := range []string{exportUser1, exportUser2, exportGone} {
		out = append(out, id, db.Pseudonym("terminal", id))
	}
	return append(out, "someone who withdrew")
}

// exportCode is the form of a participant's code in an export.
var exportCode = regexp.MustCompile(`^P-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)

func TestExportXLSX(t *testing.T) {
	dir := exportFixture(t)
	r := peervoice(t, dir, "", nil, "export", "--format", "xlsx", "--out", "study.xlsx")
	if r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	if want := "Exported 2 answers from 2 participants to study.xlsx (free text scrubbed).\n"; r.stdout != want {
		t.Errorf("stdout = %q; want %q", r.stdout, want)
	}
	if strings.Contains(r.stderr, "\r") || strings.Contains(r.stderr, "Exporting") {
		t.Errorf("a progress bar was drawn on a stderr that is not a terminal: %q", r.stderr)
	}
	path := filepath.Join(dir, "study.xlsx")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("study.xlsx has mode %04o; want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	xml := unzip(t, b)
	for _, f := range append(forbidden(t, dir), "sam@example.com", "07700 900123") {
		if strings.Contains(xml, f) {
			t.Errorf("the workbook contains %q", f)
		}
	}
	if hex := regexp.MustCompile(`[0-9a-f]{64}`).FindString(xml); hex != "" {
		t.Errorf("the workbook contains a 64-hex value %s", hex)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Answers,Framework matrix,Codebook,About" {
		t.Errorf("sheets = %s", got)
	}
	rows, _ := f.GetRows("Answers")
	const scrubbed = "Recovery is my life back. Email me at [email] or ring [phone]."
	if len(rows) != 3 || !exportCode.MatchString(rows[1][0]) || !exportCode.MatchString(rows[2][0]) || rows[1][0] >= rows[2][0] ||
		rows[1][6] != scrubbed && rows[2][6] != scrubbed {
		t.Errorf("Answers = %q", rows)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // the database, its key, its keyring and the workbook
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files left in the directory: %v", names)
	}
}

func TestExportCSV(t *testing.T) {
	dir := exportFixture(t)
	r := peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "csv")
	if r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	var all strings.Builder
	for _, name := range []string{"answers.csv", "framework-matrix.csv", "codebook.csv", "about.csv"} {
		path := filepath.Join(dir, "csv", name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %04o; want 0600", name, st.Mode().Perm())
		}
		if _, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil {
			t.Errorf("%s is not valid CSV: %v", name, err)
		}
		all.Write(b)
	}
	for _, f := range append(forbidden(t, dir), "sam@example.com", "07700 900123") {
		if strings.Contains(all.String(), f) {
			t.Errorf("the CSV files contain %q", f)
		}
	}
	if !regexp.MustCompile(`(?m)^P-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5},recovery,`).MatchString(all.String()) || !strings.Contains(all.String(), "[email]") {
		t.Errorf("answers.csv lacks the scrubbed answer:\n%s", all.String())
	}

	// One table to standard output, the summary to standard error.
	r = peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "-", "--table", "framework")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "participant,may_quote,") || !strings.Contains(r.stderr, "to standard output") {
		t.Errorf("--out - --table framework: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestExportUnscrubbed(t *testing.T) {
	dir := exportFixture(t)
	r := peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "-", "--unscrubbed")
	if r.code != 0 || !strings.Contains(r.stdout, "sam@example.com") || !strings.Contains(r.stderr, "warning: --unscrubbed") ||
		!strings.Contains(r.stderr, "free text NOT scrubbed") {
		t.Errorf("--unscrubbed: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	for _, f := range forbidden(t, dir) {
		if strings.Contains(r.stdout, f) {
			t.Errorf("the unscrubbed export still must not contain %q", f)
		}
	}
}

func TestExportUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"export"}, `required flag(s) "format" not set`},
		{[]string{"export", "--format", "pdf"}, `--format "pdf": want csv or xlsx`},
		{[]string{"export", "--format", "xlsx", "--table", "codebook"}, "--table chooses the table to write to standard output"},
		{[]string{"export", "--format", "csv", "--out", "-", "--table", "themes"}, `--table "themes": want answers, framework, codebook or about`},
		{[]string{"export", "--format", "xlsx"}, "no database at peervoice.db"},
	}
	for _, tt := range tests {
		r := peervoice(t, dir, "", nil, tt.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want an error with %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a failed export left files: %v", entries)
	}
	dir = exportFixture(t)
	r := peervoice(t, dir, "", nil, "export", "--format", "xlsx", "--out", filepath.Join(dir, "missing", "x.xlsx"))
	if r.code == 0 || !strings.Contains(r.stderr, "output directory") {
		t.Errorf("export into a missing directory: exit %d, stderr %q", r.code, r.stderr)
	}
}

// unzip returns every part of a zip file, concatenated.
func unzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip file: %v", err)
	}
	var all strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		all.Write(data)
	}
	return all.String()
}

// TestExportRefusesOverwrite: an export never replaces an existing file
// (the workbook, one of the CSV files, or the default dated name) unless
// --force; the refusal names the file and the flag and changes nothing.
func TestExportRefusesOverwrite(t *testing.T) {
	dir := exportFixture(t)
	mine := []byte("my own notes, not an export\n")
	check := func(what string, r result, code int, want ...string) {
		t.Helper()
		if r.code != code {
			t.Errorf("%s: exit %d; want %d\n%s\n%s", what, r.code, code, r.stdout, r.stderr)
		}
		for _, w := range want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr %q lacks %q", what, r.stderr, w)
			}
		}
	}
	unchanged := func(what, path string) {
		t.Helper()
		if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, mine) {
			t.Errorf("%s: %s was changed (%v)", what, path, err)
		}
	}

	// The workbook.
	os.WriteFile(filepath.Join(dir, "study.xlsx"), mine, 0o600)
	check("xlsx over a file", peervoice(t, dir, "", nil, "export", "--format", "xlsx", "--out", "study.xlsx"), 1,
		"study.xlsx already exists: give --force to overwrite it, or --out another name")
	unchanged("xlsx over a file", filepath.Join(dir, "study.xlsx"))
	check("xlsx --force", peervoice(t, dir, "", nil, "export", "--format", "xlsx", "--out", "study.xlsx", "--force"), 0)
	if b, _ := os.ReadFile(filepath.Join(dir, "study.xlsx")); !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("--force did not write the workbook over the file")
	}

	// The default dated name.
	first := peervoice(t, dir, "", nil, "export", "--format", "xlsx")
	name := regexp.MustCompile(`peervoice-export-\d{4}-\d\d-\d\d\.xlsx`).FindString(first.stdout)
	if first.code != 0 || name == "" {
		t.Fatalf("export to the default name: exit %d\n%s\n%s", first.code, first.stdout, first.stderr)
	}
	os.WriteFile(filepath.Join(dir, name), mine, 0o600)
	check("the default name again", peervoice(t, dir, "", nil, "export", "--format", "xlsx"), 1, name+" already exists", "--force")
	unchanged("the default name again", filepath.Join(dir, name))

	// The CSV files: only the one there is named.
	os.Mkdir(filepath.Join(dir, "csv"), 0o700)
	os.WriteFile(filepath.Join(dir, "csv", "about.csv"), mine, 0o600)
	check("csv over a file", peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "csv"), 1,
		filepath.Join("csv", "about.csv")+" already exists: give --force")
	unchanged("csv over a file", filepath.Join(dir, "csv", "about.csv"))
	if entries, _ := os.ReadDir(filepath.Join(dir, "csv")); len(entries) != 1 {
		t.Errorf("a refused CSV export left %d files in csv/; want only about.csv", len(entries))
	}
	check("csv --force", peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "csv", "--force"), 0)
	check("csv again", peervoice(t, dir, "", nil, "export", "--format", "csv", "--out", "csv"), 1,
		"answers.csv, ", "already exist: give --force to overwrite them")
	if b, _ := os.ReadFile(filepath.Join(dir, "csv", "about.csv")); bytes.Equal(b, mine) {
		t.Errorf("--force did not write about.csv")
	}
	for _, e := range mustReadDir(t, dir) {
		if strings.HasSuffix(e, ".tmp") {
			t.Errorf("a temporary file was left: %s", e)
		}
	}
}

func mustReadDir(t *testing.T, dir string) []string {
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
