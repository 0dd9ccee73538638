package terminal

import "testing"

func TestPlain(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"**About this study**", "About this study"},
		{"__About__ this", "About this"},
		{"Some *stress* and _care_ here", "Some stress and care here"},
		{"*a* *b*", "a b"},
		{"~~old~~ new", "old new"},
		{"snake_case_name and 2*3*4", "snake_case_name and 2*3*4"},
		{`a \*literal\* star`, "a *literal* star"},
		{"- Taking part\n- Stopping", "• Taking part\n• Stopping"},
		{"* one\n  + nested", "• one\n  • nested"},
		{"1. first\n2. second", "1. first\n2. second"},
		{"## Who we are ##", "Who we are"},
		{"> a quote", "  │ a quote"},
		{"Read [the leaflet](https://example.org/leaflet).", "Read the leaflet (https://example.org/leaflet)."},
		{"[https://example.org](https://example.org)", "https://example.org"},
		{"Mail <mailto:study@example.org> or <https://example.org>", "Mail mailto:study@example.org or https://example.org"},
		{"[study@example.org](mailto:study@example.org)", "mailto:study@example.org"},
		{"Type `help` for **help**", "Type help for help"},
		{"Code `**kept**` as written", "Code **kept** as written"},
		{"An odd ` backtick and **bold**", "An odd ` backtick and bold"},
		{"```\ncode\n```", "code"},
		{"above\n---\nbelow", "above\n────────\nbelow"},
		{"plain text, nothing to do.", "plain text, nothing to do."},
	} {
		if got := plain(tc.in); got != tc.want {
			t.Errorf("plain(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
