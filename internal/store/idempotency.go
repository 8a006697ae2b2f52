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

// TryLockIdempotencyKey takes a lock on key for the rest of the
// transaction so that two nodes cannot run the same keyed request at once.
// It reports false when another transaction holds it. On SQLite the write
// transaction is already exclusive.
func (tx *Tx) TryLockIdempotencyKey(ctx context.Context, s payments.Scope, key string) (bool, error) {
	if tx.dialect != Postgres {
		return true, nil
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%t\x00%s", s.Account, s.Livemode, key)
	var ok bool
	if err := tx.queryRow(ctx, `SELECT pg_try_advisory_xact_lock(?)`, int64(h.Sum64())).Scan(&ok); err != nil {
		return false, fmt.Errorf("lock idempotency key: %w", err)
	}
	return ok, nil
}

// GetIdempotency returns the live record for key, or payments.ErrNotFound.
func (tx *Tx) GetIdempotency(ctx context.Context, s payments.Scope, key string) (*IdempotencyRecord, error) {
	r := &IdempotencyRecord{}
	err := tx.queryRowOnly(ctx, "idempotency_keys", `SELECT fingerprint, status, body, request_id, created FROM idempotency_keys
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

// PutIdempotency records the outcome of a keyed request, replacing an
// expired record of the same key.
func (tx *Tx) PutIdempotency(ctx context.Context, s payments.Scope, key string, r *IdempotencyRecord) error {
	// An expired record of the same key is replaced. The write is held
	// back with the request's other inserts (see pending.go).
	tx.hold("idempotency_keys", `INSERT INTO idempotency_keys (account_id, livemode, key, fingerprint, status, body, request_id, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, livemode, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
		body = excluded.body, request_id = excluded.request_id, created = excluded.created`,
		s.Account, s.Livemode, key, r.Fingerprint, r.Status, r.Body, r.RequestID, tx.now.Unix())
	return nil
}
