package main_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bin is the peervoice binary built once for these tests: the tests run
// the real program, as a newcomer would.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "peervoice-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "peervoice")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build peervoice:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// peervoice runs the binary in dir with stdin and extra environment.
func peervoice(t *testing.T, dir, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// cleanEnv drops PEERVOICE_ settings of the machine running the tests.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PEERVOICE_") {
			env = append(env, kv)
		}
	}
	return env
}

func TestChatPipedThenResume(t *testing.T) {
	dir := t.TempDir()
	// consent yes, quotes no, then the first two recovery questions.
	r := peervoice(t, dir, "1\n2\nLiving a life that feels like mine\n", nil, "chat", "--user", "sam", "--flow", "recovery")
	if r.code != 0 {
		t.Fatalf("chat exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"About this study", "Would you like to take part?", "In your own words", "Paused. Your answers so far are saved"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("first run output lacks %q:\n%s", want, r.stdout)
		}
	}
	// The question after the answer, which the second run must resume at.
	lines := strings.Split(r.stdout, "── ")
	last := lines[len(lines)-1]
	prompt := strings.Split(last, "\n")[1]

	r2 := peervoice(t, dir, "", nil, "chat", "--user", "sam")
	if r2.code != 0 {
		t.Fatalf("resume exit %d\n%s", r2.code, r2.stderr)
	}
	if !strings.Contains(r2.stdout, prompt) || strings.Contains(r2.stdout, "Would you like to take part?") {
		t.Errorf("second run did not resume at %q without asking consent again:\n%s", prompt, r2.stdout)
	}
	md := peervoice(t, dir, "", nil, "mydata", "--user", "sam")
	if md.code != 0 || !strings.Contains(md.stdout, "Living a life that feels like mine") || !strings.Contains(md.stdout, "Take part: yes") || !strings.Contains(md.stdout, "Anonymised quotes: no") {
		t.Errorf("mydata exit %d:\n%s\n%s", md.code, md.stdout, md.stderr)
	}
	// Another participant sees none of it.
	other := peervoice(t, dir, "", nil, "mydata", "--user", "alex")
	if !strings.Contains(other.stdout, "Nothing is stored about you.") {
		t.Errorf("mydata for another user:\n%s", other.stdout)
	}
	w := peervoice(t, dir, "", nil, "withdraw", "--user", "sam", "--yes")
	if w.code != 0 || !strings.Contains(w.stdout, "deleted") {
		t.Errorf("withdraw exit %d: %s %s", w.code, w.stdout, w.stderr)
	}
	if md := peervoice(t, dir, "", nil, "mydata", "--user", "sam"); !strings.Contains(md.stdout, "Nothing is stored about you.") {
		t.Errorf("mydata after withdraw:\n%s", md.stdout)
	}
}

func TestChatMenuAndWholeFlow(t *testing.T) {
	dir := t.TempDir()
	// consent, pick recovery-tools (7th) from the menu, answer "No" to
	// having used tools, which ends that flow, then quit.
	in := "1\n1\n7\n"
	r := peervoice(t, dir, in, nil, "chat", "--user", "kim")
	if !strings.Contains(r.stdout, "Which would you like to answer?") || !strings.Contains(r.stdout, "(not started)") {
		t.Fatalf("no menu:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "Recovery tools") {
		t.Errorf("menu choice 7 did not start recovery tools:\n%s", r.stdout)
	}
}

func TestChatOverLongAnswerLosesNothing(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a", 2001)
	r := peervoice(t, dir, "1\n1\n"+long+"\nfirst answer\n", nil, "chat", "--user", "sam", "--flow", "recovery")
	if !strings.Contains(r.stdout, "That answer is 2001 characters, and the limit here is 2000") {
		t.Errorf("no limit message:\n%s", r.stdout)
	}
	md := peervoice(t, dir, "", nil, "mydata", "--user", "sam")
	if !strings.Contains(md.stdout, "first answer") || strings.Contains(md.stdout, long) {
		t.Errorf("mydata after an over-long answer:\n%s", md.stdout)
	}
}

func TestChatCrisisSignposts(t *testing.T) {
	dir := t.TempDir()
	r := peervoice(t, dir, "1\n1\nhonestly i want to kill myself\n", nil, "chat", "--user", "sam", "--flow", "recovery")
	if !strings.Contains(r.stdout, "116 123") {
		t.Errorf("no signpost after crisis language:\n%s", r.stdout)
	}
	md := peervoice(t, dir, "", nil, "mydata", "--user", "sam")
	if !strings.Contains(md.stdout, "honestly i want to kill myself") {
		t.Errorf("the answer was not kept:\n%s", md.stdout)
	}
}

func TestChatInterruptKeepsSession(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(bin, "chat", "--user", "sam", "--flow", "recovery")
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, "1\n1\nan answer before ctrl-c\n")
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "── What recovery means to you · ") || strings.Count(out.String(), "── What recovery means to you") < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("never reached the second question:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	stdin.Close()
	if !strings.Contains(out.String(), "Paused") {
		t.Errorf("Ctrl-C did not pause:\n%s", out.String())
	}
	md := peervoice(t, dir, "", nil, "mydata", "--user", "sam")
	if !strings.Contains(md.stdout, "an answer before ctrl-c") {
		t.Errorf("answer lost on Ctrl-C:\n%s", md.stdout)
	}
}

func TestUnknownFlow(t *testing.T) {
	r := peervoice(t, t.TempDir(), "", nil, "chat", "--user", "sam", "--flow", "recvery")
	if r.code == 0 || !strings.Contains(r.stderr, `unknown flow "recvery"; available flows: recovery, what-matters`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestBadDatabasePaths(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	content := []byte("these are my notes, not a database\n")
	os.WriteFile(notes, content, 0o644)
	r := peervoice(t, dir, "1\n", nil, "chat", "--user", "sam", "--db", notes)
	if r.code == 0 || !strings.Contains(r.stderr, "not a SQLite database") {
		t.Errorf("not-SQLite: exit %d, %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(notes); !bytes.Equal(b, content) {
		t.Errorf("the file was changed")
	}

	// A real database made read-only.
	db := filepath.Join(dir, "ro.db")
	if r := peervoice(t, dir, "", nil, "chat", "--user", "sam", "--db", db); r.code != 0 {
		t.Fatalf("create: %s", r.stderr)
	}
	os.Chmod(db, 0o444)
	before, _ := os.ReadFile(db)
	r = peervoice(t, dir, "1\n", nil, "chat", "--user", "sam", "--db", db)
	if r.code == 0 || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("read-only: exit %d, %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Errorf("the read-only database was changed")
	}
}

func TestMissingKeyFile(t *testing.T) {
	dir := t.TempDir()
	if r := peervoice(t, dir, "1\n1\nwords\n", nil, "chat", "--user", "sam", "--flow", "recovery"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	os.Rename(filepath.Join(dir, "peervoice.db.key"), filepath.Join(dir, "elsewhere.key"))
	r := peervoice(t, dir, "", nil, "mydata", "--user", "sam")
	if r.code == 0 || !strings.Contains(r.stderr, "peervoice.db.key") {
		t.Errorf("missing key file: exit %d, %q", r.code, r.stderr)
	}
	// With the key file named in config, it works again.
	r = peervoice(t, dir, "", []string{"PEERVOICE_SECRET_FILE=" + filepath.Join(dir, "elsewhere.key")}, "mydata", "--user", "sam")
	if r.code != 0 || !strings.Contains(r.stdout, "words") {
		t.Errorf("with secret_file: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestFlowsLint(t *testing.T) {
	bad := filepath.Join("..", "..", "flows", "testdata", "lint", "unknown-key.yaml")
	r := peervoice(t, ".", "", nil, "flows", "lint", bad)
	if r.code != 1 || !strings.Contains(r.stdout, "unknown-key.yaml:8:5: unknown question key \"promt\"; did you mean \"prompt\"?") {
		t.Errorf("lint bad: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = peervoice(t, ".", "", nil, "flows", "lint", filepath.Join("..", "..", "flows", "pack"))
	if r.code != 0 || strings.TrimSpace(r.stdout) != "ok: 9 flows, 73 questions, no problems" {
		t.Errorf("lint pack: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = peervoice(t, t.TempDir(), "", nil, "flows", "lint")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ok: 9 flows") {
		t.Errorf("lint built-in: exit %d %q", r.code, r.stdout)
	}
}

func TestFlowsList(t *testing.T) {
	r := peervoice(t, t.TempDir(), "", nil, "flows", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "recovery") || !strings.Contains(r.stdout, "about-you") {
		t.Errorf("flows list: exit %d\n%s", r.code, r.stdout)
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	secret := strings.Repeat("0f", 32)
	os.WriteFile(filepath.Join(dir, "peervoice.yaml"), []byte("log:\n  format: json\nflowz: x\n"), 0o600)
	r := peervoice(t, dir, "", []string{"PEERVOICE_SECRET=" + secret, "PEERVOICE_DISCORD_TOKEN=tok.secret"}, "config", "check")
	if r.code != 0 {
		t.Fatalf("config check: exit %d %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, secret) || strings.Contains(r.stdout+r.stderr, "tok.secret") {
		t.Errorf("config check shows a secret:\n%s\n%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "log.format: json") || !strings.Contains(r.stderr, `unknown key \"flowz\"`) {
		t.Errorf("config check:\n%s\n%s", r.stdout, r.stderr)
	}
	bad := peervoice(t, dir, "", []string{"PEERVOICE_LOG_LEVEL=loud"}, "config", "check")
	if bad.code == 0 || !strings.Contains(bad.stderr, `log.level = "loud": expected one of debug, info, warn, error`) {
		t.Errorf("bad config: exit %d %q", bad.code, bad.stderr)
	}
	// A flag beats the environment.
	r = peervoice(t, dir, "", []string{"PEERVOICE_LOG_FORMAT=text"}, "config", "check", "--log-format", "json")
	if !strings.Contains(r.stdout, "log.format: json") {
		t.Errorf("flag did not win over env:\n%s", r.stdout)
	}
}

// TestConfigCheckDigest: config check names a bad digest.schedule with
// the form expected, and the disclosure cross-check; the schedule it
// prints is the default.
func TestConfigCheckDigest(t *testing.T) {
	dir := t.TempDir()
	r := peervoice(t, dir, "", nil, "config", "check")
	if r.code != 0 || !strings.Contains(r.stdout, "digest.schedule: weekly mon 09:00") {
		t.Errorf("config check: exit %d, want the default digest.schedule:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	bad := peervoice(t, dir, "", []string{"PEERVOICE_DIGEST_SCHEDULE=mondays at noon", "PEERVOICE_DISCLOSURE_ROUND_TO=20"}, "config", "check")
	for _, want := range []string{
		`digest.schedule = "mondays at noon": expected a day and time such as "weekly mon 09:00" (read in digest.timezone), or "off"`,
		"disclosure.round_to = 20: expected at most twice disclosure.min_count (16)",
	} {
		if bad.code == 0 || !strings.Contains(bad.stderr, want) {
			t.Errorf("bad digest config: exit %d, want %q in\n%s", bad.code, want, bad.stderr)
		}
	}
}

// TestChatPipedLastLineWithoutNewline: piped input's last line counts
// without a final newline (printf 'words', echo -n); only at a terminal
// is unsent text left out (terminal.TestChatUnendedLastLine).
func TestChatPipedLastLineWithoutNewline(t *testing.T) {
	dir := t.TempDir()
	if r := peervoice(t, dir, "1\n1\nthe last words", nil, "chat", "--user", "sam", "--flow", "recovery"); r.code != 0 {
		t.Fatalf("chat exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if md := peervoice(t, dir, "", nil, "mydata", "--user", "sam"); !strings.Contains(md.stdout, "the last words") {
		t.Errorf("the last piped line was not stored:\n%s\n%s", md.stdout, md.stderr)
	}
}

// TestDataCommandsDefaultUser: mydata and withdraw are for the OS user
// when --user is not given, as chat is, and say whose data it is;
// withdraw's confirmation takes y or yes in any case, and anything else
// deletes nothing.
func TestDataCommandsDefaultUser(t *testing.T) {
	me := ""
	if u, err := user.Current(); err == nil {
		me = u.Username
	}
	if me == "" {
		t.Skip("the OS user name is unknown here")
	}
	refusals := []string{"n\n", "yes please\n", ""}
	for _, confirm := range []string{"y", "Y", "yes", "Yes", " YES \r"} {
		dir := t.TempDir()
		if r := peervoice(t, dir, "1\n1\nmy own words\n", nil, "chat", "--flow", "recovery"); r.code != 0 {
			t.Fatalf("chat exit %d\n%s", r.code, r.stderr)
		}
		md := peervoice(t, dir, "", nil, "mydata")
		if md.code != 0 || !strings.Contains(md.stdout, "my own words") || !strings.Contains(md.stdout, fmt.Sprintf("Participant %q (your OS user name", me)) {
			t.Errorf("mydata with no --user: exit %d\n%s\n%s", md.code, md.stdout, md.stderr)
		}
		for _, no := range refusals {
			r := peervoice(t, dir, no, nil, "withdraw")
			if r.code == 0 || !strings.Contains(r.stderr, "nothing deleted") {
				t.Errorf("withdraw answered %q: exit %d, stderr %q; want nothing deleted", no, r.code, r.stderr)
			}
		}
		if md := peervoice(t, dir, "", nil, "mydata"); !strings.Contains(md.stdout, "my own words") {
			t.Fatalf("a refused withdraw deleted the data:\n%s", md.stdout)
		}
		refusals = nil // once is enough
		w := peervoice(t, dir, confirm+"\n", nil, "withdraw")
		if w.code != 0 || !strings.Contains(w.stdout, fmt.Sprintf("participant %q (your OS user name", me)) || !strings.Contains(w.stdout, "has been deleted") {
			t.Errorf("withdraw confirmed with %q: exit %d\n%s\n%s", confirm, w.code, w.stdout, w.stderr)
		}
		if md := peervoice(t, dir, "", nil, "mydata"); !strings.Contains(md.stdout, "Nothing is stored about you.") {
			t.Errorf("mydata after withdraw confirmed with %q:\n%s", confirm, md.stdout)
		}
	}
}

// TestBuildWithoutCgo: without cgo (CGO_ENABLED=0, Go's choice when it
// finds no C compiler) peervoice still builds, and a command that needs
// the database says to install gcc and build with CGO_ENABLED=1,
// creating nothing; commands without the database still work.
func TestBuildWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds peervoice again without cgo; skipped with -short")
	}
	nocgo := filepath.Join(t.TempDir(), "peervoice-nocgo")
	build := exec.Command("go", "build", "-o", nocgo, ".")
	build.Env = append(cleanEnv(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(nocgo, "chat", "--user", "sam")
	cmd.Dir, cmd.Env, cmd.Stdin = dir, cleanEnv(), strings.NewReader("1\n")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("chat without cgo: %v; want exit 1", err)
	}
	for _, want := range []string{"built without cgo", "a C compiler such as gcc", "CGO_ENABLED=1"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("chat without cgo says %q; want %q in it", out, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("chat without cgo left files: %v", entries)
	}
	lint := exec.Command(nocgo, "flows", "lint")
	lint.Dir, lint.Env = dir, cleanEnv()
	if out, err := lint.CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "ok: ") {
		t.Errorf("flows lint without cgo: %v\n%s", err, out)
	}
}
