package schedule

import (
	"fmt"
	"time"
	_ "time/tzdata" // time zones work where the system has no zoneinfo database
)

// DefaultTimezone is where schedule times and digest periods are read
// unless prompts.timezone or digest.timezone says otherwise.
const DefaultTimezone = "Europe/London"

// ExpectTimezone is what a bad time zone name is told.
const ExpectTimezone = "a time zone name such as " + DefaultTimezone + " or America/New_York"

// Location loads the IANA time zone name; "" is DefaultTimezone.
// "Local" is refused: the same config must mean the same times on
// every machine.
func Location(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultTimezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("%q: expected %s", name, ExpectTimezone)
	}
	return loc, nil
}
