package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"github.com/peervoice/peervoice/digest/figures"
)

// What a PeriodOnly digest needs of the answers given before the period
// beyond the groups and the trend: the flow versions each question with
// tallies was answered on before the end of the period (its wording),
// and the option ids of the answers the total window would count to
// each question with tallies in the period (the options of versions
// since changed, Data.Answered). Both are sets of distinct answers, not
// counts: the partial index answers_choice holds every choice answer
// by question, flow version and options chosen, so each distinct one is
// one index step away (a loose index scan), and only a row or two of
// each is read to check that it counts (a participant taking part, given
// before the end, and, for the options, their latest answer).

// answered fills c.versions for the questions with tallies in d, and
// d.Answered for those with tallies in the period.
func (c *digestCounter) answered(ctx context.Context, tx *sql.Tx, d *figures.Data) error {
	wanted := map[int]bool{}   // questions whose versions are read
	inPeriod := map[int]bool{} // and whose options are listed
	known := map[int]map[string]bool{}
	for _, t := range d.Tallies {
		q := c.qid[t.FlowID][t.QuestionID]
		wanted[q] = true
		if t.Window == figures.WindowPeriod {
			inPeriod[q] = true
			// An answer counted in the period is a participant's latest
			// before its end: the total window counts it too.
			if known[q] == nil {
				known[q] = map[string]bool{}
			}
			for _, id := range t.Choices {
				known[q][id] = true
			}
		}
	}
	for _, t := range d.Trend {
		wanted[c.qid[t.FlowID][t.QuestionID]] = true
	}
	l := &looseScan{c: c, tx: tx, end: c.hi[figures.WindowTotal], several: map[pidFlow]bool{}}
	for q := range c.refs {
		if !wanted[q] {
			continue
		}
		if known[q] == nil {
			known[q] = map[string]bool{}
		}
		if err := l.question(ctx, q, inPeriod[q], known[q]); err != nil {
			return err
		}
		if inPeriod[q] {
			r := c.refs[q]
			o := figures.QuestionOptions{FlowID: r.FlowID, QuestionID: r.QuestionID, Options: []string{}}
			for id := range known[q] {
				o.Options = append(o.Options, id)
			}
			slices.Sort(o.Options)
			d.Answered = append(d.Answered, o)
		}
	}
	slices.SortFunc(d.Answered, func(a, b figures.QuestionOptions) int {
		return compareRefs(a.FlowID, a.QuestionID, b.FlowID, b.QuestionID)
	})
	return nil
}

func compareRefs(fa, qa, fb, qb string) int {
	switch {
	case fa != fb:
		if fa < fb {
			return -1
		}
		return 1
	case qa < qb:
		return -1
	case qa > qb:
		return 1
	}
	return 0
}

type pidFlow struct {
	pid  int64
	flow string
}

// looseScan walks the distinct (flow version, choices) of a question.
type looseScan struct {
	c       *digestCounter
	tx      *sql.Tx
	end     string
	several map[pidFlow]bool
}

// choiceAnswer is the index's condition, repeated in every query so that
// SQLite may use it.
const choiceAnswer = `skipped = 0 AND choices IS NOT NULL AND kind IN ('choice', 'multi', 'scale')`

// distinctAnswers walks the index answers_choice from one distinct
// (flow version, choices) of a question to the next, in SQLite, one
// index seek each: a question costs its number of distinct answers, not
// of answers.
const distinctAnswers = `WITH RECURSIVE k(vc) AS (
	SELECT MIN(` + versionChoices + `) FROM ` + choiceIndex + ` WHERE ` + choiceQuestion + `
	UNION ALL
	SELECT (SELECT MIN(` + versionChoices + `) FROM ` + choiceIndex + ` WHERE ` + choiceQuestion + ` AND ` + versionChoices + ` > k.vc)
	FROM k WHERE k.vc IS NOT NULL)
SELECT vc FROM k WHERE vc IS NOT NULL`

const (
	choiceIndex    = `answers INDEXED BY answers_choice`
	choiceQuestion = `flow_id = ?1 AND question_id = ?2 AND ` + choiceAnswer
	// versionChoices is answers_choice's key, written as in the index.
	versionChoices = `(flow_version || ' ' || choices)`
)

// question notes the versions question q was answered on before the
// end of the period, by participants taking part, and, with options,
// adds to known the option ids of their latest answers.
func (l *looseScan) question(ctx context.Context, q int, options bool, known map[string]bool) error {
	r := l.c.refs[q]
	rows, err := l.tx.QueryContext(ctx, distinctAnswers, r.FlowID, r.QuestionID)
	if err != nil {
		return err
	}
	type answer struct{ key, version, choices string }
	var all []answer
	for rows.Next() {
		var a answer
		if err := rows.Scan(&a.key); err != nil {
			rows.Close()
			return err
		}
		a.version, a.choices, _ = strings.Cut(a.key, " ")
		all = append(all, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	found := map[string]bool{} // versions already noted
	for _, a := range all {
		needVersion := !found[a.version]
		var ids []string
		needOptions := false
		if options {
			if err := json.Unmarshal([]byte(a.choices), &ids); err != nil {
				return err
			}
			for _, id := range ids {
				needOptions = needOptions || !known[id]
			}
		}
		if !needVersion && !needOptions {
			continue
		}
		counted, latest, err := l.check(ctx, r, a.key, needOptions)
		if err != nil {
			return err
		}
		if counted && needVersion {
			found[a.version] = true
			l.c.noteVersion(q, []byte(a.version))
		}
		if latest {
			for _, id := range ids {
				known[id] = true
			}
		}
	}
	return nil
}

// check reports whether a participant taking part gave the answer key
// (version and choices, as versionChoices) to r before the end of the
// period (counted), and, when asked (wantLatest), whether one of those
// was the participant's latest answer to r by then (latest), newest
// first: one row or two in the usual case.
func (l *looseScan) check(ctx context.Context, r figures.QuestionRef, key string, wantLatest bool) (counted, latest bool, err error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT a.rowid, a.answered_at, s.participant_id, s.flow_id
		FROM answers a INDEXED BY answers_choice JOIN sessions s INDEXED BY sessions_owner ON s.id = a.session_id
		WHERE a.flow_id = ?1 AND a.question_id = ?2 AND a.`+choiceAnswer+` AND (a.flow_version || ' ' || a.choices) = ?3
			AND a.answered_at < ?4 AND s.started_at < ?4
		ORDER BY a.answered_at DESC, a.rowid DESC`, r.FlowID, r.QuestionID, key, l.end)
	if err != nil {
		return false, false, err
	}
	defer rows.Close()
	var rowid, pid int64
	var at, flow string
	for rows.Next() {
		if err := rows.Scan(&rowid, &at, &pid, &flow); err != nil {
			return false, false, err
		}
		if ok, err := l.c.takesPart(ctx, l.tx, pid); err != nil || !ok {
			if err != nil {
				return false, false, err
			}
			continue
		}
		counted = true
		if !wantLatest {
			return true, false, nil
		}
		// A query beside the open rows: the transaction's one connection
		// steps both.
		if latest, err = l.isLatest(ctx, r, pid, flow, at, rowid); err != nil || latest {
			return counted, latest, err
		}
	}
	return counted, false, rows.Err()
}

// isLatest reports whether the answer (rowid, given at at) of
// participant pid, in a session of flow, is the one the total window
// counts for them: every answer of a participant with one session of
// the flow is, and of one with several, their latest choice answer to r
// before the end (the later stored of two given at the same time).
func (l *looseScan) isLatest(ctx context.Context, r figures.QuestionRef, pid int64, flow, at string, rowid int64) (bool, error) {
	k := pidFlow{pid, flow}
	several, ok := l.several[k]
	if !ok {
		var n int
		if err := l.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions INDEXED BY sessions_flow_started
			WHERE participant_id = ? AND flow_id = ? AND started_at < ?`,
			pid, flow, l.end).Scan(&n); err != nil {
			return false, err
		}
		several = n > 1
		l.several[k] = several
	}
	if !several {
		return true, nil
	}
	var later bool
	err := l.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sessions o JOIN answers a ON a.session_id = o.id AND a.question_id = ?2
		WHERE o.participant_id = ?1 AND o.started_at < ?4 AND a.flow_id = ?3 AND a.`+choiceAnswer+` AND a.answered_at < ?4
			AND (a.answered_at > ?5 OR (a.answered_at = ?5 AND a.rowid > ?6)))`,
		pid, r.QuestionID, r.FlowID, l.end, at, rowid).Scan(&later)
	return !later, err
}
