package release_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/peervoice/peervoice/audit"
	"github.com/peervoice/peervoice/release"
	"github.com/peervoice/peervoice/store"
)

// log is an audit.Recorder that keeps the entries in memory.
type log struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (l *log) Record(_ context.Context, e audit.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
	return nil
}

// lines returns the entries as "action target outcome details".
func (l *log) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.entries {
		out = append(out, strings.TrimSpace(e.Actor.String()+" "+e.Action+" "+e.Target+" "+e.Outcome+" "+e.Details))
	}
	return out
}

type env struct {
	db   *store.DB
	svc  *release.Service
	log  *log
	live []release.Version // what OnLive was told
}

// newEnv opens a real database in a temporary directory and a service
// over it, with a clock that moves a minute a call.
func newEnv(t *testing.T) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "peervoice.db")
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return envOn(t, db)
}

func envOn(t *testing.T, db *store.DB) *env {
	e := &env{db: db, log: &log{}}
	var mu sync.Mutex
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(time.Minute)
		return at
	}
	e.svc = release.NewWith(release.Options{Store: db, Audit: e.log, Now: now, OnLive: func(v release.Version) {
		mu.Lock()
		defer mu.Unlock()
		e.live = append(e.live, v)
	}})
	return e
}

var (
	cli  = audit.Actor{Kind: audit.KindCLI, ID: "ann"}
	mod  = audit.Actor{Kind: audit.KindDiscord, ID: "1001", Name: "Mo"}
	ctxb = context.Background()
)

// mood is a small flow; prompt and options vary between versions.
func mood(prompt, options string) []byte {
	return []byte("id: mood\ntitle: Mood check\ntheme: Testing\nquestions:\n" +
		"  - id: feel\n    type: choice\n    prompt: " + prompt + "\n    options: [" + options + "]\n" +
		"  - id: why\n    type: text\n    prompt: Why?\n")
}
