package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// digestCommunity has 20 people answer about-you and the recovery flow
// through `peervoice chat`, in dir, as participants would: ten women and
// ten men, each group with two different answers, all allowing quotes.
// It returns the ISO week the answers fell in.
func digestCommunity(t *testing.T, dir string) string {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	year, week := time.Now().In(loc).ISOWeek()
	for i := range 20 {
		gender := 1 + i%2       // woman, man
		agree := 1 + (i/2)%2    // strongly agree, agree
		fits := 1 + 3*((i/2)%2) // fits well, not sure
		// The menu's about-you, consent and quotes, then about-you's six
		// questions, then recovery from the menu.
		in := fmt.Sprintf("9\n1\n1\n%d\n3\n13\n2\n3\n1\n", gender) +
			fmt.Sprintf("1\nRecovery means my own life back, person %d; write to me at participant%d@example.com\n%d\n", i, i, fits)
		in += fmt.Sprintf("%d\n1\n", agree)
		r := peervoice(t, dir, in, nil, "chat", "--user", fmt.Sprintf("digest-person-%02d", i))
		if r.code != 0 {
			t.Fatalf("chat for person %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	if y, w := time.Now().In(loc).ISOWeek(); y != year || w != week {
		t.Skip("the week changed while the community answered; run again")
	}
	return fmt.Sprintf("%04d-W%02d", year, week)
}

var (
	digestLongHex = regexp.MustCompile(`[0-9a-f]{24,}`)
	digestClock   = regexp.MustCompile(`\b\d{1,2}:\d{2}\b`)
)

// checkDigestAnonymous fails if out shows a participant's name, email,
// pseudonym or session id, or a time of day.
func checkDigestAnonymous(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range []string{"digest-person", "example.com", "participant1"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s shows %q", what, bad)
		}
	}
	if m := digestLongHex.FindString(out); m != "" {
		t.Errorf("%s shows %q, which looks like a pseudonym or session id", what, m)
	}
	if m := digestClock.FindString(out); m != "" {
		t.Errorf("%s shows the time %q", what, m)
	}
}

func TestDigestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	week := digestCommunity(t, dir)

	// Twenty people: with the default k of 8, five women who strongly
	// agree are too few to show, and so are the answers nobody gave (0
	// is withheld like any small count): no group has a share to show.
	r := peervoice(t, dir, "", nil, "digest", "--period", week)
	if r.code != 0 || !strings.Contains(r.stdout, "No group can be shown: in each (Woman, Man), every answer was given by fewer than 8 people.") {
		t.Fatalf("digest: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	checkDigestAnonymous(t, "the md digest", r.stdout)
	// With k = 5, they are shown.
	k5 := []string{"PEERVOICE_DISCLOSURE_MIN_COUNT=5"}
	r = peervoice(t, dir, "", k5, "digest", "--period", week)
	for _, want := range []string{
		"# PeerVoice digest: week " + week,
		"This week is not over: figures are to ",
		"| New participants | 20 | * |", // the change from last week's withheld 0 is withheld too
		"| It fits well | 10 | 50% |",
		"### By gender · What recovery means to you: Think of the mental health workers",
		"| Woman | 10 | 50% | 50% | * | * | * |",
		"| Man | 10 | 50% | 50% | * | * | * |",
		"Quotes waiting for a moderator's approval, not shown: 20.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the digest lacks %q:\n%s", want, r.stdout)
		}
	}
	checkDigestAnonymous(t, "the md digest", r.stdout)

	// With approval off, quotes are published, scrubbed.
	open := peervoice(t, dir, "", []string{"PEERVOICE_DIGEST_QUOTE_APPROVAL=false", "PEERVOICE_DIGEST_MAX_QUOTES=3"}, "digest", "--period", week)
	if open.code != 0 || strings.Count(open.stdout, "> Recovery means my own life back") != 3 || !strings.Contains(open.stdout, `\[email\]`) {
		t.Errorf("digest with approval off: exit %d\n%s\n%s", open.code, open.stdout, open.stderr)
	}
	checkDigestAnonymous(t, "the md digest with quotes", open.stdout)

	// JSON and HTML, to a file.
	for _, format := range []string{"json", "html"} {
		out := filepath.Join(dir, "digest."+format)
		r := peervoice(t, dir, "", []string{"PEERVOICE_DIGEST_QUOTE_APPROVAL=false"}, "digest", "--period", week, "--format", format, "--out", out)
		if r.code != 0 || r.stdout != "" {
			t.Fatalf("digest --format %s --out: exit %d, stdout %q, stderr %s", format, r.code, r.stdout, r.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkDigestAnonymous(t, "the "+format+" digest", string(b))
		if format == "json" {
			var d struct {
				Period        struct{ Name string }
				Participation struct {
					Period struct {
						NewParticipants any `json:"new_participants"`
					}
				}
				Quotes []struct{ Text string }
			}
			if err := json.Unmarshal(b, &d); err != nil || d.Period.Name != week || d.Participation.Period.NewParticipants != 20.0 || len(d.Quotes) == 0 {
				t.Errorf("json digest: %v, %+v", err, d)
			}
		} else if !strings.HasPrefix(string(b), "<!DOCTYPE html>") || !strings.Contains(string(b), "<td>Woman</td><td>10</td>") {
			t.Errorf("html digest:\n%s", b)
		}
	}
}

func TestDigestSmallCommunity(t *testing.T) {
	dir := t.TempDir()
	// Three people: every count is below 8.
	for i := range 3 {
		in := fmt.Sprintf("1\n1\n1\nMy words %d\n%d\n%d\n1\n", i, 1+i%2, 1+i%2)
		if r := peervoice(t, dir, in, nil, "chat", "--user", fmt.Sprintf("digest-person-%d", i)); r.code != 0 {
			t.Fatalf("chat: %s", r.stderr)
		}
	}
	loc, _ := time.LoadLocation("Europe/London")
	year, week := time.Now().In(loc).ISOWeek()
	r := peervoice(t, dir, "", nil, "digest", "--period", fmt.Sprintf("%04d-W%02d", year, week))
	if r.code != 0 {
		t.Fatalf("digest: exit %d %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "| New participants | * | * |") || strings.Contains(r.stdout, "| It fits well |") || strings.Contains(r.stdout, "| 3 |") {
		t.Errorf("a community of three shows figures:\n%s", r.stdout)
	}
	// Rows with nothing to show are left out: a question none of whose
	// answers can be shown is one line, not a table of "*".
	want := "No answer can be shown: fewer than 8 people gave each one, everyone gave the same answer, or the figures together would give a small one away. People who answered: \\* this week (change \\*)."
	if !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "| answer |") {
		t.Errorf("the small digest lacks %q, or shows a table of answers:\n%s", want, r.stdout)
	}
	if !strings.Contains(r.stdout, "themes with answers from fewer than 8 people are not shown.") {
		t.Errorf("the small digest does not say how many themes it leaves out:\n%s", r.stdout)
	}
	checkDigestAnonymous(t, "the small digest", r.stdout)
}

func TestDigestDefaultPeriodAndErrors(t *testing.T) {
	dir := t.TempDir()
	peervoice(t, dir, "", nil, "chat") // only chat and run create a database
	r := peervoice(t, dir, "", nil, "digest")
	if r.code != 0 || !strings.Contains(r.stdout, "No one answered a choice or scale question this week.") ||
		!strings.Contains(r.stdout, ": nothing has been answered yet.") {
		t.Errorf("digest of an empty database: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"period", nil, []string{"--period", "2026-W99"}, `--period: period "2026-W99": 2026 has no week 99`},
		{"period form", nil, []string{"--period", "last week"}, "want an ISO week such as 2026-W47 or a month such as 2026-11"},
		{"format", nil, []string{"--format", "pdf"}, `--format "pdf": want one of md, json, html`},
		{"min count", []string{"PEERVOICE_DISCLOSURE_MIN_COUNT=4"}, nil, "disclosure.min_count = \"4\": expected a whole number of at least 5"},
		{"subgroup", []string{"PEERVOICE_DIGEST_SUBGROUPS=gender,shoe_size"}, nil, `digest.subgroups: "shoe_size" is not a choice question of the about-you flow`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := peervoice(t, dir, "", tt.env, append([]string{"digest"}, tt.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// TestDigestEmptyDefaultPeriod checks that when the last complete week
// has no answers, the digest says so and names the week that has, with
// the command to see it; a period asked for by name gets no such hint.
func TestDigestEmptyDefaultPeriod(t *testing.T) {
	dir := t.TempDir()
	if r := peervoice(t, dir, "1\n1\n1\n", nil, "chat", "--user", "sam", "--flow", "recovery"); r.code != 0 {
		t.Fatalf("chat: %s", r.stderr)
	}
	loc, _ := time.LoadLocation("Europe/London")
	now := time.Now().In(loc)
	year, week := now.ISOWeek()
	thisWeek := fmt.Sprintf("%04d-W%02d", year, week)
	year, week = now.AddDate(0, 0, -7).ISOWeek()
	lastWeek := fmt.Sprintf("%04d-W%02d", year, week)
	r := peervoice(t, dir, "", nil, "digest")
	want := "No answers in " + lastWeek
	cmd := "peervoice digest --period " + thisWeek
	if r.code != 0 || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "the latest answers are in "+thisWeek) || !strings.Contains(r.stdout, cmd) {
		t.Errorf("digest of an empty last week: exit %d; want %q naming %s and %q:\n%s\n%s", r.code, want, thisWeek, cmd, r.stdout, r.stderr)
	}
	j := peervoice(t, dir, "", nil, "digest", "--format", "json")
	var d struct {
		NoAnswers bool   `json:"no_answers"`
		Notice    string `json:"notice"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &d); err != nil || !d.NoAnswers || !strings.Contains(d.Notice, cmd) {
		t.Errorf("json digest of an empty last week: %v, %+v", err, d)
	}
	if r := peervoice(t, dir, "", nil, "digest", "--period", lastWeek); strings.Contains(r.stdout, "No answers in") {
		t.Errorf("digest --period %s gives the hint meant for the default period:\n%s", lastWeek, r.stdout)
	}
	if y, w := time.Now().In(loc).ISOWeek(); fmt.Sprintf("%04d-W%02d", y, w) != thisWeek {
		t.Skip("the week changed during the test; run again")
	}
}

// TestDigestCharts checks --charts (the PNGs posted to Discord, written
// to a private directory, never over charts already there unless
// --force) and the HTML digest, which embeds the same charts.
func TestDigestCharts(t *testing.T) {
	dir := t.TempDir()
	week := digestCommunity(t, dir)
	k5 := []string{"PEERVOICE_DISCLOSURE_MIN_COUNT=5"}
	charts := filepath.Join(dir, "charts", "w")
	r := peervoice(t, dir, "", k5, "digest", "--period", week, "--charts", charts)
	if r.code != 0 || !strings.Contains(r.stdout, "# PeerVoice digest: week "+week) {
		t.Fatalf("digest --charts: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	entries, err := os.ReadDir(charts)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 2 || entries[0].Name() != "01-recovery-word_fits.png" {
		t.Fatalf("charts written: %v; want several, the first 01-recovery-word_fits.png", entries)
	}
	if want := fmt.Sprintf("Wrote %d charts for %s to %s (01-recovery-word_fits.png to %s).", len(entries), week, charts, entries[len(entries)-1].Name()); !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q lacks %q", r.stderr, want)
	}
	if fi, err := os.Stat(charts); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the charts directory: %v, mode %v; want 0700", err, fi.Mode().Perm())
	}
	first := filepath.Join(charts, entries[0].Name())
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || fi.Mode().Perm() != 0o600 || !strings.HasSuffix(e.Name(), ".png") {
			t.Errorf("chart %s: %v, mode %v; want a .png with mode 0600", e.Name(), err, fi.Mode().Perm())
		}
		b, err := os.ReadFile(filepath.Join(charts, e.Name()))
		if err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("chart %s is not a PNG: %v", e.Name(), err)
		}
	}
	// Again: refused, and nothing is touched, unless --force.
	if err := os.WriteFile(first, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = peervoice(t, dir, "", k5, "digest", "--period", week, "--charts", charts)
	if b, _ := os.ReadFile(first); r.code != 1 || !strings.Contains(r.stderr, first+" already exists; choose an empty directory, or add --force") || string(b) != "mine" {
		t.Errorf("digest --charts over existing charts: exit %d, stderr %q, first chart now %.8q", r.code, r.stderr, b)
	}
	r = peervoice(t, dir, "", k5, "digest", "--period", week, "--charts", charts, "--force")
	if b, _ := os.ReadFile(first); r.code != 0 || !strings.HasPrefix(string(b), "\x89PNG") {
		t.Errorf("digest --charts --force: exit %d, stderr %q; the chart was not rewritten", r.code, r.stderr)
	}

	// The HTML digest embeds one image a chart, as data: URIs.
	out := filepath.Join(dir, "digest.html")
	r = peervoice(t, dir, "", k5, "digest", "--period", week, "--format", "html", "--out", out)
	page, err := os.ReadFile(out)
	if r.code != 0 || err != nil {
		t.Fatalf("digest --format html: exit %d, %v\n%s", r.code, err, r.stderr)
	}
	html := string(page)
	if n := strings.Count(html, `<img src="data:image/png;base64,`); n != len(entries) {
		t.Errorf("the HTML digest embeds %d charts; want %d, as --charts writes", n, len(entries))
	}
	if n := strings.Count(html, `alt="Bar chart `); n != len(entries) {
		t.Errorf("the HTML digest has %d charts described in alt text; want %d", n, len(entries))
	}
	for _, external := range []string{"http:", "https:", `src="//`, "<link", "<script"} {
		if strings.Contains(html, external) {
			t.Errorf("the HTML digest refers to something outside it: %q", external)
		}
	}
	checkDigestAnonymous(t, "the html digest with charts", strings.Join(regexp.MustCompile(`data:image/png;base64,[^"]*`).Split(html, -1), ""))
}
