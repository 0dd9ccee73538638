package storetest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"testing/fstest"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

var alice = participant.User{Platform: "discord", ID: "123456789012345678"}

// TestOpen opens a new store in one test, closes it early (the cleanup
// closes it again, harmlessly), and finds what it stored on reopening
// the same file, as a restart would.
func TestOpen(t *testing.T) {
	ctx := context.Background()
	path := storetest.Path(t)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("Path() = %s, which exists (%v); want a new path", path, err)
	}
	var pseudonym string
	t.Run("first", func(t *testing.T) {
		db := storetest.Open(t, path, store.Options{})
		p, err := db.EnsureParticipant(ctx, db.Pseudonym("discord", alice.ID))
		if err != nil {
			t.Fatal(err)
		}
		pseudonym = p.Pseudonym
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := os.Stat(path + ".key"); err != nil {
		t.Errorf("no key file beside the new store: %v", err)
	}
	db := storetest.Open(t, path, store.Options{MustExist: true})
	if _, err := db.FindParticipant(ctx, pseudonym); err != nil {
		t.Errorf("FindParticipant(%s) after reopening = %v; want the participant stored before", pseudonym, err)
	}
}

// fatalRecorder is a testing.TB that keeps what Fatalf says and ends the
// goroutine, as testing.T does.
type fatalRecorder struct {
	testing.TB
	fatal string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestOpenFails: a store that cannot be opened fails the test, saying
// why, instead of returning a nil store.
func TestOpenFails(t *testing.T) {
	r := &fatalRecorder{TB: t}
	path := filepath.Join(t.TempDir(), "none.db")
	done := make(chan *store.DB)
	go func() {
		defer close(done)
		done <- storetest.Open(r, path, store.Options{MustExist: true})
	}()
	if db := <-done; db != nil {
		t.Fatalf("Open(%s, MustExist) returned a store; want the test failed", path)
	}
	if r.fatal == "" {
		t.Fatalf("Open(%s, MustExist) did not fail the test", path)
	}
	t.Logf("Open said: %s", r.fatal)
}

// TestService serves the built-in flows unless the config names others.
func TestService(t *testing.T) {
	ctx := context.Background()
	one, probs := flows.Load(fstest.MapFS{"one.yaml": {Data: []byte("id: one\ntitle: One question\ntheme: Recovery\nquestions:\n  - id: words\n    type: text\n    prompt: What helps?\n")}}, "test")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		cfg       participant.Config
		flow      string
		wantBegin bool
	}{
		{"built-in flows", participant.Config{}, "recovery", true},
		{"built-in flows, not another", participant.Config{}, "one", false},
		{"given flows", participant.Config{Flows: func() *flows.Catalog { return one }}, "one", true},
		{"given flows only", participant.Config{Flows: func() *flows.Catalog { return one }}, "recovery", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := storetest.Service(t, storetest.Open(t, storetest.Path(t), store.Options{}), tt.cfg)
			_, err := svc.Begin(ctx, alice, tt.flow, "")
			if got := err == nil; got != tt.wantBegin {
				t.Errorf("Begin(%s) = %v; want it to succeed: %v", tt.flow, err, tt.wantBegin)
			}
		})
	}
}
