package shop_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/examples/checkout-go/shop"
	"github.com/tenderpay/tender/internal/apitest"
)

var ctx = context.Background()

// merchant is the shop on loopback, wired to a real Tender with its webhook
// endpoint registered, and a browser-like client with a cookie jar.
type merchant struct {
	t    *testing.T
	env  *apitest.Env
	url  string
	http *http.Client
}

func newMerchant(t *testing.T, e *apitest.Env) *merchant {
	t.Helper()
	var h http.Handler = http.NotFoundHandler()
	ready := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-ready
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	_, secret, err := shop.RegisterWebhook(ctx, e.Client, srv.URL+"/webhook")
	if err != nil {
		t.Fatal(err)
	}
	h = shop.New(shop.Config{TenderURL: e.URL, SecretKey: apitest.SecretKey, PublishableKey: apitest.PublishableKey,
		WebhookSecret: secret, Logger: slog.New(slog.DiscardHandler)})
	close(ready)
	jar, _ := cookiejar.New(nil)
	return &merchant{t: t, env: e, url: srv.URL, http: &http.Client{Jar: jar}}
}

func (m *merchant) post(path string, body any, out any) int {
	m.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := m.http.Post(m.url+path, "application/json", strings.NewReader(string(b)))
	if err != nil {
		m.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			m.t.Fatalf("POST %s: %d %s", path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

// token makes a ConfirmationToken as the browser would, with the secret-key
// test helper.
func (m *merchant) token(pm string) string {
	m.t.Helper()
	ct, err := m.env.Client.V1TestHelpersConfirmationTokens.Create(ctx, &stripe.TestHelpersConfirmationTokenCreateParams{
		PaymentMethod: stripe.String(pm), ReturnURL: stripe.String(m.url + "/")})
	if err != nil {
		m.t.Fatal(err)
	}
	return ct.ID
}

func (m *merchant) order(pi string) map[string]any {
	m.t.Helper()
	resp, err := m.http.Get(m.url + "/orders?format=json")
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Orders []map[string]any }
	_ = json.NewDecoder(resp.Body).Decode(&out)
	for _, o := range out.Orders {
		if o["payment_intent"] == pi {
			return o
		}
	}
	return nil
}

func (m *merchant) waitStatus(pi, status string) map[string]any {
	m.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		o := m.order(pi)
		if o != nil && o["status"] == status {
			return o
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("order %s: want %s, have %v", pi, status, o)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

type cartResp struct {
	Secret string `json:"customer_session_client_secret"`
	Cart   struct {
		Total    int64  `json:"total"`
		Currency string `json:"currency"`
	} `json:"cart"`
	Error string `json:"error"`
}

type payResp struct {
	ClientSecret  string `json:"client_secret"`
	Status        string `json:"status"`
	PaymentIntent string `json:"payment_intent"`
	Error         string `json:"error"`
	Code          string `json:"code"`
}

// TestShopServer covers the shop's server half without a browser (the
// browser flows are in examples/e2e): the server prices the cart, charges
// with the token, relays Stripe's decline message, refuses a brand from the
// token's preview, and marks orders paid only from signed webhooks.
func TestShopServer(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		m := newMerchant(t, e)

		var p payResp
		if st := m.post("/create-confirm-intent", map[string]string{"confirmation_token": m.token("pm_card_visa")}, &p); st != 400 || p.Error == "" {
			t.Fatalf("paying before identifying: %d %+v", st, p)
		}
		var c cartResp
		if st := m.post("/session", map[string]string{"email": "not an email"}, &c); st != 400 {
			t.Fatalf("bad email: %d %+v", st, c)
		}
		if st := m.post("/session", map[string]string{"email": "Ada@Example.com"}, &c); st != 200 || !strings.HasPrefix(c.Secret, "cuss_secret_") || c.Cart.Total != 3200 {
			t.Fatalf("session: %d %+v", st, c)
		}
		// The same email later is the same Customer.
		var again cartResp
		m.post("/session", map[string]string{"email": "ada@example.com"}, &again)
		list := e.Client.V1Customers.List(ctx, &stripe.CustomerListParams{Email: stripe.String("ada@example.com")})
		n := 0
		for _, err := range list.All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("%d customers for one email", n)
		}

		if st := m.post("/discount", map[string]string{"code": "NOPE"}, &c); st != 400 {
			t.Fatalf("unknown code: %d", st)
		}
		if st := m.post("/discount", map[string]string{"code": "tender10"}, &c); st != 200 || c.Cart.Total != 2880 {
			t.Fatalf("discount: %d %+v", st, c)
		}

		// Success: the server's amount, the session's customer; paid only by
		// the webhook.
		if st := m.post("/create-confirm-intent", map[string]string{"confirmation_token": m.token("pm_card_visa")}, &p); st != 200 || p.Status != "succeeded" || !strings.HasPrefix(p.ClientSecret, p.PaymentIntent+"_secret_") {
			t.Fatalf("pay: %d %+v", st, p)
		}
		pi, err := e.Client.V1PaymentIntents.Retrieve(ctx, p.PaymentIntent, nil)
		if err != nil || pi.Amount != 2880 || pi.Customer == nil || pi.ReceiptEmail != "ada@example.com" {
			t.Fatalf("PaymentIntent %+v: %v", pi, err)
		}
		paid := p.PaymentIntent
		o := m.waitStatus(paid, "paid")
		if !strings.HasPrefix(fmt.Sprint(o["paid_by_event"]), "evt_") || o["card"] != "visa •••• 4242" {
			t.Fatalf("order %v", o)
		}

		// A decline relays Stripe's message; the order fails.
		if st := m.post("/create-confirm-intent", map[string]string{"confirmation_token": m.token("pm_card_chargeDeclined")}, &p); st != 402 || p.Error != "Your card was declined." || p.Code != "card_declined" {
			t.Fatalf("decline: %d %+v", st, p)
		}

		// Business logic on payment_method_preview: American Express is refused
		// before any PaymentIntent exists.
		before := countIntents(t, e)
		if st := m.post("/create-confirm-intent", map[string]string{"confirmation_token": m.token("pm_card_amex")}, &p); st != 402 || p.Code != "brand_refused" {
			t.Fatalf("amex: %d %+v", st, p)
		}
		if after := countIntents(t, e); after != before {
			t.Fatalf("a refused card created a PaymentIntent (%d -> %d)", before, after)
		}

		// Unsigned or wrongly signed webhooks are refused.
		for _, sig := range []string{"", "t=1,v1=00"} {
			req, _ := http.NewRequest("POST", m.url+"/webhook", strings.NewReader(`{"id":"evt_x","type":"payment_intent.succeeded","data":{"object":{"id":"pi_forged"}}}`))
			if sig != "" {
				req.Header.Set("Stripe-Signature", sig)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 400 {
				t.Fatalf("forged webhook %q: %d", sig, resp.StatusCode)
			}
		}
		if m.order("pi_forged") != nil {
			t.Fatal("a forged webhook created an order")
		}

		// The orders page renders.
		resp, err := m.http.Get(m.url + "/orders")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `data-payment-intent="`+paid+`" data-status="paid"`) {
			t.Fatalf("orders page: %d", resp.StatusCode)
		}
	})
}

func countIntents(t *testing.T, e *apitest.Env) int {
	t.Helper()
	n := 0
	for _, err := range e.Client.V1PaymentIntents.List(ctx, &stripe.PaymentIntentListParams{}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}
