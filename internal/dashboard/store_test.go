package dashboard_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// TestStore exercises the dashboard's storage on SQLite and PostgreSQL:
// sessions (expiry, flash, per-method deletion), passwords, the receipt
// outbox with paging, key expiry, and the event queries behind timelines
// and delivery states.
func TestStore(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		db := e.App.DB()
		acct := e.App.Account
		scope := payments.Scope{Account: acct}
		update := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := db.Update(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		view := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := db.View(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now().Unix()

		// Sessions.
		update(func(tx *store.Tx) error {
			for _, s := range []*store.Session{
				{TokenHash: "live-key", Account: acct, Method: "secret_key", CSRF: "c1", Created: now, ExpiresAt: now + 3600},
				{TokenHash: "live-pw", Account: acct, Method: "password", CSRF: "c2", Created: now, ExpiresAt: now + 3600},
				{TokenHash: "other-key", Account: acct, Method: "secret_key", CSRF: "c3", Created: now, ExpiresAt: now + 3600},
				{TokenHash: "expired", Account: acct, Method: "password", CSRF: "c4", Created: now - 7200, ExpiresAt: now - 1},
			} {
				if err := tx.CreateSession(ctx, s); err != nil {
					return err
				}
			}
			return tx.SetSessionFlash(ctx, "live-key", "ok:hello")
		})
		view(func(tx *store.Tx) error {
			s, err := tx.GetSession(ctx, "live-key")
			if err != nil || s.Flash != "ok:hello" || s.CSRF != "c1" || s.Account != acct || s.Method != "secret_key" {
				t.Errorf("session: %+v %v", s, err)
			}
			if _, err := tx.GetSession(ctx, "expired"); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("expired session: %v", err)
			}
			return nil
		})
		update(func(tx *store.Tx) error { return tx.DeleteSessions(ctx, acct, "secret_key", "live-key") })
		view(func(tx *store.Tx) error {
			for hash, alive := range map[string]bool{"live-key": true, "live-pw": true, "other-key": false} {
				_, err := tx.GetSession(ctx, hash)
				if (err == nil) != alive {
					t.Errorf("session %s alive=%v after DeleteSessions (%v)", hash, err == nil, err)
				}
			}
			return nil
		})

		// Passwords.
		view(func(tx *store.Tx) error {
			if _, err := tx.DashboardPassword(ctx, acct); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("password before set: %v", err)
			}
			return nil
		})
		update(func(tx *store.Tx) error { return tx.SetDashboardPassword(ctx, acct, "hash-1") })
		update(func(tx *store.Tx) error { return tx.SetDashboardPassword(ctx, acct, "hash-2") })
		view(func(tx *store.Tx) error {
			if h, err := tx.DashboardPassword(ctx, acct); h != "hash-2" || err != nil {
				t.Errorf("password: %q %v", h, err)
			}
			return nil
		})

		// Outbox, newest first, paged with the API's cursors.
		update(func(tx *store.Tx) error {
			for i := range 3 {
				if err := tx.InsertReceipt(ctx, scope, &store.Receipt{ID: "rcpt_" + string(rune('a'+i)), Created: now, To: "x@example.com", Status: "stored", HTML: "<p>hi</p>"}); err != nil {
					return err
				}
			}
			return nil
		})
		update(func(tx *store.Tx) error {
			r, err := tx.GetReceipt(ctx, scope, "rcpt_b")
			if err != nil {
				return err
			}
			r.Status, r.Error = "failed", "550 mailbox unavailable"
			return tx.UpdateReceipt(ctx, scope, r)
		})
		view(func(tx *store.Tx) error {
			res, err := tx.ListReceipts(ctx, scope, payments.Page{Limit: 2})
			if err != nil || len(res.Data) != 2 || !res.HasMore || res.Data[0].ID != "rcpt_c" || res.Data[1].Status != "failed" {
				t.Errorf("outbox page 1: %v %+v", err, res)
			}
			res, err = tx.ListReceipts(ctx, scope, payments.Page{Limit: 2, StartingAfter: "rcpt_b"})
			if err != nil || len(res.Data) != 1 || res.HasMore || res.Data[0].ID != "rcpt_a" {
				t.Errorf("outbox page 2: %v %+v", err, res)
			}
			if _, err := tx.GetReceipt(ctx, payments.Scope{Account: "acct_other"}, "rcpt_a"); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("another account reads the receipt: %v", err)
			}
			return nil
		})

		// Keys: expiring all secret keys but a new one.
		fresh := accounts.NewTestKeys().Secret
		update(func(tx *store.Tx) error {
			if err := tx.AddKey(ctx, acct, fresh); err != nil {
				return err
			}
			n, err := tx.ExpireKeys(ctx, acct, accounts.Secret, fresh, tx.Now().Unix())
			if n != 1 {
				t.Errorf("expired %d keys, want 1", n)
			}
			return err
		})
		view(func(tx *store.Tx) error {
			if _, _, err := tx.LookupKey(ctx, apitest.SecretKey); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("expired key still resolves: %v", err)
			}
			if _, _, err := tx.LookupKey(ctx, apitest.PublishableKey); err != nil {
				t.Errorf("publishable key: %v", err)
			}
			keys, err := tx.ListKeys(ctx, acct)
			var kinds []string
			for _, k := range keys {
				kinds = append(kinds, string(k.Kind)+":"+k.Display)
			}
			if err != nil || len(keys) != 2 || !slices.Contains(kinds, "secret:"+accounts.Mask(fresh)) || !slices.Contains(kinds, "publishable:"+apitest.PublishableKey) {
				t.Errorf("keys: %v %v", kinds, err)
			}
			return nil
		})
		// The restart path: AddKey of the expired (pinned) key leaves it expired.
		update(func(tx *store.Tx) error { return tx.AddKey(ctx, acct, apitest.SecretKey) })
		view(func(tx *store.Tx) error {
			if _, _, err := tx.LookupKey(ctx, apitest.SecretKey); !errors.Is(err, payments.ErrNotFound) {
				t.Errorf("re-adding a pinned key revived it: %v", err)
			}
			return nil
		})
		client := e.NewClient(fresh)

		// Events about a payment, and delivery states.
		ep, err := client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{URL: stripe.String("http://127.0.0.1:1/unreachable"), EnabledEvents: []*string{stripe.String("charge.refunded")}})
		if err != nil {
			t.Fatal(err)
		}
		pi, err := client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1000), Currency: stripe.String("usd"),
			Confirm: stripe.Bool(true), PaymentMethod: stripe.String("pm_card_visa"), PaymentMethodTypes: []*string{stripe.String("card")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(999), Currency: stripe.String("usd")}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.V1Refunds.Create(ctx, &stripe.RefundCreateParams{PaymentIntent: stripe.String(pi.ID)}); err != nil {
			t.Fatal(err)
		}
		view(func(tx *store.Tx) error {
			evs, err := tx.EventsAbout(ctx, scope, pi.ID, pi.Created, 100)
			var types []string
			for _, ev := range evs {
				types = append(types, ev.Type)
			}
			want := []string{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "refund.created", "charge.refunded"}
			if err != nil || !slices.Equal(types, want) {
				t.Errorf("events about %s: %v %v, want %v", pi.ID, types, err, want)
			}
			// LIKE wildcards in the id match nothing more.
			if evs, _ := tx.EventsAbout(ctx, scope, "pi_%", 0, 100); len(evs) != 0 {
				t.Errorf("wildcard id matched %d events", len(evs))
			}
			if evs, _ := tx.EventsAbout(ctx, payments.Scope{Account: "acct_other"}, pi.ID, 0, 100); len(evs) != 0 {
				t.Errorf("another account sees %d events", len(evs))
			}
			refunded, err := tx.ListEvents(ctx, scope, payments.Page{Limit: 1}, webhooksFilter("charge.refunded"))
			if err != nil || len(refunded.Data) != 1 {
				t.Fatalf("charge.refunded: %v", err)
			}
			st, err := tx.DeliveryStatuses(ctx, refunded.Data[0].ID)
			if err != nil || len(st) != 1 || st[0].EndpointID != ep.ID || st[0].Status == "" {
				t.Errorf("delivery statuses: %+v %v", st, err)
			}
			return nil
		})
	})
}

// TestDashboardOnEachStore drives the dashboard over plain HTTP on SQLite
// and PostgreSQL: every page renders, a refund and the settings round trip
// work, and GET /v1/elements/sessions reflects the settings.
func TestDashboardOnEachStore(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		cus := customer(t, e, "each@example.com", "Each Store")
		pi := pay(t, e, 2000, "usd", &stripe.PaymentIntentCreateParams{Customer: stripe.String(cus.ID)})
		ep, err := e.Client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{URL: stripe.String("https://example.com/h"), EnabledEvents: []*string{stripe.String("*")}})
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, e)
		token := c.login(apitest.SecretKey)
		for _, path := range []string{"/dashboard/payments", "/dashboard/payments?q=each%40example.com", "/dashboard/payments?status=succeeded&from=2000-01-01&to=2100-01-01",
			"/dashboard/payments/" + pi.ID, "/dashboard/customers", "/dashboard/customers/" + cus.ID, "/dashboard/webhooks", "/dashboard/webhooks/" + ep.ID,
			"/dashboard/events", "/dashboard/settings/payment-methods", "/dashboard/apikeys", "/dashboard/receipts"} {
			if r := c.get(path); r.Status != http.StatusOK {
				t.Errorf("GET %s: %d\n%s", path, r.Status, r.Body)
			}
		}
		if r := c.get("/dashboard/payments?q=each%40example.com"); !strings.Contains(r.Body, pi.ID) {
			t.Error("search by email does not find the payment")
		}
		if r := c.get("/dashboard/payments/pi_nonexistent"); r.Status != http.StatusNotFound {
			t.Errorf("unknown payment: %d", r.Status)
		}
		r := c.post("/dashboard/payments/"+pi.ID+"/refund", url.Values{"csrf": {token}, "amount": {"7.25"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("refund: %d %s", r.Status, r.Body)
		}
		if p := c.get("/dashboard/payments/" + pi.ID); !strings.Contains(p.Body, "Refunded $7.25.") || !strings.Contains(p.Body, "Partially refunded") {
			t.Error("the payment page does not show the refund")
		}
		// Too much: the domain's error is shown, nothing changes.
		c.post("/dashboard/payments/"+pi.ID+"/refund", url.Values{"csrf": {token}, "amount": {"100"}})
		if p := c.get("/dashboard/payments/" + pi.ID); !strings.Contains(p.Body, "greater than unrefunded amount") {
			t.Error("an over-refund's error is not shown")
		}
		ch, _ := e.Client.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
		if ch.AmountRefunded != 725 {
			t.Errorf("amount refunded %d, want 725", ch.AmountRefunded)
		}

		for _, want := range [][]string{{"card", testType}, {"card"}} {
			form := url.Values{"csrf": {token}}
			for _, tp := range want {
				form.Add("types", tp)
			}
			form.Add("types", "not_a_type")
			if r := c.post("/dashboard/settings/payment-methods", form); r.Status != http.StatusSeeOther {
				t.Fatalf("settings: %d", r.Status)
			}
			if got := sessionTypes(t, e); !slices.Equal(got, want) {
				t.Errorf("elements session %v, want %v", got, want)
			}
		}
	})
}
