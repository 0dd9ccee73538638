//go:build !cgo

package store

// Without cgo, go-sqlite3 compiles to a stub whose every connection
// fails with "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3
// requires cgo to work", and without its error codes. Go turns cgo off
// by itself when it finds no C compiler, so this is what a newcomer
// without gcc builds: it compiles, and Open says what to install.

import _ "github.com/mattn/go-sqlite3" // the stub driver, as in the cgo build

// haveCgo reports whether this build has SQLite (go-sqlite3 needs cgo).
const haveCgo = false

// SQLite's result codes (https://sqlite.org/rescode.html); no error is a
// SQLite one in this build.
var (
	codeBusy                 = 5
	codeReadonly             = 8
	codeCantOpen             = 14
	codeNotADB               = 26
	codeConstraintForeignKey = 19 | 3<<8
)

// sqliteCodes reports that err is no SQLite error: this build has none.
func sqliteCodes(error) (primary, extended int, ok bool) { return 0, 0, false }
