package scrub

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// givenNamesText is the embedded list of common given names, one a line;
// a leading ~ marks a name that is also an English word (Will, Hope, May,
// Rose), which counts only when written with a capital.
//
// Source: Faker's English person providers, as Debian packages them in
// python3-fake-factory 0.9.3-2 (faker/providers/person/{en_GB,en_US,en}):
// en_GB from the Office for National Statistics' baby-name tables for
// England and Wales, en_US from the US Social Security Administration's
// most popular names of the 1960s to 1990s, en without a stated origin.
// Licence: Expat (MIT), Copyright 2012 Daniele Faraglia, as recorded in
// Debian's copyright file for the package. Only names of two or more
// letters of the form Xxxx were kept (6,832). A name is marked ~ when its
// lower-case form is a word of Debian's wbritish 2020.12.07-2 word list
// (SCOWL, Kevin Atkinson and others; permissive licence), used only to
// make the marks.
//
//go:embed givennames.txt
var givenNamesText string

// givenNames maps a lower-case given name to whether it needs a capital
// to count (it is also an ordinary word).
var givenNames = func() map[string]bool {
	m := make(map[string]bool, 7000)
	for _, line := range strings.Split(givenNamesText, "\n") {
		if line == "" {
			continue
		}
		word, ambiguous := strings.CutPrefix(line, "~")
		m[strings.ToLower(word)] = ambiguous
	}
	return m
}()

// cueRe finds the words that introduce a third party's given name: a
// worker or relative after a possessive or article ("my CPN", "her mum",
// "a nurse"), or "called", "named" and "name is". The name itself is
// checked against the list: "my mum said" and "a nurse called back" stay.
var cueRe = regexp.MustCompile(`(?i)\b(?:(?:(?:my|our|his|her|their|your|a|an|the|and)\s+(?:(?:new|old|ex|former|current|last|own|lovely|best|little|big|older|younger|eldest|youngest|step|late)[\s-]+)?(?:` + cues + `))|called|named|name\s+is|name's|known\s+as)\b[,:]?\s+`)

// cues are the people a participant may name: workers and relatives.
const cues = `cpn|nurse|doctor|dr|gp|psychiatrist|psychologist|therapist|counsell?or|consultant|worker|social\s+worker|support\s+worker|key\s*worker|peer\s+worker|case\s*worker|care\s+co-?ordinator|co-?ordinator|carer|ot|physio|midwife|health\s+visitor|pharmacist|paramedic|officer|advocate|mentor|sponsor|tutor|teacher|boss|manager|colleague|friend|mate|buddy|flatmate|housemate|roommate|neighbou?r|mum|mom|mam|mummy|mother|dad|daddy|father|parent|brother|sister|bro|sis|son|daughter|child|kid|baby|wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|ex|aunt|auntie|aunty|uncle|nan|nana|nanna|gran|granny|grandma|grandmother|grandad|granddad|grandpa|grandfather|cousin|niece|nephew|stepmum|stepmom|stepdad|vicar|priest`

// thirdParties replaces given names that follow a cue, with a capitalised
// word after one (a surname) and further names joined by "and" or commas:
// "my mum Julie Smith and Tom" becomes "my mum [name] and [name]".
func thirdParties(t string) string {
	if !mayNameSomeone(t) {
		return t
	}
	return cuedNames(t)
}

// cuedNames is thirdParties without its cheap first look.
func cuedNames(t string) string {
	var locs [][]int
	for _, m := range cueRe.FindAllStringIndex(t, -1) {
		pos := m[1]
		for {
			end, ok := nameAt(t, pos)
			if !ok {
				break
			}
			if len(locs) > 0 && locs[len(locs)-1][1] > pos {
				break
			}
			locs = append(locs, []int{pos, end})
			rest := t[end:]
			sep := 0
			for _, s := range []string{" and ", ", and ", ", ", " & "} {
				if strings.HasPrefix(strings.ToLower(rest), s) {
					sep = len(s)
					break
				}
			}
			if sep == 0 {
				break
			}
			pos = end + sep
		}
	}
	if locs == nil {
		return t
	}
	return splice(t, locs, Name)
}

// mayNameSomeone reports whether any word of t is a listed given name
// (as nameAt reads one: a whole run of letters, an ambiguous name only with
// a capital). Most answers name no one, and one look-up per word costs far
// less than cueRe over the text; a name can only follow a cue at the start
// of such a word, so when this says no, thirdParties has nothing to do.
func mayNameSomeone(t string) bool {
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		end := wordEnd(t, i)
		if end-i >= 2 && (end == len(t) || !isWordRune(rune(t[end]))) {
			if ambiguous, ok := lookUpName(t[i:end]); ok && (!ambiguous || unicode.IsUpper(r)) {
				return true
			}
		}
		i = end
	}
	return false
}

// nameAt reports whether a listed given name starts at t[pos], and where
// it ends, taking in a capitalised word after it (a surname).
func nameAt(t string, pos int) (int, bool) {
	end := wordEnd(t, pos)
	word := t[pos:end]
	if utf8.RuneCountInString(word) < 2 {
		return 0, false
	}
	ambiguous, ok := lookUpName(word)
	r, _ := utf8.DecodeRuneInString(word)
	if !ok || ambiguous && !unicode.IsUpper(r) {
		return 0, false
	}
	if end < len(t) && isWordRune(rune(t[end])) {
		return 0, false
	}
	// A surname: one more capitalised word of two or more letters.
	if end+1 < len(t) && t[end] == ' ' {
		next, _ := utf8.DecodeRuneInString(t[end+1:])
		if unicode.IsUpper(next) {
			if e := wordEnd(t, end+1); utf8.RuneCountInString(t[end+1:e]) >= 2 {
				end = e
			}
		}
	}
	return end, true
}

// lookUpName looks word up in givenNames by its nameKey. An ASCII word of
// up to 32 letters, which most are, is lowered into a buffer on the stack
// rather than a new string: this runs for every word of every answer.
func lookUpName(word string) (ambiguous, ok bool) {
	var buf [32]byte
	if len(word) > len(buf) || !isASCII(word) {
		ambiguous, ok = givenNames[nameKey(word)]
		return ambiguous, ok
	}
	k := buf[:len(word)]
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		k[i] = c
	}
	ambiguous, ok = givenNames[string(k)] // no allocation for the look-up
	return ambiguous, ok
}

// nameKey is the list's form of a word: lower case, without accents, so
// Siobhán and Zoë match Siobhan and Zoe.
func nameKey(word string) string {
	if isASCII(word) {
		return strings.ToLower(word)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(word) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// wordEnd returns where the run of letters starting at t[pos] ends.
func wordEnd(t string, pos int) int {
	end := pos
	for end < len(t) {
		r, size := utf8.DecodeRuneInString(t[end:])
		if !unicode.IsLetter(r) {
			break
		}
		end += size
	}
	return end
}
