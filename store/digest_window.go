package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/peervoice/peervoice/digest/figures"
)

// A PeriodOnly digest reads the rows of its windows (the period and the
// one before) through the indexes of migration 014, and from before
// them only what the period's figures depend on: each participant's
// latest answer to the demographic questions, the trend's months, and,
// one index step each, the distinct answers behind the wording and the
// options of versions since changed (digest_window_versions.go). It
// feeds them to the same digestCounter as the full scan, in the same
// order for every participant and question, so it counts exactly what
// the full scan counts for the windows (digest_window_test.go compares
// the two). What it costs depends on the period and the number of
// participants, not on the number of answers ever given.

// digestWindows reads a PeriodOnly digest's figures in tx.
func (db *DB) digestWindows(ctx context.Context, tx *sql.Tx, kr *keyReader, c *digestCounter) (figures.Data, error) {
	since, until := c.span()
	if c.maintainable() {
		c.known = &digestKnown{part: map[int64]bool{}, projected: map[string][]string{}}
	} else if err := c.loadPeople(ctx, tx, since); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: participants: %w", err)
	}
	end := c.hi[figures.WindowTotal]
	acts, err := c.windowActivity(ctx, tx, since, until)
	if err != nil {
		return figures.Data{}, fmt.Errorf("digest data: sessions: %w", err)
	}
	sessions, err := c.windowSessions(ctx, tx, since, until)
	if err != nil {
		return figures.Data{}, fmt.Errorf("digest data: sessions: %w", err)
	}
	if c.known != nil {
		// Only the windows' participants, unless the trend reads months
		// before them.
		seen := map[int64]bool{}
		var pids []int64
		for _, r := range acts {
			if !seen[r.pid] {
				seen[r.pid] = true
				pids = append(pids, r.pid)
			}
		}
		for _, r := range sessions {
			if !seen[r.pid] {
				seen[r.pid] = true
				pids = append(pids, r.pid)
			}
		}
		if err := c.loadKnown(ctx, tx, pids, c.trendBefore(since)); err != nil {
			return figures.Data{}, fmt.Errorf("digest data: participants: %w", err)
		}
		if err := c.knownFigures(ctx, tx, since, until); err != nil {
			return figures.Data{}, fmt.Errorf("digest data: participants: %w", err)
		}
	}
	for _, r := range acts {
		if c.people[r.pid] != nil {
			c.countSession(r.flow, r.done, r.started, r.updated, r.expired)
		}
	}
	c.keepSessions(sessions)
	// No version: the loose scan of answered notes every version a
	// question with tallies was answered on before the end, these
	// answers' among them, and it is one text column less to copy. In
	// the order stored among those given at the same time, as the full
	// scan's: the index's own order.
	rows, err := tx.QueryContext(ctx, `SELECT session_id, flow_id, question_id, answered_at,
			CASE WHEN choices IS NOT NULL AND kind IN ('choice', 'multi', 'scale') THEN choices END, NULL
		FROM answers INDEXED BY answers_answered
		WHERE answered_at >= ? AND answered_at < ? AND answered_at < ? AND skipped = 0
		ORDER BY answered_at, rowid`, since, until, end)
	if err != nil {
		return figures.Data{}, fmt.Errorf("digest data: answers: %w", err)
	}
	err = c.stream(rows)
	rows.Close()
	if err != nil {
		return figures.Data{}, fmt.Errorf("digest data: answers: %w", err)
	}
	if err := c.answersBefore(ctx, tx, since); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: answers before the period: %w", err)
	}
	d := c.result()
	if err := c.windowReminders(ctx, tx, &d, since, until); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: reminders: %w", err)
	}
	if err := c.answered(ctx, tx, &d); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: answered versions: %w", err)
	}
	if d.Versions, err = c.questionVersions(ctx, tx); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: flow versions: %w", err)
	}
	if d.Quotes, d.Unreadable, err = db.quotes(ctx, tx, kr, c, "answers INDEXED BY answers_answered"); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: quotes: %w", err)
	}
	return d, nil
}

// span returns the stored times the windows counted cover, from the
// start of the earlier to the end of the later.
func (c *digestCounter) span() (since, until string) {
	first := true
	for w := range c.windows() {
		if c.hi[w] == "" {
			continue
		}
		if first || c.lo[w] < since {
			since = c.lo[w]
		}
		if first || c.hi[w] > until {
			until = c.hi[w]
		}
		first = false
	}
	return since, until
}

// loadPeople reads the participants whose latest consent is to take
// part, as loadParticipants does, but leanly, for it reads every one:
// the consent from the index consents_latest alone, the records made in
// batches, and the time a participant was first stored kept only where
// a window may need it (from since on); before, every participant is
// created before the period's end and in no window, as earlier says.
func (c *digestCounter) loadPeople(ctx context.Context, tx *sql.Tx, since string) error {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.created_at,
			(SELECT take_part * 2 + quotes FROM consents INDEXED BY consents_latest WHERE participant_id = p.id ORDER BY id DESC LIMIT 1)
		FROM participants p`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := len(c.q.Demographics)
	var batch []digestPerson
	var groups []string
	var created sql.RawBytes
	var id int64
	var consent sql.NullInt64
	for rows.Next() {
		if err := rows.Scan(&id, &created, &consent); err != nil {
			return err
		}
		if !consent.Valid || consent.Int64&2 == 0 {
			continue // no consent, or not to take part
		}
		if len(batch) == 0 {
			batch, groups = make([]digestPerson, 1024), make([]string, 1024*2*n)
		}
		p := &batch[0]
		batch = batch[1:]
		p.groups, p.groupAt, groups = groups[:n:n], groups[n:2*n:2*n], groups[2*n:]
		p.quotes = consent.Int64&1 == 1
		p.created = earlier
		if since == "" || string(created) >= since {
			p.created = string(created)
		}
		c.people[id] = p
	}
	return rows.Err()
}

// earlier stands for a stored time before every window: before any
// formatted time, and after "", the start.
const earlier = "0"

// answersBefore counts the choice answers given before the windows that
// the windows' figures depend on: every answer to a demographic question
// (a participant's group is their latest before the end of the period)
// and the answers in the trend's months to its questions. Each
// question's come in the order they were stored, as in the full scan.
func (c *digestCounter) answersBefore(ctx context.Context, tx *sql.Tx, since string) error {
	trendFrom := ""
	for i, lo := range c.trendLo {
		if i == 0 || lo < trendFrom {
			trendFrom = lo
		}
	}
	for q, r := range c.refs {
		from := ""
		switch {
		case c.demo[q] >= 0 && c.known == nil: // the groups, unless known
		case c.trendQ[q] && len(c.trendLo) > 0:
			from = trendFrom
		default:
			continue
		}
		if since == "" || from >= since {
			continue // all in the windows, counted with them
		}
		var err error
		if c.trendQ[q] {
			err = c.questionBefore(ctx, tx, q, r, from, since)
		} else {
			err = c.groupsBefore(ctx, tx, q, r, since)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// questionBefore counts the choice answers to question q (r) given from
// from until since.
func (c *digestCounter) questionBefore(ctx context.Context, tx *sql.Tx, q int, r figures.QuestionRef, from, since string) error {
	rows, err := tx.QueryContext(ctx, `SELECT s.participant_id, a.answered_at, a.choices
		FROM answers a INDEXED BY answers_flow_question JOIN sessions s ON s.id = a.session_id
		WHERE a.flow_id = ? AND a.question_id = ? AND a.answered_at >= ? AND a.answered_at < ?
			AND a.skipped = 0 AND a.choices IS NOT NULL AND a.kind IN ('choice', 'multi', 'scale')
			AND s.started_at < ?
		ORDER BY a.rowid`, r.FlowID, r.QuestionID, from, since, c.hi[figures.WindowTotal])
	if err != nil {
		return err
	}
	defer rows.Close()
	var at, choices sql.RawBytes
	var pid int64
	for rows.Next() {
		if err := rows.Scan(&pid, &at, &choices); err != nil {
			return err
		}
		if c.people[pid] == nil {
			continue // every one taking part is loaded for the trend
		}
		a, err := c.answerOf(q, choices)
		if err != nil {
			return err
		}
		c.trendAdd(digestSession{pid: pid}, q, string(at), a)
		c.groupAdd(pid, q, string(at), a, choices)
	}
	return rows.Err()
}

// groupsBefore puts the participants in the groups of their answers to
// demographic question q (r) given before since, as groupAdd does, with
// SQLite picking out the first option chosen of the answers not empty.
// It reads every participant's answers, so it is kept lean: for the
// demographics flow, from the covering indexes answers_groups and
// sessions_owner alone, in session order (so rowid breaks a tie between
// answers given at the same time, the later stored winning, as in the
// full scan).
func (c *digestCounter) groupsBefore(ctx context.Context, tx *sql.Tx, q int, r figures.QuestionRef, since string) error {
	i := c.demo[q]
	// The flow is written out for answers_groups: SQLite uses a partial
	// index only where the query's terms imply its own.
	answers, sessions, flow := "answers a INDEXED BY answers_flow_question", "sessions s", "?"
	if r.FlowID == demographicsFlow {
		answers, sessions, flow = "answers a INDEXED BY answers_groups", "sessions s INDEXED BY sessions_owner", "'"+demographicsFlow+"'"
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.participant_id, a.answered_at, a.rowid, json_extract(a.choices, '$[0]')
		FROM `+answers+` JOIN `+sessions+` ON s.id = a.session_id
		WHERE a.flow_id = `+flow+` AND a.question_id = ?2 AND a.answered_at < ?3
			AND a.skipped = 0 AND a.choices IS NOT NULL AND a.kind IN ('choice', 'multi', 'scale')
			AND json_array_length(a.choices) > 0 AND s.started_at < ?4`,
		r.FlowID, r.QuestionID, since, c.hi[figures.WindowTotal])
	if err != nil {
		return err
	}
	defer rows.Close()
	best := make(map[int64]int64, len(c.people)) // the rowid of each one's group answer
	var at, first sql.RawBytes
	var pid, rowid int64
	for rows.Next() {
		if err := rows.Scan(&pid, &at, &rowid, &first); err != nil {
			return err
		}
		p := c.people[pid]
		if p == nil {
			continue
		}
		if n := strings.Compare(string(at), p.groupAt[i]); n > 0 || n == 0 && rowid > best[pid] {
			p.groupAt[i], p.groups[i], best[pid] = string(at), string(first), rowid
		}
	}
	return rows.Err()
}

// demographicsFlow is digest.DemographicsFlow, whose answers
// answers_groups holds (migration 014).
const demographicsFlow = "about-you"

// windowReminders counts the reminders sent in the windows.
func (c *digestCounter) windowReminders(ctx context.Context, tx *sql.Tx, d *figures.Data, since, until string) error {
	rows, err := tx.QueryContext(ctx, `SELECT sent_at FROM reminders
		WHERE status = 'sent' AND sent_at >= ? AND sent_at < ?`, since, until)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var at string
		if err := rows.Scan(&at); err != nil {
			return err
		}
		for w, a := range []*figures.Activity{&d.Period, &d.Previous} {
			if c.in(figures.Window(w), at) {
				a.RemindersSent++
			}
		}
	}
	return rows.Err()
}
