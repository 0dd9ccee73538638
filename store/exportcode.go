package store

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"fmt"
)

// infoExportCode derives the key of the participants' export tags, used
// for nothing else.
const infoExportCode = "peervoice export code v1"

// exportTags returns every participant's export tag, by row id:
// HMAC-SHA256 of their pseudonym under a key derived from the pseudonym
// key for export codes alone. A tag is the same in every export of the
// database, says nothing of when the participant joined (unlike the row
// id), and, as the key never leaves the store, cannot be computed from a
// pseudonym or a Discord id by whoever holds an export.
func (db *DB) exportTags(ctx context.Context, tx *sql.Tx) (map[int64][]byte, error) {
	key, err := hkdf.Key(sha256.New, db.keys.pseudonym, nil, infoExportCode, 32)
	if err != nil {
		return nil, fmt.Errorf("derive export code key: %w", err)
	}
	defer clear(key)
	rows, err := tx.QueryContext(ctx, `SELECT id, pseudonym FROM participants`)
	if err != nil {
		return nil, fmt.Errorf("export tags: %w", err)
	}
	defer rows.Close()
	tags := map[int64][]byte{}
	var pseudonym sql.RawBytes
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &pseudonym); err != nil {
			return nil, fmt.Errorf("export tags: %w", err)
		}
		m := hmac.New(sha256.New, key)
		m.Write(pseudonym)
		tags[id] = m.Sum(nil)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("export tags: %w", err)
	}
	return tags, nil
}
