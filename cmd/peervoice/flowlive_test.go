package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/store"
)

// TestLiveSourceReload: in a running process, an edited file goes live
// at the next look at the folder, a file that breaks keeps its flow's
// live version (reported once), and the fix goes live.
func TestLiveSourceReload(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.yaml", flowYAML("good", "First good prompt"))
	write("other.yaml", flowYAML("other", "First other prompt"))
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "peervoice.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	a := &app{log: slog.New(slog.NewTextHandler(&logs, nil))}
	a.cfg.FlowsDir = dir
	s, err := newLiveSource(ctx, a.releases(db), dir, a.log)
	if err != nil {
		t.Fatal(err)
	}
	reload := func() { s.checked = time.Time{} } // skip the once-a-second wait
	livePrompt := func(id string) string {
		t.Helper()
		f, err := s.Catalog().Get(id)
		if err != nil {
			return err.Error()
		}
		return f.Questions[0].Prompt.String()
	}

	write("good.yaml", flowYAML("good", "Second good prompt, longer"))
	write("other.yaml", strings.Replace(flowYAML("other", "Broken"), "prompt:", "promt:", 1))
	reload()
	if got := livePrompt("good"); got != "Second good prompt, longer" {
		t.Errorf("good after the reload = %q; want its edit live", got)
	}
	if got := livePrompt("other"); got != "First other prompt" {
		t.Errorf("other after it broke = %q; want its live version kept", got)
	}
	want := filepath.Join(dir, "other.yaml") + `:7:5: unknown question key \"promt\"`
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), want) {
		t.Errorf("log after a file broke:\n%s\nwant a warning with %q", logs.String(), want)
	}
	n := logs.Len()
	reload()
	s.Catalog()
	if logs.Len() != n {
		t.Errorf("a look with nothing changed logged:\n%s", logs.String()[n:])
	}
	write("other.yaml", flowYAML("other", "Fixed other prompt"))
	reload()
	if got := livePrompt("other"); got != "Fixed other prompt" {
		t.Errorf("other after the fix = %q; want the fixed version live", got)
	}
	// A version published in this process shows at once, without waiting
	// for the next look.
	if _, err := a.releases(db).PublishSource(ctx, []byte(flowYAML("good", "From the command line")), "good.yaml", cliActor()); err != nil {
		t.Fatal(err)
	}
	if got := livePrompt("good"); got != "From the command line" {
		t.Errorf("good after a publication = %q; want it live at once", got)
	}
}
