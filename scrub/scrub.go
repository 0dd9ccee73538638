// Package scrub removes personal details from free text: what participants
// type may name them, or someone else, and that must never reach a digest
// quote or a research export.
//
// A Scrubber replaces each detail it finds with a placeholder in square
// brackets, such as [email] or [phone], so a reader can still follow the
// sentence. It errs on the side of removing: a false alarm costs a word, a
// miss can cost someone their anonymity. Ordinary numbers ("ill for 10
// years", "2 or 3 times", "since 2019") are left alone.
//
// The rules read the text normalised (NFKC, zero-width characters
// removed, every space a plain space, digits of any script ASCII), so
// "０７７００ ９００１２３" is a phone number too; what they find is
// replaced in the original text, and the rest is kept as it was typed.
//
// Text is idempotent: scrubbing scrubbed text changes nothing, and the
// placeholders themselves are never scrubbed again, even when a configured
// name happens to be "link" or "name".
//
// It imports no other PeerVoice package.
package scrub

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The placeholders that replace personal details.
const (
	Email     = "[email]"      // an email address
	Phone     = "[phone]"      // a UK or international phone number
	Link      = "[link]"       // a URL, with or without a scheme
	Mention   = "[mention]"    // a Discord user, role or channel mention
	Invite    = "[invite]"     // a Discord invite link
	ID        = "[id]"         // a raw Discord id (a snowflake: 17 to 20 digits)
	Handle    = "[handle]"     // an @handle
	NHSNumber = "[NHS number]" // an NHS number with a valid check digit
	Postcode  = "[postcode]"   // a UK postcode
	Name      = "[name]"       // a configured name, or a listed given name after a cue ("my CPN Sarah")
)

// Placeholders lists every placeholder Text may write.
var Placeholders = []string{Email, Phone, Link, Mention, Invite, ID, Handle, NHSNumber, Postcode, Name}

// Scrubber removes personal details from free text. It is safe for
// concurrent use.
type Scrubber struct {
	names *regexp.Regexp // nil when no names are configured
	// firstWords are the names' first words in lower case, to look for
	// before running names; unicodeNames is set when a name is not all
	// ASCII, which turns that look off.
	firstWords   []string
	unicodeNames bool
}

// New returns a Scrubber; names are extra names to remove (from config),
// matched case-insensitively on word boundaries. A name of several words
// matches with any spacing between them. Names shorter than two letters are
// ignored: one letter would remove every "a" and "I".
func New(names []string) *Scrubber {
	s := &Scrubber{}
	seen := map[string]bool{}
	var pats []string
	for _, n := range names {
		words := strings.Fields(n)
		if len(words) == 0 || utf8.RuneCountInString(strings.Join(words, "")) < 2 {
			continue
		}
		for _, r := range n {
			if r >= utf8.RuneSelf {
				s.unicodeNames = true
			}
		}
		s.firstWords = append(s.firstWords, strings.ToLower(words[0]))
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		p := strings.Join(words, `\s+`)
		if key := strings.ToLower(p); !seen[key] {
			seen[key] = true
			pats = append(pats, p)
		}
	}
	if len(pats) > 0 {
		// Longest first, so "Mary Ann" wins over "Mary".
		sort.SliceStable(pats, func(i, j int) bool { return len(pats[i]) > len(pats[j]) })
		s.names = regexp.MustCompile(`(?i)(?:` + strings.Join(pats, "|") + `)`)
	}
	return s
}

// Text returns s with personal details replaced by placeholders such as
// [email], [phone], [link], [mention], [invite], [handle], [NHS number],
// [postcode], [name].
func (s *Scrubber) Text(text string) string {
	// One pass almost always finds everything; passes repeat until nothing
	// changes, which makes Text idempotent by construction. Every changing
	// pass turns at least one character outside placeholders into a
	// placeholder, so this ends within len(text)+1 passes; the rules are
	// written so that it takes at most three (the fuzz test checks).
	// The rules read the text normalised (normalize.go); ASCII needs none.
	if isASCII(text) {
		out, _ := s.text(text)
		return out
	}
	n := normalize(text)
	out, _ := s.text(n.text)
	return n.restore(out)
}

// text is Text, also returning how many passes it took.
func (s *Scrubber) text(text string) (string, int) {
	for i := 1; ; i++ {
		out := s.pass(text)
		if out == text {
			return out, i
		}
		text = out
	}
}

// placeholderRe finds the placeholders in text, which passes leave alone.
var placeholderRe = func() *regexp.Regexp {
	q := make([]string, len(Placeholders))
	for i, p := range Placeholders {
		q[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(q, "|"))
}()

// pass scrubs the text between placeholders once.
func (s *Scrubber) pass(text string) string {
	return betweenPlaceholders(text, s.segment)
}

// betweenPlaceholders applies f to the runs of text outside placeholders.
func betweenPlaceholders(text string, f func(string) string) string {
	if strings.IndexByte(text, '[') < 0 {
		return f(text)
	}
	locs := placeholderRe.FindAllStringIndex(text, -1)
	if locs == nil {
		return f(text)
	}
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for _, l := range locs {
		b.WriteString(f(text[prev:l[0]]))
		b.WriteString(text[l[0]:l[1]])
		prev = l[1]
	}
	b.WriteString(f(text[prev:]))
	return b.String()
}

// segment applies every rule, in order, to text that holds no placeholder.
// The order matters: mentions and invites before links, emails before links
// and handles, links before numbers (a URL may hold digits), configured names, then
// given names after a cue ("my CPN Sarah"), last.
func (s *Scrubber) segment(t string) string {
	if t == "" {
		return t
	}
	if strings.IndexByte(t, '<') >= 0 {
		t = replaceAll(mentionRe, t, Mention)
	}
	if strings.IndexByte(t, '/') >= 0 {
		t = replaceAll(inviteRe, t, Invite)
	}
	if strings.IndexByte(t, '@') >= 0 {
		t = replaceAll(emailRe, t, Email)
	}
	if mayHoldLink(t) {
		t = links(t)
	}
	if strings.IndexByte(t, '@') >= 0 {
		t = handles(t)
	}
	if hasDigit(t) {
		t = numbers(t)
		if mayHoldPostcode(t) {
			t = replaceAll(postcodeRe, t, Postcode)
		}
	}
	if s.names != nil && s.mayHoldName(t) {
		t = betweenPlaceholders(t, s.replaceNames)
	}
	if strings.IndexByte(t, ' ') >= 0 {
		t = betweenPlaceholders(t, thirdParties)
	}
	return t
}

// The regular expressions cost far more than a look at the bytes, and most
// answers hold nothing to scrub, so each rule first checks cheaply that a
// match is possible. These checks may say yes wrongly, never no.

// mayHoldLink reports whether t has "://", or a dot between a letter or
// digit and a letter, as every link does ("www.", "mind.org").
func mayHoldLink(t string) bool {
	for i := 1; i+1 < len(t); i++ {
		switch t[i] {
		case '.':
			if isAlnum(t[i-1]) && isLetter(t[i+1]) {
				return true
			}
		case ':':
			if t[i+1] == '/' {
				return true
			}
		}
	}
	return false
}

// mayHoldPostcode reports whether t has a digit followed by two letters,
// as every postcode's second half is.
func mayHoldPostcode(t string) bool {
	for i := 0; i+2 < len(t); i++ {
		if isDigit(t[i]) && isLetter(t[i+1]) && isLetter(t[i+2]) {
			return true
		}
	}
	return false
}

var (
	mentionRe = regexp.MustCompile(`<(?:@[!&]?|#)[0-9]{1,20}>`)
	inviteRe  = regexp.MustCompile(`(?i)(?:https?://)?(?:www\.)?(?:discord(?:app)?\.com/invite|discord\.gg|dsc\.gg)/[a-z0-9-]+`)
	emailRe   = regexp.MustCompile(`[\p{L}\p{N}._%+'-]*[\p{L}\p{N}_%+-]@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}`)
	// linkRe finds URLs with a scheme, starting www., or a bare domain with
	// a well-known top-level domain (so "e.g." or "file.txt" stay).
	linkRe = regexp.MustCompile(`(?i)\b(?:` +
		`(?:https?|ftp)://[^\s<>"]+` +
		`|www\.[^\s<>"]+` +
		`|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:` + tlds + `)\b(?:[/?#][^\s<>"]*)?` +
		`)`)
	handleRe = regexp.MustCompile(`@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]{0,30}[\p{L}\p{N}_])?`)
	// postcodeRe matches every valid UK postcode format (A9 9AA, A99 9AA,
	// AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA, and GIR 0AA), in any case, with
	// or without the space, using the letters each position allows.
	postcodeRe = regexp.MustCompile(`(?i)\b(?:(?:` +
		`[A-PR-UWYZ][0-9]{1,2}` +
		`|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}` +
		`|[A-PR-UWYZ][0-9][A-HJKPSTUW]` +
		`|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]` +
		`) ?[0-9][ABD-HJLNP-UW-Z]{2}|GIR ?0AA)\b`)
)

// tlds are the top-level domains a bare domain needs to count as a link.
// Short ones that are also common words or abbreviations (to, in, it, so,
// am, no, is) are left out.
const tlds = `com|org|net|edu|gov|uk|co|io|gg|ly|me|info|biz|app|dev|tv|us|ca|au|nz|ie|eu|de|fr|nl|be|ch|xyz|online|site|link|ai|fm|cc|ws|page|blog|shop|social|chat`

// replaceAll replaces every match of re in t with placeholder.
func replaceAll(re *regexp.Regexp, t, placeholder string) string {
	locs := re.FindAllStringIndex(t, -1)
	if locs == nil {
		return t
	}
	return splice(t, locs, placeholder)
}

// splice replaces the ranges locs (in order, not overlapping) of t with
// placeholder.
func splice(t string, locs [][]int, placeholder string) string {
	var b strings.Builder
	b.Grow(len(t))
	prev := 0
	for _, l := range locs {
		b.WriteString(t[prev:l[0]])
		b.WriteString(placeholder)
		prev = l[1]
	}
	b.WriteString(t[prev:])
	return b.String()
}

// links replaces URLs, leaving out punctuation that ends the sentence
// rather than the URL ("see www.mind.org.uk.").
func links(t string) string {
	locs := linkRe.FindAllStringIndex(t, -1)
	if locs == nil {
		return t
	}
	for _, l := range locs {
		l[1] = trimURLEnd(t[l[0]:l[1]]) + l[0]
	}
	return splice(t, locs, Link)
}

// trimURLEnd returns the length of u without trailing punctuation; a
// closing bracket stays when the URL opened it, as Wikipedia's do.
func trimURLEnd(u string) int {
	for len(u) > 0 {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(`.,;:!?'"*`, c) >= 0:
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		case c == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
		default:
			return len(u)
		}
		u = u[:len(u)-1]
	}
	return 0
}

// handles replaces @handles that do not follow a letter, digit or dot
// (which would make them part of a word or address). A handle right after
// another follows a placeholder once that is replaced, so it counts too:
// "@a@b" is two handles, found in one pass.
func handles(t string) string {
	locs := handleRe.FindAllStringIndex(t, -1)
	keep := locs[:0]
	last := -1
	for _, l := range locs {
		r, _ := utf8.DecodeLastRuneInString(t[:l[0]])
		if l[0] == 0 || l[0] == last || !(isWordRune(r) || strings.ContainsRune(".@/\\", r)) {
			keep = append(keep, l)
			last = l[1]
		}
	}
	if len(keep) == 0 {
		return t
	}
	return splice(t, keep, Handle)
}

// isWordRune reports whether r can be part of a word.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isLetter(c) || isDigit(c) }

func hasDigit(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] >= '0' && t[i] <= '9' {
			return true
		}
	}
	return false
}
