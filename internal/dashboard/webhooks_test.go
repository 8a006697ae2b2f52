package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/tenderpay/tender/internal/app"
)

// TestResendFailedDelivery: in Chromium, an endpoint added on the
// dashboard receives an event; the receiver fails the first delivery, and
// with one attempt per job the delivery ends failed. Resend queues it again
// (as POST /v1/events/{id}/retry does), the receiver accepts it — with a
// signature the revealed secret verifies — and the event page shows it
// delivered, with both attempts and their responses. Then the endpoint is
// disabled, enabled and deleted.
func TestResendFailedDelivery(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var verified atomic.Bool
	var secret atomic.Value
	secret.Store("")
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if calls.Add(1) == 1 {
			http.Error(w, "receiver is down for maintenance", http.StatusInternalServerError)
			return
		}
		if s := secret.Load().(string); s != "" {
			if _, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), s); err == nil {
				verified.Store(true)
			} else {
				t.Errorf("signature: %v", err)
			}
		}
		_, _ = io.WriteString(w, `{"received":true}`)
	}))
	t.Cleanup(recv.Close)
	env := sqlite(t, func(c *app.Config) {
		c.WebhookRetryBase = 20 * time.Millisecond
		c.WebhookMaxAttempts = 1
	})
	b := newTab(t, env)
	b.login()

	b.open("/dashboard/webhooks")
	b.waitFor(`document.querySelector('.empty h2')`)
	b.shot("webhooks-empty")
	b.typeInto("#ep-url", recv.URL+"/hook")
	b.typeInto("#ep-desc", "Order system")
	b.run(setValue("#ep-version", stripe.APIVersion))
	b.run(clickCSS(`input[data-all]`), clickCSS(`input[name=events][value="payment_intent.succeeded"]`))
	b.submitVia(`#add-endpoint button[type=submit]`)
	b.waitFor(`location.pathname.startsWith('/dashboard/webhooks/we_')`)
	if got := b.text("#ep-status"); got != "Enabled" {
		t.Errorf("new endpoint status %q", got)
	}
	var masked bool
	b.eval(`!document.querySelector('#secret') && !document.body.innerHTML.match(/whsec_[A-Za-z0-9]{8}/)`, &masked)
	if !masked {
		t.Error("the signing secret is in the page before it is revealed")
	}
	endpointPath := b.location()
	b.submitVia("#reveal")
	s := b.text("#secret")
	if !strings.HasPrefix(s, "whsec_") {
		t.Fatalf("revealed secret %q", s)
	}
	secret.Store(s)
	b.shot("endpoint")
	b.open("/dashboard/webhooks")
	b.shot("webhooks")

	start := time.Now()
	pi := pay(t, env, 2500, "usd", nil)

	b.open("/dashboard/events?type=payment_intent.succeeded")
	b.waitFor(`document.querySelectorAll('#events tbody tr').length === 1`)
	for i := 0; ; i++ { // wait for the single attempt to fail
		if strings.Contains(b.text("#events tbody"), "Failed") {
			break
		}
		if i == 100 {
			t.Fatalf("the first delivery never failed; events: %s", b.text("#events tbody"))
		}
		time.Sleep(100 * time.Millisecond)
		b.open("/dashboard/events?type=payment_intent.succeeded")
	}
	t.Logf("first delivery failed after %v", time.Since(start))
	b.shot("events")
	b.submitVia(`#events tbody a.strong`)
	if got := b.text("#deliveries"); !strings.Contains(got, "500") || !strings.Contains(got, "receiver is down for maintenance") {
		t.Errorf("failed attempt not shown with its status and response:\n%s", got)
	}
	b.shot("event-failed")

	b.submitVia("#resend")
	if got := b.text(".flash"); !strings.Contains(got, "queued for delivery again") {
		t.Errorf("flash after resend: %q", got)
	}
	eventPath := b.location()
	for i := 0; ; i++ {
		var st string
		b.eval(`(document.querySelector('[data-delivery-status]') || {}).dataset.deliveryStatus`, &st)
		if st == "delivered" {
			break
		}
		if i == 100 {
			t.Fatalf("the resent delivery is %q, not delivered", st)
		}
		time.Sleep(100 * time.Millisecond)
		b.run(navigate(eventPath))
	}
	got := b.text("#deliveries")
	if !strings.Contains(got, "200 OK") || !strings.Contains(got, `{"received":true}`) {
		t.Errorf("delivered attempt not shown:\n%s", got)
	}
	if !verified.Load() {
		t.Error("the receiver could not verify the resent delivery with the revealed secret")
	}
	if calls.Load() != 2 {
		t.Errorf("receiver called %d times, want 2", calls.Load())
	}
	t.Logf("resent delivery delivered after %v", time.Since(start))
	b.shot("event-delivered")

	// The payment's timeline links the same event.
	b.open("/dashboard/payments/" + pi.ID)
	if tl := b.text("#timeline"); !strings.Contains(tl, "payment_intent.succeeded") {
		t.Errorf("timeline: %s", tl)
	}

	// Disable, enable, delete.
	b.run(navigate(endpointPath))
	b.submitVia("#disable")
	if got := b.text("#ep-status"); got != "Disabled" {
		t.Errorf("after disable: %q", got)
	}
	ep, err := env.Client.V1WebhookEndpoints.Retrieve(context.Background(), strings.TrimPrefix(endpointPath, env.URL+"/dashboard/webhooks/"), nil)
	if err != nil || ep.Status != "disabled" {
		t.Errorf("the API sees %v %+v", err, ep)
	}
	b.submitVia("#enable")
	if got := b.text("#ep-status"); got != "Enabled" {
		t.Errorf("after enable: %q", got)
	}
	b.eval(`window.confirm = () => true, true`, nil)
	b.submitVia("#delete")
	b.waitFor(`location.pathname === '/dashboard/webhooks'`)
	if got := b.text(".flash"); !strings.Contains(got, "deleted") {
		t.Errorf("after delete: %q", got)
	}
	list := env.Client.V1WebhookEndpoints.List(context.Background(), &stripe.WebhookEndpointListParams{})
	for e, err := range list.All(context.Background()) {
		t.Errorf("endpoint still listed after delete: %v %v", e, err)
	}
}
