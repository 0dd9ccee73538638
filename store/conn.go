package store

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// dsn builds a file: URI carrying the pragmas, so every pooled connection has
// them. The path is escaped, so a '?' or '#' in it is harmless.
func dsn(abs, syncMode string, busy time.Duration, write bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", syncMode) // after _journal_mode: the driver would otherwise use NORMAL for WAL
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	// Zero deleted content, so a withdrawal leaves no readable remains in
	// free pages.
	q.Set("_secure_delete", "on")
	q.Set("_stmt_cache_size", "32")
	if write {
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "on")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// synchronous validates Options.Synchronous.
func synchronous(s string) (string, error) {
	switch v := strings.ToUpper(s); v {
	case "":
		return "FULL", nil
	case "FULL", "NORMAL", "EXTRA":
		return v, nil
	}
	return "", fmt.Errorf("open database: synchronous %q is not supported; want FULL (default), NORMAL or EXTRA", s)
}
