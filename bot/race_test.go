//go:build race

package bot_test

// raceEnabled reports a -race build, whose timing is not real timing.
const raceEnabled = true
