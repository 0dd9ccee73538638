package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/peervoice/peervoice/schedule"
)

// Digest configures the research digest (the digest.* keys).
type Digest struct {
	Timezone string // IANA name; weeks start at Monday midnight there
	// Schedule is when the bot posts the last complete week's digest, as
	// a day and time such as "weekly mon 09:00" in Timezone; "" for never.
	Schedule      string
	Subgroups     []string // about-you question ids; empty for none
	QuoteApproval bool     // publish quotes only once a moderator approves them
	MaxQuotes     int
	ScrubNames    []string // names the scrubber removes from quotes
}

// Disclosure configures disclosure control (the disclosure.* keys).
type Disclosure struct {
	MinCount int // counts from 1 to MinCount-1 show as *
	RoundTo  int // other counts are rounded to the nearest multiple
}

// Limits of the disclosure.* keys. They are the rules' floor: NHS
// Digital's method never publishes a count below 5, and rounding to less
// than 5 would let two digests be subtracted to find one person.
const (
	minMinCount = 5
	minRoundTo  = 5
)

// DefaultDigestSchedule is when the bot posts the weekly digest unless
// digest.schedule says otherwise: Monday morning, the week just ended.
const DefaultDigestSchedule = "weekly mon 09:00"

// expectDigestSchedule is what a bad digest.schedule is told.
const expectDigestSchedule = `a day and time such as "weekly mon 09:00" (read in digest.timezone), or "off"`

// digestSet checks a digest.* or disclosure.* value for Load and keeps
// it in Config.Digest and Config.Disclosure.
func digestSet(name string) func(*Config, any) error {
	return func(c *Config, v any) error {
		return setDigest(name, &c.Digest, &c.Disclosure, v)
	}
}

// checkDisclosure is the check across the disclosure.* keys, made once
// both are read.
func checkDisclosure(s Disclosure) error {
	if s.RoundTo > 2*s.MinCount {
		return &Error{Key: "disclosure.round_to", Value: s.RoundTo,
			Expected: fmt.Sprintf("at most twice disclosure.min_count (%d), or a count of %d would be rounded to 0", 2*s.MinCount, s.MinCount)}
	}
	return nil
}

// questionID is the form of a flow question's id.
var questionID = regexp.MustCompile(`^[a-z0-9_]+$`)

// setDigest checks one digest.* or disclosure.* value and stores it.
func setDigest(name string, d *Digest, s *Disclosure, v any) error {
	var scratch Config // the readers below take a *Config they do not need here
	switch name {
	case "digest.timezone":
		return str(name, func(*Config) *string { return &d.Timezone }, timezone)(&scratch, v)
	case "digest.schedule":
		var when string
		if err := str(name, func(*Config) *string { return &when }, nil)(&scratch, v); err != nil {
			return err
		}
		when = strings.TrimSpace(when)
		switch {
		case when == "" || strings.EqualFold(when, "off"):
			d.Schedule = ""
		default:
			if _, err := schedule.ParseWeekly(when, nil); err != nil {
				return &Error{Key: name, Value: v, Expected: expectDigestSchedule, Problem: problem(err)}
			}
			d.Schedule = when
		}
		return nil
	case "digest.subgroups":
		if err := list(name, func(*Config) *[]string { return &d.Subgroups })(&scratch, v); err != nil {
			return err
		}
		for i, id := range d.Subgroups {
			if !questionID.MatchString(id) {
				return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: id, Expected: "the id of an about-you choice question, such as gender or ethnicity"}
			}
		}
		return nil
	case "digest.quote_approval":
		return boolean(name, func(*Config) *bool { return &d.QuoteApproval })(&scratch, v)
	case "digest.max_quotes":
		return integer(name, v, &d.MaxQuotes, 1, 50, "a whole number from 1 to 50")
	case "digest.scrub_names":
		return list(name, func(*Config) *[]string { return &d.ScrubNames })(&scratch, v)
	case "disclosure.min_count":
		return integer(name, v, &s.MinCount, minMinCount, 1<<20, fmt.Sprintf(
			"a whole number of at least %d: smaller counts could identify someone (NHS Digital's method shows 1 to 7 as *; the default is 8)", minMinCount))
	case "disclosure.round_to":
		return integer(name, v, &s.RoundTo, minRoundTo, 1<<20, fmt.Sprintf(
			"a whole number of at least %d: finer rounding would let two digests be compared to find one person (the default is 5)", minRoundTo))
	}
	return fmt.Errorf("config: %s is not a digest setting", name)
}

// Location is digest.timezone loaded, where digest periods and
// digest.schedule are read.
func (d Digest) Location() (*time.Location, error) {
	loc, err := schedule.Location(d.Timezone)
	if err != nil {
		return nil, fmt.Errorf("digest.timezone: %w", err)
	}
	return loc, nil
}
