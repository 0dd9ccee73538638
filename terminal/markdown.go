package terminal

import (
	"regexp"
	"strings"
)

// plain turns the Markdown of the study information and of flows'
// introductions, prompts and endings (Discord shows them formatted) into
// text that reads well in a terminal: emphasis, code and heading marks
// go, list items keep a bullet (•, as the support resources have), quotes are indented, and links show
// their address as "text (url)". It is not a full CommonMark renderer;
// it covers what the study information and flow files use.
func plain(md string) string {
	md = escapes.Replace(md)
	lines := strings.Split(md, "\n")
	out := lines[:0]
	for _, l := range lines {
		switch {
		case fence.MatchString(l):
			continue // keep a code block's lines, drop its fences
		case rule.MatchString(l):
			l = "────────"
		default:
			l = block(l)
		}
		out = append(out, l)
	}
	return unescapes.Replace(strings.Join(out, "\n"))
}

var (
	fence     = regexp.MustCompile("^\\s*(```|~~~)")
	rule      = regexp.MustCompile(`^\s{0,3}([-*_])(\s*([-*_])){2,}\s*$`)
	heading   = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)(\s+#+)?\s*$`)
	bullet    = regexp.MustCompile(`^(\s*)[-*+]\s+(.*)$`)
	quote     = regexp.MustCompile(`^\s{0,3}>\s?(.*)$`)
	link      = regexp.MustCompile(`!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	autolink  = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	bold      = regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*`)
	bold2     = regexp.MustCompile(`__(\S(?:.*?\S)?)__`)
	italic    = regexp.MustCompile(`(^|[^\p{L}\p{N}*])\*(\S(?:[^*]*?\S)?)\*($|[^\p{L}\p{N}*])`)
	underline = regexp.MustCompile(`(^|[^\p{L}\p{N}_])_(\S(?:[^_]*?\S)?)_($|[^\p{L}\p{N}_])`)
	strike    = regexp.MustCompile(`~~(\S(?:.*?\S)?)~~`)

	// Backslash escapes stand in for their characters while the marks
	// are read, so `\*` stays a star.
	escapes   = strings.NewReplacer(`\\`, "\uE000", `\*`, "\uE001", `\_`, "\uE002", "\\`", "\uE003", `\[`, "\uE004", `\]`, "\uE005", `\#`, "\uE006", `\-`, "\uE007", `\>`, "\uE008", `\~`, "\uE009")
	unescapes = strings.NewReplacer("\uE000", `\`, "\uE001", `*`, "\uE002", `_`, "\uE003", "`", "\uE004", `[`, "\uE005", `]`, "\uE006", `#`, "\uE007", `-`, "\uE008", `>`, "\uE009", `~`)
)

// block renders one line's block marks, then its inline ones.
func block(l string) string {
	if m := heading.FindStringSubmatch(l); m != nil {
		return inline(m[1])
	}
	if m := quote.FindStringSubmatch(l); m != nil {
		return "  │ " + inline(m[1])
	}
	if m := bullet.FindStringSubmatch(l); m != nil {
		return m[1] + "• " + inline(m[2])
	}
	return inline(l)
}

// inline removes emphasis marks and shows links' addresses, leaving code
// spans as they are written, without their backticks.
func inline(l string) string {
	parts := strings.Split(l, "`")
	if len(parts)%2 == 0 {
		parts = []string{l} // an unmatched backtick: not code
	}
	for i := 0; i < len(parts); i += 2 {
		parts[i] = emphasis(parts[i])
	}
	return strings.Join(parts, "")
}

func emphasis(s string) string {
	s = link.ReplaceAllStringFunc(s, func(m string) string {
		sm := link.FindStringSubmatch(m)
		text, url := strings.TrimSpace(sm[1]), sm[2]
		if text == "" || text == url || "mailto:"+text == url {
			return url
		}
		return text + " (" + url + ")"
	})
	s = autolink.ReplaceAllString(s, "$1")
	for _, re := range []*regexp.Regexp{bold, bold2, strike} {
		s = re.ReplaceAllString(s, "$1")
	}
	// Single marks: a match consumes the character on each side, so run
	// until nothing changes to catch neighbours such as "*a* *b*".
	for _, re := range []*regexp.Regexp{italic, underline} {
		for {
			next := re.ReplaceAllString(s, "$1$2$3")
			if next == s {
				break
			}
			s = next
		}
	}
	return s
}
