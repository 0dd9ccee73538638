package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigCheckNamesProblems runs `config check` on a config file per case: each
// setting that would fail only later is named with its value and what
// was expected, every problem is listed, and run stops on start with the
// same messages, before it opens the database or connects to Discord.
func TestConfigCheckNamesProblems(t *testing.T) {
	const schedule = "prompts:\n  schedule:\n    - {id: weekly, flow: recovry, channel: \"123\", weekly: \"mon 18:00\"}\n"
	tests := []struct {
		name string
		yaml string
		want []string // each in stderr; none: the check passes
	}{
		{"good", "study:\n  info_file: study.md\nsafety:\n  patterns: ['can.?t go on']\ndigest:\n  subgroups: [gender, age]\n" +
			"prompts:\n  schedule:\n    - {id: weekly, flow: recovery, channel: \"123\", weekly: \"mon 18:00\"}\n", nil},
		{"missing info_file", "study:\n  info_file: stduy.md\n",
			[]string{`config: study.info_file = "stduy.md": expected a Markdown file with the study information (there is no such file; a relative path is read from the working directory`}},
		{"empty info_file", "study:\n  info_file: empty.md\n",
			[]string{`study.info_file = "empty.md"`, "it is empty"}},
		{"bad pattern", "safety:\n  patterns: ['fine', '(unclosed']\n",
			[]string{`config: safety.patterns[1] = "(unclosed": expected a Go regular expression`, "missing closing )", "PEERVOICE_SAFETY_PATTERNS"}},
		{"pattern matching everything", "safety:\n  patterns: ['.*']\n",
			[]string{`safety.patterns[0] = ".*"`, "matches empty text"}},
		{"phrase without words", "safety:\n  phrases: ['!!!']\n",
			[]string{`safety.phrases[0] = "!!!": expected a phrase with words in it`}},
		{"subgroup no question", "digest:\n  subgroups: [gender, genderr]\n",
			[]string{`config: digest.subgroups[1] = "genderr": expected a choice question of the about-you flow (choice questions: gender, trans, ethnicity, age`, `did you mean "gender"?`}},
		{"schedule unknown flow", schedule,
			[]string{`config: prompts.schedule[0].flow = "recovry": expected the id of one of the flows (`, "about-you", `did you mean "recovery"?`}},
		{"reminders", "reminders:\n  enabled: true\n  delay: 10m\n  quiet_hours: \"21:00\"\n  timezone: Mars/Olympus\n",
			[]string{`config: reminders.delay = "10m": expected a duration of at least an hour, such as 3d`, `reminders.quiet_hours = "21:00": expected a span of 24-hour times`,
				`reminders.timezone = "Mars/Olympus": expected a time zone name`, "PEERVOICE_REMINDERS_DELAY"}},
		{"every problem at once", "log:\n  format: xml\nstudy:\n  info_file: stduy.md\nsafety:\n  patterns: ['(']\ndigest:\n  subgroups: [genderr]\n" + schedule,
			[]string{`log.format = "xml"`, `study.info_file = "stduy.md"`, `safety.patterns[0] = "("`, `digest.subgroups[0] = "genderr"`, `prompts.schedule[0].flow = "recovry"`, "5 problem(s) in the configuration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name, text string) {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			write("peervoice.yaml", tt.yaml)
			write("study.md", "# About this study\n\nWe ask what recovery means to you.\n")
			write("empty.md", "\n")
			r := peervoice(t, dir, "", nil, "config", "check")
			if len(tt.want) == 0 {
				if r.code != 0 || !strings.Contains(r.stdout, "info_file: study.md") {
					t.Errorf("config check: exit %d; want 0 and the settings\n%s\n%s", r.code, r.stdout, r.stderr)
				}
				return
			}
			if r.code != 1 {
				t.Errorf("config check: exit %d; want 1\n%s", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("config check: stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			// run stops on start with the same messages.
			r = peervoice(t, dir, "", []string{"PEERVOICE_DISCORD_TOKEN=MTIz.not.used", "PEERVOICE_DISCORD_API_URL=http://" + closedPort(t)}, "run")
			if r.code == 0 {
				t.Fatalf("run: exit 0\n%s", r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(w, "problem(s)") && !strings.Contains(r.stderr, w) {
					t.Errorf("run: stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "cannot reach") {
				t.Errorf("run tried to connect despite the problems:\n%s", r.stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "peervoice.db")); err == nil {
				t.Errorf("run created the database despite the problems")
			}
		})
	}
}
