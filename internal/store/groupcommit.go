package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Group commit. A durable commit costs a flush of the log to disk (and on
// PostgreSQL a round trip and the server's commit work besides): committed
// one by one, writes could never outpace that. So every Update goes to a
// writer goroutine that takes all the writes waiting at that moment, runs
// them in one shared transaction, commits once, and only then reports each
// outcome. A write that fails leaves the others alone: it changed nothing
// yet, or it opened a savepoint before its first change (Tx.beforeWrite)
// and rolls back to it; when neither is sure, every write of the batch
// runs again alone. Nothing is acknowledged before the commit that makes
// it durable. With one client, batches hold one write and cost what a
// plain transaction costs.
//
// SQLite has one writer, so it gets one writer goroutine. PostgreSQL gets
// two (PostgresWriters), each with its own connection, so that one batch
// runs while the other waits for its flush; and each commit carries the
// batch's rows and begins the next batch's transaction (COMMIT AND CHAIN),
// two round trips fewer per batch (chain.go).

// PostgresWriters is how many batches run at once on PostgreSQL: one
// runs while the other waits for its commit. On one machine two and four
// measured the same; on a slower one two did 29% more payments at 32
// clients and 22% more at 8 (alternate runs), with a lower p99: fewer
// writers make fewer, larger batches, and each batch costs the server a
// commit and its round trips. One writer did 7% less than two (the
// next batch waits for the last commit instead of running beside it).
const PostgresWriters = 2

// maxBatch bounds how many writes share one commit.
const maxBatch = 256

// batchLockTimeout bounds how long a write run by a writer waits for a row
// lock on PostgreSQL (the writers' connections are opened with it). Such a
// lock is held by another transaction — often another batch — and waiting
// for it would stall every write of this batch and keep the writer from
// others, or deadlock two batches that each hold what the other wants. A
// write that times out is undone and runs again alone, in a transaction of
// its own, where it may wait as long as it must.
const batchLockTimeout = "50ms"

// earlyFlushWrites is how many writes' rows the SQLite writer writes at
// least at once while the last batch's fsync runs (see run): with 4 it
// spent more of its time on statements than it saved; with 8, about 3%
// more payments.
const earlyFlushWrites = 8

// commitRefused reports whether a failed commit is known to have committed
// nothing: the server refused it (an error at commit rolls the
// transaction back), a statement failed that no write reported, or a row
// sent with the commit conflicted. Any other failure leaves it unknown.
func commitRefused(err error) bool {
	var pe *pgconn.PgError
	return errors.Is(err, pgx.ErrTxCommitRollback) || errors.Is(err, errCommitRolledBack) || errors.As(err, &pe)
}

// errRunAlone tells submit to run the write in a transaction of its own.
var errRunAlone = errors.New("store: run the write alone")

type writeReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	key  *keyClaim    // the idempotency key fn claims, if any
	spec *speculation // fn run speculatively (speculate.go)
	done chan error
}

// groupWriter owns the connections that write.
type groupWriter struct {
	db     *DB
	pool   *sql.DB
	queue  chan *writeReq
	wg     sync.WaitGroup
	closed chan struct{}
	once   sync.Once
	// On SQLite, epoch counts the batches that found the database changed
	// by another connection — another process — since the writer's last
	// commit (PRAGMA data_version, last seen in version): what a
	// speculative write assumed before such a change is not trusted.
	epoch   atomic.Int64
	version int64
	// synced, on SQLite, is closed once the last batch committed is
	// durable (see walsync.go): until then the next batch takes in the
	// writes that arrive, instead of committing.
	synced chan struct{}
	// earlyFlush, if set (by tests), learns how many rows were written
	// while an fsync ran.
	earlyFlush func(rows int)
	// chains counts the commits that began the next batch's transaction;
	// chainsRefused those of them refused (nothing committed).
	chains, chainsRefused atomic.Int64
	// oneRounds counts the batches committed in one round trip
	// (oneround.go).
	oneRounds atomic.Int64
	// liveKeyFound is when (Unix nanoseconds) the SQLite writer last
	// found a speculation's key used by its insert (see readLiveKeys).
	liveKeyFound atomic.Int64
}

func newGroupWriter(db *DB, pool *sql.DB, writers int) *groupWriter {
	w := &groupWriter{db: db, pool: pool, queue: make(chan *writeReq, maxBatch), closed: make(chan struct{})}
	w.wg.Add(writers)
	for range writers {
		go w.loop()
	}
	go func() {
		w.wg.Wait()
		close(w.closed)
	}()
	return w
}

// submit queues fn and waits for the commit that includes it.
func (w *groupWriter) submit(ctx context.Context, fn func(*Tx) error) error {
	return w.submitKeyed(ctx, nil, fn)
}

// submitKeyed is submit for a write that claims key first.
func (w *groupWriter) submitKeyed(ctx context.Context, key *keyClaim, fn func(*Tx) error) error {
	return w.submitSpec(ctx, key, nil, fn)
}

// submitSpec is submitKeyed for a write that ran speculatively (spec, if
// not nil), which the writer need not run again if its assumptions hold.
func (w *groupWriter) submitSpec(ctx context.Context, key *keyClaim, spec *speculation, fn func(*Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, key: key, spec: spec, done: make(chan error, 1)}
	select {
	case w.queue <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the write may commit, so its outcome is awaited even if
	// the caller has gone: reporting a cancellation for a committed write
	// would be a lie.
	err := <-req.done
	if errors.Is(err, errRunAlone) {
		return w.db.run(ctx, w.db.write, false, fn)
	}
	return err
}

func (w *groupWriter) close() {
	w.once.Do(func() { close(w.queue) })
	<-w.closed
}

func (w *groupWriter) loop() {
	defer w.wg.Done()
	var ch *chained // the transaction the last commit began, if it did
	defer func() { ch.end() }()
	for {
		req, ok := w.next(&ch)
		if !ok {
			return
		}
		batch := w.queued([]*writeReq{req}, maxBatch)
		if len(batch) == 1 && req.spec == nil && w.synced != nil {
			// A write alone would commit without the batch's
			// savepoints, and so take no company: it waits for the
			// previous commit's fsync, as it would under
			// synchronous=FULL, in case others come meanwhile.
			select {
			case r, ok := <-w.queue:
				if ok {
					batch = append(batch, r)
				}
			case <-w.synced:
			}
		}
		ch = w.run(batch, ch)
		if w.db.dialect == SQLite {
			// Between batches the write connection is free to prepare
			// the statements the batch used for the first time, and to
			// let the WAL start over if it has grown long.
			w.db.prepareWanted(context.Background(), w.pool)
			w.db.restartLongWAL(context.Background())
		}
	}
}

// run runs batch in one transaction — ch's, if the last batch chained one
// — and returns the transaction its commit chained, if it did.
func (w *groupWriter) run(batch []*writeReq, ch *chained) (next *chained) {
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
	conn, stx, err := w.begin(ctx, ch)
	if err != nil {
		finish(fmt.Errorf("begin: %w", err))
		return nil
	}
	defer func() {
		if conn != nil && next == nil {
			_ = conn.Close() // to the pool, its transaction ended
		}
	}()
	if conn != nil && w.oneRoundBatch(batch) {
		ok, err := w.oneRound(ctx, conn, stx, batch)
		switch {
		case err != nil:
			finish(fmt.Errorf("commit: %w", err))
			return nil
		case ok:
			w.chains.Add(1)
			w.oneRounds.Add(1)
			finish(nil)
			return &chained{conn: conn, tx: stx}
		}
		// Refused, and rolled back: the batch runs as any other.
		if stx, err = conn.BeginTx(ctx, nil); err != nil {
			finish(fmt.Errorf("begin: %w", err))
			return nil
		}
	}
	single := len(batch) == 1
	var rows *batchWrites
	state := &txState{}
	epoch, speculated := int64(0), false
	for _, r := range batch {
		speculated = speculated || r.spec != nil
	}
	if !single || speculated {
		rows = &batchWrites{}
	}
	var live map[keyClaim]bool // keys of the batch's speculations with a record
	if speculated && w.db.dialect == SQLite {
		var err error
		if epoch, err = w.checkEpoch(stx); err != nil {
			_ = stx.Rollback()
			finish(err)
			return nil
		}
		live = map[keyClaim]bool{}
		if err := w.readLiveKeys(stx, batch, w.db.now().UTC(), live); err != nil {
			live = nil // each speculation reads its own key
		}
	}
	runAlone := func(from int) {
		// Nothing of the shared transaction is kept: every write not
		// already refused runs again, alone.
		_ = stx.Rollback()
		for j := range batch {
			if j >= from || results[j] == nil {
				results[j] = errRunAlone
			}
		}
		finish(nil)
	}
	claims, err := w.claimBatchKeys(stx, batch, rows != nil && w.db.dialect == Postgres, state)
	if err != nil {
		runAlone(0)
		return nil
	}
	committed := 0
	keysChanged := false
	for i := 0; ; i++ {
		if i == len(batch) && rows != nil {
			// The disk is still busy with the last batch: this one
			// grows instead of committing behind it. The keys of the
			// speculations that join are noted together too.
			more, waiting := w.absorb(len(batch), false)
			if waiting && w.db.dialect == SQLite && len(rows.rows) > 0 {
				// Nothing to take in yet: while the writer would only
				// wait, the rows it has go into the transaction, so that
				// once the disk is done less is left before the commit
				// that starts the next fsync. Only those whose JSON is
				// encoded (encoding it here would be the writer's work),
				// and only enough of them to share statements as a batch
				// does: a statement for a few rows costs the writer more
				// than it saves.
				tx := &Tx{tx: stx, q: stx, db: w.db, pool: w.pool, dialect: w.db.dialect, shared: true, batch: rows, state: state}
				n, err := tx.flushComputed(ctx, earlyFlushWrites)
				if err != nil {
					w.foundLiveKey(err)
					runAlone(len(batch)) // as at the commit, below
					return nil
				}
				if n > 0 && w.earlyFlush != nil {
					w.earlyFlush(n)
				}
			}
			if waiting {
				more, _ = w.absorb(len(batch), true)
			}
			if live != nil && len(more) > 0 {
				if err := w.readLiveKeys(stx, more, w.db.now().UTC(), live); err != nil {
					live = nil
				}
			}
			batch = append(batch, more...)
			results = append(results, make([]error, len(more))...)
		}
		if i == len(batch) {
			break
		}
		r := batch[i]
		// Cancellation must not interrupt a statement of a transaction
		// other writes share.
		rctx := context.WithoutCancel(r.ctx)
		tx := &Tx{tx: stx, q: stx, db: w.db, pool: w.pool, dialect: w.db.dialect, now: w.db.now().UTC(), shared: true, batch: rows, state: state, claimed: claims[r]}
		if r.spec != nil {
			ok, err := false, error(nil)
			if w.db.dialect == Postgres {
				ok, err = r.spec.claimHolds(tx, claims[r])
			} else {
				ok, err = r.spec.holds(rctx, tx, epoch, live)
			}
			if err == nil && ok {
				rows.add(r.spec.rows) // its deferred values are under way
				committed++
				continue
			}
			// It runs again, here: its rows and values are dropped.
		}
		// What it writes is in the transaction, and may be read there
		// only: later speculations read their keys themselves.
		live = nil
		results[i] = call(r.fn, tx)
		if results[i] == nil {
			results[i] = tx.end(rctx)
		}
		switch {
		case results[i] == nil:
			keysChanged = keysChanged || tx.keysChanged
			committed++
			if rows != nil {
				startDeferred(tx.deferred) // its rows wait for the commit
			}
			if tx.savepoint {
				if _, err := stx.ExecContext(rctx, "RELEASE w"); err != nil {
					runAlone(i) // the shared transaction failed
					return nil
				}
			}
		case single:
			_ = stx.Rollback()
			if runsAgainAlone(results[i]) {
				results[i] = errRunAlone
			}
			finish(nil)
			return nil
		case tx.savepoint:
			if runsAgainAlone(results[i]) {
				results[i] = errRunAlone
			}
			if _, err := stx.ExecContext(rctx, "ROLLBACK TO w; RELEASE w"); err != nil {
				runAlone(i) // the shared transaction failed
				return nil
			}
		case !tx.wrote && w.healthy(stx):
			// It failed before writing: there is nothing to undo.
		default:
			// It wrote, or failed a statement, outside a savepoint: the
			// shared transaction cannot be trusted.
			runAlone(i)
			return nil
		}
	}
	if committed == 0 {
		_ = stx.Rollback()
		finish(nil)
		return nil
	}
	// With a connection held for the batch (PostgreSQL) the batch's rows
	// and its commit go in one round trip, and the commit begins the
	// transaction of the next batch.
	chain := conn != nil
	var last []statement
	if rows != nil && len(rows.rows) > 0 {
		tx := &Tx{tx: stx, q: stx, db: w.db, pool: w.pool, dialect: w.db.dialect, shared: true, batch: rows, state: state}
		var err error
		if chain {
			err = tx.writeRows(ctx, rows.take(), collect(&last))
		} else {
			err = tx.flushBatch(ctx)
		}
		if err != nil {
			// A row of one write conflicts with another's, or with a
			// record of a key taken as new; which write's is not known,
			// so each runs again alone.
			w.foundLiveKey(err)
			runAlone(len(batch))
			return nil
		}
	}
	if state.foreign && chain {
		// The job queue's notifications take a lock at commit, which
		// may well be busy: waiting for it is the commit's business.
		last = append(last, statement{query: "SET LOCAL lock_timeout = 0"})
	}
	var ticket uint64
	if w.db.wal != nil {
		ticket = w.db.wal.begin()
	}
	if chain {
		err = commitAndChain(ctx, conn, last)
	} else {
		err = stx.Commit()
	}
	if err != nil {
		if w.db.wal != nil {
			w.db.wal.after(ticket, func(error) {})
		}
		if chain {
			w.chainsRefused.Add(1)
			_ = stx.Rollback() // whatever the failed commit left open
		}
		if commitRefused(err) {
			// Nothing committed, so each runs again alone.
			runAlone(len(batch))
			return nil
		}
		// Whether the commit happened is unknown: no write can be
		// retried, nor reported as done; what is cached of what they
		// may have changed is dropped.
		if keysChanged {
			w.db.keys.gen.Add(1)
		}
		if state.endpointsChanged {
			w.db.endpointsGen.Add(1)
		}
		finish(fmt.Errorf("commit: %w", err))
		return nil
	}
	if keysChanged {
		w.db.keys.gen.Add(1)
	}
	if state.endpointsChanged {
		w.db.endpointsGen.Add(1)
	}
	if w.db.wal != nil {
		// The writer goes on with the next batch while the disk makes
		// this one durable; its writes are answered then.
		synced := make(chan struct{})
		w.synced = synced
		w.db.wal.after(ticket, func(err error) {
			finish(err)
			close(synced)
		})
		return nil
	}
	if chain {
		w.chains.Add(1)
		finish(nil)
		return &chained{conn: conn, tx: stx}
	}
	finish(nil)
	return nil
}

// absorb returns the writes that join the batch of n while the last
// batch's fsync runs: the first and all queued behind it; none once the
// fsync is done (or there is none, or the batch is full). Unless wait is
// set it does not wait for one to come, and reports whether it would have
// (waiting).
func (w *groupWriter) absorb(n int, wait bool) (more []*writeReq, waiting bool) {
	if w.synced == nil || n >= maxBatch {
		return nil, false
	}
	select {
	case <-w.synced:
		return nil, false
	default:
	}
	if more = w.queued(nil, maxBatch-n); len(more) > 0 || !wait {
		return more, len(more) == 0
	}
	select {
	case r, ok := <-w.queue:
		if !ok {
			return nil, false
		}
		return w.queued([]*writeReq{r}, maxBatch-n), false
	case <-w.synced:
		return nil, false
	}
}

// queued appends to reqs the writes already queued, without waiting, until
// it holds limit.
func (w *groupWriter) queued(reqs []*writeReq, limit int) []*writeReq {
	for len(reqs) < limit {
		select {
		case r, ok := <-w.queue:
			if !ok {
				return reqs
			}
			reqs = append(reqs, r)
		default:
			return reqs
		}
	}
	return reqs
}

// claimBatchKeys claims the idempotency keys of a PostgreSQL batch's writes in
// one round trip. A key two writes share is left to each to claim.
func (w *groupWriter) claimBatchKeys(stx *sql.Tx, batch []*writeReq, claim bool, state *txState) (map[*writeReq]*claimed, error) {
	if !claim {
		return nil, nil
	}
	seen := map[keyClaim]int{}
	for _, r := range batch {
		if r.key != nil {
			seen[*r.key]++
		}
	}
	var (
		keys []keyClaim
		reqs []*writeReq
	)
	for _, r := range batch {
		if r.key != nil && seen[*r.key] == 1 {
			keys = append(keys, *r.key)
			reqs = append(reqs, r)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	tx := &Tx{tx: stx, q: stx, db: w.db, pool: w.pool, dialect: w.db.dialect, now: w.db.now().UTC(), shared: true, state: state}
	claims, err := claimKeys(context.Background(), tx, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[*writeReq]*claimed, len(reqs))
	for i, r := range reqs {
		out[r] = claims[i]
	}
	return out, nil
}

// checkEpoch starts a new epoch if another connection has written to the
// database since the writer last looked, and returns the current one.
func (w *groupWriter) checkEpoch(stx *sql.Tx) (int64, error) {
	var v int64
	if err := stx.QueryRow("PRAGMA data_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	if v != w.version {
		w.version = v
		w.epoch.Add(1)
	}
	return w.epoch.Load(), nil
}

// healthy reports whether the shared transaction can go on after a write
// failed without writing: on PostgreSQL a failed statement, even a read,
// aborts the whole transaction. SQLite undoes only the failed statement.
func (w *groupWriter) healthy(stx *sql.Tx) bool {
	if w.db.dialect != Postgres {
		return true
	}
	_, err := stx.ExecContext(context.Background(), "SELECT 1")
	return err == nil
}

// runsAgainAlone reports whether a write that failed in a batch failed
// for the batch's sake: a lock or a deadlock (mustRetry), or a statement
// of another write that failed unreported and aborted the transaction.
func runsAgainAlone(err error) bool {
	var pe *pgconn.PgError
	return mustRetry(err) || errors.As(err, &pe) && pe.Code == "25P02" // in_failed_sql_transaction
}

// mustRetry reports whether err is PostgreSQL giving up on a lock — a
// lock wait timed out, or a deadlock broken — or on a serialization: the
// write failed for the company it kept, not for what it asked, and runs
// again.
func mustRetry(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "55P03", "40P01", "40001": // lock_not_available, deadlock_detected, serialization_failure
		return true
	}
	return false
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
