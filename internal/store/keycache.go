package store

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/payments"
)

// keyTTL bounds how long a process trusts what it read of a key and its
// account. Writes in this process take effect at once (they advance
// keyGen); a key rolled or a setting changed by another process sharing
// the database takes effect within keyTTL.
const keyTTL = time.Second

// keyCache remembers resolved API keys. Every API request resolves its
// key; on SQLite, whose readers drop their page cache after every write,
// that read cost more than some of the writes it authorised.
type keyCache struct {
	gen atomic.Uint64 // advanced after a commit that changed keys or accounts
	mu  sync.Mutex
	m   map[string]cachedKey
}

type cachedKey struct {
	key     accounts.Key
	acct    accounts.Account
	expires int64 // Unix seconds; 0 for a key that does not expire
	gen     uint64
	read    time.Time
}

// maxCachedKeys bounds the cache: only keys that resolved are stored, so
// it grows with the keys in use, not with the keys attempted.
const maxCachedKeys = 10000

// LookupKey resolves an API key to its key and account, like Tx.LookupKey,
// from memory when it was read recently and nothing changed since. The
// account returned is the caller's own copy.
func (db *DB) LookupKey(ctx context.Context, key string) (accounts.Key, *accounts.Account, error) {
	h := accounts.Hash(key)
	gen := db.keys.gen.Load()
	db.keys.mu.Lock()
	c, ok := db.keys.m[h]
	db.keys.mu.Unlock()
	if ok && c.gen == gen && time.Since(c.read) < keyTTL {
		if c.expires != 0 && c.expires <= db.now().Unix() {
			return accounts.Key{}, nil, payments.ErrNotFound
		}
		a := c.acct
		a.Settings.PaymentMethodTypes = slices.Clone(a.Settings.PaymentMethodTypes)
		return c.key, &a, nil
	}
	var (
		k       accounts.Key
		a       *accounts.Account
		expires int64
	)
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		k, a, expires, err = tx.lookupKey(ctx, h)
		return err
	})
	if err != nil {
		return k, nil, err
	}
	db.keys.mu.Lock()
	if db.keys.m == nil || len(db.keys.m) >= maxCachedKeys {
		db.keys.m = map[string]cachedKey{}
	}
	cached := *a
	cached.Settings.PaymentMethodTypes = slices.Clone(a.Settings.PaymentMethodTypes)
	db.keys.m[h] = cachedKey{key: k, acct: cached, expires: expires, gen: gen, read: time.Now()}
	db.keys.mu.Unlock()
	if expires != 0 && expires <= db.now().Unix() {
		return accounts.Key{}, nil, payments.ErrNotFound
	}
	return k, a, nil
}
