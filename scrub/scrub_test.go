package scrub_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peervoice/peervoice/scrub"
)

func TestText(t *testing.T) {
	s := scrub.New([]string{"Sam", "Dr Okafor", "Zoë", "Mary Ann", "link", "x"})
	tests := []struct{ in, want string }{
		// Emails.
		{"email me at sam.smith+pv@example.co.uk please", "email me at [email] please"},
		{"SAM@EXAMPLE.COM", "[email]"},
		{"o'neil@mail.ie, bob@x.org.", "[email], [email]."},
		{"(jo_b@uni.ac.uk)", "([email])"},
		{"zoë@exämple.de", "[email]"},

		// UK phone numbers.
		{"call 07700 900123 anytime", "call [phone] anytime"},
		{"07700900123", "[phone]"},
		{"07700-900-123", "[phone]"},
		{"07700.900.123", "[phone]"},
		{"+44 7700 900123", "[phone]"},
		{"+447700900123", "[phone]"},
		{"+44 (0)7700 900123", "[phone]"},
		{"(020) 7946 0018", "[phone]"},
		{"020 7946 0018", "[phone]"},
		{"0161 496 0000", "[phone]"},
		{"0161-496-0000.", "[phone]."},
		{"01632 960001", "[phone]"},
		{"0800 123 4567", "[phone]"},
		{"0800 123 456", "[phone]"},
		{"freephone 0800-123-4567!", "freephone [phone]!"},
		{"0044 7700 900123", "[phone]"},
		{"my number (07700 900123) is new", "my number ([phone]) is new"},
		{"tel:07700900123", "tel:[phone]"},
		// A ten-digit number starting 0 that fails the NHS check is a phone.
		{"0123456788", "[phone]"},

		// International.
		{"+1 415 555 2671", "[phone]"},
		{"+1 (415) 555-2671", "[phone]"},
		{"+33 1 23 45 67 89", "[phone]"},
		{"+49 30 901820", "[phone]"},
		{"+353 1 234 5678.", "[phone]."},

		// URLs.
		{"see https://www.mind.org.uk/information-support/ for more", "see [link] for more"},
		{"http://example.com/a?b=c#d", "[link]"},
		{"www.rethink.org.", "[link]."},
		{"my blog is sams-blog.wordpress.com/about", "my blog is [link]"},
		{"youtu.be/dQw4w9WgXcQ", "[link]"},
		{"bit.ly/3abc, then", "[link], then"},
		{"(https://en.wikipedia.org/wiki/Recovery_(mental_health))", "([link])"},
		{"ftp://files.example.net/x", "[link]"},

		// Discord.
		{"thanks <@123456789012345678>!", "thanks [mention]!"},
		{"<@!123456789012345678> <@&987654321098765432> <#112233445566778899>", "[mention] [mention] [mention]"},
		{"my id is 123456789012345678", "my id is [id]"},
		{"12345678901234567 and 12345678901234567890", "[id] and [id]"},
		{"join discord.gg/abc123 now", "join [invite] now"},
		{"https://discord.gg/Abc-123", "[invite]"},
		{"https://discord.com/invite/abc123.", "[invite]."},
		{"discordapp.com/invite/xyz", "[invite]"},

		// Handles.
		{"follow @sam_the_man on there", "follow [handle] on there"},
		{"@jo.b: thanks", "[handle]: thanks"},
		{"ask @Dr_Who.", "ask [handle]."},
		{"meet @ 5", "meet @ 5"},

		// NHS numbers.
		{"NHS number 943 476 5919", "NHS number [NHS number]"},
		{"9434765919", "[NHS number]"},
		{"943-476-5919.", "[NHS number]."},
		{"nhs no:4505577104", "nhs no:[NHS number]"},
		// Fails the check digit: not an NHS number, and not a phone.
		{"943 476 5918", "943 476 5918"},
		{"9434765918", "9434765918"},

		// Postcodes.
		{"I live in SW1A 1AA", "I live in [postcode]"},
		{"sw1a1aa", "[postcode]"},
		{"M1 1AE, B33 8TH, CR2 6XH, DN55 1PT", "[postcode], [postcode], [postcode], [postcode]"},
		{"W1A 0AX and EC1A 1BB", "[postcode] and [postcode]"},
		{"ec1a1bb", "[postcode]"},
		{"GIR 0AA", "[postcode]"},
		{"near le1 7rh.", "near [postcode]."},

		// Names.
		{"Sam said hi", "[name] said hi"},
		{"I told SAM and sam's mum", "I told [name] and [name]'s mum"},
		{"Samantha is not Sam", "Samantha is not [name]"},
		{"Dr  Okafor listened", "[name] listened"},
		{"dr okafor", "[name]"},
		{"zoë and ZOË", "[name] and [name]"},
		{"Mary Ann and Mary", "[name] and Mary"},
		{"the link is here", "the [name] is here"},
		{"x marks the spot", "x marks the spot"}, // one-letter names are ignored

		// Not personal details: ordinary numbers stay.
		{"I've been ill for 10 years", "I've been ill for 10 years"},
		{"2 or 3 times a week", "2 or 3 times a week"},
		{"since 2019, and in 2020-2021", "since 2019, and in 2020-2021"},
		{"on 01/02/2019 and 01.02.2019 at 10:30", "on 01/02/2019 and 01.02.2019 at 10:30"},
		{"on 01 02 2019 12 times", "on 01 02 2019 12 times"},
		{"50mg, then 0.5 mg, £1,000 and 100,000 people", "50mg, then 0.5 mg, £1,000 and 100,000 people"},
		{"score +5 or -3", "score +5 or -3"},
		{"call Samaritans on 116 123", "call Samaritans on 116 123"},
		{"e.g. this, i.e. that, file.txt", "e.g. this, i.e. that, file.txt"},
		{"B12 and vitamin D3", "B12 and vitamin D3"},
		{"1234567890123456", "1234567890123456"},
		{"", ""},

		// Placeholders are never scrubbed again.
		{"[link] [name] [NHS number] [email]", "[link] [name] [NHS number] [email]"},
	}
	for _, tt := range tests {
		if got := s.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestNoNames(t *testing.T) {
	s := scrub.New(nil)
	if got, want := s.Text("Sam emailed sam@example.com"), "Sam emailed [email]"; got != want {
		t.Errorf("Text = %q; want %q", got, want)
	}
	s = scrub.New([]string{"", "  ", "a"})
	if got, want := s.Text("a Sam"), "a Sam"; got != want {
		t.Errorf("Text with empty names = %q; want %q", got, want)
	}
}

func TestValidNHSNumber(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"9434765919", true},
		{"4505577104", true},
		{"0123456789", true},
		{"9434765918", false},
		{"9434765910", false},
		{"1000000001", true},
		{"0000000060", false}, // the check would be 10
		{"0000000061", false},
		{"943476591", false},
		{"943476591x", false},
	}
	for _, tt := range tests {
		if got := scrub.ValidNHSNumber(tt.in); got != tt.want {
			t.Errorf("ValidNHSNumber(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// TestLongText checks a longer answer mixing details and ordinary words.
func TestLongText(t *testing.T) {
	s := scrub.New([]string{"Priya"})
	in := "My care coordinator Priya (priya.k@nhs.net, 020 7946 0018) said I'd been unwell for 10 years. " +
		"Ring me on +44 7700 900123 or find me @priya_k; I'm at M1 1AE. NHS no 943 476 5919. " +
		"More at www.example.org/recovery, or discord.gg/peers, or <@123456789012345678>."
	got := s.Text(in)
	for _, leak := range []string{"Priya", "priya", "nhs.net", "7946", "7700", "M1 1AE", "5919", "example.org", "peers", "1234567890"} {
		if strings.Contains(got, leak) {
			t.Errorf("Text(...) = %q; still holds %q", got, leak)
		}
	}
	if !strings.Contains(got, "unwell for 10 years") {
		t.Errorf("Text(...) = %q; lost the ordinary number", got)
	}
}

func FuzzText(f *testing.F) {
	for _, seed := range []string{
		"call 07700 900123", "sam@example.com", "+44 (0)20 7946 0018", "943 476 5919", "SW1A 1AA",
		"<@123456789012345678>", "discord.gg/x", "@handle", "www.x.com.", "Sam and link", "[name]@x.com",
		"ill for 10 years", "01 02 2019", "(((0", "++44", "[[email]]", "\xff\xfe", "Zoë",
	} {
		f.Add(seed)
	}
	s := scrub.New([]string{"Sam", "link", "NHS", "Mary Ann", "Zoë"})
	f.Fuzz(func(t *testing.T, in string) {
		once := s.Text(in)
		if n := scrub.Passes(s, in); n > 3 {
			t.Fatalf("Text(%q) took %d passes; want at most 3", in, n)
		}
		if twice := s.Text(once); twice != once {
			t.Fatalf("not idempotent:\nText(%q) = %q\nText(%q) = %q", in, once, once, twice)
		}
		if utf8.ValidString(in) && !utf8.ValidString(once) {
			t.Fatalf("Text(%q) = %q: invalid UTF-8 from valid input", in, once)
		}
	})
}

// corpus is a mix of answers like participants write: most hold nothing
// to scrub.
var corpus = []string{
	"Getting my life back on my own terms, with people who listen to me rather than just ticking boxes.",
	"I've been ill for 10 years and seen 2 or 3 different psychiatrists. None of them asked what I wanted.",
	"My care coordinator changes every few months so I have to tell my story again and again.",
	"Ring me on 07700 900123 if you want to know more, or email sam.smith@example.com.",
	"Peer support groups, walking, my cat, and the crisis team when they actually pick up the phone.",
	"Being treated as a person and not a risk. Since 2019 it has got a bit better but not much.",
	"I found www.mind.org.uk useful, and the people on discord.gg/peers helped more than my GP.",
	"Medication helped a bit but the side effects (weight gain, 20kg in 2 years) were never discussed.",
}

func BenchmarkText(b *testing.B) {
	s := scrub.New([]string{"Sam", "Priya", "Dr Okafor"})
	bytes := 0
	for _, c := range corpus {
		bytes += len(c)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range corpus {
			s.Text(c)
		}
	}
	b.ReportMetric(float64(b.N*len(corpus))/b.Elapsed().Seconds(), "texts/s")
}

// BenchmarkPathological times Text on the inputs of TestPathologicalInputs,
// a few kilobytes each (go test -run '^$' -bench Pathological ./scrub/).
func BenchmarkPathological(b *testing.B) {
	s := scrub.New(pathologicalNames)
	for _, tt := range pathological {
		b.Run(strings.ReplaceAll(tt.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(tt.in)))
			for b.Loop() {
				s.Text(tt.in)
			}
		})
	}
}
