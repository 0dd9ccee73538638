package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"

	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/release"
	"github.com/peervoice/peervoice/store"
)

// liveSource serves the flows the database says are live and open, for
// run and chat. The database is the source of truth: the built-in pack,
// or the flows folder when one is set, only seeds it (release.Seed: a
// file whose content differs from what was last imported from it becomes
// a new live version; an unchanged file does nothing; a broken file
// changes nothing, so the live version stays until it is fixed). The
// folder is looked at again at most once a second, when someone asks for
// the flows, as before; a version published meanwhile, here or by
// another process on the same database, is picked up at the same pace.
type liveSource struct {
	rel *release.Service
	dir string // "" for the built-in pack
	log *slog.Logger

	dirty atomic.Bool // a version went live in this process

	mu      sync.Mutex
	cat     *flows.Catalog
	stamp   string
	checked time.Time
	// live is each flow's live version as last served, to tell the
	// moderators of every version that goes live, whoever made it: this
	// process, another (peervoice flows publish beside the bot) or the
	// folder. pending holds those found before announce was set.
	live     map[string]string
	announce func(release.Version)
	changed  func()
	pending  []release.Version
	// problems tells the moderators of a flow file that cannot be
	// imported; told is the problems last told (or kept in unsaid until
	// problems is set), so a file left broken is told of once.
	problems func([]string)
	told     string
	unsaid   []string
}

// newLiveSource seeds the database from dir (or the pack) and loads the
// live catalog.
func newLiveSource(ctx context.Context, rel *release.Service, dir string, log *slog.Logger) (*liveSource, error) {
	s := &liveSource{rel: rel, dir: dir, log: log, live: map[string]string{}}
	rel.OnLive(func(release.Version) { s.dirty.Store(true) })
	before, err := rel.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range before.Flows() {
		s.live[f.ID] = f.Version
	}
	if err := s.seed(ctx, "its flow is not updated until it is fixed"); err != nil {
		return nil, err
	}
	c, err := rel.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	if len(before.Flows()) == 0 {
		// A new study's first flows: nothing changed for anyone, so
		// nothing to tell.
		for _, f := range c.Flows() {
			s.live[f.ID] = f.Version
		}
	}
	s.noteLive(ctx, c)
	if len(c.Flows()) == 0 {
		log.Warn("no flow is open: participants have nothing to start until one is reopened (peervoice flows reopen ID)")
	}
	s.cat, s.checked = c, time.Now()
	return s, nil
}

// seedFiles reads the seed files: the pack's, or the folder's.
func (s *liveSource) seedFiles() ([]release.Source, string, error) {
	if s.dir == "" {
		files, err := readSeeds(flows.Pack(), "pack", "pack")
		return files, "", err
	}
	stamp, err := dirStamp(s.dir)
	if err != nil {
		return nil, "", fmt.Errorf("flows_dir %s: %w", s.dir, err)
	}
	abs, err := filepath.Abs(s.dir)
	if err != nil {
		return nil, "", fmt.Errorf("flows_dir %s: %w", s.dir, err)
	}
	files, err := readSeeds(os.DirFS(s.dir), s.dir, abs)
	return files, stamp, err
}

// readSeeds reads the flow files at the top of fsys. Each is named for
// messages under prefix, and remembered under key (an absolute path),
// so the same folder given another way does not count as other files.
func readSeeds(fsys fs.FS, prefix, key string) ([]release.Source, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read flows %s: %w", prefix, err)
	}
	var out []release.Source
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		src, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read flow file %s: %w", filepath.Join(prefix, e.Name()), err)
		}
		out = append(out, release.Source{Name: filepath.Join(prefix, e.Name()), Key: filepath.Join(key, e.Name()), Src: src})
	}
	return out, nil
}

// seed imports the seed files and logs what happened.
func (s *liveSource) seed(ctx context.Context, meanwhile string) error {
	files, stamp, err := s.seedFiles()
	if err != nil {
		return err
	}
	rep, err := s.rel.Seed(ctx, files)
	if err != nil {
		return err
	}
	s.stamp = stamp
	var lines []string
	for _, p := range rep.Problems {
		s.log.Warn("flow problem; "+meanwhile, "problem", p.Error())
		lines = append(lines, p.Error())
	}
	if key := strings.Join(lines, "\n"); key != s.told {
		s.told = key
		switch {
		case len(lines) == 0:
			s.unsaid = nil
		case s.problems == nil:
			s.unsaid = lines
		default:
			s.problems(lines)
		}
	}
	if len(rep.Imported) > 0 {
		var vs []string
		for _, v := range rep.Imported {
			vs = append(vs, fmt.Sprintf("%s v%d", v.FlowID, v.N))
		}
		s.log.Info("flows imported from files", "live", strings.Join(vs, ","))
	}
	return nil
}

// Catalog returns the live flows, looking at the folder and the database
// again at most once a second (at once after a version went live here).
// A failure to read either keeps the flows being served, and is logged.
func (s *liveSource) Catalog() *flows.Catalog {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.checked) < time.Second && !s.dirty.Load() {
		return s.cat
	}
	s.checked = time.Now()
	s.dirty.Store(false)
	ctx := context.Background()
	if s.dir != "" {
		if stamp, err := dirStamp(s.dir); err != nil {
			s.log.Warn("cannot read the flows directory; keeping the flows live", "dir", s.dir, "err", err)
		} else if stamp != s.stamp {
			if err := s.seed(ctx, "that flow's live version stays until the file is fixed"); err != nil {
				s.log.Warn("cannot import the flows directory; keeping the flows live", "dir", s.dir, "err", err)
			}
		}
	}
	c, err := s.rel.Catalog(ctx)
	if err != nil {
		s.log.Warn("cannot read the live flows; keeping the flows loaded", "err", err)
		return s.cat
	}
	s.cat = c
	s.noteLive(ctx, c)
	return s.cat
}

// noteLive finds the flows of c whose live version changed since last
// served and announces each (or keeps it for announce). A flow closed
// and reopened on the same version is not announced again: its version
// did not change. Called with s.mu held, or before s is shared.
func (s *liveSource) noteLive(ctx context.Context, c *flows.Catalog) {
	for _, f := range c.Flows() {
		if s.live[f.ID] == f.Version {
			continue
		}
		s.live[f.ID] = f.Version
		v, err := s.rel.Show(ctx, f.ID, 0)
		if err != nil {
			s.log.Warn("cannot read a flow's live version to tell the moderators", "flow", f.ID, "err", err)
			continue
		}
		if s.announce == nil {
			s.pending = append(s.pending, v)
			continue
		}
		s.announce(v)
	}
}

// Watch looks at the folder and the database every interval until ctx
// ends, so that a version made live elsewhere (a file saved, peervoice
// flows publish beside the bot) is served and told to the moderators
// even while no participant asks for the flows.
func (s *liveSource) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.mu.Lock()
			before := strings.Join(s.cat.IDs(), ",")
			changed := s.changed
			s.mu.Unlock()
			if after := strings.Join(s.Catalog().IDs(), ","); after != before && changed != nil {
				changed() // outside s.mu: the bot reads the flows again
			}
		}
	}
}

// Announce sets where versions going live are told (the bot's
// moderator channel), and tells it of those found before; changed is
// called when Watch finds the flows served changed (a flow closed or
// reopened, here or elsewhere), so /survey's list follows; problems is
// told of a flow file that cannot be imported (once for the same
// problems).
func (s *liveSource) Announce(fn func(release.Version), changed func(), problems func([]string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.announce, s.changed, s.problems = fn, changed, problems
	if len(s.unsaid) > 0 {
		problems(s.unsaid)
		s.unsaid = nil
	}
	for _, v := range s.pending {
		fn(v)
	}
	s.pending = nil
}

// checkFlowFiles makes sure, before a database is created, that the
// configured flows have something to serve: a new study fails to start
// only when no flow file loads. With a database there already, broken
// files change nothing (its live versions are served) and seeding
// reports each problem; checkFlowFiles itself logs nothing.
func (a *app) checkFlowFiles() error {
	if a.cfg.FlowsDir == "" {
		_, err := flows.Default()
		return err
	}
	dir := a.cfg.FlowsDir
	if _, err := dirStamp(dir); err != nil {
		return fmt.Errorf("flows_dir %s: %w", dir, err)
	}
	c, probs := flows.LoadDir(dir)
	if (c == nil || len(c.Flows()) == 0) && !a.haveDB() {
		return fmt.Errorf("no flow in %s loads; fix these problems (run peervoice flows lint %s):\n%w", dir, dir, probs.Err())
	}
	return nil
}

// haveDB reports whether the configured database exists already.
func (a *app) haveDB() bool {
	if a.scratch || a.cfg.DB == scratchDB {
		return false
	}
	info, err := os.Stat(a.cfg.DB)
	return err == nil && info.Size() > 0
}

// releases returns the flow release service over db, made once.
func (a *app) releases(db *store.DB) *release.Service {
	if a.rel == nil {
		a.rel = release.NewWith(release.Options{Store: db, Audit: a.auditRecorder(db), Log: a.log})
	}
	return a.rel
}

// auditRecorder is the one place the audit log of flow changes is
// chosen, for the bot, chat and the flows subcommands alike: the
// database's own.
func (a *app) auditRecorder(db *store.DB) audit.Recorder { return db }

// liveFlows makes the database the source of the flows served: it seeds
// it and sets a.catalog to its live flows.
func (a *app) liveFlows(ctx context.Context, db *store.DB) error {
	src, err := newLiveSource(ctx, a.releases(db), a.cfg.FlowsDir, a.log)
	if err != nil {
		return err
	}
	a.catalog, a.liveSrc = src.Catalog, src
	return nil
}
