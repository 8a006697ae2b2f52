package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
)

var _ webhooks.EventStore = (*Tx)(nil)

// endpointsChange notes that the transaction writes a webhook endpoint.
func (tx *Tx) endpointsChange() error {
	if tx.spec != nil {
		return tx.spec.abort()
	}
	if tx.state != nil {
		tx.state.endpointsChanged = true
	}
	return nil
}

func (tx *Tx) InsertEndpoint(ctx context.Context, s payments.Scope, e *webhooks.Endpoint) error {
	if err := tx.endpointsChange(); err != nil {
		return err
	}
	return tx.insertObject(ctx, "webhook_endpoints", s, e.ID, e.Created, e, column{"deleted", e.Deleted})
}

func (tx *Tx) UpdateEndpoint(ctx context.Context, s payments.Scope, e *webhooks.Endpoint) error {
	if err := tx.endpointsChange(); err != nil {
		return err
	}
	return tx.updateObject(ctx, "webhook_endpoints", s, e.ID, e, column{"deleted", e.Deleted})
}

func (tx *Tx) GetEndpoint(ctx context.Context, s payments.Scope, id string) (*webhooks.Endpoint, error) {
	return getTyped[webhooks.Endpoint](ctx, tx, "webhook_endpoints", s, id, false)
}

func (tx *Tx) ListEndpoints(ctx context.Context, s payments.Scope, pg payments.Page) (payments.ListResult[*webhooks.Endpoint], error) {
	return decodeList[webhooks.Endpoint](tx.listData(ctx, "webhook_endpoints", s, pg, filter{"deleted = ?", false}))
}

func (tx *Tx) EnabledEndpoints(ctx context.Context, s payments.Scope) ([]*webhooks.Endpoint, error) {
	if tx.spec != nil {
		return tx.speculativeEndpoints(ctx, s)
	}
	if e := tx.endpoints; e != nil && e.scope == s && e.changes == tx.changeCount() && !tx.holds("webhook_endpoints") {
		// Read with the idempotency key, and nothing since could have
		// changed them.
		var all []*webhooks.Endpoint
		if len(e.list) > 0 {
			if err := json.Unmarshal(e.list, &all); err != nil {
				return nil, fmt.Errorf("enabled endpoints: %w", err)
			}
		}
		return enabled(all), nil
	}
	rows, err := tx.queryOnly(ctx, "webhook_endpoints", `SELECT data FROM webhook_endpoints WHERE account_id = ? AND livemode = ? AND deleted = ? ORDER BY seq`,
		s.Account, s.Livemode, false)
	if err != nil {
		return nil, fmt.Errorf("enabled endpoints: %w", err)
	}
	defer rows.Close()
	var all []*webhooks.Endpoint
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		e := &webhooks.Endpoint{}
		if err := json.Unmarshal(data, e); err != nil {
			return nil, err
		}
		all = append(all, e)
	}
	return enabled(all), rows.Err()
}

// scopedEndpoints are a scope's webhook endpoints (a JSON array, or empty
// for none) read earlier in the transaction: still true if the
// transaction has changed nothing since.
type scopedEndpoints struct {
	scope   payments.Scope
	list    []byte
	changes int // the transaction's changes when they were read
}

func enabled(all []*webhooks.Endpoint) []*webhooks.Endpoint {
	var out []*webhooks.Endpoint
	for _, e := range all {
		if e.Enabled() {
			out = append(out, e)
		}
	}
	return out
}

// InsertEvents stores the events of one change in a single statement
// (a payment writes three or four), held back with the change's other
// inserts (see pending.go).
func (tx *Tx) InsertEvents(ctx context.Context, s payments.Scope, evs []*webhooks.Event) error {
	if len(evs) == 0 {
		return nil
	}
	for _, e := range evs {
		var renderings, snapshot any = "", nil
		switch {
		case e.EncodeSnapshot != nil:
			snapshot = deferredText{tx.Defer(e.EncodeSnapshot)}
		case e.Snapshot != nil:
			snapshot = string(e.Snapshot)
		default:
			renderings = encodeRenderings(e.Renderings)
		}
		tx.hold(&pendingWrite{table: "events", cols: eventInsertColumns, vals: []any{e.ID, s.Account, s.Livemode, e.Created, e.Type,
			nullString(e.RequestID), nullString(e.IdempotencyKey), e.DefaultVersion, renderings, snapshot}})
	}
	return nil
}

var eventInsertColumns = []string{"id", "account_id", "livemode", "created", "type", "request_id", "idempotency_key", "default_version", "renderings", "snapshot"}

// encodeRenderings writes the version → JSON map without re-validating
// and compacting each rendering, as json.Marshal would: they were made by
// json.Marshal a moment before.
func encodeRenderings(m map[string]json.RawMessage) string {
	versions := make([]string, 0, len(m))
	n := 2
	for v, r := range m {
		versions = append(versions, v)
		n += len(v) + len(r) + 4
	}
	sort.Strings(versions)
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, v := range versions {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, v)
		b = append(b, ':')
		b = append(b, m[v]...)
	}
	return string(append(b, '}'))
}

const eventColumns = `id, livemode, created, type, request_id, idempotency_key, default_version, renderings, snapshot`

func scanEvent(sc interface{ Scan(...any) error }) (*webhooks.Event, error) {
	var (
		e        webhooks.Event
		req, idk sql.NullString
		r        string
		snap     sql.NullString
	)
	if err := sc.Scan(&e.ID, &e.Livemode, &e.Created, &e.Type, &req, &idk, &e.DefaultVersion, &r, &snap); err != nil {
		return nil, err
	}
	e.RequestID, e.IdempotencyKey = req.String, idk.String
	if snap.Valid {
		e.Snapshot = json.RawMessage(snap.String)
		return &e, nil
	}
	if err := json.Unmarshal([]byte(r), &e.Renderings); err != nil {
		return nil, fmt.Errorf("decode event: %w", err)
	}
	return &e, nil
}

func (tx *Tx) GetEvent(ctx context.Context, s payments.Scope, id string) (*webhooks.Event, error) {
	e, err := scanEvent(tx.queryRow(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ? AND account_id = ? AND livemode = ?`, id, s.Account, s.Livemode))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payments.ErrNotFound
	}
	return e, err
}

// ListEvents pages through events; it uses the generic pager on ids, then
// loads the rows, since events keep their data in their own columns.
func (tx *Tx) ListEvents(ctx context.Context, s payments.Scope, pg payments.Page, f webhooks.EventFilter) (payments.ListResult[*webhooks.Event], error) {
	ids, hasMore, err := tx.listColumnAny(ctx, "events", "id", s, pg, tx.typeFilters(f.Types))
	res := payments.ListResult[*webhooks.Event]{HasMore: hasMore}
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		e, err := tx.GetEvent(ctx, s, string(id))
		if err != nil {
			return res, err
		}
		res.Data = append(res.Data, e)
	}
	return res, nil
}

// typeFilters are the alternative conditions on events of types: none if
// one of them matches every type.
func (tx *Tx) typeFilters(types []string) []filter {
	var alts []filter
	for _, t := range types {
		a, all := tx.typeFilter(t)
		if all {
			return nil
		}
		alts = append(alts, a)
	}
	return alts
}

// typeFilter is the condition on events of type t, or on events of the
// types t begins when it ends in "*"; all reports that t matches every
// type. Both backends read the type from the scope's index (account,
// livemode, seq, type), the rows untouched. On PostgreSQL that takes
// operators of the index's collation, C, and a prefix as a range of it;
// a LIKE, or any comparison in another collation, would be checked on
// each row instead.
func (tx *Tx) typeFilter(t string) (f filter, all bool) {
	prefix, ok := strings.CutSuffix(t, "*")
	switch {
	case ok && prefix == "":
		return filter{}, true
	case !ok && tx.dialect == Postgres:
		return filter{`type COLLATE "C" = ?`, t}, false
	case !ok:
		return filter{"type = ?", t}, false
	case tx.dialect == Postgres && prefix[len(prefix)-1] < 0x7e:
		// The types that begin with prefix sort from it up to the
		// prefix with its last byte, ASCII, one higher (still UTF-8).
		next := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
		return filter{`type COLLATE "C" >= ? AND type COLLATE "C" < ?`, []any{prefix, next}}, false
	}
	return filter{"type LIKE ? ESCAPE '\\'", strings.NewReplacer("%", "\\%", "_", "\\_").Replace(prefix) + "%"}, false
}

func (tx *Tx) AddDelivery(ctx context.Context, eventID, endpointID string, now int64) error {
	_, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, updated) VALUES (?, ?, 'pending', ?)
		ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'pending', updated = excluded.updated`, eventID, endpointID, now)
	if err != nil {
		return fmt.Errorf("add delivery: %w", err)
	}
	return nil
}

func (tx *Tx) PendingDeliveries(ctx context.Context, eventID string) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM webhook_deliveries WHERE event_id = ? AND status = 'pending'`, eventID).Scan(&n)
	return n, err
}

// RecordAttempt stores one attempt and the delivery's state after it.
func (tx *Tx) RecordAttempt(ctx context.Context, at webhooks.Attempt, final bool) error {
	_, err := tx.exec(ctx, `INSERT INTO webhook_attempts (account_id, event_id, endpoint_id, attempt, attempted_at, status_code, latency_ms, succeeded, error, response)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, at.Account, at.EventID, at.EndpointID, at.Number, at.At.Unix(), at.StatusCode,
		at.Latency.Milliseconds(), at.Succeeded, nullString(at.Error), nullString(at.Response))
	if err != nil {
		return fmt.Errorf("insert attempt: %w", err)
	}
	status := "pending"
	switch {
	case at.Succeeded:
		status = "succeeded"
	case final:
		status = "failed"
	}
	_, err = tx.exec(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, updated = ? WHERE event_id = ? AND endpoint_id = ?`,
		status, at.At.Unix(), at.EventID, at.EndpointID)
	return err
}

func (tx *Tx) ListAttempts(ctx context.Context, s payments.Scope, eventID string) ([]webhooks.Attempt, error) {
	rows, err := tx.query(ctx, `SELECT event_id, endpoint_id, attempt, attempted_at, status_code, latency_ms, succeeded, error, response
		FROM webhook_attempts WHERE account_id = ? AND event_id = ? ORDER BY seq`, s.Account, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []webhooks.Attempt
	for rows.Next() {
		var (
			at           webhooks.Attempt
			when, ms     int64
			errMsg, resp sql.NullString
		)
		if err := rows.Scan(&at.EventID, &at.EndpointID, &at.Number, &when, &at.StatusCode, &ms, &at.Succeeded, &errMsg, &resp); err != nil {
			return nil, err
		}
		at.At = timeUnix(when)
		at.Latency = msDuration(ms)
		at.Error, at.Response = errMsg.String, resp.String
		out = append(out, at)
	}
	return out, rows.Err()
}

func timeUnix(s int64) time.Time        { return time.Unix(s, 0).UTC() }
func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
