package main_test

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPlaygroundRefusesNonLoopback: without --public the playground,
// which has no login, serves nothing beyond loopback.
func TestPlaygroundRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:8377", ":8377"} {
		r := peervoice(t, t.TempDir(), "", nil, "playground", "--addr", addr)
		if r.code == 0 || !strings.Contains(r.stderr, "not a loopback address") || !strings.Contains(r.stderr, "--public") {
			t.Errorf("playground --addr %s: code %d, stderr %q; want a refusal naming --public", addr, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "PeerVoice playground at") {
			t.Errorf("playground --addr %s served: %q", addr, r.stdout)
		}
	}
}

// served is a playground binary running in the background.
type served struct {
	cmd  *exec.Cmd
	url  string
	out  []string // the lines it printed at start
	done chan error
	// stopped is set by stop, called by the test and again at cleanup.
	stopped bool
}

var servedAt = regexp.MustCompile(`PeerVoice playground at (http://\S+)`)

// servePlayground starts `peervoice playground args...` and reads what
// it prints until "Press Ctrl-C"; it is interrupted when the test ends.
func servePlayground(t *testing.T, dir string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"playground"}, args...)...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, done: make(chan error, 1)}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		s.out = append(s.out, line)
		if m := servedAt.FindStringSubmatch(line); m != nil {
			s.url = m[1]
		}
		if strings.HasPrefix(line, "Press Ctrl-C") {
			break
		}
	}
	go func() { io.Copy(io.Discard, stdout); s.done <- cmd.Wait() }()
	t.Cleanup(func() { s.stop(t) })
	if s.url == "" {
		t.Fatalf("playground printed no address: %q", s.out)
	}
	return s
}

// stop interrupts the playground, as Ctrl-C does, and waits for it.
func (s *served) stop(t *testing.T) {
	if s.stopped {
		return
	}
	s.stopped = true
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("playground after Ctrl-C: %v", err)
		}
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		t.Error("playground did not stop on Ctrl-C")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var tokenIn = regexp.MustCompile(`\?token=([0-9a-f]{32})$`)

// TestPlaygroundPublicNeedsToken: with --public it listens beyond
// loopback, and every request needs the random token it printed; its
// scratch database is gone when it stops.
func TestPlaygroundPublicNeedsToken(t *testing.T) {
	s := servePlayground(t, t.TempDir(), "--addr", "0.0.0.0:0", "--public")
	m := tokenIn.FindStringSubmatch(s.url)
	if m == nil {
		t.Fatalf("address %q has no access token", s.url)
	}
	token := m[1]
	base := strings.Replace(strings.TrimSuffix(s.url, "?token="+token), "0.0.0.0", "127.0.0.1", 1)
	for _, u := range []string{base, base + "?token=" + strings.Repeat("0", 32), base + "researcher", base + "static/playground.css"} {
		if code, _ := get(t, u); code != http.StatusUnauthorized {
			t.Errorf("GET %s without the token: %d; want 401", u, code)
		}
	}
	code, body := get(t, base+"?token="+token)
	if code != http.StatusOK || !strings.Contains(body, "scratch database") {
		t.Fatalf("GET with the token: %d\n%.300s", code, body)
	}
	var scratch string
	for _, l := range s.out {
		if _, after, ok := strings.Cut(l, "scratch database at "); ok {
			scratch = filepath.Dir(strings.TrimSuffix(after, ", removed when the playground stops."))
		}
	}
	if scratch == "" || !strings.Contains(body, scratch) {
		t.Errorf("the page does not name the scratch database %q it printed (%q)", scratch, s.out)
	}
	s.stop(t)
	if _, err := os.Stat(scratch); !os.IsNotExist(err) {
		t.Errorf("scratch directory %s after the playground stopped: %v; want it removed", scratch, err)
	}
}

// TestPlaygroundLoopbackWithDB: on loopback no token is asked for, and
// --db keeps the answers in that database, which the page names.
func TestPlaygroundLoopbackWithDB(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "study.db")
	s := servePlayground(t, dir, "--addr", "127.0.0.1:0", "--db", db)
	if strings.Contains(s.url, "token") {
		t.Errorf("loopback address %q carries a token", s.url)
	}
	code, body := get(t, s.url)
	if code != http.StatusOK || !strings.Contains(body, "the database at <code>"+db) {
		t.Fatalf("GET %s: %d; want the page to name %s\n%.600s", s.url, code, db, body)
	}
	s.stop(t)
	if _, err := os.Stat(db); err != nil {
		t.Errorf("--db %s after the playground stopped: %v; want it kept", db, err)
	}
}
