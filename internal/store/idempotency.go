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
	RequestID   string
	Created     int64
}

// IdempotencyRetention is how long a key is remembered; Stripe prunes keys
// once they are at least 24 hours old.
const IdempotencyRetention = 24 * time.Hour

// ClaimIdempotencyKey takes a lock on key for the rest of the transaction,
// so that two nodes cannot run the same keyed request at once, and returns
// the key's live record, or nil. It reports locked=false, and no record,
// when another transaction holds the lock. On SQLite the write
// transaction is already exclusive.
func (tx *Tx) ClaimIdempotencyKey(ctx context.Context, s payments.Scope, key string) (locked bool, rec *IdempotencyRecord, err error) {
	if tx.dialect != Postgres {
		rec, err := tx.GetIdempotency(ctx, s, key)
		if errors.Is(err, payments.ErrNotFound) {
			return true, nil, nil
		}
		return err == nil, rec, err
	}
	if tx.holdsKey("idempotency_keys", s, key) {
		_ = tx.flush(ctx) // reported when the transaction ends
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%t\x00%s", s.Account, s.Livemode, key)
	var (
		fp, requestID   sql.NullString
		status, created sql.NullInt64
		body            []byte
		endpoints       []byte
	)
	err = tx.rawQueryRow(ctx, `SELECT locked, fingerprint, status, body, request_id, created, endpoints FROM tender_claim_key(?, ?, ?, ?, ?)`,
		int64(h.Sum64()), s.Account, s.Livemode, key, tx.now.Add(-IdempotencyRetention).Unix()).
		Scan(&locked, &fp, &status, &body, &requestID, &created, &endpoints)
	if err != nil {
		return false, nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	if locked && !tx.wrote && !tx.holds("webhook_endpoints") {
		tx.endpoints = &scopedEndpoints{scope: s, list: endpoints}
	}
	if !locked || !fp.Valid {
		return locked, nil, nil
	}
	return true, &IdempotencyRecord{Fingerprint: fp.String, Status: int(status.Int64), Body: body, RequestID: requestID.String, Created: created.Int64}, nil
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
	tx.hold(&pendingWrite{table: "idempotency_keys", key: key, scope: s,
		cols:   idempotencyColumns,
		vals:   []any{s.Account, s.Livemode, key, r.Fingerprint, r.Status, r.Body, r.RequestID, tx.now.Unix()},
		suffix: "ON CONFLICT (account_id, livemode, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body, request_id = excluded.request_id, created = excluded.created"})
	return nil
}
