package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// WAL checkpoints on SQLite. Every commit appends the pages it changed to
// the write-ahead log; a checkpoint copies them into the database file. A
// background connection does that twice a second without blocking anyone
// (PASSIVE). But the log only starts over from its beginning when a write
// begins at a moment everything in it has been copied and no reader still
// uses it — which, with a writer committing back to back, may never
// happen: the log then grows without bound (13 GB after 480,000 payments
// in one run). So once it is longer than walRestartFrames, the group
// writer, between two batches, copies the rest and waits briefly for
// readers to move on (RESTART), and the next commit writes from the start.

// walRestartFrames bounds the log at about 64 MiB (frames of 4 KiB pages).
const walRestartFrames = 16384

// walRestartWaitMS is how long, in milliseconds, the writer waits at most
// for readers of the old log.
const walRestartWaitMS = 100

// checkpointer copies the WAL into the database every half second from a
// connection of its own, so that no write waits for a checkpoint, and
// notes how long the log is.
func (db *DB) checkpointer() (stop func()) {
	return checkpointEvery(db.read, 500*time.Millisecond, func(frames int64) { db.walFrames.Store(frames) })
}

// SQLiteCheckpoints runs Tender's background checkpoints on the SQLite
// database at path, for tools (the benchmark's commit baseline) that write
// to one without a store.
func SQLiteCheckpoints(path string) (stop func(), err error) {
	conn, err := sql.Open("sqlite", sqliteDSN(path, false, "FULL"))
	if err != nil {
		return nil, err
	}
	halt := checkpointEvery(conn, 500*time.Millisecond, func(int64) {})
	return func() { halt(); conn.Close() }, nil
}

// checkpointEvery runs a PASSIVE checkpoint on conn at each tick, reporting
// the log's length, and a TRUNCATE one when stopped, which keeps the WAL
// from growing across restarts.
func checkpointEvery(conn *sql.DB, every time.Duration, frames func(int64)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				var busy, n, copied int64
				if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &n, &copied); err == nil {
					frames(n)
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
		_, _ = conn.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
	}
}

// restartLongWAL lets the next commit start the log over when it has grown
// past the limit. It runs on the write connection between batches, so no
// write is in progress; readers get walRestartWaitMS to finish.
func (db *DB) restartLongWAL(ctx context.Context) {
	if db.walFrames.Load() < db.walLimit.Load() {
		return
	}
	db.walFrames.Store(0)
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	// A failure leaves the log long; the next checkpoint notices again.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", walRestartWaitMS)); err != nil {
		return
	}
	_, _ = conn.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
	_, _ = conn.ExecContext(ctx, "PRAGMA busy_timeout = 10000")
}
