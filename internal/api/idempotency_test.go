package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

func TestIdempotentReplay(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		p := &stripe.CustomerCreateParams{Email: stripe.String("once@example.com")}
		p.SetIdempotencyKey("order-1")
		first, err := e.Client.V1Customers.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		p2 := &stripe.CustomerCreateParams{Email: stripe.String("once@example.com")}
		p2.SetIdempotencyKey("order-1")
		second, err := e.Client.V1Customers.Create(ctx, p2)
		if err != nil {
			t.Fatal(err)
		}
		if second.ID != first.ID {
			t.Fatalf("replay created %s, want the first customer %s", second.ID, first.ID)
		}
		h := second.LastResponse.Header
		if h.Get("Idempotent-Replayed") != "true" || h.Get("Original-Request") != first.LastResponse.RequestID ||
			second.LastResponse.RequestID == first.LastResponse.RequestID {
			t.Fatalf("replay headers: %v (first request %s)", h, first.LastResponse.RequestID)
		}
		if string(second.LastResponse.RawJSON) != string(first.LastResponse.RawJSON) {
			t.Fatalf("replayed body differs:\n%s\n%s", first.LastResponse.RawJSON, second.LastResponse.RawJSON)
		}
		if first.LastResponse.Header.Get("Idempotent-Replayed") != "" || first.LastResponse.Header.Get("Original-Request") != first.LastResponse.RequestID {
			t.Fatalf("first response headers: %v", first.LastResponse.Header)
		}

		// Parameter order and encoding do not matter; the decoded request does.
		a := e.Do("POST", "/v1/customers", apitest.SecretKey, "email=o%40x.io&metadata[b]=2&metadata[a]=1", "Idempotency-Key", "k2")
		b := e.Do("POST", "/v1/customers", apitest.SecretKey, "metadata%5Ba%5D=1&email=o@x.io&metadata%5Bb%5D=2", "Idempotency-Key", "k2")
		if a.Status != 200 || b.Body != a.Body || b.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("reordered replay: %d %s / %s", a.Status, a.Body, b.Body)
		}

		// The same key with other parameters is an idempotency_error.
		p3 := &stripe.CustomerCreateParams{Email: stripe.String("other@example.com")}
		p3.SetIdempotencyKey("order-1")
		_, err = e.Client.V1Customers.Create(ctx, p3)
		var se *stripe.Error
		if !errors.As(err, &se) || se.HTTPStatusCode != 400 || se.Type != stripe.ErrorTypeIdempotency || se.Code != "" ||
			!strings.Contains(se.Msg, "'order-1'") {
			t.Fatalf("mismatch: %v", err)
		}
		// So is the same key on another endpoint.
		r := e.Do("POST", "/v1/customers/"+first.ID, apitest.SecretKey, "email=once%40example.com", "Idempotency-Key", "order-1")
		assertErrorBody(t, r, 400, "idempotency_error", "", "")

		// Validation failures are not remembered: the key stays usable.
		r = e.Do("POST", "/v1/customers", apitest.SecretKey, "email=bad", "Idempotency-Key", "k3")
		assertErrorBody(t, r, 400, "invalid_request_error", "email_invalid", "email")
		r = e.Do("POST", "/v1/customers", apitest.SecretKey, "email=good%40x.io", "Idempotency-Key", "k3")
		if r.Status != 200 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("key after a failed validation: %d %v", r.Status, r.Header)
		}

		// Keys are scoped per account: another account's identical key runs.
		other := newAccount(t, e)
		r = e.Do("POST", "/v1/customers", other.SecretKey, "email=once%40example.com", "Idempotency-Key", "order-1")
		var c struct{ ID string }
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &c) != nil || c.ID == first.ID || r.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("other account with the same key: %d %s", r.Status, r.Body)
		}

		// A key longer than 255 characters is refused.
		r = e.Do("POST", "/v1/customers", apitest.SecretKey, "", "Idempotency-Key", strings.Repeat("k", 256))
		assertErrorBody(t, r, 400, "invalid_request_error", "", "")
	})
}

func TestIdempotencyConcurrentSameKey(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		const n = 20
		var wg sync.WaitGroup
		results := make([]apitest.Response, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = e.Do("POST", "/v1/customers", apitest.SecretKey, "email=race%40example.com", "Idempotency-Key", "race-1")
			}()
		}
		close(start)
		wg.Wait()
		ids := map[string]bool{}
		var ok, conflicts int
		for _, r := range results {
			switch r.Status {
			case http.StatusOK:
				var c struct{ ID string }
				if err := json.Unmarshal([]byte(r.Body), &c); err != nil {
					t.Fatal(err)
				}
				ids[c.ID] = true
				ok++
			case http.StatusConflict:
				assertErrorBody(t, r, 409, "invalid_request_error", "idempotency_key_in_use", "")
				conflicts++
			default:
				t.Fatalf("unexpected response %d %s", r.Status, r.Body)
			}
		}
		if len(ids) != 1 || ok+conflicts != n {
			t.Fatalf("%d distinct customers from %d successes and %d conflicts; want exactly one", len(ids), ok, conflicts)
		}
		count := 0
		for _, err := range e.Client.V1Customers.List(context.Background(), nil).All(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			count++
		}
		if count != 1 {
			t.Fatalf("%d customers stored, want 1", count)
		}
	})
}

// TestWriteRunTwiceKeepsItsParameters: on SQLite an intent's creation runs
// first without the database and, when it needs to read (here the
// customer), once more in the writer. Handlers consume parameters as they
// decode them; the second run still sees them all — the expansion, the
// metadata.
func TestWriteRunTwiceKeepsItsParameters(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		c, err := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("twice@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		p := &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1200), Currency: stripe.String("usd"), Customer: stripe.String(c.ID),
			PaymentMethod: stripe.String("pm_card_visa"), PaymentMethodTypes: []*string{stripe.String("card")}, Confirm: stripe.Bool(true)}
		p.AddExpand("customer")
		p.AddMetadata("order", "42")
		pi, err := e.Client.V1PaymentIntents.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if pi.Customer == nil || pi.Customer.Email != "twice@example.com" || pi.Metadata["order"] != "42" || pi.Status != "succeeded" {
			t.Fatalf("customer %+v, metadata %v, status %s", pi.Customer, pi.Metadata, pi.Status)
		}
	})
}
