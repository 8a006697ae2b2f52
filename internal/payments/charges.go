package payments

import (
	"context"

	"github.com/tenderpay/tender/internal/network"
)

// authorizationWindow is how long a manual-capture authorization lasts.
const authorizationWindow = 7 * 24 * 3600

// newCharge records one authorization attempt as a Charge.
func newCharge(tx Tx, a *Account, pi *PaymentIntent, pm *PaymentMethod, auth network.Authorization) *Charge {
	approved := auth.Decision == network.DecisionApproved
	manual := pi.CaptureMethod == "manual" || pi.CardCaptureMethod == "manual"
	ch := &Charge{
		ID:                NewID("ch"),
		Created:           tx.Now().Unix(),
		Livemode:          a.Livemode,
		Amount:            pi.Amount,
		Currency:          pi.Currency,
		Customer:          pi.Customer,
		Description:       pi.Description,
		PaymentIntent:     pi.ID,
		PaymentMethod:     pm.ID,
		ReceiptEmail:      pi.ReceiptEmail,
		BillingDetails:    pm.BillingDetails,
		Metadata:          copyMap(pi.Metadata),
		Shipping:          pi.Shipping,
		StatementDescSufx: pi.StatementDescriptorSuffix,
		Outcome: Outcome{
			Type: auth.Outcome.Type, NetworkStatus: auth.Outcome.NetworkStatus, Reason: auth.Outcome.Reason,
			RiskLevel: auth.Outcome.RiskLevel, RiskScore: auth.Outcome.RiskScore, SellerMessage: auth.Outcome.SellerMessage,
		},
	}
	if pm.Card != nil {
		ch.Card = ChargeCard{Card: *pm.Card, AmountAuthorized: auth.AmountAuthorized,
			AuthorizationCode: auth.AuthorizationCode, NetworkTransactionID: auth.NetworkTransactionID}
		ch.Card.CVCCheck = string(auth.Checks.CVC)
		ch.Card.AddressLine1Check = string(auth.Checks.AddressLine1)
		ch.Card.PostalCodeCheck = string(auth.Checks.AddressPostalCode)
		if t := auth.ThreeDSecure; t != nil {
			ch.Card.ThreeDSecure = &ThreeDSecure{AuthenticationFlow: t.AuthenticationFlow, Result: t.Result,
				ResultReason: t.ResultReason, Version: t.Version}
		}
	}
	if approved {
		ch.Status, ch.Paid = "succeeded", true
		if manual {
			ch.CaptureBefore = ch.Created + authorizationWindow
		} else {
			ch.Captured, ch.AmountCaptured = true, pi.Amount
			ch.BalanceTxn = NewID("txn")
		}
		ch.ReceiptNumber = ""
	} else {
		ch.Status = "failed"
		ch.FailureCode = auth.Decline.Code
		ch.FailureMessage = auth.Decline.Message
	}
	return ch
}

// GetCharge returns a charge.
func GetCharge(ctx context.Context, tx Tx, a *Account, id, param string) (*Charge, error) {
	ch, err := tx.GetCharge(ctx, a.Scope, id, false)
	if err != nil {
		return nil, notFoundAs(err, "charge", id, param)
	}
	return ch, nil
}

// ChargeListParams filters GET /v1/charges.
type ChargeListParams struct {
	Customer      *string `form:"customer"`
	PaymentIntent *string `form:"payment_intent"`
	TransferGroup any     `form:"transfer_group"`
}

// ListCharges lists charges.
func ListCharges(ctx context.Context, tx Tx, a *Account, pg Page, p *ChargeListParams) (ListResult[*Charge], error) {
	res, err := tx.ListCharges(ctx, a.Scope, pg, deref(p.Customer), deref(p.PaymentIntent))
	if err != nil {
		return res, PageError(err, pg)
	}
	return res, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
