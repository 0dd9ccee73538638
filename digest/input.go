package digest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/peervoice/peervoice/flows"
)

// The raw figures a digest is built from. They mirror what the store's
// digest query returns (the digest imports no store: cmd copies one into
// the other), and they are never published as they are: Build protects
// every figure before it goes into a Digest.

// Window names the span of time a figure covers.
type Window int

// The windows of a digest.
const (
	WindowPeriod   Window = iota // the digest's period
	WindowPrevious               // the period before, for changes
	WindowTotal                  // everything before the end of the period
)

// QuestionRef names a question of a flow.
type QuestionRef struct {
	FlowID, QuestionID string
}

// Set is a named set of questions: a framework theme's.
type Set struct {
	Name      string
	Questions []QuestionRef
}

// Query says what to read from the store for a digest.
type Query struct {
	// Period and Previous are [From, To) spans; the total window is
	// everything before Period's To.
	PeriodFrom, PeriodTo, PreviousFrom, PreviousTo time.Time
	// Demographics are the about-you questions that define subgroups.
	Demographics []QuestionRef
	// Themes are counted in the period and the previous one.
	Themes []Set
	// Quotable are the questions whose text answers may be quoted.
	Quotable []QuestionRef
}

// Data is the raw figures read for a Query.
type Data struct {
	Period, Previous, Total ActivityData
	Tallies                 []Tally
	GroupSizes              []GroupSize
	ThemeCounts             []ThemeCount
	Quotes                  []QuoteText
	// Versions name, for each question answered, the flow versions its
	// answers were given on. A question is labelled with the wording of
	// the version its answers were given on, whatever the current flows
	// say; a question missing here is labelled from the newest flow that
	// has it.
	Versions []QuestionVersions
}

// QuestionVersions names the flow versions (by flows.Flow.Version, the
// hash of the source) that a question's answers up to the end of the
// period were given on, the most recently stored first.
type QuestionVersions struct {
	FlowID, QuestionID string
	Versions           []string
}

// ActivityData counts new participants and sessions in a window.
type ActivityData struct {
	NewParticipants int
	Flows           []FlowActivity
}

// FlowActivity counts one flow's sessions in a window: started, completed,
// and started and completed by the window's end.
type FlowActivity struct {
	FlowID                                  string
	Started, Completed, StartedAndCompleted int
}

// Tally is how many people gave one answer (a set of option ids) to one
// question in a window, with one combination of answers to the
// demographic questions ("" where they gave none).
type Tally struct {
	Window             Window
	FlowID, QuestionID string
	Choices            []string
	Groups             []string
	People             int
}

// GroupSize is how many participants have one combination of answers to
// the demographic questions.
type GroupSize struct {
	Groups []string
	People int
}

// ThemeCount is how many answers were given to a theme's questions in a
// window, and by how many people.
type ThemeCount struct {
	Window          Window
	Theme           string
	Answers, People int
}

// QuoteText is one quotable answer, as written: it is scrubbed before
// it goes into a Digest.
type QuoteText struct {
	// Ref identifies the answer without revealing who gave it.
	Ref                string
	FlowID, QuestionID string
	// FlowVersion is the hash (flows.Flow.Version) of the flow version
	// the answer was given on; the quote is attributed to the question as
	// worded there. Empty or unknown: the newest flow that has it.
	FlowVersion string
	Text        string
	Groups      []string
}

// DemographicsFlow is the flow whose questions define subgroups.
const DemographicsFlow = "about-you"

// DefaultSubgroups are the demographic questions compared by default:
// the study found women and people from Black and minority ethnic
// communities less satisfied.
var DefaultSubgroups = []string{"gender", "ethnicity"}

// NewQuery says what to read for a digest of period p over fs (the
// current flows first, then older versions), comparing the subgroups
// given by the about-you questions subgroups (nil: DefaultSubgroups).
func NewQuery(p Period, fs []*flows.Flow, subgroups []string) (Query, error) {
	if subgroups == nil {
		subgroups = DefaultSubgroups
	}
	c := newCatalog(fs)
	q := Query{PeriodFrom: p.Start, PeriodTo: p.End, PreviousFrom: p.Previous().Start, PreviousTo: p.Start}
	for _, id := range subgroups {
		if _, err := c.demographic(id); err != nil {
			return Query{}, err
		}
		q.Demographics = append(q.Demographics, QuestionRef{DemographicsFlow, id})
	}
	themes := map[string]int{}
	for _, f := range c.order {
		if f.ID == DemographicsFlow {
			continue // who took part is not a framework theme
		}
		for _, qn := range f.Questions {
			if qn.Type == flows.TypeInfo {
				continue
			}
			ref := QuestionRef{f.ID, qn.ID}
			i, ok := themes[qn.Theme]
			if !ok {
				i = len(q.Themes)
				themes[qn.Theme] = i
				q.Themes = append(q.Themes, Set{Name: qn.Theme})
			}
			if !slices.Contains(q.Themes[i].Questions, ref) {
				q.Themes[i].Questions = append(q.Themes[i].Questions, ref)
			}
			if qn.Quotable && qn.Type == flows.TypeText && !slices.Contains(q.Quotable, ref) {
				q.Quotable = append(q.Quotable, ref)
			}
		}
	}
	return q, nil
}

// catalog finds questions among the current flows and older versions.
type catalog struct {
	byID   map[string][]*flows.Flow // current first
	byHash map[string]*flows.Flow   // by flows.Flow.Version
	order  []*flows.Flow            // every version, current first
}

func newCatalog(fs []*flows.Flow) *catalog {
	c := &catalog{byID: map[string][]*flows.Flow{}, byHash: map[string]*flows.Flow{}, order: fs}
	for _, f := range fs {
		c.byID[f.ID] = append(c.byID[f.ID], f)
		if _, ok := c.byHash[f.Version]; !ok && f.Version != "" {
			c.byHash[f.Version] = f
		}
	}
	return c
}

// question returns the question, from the newest version that has it.
func (c *catalog) question(ref QuestionRef) (*flows.Flow, *flows.Question) {
	for _, f := range c.byID[ref.FlowID] {
		if q := f.Question(ref.QuestionID); q != nil {
			return f, q
		}
	}
	return nil, nil
}

// questionAsked returns the question as the flow version with hash
// version words it, else as question does.
func (c *catalog) questionAsked(version string, ref QuestionRef) (*flows.Flow, *flows.Question) {
	if f := c.byHash[version]; f != nil && f.ID == ref.FlowID {
		if q := f.Question(ref.QuestionID); q != nil {
			return f, q
		}
	}
	return c.question(ref)
}

// optionLabel returns an option's label from the newest version that
// has it, or its id.
func (c *catalog) optionLabel(ref QuestionRef, id string) string {
	for _, f := range c.byID[ref.FlowID] {
		if q := f.Question(ref.QuestionID); q != nil {
			if o := q.Option(id); o != nil {
				return o.Label.String()
			}
		}
	}
	return id
}

// demographic returns the about-you choice question id, or an error that
// lists the ones there are.
func (c *catalog) demographic(id string) (*flows.Question, error) {
	_, q := c.question(QuestionRef{DemographicsFlow, id})
	if q != nil && q.Type == flows.TypeChoice {
		return q, nil
	}
	var ids []string
	for _, f := range c.byID[DemographicsFlow] {
		for _, q := range f.Questions {
			if q.Type == flows.TypeChoice && !slices.Contains(ids, q.ID) {
				ids = append(ids, q.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("digest.subgroups: %q: there is no %s flow with choice questions to compare subgroups by; add one, or set digest.subgroups to []", id, DemographicsFlow)
	}
	return nil, fmt.Errorf("digest.subgroups: %q is not a choice question of the %s flow; choose from %s", id, DemographicsFlow, strings.Join(ids, ", "))
}
