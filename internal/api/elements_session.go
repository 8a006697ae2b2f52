package api

import (
	"context"

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
		"payment_method_types": r.acct.Settings.EnabledTypes(),
		"card_brands":          network.SupportedBrands(),
		"customer":             customer,
	}, nil
}
