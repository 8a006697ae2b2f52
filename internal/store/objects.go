package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/payments"
)

// column is an indexed column stored beside an object's JSON.
type column struct {
	name  string
	value any
}

// insertObject stores a new object of table. The row is held back until
// the transaction next runs a statement or ends (see pendingRow), so that
// an object created and then changed in one request — a PaymentIntent
// confirmed at creation, a PaymentMethod used once — costs one INSERT.
func (tx *Tx) insertObject(ctx context.Context, table string, s payments.Scope, id string, created int64, obj any, cols ...column) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("encode %s: %w", table, err)
	}
	tx.pending = append(tx.pending, &pendingWrite{table: table, row: &pendingRow{scope: s, id: id, created: created, data: data, cols: cols}})
	return nil
}

// updateObject overwrites an object of table in scope.
func (tx *Tx) updateObject(ctx context.Context, table string, s payments.Scope, id string, obj any, cols ...column) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("encode %s: %w", table, err)
	}
	if p := tx.pendingRow(table, s, id); p != nil {
		p.data = data
		p.cols = mergeColumns(p.cols, cols)
		return nil
	}
	set := []string{"data = ?"}
	args := []any{data}
	for _, c := range cols {
		set = append(set, c.name+" = ?")
		args = append(args, c.value)
	}
	args = append(args, id, s.Account, s.Livemode)
	res, err := tx.exec(ctx, "UPDATE "+table+" SET "+strings.Join(set, ", ")+" WHERE id = ? AND account_id = ? AND livemode = ?", args...)
	if err != nil {
		return fmt.Errorf("update %s: %w", table, err)
	}
	return mustAffectOne(res)
}

// getObject decodes the object with id in scope into dst. forUpdate locks
// the row until the transaction ends (PostgreSQL; SQLite's write
// transactions are exclusive already), so that concurrent writers of one
// object queue instead of both acting on the state they read.
func (tx *Tx) getObject(ctx context.Context, table string, s payments.Scope, id string, forUpdate bool, dst any) error {
	q := "SELECT data FROM " + table + " WHERE id = ? AND account_id = ? AND livemode = ?"
	if forUpdate && tx.dialect == Postgres {
		q += " FOR UPDATE"
	}
	if p := tx.pendingRow(table, s, id); p != nil {
		if err := json.Unmarshal(p.data, dst); err != nil {
			return fmt.Errorf("decode %s: %w", table, err)
		}
		return nil
	}
	var data []byte
	err := tx.queryRow(ctx, q, id, s.Account, s.Livemode).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return payments.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("get %s: %w", table, err)
	}
	if err := json.Unmarshal(data, dst); err != nil {
		return fmt.Errorf("decode %s: %w", table, err)
	}
	return nil
}

// getTyped is getObject for a fresh value of type T.
func getTyped[T any](ctx context.Context, tx *Tx, table string, s payments.Scope, id string, forUpdate bool) (*T, error) {
	v := new(T)
	if err := tx.getObject(ctx, table, s, id, forUpdate, v); err != nil {
		return nil, err
	}
	return v, nil
}

// eq builds list filters from column/value pairs, skipping empty values.
func eq(pairs ...string) []filter {
	var out []filter
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			out = append(out, filter{pairs[i] + " = ?", pairs[i+1]})
		}
	}
	return out
}

// IntentScope finds the scope of a PaymentIntent or SetupIntent from its id
// alone, for the hosted pages, which a client secret authorises instead of
// an API key.
func (tx *Tx) IntentScope(ctx context.Context, id string) (payments.Scope, error) {
	table := "payment_intents"
	if strings.HasPrefix(id, "seti_") {
		table = "setup_intents"
	}
	var s payments.Scope
	err := tx.queryRow(ctx, "SELECT account_id, livemode FROM "+table+" WHERE id = ?", id).Scan(&s.Account, &s.Livemode)
	if errors.Is(err, sql.ErrNoRows) {
		return s, payments.ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("intent scope: %w", err)
	}
	return s, nil
}
