package store

import "context"

// Pragma returns the value of a pragma on the writer's and a reader's
// connection, so black-box tests can check the DSN took effect.
func Pragma(ctx context.Context, db *DB, name string) (writer, reader string, err error) {
	if err := db.wr.QueryRowContext(ctx, "PRAGMA "+name).Scan(&writer); err != nil {
		return "", "", err
	}
	if err := db.rd.QueryRowContext(ctx, "PRAGMA "+name).Scan(&reader); err != nil {
		return "", "", err
	}
	return writer, reader, nil
}
