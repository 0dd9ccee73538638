package research_test

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/internal/testutil"
	"github.com/peervoice/peervoice/research"
)

// TestExport: both formats are scrubbed of personal details and of
// digest.scrub_names, and say what they hold; another format is refused
// with the ones there are.
func TestExport(t *testing.T) {
	db := openStore(t)
	cat := defaultPack(t)
	answer(t, db, cat, w47, "Sam at the drop-in helped. Email me at sam@example.com.", "Being listened to.")
	cfg := config(t, cat)
	cfg.ScrubNames = []string{"Sam"}
	b := research.New(db, cfg)
	for _, tt := range []struct {
		format, want string // want: in the archive
	}{
		{research.ExportXLSX, "xl/workbook.xml"},
		{research.ExportCSV, "answers.csv"},
	} {
		var buf bytes.Buffer
		sum, err := b.Export(context.Background(), &buf, tt.format)
		if err != nil {
			t.Fatalf("Export(%s): %v", tt.format, err)
		}
		if sum.Participants != 2 || sum.Answers < 2 {
			t.Errorf("Export(%s) = %+v; want 2 participants and their answers", tt.format, sum)
		}
		text := testutil.UnzipText(t, buf.Bytes())
		names := zipNames(t, buf.Bytes())
		if !strings.Contains(names, tt.want) {
			t.Errorf("Export(%s) holds %s; want %s", tt.format, names, tt.want)
		}
		for _, bad := range []string{"sam@example.com", "Sam at"} {
			if strings.Contains(text, bad) {
				t.Errorf("Export(%s) contains %q", tt.format, bad)
			}
		}
		if !strings.Contains(text, "[name] at the drop-in helped. Email me at [email].") {
			t.Errorf("Export(%s) lacks the scrubbed answer", tt.format)
		}
	}
	var buf bytes.Buffer
	if _, err := b.Export(context.Background(), &buf, "pdf"); err == nil || !strings.Contains(err.Error(), `"pdf"`) || !strings.Contains(err.Error(), "xlsx or csv") {
		t.Errorf("Export(pdf) = %v; want the format named, and xlsx or csv", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Export(pdf) wrote %d bytes; want none", buf.Len())
	}
}

func zipNames(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}
