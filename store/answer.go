package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Answer is a participant's answer to one question of a session.
//
// Only Text is encrypted at rest. Choices and Number stay plaintext on
// purpose: an option id or a number on a scale does not identify anyone, and
// the digest must count and average them in SQL across participants, which
// ciphertext would prevent. Anything a participant types goes in Text.
type Answer struct {
	SessionID, FlowID, FlowVersion, QuestionID string
	// Kind is the question type: choice, multi, scale, text or number.
	Kind string
	// Choices are the chosen option ids, for choice, multi and scale.
	Choices []string
	// Text is free text; it is encrypted at rest.
	Text string
	// Number is the answer to a number question.
	Number *float64
	// Skipped is true when the participant chose not to answer.
	Skipped bool
	// AnsweredAt is when the answer was given; zero means the session's
	// UpdatedAt.
	AnsweredAt time.Time
	// Unreadable is set, on an answer read back, when its stored text
	// could not be decrypted (the row is damaged, or its participant's
	// data key is missing or damaged): Text is then empty, and the
	// answer's other fields are as stored. One damaged row is reported
	// this way rather than failing the whole read.
	Unreadable bool
}

// Answers returns all the participant's answers, decrypted, ordered by
// answer time, then question id.
func (db *DB) Answers(ctx context.Context, participantID int64) ([]Answer, error) {
	tx, err := db.rd.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	defer tx.Rollback()
	as, err := db.findAnswers(ctx, tx, db.keyReader(), participantID)
	if err != nil {
		return nil, fmt.Errorf("answers of participant %d: %w", participantID, err)
	}
	return as, nil
}

// textAD is the additional data binding an answer's text to its row.
func textAD(sessionID, questionID string) string {
	return "answers.text\x00" + sessionID + "\x00" + questionID
}

// upsertAnswer inserts an answer or replaces the session's earlier answer to
// the same question; dk is the participant's data key.
func upsertAnswer(ctx context.Context, tx *sql.Tx, dk cipher.AEAD, a Answer) error {
	var choices, text any // NULL unless present
	if len(a.Choices) > 0 {
		buf, err := json.Marshal(a.Choices)
		if err != nil {
			return err
		}
		choices = string(buf)
	}
	if a.Text != "" {
		text = seal(dk, textAD(a.SessionID, a.QuestionID), []byte(a.Text))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO answers
		(session_id, question_id, flow_id, flow_version, kind, choices, text, number, skipped, key_version, answered_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (session_id, question_id) DO UPDATE SET
			flow_id = excluded.flow_id, flow_version = excluded.flow_version, kind = excluded.kind,
			choices = excluded.choices, text = excluded.text, number = excluded.number, skipped = excluded.skipped,
			key_version = excluded.key_version, answered_at = excluded.answered_at`,
		a.SessionID, a.QuestionID, a.FlowID, a.FlowVersion, a.Kind, choices, text, a.Number, a.Skipped,
		keyVersion, formatTime(a.AnsweredAt))
	return err
}

// findAnswers loads and decrypts a participant's answers. An answer
// whose text cannot be decrypted is returned Unreadable.
func (db *DB) findAnswers(ctx context.Context, tx *sql.Tx, kr *keyReader, participantID int64) ([]Answer, error) {
	dk, err := kr.key(ctx, participantID)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.session_id, a.question_id, a.flow_id, a.flow_version, a.kind,
			a.choices, a.text, a.number, a.skipped, a.key_version, a.answered_at
		FROM answers a JOIN sessions s ON s.id = a.session_id
		WHERE s.participant_id = ?
		ORDER BY a.answered_at, a.question_id, a.session_id`, participantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		var choices sql.NullString
		var sealed []byte
		var number sql.NullFloat64
		var version int
		var answered string
		if err := rows.Scan(&a.SessionID, &a.QuestionID, &a.FlowID, &a.FlowVersion, &a.Kind,
			&choices, &sealed, &number, &a.Skipped, &version, &answered); err != nil {
			return nil, err
		}
		if choices.Valid {
			if err := json.Unmarshal([]byte(choices.String), &a.Choices); err != nil {
				return nil, fmt.Errorf("choices of answer to %q in session %q: %w", a.QuestionID, a.SessionID, err)
			}
		}
		if sealed != nil {
			plain, err := db.keys.open(version, dk, textAD(a.SessionID, a.QuestionID), sealed)
			a.Text, a.Unreadable = string(plain), err != nil
		}
		if number.Valid {
			a.Number = &number.Float64
		}
		if a.AnsweredAt, err = parseTime(answered); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
