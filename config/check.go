package config

import (
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The checks of single string settings. Each returns "" for a good value
// and otherwise what was expected, which str puts in the *Error.

func nonEmpty(s string) string {
	if s == "" {
		return "a value (it may not be empty)"
	}
	return ""
}

func oneOf(allowed ...string) func(string) string {
	return func(s string) string {
		for _, a := range allowed {
			if s == a {
				return ""
			}
		}
		return "one of " + strings.Join(allowed, ", ")
	}
}

func upperOneOf(allowed ...string) func(string) string {
	check := oneOf(allowed...)
	return func(s string) string { return check(strings.ToUpper(s)) }
}

func hexSecret(s string) string {
	if s == "" {
		return ""
	}
	if b, err := hex.DecodeString(s); err != nil || len(b) != 32 {
		return "64 hex characters (32 random bytes, e.g. from `openssl rand -hex 32`), or empty to use the key file"
	}
	return ""
}

func snowflake(s string) string {
	if s == "" {
		return ""
	}
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return "a Discord id (digits only; in Discord, right-click and Copy ID)"
	}
	return ""
}

// httpURL and wsURL check the Discord endpoints' URLs.
var (
	httpURL = urlCheck("an http:// or https:// URL such as http://127.0.0.1:8080", "http", "https")
	wsURL   = urlCheck("a ws:// or wss:// URL", "ws", "wss")
)

// urlCheck accepts "" or an absolute URL with a host and one of schemes.
func urlCheck(expected string, schemes ...string) func(string) string {
	return func(s string) string {
		if s == "" {
			return ""
		}
		if u, err := url.Parse(s); err != nil || !slices.Contains(schemes, u.Scheme) || u.Host == "" {
			return expected
		}
		return ""
	}
}
