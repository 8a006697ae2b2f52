package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
)

// ExplainEvents returns PostgreSQL's plan, line by line, for the first
// page ListEvents would read.
func ExplainEvents(ctx context.Context, tx *Tx, s payments.Scope, pg payments.Page, f webhooks.EventFilter) ([]string, error) {
	q, args, _ := tx.listQuery("events", "id", s, pg, nil, tx.typeFilters(f.Types), nil)
	rows, err := tx.query(ctx, "EXPLAIN "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		plan = append(plan, line)
	}
	return plan, rows.Err()
}

// ChainedCommits reports how many of db's batch commits began the next
// batch's transaction (PostgreSQL).
func ChainedCommits(db *DB) int64 { return db.group.chains.Load() }

// RefusedChainedCommits reports how many commits that would have begun the
// next batch's transaction the server refused.
func RefusedChainedCommits(db *DB) int64 { return db.group.chainsRefused.Load() }

// WriterConnsIdle takes every PostgreSQL writer connection from its pool
// (waiting as long as ctx allows) and reports an error unless each is
// outside any transaction.
func WriterConnsIdle(ctx context.Context, db *DB) error {
	for range PostgresWriters {
		c, err := db.batches.Conn(ctx)
		if err != nil {
			return fmt.Errorf("take a writer connection: %w", err)
		}
		defer c.Close()
		var status byte
		if err := c.Raw(func(dc any) error {
			status = dc.(*stdlib.Conn).Conn().PgConn().TxStatus()
			return nil
		}); err != nil {
			return err
		}
		if status != 'I' {
			return fmt.Errorf("a writer connection is in a transaction (status %c)", status)
		}
	}
	return nil
}

// OneRoundCommits reports how many of db's batches committed in one round
// trip (PostgreSQL).
func OneRoundCommits(db *DB) int64 { return db.group.oneRounds.Load() }
