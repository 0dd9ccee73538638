package digest_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/peervoice/peervoice/digest"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// A community is generated person by person, then aggregated into
// figures.Data the way the store's query does. The property tests check
// the digest against the people themselves.

type person struct {
	created  time.Time
	quotes   bool
	groups   []string // answers to the demographic questions; "" for none
	answers  []answer
	sessions []session
}

type answer struct {
	ref     figures.QuestionRef
	choices []string // nil for text
	text    string
	at      time.Time
}

type session struct {
	flow             string
	started, updated time.Time
	done             bool
}

type community struct {
	flows  []*flows.Flow
	people []*person
	period digest.Period
	loc    *time.Location
}

// genSpec shapes a generated community.
type genSpec struct {
	people int
	// genderWeights and ethnicityWeights pick each person's groups
	// (lopsided weights make tiny groups).
	genderWeights, ethnicityWeights []int
	// answerRate is the chance of answering each question; bias the
	// chance of choosing the first option (1 makes everyone agree).
	answerRate, bias float64
	quoteRate        float64
	weeks            int
}

var (
	genders     = []string{"woman", "man", "non_binary", "other", "prefer_not", ""}
	ethnicities = []string{"white_british", "white_other", "black_caribbean", "black_african", "asian_indian", "mixed_other", "other_arab", "prefer_not", ""}
	texts       = []string{
		"Being listened to, properly, for once.",
		"Having my own life back: work, friends, music.",
		"They only talk about medication. Email me on jo@example.com.",
		"Call 07700 900123 if you want to hear it all, it is a long story " + strings.Repeat("and it goes on ", 30),
	}
)

// generate builds a community over fs, deterministic for rng.
func generate(rng *rand.Rand, fs []*flows.Flow, p digest.Period, spec genSpec) *community {
	c := &community{flows: fs, period: p, loc: p.Start.Location()}
	start := p.End.AddDate(0, 0, -7*spec.weeks)
	span := p.End.Sub(start)
	randTime := func(from time.Time) time.Time {
		left := p.End.Sub(from)
		if left <= 0 {
			return from
		}
		// Weight towards the end, so the period and the previous one
		// have activity.
		f := 1 - rng.Float64()*rng.Float64()
		return from.Add(time.Duration(f * float64(left))).Truncate(time.Second)
	}
	for range spec.people {
		pp := &person{created: start.Add(time.Duration(rng.Float64() * float64(span))).Truncate(time.Second), quotes: rng.Float64() < spec.quoteRate}
		pp.groups = []string{weighted(rng, genders, spec.genderWeights), weighted(rng, ethnicities, spec.ethnicityWeights)}
		for _, f := range fs {
			if rng.Float64() > 0.7 && f.ID != digest.DemographicsFlow {
				continue
			}
			s := session{flow: f.ID, started: randTime(pp.created)}
			s.updated = s.started
			s.done = rng.Float64() < 0.8
			for _, q := range f.Questions {
				if f.ID == digest.DemographicsFlow {
					i := slices.Index([]string{"gender", "ethnicity"}, q.ID)
					if i >= 0 && pp.groups[i] != "" {
						pp.answers = append(pp.answers, answer{ref: figures.QuestionRef{FlowID: f.ID, QuestionID: q.ID}, choices: []string{pp.groups[i]}, at: s.started})
					}
					continue
				}
				if rng.Float64() > spec.answerRate {
					continue
				}
				a := answer{ref: figures.QuestionRef{FlowID: f.ID, QuestionID: q.ID}, at: s.updated}
				switch q.Type {
				case flows.TypeText:
					a.text = texts[rng.IntN(len(texts))]
				case flows.TypeMulti:
					for _, o := range q.Options {
						if rng.Float64() < 0.4 {
							a.choices = append(a.choices, o.ID)
						}
					}
					if len(a.choices) == 0 {
						a.choices = []string{q.Options[0].ID}
					}
				case flows.TypeChoice, flows.TypeScale:
					o := q.Options[0].ID
					if rng.Float64() > spec.bias {
						o = q.Options[rng.IntN(len(q.Options))].ID
					}
					a.choices = []string{o}
				default:
					continue
				}
				pp.answers = append(pp.answers, a)
			}
			pp.sessions = append(pp.sessions, s)
		}
		c.people = append(c.people, pp)
	}
	return c
}

func weighted(rng *rand.Rand, items []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	if total == 0 {
		return items[rng.IntN(len(items))]
	}
	r := rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return items[i]
		}
		r -= w
	}
	return items[len(items)-1]
}

// windows returns the span of each window.
func (c *community) windows() [3][2]time.Time {
	prev := c.period.Previous()
	return [3][2]time.Time{{c.period.Start, c.period.End}, {prev.Start, prev.End}, {{}, c.period.End}}
}

func (c *community) in(w figures.Window, t time.Time) bool {
	s := c.windows()[w]
	return !t.Before(s[0]) && t.Before(s[1])
}

// data aggregates the community as the store's query does: each person
// once per question, with their answer; groups from their demographic
// answers before the period's end; quotes from those who allowed them.
func (c *community) data(q figures.Query) figures.Data {
	var d figures.Data
	acts := []*figures.Activity{&d.Period, &d.Previous, &d.Total}
	tallies := map[string]*figures.Tally{}
	for w := range figures.Window(3) {
		flowsAct := map[string]*figures.FlowActivity{}
		for _, p := range c.people {
			if c.in(w, p.created) {
				acts[w].NewParticipants++
			}
			for _, s := range p.sessions {
				if !s.started.Before(c.period.End) {
					continue
				}
				fa := flowsAct[s.flow]
				if fa == nil {
					fa = &figures.FlowActivity{FlowID: s.flow}
					flowsAct[s.flow] = fa
				}
				if c.in(w, s.started) {
					fa.Started++
					if s.done && s.updated.Before(c.windows()[w][1]) {
						fa.StartedAndCompleted++
					}
				}
				if s.done && c.in(w, s.updated) {
					fa.Completed++
				}
			}
			groups := c.groups(p)
			for _, a := range p.answers {
				if a.choices == nil || !c.in(w, a.at) {
					continue
				}
				choices := slices.Sorted(slices.Values(a.choices))
				key := fmt.Sprint(w, a.ref, choices, groups)
				t := tallies[key]
				if t == nil {
					t = &figures.Tally{Window: w, FlowID: a.ref.FlowID, QuestionID: a.ref.QuestionID, Choices: choices, Groups: groups}
					tallies[key] = t
				}
				t.People++
			}
		}
		for _, f := range flowsAct {
			acts[w].Flows = append(acts[w].Flows, *f)
		}
	}
	for _, t := range tallies {
		d.Tallies = append(d.Tallies, *t)
	}
	sizes := map[string]*figures.GroupSize{}
	for _, p := range c.people {
		if !p.created.Before(c.period.End) {
			continue
		}
		g := c.groups(p)
		k := strings.Join(g, ",")
		if sizes[k] == nil {
			sizes[k] = &figures.GroupSize{Groups: g}
		}
		sizes[k].People++
	}
	for _, s := range sizes {
		d.GroupSizes = append(d.GroupSizes, *s)
	}
	for w := range figures.Window(2) {
		for _, set := range q.Sets {
			tc := figures.SetCount{Window: w, Set: set.Name}
			for _, p := range c.people {
				n := 0
				for _, a := range p.answers {
					if c.in(w, a.at) && slices.Contains(set.Questions, a.ref) {
						n++
					}
				}
				tc.Answers += n
				if n > 0 {
					tc.People++
				}
			}
			d.SetCounts = append(d.SetCounts, tc)
		}
	}
	for i, p := range c.people {
		for j, a := range p.answers {
			if a.text != "" && p.quotes && c.in(figures.WindowPeriod, a.at) && slices.Contains(q.Quotable, a.ref) {
				d.Quotes = append(d.Quotes, figures.QuoteText{Ref: fmt.Sprintf("ref-%d-%d", i, j), FlowID: a.ref.FlowID, QuestionID: a.ref.QuestionID, Text: a.text, Groups: c.groups(p)})
			}
		}
	}
	// The store's order is its own; the digest must not depend on it.
	slices.SortFunc(d.Tallies, func(a, b figures.Tally) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return d
}

// groups returns a person's demographic answers as at the period's end.
func (c *community) groups(p *person) []string {
	g := make([]string, 2)
	for _, a := range p.answers {
		if a.ref.FlowID == digest.DemographicsFlow && a.at.Before(c.period.End) {
			switch a.ref.QuestionID {
			case "gender":
				g[0] = a.choices[0]
			case "ethnicity":
				g[1] = a.choices[0]
			}
		}
	}
	return g
}

// fakeScrubber removes emails and phone numbers, enough for these tests;
// the real scrubber has its own.
type fakeScrubber struct{}

var (
	emailRe = regexp.MustCompile(`\S+@\S+`)
	phoneRe = regexp.MustCompile(`0\d{4} ?\d{6}`)
)

func (fakeScrubber) Text(s string) string {
	return phoneRe.ReplaceAllString(emailRe.ReplaceAllString(s, "[email]"), "[phone]")
}

// fakeCrisis flags text that says "kill myself", enough for these tests;
// the real detector, safety.Detector, has its own.
type fakeCrisis struct{}

func (fakeCrisis) Check(s string) bool { return strings.Contains(strings.ToLower(s), "kill myself") }
