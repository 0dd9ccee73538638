package digest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParsePeriod(t *testing.T) {
	loc := london(t)
	tests := []struct {
		in, name, first, last, label, previous string
	}{
		{"2026-W47", "2026-W47", "2026-11-16", "2026-11-22", "16 to 22 November 2026", "2026-W46"},
		{"2026-W01", "2026-W01", "2025-12-29", "2026-01-04", "29 December 2025 to 4 January 2026", "2025-W52"},
		{"2020-W53", "2020-W53", "2020-12-28", "2021-01-03", "28 December 2020 to 3 January 2021", "2020-W52"},
		{"2026-W14", "2026-W14", "2026-03-30", "2026-04-05", "30 March to 5 April 2026", "2026-W13"},
		{"2026-11", "2026-11", "2026-11-01", "2026-11-30", "November 2026", "2026-10"},
		{"2026-01", "2026-01", "2026-01-01", "2026-01-31", "January 2026", "2025-12"},
	}
	for _, tt := range tests {
		p, err := digest.ParsePeriod(tt.in, loc)
		if err != nil {
			t.Errorf("ParsePeriod(%q) = %v", tt.in, err)
			continue
		}
		got := []string{p.Name, p.Start.Format("2006-01-02"), p.End.AddDate(0, 0, -1).Format("2006-01-02"), p.Label(), p.Previous().Name}
		want := []string{tt.name, tt.first, tt.last, tt.label, tt.previous}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("ParsePeriod(%q) = %v; want %v", tt.in, got, want)
		}
		if p.Start.Hour() != 0 || p.End.Hour() != 0 {
			t.Errorf("ParsePeriod(%q) starts %v, ends %v; want local midnights", tt.in, p.Start, p.End)
		}
	}
	// The week of the clocks going back lasts 169 hours.
	p, _ := digest.ParsePeriod("2026-W43", loc)
	if got := p.End.Sub(p.Start); got != 169*time.Hour {
		t.Errorf("2026-W43 lasts %v; want 169h (the clocks go back on 25 October)", got)
	}
	for _, bad := range []string{"2026-W54", "2026-W00", "2025-W53", "2026-13", "2026-00", "last week", "2026W47", ""} {
		if _, err := digest.ParsePeriod(bad, loc); err == nil {
			t.Errorf("ParsePeriod(%q) = nil error; want one", bad)
		}
	}
}

func TestLastWeek(t *testing.T) {
	loc := london(t)
	// Monday 23 November 2026, 00:30 in London: last week is W47.
	now := time.Date(2026, 11, 23, 0, 30, 0, 0, loc)
	if got := digest.LastWeek(now, loc).Name; got != "2026-W47" {
		t.Errorf("LastWeek(%v) = %s; want 2026-W47", now, got)
	}
	// Sunday 22 November, 23:30 UTC is already Monday in Tokyo.
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if got := digest.Week(time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC), tokyo).Name; got != "2026-W48" {
		t.Errorf("Week(Sunday 23:30 UTC, Tokyo) = %s; want 2026-W48", got)
	}
}

// tiny builds a digest over the property tests' flows from data.
func tiny(t *testing.T, data figures.Data, opt digest.Options) *digest.Digest {
	t.Helper()
	p, _ := digest.ParsePeriod("2026-W47", london(t))
	if opt.Scrubber == nil {
		opt.Scrubber = fakeScrubber{}
	}
	if opt.Crisis == nil {
		opt.Crisis = fakeCrisis{}
	}
	d, err := digest.Build(p, propertyFlows(t), data, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestQuotes(t *testing.T) {
	long := strings.Repeat("word ", 80)
	data := figures.Data{
		Quotes: []figures.QuoteText{
			{Ref: "a", FlowID: "alpha", QuestionID: "own_words", Text: "Write to me at sam@example.org please", Groups: []string{"woman", "black_african"}},
			{Ref: "b", FlowID: "alpha", QuestionID: "own_words", Text: long, Groups: []string{"man", ""}},
			{Ref: "c", FlowID: "beta", QuestionID: "private", Text: "not quotable"},
			{Ref: "d", FlowID: "alpha", QuestionID: "own_words", Text: "   "},
		},
		// Twenty women, eight of them Black; five men.
		GroupSizes: []figures.GroupSize{
			{Groups: []string{"woman", "black_african"}, People: 8},
			{Groups: []string{"woman", "white_british"}, People: 12},
			{Groups: []string{"man", "white_british"}, People: 5},
		},
	}
	d := tiny(t, data, digest.Options{})
	cands := d.Candidates()
	if len(cands) != 2 {
		t.Fatalf("candidates = %+v; want the two quotable answers with text", cands)
	}
	byText := map[bool]digest.Quote{}
	for _, c := range cands {
		byText[strings.HasPrefix(c.Text, "word")] = c
	}
	if q := byText[false]; q.Text != "Write to me at [email] please" || q.Label != "Woman, Black" || q.Approved {
		t.Errorf("quote = %+v; want it scrubbed, labelled Woman, Black (8 people), not approved", q)
	}
	if q := byText[true]; len([]rune(q.Text)) > digest.MaxQuoteLen || !strings.HasSuffix(q.Text, "word…") || q.Label != "" {
		t.Errorf("long quote = %q (%d characters), label %q; want at most %d, cut at a word, and no label (5 men)", q.Text, len([]rune(q.Text)), q.Label, digest.MaxQuoteLen)
	}
	if len(d.Quotes) != 0 || d.QuotesPending.String() != "*" {
		t.Errorf("published %d quotes, %s pending; want none published (approval is on) and 2 pending shown as *", len(d.Quotes), d.QuotesPending)
	}
	// The id is stable, and approval is by id.
	id := byText[false].ID
	again := tiny(t, data, digest.Options{Approved: func(x string) bool { return x == id }})
	if len(again.Quotes) != 1 || again.Quotes[0].ID != id || !again.Quotes[0].Approved {
		t.Errorf("after approving %s: quotes %+v", id, again.Quotes)
	}
	// A rejected quote is not published, nor waiting any more.
	rejected := tiny(t, data, digest.Options{Rejected: func(x string) bool { return x == id }})
	if len(rejected.Quotes) != 0 || rejected.QuotesPending.String() != "*" {
		t.Errorf("after rejecting %s: quotes %+v, %s pending; want none published and 1 pending shown as *", id, rejected.Quotes, rejected.QuotesPending)
	}
	both := tiny(t, data, digest.Options{Rejected: func(string) bool { return true }})
	if len(both.Quotes) != 0 || both.QuotesPending.String() != "0" {
		t.Errorf("after rejecting both: quotes %+v, %s pending; want none published, 0 pending", both.Quotes, both.QuotesPending)
	}
	// With approval off, every candidate is published, up to the cap.
	open := tiny(t, data, digest.Options{PublishUnapproved: true, MaxQuotes: 1})
	if len(open.Quotes) != 1 || open.QuotesPending.String() != "0" {
		t.Errorf("approval off, cap 1: %d quotes, %s pending", len(open.Quotes), open.QuotesPending)
	}
	// A changed answer is a new quote, needing a new approval.
	data.Quotes[0].Text = "Write to me at sam@example.org please, soon"
	if changed := tiny(t, data, digest.Options{Approved: func(x string) bool { return x == id }}); len(changed.Quotes) != 0 {
		t.Errorf("an edited answer kept its approval: %+v", changed.Quotes)
	}
}

func TestQuotesNeedAScrubber(t *testing.T) {
	p, _ := digest.ParsePeriod("2026-W47", london(t))
	data := figures.Data{Quotes: []figures.QuoteText{{Ref: "a", FlowID: "alpha", QuestionID: "own_words", Text: "hello"}}}
	if _, err := digest.Build(p, propertyFlows(t), data, digest.Options{Crisis: fakeCrisis{}}); err == nil || !strings.Contains(err.Error(), "scrubber") {
		t.Errorf("Build without a scrubber = %v; want an error", err)
	}
	if _, err := digest.Build(p, propertyFlows(t), data, digest.Options{Scrubber: fakeScrubber{}}); err == nil || !strings.Contains(err.Error(), "crisis check") {
		t.Errorf("Build without a crisis check = %v; want an error", err)
	}
}

// TestQuotesNeverCrisis: an answer the crisis check flags is no quote
// candidate, so it is neither published nor put to the moderators,
// whether approval is on (even if its id were approved) or off; the
// other answers are candidates as before.
func TestQuotesNeverCrisis(t *testing.T) {
	data := figures.Data{Quotes: []figures.QuoteText{
		{Ref: "a", FlowID: "alpha", QuestionID: "own_words", Text: "Honestly I want to KILL MYSELF most days"},
		{Ref: "b", FlowID: "alpha", QuestionID: "own_words", Text: "Walking with the group helps"},
	}}
	for _, opt := range []digest.Options{
		{PublishUnapproved: true},
		{Approved: func(string) bool { return true }},
	} {
		d := tiny(t, data, opt)
		var got []string
		for _, q := range d.Candidates() {
			got = append(got, q.Text)
		}
		var published []string
		for _, q := range d.Quotes {
			published = append(published, q.Text)
		}
		want := "Walking with the group helps"
		if strings.Join(got, "|") != want || strings.Join(published, "|") != want {
			t.Errorf("PublishUnapproved %v: candidates %q, published %q; want %q alone", opt.PublishUnapproved, got, published, want)
		}
	}
}

func TestSubgroupsMustExist(t *testing.T) {
	p, _ := digest.ParsePeriod("2026-W47", london(t))
	_, err := digest.Build(p, propertyFlows(t), figures.Data{}, digest.Options{Subgroups: []string{"age"}})
	if err == nil || !strings.Contains(err.Error(), `digest.subgroups: "age" is not a choice question of the about-you flow; choose from gender, ethnicity`) {
		t.Errorf("Build(subgroups: age) = %v", err)
	}
	d := tiny(t, figures.Data{}, digest.Options{Subgroups: []string{}})
	if len(d.Comparisons) != 0 {
		t.Errorf("no subgroups, yet %d comparisons", len(d.Comparisons))
	}
}

func TestEmptyDigest(t *testing.T) {
	d := tiny(t, figures.Data{}, digest.Options{})
	for _, format := range digest.Formats {
		var buf bytes.Buffer
		if err := d.Render(&buf, format); err != nil {
			t.Fatalf("Render(%s) = %v", format, err)
		}
		if format == "md" && !strings.Contains(buf.String(), "No one answered a choice or scale question this week.") {
			t.Errorf("empty md digest:\n%s", buf.String())
		}
	}
	var v map[string]any
	var buf bytes.Buffer
	d.WriteJSON(&buf)
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil || v["questions"] == nil || v["quotes"] == nil {
		t.Errorf("empty json digest: %v\n%s", err, buf.String())
	}
	if err := d.Render(&buf, "pdf"); err == nil || !strings.Contains(err.Error(), "want one of md, json, html") {
		t.Errorf("Render(pdf) = %v", err)
	}
}

func TestInProgress(t *testing.T) {
	loc := london(t)
	p, _ := digest.ParsePeriod("2026-W47", loc)
	today := time.Date(2026, 11, 18, 15, 0, 0, 0, loc)
	d, err := digest.Build(p, propertyFlows(t), figures.Data{}, digest.Options{Today: today})
	if err != nil || d.Period.ToDate != "2026-11-18" || !strings.Contains(d.InProgressText(), "not over") {
		t.Errorf("Build(in progress) = %+v, %v", d.Period, err)
	}
	if _, err := digest.Build(p, propertyFlows(t), figures.Data{}, digest.Options{Today: p.Start.AddDate(0, 0, -1)}); err == nil {
		t.Errorf("Build(future period) = nil error")
	}
}

// TestGroupsMergedIntoOther checks a comparison by hand: 10 women (two
// answers), 3 non-binary people (merged), 9 people not stated and 12 men
// who all agree (merged: everyone would be known to agree).
func TestGroupsMergedIntoOther(t *testing.T) {
	tally := func(choice, gender string, n int) figures.Tally {
		return figures.Tally{Window: figures.WindowTotal, FlowID: "alpha", QuestionID: "agree", Choices: []string{choice}, Groups: []string{gender, ""}, People: n}
	}
	period := func(tl figures.Tally) figures.Tally { tl.Window = figures.WindowPeriod; return tl }
	ts := []figures.Tally{
		tally("agree", "woman", 8), tally("disagree", "woman", 4),
		tally("agree", "non_binary", 2), tally("neither", "non_binary", 1),
		tally("agree", "prefer_not", 5), tally("disagree", "", 4),
		tally("agree", "man", 12),
	}
	for _, tl := range ts {
		ts = append(ts, period(tl))
	}
	pol, _ := disclosure.New(8, 5)
	d := tiny(t, figures.Data{Tallies: ts}, digest.Options{Policy: pol, Subgroups: []string{"gender"}})
	if len(d.Comparisons) != 1 {
		t.Fatalf("comparisons = %+v; want one, by gender", d.Comparisons)
	}
	c := d.Comparisons[0]
	var got []string
	for _, g := range c.Groups {
		got = append(got, g.Name+" "+g.Respondents.String())
	}
	// Other or not stated: 2 + 1 + 5 + 4 + 12 = 24, rounded to 25.
	if strings.Join(got, ", ") != "Woman 10, Other or not stated 25" || !c.Merged || shareOf(c.Groups[0], "agree") != "10" {
		t.Errorf("groups = %v, merged %v; want Woman 10, Other or not stated 25, merged", got, c.Merged)
	}
}

// shareOf returns the count g shows for option id.
func shareOf(g digest.GroupRow, id string) string {
	for _, s := range g.Shares {
		if s.ID == id {
			return s.Count.String()
		}
	}
	return "none"
}

func TestDemographicsFlowIsNotATheme(t *testing.T) {
	p, _ := digest.ParsePeriod("2026-W47", london(t))
	cat, _ := flows.Default()
	q, err := digest.NewQuery(p, cat.Flows(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range q.Sets {
		if th.Name == "About you" {
			t.Errorf("themes include About you")
		}
	}
	if len(q.Quotable) == 0 || len(q.Demographics) != 2 || !q.Period.From.Equal(p.Start) || !q.Previous.To.Equal(p.Start) {
		t.Errorf("NewQuery = %+v", q)
	}
}

// TestEmptyNotice checks what an empty period's digest says about the
// periods that have answers.
func TestEmptyNotice(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	p, err := digest.ParsePeriod("2026-W48", loc)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(period string) string { return "peervoice digest --period " + period }
	tests := []struct {
		name   string
		latest time.Time
		want   string
	}{
		{"nothing yet", time.Time{}, "No answers in 2026-W48 (23 to 29 November 2026): nothing has been answered yet."},
		{"weeks ago", time.Date(2026, 11, 4, 12, 0, 0, 0, time.UTC),
			"No answers in 2026-W48 (23 to 29 November 2026); the latest week with answers is 2026-W45 (2 to 8 November 2026): peervoice digest --period 2026-W45"},
		{"the week under way", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
			"No answers in 2026-W48 (23 to 29 November 2026); the latest answers are in 2026-W49 (30 November to 6 December 2026): peervoice digest --period 2026-W49"},
	}
	for _, tt := range tests {
		if got := digest.EmptyNotice(p, tt.latest, ask); !strings.Contains(got, tt.want) {
			t.Errorf("%s: EmptyNotice = %q; want %q", tt.name, got, tt.want)
		}
	}
}

// TestWordingFromAnsweredVersions checks that a question is worded from
// the flow versions its answers were given on, not from the first flow
// given (the current one): the current flows change nothing for
// answers already given.
func TestWordingFromAnsweredVersions(t *testing.T) {
	src := func(prompt, label string) []byte {
		return []byte("id: mood\ntitle: Mood check\ntheme: Wellbeing\nquestions:\n  - id: feel\n    type: choice\n    prompt: " + prompt +
			"\n    options:\n      - {id: good, label: \"" + label + "\"}\n      - {id: bad, label: \"Not good\"}\n")
	}
	parse := func(b []byte) *flows.Flow {
		f, probs := flows.Parse("mood.yaml", b)
		if f == nil || probs.Err() != nil {
			t.Fatalf("parse: %v", probs.Err())
		}
		return f
	}
	a, b := parse(src("Wording A?", "Good (A)")), parse(src("Wording B?", "Good (B)"))
	p, err := digest.ParsePeriod("2026-W47", london(t))
	if err != nil {
		t.Fatal(err)
	}
	tally := func(w figures.Window, choice string) figures.Tally {
		return figures.Tally{Window: w, FlowID: "mood", QuestionID: "feel", Choices: []string{choice}, People: 10}
	}
	tests := []struct {
		name     string
		versions []string
		prompt   string
		others   []string
		label    string
	}{
		{"answered on A, B current", []string{a.Version}, "Wording A?", nil, "Good (A)"},
		{"answered on B then A", []string{b.Version, a.Version}, "Wording B?", []string{"Wording A?"}, "Good (B)"},
		{"versions unknown", nil, "Wording B?", nil, "Good (B)"},
		{"a version not in the catalog", []string{"0123456789abcdef"}, "Wording B?", nil, "Good (B)"},
	}
	for _, tt := range tests {
		data := figures.Data{Tallies: []figures.Tally{
			tally(figures.WindowPeriod, "good"), tally(figures.WindowPeriod, "bad"), tally(figures.WindowTotal, "good"), tally(figures.WindowTotal, "bad"),
		}}
		if tt.versions != nil {
			data.Versions = []figures.QuestionVersions{{FlowID: "mood", QuestionID: "feel", Versions: tt.versions}}
		}
		d, err := digest.Build(p, []*flows.Flow{b, a}, data, digest.Options{Subgroups: []string{}, Scrubber: fakeScrubber{}})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Questions) != 1 {
			t.Fatalf("%s: %d questions; want 1", tt.name, len(d.Questions))
		}
		q := d.Questions[0]
		if q.Prompt != tt.prompt || fmt.Sprint(q.OtherWordings) != fmt.Sprint(tt.others) {
			t.Errorf("%s: prompt %q, other wordings %q; want %q, %q", tt.name, q.Prompt, q.OtherWordings, tt.prompt, tt.others)
		}
		var json bytes.Buffer
		if err := d.WriteJSON(&json); err != nil || !strings.Contains(json.String(), tt.label) {
			t.Errorf("%s: the option label %q is not in the JSON digest (%v)", tt.name, tt.label, err)
		}
	}
}

// TestQuoteWordingFromAnsweredVersion checks that a quote is attributed to
// its question as worded in the flow version the answer was given on,
// whatever the current flows say, and falls back to the newest wording
// when the version is unknown.
func TestQuoteWordingFromAnsweredVersion(t *testing.T) {
	src := func(title, prompt string) *flows.Flow {
		f, probs := flows.Parse("story.yaml", []byte("id: story\ntitle: "+title+"\ntheme: Recovery\nquestions:\n  - id: words\n    type: text\n    quotable: true\n    prompt: "+prompt+"\n"))
		if f == nil || probs.Err() != nil {
			t.Fatalf("parse: %v", probs.Err())
		}
		return f
	}
	a, b := src("Your story (A)", "What helped you, back then?"), src("Your story (B)", "What helps you now?")
	p, err := digest.ParsePeriod("2026-W47", london(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, version, title, prompt string
	}{
		{"answered on A, B current", a.Version, "Your story (A)", "What helped you, back then?"},
		{"answered on B", b.Version, "Your story (B)", "What helps you now?"},
		{"version unknown", "", "Your story (B)", "What helps you now?"},
		{"a version not in the catalog", "0123456789abcdef", "Your story (B)", "What helps you now?"},
	} {
		data := figures.Data{Quotes: []figures.QuoteText{{Ref: "r", FlowID: "story", QuestionID: "words", FlowVersion: tt.version, Text: "Walking with the group"}}}
		d, err := digest.Build(p, []*flows.Flow{b, a}, data, digest.Options{Subgroups: []string{}, Scrubber: fakeScrubber{}, Crisis: fakeCrisis{}, PublishUnapproved: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Quotes) != 1 {
			t.Fatalf("%s: %d quotes; want 1", tt.name, len(d.Quotes))
		}
		if q := d.Quotes[0]; q.FlowTitle != tt.title || q.Prompt != tt.prompt {
			t.Errorf("%s: quote under %q / %q; want %q / %q", tt.name, q.FlowTitle, q.Prompt, tt.title, tt.prompt)
		}
	}
}
