package payments

import (
	"context"
	"fmt"

	"github.com/tenderpay/tender/internal/network"
)

// Messages of a failed 3D Secure authentication.
const (
	msgAuthFailed = "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again."
	msgSetupAuth  = "The latest attempt to set up the payment method has failed because authentication failed."
)

// ErrChallengeAnswered is returned when the intent no longer awaits
// authentication: a challenge is answered once.
var ErrChallengeAnswered = &Error{Kind: KindConflict, Code: "payment_intent_unexpected_state",
	Message: "This authentication has already been answered."}

// ChallengeOutcome is the state an intent reached after its 3DS challenge.
type ChallengeOutcome struct {
	Succeeded bool
	Status    string
	ReturnURL string
}

// AuthenticatePaymentIntent records the customer's answer to the 3DS
// challenge of a PaymentIntent in requires_action and carries the
// confirmation on: a completed challenge goes back to the network, a
// failed one leaves the intent needing a new payment method.
func (svc *Service) AuthenticatePaymentIntent(ctx context.Context, tx Tx, a *Account, id string, complete bool) (*PaymentIntent, ChallengeOutcome, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, ChallengeOutcome{}, notFoundAs(err, "payment_intent", id, "id")
	}
	if pi.Status != StatusRequiresAction || pi.Attempt == nil {
		return pi, ChallengeOutcome{}, ErrChallengeAnswered
	}
	at := pi.Attempt
	out := ChallengeOutcome{ReturnURL: at.ReturnURL}
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, pi.PaymentMethod, true)
	if err != nil {
		return nil, out, fmt.Errorf("payment method of %s: %w", pi.ID, err)
	}
	res, err := svc.Processor.Authenticate(ctx, network.AuthenticateRequest{Reference: pi.ID, Behaviour: network.Behaviour(pm.Card.Behaviour), Completed: complete})
	if err != nil {
		return nil, out, fmt.Errorf("authenticate: %w", err)
	}
	if !res.Succeeded {
		pi.Status = StatusRequiresPaymentMethod
		pi.PaymentMethod = ""
		pi.NextAction, pi.Attempt = nil, nil
		pi.LastPaymentError = &PaymentError{Type: "invalid_request_error", Code: "payment_intent_authentication_failure",
			Message: msgAuthFailed, PaymentMethod: pm.ID}
		if pm.Customer == "" {
			pm.Used = true
			if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
				return nil, out, err
			}
		}
		if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
			return nil, out, err
		}
		tx.Emit(Event{Type: "payment_intent.payment_failed", Object: pi})
		out.Status = pi.Status
		return pi, out, nil
	}
	if pi.ConfirmationMethod == "manual" {
		// Manual confirmation: the merchant's server confirms again.
		pi.Status = StatusRequiresConfirmation
		pi.NextAction = nil
		if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
			return nil, out, err
		}
		out.Succeeded, out.Status = true, pi.Status
		return pi, out, nil
	}
	auth, err := svc.Processor.Authorize(ctx, authorizeRequest(pi, pm, at, true))
	if err != nil {
		return nil, out, fmt.Errorf("authorize: %w", err)
	}
	if auth.ThreeDSecure == nil {
		t := res.ThreeDSecure
		auth.ThreeDSecure = &t
	}
	err = svc.settle(ctx, tx, a, pi, pm, at, auth)
	out.Status = pi.Status
	out.Succeeded = err == nil
	if e, ok := err.(*Error); ok && e.Kind == KindDeclined {
		return pi, out, nil // the decline is recorded on the intent
	}
	return pi, out, err
}

// AuthenticateSetupIntent is AuthenticatePaymentIntent for a SetupIntent.
func (svc *Service) AuthenticateSetupIntent(ctx context.Context, tx Tx, a *Account, id string, complete bool) (*SetupIntent, ChallengeOutcome, error) {
	si, err := tx.GetSetupIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, ChallengeOutcome{}, notFoundAs(err, "setup_intent", id, "id")
	}
	if si.Status != StatusRequiresAction || si.Attempt == nil {
		return si, ChallengeOutcome{}, ErrChallengeAnswered
	}
	out := ChallengeOutcome{ReturnURL: si.Attempt.ReturnURL}
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, si.PaymentMethod, true)
	if err != nil {
		return nil, out, fmt.Errorf("payment method of %s: %w", si.ID, err)
	}
	res, err := svc.Processor.Authenticate(ctx, network.AuthenticateRequest{Reference: si.ID, Behaviour: network.Behaviour(pm.Card.Behaviour), Setup: true, Completed: complete})
	if err != nil {
		return nil, out, fmt.Errorf("authenticate: %w", err)
	}
	if !res.Succeeded {
		si.Status = StatusRequiresPaymentMethod
		si.PaymentMethod = ""
		si.NextAction, si.Attempt = nil, nil
		si.LastSetupError = &PaymentError{Type: "invalid_request_error", Code: "setup_intent_authentication_failure",
			Message: msgSetupAuth, PaymentMethod: pm.ID}
		if err := tx.UpdateSetupIntent(ctx, a.Scope, si); err != nil {
			return nil, out, err
		}
		tx.Emit(Event{Type: "setup_intent.setup_failed", Object: si})
		out.Status = si.Status
		return si, out, nil
	}
	auth, err := svc.Processor.Authorize(ctx, setupAuthorizeRequest(si, pm, true))
	if err != nil {
		return nil, out, fmt.Errorf("authorize: %w", err)
	}
	err = svc.settleSetup(ctx, tx, a, si, pm, auth)
	out.Status = si.Status
	out.Succeeded = err == nil
	if e, ok := err.(*Error); ok && e.Kind == KindDeclined {
		return si, out, nil
	}
	return si, out, err
}
