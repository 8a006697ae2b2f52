package api

import (
	"context"
	"slices"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/wire"
)

// An account has one payment method configuration, its default: Stripe's
// API for choosing which payment method types are on.

func configID(account string) string { return "pmc_" + account[len("acct_"):] }

func renderConfiguration(a *payments.Account) map[string]any {
	enabled := a.Settings.EnabledTypes()
	out := map[string]any{"id": configID(a.Account), "object": "payment_method_configuration", "active": true, "application": nil,
		"is_default": true, "livemode": a.Livemode, "name": "Default", "parent": nil}
	for _, t := range payments.SupportedPaymentMethodTypes {
		pref := "off"
		if slices.Contains(enabled, t) {
			pref = "on"
		}
		out[t] = map[string]any{"available": pref == "on", "display_preference": map[string]any{"overridable": nil, "preference": pref, "value": pref}}
	}
	return out
}

func listPaymentMethodConfigurations(_ context.Context, r *request, _ txn, _ *renderer) (any, error) {
	if _, _, err := listParams(r, "payment_method_configuration"); err != nil {
		return nil, err
	}
	var p struct {
		Application any `form:"application"`
	}
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	return newList("/v1/payment_method_configurations", []any{renderConfiguration(r.acct)}, false), nil
}

func getPaymentMethodConfiguration(_ context.Context, r *request, _ txn, _ *renderer) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	if r.PathValue("id") != configID(r.acct.Account) {
		return nil, payments.NotFound("payment_method_configuration", r.PathValue("id"), "id")
	}
	return renderConfiguration(r.acct), nil
}

// updatePaymentMethodConfiguration turns types on and off with
// `<type>[display_preference][preference]=on|off`. Card is always on.
func updatePaymentMethodConfiguration(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	if r.PathValue("id") != configID(r.acct.Account) {
		return nil, payments.NotFound("payment_method_configuration", r.PathValue("id"), "id")
	}
	type pref struct {
		DisplayPreference *struct {
			Preference *string `form:"preference"`
		} `form:"display_preference"`
	}
	prefs := map[string]*pref{}
	for _, t := range payments.SupportedPaymentMethodTypes {
		v, ok := r.params[t]
		if !ok {
			continue
		}
		delete(r.params, t)
		sub, isObject := v.(wire.Params)
		if !isObject {
			return nil, payments.Invalid("", t, "Invalid %s: must be an object with display_preference[preference].", t)
		}
		var one pref
		if err := sub.Decode(&one); err != nil {
			return nil, err
		}
		prefs[t] = &one
	}
	var rest struct {
		Name   any `form:"name"`
		Active any `form:"active"`
	}
	if err := decodeParams(r, &rest); err != nil {
		return nil, err
	}
	settings := r.acct.Settings
	on := map[string]bool{}
	for _, t := range settings.EnabledTypes() {
		on[t] = true
	}
	for t, p := range prefs {
		if p.DisplayPreference == nil || p.DisplayPreference.Preference == nil {
			continue
		}
		switch v := *p.DisplayPreference.Preference; v {
		case "on":
			on[t] = true
		case "off":
			if t == "card" {
				return nil, payments.Invalid("", "card[display_preference][preference]", "Cards cannot be turned off in Tender.")
			}
			delete(on, t)
		default:
			return nil, payments.Invalid("", t+"[display_preference][preference]", "Invalid preference: must be one of on, off")
		}
	}
	settings.PaymentMethodTypes = nil
	for _, t := range payments.SupportedPaymentMethodTypes {
		if on[t] && t != "card" {
			settings.PaymentMethodTypes = append(settings.PaymentMethodTypes, t)
		}
	}
	if err := tx.UpdateAccountSettings(ctx, r.acct.Account, settings); err != nil {
		return nil, err
	}
	r.acct.Settings = settings
	return renderConfiguration(r.acct), nil
}
