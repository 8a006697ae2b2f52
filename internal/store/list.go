package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
)

// filter is one extra condition on a list query.
type filter struct {
	cond string // for example "email = ?"
	arg  any    // one value, or []any for several placeholders
}

// inList is a "column IN (...)" condition over values.
func inList(col string, values []string) (string, []any) {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ") + ")", args
}

// listData returns the data column of one page of table's rows in scope,
// newest first, with Stripe's cursor semantics: starting_after pages towards
// older rows, ending_before towards newer ones (still returned newest first).
// The cursor must name a row of the same scope, else payments.ErrNotFound.
func (tx *Tx) listData(ctx context.Context, table string, s payments.Scope, pg payments.Page, filters ...filter) ([][]byte, bool, error) {
	return tx.listColumn(ctx, table, "data", s, pg, filters...)
}

// listColumn is listData for any one column.
func (tx *Tx) listColumn(ctx context.Context, table, col string, s payments.Scope, pg payments.Page, filters ...filter) ([][]byte, bool, error) {
	var where strings.Builder
	args := []any{s.Account, s.Livemode}
	where.WriteString("account_id = ? AND livemode = ?")
	for _, f := range filters {
		where.WriteString(" AND " + f.cond)
		if many, ok := f.arg.([]any); ok {
			args = append(args, many...)
		} else {
			args = append(args, f.arg)
		}
	}
	for _, b := range []struct {
		op string
		v  int64
	}{{">", pg.Created.GT}, {">=", pg.Created.GTE}, {"<", pg.Created.LT}, {"<=", pg.Created.LTE}} {
		if b.v != 0 {
			where.WriteString(" AND created " + b.op + " ?")
			args = append(args, b.v)
		}
	}
	order, ascending := "DESC", false
	if cursor := cmpOr(pg.StartingAfter, pg.EndingBefore); cursor != "" {
		var seq int64
		err := tx.queryRow(ctx, `SELECT seq FROM `+table+` WHERE id = ? AND account_id = ? AND livemode = ?`,
			cursor, s.Account, s.Livemode).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, false, payments.ErrNotFound
		}
		if err != nil {
			return nil, false, fmt.Errorf("list %s: cursor: %w", table, err)
		}
		if pg.StartingAfter != "" {
			where.WriteString(" AND seq < ?")
		} else {
			where.WriteString(" AND seq > ?")
			order, ascending = "ASC", true
		}
		args = append(args, seq)
	}
	limit := pg.Limit
	if limit <= 0 {
		limit = 10
	}
	args = append(args, limit+1)
	rows, err := tx.query(ctx, `SELECT `+col+` FROM `+table+` WHERE `+where.String()+` ORDER BY seq `+order+` LIMIT ?`, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list %s: %w", table, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, false, fmt.Errorf("list %s: %w", table, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list %s: %w", table, err)
	}
	hasMore := len(out) > limit
	if hasMore {
		out = out[:limit]
	}
	if ascending {
		slices.Reverse(out)
	}
	return out, hasMore, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
