package export_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/store"
)

// TestGeneratedXLSXMatchesCSV exports a generated database (the
// benchmarks' generator, smaller) as a workbook and as CSV files, each
// both ways rows can go: read in the order of the codes (the store's
// ReadExportInOrder) and through the spool (a store with ReadExport
// alone). The two CSV exports must be byte for byte the same, and every
// sheet of both workbooks, opened from the file with excelize, must read
// back as its CSV file.
func TestGeneratedXLSXMatchesCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "peervoice.db")
	if err := generate(path, 500, 9000); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	opt := export.Options{TempDir: dir}

	csvOf := func(st export.Store) map[string]string {
		bufs := map[string]*bytes.Buffer{}
		if _, err := export.WriteCSV(ctx, st, func(name string) (io.Writer, error) {
			bufs[name] = &bytes.Buffer{}
			return bufs[name], nil
		}, opt); err != nil {
			t.Fatalf("WriteCSV() = %v", err)
		}
		out := map[string]string{}
		for name, b := range bufs {
			out[name] = b.String()
		}
		return out
	}
	files, spooled := csvOf(db), csvOf(plainStore{db})
	for name, want := range spooled {
		if files[name] != want {
			t.Errorf("%s read in the order of the codes differs from %s through the spool", name, name)
		}
	}
	if n := strings.Count(files["answers.csv"], "\n"); n < 8000 {
		t.Fatalf("answers.csv has %d lines; want the generated answers", n)
	}

	for _, way := range []struct {
		name string
		st   export.Store
	}{{"in order", db}, {"spooled", plainStore{db}}} {
		out := filepath.Join(dir, "export.xlsx")
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := export.WriteXLSX(ctx, way.st, f, dir, opt)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("%s: WriteXLSX() = %v", way.name, err)
		}
		book, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatalf("%s: the workbook does not open: %v", way.name, err)
		}
		if got := strings.Join(book.GetSheetList(), ","); got != "Answers,Framework matrix,Codebook,About" {
			t.Errorf("%s: sheets = %s", way.name, got)
		}
		for sheet, file := range map[string]string{"Answers": "answers.csv", "Framework matrix": "framework-matrix.csv", "Codebook": "codebook.csv"} {
			want, err := csv.NewReader(strings.NewReader(files[file])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got, err := book.GetRows(sheet)
			if err != nil {
				t.Fatalf("%s: sheet %s: %v", way.name, sheet, err)
			}
			if len(got) != len(want) {
				t.Errorf("%s: sheet %s has %d rows; %s has %d", way.name, sheet, len(got), file, len(want))
				continue
			}
			for i := range want {
				g := append(got[i], make([]string, len(want[i])-len(got[i]))...) // GetRows drops empty cells at the end
				if strings.Join(g, "|") != strings.Join(want[i], "|") {
					t.Errorf("%s: sheet %s row %d =\n%q; %s has\n%q", way.name, sheet, i+1, g, file, want[i])
					break
				}
			}
		}
		book.Close()
		if sum.Answers < 8000 {
			t.Errorf("%s: Summary = %+v", way.name, sum)
		}
	}
}
