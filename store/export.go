package store

import (
	"bytes"
	"context"
	"crypto/cipher"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// ExportHeader is what a research export needs before the answers: it is
// read in the same transaction as them, so the three agree.
type ExportHeader struct {
	// Versions are every stored flow version, by flow id, then age.
	Versions []FlowVersion
	// Participants are every participant, by id, with their latest
	// consent. Withdrawn participants are deleted, so they are not here.
	Participants []ExportParticipant
	// Answers is how many answers the export will be handed.
	Answers int
	// Tags are every participant's export tag, by row id, for their code
	// in the export: a keyed hash of the pseudonym (exportTags), 32 bytes,
	// stable from one export to the next and unrelated to the order of
	// joining.
	Tags map[int64][]byte
}

// ExportParticipant is a participant as an export sees them: the row id
// (stable, never reused) and their latest consent, never the pseudonym.
type ExportParticipant struct {
	ID int64
	// Consented is set when there is a consent at all; TakePart and Quotes
	// are that latest consent's answers.
	Consented, TakePart, Quotes bool
}

// ExportAnswer is one stored answer, decrypted, with its participant's id
// and when its session started (to order a participant's repeated runs of
// a flow).
type ExportAnswer struct {
	ParticipantID  int64
	SessionStarted time.Time
	// SessionStatus is the status of the answer's session: StatusDone
	// (a complete response), StatusExpired (a partial one: closed
	// unfinished), or StatusActive or StatusPaused (under way).
	SessionStatus string
	// Wave is the session's wave of its flow (Session.Wave).
	Wave int
	Answer
}

// ReadExport reads everything a research export needs in one read
// transaction, so that an answer saved or a participant withdrawn
// meanwhile is either wholly in or wholly out: begin is called once with
// the flow versions, the participants and the number of answers, then each
// with every answer, ordered by participant id (within a participant, in no
// particular order). An answer whose text cannot be decrypted is handed to
// each Unreadable, with its text empty. An error from begin or each stops
// the read and is returned as it is.
//
// Writers are not blocked (the database is in WAL mode), but the write-ahead
// log cannot be checkpointed past the read until it ends.
func (db *DB) ReadExport(ctx context.Context, begin func(ExportHeader) error, each func(ExportAnswer) error) error {
	tx, kr, h, err := db.beginExport(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := begin(h); err != nil {
		return err
	}
	return db.exportAnswers(ctx, tx, kr, each)
}

// beginExport begins an export's one read transaction and reads its
// header (flow versions, participants, answer count, export tags), with a
// key reader that unwraps each key once and caches none (bulk). The caller
// ends the transaction; on an error it is already ended.
func (db *DB) beginExport(ctx context.Context) (*sql.Tx, *keyReader, ExportHeader, error) {
	tx, err := db.rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, ExportHeader{}, fmt.Errorf("read export: %w", err)
	}
	kr := db.keyReader()
	kr.bulk = true
	h, err := exportHeader(ctx, tx)
	if err == nil {
		h.Tags, err = db.exportTags(ctx, tx)
	}
	if err != nil {
		tx.Rollback()
		return nil, nil, ExportHeader{}, fmt.Errorf("read export: %w", err)
	}
	return tx, kr, h, nil
}

// exportHeader reads the flow versions, the participants and the count of
// answers.
func exportHeader(ctx context.Context, tx *sql.Tx) (ExportHeader, error) {
	var h ExportHeader
	var err error
	if h.Versions, err = allFlowVersions(ctx, tx); err != nil {
		return h, fmt.Errorf("flow versions: %w", err)
	}
	if h.Participants, err = exportParticipants(ctx, tx); err != nil {
		return h, fmt.Errorf("participants: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM answers`).Scan(&h.Answers); err != nil {
		return h, fmt.Errorf("count answers: %w", err)
	}
	return h, nil
}

// allFlowVersions loads every stored flow version.
func allFlowVersions(ctx context.Context, tx *sql.Tx) ([]FlowVersion, error) {
	rows, err := tx.QueryContext(ctx, `SELECT hash, flow_id, source, created_at FROM flow_versions
		ORDER BY flow_id, created_at, hash`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FlowVersion
	for rows.Next() {
		var v FlowVersion
		var created string
		if err := rows.Scan(&v.Hash, &v.FlowID, &v.Source, &created); err != nil {
			return nil, err
		}
		if v.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// exportParticipants loads every participant's id and latest consent.
func exportParticipants(ctx context.Context, tx *sql.Tx) ([]ExportParticipant, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, c.id IS NOT NULL, COALESCE(c.take_part, 0), COALESCE(c.quotes, 0)
		FROM participants p
		LEFT JOIN consents c ON c.id = (SELECT MAX(id) FROM consents WHERE participant_id = p.id)
		ORDER BY p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExportParticipant
	for rows.Next() {
		var p ExportParticipant
		if err := rows.Scan(&p.ID, &p.Consented, &p.TakePart, &p.Quotes); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// exportAnswersQuery reads the answers by participant. SQLite walks the
// sessions through their participant index and each session's answers
// through their primary key, so it sorts nothing and its memory does not
// grow with the database (a test checks the plan).
const exportAnswersQuery = `SELECT s.participant_id, s.started_at, s.status, s.wave, a.session_id, a.question_id,
		a.flow_id, a.flow_version, a.kind, a.choices, a.text, a.number, a.skipped, a.key_version, a.answered_at
	FROM sessions s JOIN answers a ON a.session_id = s.id
	ORDER BY s.participant_id`

// exportAnswers hands each answer, decrypted, to each, by participant.
func (db *DB) exportAnswers(ctx context.Context, tx *sql.Tx, kr *keyReader, each func(ExportAnswer) error) error {
	rows, err := tx.QueryContext(ctx, exportAnswersQuery)
	if err != nil {
		return fmt.Errorf("read export: answers: %w", err)
	}
	var in interner
	return db.scanAnswers(ctx, rows, kr, &in, each)
}

// scanAnswers hands each row of rows (the columns of exportAnswersQuery)
// to each as an answer, decrypted, and closes rows.
func (db *DB) scanAnswers(ctx context.Context, rows *sql.Rows, kr *keyReader, in *interner, each func(ExportAnswer) error) error {
	defer rows.Close()
	var (
		c exportColumns
		a ExportAnswer
		r answerReader
	)
	for rows.Next() {
		a = ExportAnswer{}
		if err := rows.Scan(&a.ParticipantID, &c.started, &c.status, &a.Wave, &c.session, &c.question, &c.flow, &c.version,
			&c.kind, &c.choices, &c.sealed, &c.number, &a.Skipped, &c.keyVer, &c.answered); err != nil {
			return fmt.Errorf("read export: answers: %w", err)
		}
		if err := r.read(ctx, db, kr, in, &c, &a); err != nil {
			return err
		}
		if err := each(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read export: answers: %w", err)
	}
	return nil
}

// exportColumns are the columns of an answer as read.
type exportColumns struct {
	session, question, flow, version, kind sql.RawBytes
	choices, sealed, started, answered     sql.RawBytes
	status                                 sql.RawBytes
	number                                 sql.NullFloat64
	keyVer                                 int
}

// answerReader turns columns into answers. It reads a million rows, so it
// avoids allocating what repeats: ids and kinds are interned, a session's
// id and start are kept from its previous answer, and the common shapes
// of choices and times are parsed by hand.
type answerReader struct {
	lastSession, lastStarted string
	lastStartedAt            time.Time
	// keys, when set, holds data keys read ahead (exportKeys), nil for
	// none; a participant not in it has theirs found by the keyReader.
	keys map[int64]cipher.AEAD
}

// read fills in a from c; a.ParticipantID, a.Wave and a.Skipped are read
// already.
func (r *answerReader) read(ctx context.Context, db *DB, kr *keyReader, in *interner, c *exportColumns, a *ExportAnswer) error {
	var err error
	if string(c.session) != r.lastSession {
		r.lastSession = string(c.session)
	}
	a.SessionID = r.lastSession
	a.SessionStatus = in.get(c.status)
	a.QuestionID, a.FlowID, a.FlowVersion, a.Kind = in.get(c.question), in.get(c.flow), in.get(c.version), in.get(c.kind)
	if len(c.choices) > 0 {
		if a.Choices, err = in.choices(c.choices); err != nil {
			return fmt.Errorf("read export: choices of answer to %q in session %q: %w", a.QuestionID, a.SessionID, err)
		}
	}
	if c.sealed != nil {
		dk, ok := r.keys[a.ParticipantID]
		if !ok {
			dk, err = kr.key(ctx, a.ParticipantID)
		}
		if err != nil {
			return fmt.Errorf("read export: %w", err)
		}
		// A damaged row is handed on Unreadable, for the export to
		// count and leave out, rather than failing the export.
		plain, err := db.keys.open(c.keyVer, dk, textAD(a.SessionID, a.QuestionID), c.sealed)
		a.Text, a.Unreadable = string(plain), err != nil
	}
	if c.number.Valid {
		n := c.number.Float64
		a.Number = &n
	}
	if string(c.started) != r.lastStarted {
		r.lastStarted = string(c.started)
		if r.lastStartedAt, err = parseTimeFast(c.started); err != nil {
			return fmt.Errorf("read export: %w", err)
		}
	}
	a.SessionStarted = r.lastStartedAt
	if a.AnsweredAt, err = parseTimeFast(c.answered); err != nil {
		return fmt.Errorf("read export: %w", err)
	}
	return nil
}

// interner hands out one string per distinct value, so a million rows
// share a few hundred ids.
type interner map[string]string

func (in *interner) get(b []byte) string {
	if *in == nil {
		*in = map[string]string{}
	}
	if s, ok := (*in)[string(b)]; ok { // no allocation for the lookup
		return s
	}
	if len(*in) > 100000 {
		return string(b) // not repetitive after all: stop growing
	}
	s := string(b)
	(*in)[s] = s
	return s
}

// choices reads a JSON array of option ids, by hand when it is plain
// (["a","b"], no escapes or spaces), else with encoding/json.
func (in *interner) choices(b []byte) ([]string, error) {
	if len(b) >= 2 && b[0] == '[' && b[len(b)-1] == ']' && bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, ' ') < 0 {
		body := b[1 : len(b)-1]
		if len(body) == 0 {
			return []string{}, nil
		}
		out := make([]string, 0, bytes.Count(body, []byte{','})+1)
		ok := true
		for _, part := range bytes.Split(body, []byte{','}) {
			if len(part) < 2 || part[0] != '"' || part[len(part)-1] != '"' || bytes.IndexByte(part[1:len(part)-1], '"') >= 0 {
				ok = false
				break
			}
			out = append(out, in.get(part[1:len(part)-1]))
		}
		if ok {
			return out, nil
		}
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// parseTimeFast reads a time written by formatTime, by hand for the fixed
// layout, else with parseTime.
func parseTimeFast(b []byte) (time.Time, error) {
	// 2006-01-02T15:04:05.000000000Z
	if len(b) == len(timeFormat) && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == '.' && b[29] == 'Z' {
		num := func(from, to int) (int, bool) {
			n := 0
			for _, c := range b[from:to] {
				if c < '0' || c > '9' {
					return 0, false
				}
				n = n*10 + int(c-'0')
			}
			return n, true
		}
		y, ok1 := num(0, 4)
		mo, ok2 := num(5, 7)
		d, ok3 := num(8, 10)
		h, ok4 := num(11, 13)
		mi, ok5 := num(14, 16)
		sec, ok6 := num(17, 19)
		ns, ok7 := num(20, 29)
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 60 {
			t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
			if t.Day() == d { // not 31 February
				return t, nil
			}
		}
	}
	return parseTime(string(b))
}
