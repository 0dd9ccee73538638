package export

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// guard keeps a spreadsheet from running text as a formula (CSV or formula
// injection: free text comes from the public). Text that would begin with
// = + - or @, in ASCII or full width, or with a tab or carriage return,
// gets a leading apostrophe; text that is a plain number ("-3", "+1.5")
// stays as it is. Both writers guard every string cell; it costs a look
// at the first byte.
func guard(s string) string {
	if s == "" || !risky(s) || isNumber(s) {
		return s
	}
	return "'" + s
}

// validUTF8 repairs text that is not valid UTF-8, which participants'
// answers typed in a terminal might be, and which neither a workbook's
// XML nor a CSV reader would take.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// risky reports whether s begins with a character that starts a formula.
func risky(s string) bool {
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	case 0xEF: // the UTF-8 lead byte of U+FF0B, U+FF0D, U+FF1D, U+FF20
		r, _ := utf8.DecodeRuneInString(s)
		return r == '＝' || r == '＋' || r == '－' || r == '＠'
	}
	return false
}

// isNumber reports whether s is a plain decimal number with an optional
// sign: [+-]digits[.digits].
func isNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && digits > 0 && i+1 < len(s):
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// maxCellUnits is the most a spreadsheet cell holds: 32,767 UTF-16 code
// units.
const maxCellUnits = 32767

// cutMark ends a cell cut to fit.
const cutMark = " … [cut: too long for one cell; the Answers sheet has it all]"

// fit cuts s to fit in one spreadsheet cell, saying so at the end.
func fit(s string) string {
	if len(s) <= maxCellUnits || utf16Len(s) <= maxCellUnits {
		return s // a byte of UTF-8 is at most one UTF-16 unit
	}
	limit, units := maxCellUnits-utf16Len(cutMark), 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > limit {
			return s[:i] + cutMark
		}
	}
	return s
}

// utf16Len returns how many UTF-16 code units s takes.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
