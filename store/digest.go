package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The digest's queries. They read only, in one transaction, and return
// aggregates: counts of people and answers, never a participant's id,
// pseudonym or time. Only participants whose latest consent is to take
// part are counted, and each participant counts once per question, with
// their latest answer in the window. Disclosure control is not applied
// here: these are the raw figures the digest protects.

// Window names the span of time a figure covers.
type Window int

// The windows of a digest.
const (
	// WindowPeriod is the digest's period.
	WindowPeriod Window = iota
	// WindowPrevious is the period before it, for changes.
	WindowPrevious
	// WindowTotal is everything before the end of the period.
	WindowTotal
)

// Span is a span of time [From, To). A zero From means from the start.
type Span struct {
	From, To time.Time
}

// QuestionRef names a question of a flow.
type QuestionRef struct {
	FlowID, QuestionID string
}

// QuestionSet is a named set of questions, such as those of one theme.
type QuestionSet struct {
	Name      string
	Questions []QuestionRef
}

// DigestQuery says what the digest needs counted.
type DigestQuery struct {
	// Period and Previous are the digest's period and the one before.
	// The total window is everything before Period.To.
	Period, Previous Span
	// Demographics are questions whose first chosen option puts a
	// participant in a group: their latest answer before Period.To.
	Demographics []QuestionRef
	// Sets are counted (answers given, and people who gave them) in the
	// period and the previous one.
	Sets []QuestionSet
	// Quotable are questions whose text answers in the period are
	// returned, decrypted, from participants who agreed to be quoted.
	Quotable []QuestionRef
}

// DigestData holds the raw figures for a digest.
type DigestData struct {
	// Period, Previous and Total count activity in each window.
	Period, Previous, Total Activity
	// Tallies count people by their answer to each choice, multi and
	// scale question, and by their demographic groups.
	Tallies []ChoiceTally
	// GroupSizes count participants (as at the end of the period) by
	// their answers to the demographic questions.
	GroupSizes []GroupSize
	// SetCounts count the answers to each question set.
	SetCounts []SetCount
	// Quotes are the quotable text answers of the period.
	Quotes []QuoteText
	// Versions name, for each choice, multi and scale question answered
	// before the end of the period, the flow versions the answers were
	// given on, so the digest can word the question as it was asked.
	Versions []QuestionVersions
}

// QuestionVersions names the flow versions (hashes) a question's answers
// were given on, the most recently stored version first.
type QuestionVersions struct {
	FlowID, QuestionID string
	Versions           []string
}

// Activity counts new participants and sessions in a window.
type Activity struct {
	// NewParticipants were first stored in the window.
	NewParticipants int
	// Flows counts sessions by flow, sorted by flow id.
	Flows []FlowActivity
}

// FlowActivity counts one flow's sessions in a window.
type FlowActivity struct {
	FlowID string
	// Started in the window; Completed in the window; StartedAndCompleted
	// started in the window and completed before its end.
	Started, Completed, StartedAndCompleted int
}

// ChoiceTally is how many people gave one answer to one question in a
// window, within one combination of demographic groups.
type ChoiceTally struct {
	Window             Window
	FlowID, QuestionID string
	// Choices is the answer: the option ids chosen, sorted.
	Choices []string
	// Groups holds the people's first chosen option for each of the
	// query's Demographics, in order; "" where they gave none.
	Groups []string
	People int
}

// GroupSize is how many participants have one combination of answers to
// the demographic questions.
type GroupSize struct {
	Groups []string
	People int
}

// SetCount is how many answers (not skipped) were given to a question set
// in a window, and by how many people.
type SetCount struct {
	Window          Window
	Set             string
	Answers, People int
}

// QuoteText is one quotable text answer, decrypted.
type QuoteText struct {
	// Ref identifies the answer without revealing its session or
	// participant: a keyed hash, stable while the key is.
	Ref                string
	FlowID, QuestionID string
	// FlowVersion is the hash of the flow version the answer was given
	// on, so the quote is attributed to the question as it was asked.
	FlowVersion string
	Text        string
	// Groups are the participant's demographic groups, as for tallies.
	Groups []string
}

// DigestData reads the raw figures for a digest in one read transaction.
//
// The answers to choice questions are streamed once and counted in Go:
// SQLite's GROUP BY sorts every row first, which costs three times as
// much over a million answers (docs/benchmarks.md).
func (db *DB) DigestData(ctx context.Context, q DigestQuery) (DigestData, error) {
	if q.Period.To.IsZero() || !q.Period.From.Before(q.Period.To) {
		return DigestData{}, fmt.Errorf("digest data: the period %v to %v is empty; give a start before the end", q.Period.From, q.Period.To)
	}
	tx, err := db.rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return DigestData{}, fmt.Errorf("digest data: %w", err)
	}
	defer tx.Rollback()
	c := newDigestCounter(q)
	if err := c.loadParticipants(ctx, tx); err != nil {
		return DigestData{}, fmt.Errorf("digest data: participants: %w", err)
	}
	if err := c.loadSessions(ctx, tx); err != nil {
		return DigestData{}, fmt.Errorf("digest data: sessions: %w", err)
	}
	if err := c.streamAnswers(ctx, tx); err != nil {
		return DigestData{}, fmt.Errorf("digest data: answers: %w", err)
	}
	d := c.result()
	if d.Versions, err = c.questionVersions(ctx, tx); err != nil {
		return DigestData{}, fmt.Errorf("digest data: flow versions: %w", err)
	}
	if d.Quotes, err = db.quotes(ctx, tx, c); err != nil {
		return DigestData{}, fmt.Errorf("digest data: quotes: %w", err)
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
// order.
func (db *DB) quotes(ctx context.Context, tx *sql.Tx, c *digestCounter) ([]QuoteText, error) {
	if len(c.q.Quotable) == 0 {
		return nil, nil
	}
	quotable := map[QuestionRef]bool{}
	for _, r := range c.q.Quotable {
		quotable[r] = true
	}
	// NOT INDEXED: the question index would fetch every answer ever given
	// to each quotable question; scanning for the period's is cheaper.
	rows, err := tx.QueryContext(ctx, `SELECT session_id, question_id, flow_id, flow_version, text, key_version
		FROM answers NOT INDEXED
		WHERE answered_at >= ? AND answered_at < ? AND skipped = 0 AND text IS NOT NULL`,
		c.lo[WindowPeriod], c.hi[WindowPeriod])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QuoteText
	for rows.Next() {
		var qt QuoteText
		var sid string
		var sealed []byte
		var version int
		if err := rows.Scan(&sid, &qt.QuestionID, &qt.FlowID, &qt.FlowVersion, &sealed, &version); err != nil {
			return nil, err
		}
		if !quotable[QuestionRef{qt.FlowID, qt.QuestionID}] {
			continue
		}
		s, ok := c.sessions[sid]
		if !ok || !c.people[s.pid].quotes {
			continue // not taking part, or not to be quoted
		}
		plain, err := db.keys.open(version, textAD(sid, qt.QuestionID), sealed)
		if err != nil {
			return nil, fmt.Errorf("text of an answer to %s/%s: %w", qt.FlowID, qt.QuestionID, err)
		}
		qt.Text = string(plain)
		qt.Ref = db.quoteRef(sid, qt.QuestionID)
		qt.Groups = c.groupsOf(s.pid)
		out = append(out, qt)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b QuoteText) int { return strings.Compare(a.Ref, b.Ref) })
	return out, nil
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
