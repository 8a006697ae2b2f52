package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// TestInsertThenUpdateInOneTransaction covers the rows an insert holds
// back until the next statement: read back by id, changed, listed by a
// column the change set, and gone with the transaction if it fails.
func TestInsertThenUpdateInOneTransaction(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.Update(ctx, func(tx *store.Tx) error {
			pi := &payments.PaymentIntent{ID: "pi_pending1", Amount: 500, Currency: "usd", Status: payments.StatusRequiresPaymentMethod, Metadata: map[string]string{}}
			if err := tx.InsertPaymentIntent(ctx, scope, pi); err != nil {
				return err
			}
			got, err := tx.GetPaymentIntent(ctx, scope, "pi_pending1", true)
			if err != nil {
				return err
			}
			if got.Amount != 500 || got == pi {
				t.Errorf("read back %+v: want a copy with amount 500", got)
			}
			if _, err := tx.GetPaymentIntent(ctx, payments.Scope{Account: "acct_other"}, "pi_pending1", false); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("another account read the row: %v", err)
			}
			pi.Status, pi.Customer = payments.StatusSucceeded, "cus_pending"
			if err := tx.UpdatePaymentIntent(ctx, scope, pi); err != nil {
				return err
			}
			list, err := tx.ListPaymentIntents(ctx, scope, payments.Page{Limit: 10}, "cus_pending")
			if err != nil {
				return err
			}
			if len(list.Data) != 1 || list.Data[0].Status != payments.StatusSucceeded {
				t.Errorf("list by the updated customer column: %+v", list.Data)
			}
			return tx.InsertPaymentIntent(ctx, scope, &payments.PaymentIntent{ID: "pi_pending2", Metadata: map[string]string{}})
		})
		if err != nil {
			t.Fatal(err)
		}
		// Held-back rows of a failed write are never written.
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.InsertPaymentIntent(ctx, scope, &payments.PaymentIntent{ID: "pi_pending3", Metadata: map[string]string{}}); err != nil {
				return err
			}
			return errors.New("refused")
		})
		if err == nil {
			t.Fatal("failed write reported success")
		}
		// A duplicate id surfaces when the held-back row is written, and
		// fails its transaction.
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.InsertPaymentIntent(ctx, scope, &payments.PaymentIntent{ID: "pi_pending2", Metadata: map[string]string{}})
		})
		if err == nil {
			t.Error("duplicate id committed")
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			pi, err := tx.GetPaymentIntent(ctx, scope, "pi_pending1", false)
			if err != nil {
				return err
			}
			if pi.Status != payments.StatusSucceeded || pi.Customer != "cus_pending" {
				t.Errorf("stored %s for %s, want the updated intent", pi.Status, pi.Customer)
			}
			if _, err := tx.GetPaymentIntent(ctx, scope, "pi_pending2", false); err != nil {
				t.Errorf("second insert: %v", err)
			}
			if _, err := tx.GetPaymentIntent(ctx, scope, "pi_pending3", false); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("insert of a failed write: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
