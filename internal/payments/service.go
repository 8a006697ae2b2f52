package payments

import (
	"time"

	"github.com/tenderpay/tender/internal/network"
)

// Service holds what the payment operations need beyond a transaction:
// the processor that decides outcomes and a few settings.
type Service struct {
	Processor network.Processor
	// ConfirmationTokenTTL is how long an unused ConfirmationToken lives.
	ConfirmationTokenTTL time.Duration
	// ChallengeURL is the address of the hosted 3DS page for an intent.
	ChallengeURL func(intentID, clientSecret string, redirect bool) string
}

// DefaultConfirmationTokenTTL is Stripe's documented 12 hours.
const DefaultConfirmationTokenTTL = 12 * time.Hour

// Account is the caller's account as operations need it.
type Account struct {
	Scope
	Name string
	// APIVersion is the account's default API version.
	APIVersion string
	// FingerprintSecret keys card fingerprints for this account.
	FingerprintSecret []byte
	Settings          Settings
	// Publishable is true when the caller used a publishable key: the
	// browser, which may do less than the merchant's server.
	Publishable bool
}

// Settings are an account's payment settings.
type Settings struct {
	// PaymentMethodTypes are the types enabled beyond card, which is
	// always enabled.
	PaymentMethodTypes []string `json:"payment_method_types,omitempty"`
}

// SupportedPaymentMethodTypes are the types Tender simulates.
var SupportedPaymentMethodTypes = []string{"card"}

// EnabledTypes returns the types automatic_payment_methods draws from.
func (s Settings) EnabledTypes() []string {
	out := []string{"card"}
	for _, t := range s.PaymentMethodTypes {
		if t != "card" && supportedType(t) {
			out = append(out, t)
		}
	}
	return out
}

func supportedType(t string) bool {
	for _, s := range SupportedPaymentMethodTypes {
		if s == t {
			return true
		}
	}
	return false
}
