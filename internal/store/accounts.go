package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/payments"
)

// CreateAccount stores a new account with its test keys.
func (tx *Tx) CreateAccount(ctx context.Context, a *accounts.Account, keys accounts.Keys) error {
	tx.keysChanged = true
	settings, err := json.Marshal(a.Settings)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO accounts (id, name, is_default, api_version, fingerprint_secret, created, settings)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Name, a.IsDefault, a.APIVersion, a.FingerprintSecret, a.Created, string(settings))
	if err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	if err := tx.AddKey(ctx, a.ID, keys.Secret); err != nil {
		return err
	}
	return tx.AddKey(ctx, a.ID, keys.Publishable)
}

// AddKey registers key for account. Adding a key that already belongs to
// the account does nothing; one that belongs to another account is an error.
func (tx *Tx) AddKey(ctx context.Context, account, key string) error {
	tx.keysChanged = true
	kind, live, ok := accounts.Parse(key)
	if !ok {
		return fmt.Errorf("unrecognised key prefix")
	}
	display := accounts.Mask(key)
	if kind == accounts.Publishable {
		display = key // publishable keys are public by design
	}
	hash := accounts.Hash(key)
	var owner string
	err := tx.queryRow(ctx, `SELECT account_id FROM api_keys WHERE hash = ?`, hash).Scan(&owner)
	switch {
	case err == nil && owner == account:
		return nil
	case err == nil:
		return fmt.Errorf("key %s already belongs to another account", display)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("look up key: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO api_keys (hash, account_id, livemode, kind, display, created) VALUES (?, ?, ?, ?, ?, ?)`,
		hash, account, live, string(kind), display, tx.now.Unix())
	if err != nil {
		return fmt.Errorf("insert key: %w", err)
	}
	return nil
}

// LookupKey resolves an API key to its account; payments.ErrNotFound
// means no such key, or one that has expired.
func (tx *Tx) LookupKey(ctx context.Context, key string) (accounts.Key, *accounts.Account, error) {
	k, a, expires, err := tx.lookupKey(ctx, accounts.Hash(key))
	if err != nil {
		return k, nil, err
	}
	if expires != 0 && expires <= tx.now.Unix() {
		return k, nil, payments.ErrNotFound
	}
	return k, a, nil
}

// lookupKey reads the key with hash h and its account, and when the key
// expires (0: never).
func (tx *Tx) lookupKey(ctx context.Context, h string) (accounts.Key, *accounts.Account, int64, error) {
	var (
		k        accounts.Key
		kind     string
		expires  sql.NullInt64
		settings string
		a        = &accounts.Account{}
	)
	err := tx.queryRow(ctx, `SELECT k.livemode, k.kind, k.expires_at, a.id, a.name, a.is_default, a.api_version, a.fingerprint_secret, a.created, a.settings
		FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.hash = ?`, h).
		Scan(&k.Livemode, &kind, &expires, &a.ID, &a.Name, &a.IsDefault, &a.APIVersion, &a.FingerprintSecret, &a.Created, &settings)
	if errors.Is(err, sql.ErrNoRows) {
		return k, nil, 0, payments.ErrNotFound
	}
	if err != nil {
		return k, nil, 0, fmt.Errorf("look up key: %w", err)
	}
	if err := json.Unmarshal([]byte(settings), &a.Settings); err != nil {
		return k, nil, 0, fmt.Errorf("account settings: %w", err)
	}
	k.Account = a.ID
	k.Kind = accounts.KeyKind(kind)
	return k, a, expires.Int64, nil
}

// DefaultAccount returns the account created on first start, or
// payments.ErrNotFound before there is one.
func (tx *Tx) DefaultAccount(ctx context.Context) (*accounts.Account, error) {
	return tx.account(ctx, `SELECT `+accountColumns+` FROM accounts WHERE is_default = ?`, true)
}

// Account returns the account with id.
func (tx *Tx) Account(ctx context.Context, id string) (*accounts.Account, error) {
	return tx.account(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id)
}

func (tx *Tx) account(ctx context.Context, q string, arg any) (*accounts.Account, error) {
	a := &accounts.Account{}
	var settings string
	err := tx.queryRow(ctx, q, arg).Scan(&a.ID, &a.Name, &a.IsDefault, &a.APIVersion, &a.FingerprintSecret, &a.Created, &settings)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payments.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get account: %w", err)
	}
	if err := json.Unmarshal([]byte(settings), &a.Settings); err != nil {
		return nil, fmt.Errorf("account settings: %w", err)
	}
	return a, nil
}

const accountColumns = `id, name, is_default, api_version, fingerprint_secret, created, settings`

// UpdateAccountSettings replaces an account's payment settings.
func (tx *Tx) UpdateAccountSettings(ctx context.Context, id string, s payments.Settings) error {
	tx.keysChanged = true
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE accounts SET settings = ? WHERE id = ?`, string(b), id)
	if err != nil {
		return fmt.Errorf("update account settings: %w", err)
	}
	return mustAffectOne(res)
}

// PublishableKey returns one of the account's publishable keys in mode.
func (tx *Tx) PublishableKey(ctx context.Context, account string, livemode bool) (string, error) {
	var key string
	err := tx.queryRow(ctx, `SELECT display FROM api_keys WHERE account_id = ? AND livemode = ? AND kind = ? ORDER BY created LIMIT 1`,
		account, livemode, string(accounts.Publishable)).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", payments.ErrNotFound
	}
	return key, err
}

// LockAccounts serialises account bootstrapping between processes and nodes
// sharing the database.
func (tx *Tx) LockAccounts(ctx context.Context) error {
	if tx.dialect == Postgres {
		_, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7365637)`)
		return err
	}
	return nil // SQLite write transactions are already exclusive.
}
