package config

import (
	"math"
	"strconv"
	"strings"
)

// DefaultUploadLimit is discord.upload_limit's default: 10 MiB, what
// Discord takes from a bot in one message on a server without boosts (the
// same as bot.DefaultUploadLimit, which config may not import).
const DefaultUploadLimit = 10 << 20

// Bounds of discord.upload_limit: a limit under 1 MiB would refuse even
// a small study's workbook, and Discord takes no more than 500 MiB in
// one message anywhere.
const (
	minUploadLimit = 1 << 20
	maxUploadLimit = 500 << 20
)

// sizeUnits are the units a size may be written in: the binary ones
// Discord's limits are in, and the decimal ones people also write.
var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30,
	"kb": 1000, "mb": 1000 * 1000, "gb": 1000 * 1000 * 1000,
}

// parseSize reads a whole number of bytes, or a number (decimals
// allowed) followed by a unit of sizeUnits, with or without a space:
// "26214400", "25MiB", "25 MiB", "52.5MB". It reports false for anything
// else, negative numbers included.
func parseSize(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), x >= 0
	case int64:
		return x, x >= 0
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float64:
		return int64(x), x >= 0 && x == math.Trunc(x) && x <= math.MaxInt64
	case string:
		s := strings.TrimSpace(x)
		i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i < 0 {
			i = len(s)
		}
		unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
		n, err := strconv.ParseFloat(s[:i], 64)
		if !ok || err != nil || s[:i] == "" {
			return 0, false
		}
		b := n * float64(unit)
		if b > math.MaxInt64 || b != math.Trunc(b) && unit == 1 {
			return 0, false // fractions of a byte
		}
		return int64(b), true
	}
	return 0, false
}

// uploadLimit reads discord.upload_limit.
func uploadLimit(c *Config, v any) error {
	const name = "discord.upload_limit"
	n, ok := parseSize(v)
	if !ok || n < minUploadLimit || n > maxUploadLimit {
		return &Error{Key: name, Value: v, Expected: "a size from 1MiB to 500MiB, in bytes or with a unit (KiB, MiB, GiB, KB, MB, GB) such as 25MiB: Discord takes 10MiB from a bot in one message on a server without boosts, 50MiB at boost level 2, 100MiB at level 3"}
	}
	c.Discord.UploadLimit = n
	return nil
}
