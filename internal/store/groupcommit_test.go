package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// TestConcurrentWritesOfSharedRows has many writes lock rows in one order
// and add one to each: some lock two rows, others one of them, and some
// lock nothing but are slow. Run alone these writes only wait for each
// other, but on PostgreSQL a batch holds the locks of its earlier writes
// until it commits, so concurrent batches wait for each other and can
// deadlock; a write that waits too long inside a batch must run again
// alone, so every increment lands exactly once.
func TestConcurrentWritesOfSharedRows(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := []string{"pi_sharedA", "pi_sharedB"}
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, id := range ids {
				if err := tx.InsertPaymentIntent(ctx, scope, &payments.PaymentIntent{ID: id, Metadata: map[string]string{}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		const n = 90
		rowsOf := func(i int) []string {
			if i%10 == 0 {
				return nil // a slow write, holding up its batch
			}
			return [][]string{ids, ids[:1], ids[1:]}[i%3]
		}
		want := map[string]int64{}
		for i := range n {
			for _, id := range rowsOf(i) {
				want[id]++
			}
		}
		errs := concurrently(n, func(i int) error {
			rows := rowsOf(i)
			// Arrive in waves, so that several batches run at once.
			time.Sleep(time.Duration(i%9) * 10 * time.Millisecond)
			return db.Update(ctx, func(tx *store.Tx) error {
				for _, id := range rows {
					pi, err := tx.GetPaymentIntent(ctx, scope, id, true)
					if err != nil {
						return err
					}
					pi.Amount++
					if err := tx.UpdatePaymentIntent(ctx, scope, pi); err != nil {
						return err
					}
				}
				if i%10 == 0 {
					// Longer than a batch waits for a lock: the locks
					// its batch holds are held this long too.
					time.Sleep(80 * time.Millisecond)
				}
				return nil
			})
		})
		for i, err := range errs {
			if err != nil {
				t.Errorf("write %d: %v", i, err)
			}
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			for _, id := range ids {
				pi, err := tx.GetPaymentIntent(ctx, scope, id, false)
				if err != nil {
					return err
				}
				if pi.Amount != want[id] {
					t.Errorf("%s: amount %d, want %d", id, pi.Amount, want[id])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestConflictingInsertsInOneBatch sends concurrent writes of which some
// pairs insert the same id: the conflict surfaces only when the rows are
// written, possibly together with other writes' rows, and must fail one
// write of each pair and nothing else.
func TestConflictingInsertsInOneBatch(t *testing.T) {
	conflictingInserts(t, func(ctx context.Context, tx *store.Tx, id string) error {
		return tx.InsertCustomer(ctx, scope, &payments.Customer{ID: id, Metadata: map[string]string{}})
	}, func(ctx context.Context, tx *store.Tx, id string) error {
		_, err := tx.GetCustomer(ctx, scope, id)
		return err
	})
}

// TestConflictingHeldBackInserts is the same with rows held back until
// the batch's commit, where one multi-row INSERT holds many writes' rows
// and fails at the conflicting one: the rows before it must not stay.
func TestConflictingHeldBackInserts(t *testing.T) {
	conflictingInserts(t, func(ctx context.Context, tx *store.Tx, id string) error {
		return tx.InsertCharge(ctx, scope, &payments.Charge{ID: id, Metadata: map[string]string{}})
	}, func(ctx context.Context, tx *store.Tx, id string) error {
		_, err := tx.GetCharge(ctx, scope, id, false)
		return err
	})
}

func conflictingInserts(t *testing.T, insert, get func(ctx context.Context, tx *store.Tx, id string) error) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 100
		id := func(i int) string {
			if i%10 == 0 {
				return fmt.Sprintf("cus_c%03d", i+1) // the same as write i+1
			}
			return fmt.Sprintf("cus_c%03d", i)
		}
		errs := concurrently(n, func(i int) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				if err := tx.PutIdempotency(ctx, scope, fmt.Sprintf("key%03d", i), &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte("{}"), RequestID: "req"}); err != nil {
					return err
				}
				return insert(ctx, tx, id(i))
			})
		})
		for i := 0; i < n; i++ {
			if i%10 == 0 {
				if (errs[i] == nil) == (errs[i+1] == nil) {
					t.Errorf("writes %d and %d of one id: %v, %v; want exactly one to fail", i, i+1, errs[i], errs[i+1])
				}
				i++
				continue
			}
			if errs[i] != nil {
				t.Errorf("write %d: %v", i, errs[i])
			}
		}
		err := db.View(ctx, func(tx *store.Tx) error {
			for i := range n {
				if err := get(ctx, tx, id(i)); err != nil {
					t.Errorf("object of write %d: %v", i, err)
				}
				// A write's idempotency record is kept exactly when the write is.
				_, err := tx.GetIdempotency(ctx, scope, fmt.Sprintf("key%03d", i))
				if stored := err == nil; stored != (errs[i] == nil) {
					t.Errorf("write %d (err %v): idempotency record stored=%v", i, errs[i], stored)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestEndpointsReadWithTheKey checks the webhook endpoints a keyed write
// reads together with its idempotency key: disabled ones left out, and
// one created in the same transaction seen.
func TestEndpointsReadWithTheKey(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		endpoint := func(id string, disabled bool) *webhooks.Endpoint {
			return &webhooks.Endpoint{ID: id, URL: "https://example.com/" + id, EnabledEvents: []string{"*"}, Metadata: map[string]string{}, Disabled: disabled}
		}
		ids := func(eps []*webhooks.Endpoint) []string {
			var out []string
			for _, e := range eps {
				out = append(out, e.ID)
			}
			return out
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			locked, rec, err := tx.ClaimIdempotencyKey(ctx, scope, "ep-key1")
			if err != nil || !locked || rec != nil {
				return fmt.Errorf("claim: locked=%v rec=%v err=%v", locked, rec, err)
			}
			if eps, err := tx.EnabledEndpoints(ctx, scope); err != nil || len(eps) != 0 {
				return fmt.Errorf("endpoints before any: %v %v", ids(eps), err)
			}
			for _, e := range []*webhooks.Endpoint{endpoint("we_1", false), endpoint("we_off", true)} {
				if err := tx.InsertEndpoint(ctx, scope, e); err != nil {
					return err
				}
			}
			eps, err := tx.EnabledEndpoints(ctx, scope)
			if err != nil {
				return err
			}
			if got := ids(eps); !slices.Equal(got, []string{"we_1"}) {
				t.Errorf("endpoints created in the transaction: %v, want [we_1]", got)
			}
			return tx.PutIdempotency(ctx, scope, "ep-key1", &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte(`{"ok":1}`), RequestID: "req_1"})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			locked, rec, err := tx.ClaimIdempotencyKey(ctx, scope, "ep-key1")
			if err != nil || !locked || rec == nil || string(rec.Body) != `{"ok":1}` || rec.RequestID != "req_1" {
				return fmt.Errorf("claim of a used key: locked=%v rec=%+v err=%v", locked, rec, err)
			}
			if _, rec, _ := tx.ClaimIdempotencyKey(ctx, payments.Scope{Account: "acct_other"}, "ep-key1"); rec != nil {
				t.Errorf("another account saw the key's record")
			}
			if _, _, err := tx.ClaimIdempotencyKey(ctx, scope, "ep-key2"); err != nil {
				return err
			}
			eps, err := tx.EnabledEndpoints(ctx, scope)
			if err != nil {
				return err
			}
			if got := ids(eps); !slices.Equal(got, []string{"we_1"}) {
				t.Errorf("endpoints read with the key: %v, want [we_1]", got)
			}
			return errors.New("done") // nothing to keep
		})
		if err == nil || err.Error() != "done" {
			t.Fatal(err)
		}
	})
}

// TestKeysClaimedTogether claims idempotency keys from many concurrent
// writes — on PostgreSQL a batch's keys are claimed in one round trip
// before its writes run — some with a record already, some new, and two
// writes with one key: each write sees exactly the record committed or
// made before it, and of the two sharing a key one runs and the other
// replays it or finds the key in use.
func TestKeysClaimedTogether(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		body := func(k string) []byte { return []byte(`{"key":"` + k + `"}`) }
		key := func(i int) string {
			if i == 41 {
				return "key40" // shared with write 40
			}
			return fmt.Sprintf("key%02d", i)
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := range 20 {
				if err := tx.PutIdempotency(ctx, scope, key(i), &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: body(key(i)), RequestID: "req_old"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		const n = 42
		type outcome struct {
			locked bool
			rec    *store.IdempotencyRecord
		}
		got := make([]outcome, n)
		errs := concurrently(n, func(i int) error {
			return db.UpdateKeyed(ctx, scope, key(i), func(tx *store.Tx) error {
				locked, rec, err := tx.ClaimIdempotencyKey(ctx, scope, key(i))
				if err != nil {
					return err
				}
				got[i] = outcome{locked, rec}
				if !locked || rec != nil {
					return nil
				}
				return tx.PutIdempotency(ctx, scope, key(i), &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: body(key(i)), RequestID: fmt.Sprintf("req_%d", i)})
			})
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
		for i := range 40 {
			o := got[i]
			switch {
			case !o.locked:
				t.Errorf("write %d: key in use", i)
			case i < 20 && (o.rec == nil || string(o.rec.Body) != string(body(key(i))) || o.rec.RequestID != "req_old"):
				t.Errorf("write %d: record %+v, want the stored one", i, o.rec)
			case i >= 20 && o.rec != nil:
				t.Errorf("write %d: record %+v of a new key", i, o.rec)
			}
		}
		a, b := got[40], got[41]
		ran := func(o outcome) bool { return o.locked && o.rec == nil }
		replayed := func(o outcome) bool {
			return !o.locked || (o.rec != nil && string(o.rec.Body) == string(body("key40")))
		}
		if !(ran(a) && replayed(b) || ran(b) && replayed(a)) {
			t.Errorf("writes sharing a key: %+v and %+v; want one to run and the other to replay it or find it in use", a, b)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			for i := range 41 {
				rec, err := tx.GetIdempotency(ctx, scope, key(i))
				if err != nil {
					t.Errorf("key %s: %v", key(i), err)
				} else if string(rec.Body) != string(body(key(i))) {
					t.Errorf("key %s: body %s", key(i), rec.Body)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestClaimLiveRecords: a claim returns a key's record only while it is
// within the retention period.
func TestClaimLiveRecords(t *testing.T) {
	eachStoreAt(t, time.Now(), store.Options{}, func(t *testing.T, db *store.DB, clk *clock) {
		ctx := context.Background()
		put := func(key string) {
			t.Helper()
			err := db.Update(ctx, func(tx *store.Tx) error {
				return tx.PutIdempotency(ctx, scope, key, &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte(`{}`), RequestID: "req_" + key})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		put("old")
		clk.Advance(store.IdempotencyRetention + time.Minute)
		put("new")
		err := db.Update(ctx, func(tx *store.Tx) error {
			for key, want := range map[string]string{"old": "", "new": "req_new", "unused": ""} {
				locked, rec, err := tx.ClaimIdempotencyKey(ctx, scope, key)
				switch {
				case err != nil:
					return err
				case !locked:
					t.Errorf("key %s: in use", key)
				case want == "" && rec != nil:
					t.Errorf("key %s: record %+v, want none", key, rec)
				case want != "" && (rec == nil || rec.RequestID != want):
					t.Errorf("key %s: record %+v, want %s's", key, rec, want)
				}
			}
			return errors.New("done")
		})
		if err == nil || err.Error() != "done" {
			t.Fatal(err)
		}
	})
}

// TestClaimOfAKeyHeldElsewhere: on PostgreSQL a key whose lock another
// server holds is reported in use, with nothing read, while a key claimed
// beside it in the same batch is claimed as usual.
func TestClaimOfAKeyHeldElsewhere(t *testing.T) {
	for _, b := range apitest.Backends(t) {
		if b.Name != "postgres" {
			continue
		}
		ctx := context.Background()
		dsn := b.NewDSN(t)
		var dbs [2]*store.DB
		for i := range dbs {
			db, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		err := dbs[0].Update(ctx, func(tx *store.Tx) error {
			return tx.PutIdempotency(ctx, scope, "held", &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte(`{}`), RequestID: "req_held"})
		})
		if err != nil {
			t.Fatal(err)
		}
		holding, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
		go func() {
			done <- dbs[1].UpdateKeyed(ctx, scope, "held", func(tx *store.Tx) error {
				locked, rec, err := tx.ClaimIdempotencyKey(ctx, scope, "held")
				if err == nil && (!locked || rec == nil) {
					err = fmt.Errorf("holder: locked=%v record %+v", locked, rec)
				}
				close(holding)
				<-release
				return err
			})
		}()
		<-holding
		errs := concurrently(2, func(i int) error {
			key := []string{"held", "free"}[i]
			return dbs[0].UpdateKeyed(ctx, scope, key, func(tx *store.Tx) error {
				locked, rec, err := tx.ClaimIdempotencyKey(ctx, scope, key)
				if err != nil {
					return err
				}
				if wantLocked := key == "free"; locked != wantLocked || rec != nil {
					t.Errorf("key %s: locked=%v record %+v, want locked=%v and no record", key, locked, rec, wantLocked)
				}
				return nil
			})
		})
		close(release)
		for _, err := range append(errs, <-done) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestDeferredValues has concurrent writes hold values computed after
// their functions return — off the writer, in a batch — one of which
// fails: that write fails alone, and every other row holds its value.
func TestDeferredValues(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 40
		errs := concurrently(n, func(i int) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				body := tx.Defer(func() ([]byte, error) {
					time.Sleep(time.Millisecond) // longer than the writer needs for the next write
					if i == 7 {
						return nil, errors.New("cannot encode")
					}
					return []byte(fmt.Sprintf(`{"n":%d}`, i)), nil
				})
				return tx.PutIdempotency(ctx, scope, fmt.Sprintf("deferred%02d", i), &store.IdempotencyRecord{Fingerprint: "f", Status: 200, BodyFrom: body, RequestID: "req"})
			})
		})
		err := db.View(ctx, func(tx *store.Tx) error {
			for i := range n {
				rec, err := tx.GetIdempotency(ctx, scope, fmt.Sprintf("deferred%02d", i))
				switch {
				case i == 7:
					if errs[i] == nil || err == nil {
						t.Errorf("write whose value failed: err %v, record %v", errs[i], rec)
					}
				case errs[i] != nil || err != nil:
					t.Errorf("write %d: %v; record: %v", i, errs[i], err)
				case string(rec.Body) != fmt.Sprintf(`{"n":%d}`, i):
					t.Errorf("write %d: body %s", i, rec.Body)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestCommitRefusedRunsAlone has a batch's writes break a constraint that
// PostgreSQL checks only at commit (SQLite has no such constraints): the
// batch's commit is refused, nothing of it is kept, and each write runs
// again alone, so that of two writes of one mark exactly one fails.
func TestCommitRefusedRunsAlone(t *testing.T) {
	onPostgres(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Pool().ExecContext(ctx, `CREATE TABLE deferred_marks (mark TEXT UNIQUE DEFERRABLE INITIALLY DEFERRED)`); err != nil {
			t.Fatal(err)
		}
		const n = 40
		mark := func(i int) string { return fmt.Sprintf("m%02d", i/2) } // writes 2k and 2k+1 share one
		errs := concurrently(n, func(i int) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.SQL().ExecContext(ctx, `INSERT INTO deferred_marks (mark) VALUES ($1)`, mark(i))
				return err
			})
		})
		for i := 0; i < n; i += 2 {
			if (errs[i] == nil) == (errs[i+1] == nil) {
				t.Errorf("writes %d and %d of one mark: %v, %v; want exactly one to fail", i, i+1, errs[i], errs[i+1])
			}
		}
		var rows int
		if err := db.Pool().QueryRowContext(ctx, `SELECT COUNT(*) FROM deferred_marks`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != n/2 {
			t.Errorf("%d marks stored, want %d", rows, n/2)
		}
	})
}

// TestCommitBeginsTheNextBatch: on PostgreSQL a batch's rows go with its
// commit, which begins the next batch's transaction (COMMIT AND CHAIN).
// Every write that should land does; of two writes inserting one charge
// id, exactly one does, with its idempotency record, the conflict refusing
// the commit that carried both; and once the writes stop no writer is left
// holding a transaction open.
func TestCommitBeginsTheNextBatch(t *testing.T) {
	onPostgres(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const clients, each = 24, 20
		key := func(c, i int) string { return fmt.Sprintf("chain-%d-%d", c, i) }
		charge := func(c, i int) string {
			if i%5 == 0 {
				return fmt.Sprintf("ch_chain_shared_%d_%d", c/2, i) // clients c and c^1 collide
			}
			return fmt.Sprintf("ch_chain_%d_%d", c, i)
		}
		var errs [clients][each]error
		failed := concurrently(clients, func(c int) error {
			for i := range each {
				errs[c][i] = db.Update(ctx, func(tx *store.Tx) error {
					if err := tx.PutIdempotency(ctx, scope, key(c, i), &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte(`{}`), RequestID: "req"}); err != nil {
						return err
					}
					return tx.InsertCharge(ctx, scope, &payments.Charge{ID: charge(c, i), Metadata: map[string]string{}})
				})
			}
			return nil
		})
		for _, err := range failed {
			if err != nil {
				t.Fatal(err)
			}
		}
		for c := 0; c < clients; c += 2 {
			for i := range each {
				a, b := errs[c][i], errs[c+1][i]
				if i%5 == 0 && (a == nil) == (b == nil) {
					t.Errorf("writes %d/%d and %d/%d of one charge: %v, %v; want exactly one to fail", c, i, c+1, i, a, b)
				}
				if i%5 != 0 && (a != nil || b != nil) {
					t.Errorf("writes %d/%d, %d/%d: %v, %v", c, i, c+1, i, a, b)
				}
			}
		}
		if n := store.ChainedCommits(db); n == 0 {
			t.Error("no commit began the next batch's transaction")
		}
		t.Logf("%d commits chained, %d of them refused", store.ChainedCommits(db), store.RefusedChainedCommits(db))
		err := db.View(ctx, func(tx *store.Tx) error {
			for c := range clients {
				for i := range each {
					_, err := tx.GetIdempotency(ctx, scope, key(c, i))
					if stored := err == nil; stored != (errs[c][i] == nil) {
						t.Errorf("write %d/%d (err %v): idempotency record stored=%v", c, i, errs[c][i], stored)
					}
					if _, err := tx.GetCharge(ctx, scope, charge(c, i), false); err != nil {
						t.Errorf("charge of write %d/%d: %v", c, i, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wait, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := store.WriterConnsIdle(wait, db); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCommitChainsWithOneClient: on PostgreSQL every batch commit carries
// its rows and begins the next batch's transaction, even with no write
// waiting: one client's writes, one after another, each commit chained.
// Once the writes stop, the writer ends the transaction it holds.
func TestCommitChainsWithOneClient(t *testing.T) {
	onPostgres(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before := store.ChainedCommits(db)
		const writes = 5
		for i := range writes {
			err := db.Update(ctx, func(tx *store.Tx) error {
				return tx.InsertCharge(ctx, scope, &payments.Charge{ID: fmt.Sprintf("ch_one_%d", i), Metadata: map[string]string{}})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// Other commits (the store's own upkeep) may chain too.
		if n := store.ChainedCommits(db) - before; n < writes {
			t.Errorf("%d commits chained for %d writes, want each to", n, writes)
		}
		wait, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if err := store.WriterConnsIdle(wait, db); err != nil {
			t.Fatal(err)
		}
		err := db.View(ctx, func(tx *store.Tx) error {
			for i := range writes {
				if _, err := tx.GetCharge(ctx, scope, fmt.Sprintf("ch_one_%d", i), false); err != nil {
					t.Errorf("charge %d: %v", i, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
