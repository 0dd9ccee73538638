package store

import (
	"database/sql"
	"errors"
	"fmt"
)

// Draft returns flowID's draft; ok is false when there is none.
func (t *ReleaseTx) Draft(flowID string) (d FlowDraft, ok bool, err error) {
	var at string
	err = t.tx.QueryRowContext(t.ctx, `SELECT flow_id, hash, source, created_at, actor_kind, actor_id, actor_name
		FROM flow_drafts WHERE flow_id = ?`, flowID).Scan(&d.FlowID, &d.Hash, &d.Source, &at, &d.ActorKind, &d.ActorID, &d.ActorName)
	if errors.Is(err, sql.ErrNoRows) {
		return FlowDraft{}, false, nil
	} else if err != nil {
		return FlowDraft{}, false, fmt.Errorf("flow %s draft: %w", flowID, err)
	}
	if d.CreatedAt, err = parseTime(at); err != nil {
		return FlowDraft{}, false, fmt.Errorf("flow %s draft: %w", flowID, err)
	}
	return d, true, nil
}

// Drafts returns the ids of the flows that have a draft.
func (t *ReleaseTx) Drafts() (map[string]bool, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT flow_id FROM flow_drafts`)
	if err != nil {
		return nil, fmt.Errorf("flow drafts: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("flow drafts: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// SaveDraft stores d as its flow's draft, replacing an earlier one.
func (t *ReleaseTx) SaveDraft(d FlowDraft) (FlowDraft, error) {
	if d.FlowID == "" || d.Hash == "" || len(d.Source) == 0 || d.ActorKind == "" {
		return FlowDraft{}, fmt.Errorf("save flow draft: flow %q, hash %q, %d bytes, actor %q: all are required", d.FlowID, d.Hash, len(d.Source), d.ActorKind)
	}
	d.CreatedAt = t.db.orNow(d.CreatedAt)
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO flow_drafts (flow_id, hash, source, created_at, actor_kind, actor_id, actor_name)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (flow_id) DO UPDATE SET hash = excluded.hash, source = excluded.source, created_at = excluded.created_at,
			actor_kind = excluded.actor_kind, actor_id = excluded.actor_id, actor_name = excluded.actor_name`,
		d.FlowID, d.Hash, d.Source, formatTime(d.CreatedAt), d.ActorKind, d.ActorID, d.ActorName); err != nil {
		return FlowDraft{}, fmt.Errorf("save flow %s draft: %w", d.FlowID, err)
	}
	return d, nil
}

// DeleteDraft removes flowID's draft, if any.
func (t *ReleaseTx) DeleteDraft(flowID string) error {
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM flow_drafts WHERE flow_id = ?`, flowID); err != nil {
		return fmt.Errorf("delete flow %s draft: %w", flowID, err)
	}
	return nil
}

// Imported returns the SHA-256 (hex) of the content last imported from
// the seed file named file, or "" when none was.
func (t *ReleaseTx) Imported(file string) (string, error) {
	var sum string
	err := t.tx.QueryRowContext(t.ctx, `SELECT sha256 FROM flow_imports WHERE file = ?`, file).Scan(&sum)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("flow import %s: %w", file, err)
	}
	return sum, nil
}

// SetImported records that the content with this SHA-256 was imported
// from file.
func (t *ReleaseTx) SetImported(file, sum string) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO flow_imports (file, sha256, imported_at) VALUES (?, ?, ?)
		ON CONFLICT (file) DO UPDATE SET sha256 = excluded.sha256, imported_at = excluded.imported_at`,
		file, sum, formatTime(t.db.now())); err != nil {
		return fmt.Errorf("record flow import %s: %w", file, err)
	}
	return nil
}

// AnswerCount counts the answers (not skips) given to question
// questionID of flowID, on any version; with optionID, only those that
// chose that option.
func (t *ReleaseTx) AnswerCount(flowID, questionID, optionID string) (int, error) {
	q := `SELECT COUNT(*) FROM answers WHERE flow_id = ? AND question_id = ? AND skipped = 0`
	args := []any{flowID, questionID}
	if optionID != "" {
		// choices is a JSON array of option ids.
		q += ` AND choices IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(answers.choices) WHERE value = ?)`
		args = append(args, optionID)
	}
	var n int
	if err := t.tx.QueryRowContext(t.ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count answers to %s/%s: %w", flowID, questionID, err)
	}
	return n, nil
}

// SessionCounts counts the sessions started on each flow, every version.
func (t *ReleaseTx) SessionCounts() (map[string]int, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT flow_id, COUNT(*) FROM sessions GROUP BY flow_id`)
	if err != nil {
		return nil, fmt.Errorf("count sessions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count sessions: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
