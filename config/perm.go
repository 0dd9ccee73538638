package config

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/viper"
)

// FileWarnings returns warnings about the config file at path, the one
// ReadFile read into v ("" for none): that it holds the bot token and can
// be read by the file's group or by anyone. Anyone who can read the token
// can act as the bot, with every member's DMs to it.
func FileWarnings(v *viper.Viper, path string) []string {
	if path == "" || runtime.GOOS == "windows" || !v.InConfig("discord.token") {
		return nil
	}
	if s, ok := v.Get("discord.token").(string); !ok || strings.TrimSpace(s) == "" {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return []string{fmt.Sprintf("config file %s holds discord.token and can be read by its group or by others (mode %s): run chmod 600 %s, or set PEERVOICE_DISCORD_TOKEN in the environment instead", path, st.Mode().Perm(), path)}
}
