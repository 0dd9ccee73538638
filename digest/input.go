package digest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/peervoice/peervoice/digest/figures"
	"github.com/peervoice/peervoice/flows"
)

// DemographicsFlow is the flow whose questions define subgroups.
const DemographicsFlow = "about-you"

// DefaultSubgroups are the demographic questions compared by default:
// the study found women and people from Black and minority ethnic
// communities less satisfied.
var DefaultSubgroups = []string{"gender", "ethnicity"}

// NewQuery says what to read for a digest of period p over fs (the
// current flows first, then older versions), comparing the subgroups
// given by the about-you questions subgroups (nil: DefaultSubgroups).
func NewQuery(p Period, fs []*flows.Flow, subgroups []string) (figures.Query, error) {
	if subgroups == nil {
		subgroups = DefaultSubgroups
	}
	c := newCatalog(fs)
	// PeriodOnly: the digest publishes period figures only (no totals),
	// so the store reads the period's rows, not the whole study's.
	q := figures.Query{Period: figures.Span{From: p.Start, To: p.End}, Previous: figures.Span{From: p.Previous().Start, To: p.Start}, PeriodOnly: true}
	for _, id := range subgroups {
		if _, err := c.demographic(id); err != nil {
			return figures.Query{}, err
		}
		q.Demographics = append(q.Demographics, figures.QuestionRef{FlowID: DemographicsFlow, QuestionID: id})
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
			ref := figures.QuestionRef{FlowID: f.ID, QuestionID: qn.ID}
			i, ok := themes[qn.Theme]
			if !ok {
				i = len(q.Sets)
				themes[qn.Theme] = i
				q.Sets = append(q.Sets, figures.Set{Name: qn.Theme})
			}
			if !slices.Contains(q.Sets[i].Questions, ref) {
				q.Sets[i].Questions = append(q.Sets[i].Questions, ref)
			}
			if qn.Quotable && qn.Type == flows.TypeText && !slices.Contains(q.Quotable, ref) {
				q.Quotable = append(q.Quotable, ref)
			}
		}
	}
	trendQuery(&q, p, c)
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
func (c *catalog) question(ref figures.QuestionRef) (*flows.Flow, *flows.Question) {
	for _, f := range c.byID[ref.FlowID] {
		if q := f.Question(ref.QuestionID); q != nil {
			return f, q
		}
	}
	return nil, nil
}

// questionAsked returns the question as the flow version with hash
// version words it, else as question does.
func (c *catalog) questionAsked(version string, ref figures.QuestionRef) (*flows.Flow, *flows.Question) {
	if f := c.byHash[version]; f != nil && f.ID == ref.FlowID {
		if q := f.Question(ref.QuestionID); q != nil {
			return f, q
		}
	}
	return c.question(ref)
}

// optionLabel returns an option's label from the newest version that
// has it, or its id.
func (c *catalog) optionLabel(ref figures.QuestionRef, id string) string {
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
	_, q := c.question(figures.QuestionRef{FlowID: DemographicsFlow, QuestionID: id})
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
