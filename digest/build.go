package digest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/peervoice/peervoice/digest/disclosure"
	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// DefaultMaxQuotes is how many quotes a digest publishes by default.
const DefaultMaxQuotes = 10

// Scrubber removes personal details from text; *scrub.Scrubber is one.
type Scrubber interface {
	Text(text string) string
}

// CrisisCheck flags crisis language (suicidal intent, self-harm) in
// text; *safety.Detector is one.
type CrisisCheck interface {
	Check(text string) bool
}

// Options configure Build. The zero value is safe: default disclosure
// rules, default subgroups, and no quote published without approval.
type Options struct {
	// Policy holds the disclosure rules (disclosure.min_count and
	// disclosure.round_to).
	Policy disclosure.Policy
	// Subgroups are the about-you questions to compare groups by; nil
	// means DefaultSubgroups, an empty list none.
	Subgroups []string
	// PublishUnapproved publishes quotes no moderator has approved yet
	// (digest.quote_approval: false).
	PublishUnapproved bool
	// Approved reports whether a moderator approved the quote with this
	// id; nil means none has been.
	Approved func(id string) bool
	// Rejected reports whether a moderator rejected the quote with this
	// id: it is not published, nor counted as waiting. nil means none has
	// been.
	Rejected func(id string) bool
	// MaxQuotes caps the quotes published; 0 means DefaultMaxQuotes.
	MaxQuotes int
	// Scrubber removes personal details from quotes. Quotes are dropped,
	// never published raw, when it is nil.
	Scrubber Scrubber
	// Crisis flags crisis language: an answer it flags is never a quote
	// candidate, whether approval is on or off, so it is neither published
	// nor put to the moderators.
	// Quotes are dropped, never published unchecked, when it is nil.
	Crisis CrisisCheck
	// Today is the day the digest is made, so a period not yet over is
	// marked as such; zero treats the period as over.
	Today time.Time
}

// Build makes the digest of period p from the raw figures in data, read
// for NewQuery(p, fs, subgroups). fs are the current flows first, then
// older versions, for the wording of questions since changed.
func Build(p Period, fs []*flows.Flow, data figures.Data, opt Options) (*Digest, error) {
	if opt.Subgroups == nil {
		opt.Subgroups = DefaultSubgroups
	}
	if opt.MaxQuotes <= 0 {
		opt.MaxQuotes = DefaultMaxQuotes
	}
	q, err := NewQuery(p, fs, opt.Subgroups)
	if err != nil {
		return nil, err
	}
	b := &builder{pol: opt.Policy, cat: newCatalog(fs), data: data, opt: opt, query: q, answered: map[figures.QuestionRef][]string{}}
	for _, v := range data.Versions {
		ref := figures.QuestionRef{FlowID: v.FlowID, QuestionID: v.QuestionID}
		b.answered[ref] = append(b.answered[ref], v.Versions...)
	}
	b.answeredOptions = map[figures.QuestionRef][]string{}
	for _, o := range data.Answered {
		ref := figures.QuestionRef{FlowID: o.FlowID, QuestionID: o.QuestionID}
		b.answeredOptions[ref] = append(b.answeredOptions[ref], o.Options...)
	}
	for _, id := range opt.Subgroups {
		dq, _ := b.cat.demographic(id) // checked by NewQuery
		b.demos = append(b.demos, newDemographic(dq))
	}
	d := &Digest{
		Rules:  Rules{MinCount: b.pol.MinCount(), RoundTo: b.pol.RoundTo()},
		Themes: []Theme{}, Questions: []Question{}, Comparisons: []Comparison{}, Quotes: []Quote{}, Notes: []string{},
	}
	if d.Period, err = periodInfo(p, opt.Today); err != nil {
		return nil, err
	}
	d.Participation = b.participation()
	d.Themes = b.themes()
	d.Questions = b.questions()
	d.Comparisons = b.comparisons(d.Questions)
	d.Trends = b.trends(p)
	if err := b.quotes(d); err != nil {
		return nil, err
	}
	d.NoAnswers = b.noAnswers()
	hideEmptyRows(d)
	d.Notes = append(d.Notes, b.notes...)
	if d.Unreadable = data.Unreadable; d.Unreadable > 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("%d written answer(s) could not be read (a damaged row or key) and are left out of the quotes; "+
			"every figure is complete.", d.Unreadable))
	}
	return d, nil
}

// noAnswers reports whether nobody taking part answered anything in the
// period: no choice answers, and no answers touching a theme. It
// publishes an exact zero, as the figures themselves do.
func (b *builder) noAnswers() bool {
	for _, t := range b.data.Tallies {
		if t.Window == figures.WindowPeriod && t.People > 0 {
			return false
		}
	}
	for _, c := range b.data.SetCounts {
		if c.Window == figures.WindowPeriod && c.Answers > 0 {
			return false
		}
	}
	return true
}

type builder struct {
	pol   disclosure.Policy
	cat   *catalog
	data  figures.Data
	opt   Options
	query figures.Query
	demos []demographic
	notes []string
	// answered are the flow versions each question was answered on,
	// the most recently stored first (Data.Versions).
	answered map[figures.QuestionRef][]string
	// answeredOptions are the option ids answered before the end of the
	// period (Data.Answered): what the total window's tallies list.
	answeredOptions map[figures.QuestionRef][]string
}

func periodInfo(p Period, today time.Time) (PeriodInfo, error) {
	const day = "2006-01-02"
	last := p.End.AddDate(0, 0, -1)
	info := PeriodInfo{Name: p.Name, Unit: p.Unit(), Label: p.Label(), First: p.Start.Format(day), Last: last.Format(day)}
	if today.IsZero() {
		return info, nil
	}
	today = today.In(p.Start.Location())
	if today.Before(p.Start) {
		return PeriodInfo{}, fmt.Errorf("period %s (%s) has not started yet; choose a period that has", p.Name, p.Label())
	}
	if today.Before(p.End) {
		info.ToDate = today.Format(day)
	}
	return info, nil
}

// participation protects the activity figures. Totals are summed over
// the flows from the raw counts, then protected.
func (b *builder) participation() Participation {
	protect := func(raw rawActivity) Activity {
		return Activity{
			NewParticipants: b.pol.Count(raw.newParticipants),
			FlowsStarted:    b.pol.Count(raw.started),
			FlowsCompleted:  b.pol.Count(raw.completed),
			FlowsPartial:    b.pol.Count(raw.partial),
			CompletionRate:  b.pol.Percent(raw.startedAndCompleted, raw.started),
			RemindersSent:   b.pol.Count(raw.reminders),
		}
	}
	var p Participation
	p.Period = protect(b.activity(b.data.Period))
	p.Previous = protect(b.activity(b.data.Previous))
	p.Change = ActivityChange{
		NewParticipants: p.Period.NewParticipants.Minus(p.Previous.NewParticipants),
		FlowsStarted:    p.Period.FlowsStarted.Minus(p.Previous.FlowsStarted),
		FlowsCompleted:  p.Period.FlowsCompleted.Minus(p.Previous.FlowsCompleted),
		FlowsPartial:    p.Period.FlowsPartial.Minus(p.Previous.FlowsPartial),
		CompletionRate:  p.Period.CompletionRate.Minus(p.Previous.CompletionRate),
		RemindersSent:   p.Period.RemindersSent.Minus(p.Previous.RemindersSent),
	}
	return p
}

type rawActivity struct {
	newParticipants, started, completed, startedAndCompleted, partial int
	reminders                                                         int
}

// activity sums a window's raw activity over the flows the catalog
// knows (never the consent flow).
func (b *builder) activity(a figures.Activity) rawActivity {
	r := rawActivity{newParticipants: a.NewParticipants, reminders: a.RemindersSent}
	for _, f := range a.Flows {
		if len(b.cat.byID[f.FlowID]) == 0 {
			continue
		}
		r.started += f.Started
		r.completed += f.Completed
		r.startedAndCompleted += f.StartedAndCompleted
		r.partial += f.Partial
	}
	return r
}

// themes counts the answers touching each framework theme.
func (b *builder) themes() []Theme {
	out := []Theme{}
	for _, set := range b.query.Sets {
		var raw [2]figures.SetCount // nothing counted: nobody answered
		for _, c := range b.data.SetCounts {
			if c.Set == set.Name && (c.Window == figures.WindowPeriod || c.Window == figures.WindowPrevious) {
				raw[c.Window] = c
			}
		}
		now := b.pol.CountOf(raw[figures.WindowPeriod].Answers, raw[figures.WindowPeriod].People)
		before := b.pol.CountOf(raw[figures.WindowPrevious].Answers, raw[figures.WindowPrevious].People)
		out = append(out, Theme{Name: set.Name, Answers: now, Change: now.Minus(before)})
	}
	return out
}

// tallies groups the tallies by question and window.
type questionTallies map[figures.QuestionRef]*[3][]figures.Tally

func (b *builder) tallies() questionTallies {
	qt := questionTallies{}
	for _, t := range b.data.Tallies {
		ref := figures.QuestionRef{FlowID: t.FlowID, QuestionID: t.QuestionID}
		if qt[ref] == nil {
			qt[ref] = &[3][]figures.Tally{}
		}
		if t.Window >= figures.WindowPeriod && t.Window <= figures.WindowTotal {
			qt[ref][t.Window] = append(qt[ref][t.Window], t)
		}
	}
	return qt
}

// questions summarises every choice, multi and scale question answered
// in the period, in the flows' order.
func (b *builder) questions() []Question {
	qt := b.tallies()
	out := []Question{}
	seen := map[figures.QuestionRef]bool{}
	for _, f := range b.cat.order {
		for _, qn := range f.Questions {
			ref := figures.QuestionRef{FlowID: f.ID, QuestionID: qn.ID}
			ts := qt[ref]
			if seen[ref] || ts == nil || !qn.HasOptions() || people(ts[figures.WindowPeriod]) == 0 {
				continue
			}
			seen[ref] = true
			newest, question, others := b.wording(ref)
			options := b.options(ref, question, ts)
			single := question.Type != flows.TypeMulti // each answer one option
			period := b.distribution(options, ts[figures.WindowPeriod], single)
			previous := b.distribution(options, ts[figures.WindowPrevious], single)
			q := Question{
				FlowID: ref.FlowID, FlowTitle: newest.Title.String(), QuestionID: ref.QuestionID,
				Prompt: question.Prompt.String(), OtherWordings: others, Type: string(question.Type), Theme: question.Theme,
				Period: period,
				Change: DistributionChange{Respondents: period.Respondents.Minus(previous.Respondents)},
			}
			for i, s := range period.Options {
				q.Change.Options = append(q.Change.Options, ShareChange{
					ID: s.ID, Count: s.Count.Minus(previous.Options[i].Count), Points: s.Percent.Minus(previous.Options[i].Percent),
				})
			}
			out = append(out, q)
		}
	}
	return out
}

func people(ts []figures.Tally) int {
	n := 0
	for _, t := range ts {
		n += t.People
	}
	return n
}

// wording returns the question as worded in the most recently stored
// flow version its answers were given on, with the other wordings of
// the versions answered on, if any. The current flows (--flows) matter
// only for a question whose versions are unknown: answers given to one
// wording are never shown under another.
func (b *builder) wording(ref figures.QuestionRef) (*flows.Flow, *flows.Question, []string) {
	var f *flows.Flow
	var q *flows.Question
	var others []string
	for _, hash := range b.answered[ref] {
		vf := b.cat.byHash[hash]
		if vf == nil {
			continue
		}
		vq := vf.Question(ref.QuestionID)
		switch {
		case vq == nil:
		case q == nil:
			f, q = vf, vq
		case vq.Prompt.String() != q.Prompt.String() && !slices.Contains(others, vq.Prompt.String()):
			others = append(others, vq.Prompt.String())
		}
	}
	if q == nil {
		f, q = b.cat.question(ref)
	}
	return f, q, others
}

// answerKey is a tally's answer: its option ids, joined.
func answerKey(choices []string) string { return strings.Join(choices, "\x00") }

// distribution protects the distribution of the tallies ts; single says
// each answer is one option, so the options add up to the respondents.
func (b *builder) distribution(options []Option, ts []figures.Tally, single bool) Distribution {
	answers := map[string]int{}
	for _, t := range ts {
		answers[answerKey(t.Choices)] += t.People
	}
	return b.protect(options, answers, single)
}

// protect turns raw answers (answer key → people) into a Distribution,
// withholding every figure but the number of respondents unless the
// answers are publishable. Where the options add up to the respondents
// (single), the distribution is withheld, too, when its published
// figures would give a withheld option's count away (disclosure.Pinned):
// a total at the bottom of its rounding range and the shown options at
// the top of theirs leave the withheld ones no room.
func (b *builder) protect(options []Option, answers map[string]int, single bool) Distribution {
	respondents := 0
	counts := map[string]int{}
	for key, n := range answers {
		respondents += n
		for _, id := range strings.Split(key, "\x00") {
			counts[id] += n
		}
	}
	d := Distribution{Respondents: b.pol.Count(respondents), Shown: b.pol.Publishable(answers), Options: []Share{}}
	for _, o := range options {
		s := Share{ID: o.ID, Label: o.Label}
		if d.Shown {
			s.Count = b.pol.Count(counts[o.ID])
			s.Percent = b.pol.Percent(counts[o.ID], respondents)
		}
		d.Options = append(d.Options, s)
	}
	if d.Shown && single && b.pinned(d) {
		d.Shown = false
		for i := range d.Options {
			d.Options[i].Count, d.Options[i].Percent = disclosure.Count{}, disclosure.Percent{}
		}
	}
	return d
}

var (
	errNoScrubber = errors.New("digest: quotes need a scrubber to remove personal details")
	errNoCrisis   = errors.New("digest: quotes need a crisis check, so that no crisis text is published")
)
