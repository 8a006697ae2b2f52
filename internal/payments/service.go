package payments

import (
	"context"
	"time"

	"github.com/tenderpay/tender/internal/network"
)

// Service holds what the payment operations need beyond a transaction:
// the processor that decides outcomes and a few settings.
type Service struct {
	Processor network.Processor
	// Settlements schedules the settlement of bank debits on the durable
	// job queue, inside the confirming transaction.
	Settlements Scheduler
	// DebitDelay is how long a bank debit stays processing; DebitLateDelay
	// is for the test accounts that settle "after at least three minutes".
	DebitDelay, DebitLateDelay time.Duration
	// RedirectURL is the address of the hosted bank or provider page.
	RedirectURL func(intentID, clientSecret string) string
	// ConfirmationTokenTTL is how long an unused ConfirmationToken lives.
	ConfirmationTokenTTL time.Duration
	// ChallengeURL is the address of the hosted 3DS page for an intent.
	ChallengeURL func(intentID, clientSecret string, redirect bool) string
}

// Scheduler runs a settlement later, durably.
type Scheduler interface {
	ScheduleSettlement(ctx context.Context, tx Tx, a *Account, intentID string, at time.Time) error
}

// Default debit settlement delays.
const (
	DefaultDebitDelay     = 10 * time.Second
	DefaultDebitLateDelay = 3 * time.Minute
)

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
