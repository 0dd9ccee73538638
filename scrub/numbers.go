package scrub

import "strings"

// numbers replaces raw Discord ids, NHS numbers and phone numbers. It walks
// the text once, trying each place a number starts: a run of digits, or a
// '+' or '(' before one. Runs of digits that are none of these (years,
// counts, doses, dates) are left as they are.
func numbers(t string) string {
	var b strings.Builder
	prev, changed := 0, false
	for i := 0; i < len(t); {
		c := t[i]
		startsNumber := isDigit(c) || (c == '+' || c == '(') && i+1 < len(t) && (isDigit(t[i+1]) || t[i+1] == '+')
		if !startsNumber || i > 0 && isDigit(t[i-1]) {
			i++
			continue
		}
		end, placeholder := number(t, i)
		if end < 0 {
			// After a '+' or '(', try the digits that follow; after a
			// digit, skip the rest of its run: no number starts inside one.
			i++
			for isDigit(c) && i < len(t) && isDigit(t[i]) {
				i++
			}
			continue
		}
		if !changed {
			b.Grow(len(t))
			changed = true
		}
		b.WriteString(t[prev:i])
		b.WriteString(placeholder)
		prev, i = end, end
	}
	if !changed {
		return t
	}
	b.WriteString(t[prev:])
	return b.String()
}

// number reports whether a raw id, an NHS number or a phone number starts at
// t[i], returning where it ends and its placeholder, or -1.
func number(t string, i int) (int, string) {
	if isDigit(t[i]) {
		run := digitRun(t, i)
		if n := run - i; n >= 17 && n <= 20 {
			return run, ID
		}
		if end := nhsNumber(t, i); end > 0 {
			return end, NHSNumber
		}
	}
	if end := phone(t, i); end > 0 {
		return end, Phone
	}
	return -1, ""
}

// nhsNumber returns the end of an NHS number at t[i] (ten digits, written
// together or spaced 3-3-4 with spaces or dashes) whose check digit is
// valid, or -1. A ten-digit number that fails the check is not an NHS
// number, though it may still be a phone number.
func nhsNumber(t string, i int) int {
	var d [10]byte
	var end int
	switch run := digitRun(t, i); run - i {
	case 10:
		copy(d[:], t[i:run])
		end = run
	case 3:
		// 3-3-4, with the same separator twice.
		if run+1 >= len(t) || t[run] != ' ' && t[run] != '-' {
			return -1
		}
		sep := t[run]
		g2 := digitRun(t, run+1)
		if g2-(run+1) != 3 || g2+1 >= len(t) || t[g2] != sep {
			return -1
		}
		g3 := digitRun(t, g2+1)
		if g3-(g2+1) != 4 {
			return -1
		}
		copy(d[0:3], t[i:run])
		copy(d[3:6], t[run+1:g2])
		copy(d[6:10], t[g2+1:g3])
		end = g3
	default:
		return -1
	}
	if !ValidNHSNumber(string(d[:])) {
		return -1
	}
	return end
}

// ValidNHSNumber reports whether s, ten digits, has a valid NHS number
// check digit (modulus 11: weights 10 down to 2 on the first nine digits;
// 11 minus the remainder is the check digit, 11 reads as 0, and 10 means
// the number is not valid).
func ValidNHSNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	for k := 0; k < 10; k++ {
		if !isDigit(s[k]) {
			return false
		}
		if k < 9 {
			sum += int(s[k]-'0') * (10 - k)
		}
	}
	check := 11 - sum%11
	switch check {
	case 11:
		check = 0
	case 10:
		return false
	}
	return int(s[9]-'0') == check
}

// phone returns the end of the longest phone number starting at t[i], or
// -1. A phone number is groups of digits separated by single spaces,
// dashes, dots or brackets, and is either
//   - international: a leading + and 7 to 16 digits ("+1 415 555 2671",
//     "+44 (0)20 7946 0018"), or 00 and 10 to 17 digits;
//   - UK national: a leading 0 and 10 or 11 digits, the first group at
//     least 3 digits and the others at least 2 ("07700 900123",
//     "(020) 7946 0018", "0800 123 456", "0161-496-0000"), so dates such as
//     01 02 2019 are not taken for one.
func phone(t string, i int) int {
	p := i
	open := false
	if t[p] == '(' {
		open = true
		p++
	}
	plus := p < len(t) && t[p] == '+'
	if plus {
		p++
	}
	if p >= len(t) || !isDigit(t[p]) {
		return -1
	}
	var (
		ends   []int // where each group of digits ends
		counts []int // digits so far at the end of each group
		sizes  []int
		first  []byte // the first two digits
		total  int
	)
	for {
		e := digitRun(t, p)
		if e == p {
			break
		}
		for k := p; k < e && len(first) < 2; k++ {
			first = append(first, t[k])
		}
		total += e - p
		ends, counts, sizes = append(ends, e), append(counts, total), append(sizes, e-p)
		if total > 17 {
			break
		}
		next, ok := separator(t, e)
		if !ok {
			break
		}
		p = next
	}
	for g := len(ends) - 1; g >= 0; g-- {
		n := counts[g]
		var ok bool
		switch {
		case plus:
			ok = n >= 7 && n <= 16
		case len(first) == 2 && first[0] == '0' && first[1] == '0':
			ok = n >= 10 && n <= 17
		case first[0] == '0':
			ok = (n == 10 || n == 11) && (g == 0 || sizes[0] >= 3)
			for k := 1; ok && k <= g; k++ {
				ok = sizes[k] >= 2
			}
		}
		if !ok {
			continue
		}
		end := ends[g]
		if open && !strings.Contains(t[i:end], ")") {
			return -1 // the bracket is not the number's: let the digits after it be tried
		}
		return end
	}
	return -1
}

// separator returns where the next group of digits starts after a group
// ending at t[e]: one to three characters from " -.()" such as " ", "-",
// ") ", " (" or "(0)"'s brackets, with no two dots or dashes.
func separator(t string, e int) (int, bool) {
	k, dots, dashes, spaces := e, 0, 0, 0
	for k < len(t) && k-e < 3 && strings.IndexByte(" -.()", t[k]) >= 0 {
		switch t[k] {
		case '.':
			dots++
		case '-':
			dashes++
		case ' ':
			spaces++
		}
		k++
	}
	if k == e || k >= len(t) || !isDigit(t[k]) || dots > 1 || dashes > 1 || spaces > 2 {
		return 0, false
	}
	return k, true
}

// digitRun returns the end of the run of digits starting at t[i].
func digitRun(t string, i int) int {
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
