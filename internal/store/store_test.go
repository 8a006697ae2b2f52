package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// eachStore runs fn against a fresh store on every backend.
func eachStore(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	eachStoreAt(t, time.Now(), store.Options{}, func(t *testing.T, db *store.DB, _ *clock) { fn(t, db) })
}

// eachStoreAt runs fn against a fresh store on every backend, opened with
// opts and a clock that starts at start and moves only when told.
func eachStoreAt(t *testing.T, start time.Time, opts store.Options, fn func(t *testing.T, db *store.DB, clk *clock)) {
	for _, b := range apitest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			clk := &clock{t: start}
			o := opts
			o.Now = clk.Now
			db, err := store.Open(context.Background(), b.NewDSN(t), o)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db, clk)
		})
	}
}

// onPostgres runs fn against a fresh PostgreSQL store, for behaviour only
// PostgreSQL has.
func onPostgres(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, b := range apitest.Backends(t) {
		if b.Name != "postgres" {
			continue
		}
		db, err := store.Open(context.Background(), b.NewDSN(t), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
		return
	}
	t.Skip("no PostgreSQL: TENDER_TEST_POSTGRES_URL is not set")
}

// clock is a store's clock under a test's control.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var scope = payments.Scope{Account: "acct_test"}

// concurrently runs write(i) for every i below n at once and returns their
// errors, by i.
func concurrently(n int, write func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = write(i)
		}()
	}
	wg.Wait()
	return errs
}

// TestConcurrentWritesCommitIndependently sends many concurrent writes, a
// third of which fail after writing and one of which panics: exactly the
// others are stored (on SQLite they share commits; a failure must undo
// only its own work).
func TestConcurrentWritesCommitIndependently(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 120
		errs := concurrently(n, func(i int) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				c := &payments.Customer{ID: fmt.Sprintf("cus_w%03d", i), Created: tx.Now().Unix(), Metadata: map[string]string{}, PreferredLocales: []string{}, TaxExempt: "none"}
				if err := tx.InsertCustomer(ctx, scope, c); err != nil {
					return err
				}
				switch {
				case i == 7:
					panic("boom")
				case i%3 == 0:
					return errors.New("refused after writing")
				}
				return nil
			})
		})
		for i, err := range errs {
			wantErr := i == 7 || i%3 == 0
			if (err != nil) != wantErr {
				t.Errorf("write %d: err=%v, want error=%v", i, err, wantErr)
			}
		}
		err := db.View(ctx, func(tx *store.Tx) error {
			for i := range n {
				_, err := tx.GetCustomer(ctx, scope, fmt.Sprintf("cus_w%03d", i))
				stored := err == nil
				if want := !(i == 7 || i%3 == 0); stored != want {
					t.Errorf("customer %d stored=%v, want %v (%v)", i, stored, want, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestCursorNotFound checks the store's not-found contract for list
// cursors and gets, which the domain turns into Stripe's 404s.
func TestCursorNotFound(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.View(ctx, func(tx *store.Tx) error {
			if _, err := tx.ListCustomers(ctx, scope, payments.Page{StartingAfter: "cus_nope"}, ""); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("unknown cursor: %v", err)
			}
			if _, err := tx.GetPaymentIntent(ctx, scope, "pi_nope", false); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("unknown intent: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
