//go:build !race

package flows_test

// raceEnabled says whether the race detector is on; it changes what
// allocates (sync.Pool drops items at random under it).
const raceEnabled = false
