package dashboard

import (
	"net/http"
	"slices"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// timelineLimit bounds the events a payment's timeline shows.
const timelineLimit = 200

type timelineEntry struct {
	EventID, Type, Object string
	Created               int64
}

type paymentPage struct {
	Row           paymentRow
	PI            *payments.PaymentIntent
	Charges       []*payments.Charge
	Refunds       []*payments.Refund
	PaymentMethod *payments.PaymentMethod
	MethodLabel   string
	Timeline      []timelineEntry
	Refundable    int64
	CanCapture    bool
	CanCancel     bool
	ReceiptTo     string
	CanReceipt    bool
	Reasons       []string
}

// paymentDetail is one payment: its timeline (events), charges, refunds
// and payment method, and the actions that apply to its state.
func (d *Dashboard) paymentDetail(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	var p paymentPage
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		pi, err := payments.GetPaymentIntent(ctx, tx, v.acct, id, nil)
		if err != nil {
			return err
		}
		p.PI = pi
		rb := &rowBuilder{ctx: ctx, tx: tx, a: v.acct, customers: map[string]string{}}
		if p.Row, err = rb.row(pi); err != nil {
			return err
		}
		charges, err := payments.ListCharges(ctx, tx, v.acct, payments.Page{Limit: 100}, &payments.ChargeListParams{PaymentIntent: &id})
		if err != nil {
			return err
		}
		p.Charges = charges.Data
		refunds, err := payments.ListRefunds(ctx, tx, v.acct, payments.Page{Limit: 100}, &payments.RefundListParams{PaymentIntent: &id})
		if err != nil {
			return err
		}
		p.Refunds = refunds.Data
		if pi.PaymentMethod != "" {
			if pm, err := payments.GetPaymentMethod(ctx, tx, v.acct, pi.PaymentMethod, "payment_method"); err == nil {
				p.PaymentMethod, p.MethodLabel = pm, methodLabel(pm)
			}
		}
		for _, ch := range p.Charges {
			if ch.ID == pi.LatestCharge && ch.Captured && ch.Status == "succeeded" {
				p.Refundable = ch.AmountCaptured - ch.AmountRefunded
			}
		}
		p.CanCapture = pi.Status == payments.StatusRequiresCapture
		p.CanCancel = slices.Contains([]string{payments.StatusRequiresPaymentMethod, payments.StatusRequiresCapture,
			payments.StatusRequiresConfirmation, payments.StatusRequiresAction, payments.StatusProcessing}, pi.Status)
		p.CanReceipt = pi.Status == payments.StatusSucceeded
		p.ReceiptTo = pi.ReceiptEmail
		if p.ReceiptTo == "" && pi.Customer != "" {
			if c, err := payments.GetCustomer(ctx, tx, v.acct, pi.Customer, "customer"); err == nil {
				p.ReceiptTo = c.Email
			}
		}
		events, err := tx.EventsAbout(ctx, v.acct.Scope, pi.ID, pi.Created, timelineLimit)
		if err != nil {
			return err
		}
		for _, ev := range events {
			p.Timeline = append(p.Timeline, timelineEntry{EventID: ev.ID, Type: ev.Type, Created: ev.Created, Object: ev.ObjectID()})
		}
		slices.Reverse(p.Timeline) // newest first
		return nil
	})
	if err != nil {
		return err
	}
	p.Reasons = []string{"requested_by_customer", "duplicate", "fraudulent"}
	d.render(w, r, http.StatusOK, "payment", v, p)
	return nil
}
