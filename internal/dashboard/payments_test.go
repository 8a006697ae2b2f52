package dashboard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v85"
)

// TestSearchAndRefund: in Chromium, a payment is found among others by its
// customer's email, opened, partly refunded and then refunded in full —
// through the same payments functions as /v1, as stripe-go then sees — and
// the refund shows on the page, in its timeline and as webhook events.
func TestSearchAndRefund(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	ctx := context.Background()
	ada := customer(t, env, "ada@example.com", "Ada Lovelace")
	grace := customer(t, env, "grace@example.com", "Grace Hopper")
	pay(t, env, 500, "usd", &stripe.PaymentIntentCreateParams{Customer: stripe.String(grace.ID)})
	target := pay(t, env, 4200, "eur", &stripe.PaymentIntentCreateParams{Customer: stripe.String(ada.ID), Description: stripe.String("Analytical engine, deluxe")})
	pay(t, env, 123456, "jpy", nil)
	held := pay(t, env, 9900, "usd", &stripe.PaymentIntentCreateParams{CaptureMethod: stripe.String("manual"), Customer: stripe.String(grace.ID)})
	if _, err := env.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(2000), Currency: stripe.String("gbp"),
		Confirm: stripe.Bool(true), PaymentMethod: stripe.String("pm_card_chargeDeclined"), PaymentMethodTypes: []*string{stripe.String("card")}}); err == nil {
		t.Fatal("the declined card was not declined")
	}

	b := newTab(t, env)
	b.login()
	b.waitFor(`document.querySelectorAll('#payments tbody tr').length === 5`)
	body := b.text("#payments")
	for _, want := range []string{"€42.00", "¥123,456", "$99.00", "Uncaptured", "ada@example.com", "Visa •••• 4242"} {
		if want == "Uncaptured" {
			want = "Requires capture"
		}
		if !strings.Contains(body, want) {
			t.Errorf("payments list lacks %q:\n%s", want, body)
		}
	}
	b.shot("payments")

	// Search by email finds Ada's payment only.
	b.typeInto(`input[name=q]`, "ada@example.com")
	b.submitVia(`.filters button[type=submit]`)
	b.waitFor(`document.querySelectorAll('#payments tbody tr').length === 1`)
	if got := b.text("#payments tbody"); !strings.Contains(got, target.ID) {
		t.Fatalf("search by email shows %q, want %s", got, target.ID)
	}
	b.shot("payments-search")

	// Status filter: only the uncaptured one.
	b.open("/dashboard/payments?status=requires_capture")
	b.waitFor(`document.querySelectorAll('#payments tbody tr').length === 1`)
	if got := b.text("#payments tbody"); !strings.Contains(got, held.ID) {
		t.Errorf("status filter shows %q, want %s", got, held.ID)
	}

	// Open it from the search and refund part of it.
	b.open("/dashboard/payments?q=ada%40example.com")
	b.submitVia(`#payments tbody a.mono`)
	b.waitFor(`location.pathname === '/dashboard/payments/` + target.ID + `'`)
	b.shot("payment")
	b.typeInto("#refund-amount", "10.50")
	b.eval(`window.confirm = () => true, true`, nil)
	b.submitVia(`#refund button[type=submit]`)
	if got := b.text(".flash"); got != "Refunded €10.50." {
		t.Errorf("flash after partial refund: %q", got)
	}
	if got := b.text("#status"); got != "Partially refunded" {
		t.Errorf("status after partial refund: %q", got)
	}
	// The rest, in full.
	b.eval(`window.confirm = () => true, true`, nil)
	b.submitVia(`#refund button[type=submit]`)
	if got := b.text(".flash"); got != "Refunded €31.50." {
		t.Errorf("flash after full refund: %q", got)
	}
	if got := b.text("#status"); got != "Refunded" {
		t.Errorf("status after full refund: %q", got)
	}
	var refundRows int
	b.eval(`document.querySelectorAll('#refunds tbody tr').length`, &refundRows)
	if refundRows != 2 {
		t.Errorf("%d refunds listed, want 2", refundRows)
	}
	if tl := b.text("#timeline"); !strings.Contains(tl, "charge.refunded") || !strings.Contains(tl, "payment_intent.succeeded") {
		t.Errorf("timeline:\n%s", tl)
	}
	b.shot("payment-refunded")

	// stripe-go sees what the dashboard did, and the events were recorded.
	ch, err := env.Client.V1Charges.Retrieve(ctx, target.LatestCharge.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ch.AmountRefunded != 4200 || !ch.Refunded {
		t.Errorf("charge after the dashboard's refunds: amount_refunded=%d refunded=%v", ch.AmountRefunded, ch.Refunded)
	}
	n := 0
	for ev, err := range env.Client.V1Events.List(ctx, &stripe.EventListParams{Type: stripe.String("refund.created")}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Data.Object["payment_intent"] == target.ID {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d refund.created events for the payment, want 2", n)
	}

	// Capture the held payment for less than authorized.
	b.open("/dashboard/payments/" + held.ID)
	b.typeInto("#capture-amount", "50")
	b.submitVia(`#capture button[type=submit]`)
	if got := b.text(".flash"); got != "Captured $50.00." {
		t.Errorf("flash after capture: %q", got)
	}
	pi, err := env.Client.V1PaymentIntents.Retrieve(ctx, held.ID, nil)
	if err != nil || pi.Status != "succeeded" || pi.AmountReceived != 5000 {
		t.Errorf("after capture: %v %+v", err, pi)
	}

	// A receipt goes to the outbox.
	b.open("/dashboard/payments/" + target.ID)
	b.submitVia(`#receipt button[type=submit]`)
	if got := b.text(".flash"); !strings.Contains(got, "kept in the outbox") {
		t.Errorf("flash after receipt: %q", got)
	}
	b.open("/dashboard/receipts")
	if got := b.text("#outbox"); !strings.Contains(got, "ada@example.com") || !strings.Contains(got, "In outbox") {
		t.Errorf("outbox: %q", got)
	}
	b.shot("receipts")
	b.submitVia(`#outbox tbody a`)
	b.shot("receipt")

	// Customers and their saved payment methods.
	b.open("/dashboard/customers")
	b.shot("customers")
	b.open("/dashboard/customers/" + ada.ID)
	b.shot("customer")
}
