package dashboard

import (
	"net/http"
	"slices"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

type methodSetting struct {
	Type    string
	Enabled bool
	Always  bool // card: always on
}

type settingsPage struct {
	Methods []methodSetting
	Enabled []string
}

// paymentMethodSettings lists every type Tender simulates
// (payments.SupportedPaymentMethodTypes, so new types appear here without
// a change) and which ones the account offers.
func (d *Dashboard) paymentMethodSettings(w http.ResponseWriter, r *http.Request, v *visit) error {
	enabled := v.acct.Settings.EnabledTypes()
	p := settingsPage{Enabled: enabled}
	for _, t := range payments.SupportedPaymentMethodTypes {
		p.Methods = append(p.Methods, methodSetting{Type: t, Enabled: slices.Contains(enabled, t), Always: t == "card"})
	}
	d.render(w, r, http.StatusOK, "settings", v, p)
	return nil
}

// savePaymentMethodSettings stores the types the account offers beyond
// card. automatic_payment_methods and the Payment Element's elements
// session read the account's settings on every request, so the change
// applies at once.
func (d *Dashboard) savePaymentMethodSettings(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	var chosen []string
	for _, t := range r.PostForm["types"] {
		if t != "card" && slices.Contains(payments.SupportedPaymentMethodTypes, t) && !slices.Contains(chosen, t) {
			chosen = append(chosen, t)
		}
	}
	ctx := r.Context()
	err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		a, err := tx.Account(ctx, v.acct.Account)
		if err != nil {
			return err
		}
		s := a.Settings
		s.PaymentMethodTypes = chosen
		return tx.UpdateAccountSettings(ctx, a.ID, s)
	})
	if err != nil {
		return err
	}
	return d.done(w, r, v, "/dashboard/settings/payment-methods", "Payment method settings saved.", false)
}
