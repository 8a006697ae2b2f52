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

// args are f's placeholders' values.
func (f filter) args() []any {
	if many, ok := f.arg.([]any); ok {
		return many
	}
	if f.arg == nil {
		return nil
	}
	return []any{f.arg}
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
	return tx.listColumnAny(ctx, table, col, s, pg, nil, filters...)
}

// listColumnAny is listColumn for rows that also meet any one of alts (all
// rows if alts is empty).
func (tx *Tx) listColumnAny(ctx context.Context, table, col string, s payments.Scope, pg payments.Page, alts []filter, filters ...filter) ([][]byte, bool, error) {
	var cursor *int64
	if id := cmpOr(pg.StartingAfter, pg.EndingBefore); id != "" {
		var seq int64
		err := tx.queryRow(ctx, `SELECT seq FROM `+table+` WHERE id = ? AND account_id = ? AND livemode = ?`,
			id, s.Account, s.Livemode).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, false, payments.ErrNotFound
		}
		if err != nil {
			return nil, false, fmt.Errorf("list %s: cursor: %w", table, err)
		}
		cursor = &seq
	}
	q, args, limit := tx.listQuery(table, col, s, pg, cursor, alts, filters)
	rows, err := tx.query(ctx, q, args...)
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
	if pg.StartingAfter == "" && pg.EndingBefore != "" {
		slices.Reverse(out)
	}
	return out, hasMore, nil
}

// listQuery is the query of one page of listColumnAny, after the row at
// the page's cursor, if any, whose seq is cursor; and the page's limit.
// Alternatives are one condition (OR) — but on PostgreSQL, for several,
// each is listed on its own and the pages merged, so that every one can
// be checked on an index's entries (an OR is checked on the rows).
func (tx *Tx) listQuery(table, col string, s payments.Scope, pg payments.Page, cursor *int64, alts []filter, filters []filter) (string, []any, int) {
	var where strings.Builder
	args := []any{s.Account, s.Livemode}
	where.WriteString("account_id = ? AND livemode = ?")
	add := func(f filter) {
		where.WriteString(" AND " + f.cond)
		args = append(args, f.args()...)
	}
	for _, f := range filters {
		add(f)
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
	order := "DESC"
	if cursor != nil {
		if pg.StartingAfter != "" {
			where.WriteString(" AND seq < ?")
		} else {
			where.WriteString(" AND seq > ?")
			order = "ASC"
		}
		args = append(args, *cursor)
	}
	limit := pg.Limit
	if limit <= 0 {
		limit = 10
	}
	if len(alts) > 1 && tx.dialect == Postgres {
		base, baseArgs := where.String(), args
		var q strings.Builder
		args = nil
		q.WriteString("SELECT " + col + " FROM (")
		for i, a := range alts {
			if i > 0 {
				q.WriteString(" UNION ")
			}
			where.Reset()
			where.WriteString(base)
			args = append(args, baseArgs...)
			add(a)
			q.WriteString("(SELECT " + col + ", seq FROM " + table + " WHERE " + where.String() + " ORDER BY seq " + order + " LIMIT ?)")
			args = append(args, limit+1)
		}
		q.WriteString(") page ORDER BY seq " + order + " LIMIT ?")
		return q.String(), append(args, limit+1), limit
	}
	if len(alts) > 0 {
		var conds []string
		var alt []any
		for _, a := range alts {
			conds = append(conds, "("+a.cond+")")
			alt = append(alt, a.args()...)
		}
		add(filter{"(" + strings.Join(conds, " OR ") + ")", alt})
	}
	return "SELECT " + col + " FROM " + table + " WHERE " + where.String() + " ORDER BY seq " + order + " LIMIT ?", append(args, limit+1), limit
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
