package discordtest

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// WithValidationSample validates the JSON bodies of only some requests
// against the OpenAPI description, for load benchmarks, whose figure
// should measure the bot rather than the emulator's schema validator
// (a quarter of a load run's CPU when every body is validated). Of each
// route's requests with a body, the first is validated, every nth after
// it, and any whose shape (its members' names and types, recursively,
// values aside) that route has not shown before, so a new kind of
// message is never missed. The documented limits and the other checks
// still apply to every request. n ≤ 1 validates every body, the default;
// tests of behaviour must keep it. ValidationStats counts both kinds.
func WithValidationSample(n int) Option {
	return func(c *config) { c.sample = n }
}

// ValidationStats counts the request bodies the emulator validated
// against the OpenAPI description and those it let through unvalidated
// (WithValidationSample). Both are zero when it does not validate
// (ValidatesOpenAPI is false).
type ValidationStats struct {
	Validated int // bodies checked against the description
	Sampled   int // bodies skipped by WithValidationSample (limits still checked)
	Routes    int // routes that had a body
	Shapes    int // distinct shapes seen, over all routes
}

// ValidationStats returns the counts so far.
func (e *Emulator) ValidationStats() ValidationStats {
	s := &e.sampler
	s.mu.Lock()
	defer s.mu.Unlock()
	return ValidationStats{Validated: s.validated, Sampled: s.skipped, Routes: len(s.count), Shapes: len(s.shapes)}
}

// sampler decides which bodies are validated against the description.
type sampler struct {
	n int // 1 in n; ≤ 1: all

	mu                 sync.Mutex
	count              map[string]int      // bodies seen per route
	shapes             map[string]struct{} // route + "\x00" + shape, when n > 1
	validated, skipped int
}

// maxShapes bounds the shapes remembered: past it, a body of an unknown
// shape is validated without being remembered, so nothing is missed and
// memory stays bounded.
const maxShapes = 10000

// take reports whether the body doc of a request to route is to be
// validated, and counts it.
func (s *sampler) take(route string, doc any) bool {
	var key string
	if s.n > 1 {
		// Outside the lock: the walk is the costly part.
		key = route + "\x00" + shapeOf(doc)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.count == nil {
		s.count = make(map[string]int)
		s.shapes = make(map[string]struct{})
	}
	k := s.count[route]
	s.count[route] = k + 1
	ok := s.n <= 1 || k%s.n == 0
	if s.n > 1 {
		if _, seen := s.shapes[key]; !seen {
			ok = true
			if len(s.shapes) < maxShapes {
				s.shapes[key] = struct{}{}
			}
		}
	}
	if ok {
		s.validated++
	} else {
		s.skipped++
	}
	return ok
}

// shapeOf is a decoded JSON value's shape: for an object its members'
// names (sorted) with their shapes (the values of "type" and "style",
// which choose between schemas, included), for an array the distinct shapes of
// its elements in order of first appearance, else the value's type.
// Two bodies of one shape differ only in values, such as texts, ids and
// how many buttons of the same kind a row has.
func shapeOf(v any) string {
	var sb strings.Builder
	writeShape(&sb, v)
	return sb.String()
}

func writeShape(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sb.WriteByte('{')
		for _, k := range keys {
			sb.WriteString(k)
			sb.WriteByte(':')
			if n, ok := x[k].(json.Number); ok && (k == "type" || k == "style") {
				// Discriminators: the description picks a schema (a
				// button, a select menu; a message or a modal callback)
				// by these values.
				sb.WriteString(n.String())
			} else {
				writeShape(sb, x[k])
			}
			sb.WriteByte(',')
		}
		sb.WriteByte('}')
	case []any:
		var seen []string
		for _, el := range x {
			if s := shapeOf(el); !slices.Contains(seen, s) {
				seen = append(seen, s)
			}
		}
		sb.WriteByte('[')
		sb.WriteString(strings.Join(seen, "|"))
		sb.WriteByte(']')
	case string:
		sb.WriteByte('s')
	case json.Number:
		sb.WriteByte('n')
	case bool:
		sb.WriteByte('b')
	case nil:
		sb.WriteByte('z')
	default:
		sb.WriteByte('?')
	}
}
