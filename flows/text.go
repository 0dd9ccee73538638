package flows

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text is wording shown to participants: either one string for every
// language (stored under the key "") or one string per language code.
type Text map[string]string

// Plain returns a Text that reads s in every language.
func Plain(s string) Text { return Text{"": s} }

// In returns the text in lang, falling back to the language-neutral text,
// then English, then the first language in alphabetical order.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	if s, ok := t[""]; ok {
		return s
	}
	if s, ok := t["en"]; ok {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return t[keys[0]]
}

// String returns the text in its default language.
func (t Text) String() string { return t.In("") }

// slug turns a short-form option such as "Not sure" into an id ("not_sure").
func slug(s string) string {
	var b strings.Builder
	underscore := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			underscore = false
		default:
			if !underscore && b.Len() > 0 {
				b.WriteByte('_')
				underscore = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// labelFor turns a short-form option into a label a person reads:
// "not_sure" and "not sure" both read "Not sure".
func labelFor(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", " ")
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
