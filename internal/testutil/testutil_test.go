package testutil_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/peervoice/peervoice/internal/testutil"
)

// TestSyncBuffer writes from many goroutines while reading; under -race
// an unguarded buffer fails.
func TestSyncBuffer(t *testing.T) {
	var b testutil.SyncBuffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				fmt.Fprintf(&b, "%d.%d\n", i, j)
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if got, want := strings.Count(b.String(), "\n"), 800; got != want {
		t.Errorf("lines written = %d; want %d", got, want)
	}
}

// recorder is a testing.TB that keeps what Golden reports instead of
// failing the test that checks Golden.
type recorder struct {
	testing.TB
	errors, fatals []string
}

func (r *recorder) Helper()      {}
func (r *recorder) Name() string { return "TestSomething/case" }
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func TestGolden(t *testing.T) {
	if testutil.Update() {
		t.Skip("-update rewrites instead of comparing")
	}
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, got string
		errors, fatals  int
		want            string // in the one message reported
	}{
		{"equal", path, "same\n", 0, 0, ""},
		{"different", path, "other\n", 1, 0, "go test -run '^TestSomething$' -update"},
		{"missing", filepath.Join(t.TempDir(), "none.golden"), "x", 0, 1, "to create it"},
	}
	for _, tt := range tests {
		r := &recorder{TB: t}
		testutil.Golden(r, tt.path, tt.got)
		if len(r.errors) != tt.errors || len(r.fatals) != tt.fatals {
			t.Errorf("%s: Golden reported errors %q, fatals %q; want %d and %d", tt.name, r.errors, r.fatals, tt.errors, tt.fatals)
			continue
		}
		if msgs := append(r.errors, r.fatals...); len(msgs) == 1 && !strings.Contains(msgs[0], tt.want) {
			t.Errorf("%s: Golden said %q; want it to contain %q", tt.name, msgs[0], tt.want)
		}
	}
}

// TestUnzip reads back an archive's files in order, with their text, and
// fails the test on bytes that are no zip archive.
func TestUnzip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range [][2]string{{"b.csv", "two"}, {"a.csv", "one"}} {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	names, files := testutil.Unzip(t, buf.Bytes())
	if strings.Join(names, ",") != "b.csv,a.csv" || files["a.csv"] != "one" || files["b.csv"] != "two" {
		t.Errorf("Unzip = %q, %q; want b.csv then a.csv with their text", names, files)
	}
	if got := testutil.UnzipText(t, buf.Bytes()); got != "two\none\n" {
		t.Errorf("UnzipText = %q; want %q", got, "two\none\n")
	}
	r := &recorder{TB: t}
	if names, _ := testutil.Unzip(r, []byte("not a zip")); len(r.fatals) != 1 || names != nil {
		t.Errorf("Unzip of no archive: fatals %q, names %q; want one fatal, no names", r.fatals, names)
	}
}
