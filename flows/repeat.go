package flows

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxRepeatDays is the longest `every Nd` a flow may say: a check-in
// repeated less often than yearly is better run as a new flow.
const MaxRepeatDays = 366

// Repeat is how often a participant may take a flow again (its `repeat:`
// key): each round is a wave with its own answers. The zero Repeat is a
// flow taken once (a participant may still choose to answer it again at
// any time, as a second set beside the first).
type Repeat struct {
	// Days and Months are the period: `weekly` is 7 days, `every 14d` 14
	// days, `monthly` one calendar month.
	Days, Months int
}

var everyRe = regexp.MustCompile(`^every\s+(\d+)\s*d(ays?)?$`)

// ParseRepeat reads a flow's repeat: value: weekly, monthly or every Nd
// (N from 1 to MaxRepeatDays). The error says what was expected.
func ParseRepeat(s string) (Repeat, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "weekly":
		return Repeat{Days: 7}, nil
	case "monthly":
		return Repeat{Months: 1}, nil
	}
	if m := everyRe.FindStringSubmatch(v); m != nil {
		n, err := strconv.Atoi(m[1])
		if err == nil && n >= 1 && n <= MaxRepeatDays {
			return Repeat{Days: n}, nil
		}
		return Repeat{}, fmt.Errorf("repeat %q: the number of days must be from 1 to %d (for example every 14d)", s, MaxRepeatDays)
	}
	return Repeat{}, fmt.Errorf("repeat %q is not a period PeerVoice knows; write weekly, monthly or every Nd (for example every 14d), or leave repeat out for a flow taken once", s)
}

// IsZero reports whether r is no repeat: the flow is taken once.
func (r Repeat) IsZero() bool { return r.Days == 0 && r.Months == 0 }

// Next returns when the next wave opens for a participant who finished
// the previous one at finished: the period later, on the clock of
// finished's location (a month later is the same day of the next month;
// a day the month lacks rolls into the one after, as time.AddDate does).
func (r Repeat) Next(finished time.Time) time.Time {
	return finished.AddDate(0, r.Months, r.Days)
}

// String writes r as a flow file does: weekly, monthly, every Nd, or ""
// for no repeat.
func (r Repeat) String() string {
	switch {
	case r.IsZero():
		return ""
	case r.Months == 1 && r.Days == 0:
		return "monthly"
	case r.Months == 0 && r.Days == 7:
		return "weekly"
	case r.Months == 0:
		return fmt.Sprintf("every %dd", r.Days)
	}
	return fmt.Sprintf("every %d months and %d days", r.Months, r.Days)
}

// repeat reads the flow's repeat: key, reporting a bad value where it is.
func (p *parser) repeat(v *yaml.Node) Repeat {
	s := p.scalar(v, "repeat")
	if s == "" {
		return Repeat{}
	}
	r, err := ParseRepeat(s)
	if err != nil {
		p.errorf(at(v), "%s", err)
	}
	return r
}
