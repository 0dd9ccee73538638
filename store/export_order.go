package store

import (
	"context"
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
const exportAnswersInQuery = `SELECT s.participant_id, s.started_at, s.status, s.wave, a.session_id, a.question_id,
		a.flow_id, a.flow_version, a.kind, a.choices, a.text, a.number, a.skipped, a.key_version, a.answered_at
	FROM sessions s JOIN answers a ON a.session_id = s.id
	WHERE s.participant_id IN (SELECT value FROM json_each(?))`

// ReadExportInOrder is ReadExport with the answers handed participant by
// participant in the order that begin returns (participants' row ids), in
// the same one read transaction. An export that puts participants in an
// order of its own (the order of their codes) can then write rows as they
// are read, instead of holding every row until the last is read. A
// participant begin leaves out is not read; within a participant, answers
// are in no particular order.
func (db *DB) ReadExportInOrder(ctx context.Context, begin func(ExportHeader) ([]int64, error), each func(ExportAnswer) error) error {
	tx, err := db.rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read export: %w", err)
	}
	defer tx.Rollback()
	kr := db.keyReader()
	kr.bulk = true
	h, err := exportHeader(ctx, tx)
	if err != nil {
		return fmt.Errorf("read export: %w", err)
	}
	if h.Tags, err = db.exportTags(ctx, tx); err != nil {
		return fmt.Errorf("read export: %w", err)
	}
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
		rows, err := stmt.QueryContext(ctx, string(ids))
		if err != nil {
			return fmt.Errorf("read export: answers: %w", err)
		}
		if err := db.scanAnswers(ctx, rows, kr, &in, keep); err != nil {
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
