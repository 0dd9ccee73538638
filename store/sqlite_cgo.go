//go:build cgo

package store

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// haveCgo reports whether this build has SQLite (go-sqlite3 needs cgo).
const haveCgo = true

// The SQLite result codes the store explains.
var (
	codeBusy                 = int(sqlite3.ErrBusy)
	codeReadonly             = int(sqlite3.ErrReadonly)
	codeCantOpen             = int(sqlite3.ErrCantOpen)
	codeNotADB               = int(sqlite3.ErrNotADB)
	codeConstraintForeignKey = int(sqlite3.ErrConstraintForeignKey)
)

// sqliteCodes returns the primary and extended SQLite result codes of
// err, if it is a SQLite error.
func sqliteCodes(err error) (primary, extended int, ok bool) {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return 0, 0, false
	}
	return int(se.Code), int(se.ExtendedCode), true
}
