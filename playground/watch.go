package playground

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/peervoice/peervoice/flows"
)

// watcher holds the flows being served and, for a directory, reads it
// again when a file's time or size changes, with the lint of `peervoice
// flows lint` (flows.LoadDir): a file with problems keeps its last good
// version (flows.KeepLastGood, as `peervoice run` does), and its
// problems are shown; a clean save is served at once, with its diff.
type watcher struct {
	dir string

	mu       sync.Mutex
	cat      *flows.Catalog
	stamp    string
	gen      int // bumped on every reload that changed something shown
	problems flows.Problems
	changes  []flows.DiffChange // of the last clean reload, for changed
	changed  string             // the flow id the last reload changed
	sources  map[string][]byte  // file → contents, for the problems' lines
}

func newWatcher(dir string) (*watcher, error) {
	w := &watcher{dir: dir}
	if dir == "" {
		cat, err := flows.Default()
		if err != nil {
			return nil, fmt.Errorf("playground: built-in flows: %w", err)
		}
		w.cat = cat
		return w, nil
	}
	w.reload()
	if w.cat == nil || len(w.cat.Flows()) == 0 {
		return nil, fmt.Errorf("playground: no flow to serve in %s:\n%w", dir, w.problems.Err())
	}
	return w, nil
}

// Catalog returns the flows to serve now.
func (w *watcher) Catalog() *flows.Catalog {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cat
}

// state is what the moderator view shows of the watched files.
type state struct {
	Watched  bool
	Dir      string
	Gen      int
	Problems flows.Problems
	Changes  []flows.DiffChange
	Changed  string
	Sources  map[string][]byte
}

func (w *watcher) state() state {
	w.mu.Lock()
	defer w.mu.Unlock()
	return state{Watched: w.dir != "", Dir: w.dir, Gen: w.gen, Problems: w.problems, Changes: w.changes, Changed: w.changed, Sources: w.sources}
}

func (w *watcher) run(ctx context.Context) {
	if w.dir == "" {
		return
	}
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.reload()
		}
	}
}

// reload reads the files again if any changed since the last look.
func (w *watcher) reload() {
	stamp, files := stampOf(w.dir)
	w.mu.Lock()
	defer w.mu.Unlock()
	if stamp == w.stamp {
		return
	}
	w.stamp = stamp
	next, probs := flows.LoadDir(w.dir)
	probs.Sort()
	prev := w.cat
	cat, _ := flows.KeepLastGood(prev, next, probs)
	w.sources = map[string][]byte{}
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			w.sources[f] = b
		}
	}
	w.gen++
	w.problems = probs
	if prev != nil && len(probs) == 0 {
		w.changes, w.changed = nil, ""
		for _, f := range cat.Flows() {
			old, _ := prev.Get(f.ID)
			if d := flows.Diff(old, f); len(d) > 0 && w.changed == "" {
				w.changes, w.changed = d, f.ID
			}
		}
	}
	w.cat = cat
}

// stampOf names the flow files of dir (or dir itself, a file) with
// their times and sizes: a change to any is a change of the stamp.
func stampOf(dir string) (string, []string) {
	var files []string
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		return "error: " + err.Error(), nil
	case info.IsDir():
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
				files = append(files, filepath.Join(dir, n))
			}
		}
	default:
		files = []string{dir}
	}
	sort.Strings(files)
	var b strings.Builder
	for _, f := range files {
		fi, err := os.Stat(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			fmt.Fprintf(&b, "%s error %v\n", f, err)
			continue
		}
		fmt.Fprintf(&b, "%s %d %d\n", f, fi.ModTime().UnixNano(), fi.Size())
	}
	return b.String(), files
}
