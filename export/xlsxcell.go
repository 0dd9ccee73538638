package export

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// rowEncoder writes rows of a big table as sheet XML, byte for byte what
// excelize's StreamWriter.SetRow writes for the same values
// (TestRowEncoderMatchesExcelize checks it against excelize itself).
//
// It exists for speed: SetRow boxes every cell in an xlsxC, allocates a
// cell name, escapes each string twice over (xml.EscapeText into a
// strings.Builder, then strings.ReplaceAll) and runs a regular expression
// on it. For a million answers that was 40% of the export's CPU, all of it
// on the one goroutine that writes. Here a row is appended to a byte slice
// with no allocation, and the cells that repeat (codes, flows, questions,
// themes, labels, yes and no) are escaped once and remembered.
type rowEncoder struct {
	cols   []string // column names: A, B, ...
	styles []string // ` s="N"` of each column with a style, else ""
	date   string   // ` s="N"` of days outside a date column
	// cells remembers the escaped tail of a cell (after its reference)
	// for short strings, which repeat; serials the same for days.
	cells   map[string]string
	serials map[day]string
	// last is each column's last string and its tail: a column often
	// holds one value for many rows running (a participant's code, a
	// flow), and comparing a string with itself costs no hashing.
	last, lastTail []string
	row            []byte // the row number being written, as text
	// guarded is set when strings are to be guarded and fitted (guard,
	// fit) before they are written, as every table of an export is.
	guarded bool
}

// text is string v as it goes in a cell.
func (e *rowEncoder) text(v string) string {
	if e.guarded {
		return fit(guard(v))
	}
	return v
}

func newRowEncoder(cols []column, dateStyle int) *rowEncoder {
	e := &rowEncoder{cells: map[string]string{}, serials: map[day]string{}, date: styleAttr(dateStyle),
		last: make([]string, len(cols)), lastTail: make([]string, len(cols))}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		e.cols = append(e.cols, name)
		s := ""
		if c.date {
			s = e.date // SetColStyle gives the column's cells the style
		}
		e.styles = append(e.styles, s)
	}
	return e
}

func styleAttr(id int) string {
	if id == 0 {
		return ""
	}
	return ` s="` + strconv.Itoa(id) + `"`
}

// maxRemembered bounds the strings remembered: they are short values that
// repeat, and a study has a few thousand at most.
const (
	maxRememberedLen = 64
	maxRemembered    = 100000
)

// appendRow appends row n of values (string, float64, int, day or nil) as
// SetRow("A"+n, values) writes it, strings guarded and fitted first when
// e.guarded. The strings that repeat are guarded once and remembered.
func (e *rowEncoder) appendRow(b []byte, n int, values []any) ([]byte, error) {
	e.row = strconv.AppendInt(e.row[:0], int64(n), 10)
	b = append(b, `<row r="`...)
	b = append(b, e.row...)
	b = append(b, `">`...)
	for i, v := range values {
		if v == nil {
			continue
		}
		b = append(b, `<c r="`...)
		b = append(b, e.cols[i]...)
		b = append(b, e.row...)
		b = append(b, '"')
		switch v := v.(type) {
		case string:
			if e.styles[i] == "" && len(v) <= maxRememberedLen {
				if v == e.last[i] && e.lastTail[i] != "" {
					b = append(b, e.lastTail[i]...)
					continue
				}
				tail, ok := e.cells[v] // remembered without a style
				if !ok {
					tail = string(appendStringTail(nil, "", e.text(v)))
					if len(e.cells) < maxRemembered {
						e.cells[v] = tail
					}
				}
				e.last[i], e.lastTail[i] = v, tail
				b = append(b, tail...)
				continue
			}
			b = appendStringTail(b, e.styles[i], e.text(v))
		case day:
			tail, ok := e.serials[v]
			if !ok {
				// A day is a number with the date style: from the
				// column in a date column, else from its own Cell.
				tail = string(appendNumberTail(nil, e.date, formatFloat(v.excelSerial())))
				e.serials[v] = tail
			}
			b = append(b, tail...)
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				b = appendStringTail(b, e.styles[i], fmt.Sprint(v))
				continue
			}
			b = appendNumberTail(b, e.styles[i], formatFloat(v))
		case int:
			b = append(b, e.styles[i]...)
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, `</v></c>`...)
		default:
			return b, fmt.Errorf("a value of type %T", v)
		}
	}
	return append(b, `</row>`...), nil
}

// appendNumberTail appends a number cell after its reference; v holds
// nothing XML escapes.
func appendNumberTail(b []byte, style, v string) []byte {
	b = append(b, style...)
	b = append(b, `><v>`...)
	b = append(b, v...)
	return append(b, `</v></c>`...)
}

// appendStringTail appends an inline string cell after its reference, as
// excelize's setInlineStr and writeCell do: cut to 32,767 UTF-16 units,
// space preserved when it begins or ends with white space, escaped as
// encoding/xml.EscapeText does but with line feeds left as they are, and
// _xHHHH_ sequences escaped (bstrMarshal).
func appendStringTail(b []byte, style, s string) []byte {
	if len(s) > excelize.TotalCellChars && utf16Len(s) > excelize.TotalCellChars {
		s = truncateUTF16(s, excelize.TotalCellChars)
	}
	b = append(b, style...)
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" {
		switch first, last := s[0], s[len(s)-1]; {
		case first == '\t' || first == '\n' || first == '\r' || first == ' ',
			last == '\t' || last == '\n' || last == '\r' || last == ' ':
			b = append(b, ` xml:space="preserve"`...)
		}
	}
	b = append(b, '>')
	start := len(b)
	b = appendEscaped(b, s)
	if strings.Contains(s, "_x") {
		// Rare: redo the escaped text through excelize's own rule.
		esc := bstrMarshal(string(b[start:]))
		b = append(b[:start], esc...)
	}
	return append(b, `</t></is></c>`...)
}

// appendEscaped appends s escaped as encoding/xml.EscapeText does, except
// that a line feed stays a line feed (excelize turns &#xA; back into one).
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x80 {
			r, width := utf8.DecodeRuneInString(s[i:])
			if !inCharacterRange(r) || (r == utf8.RuneError && width == 1) {
				b = append(b, s[last:i]...)
				b = append(b, "\uFFFD"...)
				i += width
				last = i
				continue
			}
			i += width
			continue
		}
		var esc string
		switch c {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\r':
			esc = "&#xD;"
		case '\n':
			i++
			continue
		default:
			if c < 0x20 {
				esc = "\uFFFD" // not a character XML allows
			} else {
				i++
				continue
			}
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i++
		last = i
	}
	return append(b, s[last:]...)
}

// inCharacterRange is encoding/xml's test of a character XML allows.
func inCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// truncateUTF16 cuts s to at most n UTF-16 units, as excelize does.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > n {
			return s[:i]
		}
	}
	return s
}

// formatFloat formats a number as excelize's formatCellFloat does with
// automatic precision: at most 15 significant digits, as Excel keeps.
func formatFloat(value float64) string {
	str := strconv.FormatFloat(value, 'f', -1, 64)
	if math.Abs(value) == math.MaxFloat64 {
		return str
	}
	const maxPrec = 15
	decimal := strings.IndexByte(str, '.')
	significant := 0
	for idx := range str {
		if str[idx] < '0' || str[idx] > '9' || significant == 0 && str[idx] == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if decimal >= 0 && idx > decimal {
			return strings.TrimSuffix(str[:idx], ".")
		}
		if decimal < 0 {
			decimal = len(str)
		}
		truncated := []byte(str[:decimal])
		for ; idx < len(truncated); idx++ {
			truncated[idx] = '0'
		}
		return string(truncated)
	}
	return str
}

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal is excelize's own (lib.go, v2.11.1, BSD-3-Clause), kept
// as it is so that text holding _xHHHH_ comes out exactly as SetRow
// writes it.
func bstrMarshal(s string) (result string) {
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				_, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`)
				if err == nil {
					result += subStr + "x005F" + subStr
					continue
				}
			}
			result += subStr + "x005F_"
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
				result += "_x005F" + subStr
				continue
			}
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}
