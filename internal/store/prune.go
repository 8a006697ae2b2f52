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
	return db.prune(ctx, "idempotency_keys", "account_id, livemode, key", func(now time.Time) int64 {
		return now.Add(-IdempotencyRetention).Unix()
	})
}

// PruneEvents deletes events past the retention period and reports how
// many went.
func (db *DB) PruneEvents(ctx context.Context) (int64, error) {
	return db.prune(ctx, "events", "seq", func(now time.Time) int64 {
		return now.Unix() - webhooks.Retention
	})
}

// prune deletes the rows of table created at or before cutoff, a batch per
// transaction: a day of a busy server's idempotency records is millions of
// rows, and deleting them in one transaction would hold SQLite's single
// writer — every payment — for as long as that takes. key names the
// columns that identify a row.
func (db *DB) prune(ctx context.Context, table, key string, cutoff func(now time.Time) int64) (int64, error) {
	var total int64
	for {
		var n int64
		err := db.Update(ctx, func(tx *Tx) error {
			res, err := tx.exec(ctx, "DELETE FROM "+table+" WHERE ("+key+") IN (SELECT "+key+" FROM "+table+" WHERE created <= ? LIMIT ?)",
				cutoff(tx.now), db.pruneBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("prune %s: %w", table, err)
		}
		total += n
		if n < int64(db.pruneBatch) {
			return total, nil
		}
	}
}
