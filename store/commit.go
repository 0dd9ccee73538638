package store

import (
	"context"
	"errors"
	"fmt"
)

// Group commit. Each step must be durable before it is acknowledged, and
// with synchronous=FULL a commit costs an fsync, so one commit per step
// caps the store at a few thousand steps a second. Under concurrency the
// committer takes every step already waiting, applies each in its own
// savepoint (a failing step rolls back alone), and commits them together:
// one fsync for the batch, and every caller still returns only once its
// step is on disk. Alone, a step is committed on its own at once.

// maxBatch bounds one group commit, so one transaction stays short.
const maxBatch = 256

// errClosed is returned for steps saved after Close.
var errClosed = errors.New("store: closed")

// stepReq is one SaveStep waiting for the committer.
type stepReq struct {
	s       Session
	answers []Answer
	cleared []string
	// rev, when set, makes the step conditional (SaveStepIf): open asks
	// that the session still be the participant's open one, and wrote
	// receives the row as written.
	rev   *StepRev
	open  bool
	wrote StepRev
	done  chan error
}

func (db *DB) startCommitter() {
	db.steps = make(chan *stepReq)
	db.quit = make(chan struct{})
	db.stopped = make(chan struct{})
	go db.commitLoop()
}

func (db *DB) stopCommitter() {
	if db.quit == nil {
		return
	}
	db.stopOnce.Do(func() { close(db.quit) })
	<-db.stopped
	// Wait for a step committing itself (enqueue) to finish.
	db.committing.Lock()
	db.committing.Unlock()
}

func (db *DB) commitLoop() {
	defer close(db.stopped)
	for {
		var first *stepReq
		select {
		case first = <-db.steps:
		case <-db.quit:
			return
		}
		db.committing.Lock()
		db.commitBatch(db.gather(first))
		db.committing.Unlock()
	}
}

// gather returns first with the steps already waiting, up to maxBatch.
func (db *DB) gather(first *stepReq) []*stepReq {
	batch := []*stepReq{first}
	for len(batch) < maxBatch {
		select {
		case r := <-db.steps:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// enqueue commits a prepared step and waits until it is committed or has
// failed. When no batch is being committed it commits the step itself,
// with any already waiting: handing a lone step to the committer and
// back cost two goroutine wake-ups, a tenth of an answer's CPU time.
// Otherwise it hands the step to the committer, which takes it with the
// next batch.
func (db *DB) enqueue(ctx context.Context, r *stepReq) error {
	r.done = make(chan error, 1)
	if err := ctx.Err(); err != nil {
		return err
	}
	if db.committing.TryLock() {
		select {
		case <-db.quit:
			// Closed, or closing: Close waits for the committing lock,
			// then closes the connections.
			db.committing.Unlock()
			return errClosed
		default:
		}
		db.commitBatch(db.gather(r))
		db.committing.Unlock()
		return <-r.done
	}
	select {
	case db.steps <- r:
	case <-db.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the step will be committed or fail; wait for which, so
	// the caller never acknowledges an answer that is not on disk.
	return <-r.done
}

func (db *DB) commitBatch(batch []*stepReq) {
	ctx := context.Background()
	fail := func(err error) {
		for _, r := range batch {
			r.done <- err
		}
	}
	tx, err := db.wr.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	defer tx.Rollback()
	kr := db.keyReader()
	errs := make([]error, len(batch))
	for i, r := range batch {
		if len(batch) == 1 {
			errs[i] = db.saveReq(ctx, tx, kr, r)
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT step`); err != nil {
			fail(fmt.Errorf("savepoint: %w", err))
			return
		}
		if errs[i] = db.saveReq(ctx, tx, kr, r); errs[i] != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO step`); err != nil {
				fail(fmt.Errorf("roll back a failed step: %w", err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE step`); err != nil {
			fail(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if len(batch) == 1 && errs[0] != nil {
		fail(errs[0])
		return
	}
	if err := tx.Commit(); err != nil {
		fail(err)
		return
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
}
