package digest_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the digest pure: no store, no SQL, no Discord,
// no config. The store's figures come in through digest.Data.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".", "./disclosure").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"database/sql", "github.com/peervoice/peervoice/store", "github.com/bwmarrin/discordgo", "github.com/spf13/viper", "github.com/peervoice/peervoice/config"} {
			if dep == banned {
				t.Errorf("digest depends on %s", dep)
			}
		}
	}
}
