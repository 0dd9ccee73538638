package export

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/participant"
	"github.com/peervoice/peervoice/store"
)

// unknownPos places a question its version does not have after the ones
// it has.
const unknownPos = 1 << 20

// noTheme heads the matrix column for answers whose flow version can no
// longer be read, so their theme is unknown.
const noTheme = "(unknown theme)"

// model is what the export knows before the answers: the flow versions,
// their questions and themes, and the participants' consents.
type model struct {
	versions []*version          // codebook order: by flow id, then age
	byHash   map[string]*version // by flow version hash
	themes   []string            // the framework matrix's columns, sorted
	themeIdx map[string]int
	// consent is each participant's latest consent, by row id.
	consent map[int64]store.ExportParticipant
	// code is each participant's code (assignCodes), by row id.
	code map[int64]string
}

// version is one stored flow version.
type version struct {
	flowID, hash string
	title        string
	created      day
	flow         *flows.Flow // nil when the source no longer parses
	questions    []*question // in flow order, info steps left out
	byID         map[string]*question
	// boxed values shared by every row of this version
	flowCell, hashCell any
}

// question is one answerable question of a flow version, with the values
// its rows share, boxed once so a million rows do not allocate them again.
type question struct {
	v         *version
	q         *flows.Question // nil for a question the version does not have
	id        string
	pos       int // 1-based position in the flow, info steps counted
	theme     int // index in model.themes, or -1
	answers   int // rows in the Answers table
	idCell    any
	themeCell any // the theme's name
	ref       string
	labels    map[string]any // option id → boxed label
	optionID  map[string]any // option id → boxed id
}

// newModel parses the stored flow versions and gives the participants
// their codes. A version whose source no longer parses still exports, with
// ids in place of labels and its answers under noTheme.
func newModel(h store.ExportHeader) (*model, error) {
	m := &model{byHash: map[string]*version{}, themeIdx: map[string]int{}, consent: map[int64]store.ExportParticipant{}}
	themes := map[string]bool{}
	for _, sv := range h.Versions {
		if sv.FlowID == participant.ConsentFlowID {
			continue // consent answers are kept as consents, never as answers
		}
		v := &version{flowID: sv.FlowID, hash: sv.Hash, title: sv.FlowID, created: dayOf(sv.CreatedAt), byID: map[string]*question{}}
		v.flowCell, v.hashCell = any(v.flowID), any(v.hash)
		if f, _ := flows.Parse(sv.FlowID+".yaml", sv.Source); f != nil && len(f.Questions) > 0 {
			v.flow = f
			if t := f.Title.String(); t != "" {
				v.title = t
			}
			for i, fq := range f.Questions {
				if fq.Type == flows.TypeInfo || fq.ID == "" || v.byID[fq.ID] != nil {
					continue
				}
				q := v.add(fq.ID, fq)
				q.pos = i + 1
				theme := fq.Theme
				if theme == "" {
					theme = v.title
				}
				q.themeCell = theme
				themes[theme] = true
			}
		} else {
			themes[noTheme] = true
		}
		m.versions = append(m.versions, v)
		m.byHash[v.hash] = v
	}
	for t := range themes {
		m.themes = append(m.themes, t)
	}
	sort.Strings(m.themes)
	for i, t := range m.themes {
		m.themeIdx[t] = i
	}
	for _, v := range m.versions {
		for _, q := range v.questions {
			q.theme = m.themeIndex(q)
		}
	}
	ids := make([]int64, len(h.Participants))
	for i, p := range h.Participants {
		m.consent[p.ID] = p
		ids[i] = p.ID
	}
	var err error
	if m.code, err = assignCodes(ids, h.Tags); err != nil {
		return nil, err
	}
	return m, nil
}

// order returns the participants' row ids in the order of their codes,
// the order of the rows.
func (m *model) order() []int64 {
	ids := make([]int64, 0, len(m.code))
	for id := range m.code {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return m.code[ids[i]] < m.code[ids[j]] })
	return ids
}

// add records question id of v.
func (v *version) add(id string, fq *flows.Question) *question {
	q := &question{v: v, q: fq, id: id, theme: -1, idCell: any(id), ref: v.flowID + "/" + id}
	if fq != nil && fq.HasOptions() {
		q.labels, q.optionID = map[string]any{}, map[string]any{}
		for _, o := range fq.Options {
			q.labels[o.ID] = any(o.Label.String())
			q.optionID[o.ID] = any(o.ID)
		}
	}
	v.questions = append(v.questions, q)
	v.byID[id] = q
	return q
}

// themeIndex returns q's column in the framework matrix, or -1.
func (m *model) themeIndex(q *question) int {
	name, _ := q.themeCell.(string)
	if q.v.flow == nil {
		name = noTheme
	}
	if i, ok := m.themeIdx[name]; ok {
		return i
	}
	return -1
}

// question returns the question an answer answers. An answer the stored
// versions do not explain (which foreign keys and the flow engine rule
// out) gets a question of its own, so it is still exported.
func (m *model) question(a store.Answer) *question {
	v := m.byHash[a.FlowVersion]
	if v == nil {
		v = &version{flowID: a.FlowID, hash: a.FlowVersion, title: a.FlowID, byID: map[string]*question{}}
		v.flowCell, v.hashCell = any(v.flowID), any(v.hash)
		m.byHash[a.FlowVersion] = v
		m.versions = append(m.versions, v)
	}
	if q := v.byID[a.QuestionID]; q != nil {
		return q
	}
	q := v.add(a.QuestionID, nil)
	q.pos = unknownPos
	if v.flow == nil {
		q.themeCell = noTheme
		q.theme = m.themeIndex(q)
	}
	return q
}

// day is a date in UTC, as days since 1970-01-01: exports give the day of
// an answer, never its time.
type day int32

func dayOf(t time.Time) day {
	return day(t.UTC().Truncate(24*time.Hour).Unix() / 86400)
}

// String formats d as YYYY-MM-DD.
func (d day) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// excelSerial is d as a spreadsheet date: days since 1899-12-30.
func (d day) excelSerial() float64 { return float64(d) + 25569 }

// codebookRow is one row of the codebook.
func (q *question) codebookRow() []any {
	v := q.v
	row := []any{v.flowCell, v.title, v.hashCell, nil, q.pos, q.idCell, nil, nil, nil, nil, q.themeCell, nil, nil, q.answers}
	if v.created != 0 {
		row[3] = v.created
	}
	if q.pos == unknownPos {
		row[4] = nil
	}
	if fq := q.q; fq != nil {
		row[6] = string(fq.Type)
		row[7] = fq.Prompt.String()
		if fq.HasOptions() {
			opts := make([]string, len(fq.Options))
			for i, o := range fq.Options {
				opts[i] = o.ID + " = " + o.Label.String()
			}
			row[8] = strings.Join(opts, "; ")
		}
		if fq.Scale != "" {
			row[9] = fq.Scale
		}
		row[11] = yesNo(fq.Quotable)
		if fq.When != "" {
			row[12] = fq.When
		}
		if limits := limits(fq); limits != "" {
			row[8] = join(row[8], limits)
		}
	}
	return row
}

// limits describes a question's min and max, when it has them.
func limits(q *flows.Question) string {
	num := func(f *float64) string { return strconv.FormatFloat(*f, 'f', -1, 64) }
	what := "value"
	if q.Type == flows.TypeMulti {
		what = "choices"
	}
	switch {
	case q.Min != nil && q.Max != nil:
		return fmt.Sprintf("%s from %s to %s", what, num(q.Min), num(q.Max))
	case q.Min != nil:
		return fmt.Sprintf("%s at least %s", what, num(q.Min))
	case q.Max != nil:
		return fmt.Sprintf("%s at most %s", what, num(q.Max))
	}
	return ""
}

// join appends s to a cell that may be empty.
func join(cell any, s string) any {
	if c, ok := cell.(string); ok && c != "" {
		return c + " (" + s + ")"
	}
	return s
}

var yes, no any = "yes", "no"

func yesNo(b bool) any {
	if b {
		return yes
	}
	return no
}
