package store

import (
	"context"
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

// walRestartWait is the longest a writer waits for readers of the old log.
const walRestartWait = "100"

// checkpointer copies the WAL into the database every half second from a
// connection of its own, so that no write waits for a checkpoint, and
// notes how long the log is.
func (db *DB) checkpointer() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				db.checkpoint(ctx)
			}
		}
	}()
	return func() {
		cancel()
		<-done
		// TRUNCATE on close keeps the WAL from growing across restarts.
		_, _ = db.read.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
	}
}

// checkpoint runs one PASSIVE checkpoint and records the log's length.
func (db *DB) checkpoint(ctx context.Context) {
	var busy, frames, copied int64
	if err := db.read.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err == nil {
		db.walFrames.Store(frames)
	}
}

// restartLongWAL lets the next commit start the log over when it has grown
// past the limit. It runs on the write connection between batches, so no
// write is in progress; readers get walRestartWait to finish.
func (db *DB) restartLongWAL(ctx context.Context) {
	if db.walFrames.Load() < db.walLimit {
		return
	}
	db.walFrames.Store(0)
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	// A failure leaves the log long; the next checkpoint notices again.
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = "+walRestartWait); err != nil {
		return
	}
	_, _ = conn.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
	_, _ = conn.ExecContext(ctx, "PRAGMA busy_timeout = 10000")
}
