package digest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// Flows for the property tests. No label or prompt holds a digit, so
// every number in a rendered digest is a figure (or a date, which the
// checks strip).
const (
	aboutYouYAML = `id: about-you
title: About you
theme: About you
questions:
  - id: gender
    type: choice
    prompt: How would you describe your gender?
    options:
      - {id: woman, label: "Woman"}
      - {id: man, label: "Man"}
      - {id: non_binary, label: "Non-binary"}
      - {id: other, label: "In another way"}
      - {id: prefer_not, label: "Prefer not to say"}
  - id: ethnicity
    type: choice
    prompt: Which best describes your ethnic group?
    options:
      - {id: asian_indian, label: "Asian: Indian"}
      - {id: black_caribbean, label: "Black: Caribbean"}
      - {id: black_african, label: "Black: African"}
      - {id: mixed_other, label: "Mixed: other"}
      - {id: white_british, label: "White: British"}
      - {id: white_other, label: "White: other"}
      - {id: other_arab, label: "Other: Arab"}
      - {id: prefer_not, label: "Prefer not to say"}
`
	alphaYAML = `id: alpha
title: Alpha
theme: Definitions of recovery
questions:
  - id: agree
    type: scale
    scale: agree5
    prompt: Their idea of recovery is the same as mine.
  - id: asked
    type: choice
    prompt: Has anyone asked you what recovery means to you?
    theme: Practitioner qualities
    options: ["Yes", "No", "Not sure"]
  - id: matters
    type: multi
    prompt: What has mattered?
    options: [Housing, Peers, Work, Faith, Art]
  - id: own_words
    type: text
    prompt: In your own words, what does recovery mean to you?
    quotable: true
`
	betaYAML = `id: beta
title: Beta
theme: Risk
questions:
  - id: satisfied
    type: scale
    scale: satisfied
    prompt: How satisfied are you with how risk is talked about?
  - id: safe
    type: choice
    prompt: Do you feel safe?
    options: ["Yes", "No"]
  - id: private
    type: text
    prompt: Anything else?
`
)

func propertyFlows(t *testing.T) []*flows.Flow {
	t.Helper()
	var out []*flows.Flow
	for _, src := range []string{alphaYAML, betaYAML, aboutYouYAML} {
		src = strings.ReplaceAll(src, "scale: satisfied\n", "scale: satisfied5\n")
		id := strings.TrimPrefix(strings.SplitN(src, "\n", 2)[0], "id: ")
		f, probs := flows.Parse(id+".yaml", []byte(src))
		if err := probs.Err(); err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// randomSpec draws a community: often tiny, often with lopsided groups
// or everyone giving the same answer.
func randomSpec(rng *rand.Rand) genSpec {
	sizes := []int{0, 1, 3, 7, 8, 9, 12, 20, 40, 90, 250}
	s := genSpec{
		people:     sizes[rng.IntN(len(sizes))],
		answerRate: []float64{0.2, 0.6, 1}[rng.IntN(3)],
		bias:       []float64{0, 0.5, 0.9, 1}[rng.IntN(4)],
		quoteRate:  rng.Float64(),
		weeks:      1 + rng.IntN(6),
	}
	lopsided := func(n int) []int {
		w := make([]int, n)
		for i := range w {
			w[i] = rng.IntN(3)
		}
		w[rng.IntN(n)] = 20 + rng.IntN(60)
		return w
	}
	if rng.IntN(2) == 0 {
		s.genderWeights = lopsided(len(genders))
	}
	if rng.IntN(2) == 0 {
		s.ethnicityWeights = lopsided(len(ethnicities))
	}
	return s
}

// TestDisclosureProperty builds digests of several hundred random
// communities and checks, against the people themselves, that every
// published count, percentage, change and group obeys the rules, and
// that no rendering, in any format, shows a number the rules did not
// publish, a time of day, or an answer's reference.
func TestDisclosureProperty(t *testing.T) {
	fs := propertyFlows(t)
	loc, _ := time.LoadLocation("Europe/London")
	p, _ := digest.ParsePeriod("2026-W47", loc)
	rng := rand.New(rand.NewPCG(2026, 47))
	cases := 300
	if testing.Short() {
		cases = 60
	}
	for i := range cases {
		k := 5 + rng.IntN(6)
		r := []int{5, 10}[rng.IntN(2)]
		pol, err := disclosure.New(k, r)
		if err != nil {
			t.Fatal(err)
		}
		spec := randomSpec(rng)
		c := generate(rng, fs, p, spec)
		q, err := digest.NewQuery(p, fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		approveAll := rng.IntN(3) == 0
		opt := digest.Options{
			Policy: pol, Scrubber: fakeScrubber{}, Crisis: fakeCrisis{}, PublishUnapproved: rng.IntN(3) == 0, MaxQuotes: 1 + rng.IntN(5),
			Approved: func(id string) bool { return approveAll || id[len(id)-1] < '8' },
			Rejected: func(id string) bool { return !approveAll && id[len(id)-1] >= 'c' },
		}
		d, err := digest.Build(p, fs, c.data(q), opt)
		if err != nil {
			t.Fatal(err)
		}
		o := &oracle{t: t, c: c, k: k, r: r, q: q, name: fmt.Sprintf("case %d (%d people, k=%d, round to %d)", i, spec.people, k, r)}
		o.checkDigest(d, opt)
		for _, format := range digest.Formats {
			var buf bytes.Buffer
			if err := d.Render(&buf, format); err != nil {
				t.Fatal(err)
			}
			o.checkRendering(d, format, buf.String())
		}
		// What the bot posts to Discord is a rendering too.
		o.checkRendering(d, "discord", embedText(d))
		if t.Failed() {
			t.Fatalf("%s failed; stopping", o.name)
		}
	}
}

// oracle knows the people and checks a digest's figures against them,
// with its own statement of the rules.
type oracle struct {
	t    *testing.T
	c    *community
	k, r int
	q    figures.Query
	name string
}

func (o *oracle) errorf(format string, args ...any) {
	o.t.Helper()
	o.t.Errorf("%s: %s", o.name, fmt.Sprintf(format, args...))
}

// count is the rule for a published count: 0 is withheld too, and the
// lowest value shown stands for two or more counts.
func (o *oracle) count(raw int) string {
	if raw < o.k {
		return "*"
	}
	round := func(n int) int { return (n + o.r/2) / o.r * o.r }
	v := round(raw)
	if lowest := round(o.k); v == lowest && (2*lowest+o.r-1)/2-o.k < o.r/2 {
		v += o.r
	}
	return strconv.Itoa(v)
}

// percent is the rule for a published percentage: never 100% unless
// all, never 0% for someone.
func (o *oracle) percent(num, den int) string {
	n, d := o.count(num), o.count(den)
	if den < o.k || n == "*" {
		return "*"
	}
	ni, _ := strconv.Atoi(n)
	di, _ := strconv.Atoi(d)
	v := (200*ni + di) / (2 * di)
	if v == 100 && num < den {
		v = 99
	}
	return strconv.Itoa(max(v, 1)) + "%"
}

// change is the rule for a change: from the published figures.
func change(now, before string) string {
	if now == "*" || before == "*" {
		return "*"
	}
	a, _ := strconv.Atoi(strings.TrimSuffix(now, "%"))
	b, _ := strconv.Atoi(strings.TrimSuffix(before, "%"))
	if a > b {
		return "+" + strconv.Itoa(a-b)
	}
	return strconv.Itoa(a - b)
}

func (o *oracle) same(what, got, want string) {
	o.t.Helper()
	if got != want {
		o.errorf("%s = %s; want %s", what, got, want)
	}
}

func (o *oracle) checkDigest(d *digest.Digest, opt digest.Options) {
	o.checkParticipation(d)
	o.checkThemes(d)
	o.checkQuestions(d)
	o.checkComparisons(d)
	o.checkQuotes(d, opt)
}

func (o *oracle) checkParticipation(d *digest.Digest) {
	var want [3][4]string
	for w := range figures.Window(3) {
		var newP, started, completed, both int
		for _, p := range o.c.people {
			if o.c.in(w, p.created) {
				newP++
			}
			for _, s := range p.sessions {
				if !s.started.Before(o.c.period.End) {
					continue
				}
				if o.c.in(w, s.started) {
					started++
					if s.done && s.updated.Before(o.c.windows()[w][1]) {
						both++
					}
				}
				if s.done && o.c.in(w, s.updated) {
					completed++
				}
			}
		}
		want[w] = [4]string{o.count(newP), o.count(started), o.count(completed), o.percent(both, started)}
	}
	pa := d.Participation
	for w, a := range []digest.Activity{pa.Period, pa.Previous} {
		got := [4]string{a.NewParticipants.String(), a.FlowsStarted.String(), a.FlowsCompleted.String(), a.CompletionRate.String()}
		o.same(fmt.Sprintf("participation in window %d", w), fmt.Sprint(got), fmt.Sprint(want[w]))
	}
	gotChange := []string{pa.Change.NewParticipants.String(), pa.Change.FlowsStarted.String(), pa.Change.FlowsCompleted.String(), pa.Change.CompletionRate.String()}
	var wantChange []string
	for i := range 4 {
		wantChange = append(wantChange, change(want[0][i], want[1][i]))
	}
	o.same("participation change", fmt.Sprint(gotChange), fmt.Sprint(wantChange))
}

func (o *oracle) checkThemes(d *digest.Digest) {
	var want []string
	hidden := 0
	byName := map[string]digest.Theme{}
	for _, th := range d.Themes {
		byName[th.Name] = th
	}
	for _, set := range o.q.Sets {
		var shown [2]string
		for w := range figures.Window(2) {
			answers, people := 0, 0
			for _, p := range o.c.people {
				n := 0
				for _, a := range p.answers {
					if o.c.in(w, a.at) && slices.Contains(set.Questions, a.ref) {
						n++
					}
				}
				answers += n
				if n > 0 {
					people++
				}
			}
			shown[w] = o.count(answers)
			if people > 0 && people < o.k {
				shown[w] = "*" // many answers from a few people are not shown either
			}
		}
		if !numeric(shown[0], change(shown[0], shown[1])) {
			hidden++ // nothing to show: left out
			continue
		}
		want = append(want, set.Name)
		th := byName[set.Name]
		o.same("theme "+set.Name, th.Answers.String(), shown[0])
		o.same("theme change "+set.Name, th.Change.String(), change(shown[0], shown[1]))
	}
	var got []string
	for _, th := range d.Themes {
		got = append(got, th.Name)
	}
	o.same("themes shown", fmt.Sprint(got), fmt.Sprint(want))
	o.same("themes hidden", strconv.Itoa(d.HiddenThemes), strconv.Itoa(hidden))
}

// answersTo returns, for the people in who, their answer to ref in
// window w (a sorted option list), by person.
func (o *oracle) answersTo(ref figures.QuestionRef, w figures.Window, who func(*person) bool) map[*person][]string {
	out := map[*person][]string{}
	for _, p := range o.c.people {
		if !who(p) {
			continue
		}
		for _, a := range p.answers {
			if a.ref == ref && a.choices != nil && o.c.in(w, a.at) {
				out[p] = slices.Sorted(slices.Values(a.choices))
			}
		}
	}
	return out
}

// publishable is the rule for a distribution: k people, two answers.
func (o *oracle) publishable(answers map[*person][]string) bool {
	distinct := map[string]bool{}
	for _, a := range answers {
		distinct[strings.Join(a, ",")] = true
	}
	return len(answers) >= o.k && len(distinct) >= 2
}

// checkShares checks a distribution's figures against raw answers; ids
// are all its options, single says each answer is one of them.
func (o *oracle) checkShares(what string, respondents disclosure.Count, shares []digest.Share, answers map[*person][]string, ids []string, single bool) {
	o.same(what+" respondents", respondents.String(), o.count(len(answers)))
	ok := o.shows(answers, ids, single)
	for _, s := range shares {
		n := 0
		for _, a := range answers {
			if slices.Contains(a, s.ID) {
				n++
			}
		}
		wantCount, wantPercent := o.share(n, answers, ok)
		o.same(what+" "+s.ID, s.Count.String()+" "+s.Percent.String(), wantCount+" "+wantPercent)
	}
}

// share is the rule for an option's count and percentage: withheld
// unless the distribution is shown.
func (o *oracle) share(n int, answers map[*person][]string, shown bool) (string, string) {
	if shown {
		return o.count(n), o.percent(n, len(answers))
	}
	return "*", "*"
}

// numeric reports whether any of the figures is a number.
func numeric(figures ...string) bool {
	for _, f := range figures {
		if f != "*" {
			return true
		}
	}
	return false
}

// optionIDs are the option ids of ref in the community's flows.
func (o *oracle) optionIDs(ref figures.QuestionRef) []string {
	for _, f := range o.c.flows {
		if f.ID != ref.FlowID {
			continue
		}
		if q := f.Question(ref.QuestionID); q != nil {
			var ids []string
			for _, op := range q.Options {
				ids = append(ids, op.ID)
			}
			return ids
		}
	}
	return nil
}

func everyone(*person) bool { return true }

func (o *oracle) checkQuestions(d *digest.Digest) {
	for _, q := range d.Questions {
		ref := figures.QuestionRef{FlowID: q.FlowID, QuestionID: q.QuestionID}
		period := o.answersTo(ref, figures.WindowPeriod, everyone)
		previous := o.answersTo(ref, figures.WindowPrevious, everyone)
		if len(period) == 0 {
			o.errorf("%v is in the digest, but nobody answered it in the period", ref)
		}
		ids, single := o.optionIDs(ref), q.Type != "multi"
		if q.Period.Shown != o.shows(period, ids, single) {
			o.errorf("%v shown %v; want %v", ref, q.Period.Shown, o.shows(period, ids, single))
		}
		o.checkShares(fmt.Sprint(ref, " period"), q.Period.Respondents, q.Period.Options, period, ids, single)
		// The previous period's figures, by the rules, for the changes.
		prevOK := o.shows(previous, ids, single)
		o.same(fmt.Sprint(ref, " respondents change"), q.Change.Respondents.String(), change(q.Period.Respondents.String(), o.count(len(previous))))
		for i, s := range q.Period.Options {
			n := 0
			for _, a := range previous {
				if slices.Contains(a, s.ID) {
					n++
				}
			}
			pc, pp := o.share(n, previous, prevOK)
			ch := q.Change.Options[i]
			o.same(fmt.Sprint(ref, " change ", s.ID), ch.Count.String()+" "+ch.Points.String(), change(s.Count.String(), pc)+" "+change(s.Percent.String(), pp))
		}
		// An option is left out exactly when none of its figures is a
		// number, by the test's own working of them.
		var wantShown []string
		hidden := 0
		for _, id := range ids {
			figures := func(answers map[*person][]string) (string, string) {
				n := 0
				for _, a := range answers {
					if slices.Contains(a, id) {
						n++
					}
				}
				return o.share(n, answers, o.shows(answers, ids, single))
			}
			c, p := figures(period)
			pc, pp := figures(previous)
			if numeric(c, p, change(c, pc), change(p, pp)) {
				wantShown = append(wantShown, id)
			} else {
				hidden++
			}
		}
		var gotShown []string
		for _, s := range q.Period.Options {
			gotShown = append(gotShown, s.ID)
		}
		o.same(fmt.Sprint(ref, " options shown"), fmt.Sprint(gotShown), fmt.Sprint(wantShown))
		o.same(fmt.Sprint(ref, " options hidden"), strconv.Itoa(q.Hidden), strconv.Itoa(hidden))
		if len(q.Change.Options) != len(gotShown) {
			o.errorf("%v: %d options in the period, %d changes; want the same", ref, len(gotShown), len(q.Change.Options))
		}
	}
}

// groupOf is the test's own statement of the groups.
func groupOf(demographic, id string) (string, bool) {
	if demographic == "Gender" {
		name, ok := map[string]string{"woman": "Woman", "man": "Man", "non_binary": "Non-binary", "other": "In another way"}[id]
		return name, ok
	}
	for prefix, name := range map[string]string{"asian_": "Asian", "black_": "Black", "mixed_": "Mixed", "white_": "White", "other_": "Other ethnic group"} {
		if strings.HasPrefix(id, prefix) {
			return name, true
		}
	}
	return "", false
}

func (o *oracle) checkComparisons(d *digest.Digest) {
	for _, c := range d.Comparisons {
		ref := figures.QuestionRef{FlowID: c.FlowID, QuestionID: c.QuestionID}
		dim := map[string]int{"Gender": 0, "Ethnic group": 1}[c.Demographic]
		if len(c.Groups)+len(c.HiddenGroups) < 2 {
			o.errorf("comparison of %v by %s has %d group; want at least two", ref, c.Demographic, len(c.Groups)+len(c.HiddenGroups))
		}
		// Groups left out for having no share to show are groups all the
		// same: they are not merged into the other group.
		shown := map[string]bool{}
		groups := slices.Clone(c.Groups)
		for _, g := range c.Groups {
			shown[g.Name] = true
		}
		for _, name := range c.HiddenGroups {
			shown[name] = true
			groups = append(groups, digest.GroupRow{Name: name})
		}
		for i, g := range groups {
			var answers map[*person][]string
			if g.Name == digest.OtherGroup {
				// Everyone not in a group shown by name.
				answers = o.answersTo(ref, figures.WindowPeriod, func(p *person) bool {
					name, ok := groupOf(c.Demographic, o.c.groups(p)[dim])
					return !ok || !shown[name]
				})
			} else {
				answers = o.answersTo(ref, figures.WindowPeriod, func(p *person) bool {
					name, ok := groupOf(c.Demographic, o.c.groups(p)[dim])
					return ok && name == g.Name
				})
			}
			if !o.publishable(answers) {
				o.errorf("comparison of %v by %s shows group %q of %d people with answers %v: it must have %d and two different answers",
					ref, c.Demographic, g.Name, len(answers), answers, o.k)
			}
			if i < len(c.Groups) {
				o.checkShares(fmt.Sprint(ref, " by ", c.Demographic, " ", g.Name), g.Respondents, g.Shares, answers, o.optionIDs(ref), true)
				continue
			}
			for _, id := range o.optionIDs(ref) {
				n := 0
				for _, a := range answers {
					if slices.Contains(a, id) {
						n++
					}
				}
				if cnt, pct := o.share(n, answers, true); numeric(cnt, pct) {
					o.errorf("comparison of %v by %s leaves out group %q, whose %s share is %s (%s)", ref, c.Demographic, g.Name, id, pct, cnt)
				}
			}
		}
	}
}

func (o *oracle) checkQuotes(d *digest.Digest, opt digest.Options) {
	pending := 0
	for _, q := range d.Candidates() {
		if !q.Approved && !opt.PublishUnapproved && (opt.Rejected == nil || !opt.Rejected(q.ID)) {
			pending++
		}
	}
	wantPending := o.count(pending)
	if pending == 0 {
		wantPending = "0" // in no sum, so 0 may show
	}
	o.same("quotes pending", d.QuotesPending.String(), wantPending)
	if len(d.Quotes) > opt.MaxQuotes {
		o.errorf("%d quotes published; the cap is %d", len(d.Quotes), opt.MaxQuotes)
	}
	for _, q := range d.Quotes {
		if !q.Approved && !opt.PublishUnapproved {
			o.errorf("quote %s published without approval", q.ID)
		}
		if utf8.RuneCountInString(q.Text) > digest.MaxQuoteLen || strings.Contains(q.Text, "@") || strings.Contains(q.Text, "07700") {
			o.errorf("quote %q is too long or not scrubbed", q.Text)
		}
		if q.Label == "" {
			continue
		}
		// Everyone who shares every group named must number k.
		names := strings.Split(q.Label, ", ")
		n := 0
		for _, p := range o.c.people {
			if !p.created.Before(o.c.period.End) {
				continue
			}
			g := o.c.groups(p)
			var mine []string
			for dim, demo := range []string{"Gender", "Ethnic group"} {
				if name, ok := groupOf(demo, g[dim]); ok {
					mine = append(mine, name)
				}
			}
			all := true
			for _, name := range names {
				all = all && slices.Contains(mine, name)
			}
			if all {
				n++
			}
		}
		if n < o.k {
			o.errorf("quote labelled %q, a group of %d people; want at least %d", q.Label, n, o.k)
		}
	}
}

var (
	numberRe = regexp.MustCompile(`\d+`)
	clockRe  = regexp.MustCompile(`\d{1,2}:\d{2}|T\d{2}`)
	tagRe    = regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>`)
	mdEscRe  = regexp.MustCompile(`\\([\\*_\x60\[\]|#~])`)
	// chatEscRe undoes the escaping of Discord-flavoured Markdown.
	chatEscRe = regexp.MustCompile(`\\([\\*_\x60\[\]|#~>])`)
)

// published returns every number the digest publishes as a figure.
func published(d *digest.Digest) map[string]bool {
	out := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch x := v.Interface().(type) {
		case disclosure.Count:
			if n, ok := x.Value(); ok {
				out[strconv.Itoa(n)] = true
			}
			return
		case disclosure.Percent:
			if n, ok := x.Value(); ok {
				out[strconv.Itoa(n)] = true
			}
			return
		case disclosure.Change:
			if n, ok := x.Value(); ok {
				out[strconv.Itoa(max(n, -n))] = true
			}
			return
		}
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(*d))
	return out
}

// checkRendering checks that every number in a rendering is a figure the
// digest published (after removing the texts that explain the rules and
// name the period), and that no time of day or answer reference shows.
func (o *oracle) checkRendering(d *digest.Digest, format, out string) {
	if clockRe.MatchString(out) || strings.Contains(out, "ref-") {
		o.errorf("the %s rendering shows a time of day or an answer's reference", format)
	}
	allowed := published(d)
	if format == "json" {
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			o.errorf("the json rendering does not parse: %v", err)
			return
		}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					walk(path+"."+k, e)
				}
			case []any:
				for _, e := range x {
					walk(path+"[]", e)
				}
			case float64:
				s := strconv.Itoa(int(max(x, -x)))
				if path != ".rules.min_count" && path != ".rules.round_to" && path != ".hidden_themes" && path != ".questions[].hidden_options" && !allowed[s] {
					o.errorf("the json rendering shows %s at %s, which is not a published figure", s, path)
				}
			}
		}
		walk("", v)
		return
	}
	text := out
	switch format {
	case "html":
		text = html.UnescapeString(tagRe.ReplaceAllString(text, " "))
	case "md":
		text = strings.NewReplacer("&lt;", "<", "&gt;", ">").Replace(mdEscRe.ReplaceAllString(text, "$1"))
	case "discord":
		text = chatEscRe.ReplaceAllString(text, "$1")
	}
	static := []string{d.Title(), d.RulesText(), d.GroupsText(), d.InProgressText(), d.Period.Label, digest.MultiNote}
	static = append(static, d.Notes...)
	static = append(static, d.HiddenThemesText())
	for _, q := range d.Questions {
		static = append(static, d.HiddenText(q), q.WordingsText())
	}
	for _, c := range d.Comparisons {
		static = append(static, d.HiddenGroupsText(c))
	}
	if len(d.Trends) > 0 {
		static = append(static, d.TrendText())
	}
	for _, tr := range d.Trends {
		for _, m := range tr.Months {
			static = append(static, m.Label, m.Name)
		}
	}
	for _, q := range d.Quotes {
		static = append(static, q.Text)
	}
	for _, s := range static {
		if s != "" {
			text = strings.ReplaceAll(text, s, " ")
		}
	}
	for _, n := range numberRe.FindAllString(text, -1) {
		if !allowed[strings.TrimLeft(n, "0")] && strings.Trim(n, "0") != "" {
			i := strings.Index(text, n)
			o.errorf("the %s rendering shows %s, which is not a published figure, near %q", format, n, text[max(0, i-80):min(len(text), i+40)])
			return
		}
	}
}

// embedText is the digest as the bot posts it to Discord: the text of
// every embed of every message.
func embedText(d *digest.Digest) string {
	var b strings.Builder
	for _, m := range d.Embeds() {
		for _, e := range m {
			b.WriteString(e.Title + "\n" + e.Description + "\n")
			for _, f := range e.Fields {
				b.WriteString(f.Name + "\n" + f.Value + "\n")
			}
			b.WriteString(e.Footer + "\n")
		}
	}
	return b.String()
}
