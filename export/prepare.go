package export

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/peervoice/peervoice/flows"
	"github.com/peervoice/peervoice/store"
)

// preparer turns answers into rows: it groups them by participant, puts
// each participant's in flow and question order, scrubs free text, and
// builds the participant's row of the framework matrix.
type preparer struct {
	opt     Options
	m       *model
	total   int
	done    int
	summary Summary
	// the participant being gathered
	pid     int64
	pending []store.ExportAnswer
	// the participant's lines of the framework matrix, and its cells
	lines []matrixLine
	text  []byte
	spans []cellSpan
	// slabs takes back the writer's slabs of cells, once written.
	slabs chan []any
	days  map[day]any    // boxed days, shared by rows
	kinds map[string]any // boxed question types
	// free takes back the batches of answers read, once copied.
	free chan []store.ExportAnswer
}

func (p *preparer) run(ctx context.Context, in <-chan any, out chan<- *rowBatch) error {
	send := func(rb *rowBatch) error {
		select {
		case out <- rb:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	p.summary.Scrubbed = !p.opt.Unscrubbed
	p.days, p.kinds = map[day]any{}, map[string]any{}
	started := false
	for v := range in {
		switch v := v.(type) {
		case begun:
			p.m = v.m
			p.total = v.h.Answers
			started = true
			if err := send(&rowBatch{frameworkCols: frameworkColumns(p.m.themes), total: p.total}); err != nil {
				return err
			}
		case []store.ExportAnswer:
			rb := &rowBatch{}
			for _, a := range v {
				if a.ParticipantID != p.pid {
					p.flush(rb)
					p.pid = a.ParticipantID
				}
				p.pending = append(p.pending, a)
			}
			if p.free != nil {
				clear(v) // let the texts go
				select { // the reader may fill it again
				case p.free <- v[:0]:
				default:
				}
			}
			p.done += len(v)
			rb.done, rb.total = p.done, p.total
			if err := send(rb); err != nil {
				return err
			}
		}
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if !started {
		return errors.New("export: the store handed over no header")
	}
	last := &rowBatch{last: true, done: p.done, total: p.total}
	p.flush(last)
	for _, v := range p.m.versions {
		for _, q := range v.questions {
			last.codebook = append(last.codebook, q.codebookRow())
		}
	}
	last.about = p.about()
	return send(last)
}

// flush writes the rows of the participant gathered so far.
func (p *preparer) flush(rb *rowBatch) {
	as := p.pending
	p.pending = p.pending[:0]
	if len(as) == 0 {
		return
	}
	c := p.m.consent[p.pid]
	if !c.TakePart {
		p.summary.LeftOut++ // declined, or never consented: nothing of theirs is exported
		return
	}
	// An answer whose text cannot be decrypted is left out and counted:
	// one damaged row costs itself, not the export.
	readable := as[:0]
	for _, a := range as {
		if a.Unreadable {
			p.summary.Unreadable++
			continue
		}
		readable = append(readable, a)
	}
	if as = readable; len(as) == 0 {
		return
	}
	qs := make([]*question, len(as))
	for i := range as {
		qs[i] = p.m.question(as[i].Answer)
	}
	idx := make([]int, len(as))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := &as[idx[i]], &as[idx[j]]
		qa, qb := qs[idx[i]], qs[idx[j]]
		switch {
		case a.FlowID != b.FlowID:
			return a.FlowID < b.FlowID
		case !a.SessionStarted.Equal(b.SessionStarted):
			return a.SessionStarted.Before(b.SessionStarted)
		case a.SessionID != b.SessionID:
			return a.SessionID < b.SessionID
		case qa.pos != qb.pos:
			return qa.pos < qb.pos
		}
		return a.QuestionID < b.QuestionID
	})
	pt := part{code: p.m.code[p.pid]}
	code := any(pt.code)
	p.lines = p.lines[:0]
	var waves []int
	cells := p.slab(len(as) * len(answerColumns))
	rb.slabs = append(rb.slabs, cells)
	pt.answers = make([][]any, 0, len(as))
	for n, i := range idx {
		a, q := &as[i], qs[i]
		q.answers++
		answer, ids, line := p.value(q, &a.Answer)
		row := cells[n*len(answerColumns) : (n+1)*len(answerColumns) : (n+1)*len(answerColumns)]
		row[0], row[1], row[2], row[3], row[4] = code, q.v.flowCell, q.v.hashCell, q.idCell, q.themeCell
		row[5], row[6], row[7] = p.kind(a.Kind), answer, ids
		if a.Skipped {
			row[8] = yes
		}
		if a.Kind == string(flows.TypeText) && !a.Skipped {
			row[9] = yesNo(c.Quotes && q.q != nil && q.q.Quotable)
		}
		row[10] = p.day(a.AnsweredAt)
		row[11] = responseCell(a.SessionStatus)
		row[12] = wave(a.Wave)
		pt.answers = append(pt.answers, row)
		if !slices.Contains(waves, a.Wave) { // every wave answered has its row, its cells empty or not
			waves = append(waves, a.Wave)
		}
		if line != "" && q.theme >= 0 {
			p.lines = append(p.lines, matrixLine{wave: a.Wave, theme: q.theme, ref: q.ref, text: line})
		}
	}
	// One row of the matrix per wave, so that each round of a repeating
	// flow (or each further set of answers) is read apart: wave n's row
	// holds the answers of every flow's wave n. A cell is its lines, in
	// the order of the answers, one per line; all the participant's cells
	// are cut from one string.
	slices.Sort(waves)
	slices.SortStableFunc(p.lines, func(x, y matrixLine) int {
		if x.wave != y.wave {
			return cmp.Compare(x.wave, y.wave)
		}
		return cmp.Compare(x.theme, y.theme)
	})
	text, spans := p.text[:0], p.spans[:0]
	for i := 0; i < len(p.lines); {
		first, start := p.lines[i], len(text)
		for ; i < len(p.lines) && p.lines[i].wave == first.wave && p.lines[i].theme == first.theme; i++ {
			if len(text) > start {
				text = append(text, '\n')
			}
			text = append(text, p.lines[i].ref...)
			text = append(text, ": "...)
			text = append(text, p.lines[i].text...)
		}
		spans = append(spans, cellSpan{wave: first.wave, theme: first.theme, start: start, end: len(text)})
	}
	all := string(text)
	p.text, p.spans = text, spans
	for _, w := range waves {
		frame := make([]any, 3+len(p.m.themes))
		frame[0], frame[1], frame[len(frame)-1] = code, yesNo(c.Quotes), wave(w)
		for _, sp := range spans {
			if sp.wave == w {
				frame[2+sp.theme] = all[sp.start:sp.end]
			}
		}
		pt.frames = append(pt.frames, frame)
	}
	rb.parts = append(rb.parts, pt)
	p.summary.Participants++
	p.summary.Answers += len(as)
}

// matrixLine is a line of a framework matrix cell: an answer's, for its
// wave and theme.
type matrixLine struct {
	wave, theme int
	ref, text   string
}

// cellSpan is where a cell of the framework matrix is in the
// participant's text.
type cellSpan struct {
	wave, theme, start, end int
}

// slab returns n empty cells for a participant's rows, from a slab the
// writer is done with when there is one big enough.
func (p *preparer) slab(n int) []any {
	select {
	case s := <-p.slabs:
		if cap(s) >= n {
			s = s[:n]
			clear(s)
			return s
		}
	default:
	}
	return make([]any, n)
}

// wave is a wave's cell: its number, 1 for an answer read without one.
func wave(n int) any { return max(n, 1) }

// value returns an answer's cells: the answer (labels, text or number), the
// option ids, and the line for the framework matrix ("" for a skip).
func (p *preparer) value(q *question, a *store.Answer) (answer, ids any, line string) {
	if a.Skipped {
		return nil, nil, ""
	}
	switch {
	case len(a.Choices) == 1:
		id := a.Choices[0]
		label, ok := q.labels[id]
		if !ok {
			label = id
		}
		oid, ok := q.optionID[id]
		if !ok {
			oid = id
		}
		return label, oid, label.(string)
	case len(a.Choices) > 1:
		labels := make([]string, len(a.Choices))
		for i, id := range a.Choices {
			if l, ok := q.labels[id]; ok {
				labels[i] = l.(string)
			} else {
				labels[i] = id
			}
		}
		s := strings.Join(labels, "; ")
		return s, strings.Join(a.Choices, "; "), s
	case a.Number != nil:
		return *a.Number, nil, strconv.FormatFloat(*a.Number, 'f', -1, 64)
	case a.Text != "":
		t := validUTF8(a.Text)
		if !p.opt.Unscrubbed {
			t = p.opt.Scrubber.Text(t)
		}
		return t, nil, t
	}
	return nil, nil, ""
}

// kind returns the boxed question type k, shared by rows.
func (p *preparer) kind(k string) any {
	v, ok := p.kinds[k]
	if !ok {
		v = k
		p.kinds[k] = v
	}
	return v
}

// day returns the boxed day of t, shared by every row of that day.
func (p *preparer) day(t time.Time) any {
	d := dayOf(t)
	v, ok := p.days[d]
	if !ok {
		v = d
		p.days[d] = v
	}
	return v
}

// about is the About table: what the export holds and how to read it.
func (p *preparer) about() [][]any {
	s := p.summary
	text := "Scrubbed: personal details in participants' own words (emails, phone numbers, links, Discord " +
		"mentions, ids and invites, @handles, NHS numbers, UK postcodes and configured names) are replaced by " +
		"placeholders such as [email], [phone] and [name]. Scrubbing is automatic and can miss things: read a " +
		"quote again before you publish it."
	if !s.Scrubbed {
		text = "NOT SCRUBBED: participants' own words are as they typed them, with any personal details they " +
			"wrote. This file is for the data controller: keep it as securely as the database, and do not share it."
	}
	rows := [][]any{
		{"Exported", dayOf(p.opt.Now()).String()},
		{"Participants", s.Participants},
		{"Answers", s.Answers},
		{"Free text", text},
		{"Participants' codes", "Each participant is a code such as P-7K3QX-M2D9A (P, then ten characters of Crockford " +
			"base 32: digits and capital letters without I, L, O and U) that stays the same from one export to the next, " +
			"so a participant can be followed across exports. Codes are drawn from a keyed hash, so they say nothing " +
			"about who a participant is or when they joined; rows are in the order of the codes. In the rare case of two " +
			"alike, the later participant's code is longer by a group (P-7K3QX-M2D9A-4RT1B). No Discord id, username or " +
			"pseudonym is included. Participants who withdrew are absent."},
	}
	if s.LeftOut > 0 {
		rows = append(rows, []any{"Left out", strconv.Itoa(s.LeftOut) + " participant(s) whose latest consent does " +
			"not include taking part, with all their answers."})
	}
	if s.Unreadable > 0 {
		rows = append(rows, []any{"Unreadable", strconv.Itoa(s.Unreadable) + " answer(s) could not be decrypted " +
			"(the stored row or its participant's key is damaged) and are left out; everything else is exported. " +
			"Restore the database from a backup to recover them."})
	}
	return append(rows,
		[]any{"Dates", "The day of each answer (YYYY-MM-DD, UTC); times are left out."},
		[]any{"Table: " + SheetAnswers, "One row per answer. answer holds option labels (several joined by \"; \"), the number, " +
			"or the words written; answer_ids the option ids. skipped is yes where the participant chose not to answer. " +
			"may_quote, for written answers, is yes where the question is quotable and the participant allowed quotes. " +
			"A participant who went through a flow twice has both sets of answers. response is complete where the " +
			"participant finished the flow, partial where they left it unfinished longer than the study allows (its " +
			"answers are kept and counted), and in progress where they may still carry on. " +
			"wave numbers the participant's rounds of the flow (1, 2, … in the order they started): each round of a repeating " +
			"check-in, or each further set of answers to a flow taken once, has its own answers and its own wave."},
		[]any{"Table: " + SheetFramework, "One row per participant, one column per theme; each cell lists the participant's " +
			"answers for that theme as flow/question: answer, one per line. Skipped questions are left out. may_quote is " +
			"yes where the participant allowed anonymous quotes from their written answers. A participant who answered a " +
			"flow more than once has one row per wave (the last column): wave n's row holds their nth round of each flow."},
		[]any{"Table: " + SheetCodebook, "Every question of every version of every flow, with its type, options (id = label), " +
			"theme, the condition under which it is asked, and how many rows of Answers it has."},
		[]any{"Cells", "A cell that would begin with = + - or @ begins with an apostrophe, so that no spreadsheet " +
			"runs it as a formula."},
	)
}

// The response column's values, boxed once for every row.
var complete, partial, inProgress any = "complete", "partial", "in progress"

// responseCell is the response column: whether the answer's session was
// finished, closed unfinished as a partial response, or is under way.
func responseCell(status string) any {
	switch status {
	case store.StatusDone:
		return complete
	case store.StatusExpired:
		return partial
	}
	return inProgress
}
