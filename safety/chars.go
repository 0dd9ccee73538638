package safety

import (
	"unicode"
	"unicode/utf8"
)

// How normalise reads single characters: which are letters, digits and
// clause breaks, which symbols stand in for letters, and what look-alike
// characters fold to.

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isWord(r rune) bool { return isLetter(r) || isDigit(r) }

// isBreak reports whether r ends a clause.
func isBreak(r rune) bool {
	switch r {
	case '.', '!', '?', ';', ':', ',', '\n', '\u00a1', '\u00bf', '\u3002':
		return true
	}
	return false
}

// leet returns the letter that a symbol or digit stands for in words like
// "k1ll" and "su!cide", or 0. Check only reads it as a letter between two
// letters, so "5 kms" and "2 die" keep their digits.
func leet(r rune) rune {
	switch r {
	case '0':
		return 'o'
	case '1', '!', '|':
		return 'i'
	case '3':
		return 'e'
	case '4', '@':
		return 'a'
	case '5', '$':
		return 's'
	case '7':
		return 't'
	}
	return 0
}

// asciiFold is fold for ASCII, as a table.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(fold(rune(c)))
	}
	return t
}()

// fold maps r to the plain lower-case character it stands for, or to -1 if
// it should be dropped (zero-width characters, soft hyphens, accents written
// as combining marks).
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		if r == '`' {
			return '\''
		}
		return r
	}
	if f, ok := folds[r]; ok {
		return f
	}
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
		return -1
	case 0xFF01 <= r && r <= 0xFF5E: // fullwidth forms: "ｋｉｌｌ"
		return fold(r - 0xFEE0)
	case 0x1D400 <= r && r <= 0x1D6A3: // "fancy text" letters: "𝐤𝐢𝐥𝐥"
		return 'a' + (r-0x1D400)%52%26
	case 0x1D7CE <= r && r <= 0x1D7FF: // "fancy text" digits
		return '0' + (r-0x1D7CE)%10
	case 0x24B6 <= r && r <= 0x24CF: // circled capitals: "Ⓚ"
		return 'a' + r - 0x24B6
	case 0x24D0 <= r && r <= 0x24E9: // circled small letters: "ⓚ"
		return 'a' + r - 0x24D0
	}
	return unicode.ToLower(r)
}
