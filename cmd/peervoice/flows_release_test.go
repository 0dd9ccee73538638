package main_test

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

// moodFlowV is a two-question flow; why's prompt varies between versions.
func moodFlowV(why string) string {
	return "id: mood\ntitle: Mood check\ntheme: Testing\nquestions:\n" +
		"  - id: feel\n    type: choice\n    prompt: How do you feel today?\n    options: [good, low]\n" +
		"  - id: why\n    type: text\n    prompt: " + why + "\n"
}

// hashOf is the flow version hash sessions and exports record.
func hashOf(src string) string {
	sum := sha256.Sum256([]byte(src))
	return hex.EncodeToString(sum[:8])
}

// writeFile writes src to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// must runs peervoice and fails the test unless it exits with code.
func must(t *testing.T, code int, dir, stdin string, args ...string) result {
	t.Helper()
	r := peervoice(t, dir, stdin, nil, args...)
	if r.code != code {
		t.Fatalf("peervoice %s: exit %d; want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}

func me(t *testing.T) string {
	u, err := user.Current()
	if err != nil {
		t.Skip("no OS user name:", err)
	}
	return u.Username
}

const (
	whyV1 = "What helps?"
	whyV2 = "What helps you most?"
)

// TestPublishWhileMidFlow: a participant part-way through v1 when v2 is
// published from the command line finishes on v1; a new participant
// gets v2; the export labels each answer with its version; a restart
// with the folder unchanged keeps v2.
func TestPublishWhileMidFlow(t *testing.T) {
	dir, folder := t.TempDir(), t.TempDir()
	writeFile(t, folder, "mood.yaml", moodFlowV(whyV1))
	// ann: consent, no quotes, "good"; input ends at why: paused on v1.
	must(t, 0, dir, "1\n2\n1\n", "chat", "--user", "ann", "--flows", folder, "--flow", "mood")

	v2 := writeFile(t, t.TempDir(), "mood.yaml", moodFlowV(whyV2))
	if r := must(t, 0, dir, "", "flows", "publish", v2); r.stdout != "mood v2 is live (1 question reworded)\n" {
		t.Errorf("flows publish: %q; want the new version named", r.stdout)
	}
	if r := must(t, 0, dir, "", "flows", "publish", v2); !strings.Contains(r.stdout, "mood v2 is live (unchanged") {
		t.Errorf("flows publish of the live source again: %q; want nothing new", r.stdout)
	}

	r := must(t, 0, dir, "sleep\n", "chat", "--user", "ann", "--flows", folder)
	if !strings.Contains(r.stdout, whyV1) || strings.Contains(r.stdout, whyV2) {
		t.Errorf("ann resuming after v2 went live:\n%s\nwant v1's %q", r.stdout, whyV1)
	}
	r = must(t, 0, dir, "1\n2\n2\nfriends\n", "chat", "--user", "bob", "--flows", folder, "--flow", "mood")
	if !strings.Contains(r.stdout, whyV2) {
		t.Errorf("bob starting after v2 went live:\n%s\nwant v2's %q", r.stdout, whyV2)
	}

	r = must(t, 0, dir, "", "flows", "history", "mood")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "v1 ") || !strings.Contains(lines[0], " file ") || !strings.HasSuffix(lines[0], "first version") ||
		!strings.HasPrefix(lines[1], "v2 ") || !strings.Contains(lines[1], " live ") || !strings.Contains(lines[1], "cli:"+me(t)) || !strings.HasSuffix(lines[1], "1 question reworded") {
		t.Errorf("flows history:\n%s\nwant v1 from the file, v2 live from the command line", r.stdout)
	}

	// Each answer carries the version it was given on.
	r = must(t, 0, dir, "", "export", "--format", "csv", "--out", "-", "--table", "answers")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("answers.csv: %v\n%s", err, r.stdout)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	got := map[string]int{}
	for _, row := range rows[1:] {
		if row[col["flow"]] == "mood" {
			got[row[col["flow_version"]]]++
		}
	}
	want := map[string]int{hashOf(moodFlowV(whyV1)): 2, hashOf(moodFlowV(whyV2)): 2}
	if len(got) != 2 || got[hashOf(moodFlowV(whyV1))] != 2 || got[hashOf(moodFlowV(whyV2))] != 2 {
		t.Errorf("answers by flow_version = %v; want %v (ann's on v1, bob's on v2)", got, want)
	}

	// A restart with the folder unchanged keeps v2.
	r = must(t, 0, dir, "1\n2\n1\n", "chat", "--user", "cy", "--flows", folder, "--flow", "mood")
	if !strings.Contains(r.stdout, whyV2) {
		t.Errorf("after a restart with the file unchanged:\n%s\nwant v2 still live", r.stdout)
	}
}

// TestSeedBrokenThenFixed: a broken file is reported and changes
// nothing (the live version stays); once fixed it goes live.
func TestSeedBrokenThenFixed(t *testing.T) {
	dir, folder := t.TempDir(), t.TempDir()
	file := writeFile(t, folder, "mood.yaml", moodFlowV(whyV1))
	must(t, 0, dir, "", "chat", "--user", "ann", "--flows", folder, "--flow", "mood")
	writeFile(t, folder, "mood.yaml", strings.Replace(moodFlowV("Broken"), "type: text", "type: txt", 1))
	r := must(t, 0, dir, "1\n2\n1\n", "chat", "--user", "ann", "--flows", folder, "--flow", "mood")
	if !strings.Contains(r.stderr, "level=WARN") || !strings.Contains(r.stderr, file+":10:11:") || !strings.Contains(r.stdout, whyV1) {
		t.Errorf("chat with the file broken:\nstdout:\n%s\nstderr:\n%s\nwant a warning at %s:10:11 and v1 still asked", r.stdout, r.stderr, file)
	}
	writeFile(t, folder, "mood.yaml", moodFlowV(whyV2))
	r = must(t, 0, dir, "1\n2\n1\n", "chat", "--user", "bob", "--flows", folder, "--flow", "mood")
	if !strings.Contains(r.stdout, whyV2) {
		t.Errorf("chat with the file fixed:\n%s\nwant the fixed version asked", r.stdout)
	}
	r = must(t, 0, dir, "", "flows", "history", "mood")
	if n := strings.Count(r.stdout, "\n"); n != 2 || !strings.Contains(r.stdout, "v2  live") {
		t.Errorf("flows history:\n%s\nwant v1 and v2 (the fix), nothing for the broken file", r.stdout)
	}
}

// TestFlowsRollbackShowDiff: publishing is all or nothing over several
// files; show prints a version byte for byte; rollback makes an old
// source live as a new version; diff names the changes.
func TestFlowsRollbackShowDiff(t *testing.T) {
	dir, files := t.TempDir(), t.TempDir()
	must(t, 0, dir, "", "chat", "--user", "ann", "--flow", "recovery") // creates the study
	v1 := writeFile(t, files, "mood.yaml", moodFlowV(whyV1)+"# v1, comments and all\n")
	broken := writeFile(t, files, "other.yaml", "id: other\ntitle: Other\nquestions:\n  - id: q\n    type: txt\n    prompt: Q?\n")
	r := must(t, 1, dir, "", "flows", "publish", v1, broken)
	if !strings.Contains(r.stdout, broken+":5:11: ") || !strings.Contains(r.stderr, "nothing published") {
		t.Errorf("publish with a broken file: stdout %q stderr %q; want its problem and nothing published", r.stdout, r.stderr)
	}
	if r := must(t, 1, dir, "", "flows", "history", "mood"); !strings.Contains(r.stderr, `unknown flow "mood"`) {
		t.Errorf("history after a refused publish: %q; want mood unknown", r.stderr)
	}
	must(t, 0, dir, "", "flows", "publish", v1)
	v2 := writeFile(t, t.TempDir(), "mood.yaml", strings.Replace(moodFlowV(whyV2), "[good, low]", "[good, low, okay]", 1))
	must(t, 0, dir, "", "flows", "publish", v2)

	src, _ := os.ReadFile(v1)
	if r := must(t, 0, dir, "", "flows", "show", "mood", "--version", "1"); r.stdout != string(src) {
		t.Errorf("show --version 1 = %q; want the file byte for byte %q", r.stdout, src)
	}
	if r := must(t, 0, dir, "", "flows", "rollback", "mood", "1"); r.stdout != "mood v3 is live (rollback to v1)\n" {
		t.Errorf("rollback: %q", r.stdout)
	}
	if r := must(t, 0, dir, "", "flows", "show", "mood"); r.stdout != string(src) {
		t.Errorf("show after the rollback = %q; want v1's source", r.stdout)
	}
	r = must(t, 0, dir, "", "flows", "diff", "mood", "1", "2")
	want := "option \"okay\" added to question \"feel\"\nquestion \"why\" reworded: \"" + whyV1 + "\" → \"" + whyV2 + "\"\n"
	if r.stdout != want {
		t.Errorf("diff mood 1 2:\n%s\nwant:\n%s", r.stdout, want)
	}
	r = must(t, 0, dir, "", "flows", "history", "mood")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[1], "1 question reworded, 1 option added") || !strings.HasPrefix(lines[2], "v3  live") || !strings.HasSuffix(lines[2], "rollback to v1") {
		t.Errorf("history:\n%s", r.stdout)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"flows", "show", "mood", "--version", "7"}, "no such version: mood has versions v1 to v3, no v7"},
		{[]string{"flows", "rollback", "mood", "x"}, `version "x": want a version number`},
		{[]string{"flows", "rollback", "mood", "3"}, "live version already"},
		{[]string{"flows", "close", "nothing"}, `unknown flow "nothing"`},
	} {
		if r := must(t, 1, dir, "", tt.args...); !strings.Contains(r.stderr, tt.want) {
			t.Errorf("peervoice %s: %q; want %q", strings.Join(tt.args, " "), r.stderr, tt.want)
		}
	}
	if r := peervoice(t, t.TempDir(), "", nil, "flows", "history", "mood"); r.code != 1 || !strings.Contains(r.stderr, "no PeerVoice database") {
		t.Errorf("history with no database: exit %d %q; want it refused, nothing created", r.code, r.stderr)
	}
}

// TestCloseWhileMidFlow: a closed flow leaves the menu and takes no new
// starts, while a session under way on it still finishes; reopened, it
// can be started again.
func TestCloseWhileMidFlow(t *testing.T) {
	dir, folder := t.TempDir(), t.TempDir()
	writeFile(t, folder, "mood.yaml", moodFlowV(whyV1))
	writeFile(t, folder, "other.yaml", strings.NewReplacer("mood", "other", "Mood check", "Other check").Replace(moodFlowV(whyV1)))
	must(t, 0, dir, "1\n2\n1\n", "chat", "--user", "ann", "--flows", folder, "--flow", "mood")
	if r := must(t, 0, dir, "", "flows", "close", "mood"); !strings.Contains(r.stdout, "mood is closed") {
		t.Errorf("close: %q", r.stdout)
	}
	r := must(t, 1, dir, "", "chat", "--user", "bob", "--flows", folder, "--flow", "mood")
	if !strings.Contains(r.stderr, `unknown flow "mood"; available flows: other`) {
		t.Errorf("starting a closed flow: %q; want it refused", r.stderr)
	}
	// ann carries on where she was, finishes, and the menu has no mood.
	r = must(t, 0, dir, "sleep\n", "chat", "--user", "ann", "--flows", folder)
	if !strings.Contains(r.stdout, whyV1) || strings.Contains(r.stdout, "1. Mood check") || !strings.Contains(r.stdout, "1. Other check") || !strings.Contains(r.stdout, "Mood check · 2 of 2") {
		t.Errorf("ann after mood closed:\n%s\nwant her session finished and mood off the menu", r.stdout)
	}
	md := must(t, 0, dir, "", "mydata", "--user", "ann")
	if !strings.Contains(md.stdout, "sleep") {
		t.Errorf("mydata after finishing a closed flow:\n%s\nwant the answer kept", md.stdout)
	}
	must(t, 0, dir, "", "flows", "reopen", "mood")
	if r := must(t, 0, dir, "1\n2\n1\n", "chat", "--user", "bob", "--flows", folder, "--flow", "mood"); !strings.Contains(r.stdout, whyV1) {
		t.Errorf("bob after mood reopened:\n%s", r.stdout)
	}
}
