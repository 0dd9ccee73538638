package config_test

import (
	"strings"
	"testing"

	"github.com/peervoice/peervoice/config"
)

// TestUploadLimit: discord.upload_limit is read as bytes or with a unit,
// from the file or the environment, and defaults to Discord's limit
// without boosts.
func TestUploadLimit(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       int64
	}{
		{"default", "", nil, config.DefaultUploadLimit},
		{"bytes", "discord:\n  upload_limit: 26214400\n", nil, 25 << 20},
		{"MiB", "discord:\n  upload_limit: 50MiB\n", nil, 50 << 20},
		{"with a space, any case", "discord:\n  upload_limit: 100 mib\n", nil, 100 << 20},
		{"decimal MB", "discord:\n  upload_limit: 2.5MB\n", nil, 2500000},
		{"KiB", "discord:\n  upload_limit: 2048KiB\n", nil, 2 << 20},
		{"from the environment", "", map[string]string{"PEERVOICE_DISCORD_UPLOAD_LIMIT": "25MiB"}, 25 << 20},
		{"environment over file", "discord:\n  upload_limit: 50MiB\n", map[string]string{"PEERVOICE_DISCORD_UPLOAD_LIMIT": "26214400"}, 25 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, warnings, err := load(t, tt.yaml, tt.env)
			if err != nil || len(warnings) > 0 {
				t.Fatalf("Load() = %v, %v", warnings, err)
			}
			if c.Discord.UploadLimit != tt.want {
				t.Errorf("discord.upload_limit = %d; want %d", c.Discord.UploadLimit, tt.want)
			}
		})
	}
}

// TestUploadLimitBad: a limit that is not a size, or outside what Discord
// could take, is refused with the key, the value and what is expected.
func TestUploadLimitBad(t *testing.T) {
	for _, v := range []string{"lots", "25 MiBs", "-1", "-5MiB", "MiB", "1.5", "1000", "1GiB", "[25]", "25 MiB 3"} {
		t.Run(v, func(t *testing.T) {
			_, _, err := load(t, "discord:\n  upload_limit: "+v+"\n", nil)
			if err == nil {
				t.Fatalf("discord.upload_limit = %s: no error", v)
			}
			for _, want := range []string{"config: discord.upload_limit = ", "expected a size from 1MiB to 500MiB", "such as 25MiB", "PEERVOICE_DISCORD_UPLOAD_LIMIT"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}
