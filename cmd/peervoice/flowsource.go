package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/peervoice/peervoice/flows"
)

// flowSource serves the flows in a directory and reloads them when the
// files change, so moderators' edits apply without a restart. A file with
// problems does not take the other flows away: at start-up the files that
// lint clean are served and each problem is logged; on a reload, a file
// that breaks keeps its last good version (flows.KeepLastGood) until it is
// fixed, while the other files' changes apply.
type flowSource struct {
	dir string
	log *slog.Logger

	mu      sync.Mutex
	cat     *flows.Catalog
	stamp   string
	checked time.Time
}

// newFlowSource loads dir. It fails only when no flow in it loads.
func newFlowSource(dir string, log *slog.Logger) (*flowSource, error) {
	s := &flowSource{dir: dir, log: log}
	stamp, err := dirStamp(dir)
	if err != nil {
		return nil, fmt.Errorf("flows_dir %s: %w", dir, err)
	}
	c, probs := flows.LoadDir(dir)
	if c == nil || len(c.Flows()) == 0 {
		return nil, fmt.Errorf("no flow in %s loads; fix these problems (run peervoice flows lint %s):\n%w", dir, dir, probs.Err())
	}
	s.report(probs, "its flow is not served until it is fixed")
	s.cat, s.stamp, s.checked = c, stamp, time.Now()
	return s, nil
}

// report logs each problem, with what happens to its flow meanwhile.
func (s *flowSource) report(probs flows.Problems, meanwhile string) {
	probs.Sort()
	for _, p := range probs {
		s.log.Warn("flow problem; "+meanwhile, "problem", p.Error())
	}
}

// Catalog returns the current flows, looking at the directory again at
// most once a second.
func (s *flowSource) Catalog() *flows.Catalog {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.checked) < time.Second {
		return s.cat
	}
	s.checked = time.Now()
	stamp, err := dirStamp(s.dir)
	if err != nil {
		s.log.Warn("cannot read the flows directory; keeping the flows loaded", "dir", s.dir, "err", err)
		return s.cat
	}
	if stamp == s.stamp {
		return s.cat
	}
	s.stamp = stamp // report each broken state once
	next, probs := flows.LoadDir(s.dir)
	if next == nil || (len(next.Flows()) == 0 && len(probs) > 0) {
		s.report(probs, "keeping the flows loaded until it is fixed")
		return s.cat
	}
	c, kept := flows.KeepLastGood(s.cat, next, probs)
	s.report(probs, "that file's last good version is served until it is fixed")
	attrs := []any{"dir", s.dir, "flows", strings.Join(c.IDs(), ",")}
	if len(kept) > 0 {
		var ids []string
		for _, f := range kept {
			ids = append(ids, f.ID)
		}
		attrs = append(attrs, "unchanged_until_fixed", strings.Join(ids, ","))
	}
	s.log.Info("flows reloaded", attrs...)
	s.cat = c
	return s.cat
}

// dirStamp summarises the names, sizes and times of the flow files.
func dirStamp(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s:%d:%d", e.Name(), info.Size(), info.ModTime().UnixNano()))
	}
	sort.Strings(parts)
	return strings.Join(parts, "|"), nil
}
