package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/peervoice/peervoice/digest/figures"
)

// The digest's queries. They read only, in one transaction, and return
// aggregates: counts of people and answers, never a participant's id,
// pseudonym or time. Only participants whose latest consent is to take
// part are counted, and each participant counts once per question, with
// their latest answer in the window. Disclosure control is not applied
// here: these are the raw figures the digest protects. Their types come
// from package digest/figures, and digest.Build reads them as they are.

// DigestData reads the raw figures for a digest in one read transaction.
//
// A PeriodOnly query (the digest's) reads the windows' rows through
// their indexes (digest_window.go). Any other reads every answer before
// the end of the period once, for the total window too: the answers to
// choice questions are streamed and counted in Go, as SQLite's GROUP BY
// sorts every row first, which costs three times as much over a million
// answers (docs/benchmarks.md). The two count the windows alike; the
// full scan is the windowed read's test oracle.
func (db *DB) DigestData(ctx context.Context, q figures.Query) (figures.Data, error) {
	if q.Period.To.IsZero() || !q.Period.From.Before(q.Period.To) {
		return figures.Data{}, fmt.Errorf("digest data: the period %v to %v is empty; give a start before the end", q.Period.From, q.Period.To)
	}
	tx, err := db.rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return figures.Data{}, fmt.Errorf("digest data: %w", err)
	}
	defer tx.Rollback()
	kr := db.keyReader()
	c := newDigestCounter(q)
	if q.PeriodOnly {
		return db.digestWindows(ctx, tx, kr, c)
	}
	if err := c.loadParticipants(ctx, tx); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: participants: %w", err)
	}
	if err := c.loadSessions(ctx, tx); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: sessions: %w", err)
	}
	if err := c.streamAnswers(ctx, tx); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: answers: %w", err)
	}
	d := c.result()
	if err := c.countReminders(ctx, tx, &d); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: reminders: %w", err)
	}
	if d.Versions, err = c.questionVersions(ctx, tx); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: flow versions: %w", err)
	}
	if d.Quotes, d.Unreadable, err = db.quotes(ctx, tx, kr, c, "answers NOT INDEXED"); err != nil {
		return figures.Data{}, fmt.Errorf("digest data: quotes: %w", err)
	}
	return d, nil
}

// LatestAnswer returns when the latest answer (not skipped) of a
// participant taking part was given, or the zero time when nobody taking
// part has answered anything: so a digest of an empty period can name
// the latest one with answers. It reads the time of every answer, one
// pass as DigestData makes; the digest asks only when its period is
// empty.
func (db *DB) LatestAnswer(ctx context.Context) (time.Time, error) {
	var latest sql.NullString
	err := db.rd.QueryRowContext(ctx, `SELECT MAX(a.answered_at) FROM answers a
		WHERE a.skipped = 0 AND a.session_id IN (
			SELECT s.id FROM sessions s JOIN consents c ON c.participant_id = s.participant_id
			WHERE c.id = (SELECT MAX(id) FROM consents WHERE participant_id = s.participant_id) AND c.take_part = 1)`).Scan(&latest)
	if err != nil {
		return time.Time{}, fmt.Errorf("latest answer: %w", err)
	}
	if !latest.Valid {
		return time.Time{}, nil
	}
	t, err := parseTime(latest.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("latest answer: %w", err)
	}
	return t, nil
}

// quotes returns the text answers to quotable questions given in the
// period by participants who agreed to be quoted, decrypted, in a stable
// order, and how many could not be decrypted and are left out. from
// names the table with the index to use: the full scan reads every
// answer anyway, and the windowed read the period's by time.
func (db *DB) quotes(ctx context.Context, tx *sql.Tx, kr *keyReader, c *digestCounter, from string) (out []figures.QuoteText, unreadable int, err error) {
	if len(c.q.Quotable) == 0 {
		return nil, 0, nil
	}
	quotable := map[figures.QuestionRef]bool{}
	var ids []string
	for _, r := range c.q.Quotable {
		quotable[r] = true
		ids = append(ids, r.QuestionID)
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return nil, 0, err
	}
	// Never the question index: it would fetch every answer ever given
	// to each quotable question. The question ids filter the rows before
	// their texts are read.
	rows, err := tx.QueryContext(ctx, `SELECT session_id, question_id, flow_id, flow_version, text, key_version
		FROM `+from+`
		WHERE answered_at >= ? AND answered_at < ? AND skipped = 0 AND question_id IN (SELECT value FROM json_each(?))
			AND text IS NOT NULL`,
		c.lo[figures.WindowPeriod], c.hi[figures.WindowPeriod], string(idList))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var qt figures.QuoteText
		var sid string
		var sealed []byte
		var version int
		if err := rows.Scan(&sid, &qt.QuestionID, &qt.FlowID, &qt.FlowVersion, &sealed, &version); err != nil {
			return nil, 0, err
		}
		if !quotable[figures.QuestionRef{FlowID: qt.FlowID, QuestionID: qt.QuestionID}] {
			continue
		}
		s, ok := c.sessions[sid]
		if !ok || !c.people[s.pid].quotes {
			continue // not taking part, or not to be quoted
		}
		dk, err := kr.key(ctx, s.pid)
		if err != nil {
			return nil, 0, err
		}
		plain, err := db.keys.open(version, dk, textAD(sid, qt.QuestionID), sealed)
		if err != nil {
			unreadable++ // one damaged answer costs its quote, not the digest
			continue
		}
		qt.Text = string(plain)
		qt.Ref = db.quoteRef(sid, qt.QuestionID)
		qt.Groups = c.groupsOf(s.pid)
		out = append(out, qt)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	slices.SortFunc(out, func(a, b figures.QuoteText) int { return strings.Compare(a.Ref, b.Ref) })
	return out, unreadable, nil
}

// quoteRef is a keyed hash of an answer's row key: stable, and useless
// for finding the session or the participant without the secret.
func (db *DB) quoteRef(sessionID, questionID string) string {
	m := hmac.New(sha256.New, db.keys.pseudonym)
	m.Write([]byte("peervoice quote ref v1\x00" + sessionID + "\x00" + questionID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// FlowVersions returns every stored flow version, oldest first, so a
// digest can label answers given to versions since changed.
func (db *DB) FlowVersions(ctx context.Context) ([]FlowVersion, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT hash, flow_id, source, created_at FROM flow_versions ORDER BY created_at, hash`)
	if err != nil {
		return nil, fmt.Errorf("flow versions: %w", err)
	}
	defer rows.Close()
	var out []FlowVersion
	for rows.Next() {
		var v FlowVersion
		var created string
		if err := rows.Scan(&v.Hash, &v.FlowID, &v.Source, &created); err != nil {
			return nil, fmt.Errorf("flow versions: %w", err)
		}
		if v.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("flow versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("flow versions: %w", err)
	}
	return out, nil
}

// FirstAnswerAt returns when the earliest stored answer was given, or the
// zero time when there is none: where a look through every period of the
// study (peervoice quotes list --all) starts.
func (db *DB) FirstAnswerAt(ctx context.Context) (time.Time, error) {
	var s sql.NullString
	if err := db.rd.QueryRowContext(ctx, `SELECT MIN(answered_at) FROM answers`).Scan(&s); err != nil {
		return time.Time{}, fmt.Errorf("first answer: %w", err)
	}
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("first answer: %w", err)
	}
	return t, nil
}
