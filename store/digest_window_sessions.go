package store

import (
	"context"
	"database/sql"

	"github.com/peervoice/peervoice/digest/figures"
)

// The sessions a PeriodOnly digest reads: those active in its windows,
// for the activity, and those of the windows' answers.

// digestSessionColumns are what countSession needs of a session.
const digestSessionColumns = `id, participant_id, flow_id, status = 'done', started_at, updated_at, COALESCE(expired_at, '')`

// windowActivity reads the sessions started before the end of the
// period that were started, completed or closed in the windows: the
// only ones countSession counts there.
func (c *digestCounter) windowActivity(ctx context.Context, tx *sql.Tx, since, until string) ([]windowActivityRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+digestSessionColumns+` FROM sessions INDEXED BY sessions_started
			WHERE started_at >= ?1 AND started_at < ?2 AND started_at < ?3
		UNION SELECT `+digestSessionColumns+` FROM sessions INDEXED BY sessions_completed
			WHERE status = 'done' AND updated_at >= ?1 AND updated_at < ?2 AND started_at < ?3
		UNION SELECT `+digestSessionColumns+` FROM sessions INDEXED BY sessions_expired
			WHERE expired_at >= ?1 AND expired_at < ?2 AND started_at < ?3`, since, until, c.hi[figures.WindowTotal])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []windowActivityRow
	var id sql.RawBytes
	for rows.Next() {
		var r windowActivityRow
		if err := rows.Scan(&id, &r.pid, &r.flow, &r.done, &r.started, &r.updated, &r.expired); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// windowActivityRow is a session windowActivity read.
type windowActivityRow struct {
	pid                             int64
	flow, started, updated, expired string
	done                            bool
}

// windowSessions reads the sessions of the answers given in the windows,
// started before the end of the period, each with whether its
// participant has several sessions of its flow started by then (the
// full scan counts them all to know).
func (c *digestCounter) windowSessions(ctx context.Context, tx *sql.Tx, since, until string) ([]windowSessionRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.participant_id, s.flow_id,
			(SELECT COUNT(*) FROM sessions o INDEXED BY sessions_flow_started
				WHERE o.participant_id = s.participant_id AND o.flow_id = s.flow_id AND o.started_at < ?3)
		FROM sessions s INDEXED BY sessions_owner
		WHERE s.id IN (SELECT session_id FROM answers INDEXED BY answers_answered WHERE answered_at >= ?1 AND answered_at < ?2)
			AND s.started_at < ?3`, since, until, c.hi[figures.WindowTotal])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []windowSessionRow
	for rows.Next() {
		var r windowSessionRow
		if err := rows.Scan(&r.id, &r.pid, &r.flow, &r.n); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// windowSessionRow is a session windowSessions read.
type windowSessionRow struct {
	id, flow string
	pid      int64
	n        int
}

// keepSessions keeps the sessions of participants taking part.
func (c *digestCounter) keepSessions(rows []windowSessionRow) {
	flowOf := map[string]int32{}
	for _, r := range rows {
		if c.people[r.pid] == nil {
			continue
		}
		f, ok := flowOf[r.flow]
		if !ok {
			f = int32(len(flowOf))
			flowOf[r.flow] = f
		}
		c.sessions[r.id] = digestSession{pid: r.pid, flow: f, several: r.n > 1}
	}
}

// trendBefore reports whether the trend counts answers from before
// since: every participant taking part is then loaded.
func (c *digestCounter) trendBefore(since string) bool {
	if len(c.trendLo) == 0 || since == "" {
		return false
	}
	for _, lo := range c.trendLo {
		if lo < since {
			return len(c.trendQ) > 0
		}
	}
	return false
}
