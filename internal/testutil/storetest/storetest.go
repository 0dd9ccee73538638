// Package storetest opens the store the way PeerVoice's tests need it: a
// real SQLite file (never :memory:, which gives each pooled connection
// its own empty database) under the test's temporary directory, its key
// file created beside it, closed when the test ends, and the participant
// service over it.
//
// Only tests, and the load benchmark's runner, import it. It is apart
// from internal/testutil so that the tests of flows, the store or the
// participant service, and any test that only wants a golden file or a
// buffer, do not link SQLite or import the packages under test in a
// cycle. It must not import discordgo or viper.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// Path returns the path of a database that does not exist yet, in a new
// temporary directory of tb's.
func Path(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "peervoice.db")
}

// Open opens the store at path with opt, creating it (and its key file,
// path + ".key", unless opt says otherwise) if it is new, and closes it
// when tb ends. A test may close it earlier, to reopen the file as a
// restart does: closing twice is harmless. A failure to open or close
// fails tb.
func Open(tb testing.TB, path string, opt store.Options) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path, opt)
	if err != nil {
		tb.Fatalf("open the test store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close the test store: %v", err)
		}
	})
	return db
}

// Flows returns the built-in flows, failing tb if they do not load.
func Flows(tb testing.TB) *flows.Catalog {
	tb.Helper()
	cat, err := flows.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// Service returns the participant service over st (a *store.DB, or a
// wrapper of one) with cfg, serving the built-in flows unless cfg.Flows
// says otherwise.
func Service(tb testing.TB, st participant.Store, cfg participant.Config) *participant.Service {
	tb.Helper()
	if cfg.Flows == nil {
		cat := Flows(tb)
		cfg.Flows = func() *flows.Catalog { return cat }
	}
	svc, err := participant.New(st, cfg)
	if err != nil {
		tb.Fatalf("start the participant service: %v", err)
	}
	return svc
}
