package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tenderpay/tender/internal/webhooks"
)

// PruneIdempotency deletes idempotency records older than the retention
// period and reports how many went.
func (db *DB) PruneIdempotency(ctx context.Context) (int64, error) {
	cutoff := func(now time.Time) int64 { return now.Add(-IdempotencyRetention).Unix() }
	if db.dialect == Postgres {
		return db.prune(ctx, "DELETE FROM idempotency_keys WHERE (account_id, livemode, key) IN "+
			"(SELECT account_id, livemode, key FROM idempotency_keys WHERE created <= ? LIMIT ?)", cutoff, false)
	}
	return db.prune(ctx, oldestFirst("idempotency_keys", "rowid"), cutoff, true)
}

// PruneEvents deletes events past the retention period and reports how
// many went.
func (db *DB) PruneEvents(ctx context.Context) (int64, error) {
	return db.prune(ctx, oldestFirst("events", "seq"), func(now time.Time) int64 {
		return now.Unix() - webhooks.Retention
	}, true)
}

// oldestFirst deletes the expired rows among the batch oldest of table, in
// the order of its column order. Rows go in about in the order of their
// creation, so that finds what expired without an index on created —
// one less index for every payment to write. (A record of a reused,
// expired idempotency key keeps its place on SQLite: the expired rows
// behind it wait until it expires in turn, hidden meanwhile.)
func oldestFirst(table, order string) string {
	return "DELETE FROM " + table + " WHERE " + order + " IN (SELECT " + order + " FROM (SELECT " + order + ", created FROM " +
		table + " ORDER BY " + order + " LIMIT ?) oldest WHERE created <= ?)"
}

// prune runs query, which deletes the rows created at or before cutoff, a
// batch per transaction: a day of a busy server's idempotency records is
// millions of rows, and deleting them in one transaction would hold
// SQLite's single writer — every payment — for as long as that takes. It
// stops at the first batch not deleted in full. limitFirst says the query
// takes the batch size before the cutoff.
func (db *DB) prune(ctx context.Context, query string, cutoff func(now time.Time) int64, limitFirst bool) (int64, error) {
	var total int64
	for {
		var n int64
		err := db.Update(ctx, func(tx *Tx) error {
			args := []any{cutoff(tx.now), db.pruneBatch}
			if limitFirst {
				args[0], args[1] = args[1], args[0]
			}
			res, err := tx.exec(ctx, query, args...)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune: %w", err)
		}
		total += n
		if n < int64(db.pruneBatch) {
			return total, nil
		}
	}
}
