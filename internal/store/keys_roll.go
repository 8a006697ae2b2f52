package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tenderpay/tender/internal/accounts"
)

// KeyInfo is what may be shown of a stored API key.
type KeyInfo struct {
	Kind      accounts.KeyKind
	Livemode  bool
	Display   string // the publishable key, or a secret key masked
	Created   int64
	ExpiresAt int64 // 0 when it does not expire
}

// ListKeys returns an account's keys that still work, oldest first.
func (tx *Tx) ListKeys(ctx context.Context, account string) ([]KeyInfo, error) {
	rows, err := tx.query(ctx, `SELECT kind, livemode, display, created, expires_at FROM api_keys
		WHERE account_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created, display`, account, tx.now.Unix())
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	defer rows.Close()
	var out []KeyInfo
	for rows.Next() {
		var (
			k       KeyInfo
			kind    string
			expires sql.NullInt64
		)
		if err := rows.Scan(&kind, &k.Livemode, &k.Display, &k.Created, &expires); err != nil {
			return nil, err
		}
		k.Kind, k.ExpiresAt = accounts.KeyKind(kind), expires.Int64
		out = append(out, k)
	}
	return out, rows.Err()
}

// ExpireKeys makes an account's keys of kind stop working at expiresAt,
// except the key keep. The rows stay, so that a key pinned on the command
// line is not registered again at the next start.
func (tx *Tx) ExpireKeys(ctx context.Context, account string, kind accounts.KeyKind, keep string, expiresAt int64) (int64, error) {
	tx.keysChanged = true
	res, err := tx.exec(ctx, `UPDATE api_keys SET expires_at = ? WHERE account_id = ? AND kind = ? AND hash <> ?
		AND (expires_at IS NULL OR expires_at > ?)`, expiresAt, account, string(kind), accounts.Hash(keep), expiresAt)
	if err != nil {
		return 0, fmt.Errorf("expire keys: %w", err)
	}
	return res.RowsAffected()
}
