package store

import (
	"context"
	"fmt"
	"sync"
)

// Group commit. SQLite has one writer and, with synchronous=FULL, one
// fsync per commit: committed one by one, writes could never outpace the
// disk's flush rate. So on SQLite every Update goes to a single writer
// goroutine that takes all the writes waiting at that moment, runs each in
// a savepoint of one shared transaction, commits once, and only then
// reports each outcome. A write that fails rolls back to its savepoint and
// leaves the others alone; nothing is acknowledged before the commit that
// makes it durable. With one client, batches hold one write and cost what
// a plain transaction costs.

// maxBatch bounds how many writes share one commit.
const maxBatch = 256

type writeReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// groupWriter owns SQLite's write connection.
type groupWriter struct {
	db     *DB
	queue  chan *writeReq
	closed chan struct{}
	once   sync.Once
}

func newGroupWriter(db *DB) *groupWriter {
	w := &groupWriter{db: db, queue: make(chan *writeReq, maxBatch), closed: make(chan struct{})}
	go w.loop()
	return w
}

// submit queues fn and waits for the commit that includes it.
func (w *groupWriter) submit(ctx context.Context, fn func(*Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case w.queue <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the write may commit, so its outcome is awaited even if
	// the caller has gone: reporting a cancellation for a committed write
	// would be a lie.
	return <-req.done
}

func (w *groupWriter) close() {
	w.once.Do(func() { close(w.queue) })
	<-w.closed
}

func (w *groupWriter) loop() {
	defer close(w.closed)
	for req := range w.queue {
		batch := []*writeReq{req}
	gather:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-w.queue:
				if !ok {
					break gather
				}
				batch = append(batch, r)
			default:
				break gather
			}
		}
		w.run(batch)
		// Between batches the write connection is free to prepare the
		// statements the batch used for the first time, and to let the
		// WAL start over if it has grown long.
		w.db.prepareWanted(context.Background(), w.db.write)
		w.db.restartLongWAL(context.Background())
	}
}

func (w *groupWriter) run(batch []*writeReq) {
	results := make([]error, len(batch))
	finish := func(commitErr error) {
		for i, r := range batch {
			if results[i] == nil && commitErr != nil {
				results[i] = commitErr
			}
			r.done <- results[i]
		}
	}
	ctx := context.Background()
	stx, err := w.db.write.BeginTx(ctx, nil)
	if err != nil {
		finish(fmt.Errorf("begin: %w", err))
		return
	}
	single := len(batch) == 1
	committed := 0
	keysChanged := false
	for i, r := range batch {
		// Cancellation must not interrupt a statement of a transaction
		// other writes share.
		rctx := context.WithoutCancel(r.ctx)
		tx := &Tx{tx: stx, q: stx, db: w.db, pool: w.db.write, dialect: w.db.dialect, now: w.db.now().UTC(), shared: true}
		if !single {
			if _, err := stx.ExecContext(rctx, "SAVEPOINT w"); err != nil {
				_ = stx.Rollback()
				finish(fmt.Errorf("savepoint: %w", err))
				return
			}
		}
		results[i] = call(r.fn, tx)
		if results[i] == nil {
			results[i] = tx.end(rctx)
		}
		keysChanged = keysChanged || tx.keysChanged
		switch {
		case results[i] != nil && single:
			_ = stx.Rollback()
			finish(nil)
			return
		case results[i] != nil:
			if _, err := stx.ExecContext(rctx, "ROLLBACK TO w; RELEASE w"); err != nil {
				// The shared transaction is in an unknown state: fail all.
				_ = stx.Rollback()
				finish(fmt.Errorf("rollback to savepoint: %w", err))
				return
			}
		case !single:
			if _, err := stx.ExecContext(rctx, "RELEASE w"); err != nil {
				_ = stx.Rollback()
				finish(fmt.Errorf("release savepoint: %w", err))
				return
			}
			committed++
		default:
			committed++
		}
	}
	if committed == 0 {
		_ = stx.Rollback()
		finish(nil)
		return
	}
	if err := stx.Commit(); err != nil {
		finish(fmt.Errorf("commit: %w", err))
		return
	}
	if keysChanged {
		w.db.keys.gen.Add(1)
	}
	finish(nil)
}

// call runs fn, turning a panic into an error so that one write cannot
// take the writer (and every other write) down.
func call(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in write: %v", p)
		}
	}()
	return fn(tx)
}
