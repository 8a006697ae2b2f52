package payments

import (
	"slices"
)

// methodType describes a payment method type Tender simulates.
type methodType struct {
	// Currencies the type can pay in; nil means any.
	Currencies []string
	// Redirect types send the customer to a hosted page to authorise.
	Redirect bool
	// Delayed types are debits: confirmed payments are processing until the
	// bank settles them.
	Delayed bool
	// Reusable types can be set up for future use.
	Reusable bool
	// Limits bound the amount per currency (minor units), where set.
	Min, Max map[string]int64
}

var methodTypes = map[string]methodType{
	"card":            {Reusable: true},
	"ideal":           {Currencies: []string{"eur"}, Redirect: true},
	"bancontact":      {Currencies: []string{"eur"}, Redirect: true},
	"sepa_debit":      {Currencies: []string{"eur"}, Delayed: true, Reusable: true},
	"us_bank_account": {Currencies: []string{"usd"}, Delayed: true, Reusable: true},
	"klarna": {Currencies: []string{"usd", "eur", "gbp", "dkk", "nok", "sek", "chf", "pln", "czk", "aud", "nzd", "cad"}, Redirect: true,
		Min: map[string]int64{"usd": 100, "eur": 100, "gbp": 100},
		Max: map[string]int64{"usd": 1000000, "eur": 1000000, "gbp": 1000000}},
}

// SupportedPaymentMethodTypes are the types Tender simulates, in the order
// the Payment Element offers them.
var SupportedPaymentMethodTypes = []string{"card", "ideal", "bancontact", "sepa_debit", "us_bank_account", "klarna"}

// deferredRefused are types Stripe does not allow in the deferred-intent
// ConfirmationToken flow.
var deferredRefused = []string{"blik", "acss_debit"}

// supports reports whether a type can pay amount in currency with the
// given constraints; why explains a refusal.
func (m methodType) supports(currency string, amount int64, allowRedirects bool, futureUsage bool) (ok bool, why string) {
	switch {
	case currency != "" && m.Currencies != nil && !slices.Contains(m.Currencies, currency):
		return false, "currency"
	case m.Redirect && !allowRedirects:
		return false, "redirects"
	case futureUsage && !m.Reusable:
		return false, "setup_future_usage"
	}
	if min, ok := m.Min[currency]; ok && amount > 0 && amount < min {
		return false, "amount"
	}
	if max, ok := m.Max[currency]; ok && amount > max {
		return false, "amount"
	}
	return true, ""
}

// AutomaticTypes are the enabled types that can pay amount in currency.
func (s Settings) AutomaticTypes(currency string, amount int64, allowRedirects, futureUsage bool) []string {
	var out []string
	for _, t := range s.EnabledTypes() {
		if ok, _ := methodTypes[t].supports(currency, amount, allowRedirects, futureUsage); ok {
			out = append(out, t)
		}
	}
	return out
}
