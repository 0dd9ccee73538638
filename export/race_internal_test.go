//go:build race

package export

// raceEnabled reports a -race build, several times slower: large tests
// run smaller.
const raceEnabled = true
