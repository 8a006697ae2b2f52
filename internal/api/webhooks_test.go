package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	stripe82 "github.com/stripe/stripe-go/v82"
	webhook82 "github.com/stripe/stripe-go/v82/webhook"
	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/app"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// receiver is a real HTTP webhook receiver on loopback that records every
// delivery as it came.
type receiver struct {
	*httptest.Server
	mu        sync.Mutex
	got       []delivery
	failFirst int // answer 500 to this many requests first
	seen      int
}

type delivery struct {
	At        time.Time
	Body      []byte
	Signature string
	Status    int
}

func newReceiver(t *testing.T, failFirst int) *receiver {
	rc := &receiver{failFirst: failFirst}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.seen++
		status := 200
		if rc.seen <= rc.failFirst {
			status = 500
		}
		rc.got = append(rc.got, delivery{At: time.Now(), Body: body, Signature: r.Header.Get("Stripe-Signature"), Status: status})
		rc.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"received":true}`))
	}))
	t.Cleanup(rc.Close)
	return rc
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

func eventType(b []byte) (string, string) {
	var e struct{ ID, Type string }
	_ = json.Unmarshal(b, &e)
	return e.ID, e.Type
}

// TestWebhooksVerifyWithEverySDK creates one endpoint with stripe-go v85
// (dahlia) and one with stripe-go v82 (basil); each SDK's ConstructEvent
// must accept every delivery to its endpoint, and stripe-node's
// constructEvent every delivery to both.
func TestWebhooksVerifyWithEverySDK(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		r85, r82 := newReceiver(t, 0), newReceiver(t, 0)
		ep85, err := e.Client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{
			URL: stripe.String(r85.URL + "/hook"), EnabledEvents: []*string{stripe.String("*")}})
		if err != nil || !strings.HasPrefix(ep85.Secret, "whsec_") || ep85.APIVersion != stripe.APIVersion || ep85.Status != "enabled" {
			t.Fatalf("create endpoint with v85: %+v %v", ep85, err)
		}
		sc82 := stripe82.NewClient(apitest.SecretKey, stripe82.WithBackends(stripe82.NewBackendsWithConfig(&stripe82.BackendConfig{
			URL: stripe82.String(e.URL), MaxNetworkRetries: stripe82.Int64(0), LeveledLogger: &stripe82.LeveledLogger{Level: stripe82.LevelNull}})))
		ep82, err := sc82.V1WebhookEndpoints.Create(ctx, &stripe82.WebhookEndpointCreateParams{
			URL: stripe82.String(r82.URL + "/hook"), EnabledEvents: []*string{stripe82.String("payment_intent.*"), stripe82.String("charge.succeeded")},
			APIVersion: stripe82.String(stripe82.APIVersion)})
		if err != nil || ep82.APIVersion != stripe82.APIVersion {
			t.Fatalf("create endpoint with v82: %+v %v", ep82, err)
		}
		// The secret is shown once.
		got, _ := e.Client.V1WebhookEndpoints.Retrieve(ctx, ep85.ID, nil)
		if got.Secret != "" {
			t.Fatal("the secret is shown again after creation")
		}

		pi, err := payWith(t, e, "pm_card_visa")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("hook@example.com")}); err != nil {
			t.Fatal(err)
		}
		// v85 gets everything: payment_intent.created, charge.succeeded, payment_intent.succeeded, customer.created.
		waitFor(t, 15*time.Second, "4 deliveries to the v85 endpoint", func() bool { return len(r85.deliveries()) >= 4 })
		waitFor(t, 15*time.Second, "3 deliveries to the v82 endpoint", func() bool { return len(r82.deliveries()) >= 3 })
		types := map[string]bool{}
		for _, d := range r85.deliveries() {
			ev, err := webhook.ConstructEvent(d.Body, d.Signature, ep85.Secret)
			if err != nil {
				t.Fatalf("stripe-go v85 rejected a delivery: %v\n%s", err, d.Body)
			}
			types[string(ev.Type)] = true
			if ev.Type == "payment_intent.succeeded" {
				var obj stripe.PaymentIntent
				if err := json.Unmarshal(ev.Data.Raw, &obj); err != nil || obj.ID != pi.ID || obj.Status != "succeeded" {
					t.Fatalf("payment_intent.succeeded data: %+v %v", obj, err)
				}
				if ev.Request == nil || ev.Request.ID == "" || ev.Request.IdempotencyKey == "" {
					t.Fatalf("event request: %+v", ev.Request)
				}
			}
		}
		for _, want := range []string{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "customer.created"} {
			if !types[want] {
				t.Errorf("v85 endpoint did not receive %s (got %v)", want, types)
			}
		}
		for _, d := range r82.deliveries() {
			ev, err := webhook82.ConstructEvent(d.Body, d.Signature, ep82.Secret)
			if err != nil {
				t.Fatalf("stripe-go v82 rejected a delivery: %v\n%s", err, d.Body)
			}
			if strings.HasPrefix(string(ev.Type), "customer.") {
				t.Fatalf("v82 endpoint got %s, which it did not subscribe to", ev.Type)
			}
		}
		// A wrong secret or a tampered body fails verification.
		d := r85.deliveries()[0]
		if _, err := webhook.ConstructEvent(d.Body, d.Signature, "whsec_wrong"); err == nil {
			t.Fatal("a wrong secret verified")
		}
		if _, err := webhook.ConstructEvent(append([]byte(" "), d.Body...), d.Signature, ep85.Secret); err == nil {
			t.Fatal("a tampered body verified")
		}
		verifyWithNode(t, append(withSecret(r85.deliveries(), ep85.Secret), withSecret(r82.deliveries(), ep82.Secret)...))

		// The events API shows the same events.
		n := 0
		for ev, err := range e.Client.V1Events.List(ctx, &stripe.EventListParams{Type: stripe.String("payment_intent.*")}).All(ctx) {
			if err != nil || !strings.HasPrefix(string(ev.Type), "payment_intent.") {
				t.Fatal(ev, err)
			}
			n++
		}
		if n != 2 {
			t.Fatalf("listed %d payment_intent.* events, want 2", n)
		}
		r := e.Do("GET", "/v1/events?limit=1", apitest.SecretKey, "")
		apitest.AssertFields(t, mustFirst(t, r.Body), stripe.Event{}, "account", "context", "data.*", "request.*")
		r = e.Do("GET", "/v1/webhook_endpoints/"+ep85.ID, apitest.SecretKey, "")
		apitest.AssertFields(t, []byte(r.Body), stripe.WebhookEndpoint{}, "secret", "deleted")

		// A disabled endpoint receives nothing more; re-enabled it does; deleted, never again.
		if _, err := e.Client.V1WebhookEndpoints.Update(ctx, ep85.ID, &stripe.WebhookEndpointUpdateParams{Disabled: stripe.Bool(true)}); err != nil {
			t.Fatal(err)
		}
		before := len(r85.deliveries())
		_, _ = e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		time.Sleep(800 * time.Millisecond)
		if len(r85.deliveries()) != before {
			t.Fatal("a disabled endpoint received an event")
		}
		if _, err := e.Client.V1WebhookEndpoints.Delete(ctx, ep85.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Client.V1WebhookEndpoints.Retrieve(ctx, ep85.ID, nil); err == nil {
			t.Fatal("a deleted endpoint is still retrievable")
		}
	})
}

type signed struct {
	Body      string `json:"body"`
	Signature string `json:"signature"`
	Secret    string `json:"secret"`
}

func withSecret(ds []delivery, secret string) []signed {
	out := make([]signed, len(ds))
	for i, d := range ds {
		out[i] = signed{string(d.Body), d.Signature, secret}
	}
	return out
}

// verifyWithNode runs stripe-node's webhooks.constructEvent over each
// delivery.
func verifyWithNode(t *testing.T, ds []signed) {
	t.Helper()
	dir, _ := filepath.Abs("../../tests/node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "stripe")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but tests/node/node_modules is missing")
		}
		t.Log("SKIPPING stripe-node verification: run npm ci in tests/node")
		return
	}
	f := filepath.Join(t.TempDir(), "deliveries.json")
	b, _ := json.Marshal(ds)
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", filepath.Join(dir, "verify-webhooks.js"), f).CombinedOutput()
	if err != nil {
		t.Fatalf("stripe-node constructEvent: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "verified "+itoa(len(ds))) {
		t.Fatalf("stripe-node verified fewer deliveries: %s", out)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestWebhookRetries fails the first three attempts; the fourth succeeds
// with the same event, the attempts are recorded, and the gaps follow the
// configured base (200ms, 400ms, 800ms).
func TestWebhookRetries(t *testing.T) {
	const base = 200 * time.Millisecond
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		rc := newReceiver(t, 3)
		ep, err := e.Client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{
			URL: stripe.String(rc.URL), EnabledEvents: []*string{stripe.String("customer.created")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "four attempts", func() bool { return len(rc.deliveries()) >= 4 })
		ds := rc.deliveries()
		id0, _ := eventType(ds[0].Body)
		for i, d := range ds[:4] {
			id, _ := eventType(d.Body)
			if id != id0 {
				t.Fatalf("attempt %d carried event %s, not %s", i+1, id, id0)
			}
			if _, err := webhook.ConstructEvent(d.Body, d.Signature, ep.Secret); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		for i := 1; i < 4; i++ {
			gap, want := ds[i].At.Sub(ds[i-1].At), base<<(i-1)
			if gap < want*8/10 || gap > want*3+2*time.Second {
				t.Errorf("gap before attempt %d: %s, want about %s", i+1, gap, want)
			}
		}
		time.Sleep(500 * time.Millisecond)
		if len(rc.deliveries()) != 4 {
			t.Fatalf("%d attempts; a success must end the retries", len(rc.deliveries()))
		}
		r := e.Do("GET", "/v1/events/"+id0+"/delivery_attempts", apitest.SecretKey, "")
		var list struct {
			Data []struct {
				Attempt    int  `json:"attempt"`
				StatusCode int  `json:"status_code"`
				Succeeded  bool `json:"succeeded"`
			}
		}
		if err := json.Unmarshal([]byte(r.Body), &list); err != nil || len(list.Data) != 4 {
			t.Fatalf("recorded attempts: %s", r.Body)
		}
		for i, a := range list.Data {
			if a.Attempt != i+1 || a.Succeeded != (i == 3) || (i < 3 && a.StatusCode != 500) || (i == 3 && a.StatusCode != 200) {
				t.Fatalf("attempt record %d: %+v", i+1, a)
			}
		}
		ev, _ := e.Client.V1Events.Retrieve(ctx, id0, nil)
		if ev.PendingWebhooks != 0 {
			t.Fatalf("pending_webhooks %d after success", ev.PendingWebhooks)
		}
		// Resend through the API: one more delivery of the same event.
		if r := e.Do("POST", "/v1/events/"+id0+"/retry", apitest.SecretKey, ""); r.Status != 200 {
			t.Fatalf("retry: %d %s", r.Status, r.Body)
		}
		waitFor(t, 10*time.Second, "the resent delivery", func() bool { return len(rc.deliveries()) == 5 })
		if id, _ := eventType(rc.deliveries()[4].Body); id != id0 {
			t.Fatalf("resent %s, want %s", id, id0)
		}
	}, func(c *app.Config) { c.WebhookRetryBase = base })
}

// TestWebhookEndpointValidation covers the endpoint API's errors.
func TestWebhookEndpointValidation(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		for _, c := range []struct{ body, code, param string }{
			{"enabled_events[0]=*", "parameter_missing", "url"},
			{"url=https://x.example/h", "parameter_missing", "enabled_events"},
			{"url=ftp://x.example/h&enabled_events[0]=*", "url_invalid", "url"},
			{"url=not a url&enabled_events[0]=*", "url_invalid", "url"},
			{"url=https://x.example/h&enabled_events[0]=Bad Type", "", "enabled_events[0]"},
			{"url=https://x.example/h&enabled_events[0]=*&api_version=2020-01-01", "", "api_version"},
		} {
			assertErrorBody(t, e.Do("POST", "/v1/webhook_endpoints", apitest.SecretKey, c.body), 400, "invalid_request_error", c.code, c.param)
		}
		// Loopback is fine by default (local development)...
		r := e.Do("POST", "/v1/webhook_endpoints", apitest.SecretKey, "url=http://127.0.0.1:9/h&enabled_events[0]=*")
		if r.Status != 200 {
			t.Fatalf("loopback endpoint refused by default: %s", r.Body)
		}
		var list []string
		for ep, err := range e.Client.V1WebhookEndpoints.List(ctx, nil).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			list = append(list, ep.URL)
		}
		sort.Strings(list)
		if len(list) != 1 {
			t.Fatalf("endpoints: %v", list)
		}
	})
	// ...and refused with --webhook-deny-private.
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		for _, u := range []string{"http://127.0.0.1:9/h", "http://localhost/h", "http://10.1.2.3/h", "http://192.168.0.1/h", "http://[::1]/h", "http://169.254.169.254/latest"} {
			assertErrorBody(t, e.Do("POST", "/v1/webhook_endpoints", apitest.SecretKey, "url="+u+"&enabled_events[0]=*"), 400, "invalid_request_error", "url_invalid", "url")
		}
	}, func(c *app.Config) { c.WebhookDenyPrivate = true })
}

// TestEventsShowTheirMoment: an intent created and confirmed in one call
// emits its created event with the intent as it was created — not yet
// confirmed, no charge — and its succeeded event as it ended.
func TestEventsShowTheirMoment(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1500), Currency: stripe.String("usd"),
			PaymentMethod: stripe.String("pm_card_visa"), PaymentMethodTypes: []*string{stripe.String("card")}, Confirm: stripe.Bool(true)})
		if err != nil || pi.Status != "succeeded" {
			t.Fatal(pi, err)
		}
		si, err := e.Client.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{
			PaymentMethod: stripe.String("pm_card_visa"), PaymentMethodTypes: []*string{stripe.String("card")}, Confirm: stripe.Bool(true)})
		if err != nil || si.Status != "succeeded" {
			t.Fatal(si, err)
		}
		status := map[string]any{}
		charge := map[string]any{}
		for ev, err := range e.Client.V1Events.List(ctx, &stripe.EventListParams{Types: []*string{stripe.String("payment_intent.*"), stripe.String("setup_intent.*")}}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			status[string(ev.Type)] = ev.Data.Object["status"]
			charge[string(ev.Type)] = ev.Data.Object["latest_charge"]
		}
		want := map[string]any{
			"payment_intent.created": "requires_confirmation", "payment_intent.succeeded": "succeeded",
			"setup_intent.created": "requires_confirmation", "setup_intent.succeeded": "succeeded",
		}
		for typ, st := range want {
			if status[typ] != st {
				t.Errorf("%s shows status %v, want %v", typ, status[typ], st)
			}
		}
		if charge["payment_intent.created"] != nil || charge["payment_intent.succeeded"] == nil {
			t.Errorf("latest_charge: created %v, succeeded %v", charge["payment_intent.created"], charge["payment_intent.succeeded"])
		}
	})
}

// TestEventsRenderedWhenRead checks events kept as snapshots of their
// objects: each is rendered in the version it is read in when it was
// recorded for that version (the account's, or a receiving endpoint's),
// in the account's otherwise; a payment error's payment method is shown
// in full; and an event stored with its renderings, as events were before
// snapshots, reads as stored.
func TestEventsRenderedWhenRead(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		const basil = "2025-03-31.basil" // before allowed_payment_method_types
		rc := newReceiver(t, 0)
		sc := stripe82.NewClient(apitest.SecretKey, stripe82.WithBackends(stripe82.NewBackendsWithConfig(&stripe82.BackendConfig{
			URL: stripe82.String(e.URL), MaxNetworkRetries: stripe82.Int64(0), LeveledLogger: &stripe82.LeveledLogger{Level: stripe82.LevelNull}})))
		_, err := sc.V1WebhookEndpoints.Create(ctx, &stripe82.WebhookEndpointCreateParams{
			URL: stripe82.String(rc.URL + "/hook"), EnabledEvents: []*string{stripe82.String("payment_intent.succeeded")},
			APIVersion: stripe82.String(stripe82.APIVersion)})
		if err != nil {
			t.Fatal(err)
		}
		pi, err := payWith(t, e, "pm_card_visa")
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 15*time.Second, "the v82 endpoint's delivery", func() bool { return len(rc.deliveries()) >= 1 })
		type envelope struct {
			ID         string `json:"id"`
			APIVersion string `json:"api_version"`
			Data       struct {
				Object map[string]any `json:"object"`
			} `json:"data"`
		}
		var sent envelope
		if err := json.Unmarshal(rc.deliveries()[0].Body, &sent); err != nil {
			t.Fatal(err)
		}
		_, allowed := sent.Data.Object["allowed_payment_method_types"]
		if sent.APIVersion != stripe82.APIVersion || sent.Data.Object["id"] != pi.ID || sent.Data.Object["status"] != "succeeded" || allowed {
			t.Fatalf("delivered in %s: %v", sent.APIVersion, sent.Data.Object)
		}
		read := func(version string) envelope {
			t.Helper()
			var h []string
			if version != "" {
				h = []string{"Stripe-Version", version}
			}
			r := e.Do("GET", "/v1/events/"+sent.ID, apitest.SecretKey, "", h...)
			var got envelope
			if r.Status != 200 || json.Unmarshal([]byte(r.Body), &got) != nil {
				t.Fatalf("GET event in %q: %d %s", version, r.Status, r.Body)
			}
			return got
		}
		for version, want := range map[string]string{
			"":                  accounts.DefaultAPIVersion,
			stripe82.APIVersion: stripe82.APIVersion,
			basil:               accounts.DefaultAPIVersion, // not recorded for basil
		} {
			got := read(version)
			_, allowed := got.Data.Object["allowed_payment_method_types"]
			if got.APIVersion != want || got.Data.Object["id"] != pi.ID || allowed != (want >= "2026-06-01") {
				t.Errorf("read in %q: version %s, allowed_payment_method_types %v: %v", version, got.APIVersion, allowed, got.Data.Object)
			}
		}

		// A decline's event shows the payment method it failed with.
		_, err = payWith(t, e, "pm_card_chargeDeclined")
		asStripeError(t, err)
		var failed *stripe.Event
		for ev, err := range e.Client.V1Events.List(ctx, &stripe.EventListParams{Type: stripe.String("payment_intent.payment_failed")}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			failed = ev
		}
		if failed == nil {
			t.Fatal("no payment_intent.payment_failed event")
		}
		var obj stripe.PaymentIntent
		if err := json.Unmarshal(failed.Data.Raw, &obj); err != nil || obj.LastPaymentError == nil ||
			obj.LastPaymentError.PaymentMethod == nil || obj.LastPaymentError.PaymentMethod.Card == nil {
			t.Fatalf("payment_failed's last_payment_error: %+v %v", obj.LastPaymentError, err)
		}

		// An event recorded with renderings reads as it was stored.
		old := &webhooks.Event{ID: "evt_renderedBefore", Type: "customer.created", Created: time.Now().Unix(),
			DefaultVersion: accounts.DefaultAPIVersion,
			Renderings:     map[string]json.RawMessage{accounts.DefaultAPIVersion: json.RawMessage(`{"object":{"id":"cus_old","object":"customer"}}`)}}
		_, acct, err := e.App.DB().LookupKey(ctx, apitest.SecretKey)
		if err != nil {
			t.Fatal(err)
		}
		scope := payments.Scope{Account: acct.ID}
		if err := e.App.DB().Update(ctx, func(tx *store.Tx) error { return tx.InsertEvents(ctx, scope, []*webhooks.Event{old}) }); err != nil {
			t.Fatal(err)
		}
		ev, err := e.Client.V1Events.Retrieve(ctx, old.ID, nil)
		if err != nil || ev.Data.Object["id"] != "cus_old" || ev.Type != "customer.created" {
			t.Fatalf("event stored with renderings: %+v %v", ev, err)
		}
	})
}
