package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/peervoice/peervoice/config"
	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/redact"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/release"
	"github.com/peervoice/peervoice/safety"
	"github.com/peervoice/peervoice/store"
)

// app is what every command shares: settings, logger and streams.
type app struct {
	v          *viper.Viper
	cfg        config.Config
	log        *slog.Logger
	configFile string
	stdin      io.Reader
	stdout     io.Writer
	stderr     io.Writer
	binds      []binding
	// createDB lets openStore create a missing database: only chat and
	// run do, so that a mistyped --db elsewhere is an error, not a new,
	// empty study.
	createDB bool
	// scratch makes openStore use a throwaway database (chat --scratch,
	// or --db :memory:).
	scratch bool
	// cleanups run when the command has finished (run calls cleanup).
	cleanups []func()
	// catalog is the flows source, made by the first call of flows.
	catalog func() *flows.Catalog
	// det is the crisis detector, built once, by detector.
	det *safety.Detector
	// live makes openService serve the flows live in the database,
	// seeded from the pack or the folder (run and chat), instead of the
	// files as they are (mydata, withdraw).
	live bool
	// reminding makes the participant service keep how to reach
	// participants for a reminder: `run` with reminders.enabled.
	reminding bool
	// rel is the flow release service, made by releases.
	rel *release.Service
	// liveSrc serves the live flows in run and chat (a.live).
	liveSrc *liveSource
}

type binding struct {
	flags *pflag.FlagSet
	flag  string
	key   string
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{v: config.New(), stdin: stdin, stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(new(redact.Redactor).Writer(stderr), nil))}
}

// bind makes a flag set a config key, when the flag is given. Binding
// waits until the command runs, because several commands share flag
// names (--db) and only the running one's flags may count.
func (a *app) bind(fs *pflag.FlagSet, flag, key string) {
	a.binds = append(a.binds, binding{fs, flag, key})
}

// load reads the config file, environment and flags, and checks them.
func (a *app) load() error {
	for _, b := range a.binds {
		if f := b.flags.Lookup(b.flag); f != nil && f.Changed {
			a.v.Set(b.key, f.Value.String())
		}
	}
	file, err := config.ReadFile(a.v, a.configFile)
	if err != nil {
		return err
	}
	fileWarnings := config.FileWarnings(a.v, file)
	cfg, warnings, err := config.Load(a.v)
	if err != nil {
		for _, w := range fileWarnings {
			a.log.Warn(w)
		}
		return err
	}
	warnings = append(fileWarnings, warnings...)
	a.cfg = cfg
	// Every record passes through the redactor on its way out: token
	// shapes and the configured token never reach the log, whichever
	// attribute (an API error body a proxy echoed) holds them.
	out := redact.New(cfg.Discord.Token).Writer(a.stderr)
	var h slog.Handler
	opts := &slog.HandlerOptions{Level: level(cfg.Log.Level)}
	if cfg.Log.Format == "json" {
		h = slog.NewJSONHandler(out, opts)
	} else {
		h = slog.NewTextHandler(out, opts)
	}
	a.log = slog.New(h)
	for _, w := range warnings {
		a.log.Warn(w)
	}
	return nil
}

func level(s string) slog.Level {
	switch s {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// scratchDB is the --db value that means a scratch database, as in SQLite.
const scratchDB = ":memory:"

// openStore opens the configured database. It creates a missing one only
// for the commands that set a.createDB (chat and run), and says so.
func (a *app) openStore(ctx context.Context) (*store.DB, error) {
	if a.scratch || a.cfg.DB == scratchDB {
		if !a.createDB {
			return nil, fmt.Errorf("--db %s is a scratch database, gone when chat ends; give the path of a PeerVoice database", scratchDB)
		}
		return a.openScratch(ctx)
	}
	opt := store.Options{SecretFile: a.cfg.SecretFile, Synchronous: a.cfg.Store.Synchronous, MustExist: !a.createDB}
	if a.cfg.Secret != "" {
		secret, err := hex.DecodeString(a.cfg.Secret)
		if err != nil {
			return nil, fmt.Errorf("config: secret: %w", err) // config.Load checked it; never show the value
		}
		opt.Secret = secret
	}
	db, err := store.Open(ctx, a.cfg.DB, opt)
	if errors.Is(err, store.ErrNotExist) {
		where := a.cfg.DB
		if abs, err := filepath.Abs(where); err == nil && abs != where {
			where += " (" + abs + ")"
		}
		if _, err := os.Stat(a.cfg.DB); err == nil {
			where += ", only an empty file"
		}
		return nil, fmt.Errorf("no PeerVoice database at %s; check --db / db (run `peervoice chat` or `peervoice run` to create one)", where)
	}
	if err != nil {
		return nil, err
	}
	if created, keyFile := db.Created(); created {
		key := "key file " + keyFile
		if keyFile == "" {
			key = "secret from PEERVOICE_SECRET or the secret setting"
		}
		a.log.Info(fmt.Sprintf("created a new PeerVoice database at %s (%s)", db.Path(), key))
	}
	a.log.Debug("database open", "path", a.cfg.DB)
	return db, nil
}

// openScratch opens a new database, with its own key, in a temporary
// directory that is removed when the command ends: for trying PeerVoice
// without touching a study.
func (a *app) openScratch(ctx context.Context) (*store.DB, error) {
	dir, err := os.MkdirTemp("", "peervoice-scratch-")
	if err != nil {
		return nil, fmt.Errorf("scratch database: %w", err)
	}
	a.cleanups = append(a.cleanups, func() {
		if err := os.RemoveAll(dir); err != nil {
			a.log.Warn("cannot remove the scratch database", "dir", dir, "err", err)
		}
	})
	// The configured secret and key file belong to the real study.
	db, err := store.Open(ctx, filepath.Join(dir, "peervoice.db"), store.Options{Synchronous: "NORMAL"})
	if err != nil {
		return nil, fmt.Errorf("scratch database: %w", err)
	}
	a.log.Info("scratch mode: nothing is kept (a new database and key in " + dir + ", removed at exit)")
	return db, nil
}

// cleanup runs the cleanups, last first.
func (a *app) cleanup() {
	for i := len(a.cleanups) - 1; i >= 0; i-- {
		a.cleanups[i]()
	}
	a.cleanups = nil
}

// flows returns the configured flows: the built-in pack, or a directory
// that is read again when its files change. The service and the digest
// share one source, so each problem in the directory is reported once.
func (a *app) flows() (func() *flows.Catalog, error) {
	if a.catalog != nil {
		return a.catalog, nil
	}
	if a.cfg.FlowsDir == "" {
		c, err := flows.Default()
		if err != nil {
			return nil, err
		}
		a.catalog = func() *flows.Catalog { return c }
		return a.catalog, nil
	}
	src, err := newFlowSource(a.cfg.FlowsDir, a.log)
	if err != nil {
		return nil, err
	}
	a.catalog = src.Catalog
	return a.catalog, nil
}

// openService opens the configured database and builds the participant
// service over it; the caller closes the database.
func (a *app) openService(ctx context.Context) (*store.DB, *participant.Service, error) {
	// Flows first: a flows directory with nothing to serve must not
	// leave a new, empty database behind.
	check := func() error { _, err := a.flows(); return err }
	if a.live {
		check = a.checkFlowFiles
	}
	if err := check(); err != nil {
		return nil, nil, err
	}
	db, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	if a.live {
		if err := a.liveFlows(ctx, db); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	svc, err := a.service(db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, svc, nil
}

// service builds the participant service over db.
func (a *app) service(db *store.DB) (*participant.Service, error) {
	cat, err := a.flows()
	if err != nil {
		return nil, err
	}
	cfg, err := a.participantConfig()
	if err != nil {
		return nil, err
	}
	cfg.Flows = cat
	return participant.New(db, cfg)
}

// participantConfig is the participant service's configuration but its
// flows: the study's information, consent, crisis detector and
// signposting, which moderators' previews of a flow use too.
func (a *app) participantConfig() (participant.Config, error) {
	det, err := a.detector()
	if err != nil {
		return participant.Config{}, err
	}
	s := a.cfg.Safety
	var res []safety.Resource
	for _, r := range s.Resources {
		res = append(res, safety.Resource{Name: r.Name, Contact: r.Contact, Description: r.Description})
	}
	info := ""
	if a.cfg.Study.InfoFile != "" {
		b, err := os.ReadFile(a.cfg.Study.InfoFile)
		if err != nil {
			return participant.Config{}, fmt.Errorf("config: study.info_file: %w", err)
		}
		info = string(b)
	}
	return participant.Config{
		StudyInfo:      info,
		ConsentVersion: a.cfg.Study.ConsentVersion,
		ExpireAfter:    a.cfg.Sessions.ExpireAfter,
		Retention:      participant.Retention{FreeText: a.cfg.Retention.FreeText, Answers: a.cfg.Retention.Answers},
		Detector:       det,
		Signpost:       s.Message,
		Resources:      res,
		Log:            a.log,
		Reminders:      a.reminding,
	}, nil
}

// detector returns the crisis detector of the safety.* settings, built
// once: the participant service signposts with it, and the digest leaves
// out every quote it flags.
func (a *app) detector() (*safety.Detector, error) {
	if a.det == nil {
		s := a.cfg.Safety
		det, err := safety.New(safety.Options{Phrases: s.Phrases, Patterns: s.Patterns, Ignore: s.Ignore, NoDefaults: !s.Defaults})
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		a.det = det
	}
	return a.det, nil
}

// osUser is the default terminal participant: the person at the keyboard.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return strings.TrimSpace(os.Getenv("USER"))
}
