package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/wire"

	"github.com/tenderpay/tender/internal/network"
)

// elementsSession tells the Payment Element what it may offer (see
// docs/browser-protocol.md).
func (s *Server) elementsSession(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	var p struct {
		Type                        any            `form:"type"`
		DeferredIntent              map[string]any `form:"deferred_intent"`
		CustomerSessionClientSecret *string        `form:"customer_session_client_secret"`
		ClientSecret                *string        `form:"client_secret"`
		Locale                      any            `form:"locale"`
		Expand                      any            `form:"expand"`
		StripeVersion               any            `form:"_stripe_version"`
		ElementsInitSource          any            `form:"elements_init_source"`
		ReferrerHost                any            `form:"referrer_host"`
		StripeJSID                  any            `form:"stripe_js_id"`
	}
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	var customer any
	if p.CustomerSessionClientSecret != nil && *p.CustomerSessionClientSecret != "" {
		var err error
		if customer, err = rd.savedMethods(ctx, tx, r.acct, *p.CustomerSessionClientSecret); err != nil {
			return nil, err
		}
	}
	return map[string]any{
		"object":               "elements_session",
		"livemode":             r.acct.Livemode,
		"account_name":         r.acct.Name,
		"payment_method_types": deferredTypes(r.acct, p.DeferredIntent),
		"ideal_banks":          payments.IdealBanks(),
		"card_brands":          network.SupportedBrands(),
		"customer":             customer,
	}, nil
}

// deferredTypes are the enabled types that fit the deferred intent the
// Payment Element was created for: its mode, currency, amount and future
// usage, or the explicit list it names.
func deferredTypes(a *payments.Account, d map[string]any) []string {
	str := func(k string) string { v, _ := d[k].(string); return v }
	amount, _ := strconv.ParseInt(str("amount"), 10, 64)
	setup := str("mode") == "setup"
	types := a.Settings.AutomaticTypes(strings.ToLower(str("currency")), amount, true, setup || str("setup_future_usage") != "")
	if listed, ok := d["payment_method_types"].(wire.Params); ok && len(listed) > 0 {
		var out []string
		for _, t := range types {
			for _, v := range listed {
				if v == t {
					out = append(out, t)
				}
			}
		}
		return out
	}
	return types
}
