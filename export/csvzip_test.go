package export_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/export"
)

// TestCSVZip: the archive holds the four CSV files, byte for byte what
// WriteCSV writes, deflated.
func TestCSVZip(t *testing.T) {
	e := scenario(t)
	_, raw, want := e.csvExport(export.Options{})
	var buf bytes.Buffer
	sum, err := export.WriteCSVZip(ctx, e.db, &buf, export.Options{})
	if err != nil {
		t.Fatalf("WriteCSVZip() = %v", err)
	}
	if sum != want {
		t.Errorf("Summary = %+v; want %+v", sum, want)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("not a zip file: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Method != zip.Deflate {
			t.Errorf("%s is stored with method %d; want deflate", f.Name, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != raw[f.Name] {
			t.Errorf("%s in the zip differs from WriteCSV's:\n%s\nwant\n%s", f.Name, data, raw[f.Name])
		}
	}
	if got := strings.Join(names, ","); got != "answers.csv,framework-matrix.csv,codebook.csv,about.csv" {
		t.Errorf("files = %s; want answers.csv,framework-matrix.csv,codebook.csv,about.csv", got)
	}
	if got := export.CSVZipName(time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC)); got != "peervoice-export-2026-03-02-csv.zip" {
		t.Errorf("CSVZipName = %q", got)
	}
}
