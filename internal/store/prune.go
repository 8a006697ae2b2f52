package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
)

// PruneIdempotency deletes idempotency records older than the retention
// period and reports how many went.
func (db *DB) PruneIdempotency(ctx context.Context) (int64, error) {
	cutoff := func(now time.Time) int64 { return now.Add(-IdempotencyRetention).Unix() }
	if db.dialect == Postgres {
		return db.prune(ctx, "DELETE FROM idempotency_keys WHERE (account_id, livemode, key) IN "+
			"(SELECT account_id, livemode, key FROM idempotency_keys WHERE created <= ? LIMIT ?)",
			func(now time.Time) []any { return []any{cutoff(now), db.pruneBatch} })
	}
	return db.prune(ctx, oldestFirst("idempotency_keys", "rowid", "rowid", ""), func(now time.Time) []any {
		return []any{db.pruneBatch, cutoff(now)}
	})
}

// PruneEvents deletes events past the retention period and reports how
// many went.
func (db *DB) PruneEvents(ctx context.Context) (int64, error) {
	cutoff := func(now time.Time) int64 { return now.Unix() - webhooks.Retention }
	if db.dialect != Postgres {
		return db.prune(ctx, oldestFirst("events", "seq", "seq", ""), func(now time.Time) []any {
			return []any{db.pruneBatch, cutoff(now)}
		})
	}
	// PostgreSQL's events have no index on seq alone (one less for every
	// event to write): the oldest are found scope by scope, by the index
	// the lists use, which also yields the scopes, one probe each.
	var scopes []payments.Scope
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `WITH RECURSIVE s (account_id, livemode) AS (
			(SELECT account_id, livemode FROM events ORDER BY account_id, livemode LIMIT 1)
			UNION ALL
			SELECT n.account_id, n.livemode FROM s, LATERAL (SELECT e.account_id, e.livemode FROM events e
				WHERE (e.account_id, e.livemode) > (s.account_id, s.livemode) ORDER BY e.account_id, e.livemode LIMIT 1) n
		) SELECT account_id, livemode FROM s`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sc payments.Scope
			if err := rows.Scan(&sc.Account, &sc.Livemode); err != nil {
				return err
			}
			scopes = append(scopes, sc)
		}
		return rows.Err()
	})
	if err != nil {
		return 0, fmt.Errorf("prune: event scopes: %w", err)
	}
	var total int64
	for _, sc := range scopes {
		n, err := db.prune(ctx, oldestFirst("events", "id", "seq", "account_id = ? AND livemode = ?"), func(now time.Time) []any {
			return []any{sc.Account, sc.Livemode, db.pruneBatch, cutoff(now)}
		})
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// oldestFirst deletes the expired rows among the batch oldest of table by
// order (of those matching where, if given), naming rows by key. Rows go in
// about in the order of their creation, so that finds what expired
// without an index on created — one less index for every payment to
// write. (A record of a reused, expired idempotency key keeps its place on
// SQLite: the expired rows behind it wait until it expires in turn, hidden
// meanwhile.)
func oldestFirst(table, key, order, where string) string {
	if where != "" {
		where = " WHERE " + where
	}
	return "DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key + " FROM (SELECT " + key + ", created FROM " +
		table + where + " ORDER BY " + order + " LIMIT ?) oldest WHERE created <= ?)"
}

// prune runs query, which deletes rows that expired by the time args is
// given, a batch per transaction: a day of a busy server's idempotency
// records is millions of rows, and deleting them in one transaction would
// hold SQLite's single writer — every payment — for as long as that
// takes. It stops at the first batch not deleted in full.
func (db *DB) prune(ctx context.Context, query string, args func(now time.Time) []any) (int64, error) {
	var total int64
	for {
		var n int64
		err := db.Update(ctx, func(tx *Tx) error {
			res, err := tx.exec(ctx, query, args(tx.now)...)
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
