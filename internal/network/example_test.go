package network_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tenderpay/tender/internal/network"
)

// A PaymentMethod from card data, then a payment that needs 3D Secure.
func Example() {
	now := time.Date(2026, time.June, 15, 0, 0, 0, 0, time.UTC)
	accountSecret := []byte("per-account secret, 32+ random bytes")

	// POST /v1/payment_methods: validate, fingerprint, forget the number.
	number := "4000 0000 0000 3220"
	card, err := network.ParseCard(network.NewCardDetails(number, 12, 2030, "123"), now)
	if err != nil {
		fmt.Println(err) // a *network.CardError: 402 card_error
		return
	}
	fp := network.Fingerprint(accountSecret, number)
	fmt.Println(card, len(fp))

	// Confirm a PaymentIntent.
	sim := network.NewSimulator(func() time.Time { return now })
	ctx := context.Background()
	req := network.AuthorizeRequest{
		Reference: "ch_1", Behaviour: card.Behaviour, Brand: card.Brand,
		ExpMonth: card.ExpMonth, ExpYear: card.ExpYear,
		Amount: 2000, Currency: "usd", Provided: network.Provided{CVC: card.CVCProvided},
	}
	a, _ := sim.Authorize(ctx, req)
	fmt.Println(a.Decision)

	// The customer completes the challenge; confirm again.
	auth, _ := sim.Authenticate(ctx, network.AuthenticateRequest{Reference: "ch_1", Behaviour: card.Behaviour, Completed: true})
	req.ThreeDSecureCompleted = auth.Succeeded
	a, _ = sim.Authorize(ctx, req)
	fmt.Println(a.Decision, a.Outcome.SellerMessage, a.ThreeDSecure.Result, a.Checks.CVC)

	// Output:
	// visa credit ****3220 12/2030 (threeDSecure2Required) 16
	// requires_authentication
	// approved Payment complete. authenticated pass
}

// Magic ids carry their public test number, for the fingerprint.
func ExampleLookupMagicPaymentMethodAt() {
	now := time.Date(2026, time.June, 15, 0, 0, 0, 0, time.UTC)
	card, ok := network.LookupMagicPaymentMethodAt("pm_card_visa_chargeDeclinedInsufficientFunds", now)
	n, _ := card.Number()
	d, _ := card.Behaviour.Decline()
	fmt.Println(ok, card, n, d.DeclineCode)
	// Output:
	// true visa credit ****9995 12/2027 (chargeDeclinedInsufficientFunds) ****9995 insufficient_funds
}

func ExampleFormatAmount() {
	min, _ := network.MinimumAmount("usd")
	fmt.Printf("Amount must be at least %s usd\n", network.FormatAmount(min, "usd"))
	fmt.Println(network.FormatAmount(50, "jpy"), network.FormatAmount(50, "eur"))
	// Output:
	// Amount must be at least $0.50 usd
	// ¥50 €0.50
}
