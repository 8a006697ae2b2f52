package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tenderpay/tender/internal/payments"
)

var _ payments.Tx = (*Tx)(nil)

// InsertCustomer stores a new customer.
func (tx *Tx) InsertCustomer(ctx context.Context, s payments.Scope, c *payments.Customer) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO customers (id, account_id, livemode, created, email, deleted, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, s.Account, s.Livemode, c.Created, nullString(c.Email), c.Deleted, data)
	return err
}

// UpdateCustomer overwrites a customer.
func (tx *Tx) UpdateCustomer(ctx context.Context, s payments.Scope, c *payments.Customer) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE customers SET email = ?, deleted = ?, data = ? WHERE id = ? AND account_id = ? AND livemode = ?`,
		nullString(c.Email), c.Deleted, data, c.ID, s.Account, s.Livemode)
	if err != nil {
		return err
	}
	return mustAffectOne(res)
}

// GetCustomer returns a live customer of the scope.
func (tx *Tx) GetCustomer(ctx context.Context, s payments.Scope, id string) (*payments.Customer, error) {
	var data []byte
	err := tx.queryRow(ctx, `SELECT data FROM customers WHERE id = ? AND account_id = ? AND livemode = ? AND deleted = ?`,
		id, s.Account, s.Livemode, false).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payments.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get customer: %w", err)
	}
	c := &payments.Customer{}
	return c, json.Unmarshal(data, c)
}

// ListCustomers returns a page of live customers, optionally with one email.
func (tx *Tx) ListCustomers(ctx context.Context, s payments.Scope, pg payments.Page, email string) (payments.ListResult[*payments.Customer], error) {
	filters := []filter{{"deleted = ?", false}}
	if email != "" {
		filters = append(filters, filter{"email = ?", email})
	}
	return decodeList[payments.Customer](tx.listData(ctx, "customers", s, pg, filters...))
}

func decodeList[T any](rows [][]byte, hasMore bool, err error) (payments.ListResult[*T], error) {
	res := payments.ListResult[*T]{HasMore: hasMore}
	if err != nil {
		return res, err
	}
	res.Data = make([]*T, len(rows))
	for i, b := range rows {
		res.Data[i] = new(T)
		if err := json.Unmarshal(b, res.Data[i]); err != nil {
			return res, fmt.Errorf("decode row: %w", err)
		}
	}
	return res, nil
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

func mustAffectOne(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return payments.ErrNotFound
	}
	return nil
}
