package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/peervoice/peervoice/schedule"
	"go.yaml.in/yaml/v3"
)

// Prompts configures scheduled community prompts.
type Prompts struct {
	Timezone string        // IANA name; default schedule.DefaultTimezone
	Grace    time.Duration // how late a missed prompt is still posted
	Schedule []ScheduledPrompt
}

// ScheduledPrompt is one entry of prompts.schedule: an invitation to
// answer a flow, posted in a channel every week or once.
type ScheduledPrompt struct {
	ID      string // lowercase, starting with a letter
	Flow    string
	Channel string
	Weekly  string // as schedule.ParseWeekly reads it: "mon 18:00", "every Monday at 18:00"; or
	Once    string // as schedule.ParseOnce reads it: "2026-12-01 18:00", in Timezone
	Text    string // "" for the flow's introduction
}

// Examples used in what prompts.* errors expect.
const (
	expectWeekly = schedule.ExpectWeekly
	expectOnce   = schedule.ExpectOnce + " (read in prompts.timezone)"
	expectList   = "a list of {id, flow, channel, weekly or once, text}"
)

// timezone checks a time zone name; empty is refused, so that the
// default is written in one place (schedule.DefaultTimezone).
func timezone(s string) string {
	if _, err := schedule.Location(s); err != nil || s == "" {
		return schedule.ExpectTimezone
	}
	return ""
}

func grace(c *Config, v any) error {
	const name = "prompts.grace"
	var d time.Duration
	var err error
	switch v := v.(type) {
	case string:
		d, err = time.ParseDuration(strings.TrimSpace(v))
	case time.Duration:
		d = v
	default:
		err = fmt.Errorf("not text")
	}
	if err != nil || d <= 0 {
		return &Error{Key: name, Value: v, Expected: "a duration such as 24h or 90m"}
	}
	c.Prompts.Grace = d
	return nil
}

// scheduleID is a config schedule's id: lowercase, starting with a letter,
// so it can never be one of the numbers /prompt schedule hands out.
var scheduleID = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

func promptSchedule(c *Config, v any) error {
	const name = "prompts.schedule"
	if s, ok := v.(string); ok { // from the environment: YAML or JSON
		if err := yaml.Unmarshal([]byte(s), &v); err != nil {
			return &Error{Key: name, Value: s, Expected: expectList}
		}
	}
	if v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		return &Error{Key: name, Value: v, Expected: expectList}
	}
	c.Prompts.Schedule = []ScheduledPrompt{}
	ids := map[string]int{}
	for i, it := range items {
		at := fmt.Sprintf("%s[%d]", name, i)
		p, err := scheduledPrompt(at, it)
		if err != nil {
			return err
		}
		if j, dup := ids[p.ID]; dup {
			return &Error{Key: at + ".id", Value: p.ID, Expected: fmt.Sprintf("an id of its own (%s[%d] has it)", name, j)}
		}
		ids[p.ID] = i
		c.Prompts.Schedule = append(c.Prompts.Schedule, p)
	}
	return nil
}

// scheduledPrompt checks one entry of prompts.schedule; at is its key.
func scheduledPrompt(at string, it any) (ScheduledPrompt, error) {
	m, ok := it.(map[string]any)
	if !ok {
		return ScheduledPrompt{}, &Error{Key: at, Value: it, Expected: "{id: ..., flow: ..., channel: ..., weekly: ... or once: ..., text: ...}"}
	}
	var p ScheduledPrompt
	fields := map[string]*string{"id": &p.ID, "flow": &p.Flow, "channel": &p.Channel, "weekly": &p.Weekly, "once": &p.Once, "text": &p.Text}
	for k, x := range m {
		dst, known := fields[k]
		if !known {
			return p, &Error{Key: at + "." + k, Value: x, Expected: "only id, flow, channel, weekly, once and text"}
		}
		switch x := x.(type) {
		case string:
			*dst = strings.TrimSpace(x)
		case int, int64, uint64: // an unquoted channel id
			*dst = fmt.Sprint(x)
		default:
			want := "text"
			if k == "once" {
				want = expectOnce
			}
			return p, &Error{Key: at + "." + k, Value: x, Expected: want}
		}
	}
	// weekly: and once: take the forms /prompt schedule reads
	// (schedule.Parse), each its own kind, and are refused with its reason.
	var weekly, weeklyProblem, once, onceProblem string
	if _, err := schedule.ParseWeekly(p.Weekly, nil); p.Weekly != "" && err != nil {
		weekly, weeklyProblem = expectWeekly, problem(err)
		if _, err := schedule.ParseOnce(p.Weekly, nil); err == nil {
			weeklyProblem = "that is a one-off time: put it in once: instead"
		}
	}
	if _, err := schedule.ParseOnce(p.Once, nil); p.Once != "" && err != nil {
		once, onceProblem = expectOnce, problem(err)
		if _, err := schedule.ParseWeekly(p.Once, nil); err == nil {
			onceProblem = "that is a weekly time: put it in weekly: instead"
		}
	}
	checks := []struct {
		key, value, want, problem string
	}{
		{"id", p.ID, ifNot(scheduleID.MatchString(p.ID), "an id of lowercase letters, digits, - and _, starting with a letter, such as weekly-checkin"), ""},
		{"flow", p.Flow, nonEmpty(p.Flow), ""},
		{"channel", p.Channel, ifNot(p.Channel != "" && snowflake(p.Channel) == "", "a channel id (digits only; in Discord, right-click the channel and Copy Channel ID)"), ""},
		{"weekly", p.Weekly, weekly, weeklyProblem},
		{"once", p.Once, once, onceProblem},
		{"text", p.Text, ifNot(utf8.RuneCountInString(p.Text) <= 1000, "at most 1000 characters"), ""},
	}
	for _, ch := range checks {
		if ch.want != "" {
			return p, &Error{Key: at + "." + ch.key, Value: ch.value, Expected: ch.want, Problem: ch.problem}
		}
	}
	if p.Weekly == "" && p.Once == "" {
		return p, &Error{Key: at + ".weekly", Value: nil, Expected: expectWeekly + `, or once: with a date and time such as "2026-12-01 18:00"`}
	}
	if p.Weekly != "" && p.Once != "" {
		return p, &Error{Key: at + ".once", Value: p.Once, Expected: "no value beside weekly: a schedule is weekly or once, not both"}
	}
	return p, nil
}

func ifNot(ok bool, want string) string {
	if ok {
		return ""
	}
	return want
}

// problem is what a schedule error says is wrong, beyond the form
// expected: "" when the text is not of the form at all.
func problem(err error) string {
	var se *schedule.Error
	if errors.As(err, &se) && se.Problem != "" {
		return se.Reason()
	}
	return ""
}

// Location is prompts.timezone loaded, where the schedules' times are
// read.
func (p Prompts) Location() (*time.Location, error) {
	loc, err := schedule.Location(p.Timezone)
	if err != nil {
		return nil, fmt.Errorf("prompts.timezone: %w", err)
	}
	return loc, nil
}

// When is the prompt's schedule as schedule.Parse reads it: "weekly mon
// 18:00" or "once 2026-12-01 18:00".
func (s ScheduledPrompt) When() string {
	if s.Once != "" {
		return "once " + s.Once
	}
	return "weekly " + s.Weekly
}
