package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// TestPruneInBatches stores idempotency records and events, in two
// scopes, lets the clock pass each retention period, and prunes in batches
// of three: what expired goes, in as many transactions as it takes, in
// every scope, and nothing else.
func TestPruneInBatches(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	eachStoreAt(t, start, store.Options{PruneBatch: 3}, func(t *testing.T, db *store.DB, clk *clock) {
		ctx := context.Background()
		live := payments.Scope{Account: "acct_test2", Livemode: true}
		putIn := func(scope payments.Scope, prefix string, n int) {
			err := db.Update(ctx, func(tx *store.Tx) error {
				var evs []*webhooks.Event
				for i := range n {
					id := fmt.Sprintf("%s%d", prefix, i)
					if err := tx.PutIdempotency(ctx, scope, id, &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte("{}"), RequestID: "req"}); err != nil {
						return err
					}
					evs = append(evs, &webhooks.Event{ID: "evt_" + id, Type: "customer.created", Created: tx.Now().Unix(),
						DefaultVersion: "v", Renderings: map[string]json.RawMessage{"v": json.RawMessage(`{}`)}})
				}
				return tx.InsertEvents(ctx, scope, evs)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		countIn := func(scope payments.Scope, prefix string, n int) (keys, events int) {
			err := db.View(ctx, func(tx *store.Tx) error {
				for i := range n {
					id := fmt.Sprintf("%s%d", prefix, i)
					if _, err := tx.GetIdempotency(ctx, scope, id); err == nil {
						keys++
					} else if !errors.Is(err, payments.ErrNotFound) {
						return err
					}
					if _, err := tx.GetEvent(ctx, scope, "evt_"+id); err == nil {
						events++
					} else if !errors.Is(err, payments.ErrNotFound) {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return keys, events
		}
		put := func(prefix string, n int) { putIn(scope, prefix, n) }
		count := func(prefix string, n int) (keys, events int) { return countIn(scope, prefix, n) }
		put("old", 7)
		putIn(live, "live", 4)
		clk.Advance(48 * time.Hour)
		put("new", 2)

		if n, err := db.PruneIdempotency(ctx); err != nil || n != 11 {
			t.Fatalf("pruned %d idempotency records (%v), want the 11 older than a day", n, err)
		}
		if n, err := db.PruneEvents(ctx); err != nil || n != 0 {
			t.Fatalf("pruned %d events (%v) before 30 days", n, err)
		}
		// (Expired records are invisible to GetIdempotency either way:
		// the deleted count above is what shows them gone.)
		if k, e := count("new", 2); k != 2 || e != 2 {
			t.Fatalf("fresh rows: %d keys, %d events", k, e)
		}
		if _, e := count("old", 7); e != 7 {
			t.Fatalf("%d of the old events left before their time", e)
		}

		clk.Advance(29 * 24 * time.Hour) // the old events are 31 days old, the new ones 29
		if n, err := db.PruneEvents(ctx); err != nil || n != 11 {
			t.Fatalf("pruned %d events (%v), want 11", n, err)
		}
		if _, e := count("old", 7); e != 0 {
			t.Fatalf("%d old events survived", e)
		}
		if _, e := countIn(live, "live", 4); e != 0 {
			t.Fatalf("%d old live-mode events of another account survived", e)
		}
		if _, e := count("new", 2); e != 2 {
			t.Fatalf("%d of 2 newer events left", e)
		}
	})
}

// TestNoIndexOnCreated: expired rows are found in insertion order, so no
// payment pays for an index on created — but PostgreSQL's idempotency
// records, which have no such order, keep theirs.
func TestNoIndexOnCreated(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		q := `SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`
		if db.Dialect() == store.Postgres {
			q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`
		}
		rows, err := db.Pool().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		have := map[string]bool{}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			have[name] = true
		}
		if have["events_created"] {
			t.Error("events are indexed by created")
		}
		if want := db.Dialect() == store.Postgres; have["idempotency_keys_created"] != want {
			t.Errorf("idempotency_keys_created present: %v, want %v", !want, want)
		}
		// The scope's index carries the type instead (see
		// TestEventTypesFromScopeIndex).
		if have["events_type"] {
			t.Error("events have an index on type of their own")
		}
	})
}

// TestObjectsKeyedByID: on PostgreSQL the rows a payment writes are keyed
// by id, with no index on seq alone — three fewer index insertions per
// payment, and three more for its events — while the lists' indexes on
// (account_id, livemode, seq) remain.
func TestObjectsKeyedByID(t *testing.T) {
	onPostgres(t, func(t *testing.T, db *store.DB) {
		for _, table := range []string{"payment_methods", "payment_intents", "charges", "events"} {
			rows, err := db.Pool().Query(`SELECT i.indisprimary, pg_get_indexdef(i.indexrelid)
				FROM pg_index i WHERE i.indrelid = (current_schema() || '.' || $1)::regclass`, table)
			if err != nil {
				t.Fatal(err)
			}
			var primary, scope string
			for rows.Next() {
				var isPrimary bool
				var def string
				if err := rows.Scan(&isPrimary, &def); err != nil {
					t.Fatal(err)
				}
				if isPrimary {
					primary = def
				}
				// Events' carries their type too.
				if strings.HasSuffix(def, "(account_id, livemode, seq)") || strings.HasSuffix(def, `(account_id, livemode, seq, type COLLATE "C")`) {
					scope = def
				}
				if strings.HasSuffix(def, "(seq)") {
					t.Errorf("%s: index on seq alone: %s", table, def)
				}
			}
			rows.Close()
			if !strings.HasSuffix(primary, "(id)") {
				t.Errorf("%s: primary key %q, want on id", table, primary)
			}
			if scope == "" {
				t.Errorf("%s: no index on (account_id, livemode, seq)", table)
			}
		}
	})
}
