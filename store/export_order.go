package store

import (
	"bytes"
	"context"
	"crypto/cipher"
	"database/sql"
	"fmt"
	"strconv"
)

// exportBatch is how many participants one query of ReadExportInOrder
// reads: enough that the queries cost little beside the rows, few enough
// that their answers wait in memory briefly.
const exportBatch = 256

// exportAnswersInQuery reads the answers of a batch of participants, given
// as a JSON array of row ids, through the sessions' participant index.
// The text columns but the sealed text come joined in one, apart by
// U+001F (packedFields), because go-sqlite3 allocates twice for every
// text column of every row: 18 of the 22 allocations of an answer. A row
// where a column holds U+001F itself (which no id, time or JSON array
// PeerVoice writes does) has more separators than the joining put in, and
// is read again column by column, by its row id (exportAnswerByRowID).
const exportAnswersInQuery = `SELECT s.participant_id, s.wave, a.text, a.number, a.skipped, a.key_version,
		concat_ws(char(31), s.started_at, s.status, a.session_id, a.question_id, a.flow_id, a.flow_version,
			a.kind, a.answered_at, COALESCE(a.choices, '')),
		a.rowid
	FROM sessions s JOIN answers a ON a.session_id = s.id
	WHERE s.participant_id IN (SELECT value FROM json_each(?))`

// packedFields is how many columns exportAnswersInQuery joins.
const packedFields = 9

// exportAnswerByRowID reads the joined columns of one answer apart.
const exportAnswerByRowID = `SELECT s.started_at, s.status, a.session_id, a.question_id, a.flow_id, a.flow_version,
		a.kind, a.answered_at, a.choices
	FROM answers a JOIN sessions s ON s.id = a.session_id
	WHERE a.rowid = ?`

// ReadExportInOrder is ReadExport with the answers handed participant by
// participant in the order that begin returns (participants' row ids), in
// the same one read transaction. An export that puts participants in an
// order of its own (the order of their codes) can then write rows as they
// are read, instead of holding every row until the last is read. A
// participant begin leaves out is not read; within a participant, answers
// are in no particular order.
func (db *DB) ReadExportInOrder(ctx context.Context, begin func(ExportHeader) ([]int64, error), each func(ExportAnswer) error) error {
	tx, kr, h, err := db.beginExport(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	order, err := begin(h)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, exportAnswersInQuery)
	if err != nil {
		return fmt.Errorf("read export: answers: %w", err)
	}
	defer stmt.Close()
	var (
		in    interner
		ids   []byte
		byID  = map[int64][]ExportAnswer{}
		keys  = map[int64]cipher.AEAD{}
		spare [][]ExportAnswer // emptied slices, for the next batch
	)
	keep := func(a ExportAnswer) error {
		as, ok := byID[a.ParticipantID]
		if !ok && len(spare) > 0 {
			as, spare = spare[len(spare)-1], spare[:len(spare)-1]
		}
		byID[a.ParticipantID] = append(as, a)
		return nil
	}
	for len(order) > 0 {
		batch := order[:min(exportBatch, len(order))]
		order = order[len(batch):]
		ids = append(ids[:0], '[')
		for i, id := range batch {
			if i > 0 {
				ids = append(ids, ',')
			}
			ids = strconv.AppendInt(ids, id, 10)
		}
		ids = append(ids, ']')
		clear(keys)
		if err := db.exportKeys(ctx, string(ids), batch, keys); err != nil {
			return fmt.Errorf("read export: data keys: %w", err)
		}
		rows, err := stmt.QueryContext(ctx, string(ids))
		if err != nil {
			return fmt.Errorf("read export: answers: %w", err)
		}
		if err := db.scanPacked(ctx, tx, rows, kr, &in, keys, keep); err != nil {
			return err
		}
		for _, id := range batch {
			as := byID[id]
			for i := range as {
				if err := each(as[i]); err != nil {
					return err
				}
			}
			if as != nil {
				clear(as) // let the texts go
				spare = append(spare, as[:0])
			}
		}
		clear(byID)
	}
	return nil
}

// scanPacked is scanAnswers for the columns of exportAnswersInQuery.
func (db *DB) scanPacked(ctx context.Context, tx *sql.Tx, rows *sql.Rows, kr *keyReader, in *interner,
	keys map[int64]cipher.AEAD, each func(ExportAnswer) error) error {
	defer rows.Close()
	var (
		c      exportColumns
		a      ExportAnswer
		r      = answerReader{keys: keys}
		packed sql.RawBytes
		rowID  int64
	)
	for rows.Next() {
		a = ExportAnswer{}
		if err := rows.Scan(&a.ParticipantID, &a.Wave, &c.sealed, &c.number, &a.Skipped, &c.keyVer, &packed, &rowID); err != nil {
			return fmt.Errorf("read export: answers: %w", err)
		}
		if bytes.Count(packed, []byte{0x1f}) != packedFields-1 {
			var f [packedFields][]byte // Row.Scan takes no RawBytes
			if err := tx.QueryRowContext(ctx, exportAnswerByRowID, rowID).Scan(&f[0], &f[1], &f[2],
				&f[3], &f[4], &f[5], &f[6], &f[7], &f[8]); err != nil {
				return fmt.Errorf("read export: answer %d: %w", rowID, err)
			}
			c.started, c.status, c.session, c.question, c.flow, c.version, c.kind, c.answered, c.choices =
				f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]
		} else {
			var f [packedFields][]byte
			rest := []byte(packed)
			for i := range packedFields - 1 {
				j := bytes.IndexByte(rest, 0x1f) // there, as counted
				f[i], rest = rest[:j], rest[j+1:]
			}
			f[packedFields-1] = rest
			c.started, c.status, c.session, c.question, c.flow, c.version, c.kind, c.answered, c.choices =
				f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]
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

// exportKeys reads the data keys of a batch of participants (batch, and
// as a JSON array of row ids) into keys, in one query of the keyring
// instead of one per participant, as keyReader.key would read them:
// outside the read's snapshot, which is safe for the reason it gives. A
// participant without one (of an older PeerVoice, or withdrawn since), or
// whose key does not unwrap, gets nil, as keyReader.key gives them: their
// texts are then read the old way or as unreadable.
func (db *DB) exportKeys(ctx context.Context, ids string, batch []int64, keys map[int64]cipher.AEAD) error {
	rows, err := db.ring.rd.QueryContext(ctx, `SELECT participant_id, wrapped FROM participant_keys
		WHERE participant_id IN (SELECT value FROM json_each(?))`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var wrapped []byte
		if err := rows.Scan(&pid, &wrapped); err != nil {
			return err
		}
		dk, err := db.keys.unwrap(pid, wrapped)
		if err != nil {
			dk = nil // damaged: unreadable, as keyReader.key has it
		}
		keys[pid] = dk
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, pid := range batch {
		if _, ok := keys[pid]; !ok {
			keys[pid] = nil
		}
	}
	return nil
}
