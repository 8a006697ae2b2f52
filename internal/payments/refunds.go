package payments

import (
	"context"

	"github.com/tenderpay/tender/internal/network"
)

var refundReasons = []string{"duplicate", "fraudulent", "requested_by_customer"}

// RefundParams is POST /v1/refunds and POST /v1/refunds/{id}.
type RefundParams struct {
	Amount               *int64            `form:"amount"`
	Charge               *string           `form:"charge"`
	PaymentIntent        *string           `form:"payment_intent"`
	Currency             any               `form:"currency"`
	Customer             any               `form:"customer"`
	InstructionsEmail    any               `form:"instructions_email"`
	Metadata             map[string]string `form:"metadata"`
	Origin               any               `form:"origin"`
	Reason               *string           `form:"reason"`
	RefundApplicationFee any               `form:"refund_application_fee"`
	ReverseTransfer      any               `form:"reverse_transfer"`
	MetadataCleared      bool              `form:"-"`
}

// RefundListParams filters GET /v1/refunds.
type RefundListParams struct {
	Charge        *string `form:"charge"`
	PaymentIntent *string `form:"payment_intent"`
}

// CreateRefund refunds all or part of a captured charge, named directly or
// through its PaymentIntent.
func CreateRefund(ctx context.Context, tx Tx, a *Account, p *RefundParams) (*Refund, *Charge, error) {
	var chargeID string
	switch {
	case p.Charge != nil && *p.Charge != "" && p.PaymentIntent != nil && *p.PaymentIntent != "":
		return nil, nil, Invalid("parameters_exclusive", "payment_intent", "You may only specify one of these parameters: charge, payment_intent.")
	case p.Charge != nil && *p.Charge != "":
		chargeID = *p.Charge
	case p.PaymentIntent != nil && *p.PaymentIntent != "":
		pi, err := tx.GetPaymentIntent(ctx, a.Scope, *p.PaymentIntent, true)
		if err != nil {
			return nil, nil, notFoundAs(err, "payment_intent", *p.PaymentIntent, "payment_intent")
		}
		if pi.Status != StatusSucceeded || pi.LatestCharge == "" {
			return nil, nil, Invalid("", "payment_intent", "This PaymentIntent (%s) does not have a successful charge to refund.", pi.ID)
		}
		chargeID = pi.LatestCharge
	default:
		return nil, nil, Invalid("parameter_missing", "charge", "One of the following params should be provided for this request: payment_intent or charge.")
	}
	ch, err := tx.GetCharge(ctx, a.Scope, chargeID, true)
	if err != nil {
		return nil, nil, notFoundAs(err, "charge", chargeID, "charge")
	}
	if ch.Status != "succeeded" || !ch.Captured {
		return nil, nil, Invalid("charge_not_refundable", "charge", "Charge %s has not been captured and cannot be refunded; cancel its PaymentIntent to release the authorization instead.", ch.ID)
	}
	remaining := ch.AmountCaptured - ch.AmountRefunded
	if remaining <= 0 {
		return nil, nil, Invalid("charge_already_refunded", "charge", "Charge %s has already been refunded.", ch.ID)
	}
	amount := remaining
	if p.Amount != nil {
		amount = *p.Amount
		if amount < 1 {
			return nil, nil, Invalid("", "amount", "This value must be greater than or equal to 1.")
		}
		if amount > remaining {
			return nil, nil, Invalid("amount_too_large", "amount", "Refund amount (%s) is greater than unrefunded amount on charge (%s)",
				network.FormatAmount(amount, ch.Currency), network.FormatAmount(remaining, ch.Currency))
		}
	}
	re := &Refund{
		ID: NewID("re"), Created: tx.Now().Unix(), Livemode: a.Livemode, Amount: amount, Charge: ch.ID,
		PaymentIntent: ch.PaymentIntent, Currency: ch.Currency, Status: "succeeded", BalanceTxn: NewID("txn"),
	}
	if p.Reason != nil && *p.Reason != "" {
		if !oneOf(*p.Reason, refundReasons...) {
			return nil, nil, invalidEnum("reason", *p.Reason, refundReasons)
		}
		re.Reason = *p.Reason
	}
	if re.Metadata, err = applyMetadata(nil, p.Metadata, false); err != nil {
		return nil, nil, err
	}
	ch.AmountRefunded += amount
	ch.Refunded = ch.AmountRefunded >= ch.AmountCaptured
	if err := tx.InsertRefund(ctx, a.Scope, re); err != nil {
		return nil, nil, err
	}
	if err := tx.UpdateCharge(ctx, a.Scope, ch); err != nil {
		return nil, nil, err
	}
	tx.Emit(Event{Type: "refund.created", Object: re})
	tx.Emit(Event{Type: "charge.refunded", Object: ch})
	return re, ch, nil
}

// GetRefund returns a refund.
func GetRefund(ctx context.Context, tx Tx, a *Account, id string) (*Refund, error) {
	re, err := tx.GetRefund(ctx, a.Scope, id, false)
	if err != nil {
		return nil, notFoundAs(err, "refund", id, "id")
	}
	return re, nil
}

// UpdateRefund changes a refund's metadata.
func UpdateRefund(ctx context.Context, tx Tx, a *Account, id string, p *RefundParams) (*Refund, error) {
	re, err := tx.GetRefund(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "refund", id, "id")
	}
	if p.Amount != nil || p.Charge != nil || p.PaymentIntent != nil || p.Reason != nil {
		return nil, Invalid("", "amount", "Only metadata can be updated on a refund.")
	}
	before := *re
	if re.Metadata, err = applyMetadata(re.Metadata, p.Metadata, p.MetadataCleared); err != nil {
		return nil, err
	}
	if err := tx.UpdateRefund(ctx, a.Scope, re); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "refund.updated", Object: re, Before: &before})
	return re, nil
}

// CancelRefund cancels a refund that still awaits action; simulated card
// refunds succeed at once, so this answers Stripe's error for them.
func CancelRefund(ctx context.Context, tx Tx, a *Account, id string) (*Refund, error) {
	re, err := tx.GetRefund(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "refund", id, "id")
	}
	if re.Status != "requires_action" {
		return nil, Invalid("", "refund", "Refund %s cannot be canceled because it has a status of %s. Only a refund with a status of requires_action can be canceled.", re.ID, re.Status)
	}
	re.Status = "canceled"
	if err := tx.UpdateRefund(ctx, a.Scope, re); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "refund.updated", Object: re})
	return re, nil
}

// ListRefunds lists refunds.
func ListRefunds(ctx context.Context, tx Tx, a *Account, pg Page, p *RefundListParams) (ListResult[*Refund], error) {
	res, err := tx.ListRefunds(ctx, a.Scope, pg, deref(p.Charge), deref(p.PaymentIntent))
	if err != nil {
		return res, PageError(err, pg)
	}
	return res, nil
}
