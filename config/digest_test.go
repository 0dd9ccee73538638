package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/viper"

	"github.com/peervoice/peervoice/config"
)

// loadDigest reads yaml and env like load, then the digest settings.
func loadDigest(t *testing.T, yaml string, env map[string]string) (config.Digest, config.Disclosure, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	v := config.New()
	if yaml != "" {
		path := filepath.Join(t.TempDir(), "peervoice.yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := config.ReadFile(v, path); err != nil {
			return config.Digest{}, config.Disclosure{}, err
		}
	}
	return digestSettings(t, v)
}

// digestSettings loads the configuration, as the commands do, and
// returns its digest settings.
func digestSettings(t *testing.T, v *viper.Viper) (config.Digest, config.Disclosure, error) {
	t.Helper()
	c, warnings, err := config.Load(v)
	if len(warnings) > 0 {
		t.Errorf("Load warnings: %v", warnings)
	}
	if err != nil {
		return config.Digest{}, config.Disclosure{}, err
	}
	return c.Digest, c.Disclosure, nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestDigestDefaults(t *testing.T) {
	d, s, err := loadDigest(t, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := config.Digest{Timezone: "Europe/London", Schedule: "weekly mon 09:00", Subgroups: []string{"gender", "ethnicity"}, QuoteApproval: true, MaxQuotes: 10, ScrubNames: []string{}}
	if !reflect.DeepEqual(d, want) || s != (config.Disclosure{MinCount: 8, RoundTo: 5}) {
		t.Errorf("defaults = %+v, %+v; want %+v, {8 5}", d, s, want)
	}
}

func TestDigestFromFileAndEnvironment(t *testing.T) {
	yaml := `digest:
  timezone: America/New_York
  subgroups: [gender]
  quote_approval: false
  max_quotes: 3
  scrub_names: [Sam, Mary Ann]
disclosure:
  min_count: 10
  round_to: 10
`
	d, s, err := loadDigest(t, yaml, map[string]string{"PEERVOICE_DISCLOSURE_MIN_COUNT": "12"})
	if err != nil {
		t.Fatal(err)
	}
	want := config.Digest{Timezone: "America/New_York", Schedule: "weekly mon 09:00", Subgroups: []string{"gender"}, MaxQuotes: 3, ScrubNames: []string{"Sam", "Mary Ann"}}
	if !reflect.DeepEqual(d, want) || s != (config.Disclosure{MinCount: 12, RoundTo: 10}) {
		t.Errorf("settings = %+v, %+v; want %+v, {12 10} (the environment beats the file)", d, s, want)
	}
	// An empty list compares no groups; it is not the default.
	d, _, err = loadDigest(t, "digest:\n  subgroups: []\n", nil)
	if err != nil || d.Subgroups == nil || len(d.Subgroups) != 0 {
		t.Errorf("subgroups: [] = %#v, %v; want an empty list", d.Subgroups, err)
	}
	d, _, err = loadDigest(t, "", map[string]string{"PEERVOICE_DIGEST_SUBGROUPS": "ethnicity,age"})
	if err != nil || !reflect.DeepEqual(d.Subgroups, []string{"ethnicity", "age"}) {
		t.Errorf("subgroups from the environment = %v, %v", d.Subgroups, err)
	}
}

func TestDisclosureFloor(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"min_count 4", "disclosure:\n  min_count: 4\n", nil,
			"config: disclosure.min_count = 4: expected a whole number of at least 5: smaller counts could identify someone"},
		{"min_count 0 from env", "", map[string]string{"PEERVOICE_DISCLOSURE_MIN_COUNT": "0"},
			`config: disclosure.min_count = "0": expected a whole number of at least 5`},
		{"min_count not a number", "disclosure:\n  min_count: eight\n", nil, `disclosure.min_count = "eight": expected a whole number`},
		{"min_count fraction", "disclosure:\n  min_count: 7.5\n", nil, "disclosure.min_count = 7.5: expected a whole number"},
		{"round_to 1", "disclosure:\n  round_to: 1\n", nil,
			"config: disclosure.round_to = 1: expected a whole number of at least 5: finer rounding would let two digests be compared to find one person"},
		{"round_to too big", "disclosure:\n  round_to: 20\n", nil,
			"config: disclosure.round_to = 20: expected at most twice disclosure.min_count (16), or a count of 8 would be rounded to 0"},
		{"max_quotes", "digest:\n  max_quotes: 0\n", nil, "config: digest.max_quotes = 0: expected a whole number from 1 to 50"},
		{"timezone", "digest:\n  timezone: Mars\n", nil, `config: digest.timezone = "Mars": expected a time zone name`},
		{"subgroup id", "digest:\n  subgroups: [Gender Identity]\n", nil, `config: digest.subgroups[0] = "Gender Identity": expected the id of an about-you choice question`},
		{"approval", "digest:\n  quote_approval: sometimes\n", nil, `config: digest.quote_approval = "sometimes": expected true or false`},
		{"schedule not a day", "digest:\n  schedule: weekly someday 09:00\n", nil,
			`config: digest.schedule = "weekly someday 09:00": expected a day and time such as "weekly mon 09:00" (read in digest.timezone), or "off" (set it in the config file or as PEERVOICE_DIGEST_SCHEDULE)`},
		{"schedule once", "", map[string]string{"PEERVOICE_DIGEST_SCHEDULE": "2026-12-01 09:00"}, `config: digest.schedule = "2026-12-01 09:00": expected a day and time`},
		{"schedule 25:00", "digest:\n  schedule: mon 25:00\n", nil, `config: digest.schedule = "mon 25:00"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := loadDigest(t, tt.yaml, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("settings(%q, %v) = %v; want an error containing %q", tt.yaml, tt.env, err, tt.want)
			}
		})
	}
}

func TestDigestKeysPrinted(t *testing.T) {
	var b strings.Builder
	if err := config.Print(&b, config.New()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"digest.timezone: Europe/London", "disclosure.min_count: 8", "disclosure.round_to: 5", "digest.quote_approval: true"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("config check output lacks %q", want)
		}
	}
}

// TestDigestSchedule: digest.schedule reads the weekly forms, and "off"
// or nothing turns the scheduled digest off; Load keeps it in Config.
func TestDigestSchedule(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"weekly fri 17:30", "weekly fri 17:30"},
		{"every Monday at 9:00", "every Monday at 9:00"},
		{"off", ""},
		{"OFF", ""},
		{`""`, ""},
	} {
		d, _, err := loadDigest(t, "digest:\n  schedule: "+tt.in+"\n", nil)
		if err != nil || d.Schedule != tt.want {
			t.Errorf("digest.schedule: %s = %q, %v; want %q", tt.in, d.Schedule, err, tt.want)
		}
	}
	v := config.New()
	v.Set("digest.schedule", "sun 20:00")
	v.Set("disclosure.min_count", 10)
	c, _, err := config.Load(v)
	if err != nil || c.Digest.Schedule != "sun 20:00" || c.Disclosure != (config.Disclosure{MinCount: 10, RoundTo: 5}) || c.Digest.Timezone != "Europe/London" {
		t.Errorf("Load() = %+v, %+v, %v; want the digest settings in Config", c.Digest, c.Disclosure, err)
	}
}

// TestDisclosureCrossCheckInLoad: round_to above twice min_count is
// reported by Load, and so by `config check`.
func TestDisclosureCrossCheckInLoad(t *testing.T) {
	v := config.New()
	v.Set("disclosure.round_to", 20)
	_, _, err := config.Load(v)
	if err == nil || !strings.Contains(err.Error(), "config: disclosure.round_to = 20: expected at most twice disclosure.min_count (16)") {
		t.Errorf("Load(round_to 20) = %v; want the cross-check", err)
	}
}
