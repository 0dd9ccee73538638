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
// files change, so moderators' edits apply without a restart. A change
// that does not lint keeps the flows already loaded: a typo must not
// take the questionnaire away from participants.
type flowSource struct {
	dir string
	log *slog.Logger

	mu      sync.Mutex
	cat     *flows.Catalog
	stamp   string
	checked time.Time
}

// newFlowSource loads dir, which must be clean to start with.
func newFlowSource(dir string, log *slog.Logger) (*flowSource, error) {
	s := &flowSource{dir: dir, log: log}
	stamp, err := dirStamp(dir)
	if err != nil {
		return nil, fmt.Errorf("flows_dir %s: %w", dir, err)
	}
	c, probs := flows.LoadDir(dir)
	if err := probs.Err(); err != nil {
		return nil, fmt.Errorf("flows in %s have problems (run peervoice flows lint %s):\n%w", dir, dir, err)
	}
	s.cat, s.stamp, s.checked = c, stamp, time.Now()
	return s, nil
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
	c, probs := flows.LoadDir(s.dir)
	if len(probs) > 0 {
		for _, p := range probs {
			s.log.Warn("flow problem; keeping the flows loaded until it is fixed", "problem", p.Error())
		}
		s.stamp = stamp // report each broken state once
		return s.cat
	}
	s.log.Info("flows reloaded", "dir", s.dir, "flows", strings.Join(c.IDs(), ","))
	s.cat, s.stamp = c, stamp
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
