package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
)

// Speculative writes. A writer's batches are what bound how many writes
// commit per second — on SQLite its single writer, on PostgreSQL two, each
// running its batch's writes one after another — and most of a typical
// keyed write — a payment created and confirmed — is work that needs no
// database: building the objects, running the card network, rendering the
// events. So before a keyed write queues, it runs once on the request's
// own goroutine against no database at all, assuming its idempotency key
// is new and reading the account's webhook endpoints from a cache. Its
// inserts are held in memory as usual. If it got through without touching
// the database, the writer only checks the assumptions and writes the held
// rows with the batch. On SQLite: the key is still unknown (found so by
// the insert of its record, see errLiveKey), the endpoints have not
// changed, no other process has written. On PostgreSQL, where other
// processes write all the time: the batch's claim of the key took its
// lock and found no record, and read the same enabled endpoints. If the
// write touched the database, failed, or an assumption broke, it runs in
// the writer as any other, from the start. Nothing is acknowledged before
// the commit either way.

// errSpeculative stops a speculative write that needs the database.
var errSpeculative = errors.New("store: the speculative write needs the database")

// speculation is what a speculative run assumed, and what it made.
type speculation struct {
	key       keyClaim
	epoch     int64 // the writer's epoch when it began (see groupWriter.checkEpoch)
	endpoints int64 // db.endpointsGen when the endpoints were read
	aborted   bool  // it needed the database
	// used is the scope's enabled endpoints as it read them.
	used []*webhooks.Endpoint

	rows     []*pendingWrite
	deferred []*Deferred
	// newRows, on PostgreSQL, are rows as a one-round batch sends them:
	// its key's record as a plain INSERT (see pendingWrite.asNew).
	newRows []*pendingWrite
}

// abort marks the speculation failed; the write will run in the writer.
func (sp *speculation) abort() error {
	sp.aborted = true
	return errSpeculative
}

// abortedRow is a row whose Scan fails, for a speculative query: a
// cancelled context makes database/sql return without reaching the
// database.
func (tx *Tx) abortedRow(ctx context.Context) *sql.Row {
	_ = tx.spec.abort()
	done, cancel := context.WithCancel(ctx)
	cancel()
	return tx.db.read.QueryRowContext(done, "SELECT 1")
}

// speculate runs fn as a speculative write of key; nil if it could not
// run without the database or failed.
func (db *DB) speculate(ctx context.Context, key keyClaim, fn func(*Tx) error) *speculation {
	sp := &speculation{key: key, epoch: db.group.epoch.Load(), endpoints: db.endpointsGen.Load()}
	tx := &Tx{db: db, dialect: db.dialect, now: db.now().UTC(), spec: sp}
	if err := call(fn, tx); err != nil || sp.aborted || len(tx.events) > 0 {
		return nil
	}
	sp.rows, sp.deferred = tx.pending, tx.deferred
	for _, r := range sp.rows {
		r.shape() // here, not in the writer
	}
	if db.dialect == Postgres {
		sp.newRows = make([]*pendingWrite, len(sp.rows))
		for i, r := range sp.rows {
			sp.newRows[i] = r.asNew()
		}
	}
	startDeferred(sp.deferred)
	return sp
}

// holds reports whether a speculative write's assumptions still hold in the
// writer's transaction tx, whose batch holds the rows of the writes before
// it: the key is unknown and not claimed by another write of the batch,
// and no write since the speculation changed the scope's endpoints. live,
// if not nil, says of the batch's keys whether each had a record, as
// readLiveKeys read or took them; it holds while only speculations' held
// rows were added since. A key it does not name is read here.
func (sp *speculation) holds(ctx context.Context, tx *Tx, epoch int64, live map[keyClaim]bool) (bool, error) {
	if sp.epoch != epoch || sp.endpoints != tx.db.endpointsGen.Load() || tx.state.endpointsChanged {
		return false, nil
	}
	if used, read := live[sp.key]; read {
		return !used && !tx.holdsKey("idempotency_keys", sp.key.scope, sp.key.key), nil
	}
	_, err := tx.GetIdempotency(ctx, sp.key.scope, sp.key.key)
	switch {
	case errors.Is(err, payments.ErrNotFound):
		return true, nil
	case err != nil:
		return false, err
	}
	return false, nil // a record: the write runs again, and replays it
}

// claimHolds is holds on PostgreSQL, where other processes write too, and
// where the batch's claim of the key (c) has taken its lock and read its
// record and the scope's endpoints: the speculation holds if the key is
// new and unclaimed by another write of the batch, and the scope's enabled
// endpoints are the ones it used. Endpoints another process changed are
// found so, and the cache is then read anew.
func (sp *speculation) claimHolds(tx *Tx, c *claimed) (bool, error) {
	if c == nil || !c.locked || c.rec != nil ||
		sp.endpoints != tx.db.endpointsGen.Load() || tx.state.endpointsChanged ||
		tx.holdsKey("idempotency_keys", sp.key.scope, sp.key.key) {
		return false, nil
	}
	var all []*webhooks.Endpoint
	if len(c.endpoints) > 0 {
		if err := json.Unmarshal(c.endpoints, &all); err != nil {
			return false, fmt.Errorf("enabled endpoints: %w", err)
		}
	}
	now := enabled(all)
	same := len(now) == len(sp.used)
	for i := 0; same && i < len(now); i++ {
		same = reflect.DeepEqual(now[i], sp.used[i])
	}
	if !same {
		tx.db.endpointsGen.Add(1)
	}
	return same, nil
}

// endpointCache keeps each scope's enabled webhook endpoints for
// speculative writes, as read at a generation of db.endpointsGen and an
// epoch of the writer.
type endpointCache struct {
	mu      sync.Mutex
	entries map[payments.Scope]cachedEndpoints
}

type cachedEndpoints struct {
	gen, epoch int64
	list       []*webhooks.Endpoint
}

// get returns the scope's endpoints if they were read at generation gen
// and epoch.
func (c *endpointCache) get(s payments.Scope, gen, epoch int64) ([]*webhooks.Endpoint, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[s]
	if !ok || e.gen != gen || e.epoch != epoch {
		return nil, false
	}
	return e.list, true
}

// put keeps the scope's endpoints as read at generation gen and epoch.
func (c *endpointCache) put(s payments.Scope, gen, epoch int64, list []*webhooks.Endpoint) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[payments.Scope]cachedEndpoints{}
	}
	c.entries[s] = cachedEndpoints{gen: gen, epoch: epoch, list: list}
}

// speculativeEndpoints returns the scope's enabled endpoints as they were
// when the speculation began, from the cache or read anew.
func (tx *Tx) speculativeEndpoints(ctx context.Context, s payments.Scope) ([]*webhooks.Endpoint, error) {
	sp := tx.spec
	if list, ok := tx.db.endpoints.get(s, sp.endpoints, sp.epoch); ok {
		sp.used = list
		return list, nil
	}
	var list []*webhooks.Endpoint
	err := tx.db.View(ctx, func(rtx *Tx) error {
		var err error
		list, err = rtx.EnabledEndpoints(ctx, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("enabled endpoints: %w", err)
	}
	tx.db.endpoints.put(s, sp.endpoints, sp.epoch, list)
	sp.used = list
	return list, nil
}

// errLiveKey is how the SQLite writer learns that a speculation's key was
// used after all: the insert of its record met a live one and changed
// nothing (see idempotencyUpsert). Nothing of the batch is kept; each of
// its writes runs again alone, and the one of the used key replays it.
var errLiveKey = errors.New("store: an idempotency key has a live record")

// keysReadFor is how long after a used key was found so the SQLite
// writer reads its batches' keys before their inserts instead: a client
// repeating a used key makes one batch run again alone, not every batch
// it joins.
const keysReadFor = time.Second

// foundLiveKey notes that a batch's insert found a used key (err is
// errLiveKey).
func (w *groupWriter) foundLiveKey(err error) {
	if errors.Is(err, errLiveKey) {
		w.liveKeyFound.Store(time.Now().UnixNano())
	}
}

// readLiveKeys notes in live whether each of the keys of the speculations
// among reqs has a live record. Most keys are new, and the insert of each
// record finds a used one anyway, so the keys are taken as new unread —
// the single writer's time is what bounds a SQLite server, and reading
// them was a tenth of it — unless a used key was found in the last
// keysReadFor. Then they are read in one statement per scope rather than
// one per write; the key lists padded to a power of two (repeating the
// last), so that a few statement texts recur and stay prepared.
func (w *groupWriter) readLiveKeys(stx *sql.Tx, reqs []*writeReq, now time.Time, live map[keyClaim]bool) error {
	byScope := map[payments.Scope][]any{}
	for _, r := range reqs {
		if r.spec != nil {
			k := r.spec.key
			byScope[k.scope] = append(byScope[k.scope], k.key)
		}
	}
	if time.Since(time.Unix(0, w.liveKeyFound.Load())) > keysReadFor {
		for s, keys := range byScope {
			for _, k := range keys {
				if kc := (keyClaim{s, k.(string)}); !live[kc] {
					live[kc] = false // new, unless its insert finds otherwise
				}
			}
		}
		return nil
	}
	ctx := context.Background()
	tx := &Tx{tx: stx, q: stx, db: w.db, pool: w.pool, dialect: w.db.dialect, now: now}
	for s, keys := range byScope {
		for _, k := range keys {
			if kc := (keyClaim{s, k.(string)}); !live[kc] {
				live[kc] = false // read: no record, unless the query says so
			}
		}
		for len(keys)&(len(keys)-1) != 0 {
			keys = append(keys, keys[len(keys)-1])
		}
		q := "SELECT key FROM idempotency_keys WHERE account_id = ? AND livemode = ? AND created > ? AND key IN (?" +
			strings.Repeat(", ?", len(keys)-1) + ")"
		args := append([]any{s.Account, s.Livemode, now.Add(-IdempotencyRetention).Unix()}, keys...)
		rows, err := tx.rawQuery(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("live keys: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return fmt.Errorf("live keys: %w", err)
			}
			live[keyClaim{s, k}] = true
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("live keys: %w", err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("live keys: %w", err)
		}
	}
	return nil
}
