package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
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

// TestHeldBackWritesGoTogether writes what a payment writes — objects, an
// update of one, events, an idempotency record — with nothing read in
// between, so all of it is written at the end (on PostgreSQL as one
// statement); and a write whose held-back inserts include a duplicate id
// leaves nothing behind.
func TestHeldBackWritesGoTogether(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		write := func(pi, ch, key string) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				intent := &payments.PaymentIntent{ID: pi, Amount: 700, Currency: "eur", Status: payments.StatusRequiresPaymentMethod, Metadata: map[string]string{}}
				if err := tx.InsertPaymentIntent(ctx, scope, intent); err != nil {
					return err
				}
				if err := tx.InsertCharge(ctx, scope, &payments.Charge{ID: ch, PaymentIntent: pi, Amount: 700, Currency: "eur", Metadata: map[string]string{}}); err != nil {
					return err
				}
				intent.Status, intent.LatestCharge = payments.StatusSucceeded, ch
				if err := tx.UpdatePaymentIntent(ctx, scope, intent); err != nil {
					return err
				}
				evs := []*webhooks.Event{
					{ID: "evt_" + pi + "_1", Type: "payment_intent.created", Created: 1, DefaultVersion: "v", Renderings: map[string]json.RawMessage{"v": json.RawMessage(`{"object":{}}`)}},
					{ID: "evt_" + pi + "_2", Type: "payment_intent.succeeded", Created: 1, DefaultVersion: "v", Renderings: map[string]json.RawMessage{"v": json.RawMessage(`{"object":{"status":"succeeded"}}`)}},
				}
				if err := tx.InsertEvents(ctx, scope, evs); err != nil {
					return err
				}
				return tx.PutIdempotency(ctx, scope, key, &store.IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte(`{"id":"` + pi + `"}`), RequestID: "req_1"})
			})
		}
		if err := write("pi_held1", "ch_held1", "key1"); err != nil {
			t.Fatal(err)
		}
		// ch_held1 again: the last of the held-back rows but two fails.
		if err := write("pi_held2", "ch_held1", "key2"); err == nil {
			t.Fatal("a write with a duplicate charge id committed")
		}
		err := db.View(ctx, func(tx *store.Tx) error {
			pi, err := tx.GetPaymentIntent(ctx, scope, "pi_held1", false)
			if err != nil || pi.Status != payments.StatusSucceeded || pi.LatestCharge != "ch_held1" {
				t.Errorf("intent %+v %v", pi, err)
			}
			if _, err := tx.GetCharge(ctx, scope, "ch_held1", false); err != nil {
				t.Errorf("charge: %v", err)
			}
			evs, err := tx.ListEvents(ctx, scope, payments.Page{Limit: 10}, webhooks.EventFilter{})
			if err != nil || len(evs.Data) != 2 || evs.Data[0].ID != "evt_pi_held1_2" || evs.Data[1].Type != "payment_intent.created" {
				t.Errorf("events %+v %v", evs.Data, err)
			}
			if rec, err := tx.GetIdempotency(ctx, scope, "key1"); err != nil || string(rec.Body) != `{"id":"pi_held1"}` {
				t.Errorf("idempotency record %+v %v", rec, err)
			}
			for _, check := range []error{
				func() error { _, err := tx.GetPaymentIntent(ctx, scope, "pi_held2", false); return err }(),
				func() error { _, err := tx.GetIdempotency(ctx, scope, "key2"); return err }(),
				func() error { _, err := tx.GetEvent(ctx, scope, "evt_pi_held2_1"); return err }(),
			} {
				if !errors.Is(check, payments.ErrNotFound) {
					t.Errorf("a row of the failed write: %v", check)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestHeldBackInsertsKeepTheirOrder inserts several objects of one table
// and of others in one transaction: lists, newest first, show them in the
// order they were made. Seven rows of a table go as inserts of four, two
// and one on SQLite: none is lost or reordered at the seams.
func TestHeldBackInsertsKeepTheirOrder(t *testing.T) {
	ids := []string{"pi_order_a", "pi_order_b", "pi_order_c", "pi_order_d", "pi_order_e", "pi_order_f", "pi_order_g"}
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, id := range ids {
				if err := tx.InsertPaymentIntent(ctx, scope, &payments.PaymentIntent{ID: id, Metadata: map[string]string{}}); err != nil {
					return err
				}
				if err := tx.InsertCharge(ctx, scope, &payments.Charge{ID: "ch" + id[2:], PaymentIntent: id, Metadata: map[string]string{}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			pis, err := tx.ListPaymentIntents(ctx, scope, payments.Page{Limit: 10}, "")
			if err != nil {
				return err
			}
			var got []string
			for _, pi := range pis.Data {
				got = append(got, pi.ID)
			}
			want := slices.Clone(ids)
			slices.Reverse(want)
			if !slices.Equal(got, want) {
				t.Errorf("intents listed %v, want %v", got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
