package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The readers the keys table uses: each turns a value from the file or the
// environment into the field it sets, or into an *Error that names the key.

// str reads a string setting. Numbers are accepted as their digits,
// because YAML reads an unquoted Discord id as a number.
func str(name string, field func(*Config) *string, check func(string) string) func(*Config, any) error {
	return func(c *Config, v any) error {
		var s string
		switch v := v.(type) {
		case nil:
		case string:
			s = strings.TrimSpace(v)
		case int, int64, uint64:
			s = fmt.Sprint(v)
		default:
			return &Error{Key: name, Value: v, Expected: "text"}
		}
		if check != nil {
			if want := check(s); want != "" {
				return &Error{Key: name, Value: v, Expected: want}
			}
		}
		*field(c) = s
		return nil
	}
}

func boolean(name string, field func(*Config) *bool) func(*Config, any) error {
	return func(c *Config, v any) error {
		switch v := v.(type) {
		case bool:
			*field(c) = v
			return nil
		case string:
			if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
				*field(c) = b
				return nil
			}
		}
		return &Error{Key: name, Value: v, Expected: "true or false"}
	}
}

// roleList reads a list of Discord role ids.
func roleList(name string, field func(*Config) *[]string) func(*Config, any) error {
	read := list(name, field)
	return func(c *Config, v any) error {
		if items, ok := v.([]any); ok {
			// YAML reads unquoted ids as numbers; keep every digit.
			ids := make([]any, len(items))
			for i, x := range items {
				switch x := x.(type) {
				case int, int64, uint64:
					ids[i] = fmt.Sprint(x)
				default:
					ids[i] = x
				}
			}
			v = ids
		}
		if err := read(c, v); err != nil {
			return err
		}
		for i, id := range *field(c) {
			if want := snowflake(id); want != "" || id == "" {
				return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: id, Expected: "a Discord role id (digits only; in Discord, Server Settings → Roles, right-click a role and Copy Role ID)"}
			}
		}
		return nil
	}
}

// list reads a list of strings; from the environment, comma-separated.
func list(name string, field func(*Config) *[]string) func(*Config, any) error {
	return func(c *Config, v any) error {
		var out []string
		switch v := v.(type) {
		case nil:
		case string:
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		case []string:
			out = v
		case []any:
			for i, x := range v {
				s, ok := x.(string)
				if !ok {
					return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: x, Expected: "text"}
				}
				out = append(out, s)
			}
		default:
			return &Error{Key: name, Value: v, Expected: "a list of text"}
		}
		*field(c) = out
		return nil
	}
}

func resources(c *Config, v any) error {
	const name = "safety.resources"
	if v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		return &Error{Key: name, Value: v, Expected: "a list of {name, contact, description}"}
	}
	c.Safety.Resources = []Resource{}
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: it, Expected: "{name: ..., contact: ..., description: ...}"}
		}
		var r Resource
		for k, x := range m {
			s, ok := x.(string)
			if !ok {
				return &Error{Key: fmt.Sprintf("%s[%d].%s", name, i, k), Value: x, Expected: "text"}
			}
			switch k {
			case "name":
				r.Name = s
			case "contact":
				r.Contact = s
			case "description":
				r.Description = s
			default:
				return &Error{Key: fmt.Sprintf("%s[%d].%s", name, i, k), Value: x, Expected: "only name, contact and description"}
			}
		}
		if r.Name == "" || r.Contact == "" {
			return &Error{Key: fmt.Sprintf("%s[%d]", name, i), Value: it, Expected: "both name and contact"}
		}
		c.Safety.Resources = append(c.Safety.Resources, r)
	}
	return nil
}

// botToken reads discord.token as people paste it: a leading "Bot "
// (in any case, with any spaces; the bot adds its own), surrounding
// quotes and whitespace are removed once here, so the bot sends
// "Bot abc…" and never "Bot Bot abc…". What is left must look like a
// token; Load hides the value in the error, since it is a secret.
func botToken(c *Config, v any) error {
	const name = "discord.token"
	var s string
	if err := str(name, func(*Config) *string { return &s }, nil)(c, v); err != nil {
		return err
	}
	for {
		t := strings.TrimSpace(s)
		if n := len(t); n >= 2 && (t[0] == '"' || t[0] == '\'' || t[0] == '`') && t[n-1] == t[0] {
			t = t[1 : n-1]
		}
		if f := strings.Fields(t); len(f) > 1 && strings.EqualFold(f[0], "bot") {
			t = strings.TrimSpace(t[len(f[0]):])
		}
		if t == s {
			break
		}
		s = t
	}
	if !tokenChars.MatchString(s) {
		return &Error{Key: name, Value: v, Expected: `the bot's token alone: one word of letters, digits, dots, - and _, ` +
			`as the Discord Developer Portal shows it (your application → Bot → Reset Token; not the application id, public key or client secret)`}
	}
	c.Discord.Token = s
	return nil
}

// tokenChars is what a bot token is made of: base64url parts joined by
// dots. Empty is allowed here: commands that need a token say so.
var tokenChars = regexp.MustCompile(`^[A-Za-z0-9_.\-]*$`)

// integer reads a whole number from lo to hi into dst. From the
// environment it arrives as text.
func integer(name string, v any, dst *int, lo, hi int, expected string) error {
	var n int
	var ok bool
	switch x := v.(type) {
	case int:
		n, ok = x, true
	case int64:
		n, ok = int(x), true
	case uint64:
		n, ok = int(x), x <= 1<<31
	case float64:
		n, ok = int(x), x == float64(int(x))
	case string:
		var err error
		n, err = strconv.Atoi(strings.TrimSpace(x))
		ok = err == nil
	}
	if !ok || n < lo || n > hi {
		return &Error{Key: name, Value: v, Expected: expected}
	}
	*dst = n
	return nil
}
