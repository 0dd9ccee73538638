package store_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/peervoice/peervoice/store"
)

// TestConcurrentCreate opens one new database from several goroutines at
// once, each with its own *store.DB as separate processes would have:
// every Open succeeds (none fails with "create key file: file exists"),
// and all use the one secret that won.
func TestConcurrentCreate(t *testing.T) {
	for round := range 5 {
		path := newPath(t)
		const n = 6
		pseudonyms := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				db, err := store.Open(context.Background(), path, store.Options{})
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				pseudonyms[i] = db.Pseudonym("discord", rawUserID)
				_, errs[i] = db.EnsureParticipant(context.Background(), pseudonyms[i])
			}()
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("round %d: Open %d of %d at once = %v", round, i, n, errs[i])
			}
			if pseudonyms[i] != pseudonyms[0] {
				t.Fatalf("round %d: Open %d derived another pseudonym: it used another secret", round, i)
			}
		}
		checkOneKeyFile(t, path)
	}
}

// checkOneKeyFile checks that the directory holds the key file and no
// temporary file left by the loser of the race.
func checkOneKeyFile(t *testing.T, path string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if fi, err := os.Stat(path + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v; want mode 0600", fi, err)
	}
}

// TestConcurrentCreateProcesses starts two processes (this test binary,
// run again) on one new database at once.
func TestConcurrentCreateProcesses(t *testing.T) {
	if path := os.Getenv("PEERVOICE_TEST_CREATE"); path != "" {
		db, err := store.Open(context.Background(), path, store.Options{})
		if err != nil {
			fmt.Println("OPEN FAILED:", err)
			os.Exit(3)
		}
		fmt.Println("PSEUDONYM", db.Pseudonym("discord", rawUserID))
		db.Close()
		return
	}
	for round := range 3 {
		path := newPath(t)
		var cmds []*exec.Cmd
		var outs []*strings.Builder
		for range 2 {
			cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentCreateProcesses$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "PEERVOICE_TEST_CREATE="+path)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds, outs = append(cmds, cmd), append(outs, &out)
		}
		var got []string
		for i, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("round %d: process %d: %v\n%s", round, i, err, outs[i])
			}
			_, rest, ok := strings.Cut(outs[i].String(), "PSEUDONYM ")
			if !ok {
				t.Fatalf("round %d: process %d printed no pseudonym:\n%s", round, i, outs[i])
			}
			got = append(got, strings.Fields(rest)[0])
		}
		if got[0] != got[1] {
			t.Errorf("round %d: the two processes used different secrets", round)
		}
		checkOneKeyFile(t, path)
	}
}
