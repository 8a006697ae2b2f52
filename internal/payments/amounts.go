package payments

import (
	"strings"

	"github.com/tenderpay/tender/internal/network"
)

// maxAmount is Stripe's eight-digit ceiling.
const maxAmount = 99999999

// validateCurrency normalises and checks a currency code.
func validateCurrency(cur *string, param string) (string, error) {
	if cur == nil || *cur == "" {
		return "", Invalid("parameter_missing", param, "Missing required param: %s.", param)
	}
	c := strings.ToLower(*cur)
	if !network.IsSupportedCurrency(c) {
		return "", Invalid("", param, "Invalid currency: %s. Stripe currently supports these currencies: %s", *cur,
			strings.Join(network.SupportedCurrencies(), ", "))
	}
	return c, nil
}

// validateAmount checks an amount in the currency's smallest unit against
// the minimum, the maximum and the currency's increment.
func validateAmount(amount *int64, cur, param string) (int64, error) {
	if amount == nil {
		return 0, Invalid("parameter_missing", param, "Missing required param: %s.", param)
	}
	v := *amount
	if v < 1 {
		return 0, Invalid("", param, "This value must be greater than or equal to 1.")
	}
	if v > maxAmount {
		return 0, Invalid("amount_too_large", param, "Amount must be no more than %s", network.FormatAmount(maxAmount, cur))
	}
	if min, ok := network.MinimumAmount(cur); ok && v < min {
		return 0, Invalid("amount_too_small", param, "Amount must be at least %s %s", network.FormatAmount(min, cur), cur)
	}
	if inc := network.AmountIncrement(cur); inc > 1 && v%inc != 0 {
		return 0, Invalid("", param, "Invalid amount for %s: it must be a multiple of %d.", strings.ToUpper(cur), inc)
	}
	return v, nil
}
