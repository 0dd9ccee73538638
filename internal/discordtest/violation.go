package discordtest

import (
	"strings"
	"sync"
	"testing"
)

// Kinds of Violation.
const (
	// RuleOpenAPI is a request body that does not match Discord's OpenAPI
	// description.
	RuleOpenAPI = "openapi"
	// RuleLimit is a documented limit the OpenAPI description does not
	// encode, such as 2,000 characters of content.
	RuleLimit = "limit"
	// RuleInteraction is a misuse of the interaction flow: a late or second
	// initial response, or a callback type that does not fit.
	RuleInteraction = "interaction"
	// RuleUnsupported is a request for an endpoint the emulator does not
	// implement.
	RuleUnsupported = "unsupported"
)

// Violation is one way in which the bot broke Discord's rules.
type Violation struct {
	Rule   string // RuleOpenAPI, RuleLimit, RuleInteraction or RuleUnsupported
	Route  string // the request, such as "POST /channels/{channel_id}/messages"
	Detail string // what was wrong
}

// String describes the violation on one line.
func (v Violation) String() string {
	return v.Rule + ": " + v.Route + ": " + v.Detail
}

// violations records violations and reports the unexpected ones.
type violations struct {
	t        testing.TB
	mu       sync.Mutex
	all      []Violation
	expected []*expectation
	done     bool
}

type expectation struct {
	substr string
	seen   int
}

func newViolations(t testing.TB) *violations {
	return &violations{t: t}
}

// add records v and fails the test unless an expectation covers it.
func (vs *violations) add(v Violation) {
	s := v.String()
	vs.mu.Lock()
	vs.all = append(vs.all, v)
	covered := false
	for _, x := range vs.expected {
		if strings.Contains(s, x.substr) {
			x.seen++
			covered = true
		}
	}
	report := !covered && !vs.done
	vs.mu.Unlock()
	if report {
		// Errorf is safe from any goroutine; Fatal is not.
		vs.t.Errorf("discordtest: Discord would reject this: %s", s)
	}
}

// finish fails the test for expectations that nothing met, and stops
// reporting. A skipped test is not failed for them: it may have stopped
// before provoking what it expected.
func (vs *violations) finish() {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if vs.done {
		return
	}
	vs.done = true
	if vs.t.Skipped() {
		return
	}
	for _, x := range vs.expected {
		if x.seen == 0 {
			vs.t.Errorf("discordtest: expected a violation containing %q, but none happened (violations: %d)", x.substr, len(vs.all))
		}
	}
}

// Violations returns every violation recorded so far, expected or not.
func (e *Emulator) Violations() []Violation {
	e.checks.mu.Lock()
	defer e.checks.mu.Unlock()
	return append([]Violation(nil), e.checks.all...)
}

// ExpectViolation declares that the test provokes a violation whose String
// contains substr. Matching violations do not fail the test; if none has
// happened by the end of the test, the test fails (unless the test was
// skipped). Call it before the violation can happen.
func (e *Emulator) ExpectViolation(substr string) {
	e.checks.mu.Lock()
	defer e.checks.mu.Unlock()
	e.checks.expected = append(e.checks.expected, &expectation{substr: substr})
}

// violate records a violation of rule by the request on route.
func (e *Emulator) violate(rule, route, detail string) {
	e.checks.add(Violation{Rule: rule, Route: route, Detail: detail})
}
