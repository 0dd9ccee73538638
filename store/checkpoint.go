package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// checkpointer copies the write-ahead logs of the database and of the
// keyring into their files and empties them (PRAGMA
// wal_checkpoint(TRUNCATE)) after a withdrawal, so none holds the
// withdrawn participant's data key or rows once no reader needs them. A reader still in a transaction begun before the withdrawal
// (a digest, an export) holds the old pages in place: the checkpoint
// cannot finish until it ends, so it is retried, backing off to every
// few seconds, until it does or the database is closed. It has its own
// connection that never waits on a lock, so a retry never holds up the
// writer.
type checkpointer struct {
	wake chan struct{}
	quit chan struct{}
	done chan struct{}
	once sync.Once

	mu    sync.Mutex
	conns []*sql.DB // the database's, then the keyring's
	runs  int       // completed checkpoints, for tests
}

// checkpointBackoff bounds the wait between retries.
const checkpointBackoff = 2 * time.Second

// startCheckpointer opens the checkpointer's connection and starts it.
func (db *DB) startCheckpointer(syncMode string) error {
	conn, err := sql.Open("sqlite3", dsn(db.path, syncMode, 0, true))
	if err != nil {
		return fmt.Errorf("open database %s: %w", db.path, err)
	}
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conns: []*sql.DB{conn}, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	db.checkpointer = c
	go c.run()
	return nil
}

// watch checkpoints the file at path too (the keyring). Its connection
// opens only when first used.
func (c *checkpointer) watch(path string) {
	conn, err := sql.Open("sqlite3", dsn(path, "FULL", 0, true))
	if err != nil {
		return // sql.Open fails only for an unknown driver
	}
	conn.SetMaxOpenConns(1)
	c.mu.Lock()
	c.conns = append(c.conns, conn)
	c.mu.Unlock()
}

// now checkpoints at once if it can, and else has it retried until it
// can.
func (c *checkpointer) now() {
	if c != nil && !c.try() {
		c.request()
	}
}

// request has a checkpoint made in the background, retried until it
// completes.
func (c *checkpointer) request() {
	if c == nil {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default: // a checkpoint is due already
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.wake:
		case <-c.quit:
			return
		}
		for wait := 10 * time.Millisecond; !c.try(); wait = min(2*wait, checkpointBackoff) {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-c.quit:
				t.Stop()
				return
			}
		}
	}
}

// try runs one checkpoint of each file and reports whether it copied and
// emptied every log.
func (c *checkpointer) try() bool {
	c.mu.Lock()
	conns := c.conns
	c.mu.Unlock()
	ok := true
	for _, conn := range conns {
		var busy, logFrames, copied int
		err := conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &copied)
		if err != nil || busy != 0 {
			ok = false
		}
	}
	if ok {
		c.mu.Lock()
		c.runs++
		c.mu.Unlock()
	}
	return ok
}

// completed is how many checkpoints have finished.
func (c *checkpointer) completed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs
}

// stop ends the retries and closes the connection.
func (c *checkpointer) stop() error {
	if c == nil {
		return nil
	}
	c.once.Do(func() { close(c.quit) })
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, conn := range c.conns {
		errs = append(errs, conn.Close())
	}
	return errors.Join(errs...)
}
