package dashboard

import (
	"context"
	"net/http"
	"strings"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/network"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// write runs fn in one read-write transaction and records the events it
// emits, with their webhook deliveries, in the same transaction — as an
// API write does.
func (d *Dashboard) write(ctx context.Context, v *visit, fn func(tx *store.Tx) error) error {
	return d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return d.cfg.RecordEvents(ctx, tx, api.EventSource{Account: v.acct})
	})
}

// actionDone finishes a payment action: a domain error is shown on the
// payment's page, anything else is a failure.
func (d *Dashboard) actionDone(w http.ResponseWriter, r *http.Request, v *visit, to, ok string, err error) error {
	if err != nil {
		msg, user := userMessage(err)
		if !user {
			return err
		}
		return d.done(w, r, v, to, msg, true)
	}
	return d.done(w, r, v, to, ok, false)
}

// refund refunds all of a payment's captured amount, or part of it.
func (d *Dashboard) refund(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	to := "/dashboard/payments/" + id
	var refunded *payments.Refund
	err := d.write(ctx, v, func(tx *store.Tx) error {
		pi, err := payments.GetPaymentIntent(ctx, tx, v.acct, id, nil)
		if err != nil {
			return err
		}
		amount, err := parseAmount(r.PostFormValue("amount"), pi.Currency)
		if err != nil {
			return payments.Invalid("", "amount", "%s", err.Error())
		}
		p := &payments.RefundParams{PaymentIntent: &id, Amount: amount}
		if reason := r.PostFormValue("reason"); reason != "" {
			p.Reason = &reason
		}
		refunded, _, err = payments.CreateRefund(ctx, tx, v.acct, p)
		return err
	})
	msg := ""
	if err == nil {
		msg = "Refunded " + network.FormatAmount(refunded.Amount, refunded.Currency) + "."
	}
	return d.actionDone(w, r, v, to, msg, err)
}

// capture captures an authorized payment, in full or in part.
func (d *Dashboard) capture(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	var pi *payments.PaymentIntent
	err := d.write(ctx, v, func(tx *store.Tx) error {
		cur, err := payments.GetPaymentIntent(ctx, tx, v.acct, id, nil)
		if err != nil {
			return err
		}
		amount, err := parseAmount(r.PostFormValue("amount"), cur.Currency)
		if err != nil {
			return payments.Invalid("", "amount_to_capture", "%s", err.Error())
		}
		pi, err = payments.CapturePaymentIntent(ctx, tx, v.acct, id, &payments.PaymentIntentCaptureParams{AmountToCapture: amount})
		return err
	})
	msg := ""
	if err == nil {
		msg = "Captured " + network.FormatAmount(pi.AmountReceived, pi.Currency) + "."
	}
	return d.actionDone(w, r, v, "/dashboard/payments/"+id, msg, err)
}

// cancel cancels a payment that has not succeeded, releasing any
// authorization.
func (d *Dashboard) cancel(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	err := d.write(ctx, v, func(tx *store.Tx) error {
		p := &payments.CancelParams{}
		if reason := strings.TrimSpace(r.PostFormValue("reason")); reason != "" {
			p.CancellationReason = &reason
		}
		_, err := payments.CancelPaymentIntent(ctx, tx, v.acct, id, p)
		return err
	})
	return d.actionDone(w, r, v, "/dashboard/payments/"+id, "Payment canceled.", err)
}
