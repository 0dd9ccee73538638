//go:build race

package safety_test

// The race detector slows regexps down a hundredfold; the randomised
// comparison with CheckSlow runs a smaller sample under it.
func init() { raceEnabled = true }
