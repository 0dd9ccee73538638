package discordtest_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain raises -test.parallel unless it was set: most of each test is
// discordgo's Session.Close sleeping for a second, so running many at once
// costs nothing but shortens the run.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", "16")
	}
	os.Exit(m.Run())
}
