package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

func enabledWord(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

// customerSessionJSON renders a session; the secret is known only at
// creation.
func (rd *renderer) customerSession(cs *payments.CustomerSession, secret string, exp expansion) (any, error) {
	pe := map[string]any{"enabled": false, "features": nil}
	if o := cs.Payment; o != nil {
		pe["enabled"] = o.Enabled
		if o.Enabled {
			var usage any
			if o.SaveUsage != "" {
				usage = o.SaveUsage
			}
			pe["features"] = map[string]any{
				"payment_method_allow_redisplay_filters": o.AllowRedisplay,
				"payment_method_redisplay":               enabledWord(o.Redisplay),
				"payment_method_redisplay_limit":         o.RedisplayLimit,
				"payment_method_remove":                  enabledWord(o.Remove),
				"payment_method_save":                    enabledWord(o.Save),
				"payment_method_save_usage":              usage,
			}
		}
	}
	other := func(name string, withFeatures bool) map[string]any {
		m := map[string]any{"enabled": cs.Other[name] != nil && cs.Other[name].(map[string]any)["enabled"] == "true"}
		if withFeatures {
			m["features"] = nil
		}
		return m
	}
	customer, err := rd.customerRef(cs.Customer, exp["customer"])
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"object": "customer_session", "client_secret": secret, "created": cs.Created, "customer": customer,
		"customer_account": nil, "expires_at": cs.ExpiresAt, "livemode": cs.Livemode,
		"components": map[string]any{
			"buy_button": other("buy_button", false), "pricing_table": other("pricing_table", false),
			"customer_sheet": other("customer_sheet", true), "mobile_payment_element": other("mobile_payment_element", true),
			"payment_element": pe,
		},
	}, nil
}

func (s *Server) createCustomerSession(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "customer_session", false)
	if err != nil {
		return nil, err
	}
	var p payments.CustomerSessionParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	cs, secret, err := payments.CreateCustomerSession(ctx, tx, r.acct, s.customerSessionTTL, &p)
	if err != nil {
		return nil, err
	}
	return rd.customerSession(cs, secret, exp)
}

// savedMethods is the elements session's customer payload: what the
// Payment Element may show and do with the customer's saved methods.
func (rd *renderer) savedMethods(ctx context.Context, tx txn, a *payments.Account, secret string) (any, error) {
	cs, err := payments.OpenCustomerSession(ctx, tx, a, secret)
	if err != nil {
		return nil, err
	}
	pms, err := payments.SavedPaymentMethods(ctx, tx, a, cs)
	if err != nil {
		return nil, err
	}
	data := make([]any, len(pms))
	for i, pm := range pms {
		if data[i], err = rd.paymentMethod(pm, nil); err != nil {
			return nil, err
		}
	}
	o := cs.Payment
	if o == nil {
		o = &payments.PaymentElementOpts{}
	}
	return map[string]any{
		"customer":        cs.Customer,
		"expires_at":      cs.ExpiresAt,
		"payment_methods": data,
		"features": map[string]any{
			"payment_method_save":       enabledWord(o.Enabled && o.Save),
			"payment_method_save_usage": o.SaveUsage,
			"payment_method_redisplay":  enabledWord(o.Enabled && o.Redisplay),
			"payment_method_remove":     enabledWord(o.Enabled && o.Remove),
		},
	}, nil
}

// removeSavedPaymentMethod is the Payment Element's remove action: a
// publishable key with a CustomerSession secret detaches one of that
// customer's methods.
func removeSavedPaymentMethod(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	var p struct {
		CustomerSessionClientSecret *string `form:"customer_session_client_secret"`
	}
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	if p.CustomerSessionClientSecret == nil || *p.CustomerSessionClientSecret == "" {
		return nil, payments.Invalid("parameter_missing", "customer_session_client_secret", "Missing required param: customer_session_client_secret.")
	}
	cs, err := payments.OpenCustomerSession(ctx, tx, r.acct, *p.CustomerSessionClientSecret)
	if err != nil {
		return nil, err
	}
	pm, err := payments.RemoveSavedPaymentMethod(ctx, tx, r.acct, cs, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	out, err := rd.paymentMethod(pm, nil)
	return out, err
}

// updateCard is the card updater's test helper (a Tender extension): the
// issuer reissued a saved card — new expiry, and for reason=replaced a new
// number — and the PaymentMethod keeps its id.
func updateCard(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	var p struct {
		Reason   *string `form:"reason"`
		ExpMonth *int64  `form:"exp_month"`
		ExpYear  *int64  `form:"exp_year"`
	}
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	reason := "expired"
	if p.Reason != nil && *p.Reason != "" {
		reason = *p.Reason
	}
	pm, err := payments.UpdateCardDetails(ctx, tx, r.acct, r.PathValue("id"), reason, p.ExpMonth, p.ExpYear)
	if err != nil {
		return nil, err
	}
	return rd.paymentMethod(pm, nil)
}
