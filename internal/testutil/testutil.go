// Package testutil holds the helpers that several packages' tests share,
// so that they are written once: SyncBuffer, a buffer a test reads while
// goroutines or a process write to it; Golden, golden files under
// testdata/ rewritten with -update; ClosedAddr, a loopback address
// nothing listens on; and Unzip, the files of a zip archive (an export's
// CSV zip, or a workbook, which is one too); and CPUTime, the process's
// CPU time, which benchmarks report beside the wall clock.
//
// Only tests import it. It imports no other PeerVoice package, and
// importing it registers the -update flag, so a test package that uses
// it must not define its own (Update reports the flag instead).
package testutil

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Update reports whether the tests run with -update, for golden files
// that Golden does not suit.
func Update() bool { return *update }

// Golden compares got with the golden file at path, or writes got there
// when the tests run with -update. A difference fails t and says how to
// accept it; a missing file fails t and says how to create it.
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("update golden file: %v", err)
		}
		return
	}
	rerun := "go test -run '^" + strings.SplitN(t.Name(), "/", 2)[0] + "$' -update"
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run %s in this package to create it): %v", rerun, err)
		return
	}
	if got != string(want) {
		t.Errorf("%s differs (run %s in this package if the change is intended, and review the diff)\n--- got\n%s\n--- want\n%s", path, rerun, got, want)
	}
}

// SyncBuffer is a bytes.Buffer safe for concurrent use: goroutines (a
// bot's, or a process's output copier) write while a test reads. The
// zero value is ready to use.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p to the buffer.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what has been written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ClosedAddr returns a 127.0.0.1 host:port nothing listens on, for tests
// of what a connection that is refused says.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Unzip returns the names of the files in the zip archive b, in its
// order, and each file's contents, failing t if b is not a zip archive.
func Unzip(t testing.TB, b []byte) ([]string, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
		return nil, nil // for a t whose Fatalf returns
	}
	var names []string
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s in the zip archive: %v", f.Name, err)
			return nil, nil
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s in the zip archive: %v", f.Name, err)
			return nil, nil
		}
		names = append(names, f.Name)
		files[f.Name] = string(data)
	}
	return names, files
}

// UnzipText returns the text of every file in the zip archive b, in its
// order, one after the other with a newline between: for tests that look
// for what must not be anywhere in an export.
func UnzipText(t testing.TB, b []byte) string {
	t.Helper()
	names, files := Unzip(t, b)
	var all strings.Builder
	for _, n := range names {
		all.WriteString(files[n])
		all.WriteByte('\n')
	}
	return all.String()
}
