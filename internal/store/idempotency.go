package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/tenderpay/tender/internal/payments"
)

// IdempotencyRecord is the stored outcome of the first request made with
// an idempotency key.
type IdempotencyRecord struct {
	Fingerprint string
	Status      int
	Body        []byte
	// BodyFrom, when set, gives the body to PutIdempotency instead.
	BodyFrom  *Deferred
	RequestID string
	Created   int64
}

// IdempotencyRetention is how long a key is remembered; Stripe prunes keys
// once they are at least 24 hours old.
const IdempotencyRetention = 24 * time.Hour

// ClaimIdempotencyKey takes a lock on key for the rest of the transaction,
// so that two nodes cannot run the same keyed request at once, and returns
// the key's live record, or nil. It reports locked=false, and no record,
// when another transaction holds the lock. On SQLite the write
// transaction is already exclusive. On PostgreSQL the same round trip
// reads the scope's webhook endpoints, for EnabledEndpoints; and a write
// submitted with UpdateKeyed finds its key claimed already, with the
// other keys of its batch.
func (tx *Tx) ClaimIdempotencyKey(ctx context.Context, s payments.Scope, key string) (locked bool, rec *IdempotencyRecord, err error) {
	if tx.spec != nil {
		if tx.spec.key != (keyClaim{s, key}) {
			return false, nil, tx.spec.abort()
		}
		return true, nil, nil // assumed new; the writer checks
	}
	if tx.dialect != Postgres {
		rec, err := tx.GetIdempotency(ctx, s, key)
		if errors.Is(err, payments.ErrNotFound) {
			return true, nil, nil
		}
		return err == nil, rec, err
	}
	c := tx.claimed
	tx.claimed = nil
	if c == nil || c.key != (keyClaim{s, key}) {
		if tx.holdsKey("idempotency_keys", s, key) {
			_ = tx.flush(ctx) // reported when the transaction ends
		}
		claims, err := claimKeys(ctx, tx, []keyClaim{{s, key}})
		if err != nil {
			return false, nil, err
		}
		c = claims[0]
	}
	if c.locked && !tx.holds("webhook_endpoints") {
		tx.endpoints = &scopedEndpoints{scope: s, list: c.endpoints, changes: c.changes}
	}
	return c.locked, c.rec, nil
}

// keyClaim names an idempotency key.
type keyClaim struct {
	scope payments.Scope
	key   string
}

// claimed is the outcome of claiming a key (see tender_claim_keys).
type claimed struct {
	key       keyClaim
	locked    bool
	rec       *IdempotencyRecord
	endpoints []byte
	changes   int // the transaction's changes when it was read
}

// claimKeys claims keys in one round trip (PostgreSQL).
func claimKeys(ctx context.Context, tx *Tx, keys []keyClaim) ([]*claimed, error) {
	rows, err := tx.rawQuery(ctx, `SELECT n, locked, fingerprint, status, body, request_id, created, endpoints FROM tender_claim_keys(?, ?, ?, ?, ?)`,
		claimArgs(keys, tx.now)...)
	if err != nil {
		return nil, fmt.Errorf("claim idempotency keys: %w", err)
	}
	defer rows.Close()
	out := make([]*claimed, len(keys))
	for rows.Next() {
		var (
			n               int
			fp, requestID   sql.NullString
			status, created sql.NullInt64
			body            []byte
			c               claimed
		)
		if err := rows.Scan(&n, &c.locked, &fp, &status, &body, &requestID, &created, &c.endpoints); err != nil {
			return nil, fmt.Errorf("claim idempotency keys: %w", err)
		}
		if n < 1 || n > len(keys) {
			return nil, fmt.Errorf("claim idempotency keys: row %d of %d", n, len(keys))
		}
		c.key, c.changes = keys[n-1], tx.changeCount()
		if c.locked && fp.Valid {
			c.rec = &IdempotencyRecord{Fingerprint: fp.String, Status: int(status.Int64), Body: body, RequestID: requestID.String, Created: created.Int64}
		}
		out[n-1] = &c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim idempotency keys: %w", err)
	}
	for i, c := range out {
		if c == nil {
			return nil, fmt.Errorf("claim idempotency keys: no row for key %d", i+1)
		}
	}
	return out, nil
}

// claimArgs are the arguments of tender_claim_keys for keys claimed at
// now: the keys' locks and scopes (lockArgs), their names, and the oldest
// creation time of a live record.
func claimArgs(keys []keyClaim, now time.Time) []any {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.key
	}
	return append(lockArgs(keys), names, now.Add(-IdempotencyRetention).Unix())
}

// lockArgs are the arguments of tender_lock_new_keys for keys: each key's
// advisory lock and its scope's account and livemode.
func lockArgs(keys []keyClaim) []any {
	locks := make([]int64, len(keys))
	accts := make([]string, len(keys))
	lives := make([]bool, len(keys))
	for i, k := range keys {
		h := fnv.New64a()
		fmt.Fprintf(h, "%s\x00%t\x00%s", k.scope.Account, k.scope.Livemode, k.key)
		locks[i], accts[i], lives[i] = int64(h.Sum64()), k.scope.Account, k.scope.Livemode
	}
	return []any{locks, accts, lives}
}

// GetIdempotency returns the live record for key, or payments.ErrNotFound.
func (tx *Tx) GetIdempotency(ctx context.Context, s payments.Scope, key string) (*IdempotencyRecord, error) {
	r := &IdempotencyRecord{}
	if tx.holdsKey("idempotency_keys", s, key) {
		_ = tx.flush(ctx) // reported when the transaction ends
	}
	err := tx.rawQueryRow(ctx, `SELECT fingerprint, status, body, request_id, created FROM idempotency_keys
		WHERE account_id = ? AND livemode = ? AND key = ? AND created > ?`,
		s.Account, s.Livemode, key, tx.now.Add(-IdempotencyRetention).Unix()).
		Scan(&r.Fingerprint, &r.Status, &r.Body, &r.RequestID, &r.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payments.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get idempotency key: %w", err)
	}
	return r, nil
}

var idempotencyColumns = []string{"account_id", "livemode", "key", "fingerprint", "status", "body", "request_id", "created"}

// PutIdempotency records the outcome of a keyed request, replacing an
// expired record of the same key.
func (tx *Tx) PutIdempotency(ctx context.Context, s payments.Scope, key string, r *IdempotencyRecord) error {
	// An expired record of the same key is replaced. The write is held
	// back with the request's other inserts (see pending.go).
	var body any = r.Body
	if r.BodyFrom != nil {
		body = r.BodyFrom
	}
	tx.hold(&pendingWrite{table: "idempotency_keys", key: key, scope: s,
		cols:   idempotencyColumns,
		vals:   []any{s.Account, s.Livemode, key, r.Fingerprint, r.Status, body, r.RequestID, tx.now.Unix()},
		suffix: idempotencyUpsert, mustChange: true})
	return nil
}

// idempotencyUpsert replaces an expired record of the key, never a live
// one: a record meeting a live one changes no row, and on SQLite the
// writer counts the rows its insert changed (see errLiveKey).
var idempotencyUpsert = fmt.Sprintf("ON CONFLICT (account_id, livemode, key) DO UPDATE SET "+
	"fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body, request_id = excluded.request_id, created = excluded.created "+
	"WHERE idempotency_keys.created <= excluded.created - %d", int64(IdempotencyRetention/time.Second))
