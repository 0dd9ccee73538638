package config_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/config"
	"github.com/peervoice/peervoice/schedule"
)

func TestPromptsDefaults(t *testing.T) {
	c, _, err := load(t, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Prompts.Timezone != "Europe/London" || c.Prompts.Grace != 24*time.Hour || len(c.Prompts.Schedule) != 0 {
		t.Errorf("prompts = %+v; want Europe/London, 24h, no schedule", c.Prompts)
	}
}

func TestPromptsSchedule(t *testing.T) {
	yaml := `prompts:
  timezone: America/New_York
  grace: 90m
  schedule:
    - {id: weekly-checkin, flow: what-matters, channel: 1234567890123456789, weekly: "mon 18:00", text: "How was your week?"}
    - id: launch
      flow: recovery
      channel: "987654321"
      once: 2026-12-01 18:00
`
	c, warnings, err := load(t, yaml, nil)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("Load() = %v, %v", warnings, err)
	}
	want := config.Prompts{Timezone: "America/New_York", Grace: 90 * time.Minute, Schedule: []config.ScheduledPrompt{
		{ID: "weekly-checkin", Flow: "what-matters", Channel: "1234567890123456789", Weekly: "mon 18:00", Text: "How was your week?"},
		{ID: "launch", Flow: "recovery", Channel: "987654321", Once: "2026-12-01 18:00"},
	}}
	if !reflect.DeepEqual(c.Prompts, want) {
		t.Errorf("prompts = %+v; want %+v", c.Prompts, want)
	}
}

// TestPromptsForTheBot checks what the bot is handed of a loaded config:
// each schedule as the one grammar reads it, in the zone it names.
func TestPromptsForTheBot(t *testing.T) {
	yaml := `prompts:
  timezone: America/New_York
  schedule:
    - {id: checkin, flow: risk, channel: "42", weekly: "every Friday at 9:30"}
    - {id: launch, flow: recovery, channel: "42", once: "2026-12-01 18:00"}
`
	c, _, err := load(t, yaml, nil)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := c.Prompts.Location()
	if err != nil || loc.String() != "America/New_York" {
		t.Fatalf("Location() = %v, %v; want America/New_York", loc, err)
	}
	want := []string{"weekly fri 09:30", "2026-12-01 18:00"}
	for i, s := range c.Prompts.Schedule {
		w, err := schedule.Parse(s.When(), loc)
		if err != nil {
			t.Fatalf("schedule.Parse(%q) = %v", s.When(), err)
		}
		if got := w.String(); got != want[i] {
			t.Errorf("schedule %s: When() = %q, read as %q; want %q", s.ID, s.When(), got, want[i])
		}
	}
	if once, _ := schedule.Parse(c.Prompts.Schedule[1].When(), loc); !once.Once().Equal(time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("once = %v; want 18:00 in New York, 23:00 UTC", once.Once())
	}
	if _, err := (config.Prompts{Timezone: "Mars/Olympus"}).Location(); err == nil || !strings.HasPrefix(err.Error(), "prompts.timezone: ") {
		t.Errorf("Location() of a bad zone = %v; want an error naming prompts.timezone", err)
	}
	if loc, err := (config.Digest{}).Location(); err != nil || loc.String() != schedule.DefaultTimezone {
		t.Errorf("Digest{}.Location() = %v, %v; want %s", loc, err, schedule.DefaultTimezone)
	}
}

func TestPromptsScheduleFromEnvironment(t *testing.T) {
	env := map[string]string{"PEERVOICE_PROMPTS_SCHEDULE": `[{"id": "checkin", "flow": "risk", "channel": "42", "weekly": "every friday at 9:30"}]`}
	c, _, err := load(t, "", env)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Prompts.Schedule) != 1 || c.Prompts.Schedule[0].Weekly != "every friday at 9:30" {
		t.Errorf("schedule = %+v; want the one from the environment", c.Prompts.Schedule)
	}
}

func TestPromptsBadValues(t *testing.T) {
	entry := func(fields string) string {
		return "prompts:\n  schedule:\n    - {id: ok, flow: recovery, channel: '42', weekly: 'mon 18:00'}\n    - {" + fields + "}\n"
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"weekly time", entry("id: b, flow: f, channel: '42', weekly: 'monday 25:00'"), `config: prompts.schedule[1].weekly = "monday 25:00": expected a day and time such as "mon 18:00"`},
		{"weekly day", entry("id: b, flow: f, channel: '42', weekly: 'someday 18:00'"), `prompts.schedule[1].weekly = "someday 18:00": expected a day and time`},
		{"once date", entry("id: b, flow: f, channel: '42', once: '2026-02-30 18:00'"), `prompts.schedule[1].once = "2026-02-30 18:00": expected a date and time such as "2026-12-01 18:00"`},
		{"once with zone", entry("id: b, flow: f, channel: '42', once: 2026-12-01T18:00:00Z"), `prompts.schedule[1].once = 2026-12-01 18:00:00 +0000 UTC: expected a date and time`},
		{"both", entry("id: b, flow: f, channel: '42', weekly: 'mon 18:00', once: '2026-12-01 18:00'"), `prompts.schedule[1].once = "2026-12-01 18:00": expected no value beside weekly`},
		{"neither", entry("id: b, flow: f, channel: '42'"), `prompts.schedule[1].weekly = (empty): expected a day and time such as "mon 18:00", or once: with a date`},
		{"channel", entry("id: b, flow: f, channel: general, weekly: 'mon 18:00'"), `prompts.schedule[1].channel = "general": expected a channel id`},
		{"no flow", entry("id: b, channel: '42', weekly: 'mon 18:00'"), `prompts.schedule[1].flow = "": expected a value`},
		{"id", entry("id: Weekly Check, flow: f, channel: '42', weekly: 'mon 18:00'"), `prompts.schedule[1].id = "Weekly Check": expected an id of lowercase letters`},
		{"numeric id", entry("id: '7', flow: f, channel: '42', weekly: 'mon 18:00'"), `prompts.schedule[1].id = "7": expected an id`},
		{"duplicate id", entry("id: ok, flow: f, channel: '42', weekly: 'mon 18:00'"), `prompts.schedule[1].id = "ok": expected an id of its own (prompts.schedule[0] has it)`},
		{"unknown field", entry("id: b, flow: f, channel: '42', weekly: 'mon 18:00', time: '18:00'"), `prompts.schedule[1].time = "18:00": expected only id, flow, channel, weekly, once and text`},
		{"text too long", entry("id: b, flow: f, channel: '42', weekly: 'mon 18:00', text: '" + strings.Repeat("x", 1001) + "'"), `prompts.schedule[1].text = "xxx`},
		{"not a list", "prompts:\n  schedule: mon 18:00\n", `prompts.schedule = "mon 18:00": expected a list of {id, flow, channel, weekly or once, text}`},
		{"timezone", "prompts:\n  timezone: London\n", `config: prompts.timezone = "London": expected a time zone name such as Europe/London`},
		{"grace", "prompts:\n  grace: a day\n", `config: prompts.grace = "a day": expected a duration such as 24h`},
		{"negative grace", "prompts:\n  grace: -1h\n", `prompts.grace = "-1h": expected a duration`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := load(t, tt.yaml, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%q) = %v; want an error containing %q", tt.yaml, err, tt.want)
			}
		})
	}
}

// TestScheduleGrammar: prompts.schedule's weekly: and once: and
// digest.schedule take the spellings /prompt schedule takes (one
// grammar, schedule.Parse), among them the three config refused before.
func TestScheduleGrammar(t *testing.T) {
	tests := []struct {
		key, value string
	}{
		{"weekly", "each monday 18:00"},
		{"weekly", "weekly, mon 18:00"},
		{"once", "once 2026-12-01 18:00"},
		{"weekly", "mon 18:00"},
		{"weekly", "Monday 18:00"},
		{"weekly", "mondays 9:30"},
		{"weekly", "every tue 07:00"},
		{"weekly", "weekly thurs 20:15"},
		{"weekly", "sun at 0:00"},
		{"weekly", "Every Monday at 18:00"},
		{"once", "on 2026-1-5 9:00"},
		{"once", "2026-12-01 at 18:00"},
		{"once", "2026-12-01T18:00"},
		{"digest", "each monday 9:00"},
		{"digest", "weekly, mon 09:00"},
		{"digest", "every Monday at 9:00"},
	}
	for _, tt := range tests {
		yaml := "prompts:\n  schedule:\n    - {id: a, flow: f, channel: '42', " + tt.key + ": '" + tt.value + "'}\n"
		if tt.key == "digest" {
			yaml = "digest:\n  schedule: '" + tt.value + "'\n"
		}
		c, _, err := load(t, yaml, nil)
		if err != nil {
			t.Errorf("%s: %q: %v; want it accepted", tt.key, tt.value, err)
			continue
		}
		var got string
		switch tt.key {
		case "weekly":
			got = c.Prompts.Schedule[0].Weekly
		case "once":
			got = c.Prompts.Schedule[0].Once
		default:
			got = c.Digest.Schedule
		}
		if got != tt.value {
			t.Errorf("%s: %q read as %q; want it kept as written", tt.key, tt.value, got)
		}
		if _, err := schedule.Parse(tt.value, nil); err != nil {
			t.Errorf("%s: %q accepted by config, but /prompt schedule refuses it: %v", tt.key, tt.value, err)
		}
	}
}

// TestScheduleKindInTheWrongField: a one-off in weekly: or a weekly
// time in once: is told which field it belongs in.
func TestScheduleKindInTheWrongField(t *testing.T) {
	tests := []struct{ key, value, want string }{
		{"weekly", "2026-12-01 18:00", `config: prompts.schedule[0].weekly = "2026-12-01 18:00": expected a day and time such as "mon 18:00" (set it in the config file or as PEERVOICE_PROMPTS_SCHEDULE); that is a one-off time: put it in once: instead`},
		{"weekly", "once 2026-12-01 18:00", `prompts.schedule[0].weekly = "once 2026-12-01 18:00": expected a day and time such as "mon 18:00" (set it in the config file or as PEERVOICE_PROMPTS_SCHEDULE); that is a one-off time: put it in once: instead`},
		{"once", "weekly mon 18:00", `prompts.schedule[0].once = "weekly mon 18:00": expected a date and time such as "2026-12-01 18:00" (read in prompts.timezone) (set it in the config file or as PEERVOICE_PROMPTS_SCHEDULE); that is a weekly time: put it in weekly: instead`},
	}
	for _, tt := range tests {
		yaml := "prompts:\n  schedule:\n    - {id: a, flow: f, channel: '42', " + tt.key + ": '" + tt.value + "'}\n"
		if _, _, err := load(t, yaml, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %q: Load() = %v; want %q", tt.key, tt.value, err, tt.want)
		}
	}
}

// TestScheduleGrammarErrors: a time config refuses is refused with what
// /prompt schedule says of it (schedule's reason), after what the key
// expects.
func TestScheduleGrammarErrors(t *testing.T) {
	tests := []struct {
		key, value string
		parse      func(string, *time.Location) (schedule.When, error)
		want       string // the start of the message
	}{
		{"weekly", "monday 25:00", schedule.ParseWeekly, `config: prompts.schedule[0].weekly = "monday 25:00": expected a day and time such as "mon 18:00" (set it in the config file or as PEERVOICE_PROMPTS_SCHEDULE); `},
		{"weekly", "someday 18:00", schedule.ParseWeekly, `config: prompts.schedule[0].weekly = "someday 18:00": expected a day and time such as "mon 18:00"`},
		{"once", "2026-02-30 18:00", schedule.ParseOnce, `config: prompts.schedule[0].once = "2026-02-30 18:00": expected a date and time such as "2026-12-01 18:00" (read in prompts.timezone)`},
		{"digest", "mondays at noon", schedule.ParseWeekly, `config: digest.schedule = "mondays at noon": expected a day and time such as "weekly mon 09:00" (read in digest.timezone), or "off" (set it in the config file or as PEERVOICE_DIGEST_SCHEDULE); `},
	}
	for _, tt := range tests {
		yaml := "prompts:\n  schedule:\n    - {id: a, flow: f, channel: '42', " + tt.key + ": '" + tt.value + "'}\n"
		if tt.key == "digest" {
			yaml = "digest:\n  schedule: '" + tt.value + "'\n"
		}
		_, _, err := load(t, yaml, nil)
		_, perr := tt.parse(tt.value, nil)
		var se *schedule.Error
		if !errors.As(perr, &se) || se.Problem == "" {
			t.Fatalf("schedule: %q = %v; want a *schedule.Error with a problem", tt.value, perr)
		}
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !strings.HasSuffix(err.Error(), "; "+se.Reason()) {
			t.Errorf("%s: %q: Load() = %v; want %q ... %q", tt.key, tt.value, err, tt.want, "; "+se.Reason())
		}
	}
}
