package research

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peervoice/peervoice/export"
	"github.com/peervoice/peervoice/store"
)

// TestExportRefusesUnscrubbed: should an export come back unscrubbed
// (an option slipped in), it is refused, not handed on. Export itself
// cannot ask for one, so the guard is tried through export.
func TestExportRefusesUnscrubbed(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "peervoice.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := New(db, Config{})
	for _, format := range []string{ExportXLSX, ExportCSV} {
		for _, unscrubbed := range []bool{false, true} {
			var buf bytes.Buffer
			sum, err := b.export(context.Background(), &buf, format, export.Options{Unscrubbed: unscrubbed})
			switch {
			case unscrubbed && (err == nil || !strings.Contains(err.Error(), "not scrubbed") || sum != ExportSummary{}):
				t.Errorf("export(%s, unscrubbed) = %+v, %v; want it refused", format, sum, err)
			case !unscrubbed && err != nil:
				t.Errorf("export(%s) = %v; want an export", format, err)
			}
		}
	}
}
