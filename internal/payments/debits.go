package payments

import (
	"context"
	"encoding/json"
	"fmt"
)

// Mandate is a customer's authorisation to debit a bank account.
type Mandate struct {
	ID            string `json:"id"`
	Created       int64  `json:"created"`
	Livemode      bool   `json:"livemode"`
	PaymentMethod string `json:"payment_method"`
	Type          string `json:"type"` // the payment method type
	Multi         bool   `json:"multi_use"`
	IPAddress     string `json:"ip_address,omitempty"`
	UserAgent     string `json:"user_agent,omitempty"`
	Reference     string `json:"reference"`
	// Amount and Currency bound a single-use mandate.
	Amount   int64  `json:"amount,omitempty"`
	Currency string `json:"currency,omitempty"`
}

// newMandate records the customer's acceptance (from mandate_data, when
// given) for pm.
func newMandate(ctx context.Context, tx Tx, a *Account, pm *PaymentMethod, data any, multi bool) (*Mandate, error) {
	m := &Mandate{ID: NewID("mandate"), Created: tx.Now().Unix(), Livemode: a.Livemode, PaymentMethod: pm.ID, Type: pm.Type,
		Multi: multi, Reference: RandomString(16)}
	// mandate_data arrives as a decoded form tree; its shape is Stripe's.
	var md struct {
		CustomerAcceptance struct {
			Online struct {
				IPAddress string `json:"ip_address"`
				UserAgent string `json:"user_agent"`
			} `json:"online"`
		} `json:"customer_acceptance"`
	}
	if b, err := json.Marshal(data); err == nil {
		_ = json.Unmarshal(b, &md)
	}
	m.IPAddress, m.UserAgent = md.CustomerAcceptance.Online.IPAddress, md.CustomerAcceptance.Online.UserAgent
	if err := tx.InsertMandate(ctx, a.Scope, m); err != nil {
		return nil, err
	}
	pm.Mandate = m.ID
	return m, tx.UpdatePaymentMethod(ctx, a.Scope, pm)
}

// GetMandate returns a mandate.
func GetMandate(ctx context.Context, tx Tx, a *Account, id string) (*Mandate, error) {
	m, err := tx.GetMandate(ctx, a.Scope, id)
	if err != nil {
		return nil, notFoundAs(err, "mandate", id, "id")
	}
	return m, nil
}

// startDebit begins a bank debit: a pending charge, the intent processing,
// and its settlement scheduled on the durable queue in this transaction.
func (svc *Service) startDebit(ctx context.Context, tx Tx, a *Account, pi *PaymentIntent, pm *PaymentMethod, mandateData any) error {
	m, err := newMandate(ctx, tx, a, pm, mandateData, pi.SetupFutureUsage != "" || pm.Customer != "")
	if err != nil {
		return err
	}
	ch := newBankCharge(tx, a, pi, pm)
	ch.Status, ch.Captured, ch.AmountCaptured = "pending", true, pi.Amount
	ch.Mandate = m.ID
	if err := tx.InsertCharge(ctx, a.Scope, ch); err != nil {
		return err
	}
	pi.Status = StatusProcessing
	pi.PaymentMethod = pm.ID
	pi.LatestCharge = ch.ID
	pi.NextAction, pi.Attempt = nil, nil
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return err
	}
	delay := svc.DebitDelay
	if pm.BankAccount != nil && pm.BankAccount.Outcome.Late {
		delay = svc.DebitLateDelay
	}
	if svc.Settlements == nil {
		return fmt.Errorf("no settlement scheduler configured")
	}
	if err := svc.Settlements.ScheduleSettlement(ctx, tx, a, pi.ID, tx.Now().Add(delay)); err != nil {
		return err
	}
	tx.Emit(Event{Type: "charge.pending", Object: ch})
	tx.Emit(Event{Type: "payment_intent.processing", Object: pi})
	return nil
}

// newBankCharge is a charge for a payment method that is not a card.
func newBankCharge(tx Tx, a *Account, pi *PaymentIntent, pm *PaymentMethod) *Charge {
	return &Charge{
		ID: NewID("ch"), Created: tx.Now().Unix(), Livemode: a.Livemode, Amount: pi.Amount, Currency: pi.Currency,
		Customer: pi.Customer, Description: pi.Description, PaymentIntent: pi.ID, PaymentMethod: pm.ID, PaymentMethodType: pm.Type,
		ReceiptEmail: pi.ReceiptEmail, BillingDetails: pm.BillingDetails, Metadata: copyMap(pi.Metadata), Shipping: pi.Shipping,
		StatementDescSufx: pi.StatementDescriptorSuffix, BankAccount: pm.BankAccount, Ideal: pm.Ideal,
		Outcome: Outcome{Type: "authorized", NetworkStatus: "approved_by_network", RiskLevel: "normal", RiskScore: 8, SellerMessage: "Payment complete."},
	}
}

// SettleDebit is the bank's answer to a debit, run by the durable queue
// after the settlement delay: the intent succeeds or fails as the account
// dictates. An intent no longer processing (canceled meanwhile) is left
// alone.
func (svc *Service) SettleDebit(ctx context.Context, tx Tx, a *Account, id string) (*PaymentIntent, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "payment_intent", id, "id")
	}
	if pi.Status != StatusProcessing {
		return pi, nil
	}
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, pi.PaymentMethod, true)
	if err != nil {
		return nil, err
	}
	ch, err := tx.GetCharge(ctx, a.Scope, pi.LatestCharge, true)
	if err != nil {
		return nil, err
	}
	o := DebitOutcome{Succeeds: true}
	if pm.BankAccount != nil {
		o = pm.BankAccount.Outcome
	}
	if o.Succeeds {
		ch.Status, ch.Paid, ch.BalanceTxn = "succeeded", true, NewID("txn")
		pi.Status, pi.AmountReceived = StatusSucceeded, pi.Amount
		if err := svc.afterSuccess(ctx, tx, a, pm, pi.Customer, pi.SetupFutureUsage); err != nil {
			return nil, err
		}
		if err := tx.UpdateCharge(ctx, a.Scope, ch); err != nil {
			return nil, err
		}
		if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
			return nil, err
		}
		tx.Emit(Event{Type: "charge.succeeded", Object: ch})
		tx.Emit(Event{Type: "payment_intent.succeeded", Object: pi})
		return pi, nil
	}
	ch.Status, ch.Captured, ch.AmountCaptured = "failed", false, 0
	ch.FailureCode, ch.FailureMessage = o.FailureCode, o.FailureMessage
	pi.Status = StatusRequiresPaymentMethod
	pi.PaymentMethod = ""
	pi.LastPaymentError = &PaymentError{Type: "invalid_request_error", Code: o.FailureCode, Message: o.FailureMessage,
		Charge: ch.ID, PaymentMethod: pm.ID}
	if err := tx.UpdateCharge(ctx, a.Scope, ch); err != nil {
		return nil, err
	}
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "charge.failed", Object: ch})
	tx.Emit(Event{Type: "payment_intent.payment_failed", Object: pi})
	return pi, nil
}

// startRedirect sends the customer to the hosted bank or provider page.
func (svc *Service) startRedirect(ctx context.Context, tx Tx, a *Account, pi *PaymentIntent, pm *PaymentMethod, at *Attempt) error {
	pi.Status = StatusRequiresAction
	pi.PaymentMethod = pm.ID
	pi.Attempt = at
	url := ""
	if svc.RedirectURL != nil {
		url = svc.RedirectURL(pi.ID, pi.ClientSecret)
	}
	pi.NextAction = &NextAction{Type: "redirect_to_url", URL: url, ReturnURL: at.ReturnURL}
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return err
	}
	tx.Emit(Event{Type: "payment_intent.requires_action", Object: pi})
	return nil
}

// CompleteRedirect records the customer's answer on the hosted bank or
// provider page: authorised, the payment succeeds (or awaits capture);
// refused, the intent needs a new payment method.
func (svc *Service) CompleteRedirect(ctx context.Context, tx Tx, a *Account, id string, authorize bool) (*PaymentIntent, ChallengeOutcome, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, ChallengeOutcome{}, notFoundAs(err, "payment_intent", id, "id")
	}
	if pi.Status != StatusRequiresAction || pi.Attempt == nil || pi.NextAction == nil || pi.NextAction.Type != "redirect_to_url" {
		return pi, ChallengeOutcome{}, ErrChallengeAnswered
	}
	at := pi.Attempt
	out := ChallengeOutcome{ReturnURL: at.ReturnURL}
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, pi.PaymentMethod, true)
	if err != nil {
		return nil, out, err
	}
	pi.NextAction, pi.Attempt = nil, nil
	if !authorize {
		pi.Status = StatusRequiresPaymentMethod
		pi.PaymentMethod = ""
		pi.LastPaymentError = &PaymentError{Type: "invalid_request_error", Code: "payment_intent_payment_attempt_failed",
			Message:       "The latest payment attempt of this PaymentIntent has failed or been canceled, and the attached payment method has been removed. You can try confirming again with a new payment method.",
			PaymentMethod: pm.ID}
		if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
			return nil, out, err
		}
		tx.Emit(Event{Type: "payment_intent.payment_failed", Object: pi})
		out.Status = pi.Status
		return pi, out, nil
	}
	ch := newBankCharge(tx, a, pi, pm)
	ch.Status, ch.Paid, ch.BalanceTxn = "succeeded", true, NewID("txn")
	if pi.CaptureMethod == "manual" {
		ch.CaptureBefore = ch.Created + authorizationWindow
		pi.Status, pi.AmountCapturable = StatusRequiresCapture, pi.Amount
	} else {
		ch.Captured, ch.AmountCaptured = true, pi.Amount
		pi.Status, pi.AmountReceived = StatusSucceeded, pi.Amount
	}
	pi.LatestCharge = ch.ID
	if err := tx.InsertCharge(ctx, a.Scope, ch); err != nil {
		return nil, out, err
	}
	if err := svc.afterSuccess(ctx, tx, a, pm, pi.Customer, at.SetupFutureUsage); err != nil {
		return nil, out, err
	}
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return nil, out, err
	}
	tx.Emit(Event{Type: "charge.succeeded", Object: ch})
	if pi.Status == StatusRequiresCapture {
		tx.Emit(Event{Type: "payment_intent.amount_capturable_updated", Object: pi})
	} else {
		tx.Emit(Event{Type: "payment_intent.succeeded", Object: pi})
	}
	out.Succeeded, out.Status = true, pi.Status
	return pi, out, nil
}
