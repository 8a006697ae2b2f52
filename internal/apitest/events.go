package apitest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"
)

// aboutIntent reports whether an event's object is the PaymentIntent id or
// one of its charges.
func aboutIntent(raw json.RawMessage, id string) bool {
	var obj struct {
		ID            string
		PaymentIntent string `json:"payment_intent"`
	}
	_ = json.Unmarshal(raw, &obj)
	return obj.ID == id || obj.PaymentIntent == id
}

// EventLog lists the payment_intent.* and charge.* event types about one
// PaymentIntent, oldest first, from GET /v1/events.
func (e *Env) EventLog(t testing.TB, id string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for ev, err := range e.Client.V1Events.List(ctx, &stripe.EventListParams{Types: []*string{stripe.String("payment_intent.*"), stripe.String("charge.*")}}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if aboutIntent(ev.Data.Raw, id) {
			out = append(out, string(ev.Type))
		}
	}
	slices.Reverse(out)
	return out
}

// Delivered verifies each delivery's signature with secret and lists the
// event types about one PaymentIntent, in the order they arrived.
func Delivered(t testing.TB, bodies, signatures [][]byte, secret, id string) []string {
	t.Helper()
	var out []string
	for i, body := range bodies {
		ev, err := webhook.ConstructEvent(body, string(signatures[i]), secret)
		if err != nil {
			t.Fatalf("delivery fails verification: %v", err)
		}
		if aboutIntent(ev.Data.Raw, id) {
			out = append(out, string(ev.Type))
		}
	}
	return out
}
