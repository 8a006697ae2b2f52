package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
)

// Writes held back. A request's inserts — its objects, its events, its
// idempotency record — are not sent as they are made but queued, and
// written in order just before a statement that could read them, or when
// the transaction ends. An object inserted and then updated in the same
// transaction is written once, with its final state. On PostgreSQL the
// queued inserts go as one statement (each but the last a data-modifying
// WITH clause), so a payment costs one round trip for all its rows
// instead of one per row (one per table: see distinctTables).

// pendingWrite is one held-back INSERT: an object row, or a statement
// whose outcome nothing inspects.
type pendingWrite struct {
	table string
	row   *pendingRow // an object; nil for a plain statement
	query string      // a plain statement, with ? placeholders
	args  []any
}

// pendingRow is an object inserted but not yet written. Reads of it by id
// are answered from memory.
type pendingRow struct {
	scope   payments.Scope
	id      string
	created int64
	data    []byte
	cols    []column
}

// statement renders w as an INSERT with ? placeholders.
func (w *pendingWrite) statement() (string, []any) {
	if w.row == nil {
		return w.query, w.args
	}
	p := w.row
	names := []string{"id", "account_id", "livemode", "created", "data"}
	args := []any{p.id, p.scope.Account, p.scope.Livemode, p.created, p.data}
	for _, c := range p.cols {
		names = append(names, c.name)
		args = append(args, c.value)
	}
	return "INSERT INTO " + w.table + " (" + strings.Join(names, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")", args
}

// hold queues an INSERT into table whose result nobody needs.
func (tx *Tx) hold(table, query string, args ...any) {
	tx.pending = append(tx.pending, &pendingWrite{table: table, query: query, args: args})
}

func (tx *Tx) pendingRow(table string, s payments.Scope, id string) *pendingRow {
	for _, w := range tx.pending {
		if p := w.row; p != nil && p.id == id && w.table == table && p.scope == s {
			return p
		}
	}
	return nil
}

// holds reports whether a write to table is queued.
func (tx *Tx) holds(table string) bool {
	for _, w := range tx.pending {
		if w.table == table {
			return true
		}
	}
	return false
}

// mergeColumns sets the values of update over those of base, by name.
func mergeColumns(base, update []column) []column {
	out := append([]column(nil), base...)
next:
	for _, u := range update {
		for i := range out {
			if out[i].name == u.name {
				out[i].value = u.value
				continue next
			}
		}
		out = append(out, u)
	}
	return out
}

// flush writes the queued inserts. An error is kept and reported when the
// transaction ends as well, because a query that flushed first has no
// other way to report it.
func (tx *Tx) flush(ctx context.Context) error {
	if len(tx.pending) == 0 || tx.flushErr != nil {
		return tx.flushErr
	}
	writes := tx.pending
	tx.pending = nil
	if tx.dialect == Postgres {
		for len(writes) > 0 {
			n := distinctTables(writes)
			if err := tx.writeTogether(ctx, writes[:n]); err != nil {
				tx.flushErr = err
				return err
			}
			writes = writes[n:]
		}
		return nil
	}
	for _, w := range writes {
		stmt, args := w.statement()
		if _, err := tx.run(ctx, stmt, args...); err != nil {
			tx.flushErr = fmt.Errorf("insert into %s: %w", w.table, err)
			return tx.flushErr
		}
	}
	return nil
}

// distinctTables counts the leading writes that go to different tables.
// PostgreSQL runs the parts of one statement in no promised order, so two
// inserts into one table go in separate statements: their sequence numbers
// must follow the order they were made in.
func distinctTables(writes []*pendingWrite) int {
	seen := map[string]bool{}
	for i, w := range writes {
		if seen[w.table] {
			return i
		}
		seen[w.table] = true
	}
	return len(writes)
}

// writeTogether sends writes as one statement: each but the last in a
// WITH clause of the last.
func (tx *Tx) writeTogether(ctx context.Context, writes []*pendingWrite) error {
	var (
		q    strings.Builder
		args []any
	)
	for i, w := range writes {
		stmt, a := w.statement()
		last := i == len(writes)-1
		switch {
		case i == 0 && !last:
			q.WriteString("WITH ")
		case i > 0 && !last:
			q.WriteString(", ")
		case i > 0:
			q.WriteString(" ")
		}
		if last {
			q.WriteString(stmt)
		} else {
			fmt.Fprintf(&q, "w%d AS (%s)", i, stmt)
		}
		args = append(args, a...)
	}
	if _, err := tx.run(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("insert into %s: %w", writes[0].table, err)
	}
	return nil
}

// queryOnly and queryRowOnly run a query that reads table alone, writing
// held-back inserts first only if one is into that table.
func (tx *Tx) queryOnly(ctx context.Context, table, query string, args ...any) (*sql.Rows, error) {
	if tx.holds(table) {
		if err := tx.flush(ctx); err != nil {
			return nil, err
		}
	}
	return tx.rawQuery(ctx, query, args...)
}

func (tx *Tx) queryRowOnly(ctx context.Context, table, query string, args ...any) *sql.Row {
	if tx.holds(table) {
		_ = tx.flush(ctx) // reported when the transaction ends
	}
	return tx.rawQueryRow(ctx, query, args...)
}
