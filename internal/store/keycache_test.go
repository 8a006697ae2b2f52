package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// TestKeyLookupCache checks that a cached key lookup never outlives a
// change made through the same store: new settings, a rolled key, an
// expiry reached on the store's clock, and a caller's changes to its copy.
func TestKeyLookupCache(t *testing.T) {
	eachStoreAt(t, time.Now(), store.Options{}, func(t *testing.T, db *store.DB, clk *clock) {
		ctx := context.Background()
		now := clk.Now()
		a := accounts.New("cache", now.Unix())
		keys := accounts.NewTestKeys()
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateAccount(ctx, a, keys) }); err != nil {
			t.Fatal(err)
		}
		k, got, err := db.LookupKey(ctx, keys.Secret)
		if err != nil || k.Account != a.ID || k.Kind != accounts.Secret || got.ID != a.ID {
			t.Fatalf("lookup: %+v %+v %v", k, got, err)
		}
		got.Settings.PaymentMethodTypes = append(got.Settings.PaymentMethodTypes, "mutated")
		if _, again, _ := db.LookupKey(ctx, keys.Secret); slices.Contains(again.Settings.PaymentMethodTypes, "mutated") {
			t.Error("a caller's change to its account reached the cache")
		}

		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.UpdateAccountSettings(ctx, a.ID, payments.Settings{PaymentMethodTypes: []string{"ideal"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, got, err := db.LookupKey(ctx, keys.Secret); err != nil || !slices.Equal(got.Settings.PaymentMethodTypes, []string{"ideal"}) {
			t.Errorf("settings after an update: %+v %v", got, err)
		}

		fresh := accounts.NewTestKeys().Secret
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.AddKey(ctx, a.ID, fresh); err != nil {
				return err
			}
			_, err := tx.ExpireKeys(ctx, a.ID, accounts.Secret, fresh, now.Add(time.Hour).Unix())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.LookupKey(ctx, keys.Secret); err != nil {
			t.Errorf("key expiring in an hour refused now: %v", err)
		}
		clk.Advance(2 * time.Hour)
		if _, _, err := db.LookupKey(ctx, keys.Secret); !errors.Is(err, payments.ErrNotFound) {
			t.Errorf("expired key resolved from the cache: %v", err)
		}
		if _, _, err := db.LookupKey(ctx, fresh); err != nil {
			t.Errorf("new key: %v", err)
		}
		if _, _, err := db.LookupKey(ctx, "sk_test_unknown"); !errors.Is(err, payments.ErrNotFound) {
			t.Errorf("unknown key: %v", err)
		}
	})
}
