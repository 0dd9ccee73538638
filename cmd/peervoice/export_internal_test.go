package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommitKeepsAFileThatAppeared: a file that appears at the target
// after the up-front check (another export, say) is not replaced without
// force, and is with it.
func TestCommitKeepsAFileThatAppeared(t *testing.T) {
	for _, force := range []bool{false, true} {
		target := filepath.Join(t.TempDir(), "study.xlsx")
		f, err := newPrivateTemp(target)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("the export")
		os.WriteFile(target, []byte("there first"), 0o600)
		err = commit(f, target, force)
		b, _ := os.ReadFile(target)
		switch {
		case !force && (err == nil || !strings.Contains(err.Error(), "already exists: give --force") || string(b) != "there first"):
			t.Errorf("commit without force = %v, target %q; want an error naming --force and the file kept", err, b)
		case force && (err != nil || string(b) != "the export"):
			t.Errorf("commit with force = %v, target %q; want the export", err, b)
		}
		if _, err := os.Stat(f.Name()); err == nil && force {
			t.Errorf("the temporary file %s is left after commit", f.Name())
		}
	}
}
