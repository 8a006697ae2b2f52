package payments

import (
	"context"
	"fmt"
	"strings"

	"github.com/tenderpay/tender/internal/network"
)

// confirmableStatuses are where a PaymentIntent may be confirmed from.
var confirmableStatuses = []string{StatusRequiresPaymentMethod, StatusRequiresConfirmation, StatusRequiresAction}

// confirmInput is a confirmation request, from create with confirm=true or
// from the confirm endpoint.
type confirmInput struct {
	ctoken                *string
	paymentMethod         *string
	paymentMethodData     *PaymentMethodData
	options               *PaymentMethodOptions
	returnURL             *string
	useStripeSDK          *bool
	offSession            *string
	errorOnRequiresAction bool
	setupFutureUsage      *string
	unsetSetupFutureUsage bool
	shipping              *ShippingParams
	receiptEmail          *string
	captureMethod         *string
	types                 []string
	mandateData           any
}

// ConfirmPaymentIntent confirms a PaymentIntent. A decline stores the
// failed state and returns a KindDeclined error; the caller commits both.
func (svc *Service) ConfirmPaymentIntent(ctx context.Context, tx Tx, a *Account, id string, p *PaymentIntentConfirmParams) (*PaymentIntent, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "payment_intent", id, "id")
	}
	if err := checkClientSecret(a, pi.ClientSecret, p.ClientSecret, "payment_intent", id); err != nil {
		return nil, err
	}
	types := p.PaymentMethodTypes
	if types == nil {
		types = p.AllowedPaymentMethodTypes
	}
	in := confirmInput{
		ctoken: p.ConfirmationToken, paymentMethod: p.PaymentMethod, paymentMethodData: p.PaymentMethodData,
		options: p.PaymentMethodOptions, returnURL: p.ReturnURL, useStripeSDK: p.UseStripeSDK, offSession: p.OffSession,
		errorOnRequiresAction: p.ErrorOnRequiresAction != nil && *p.ErrorOnRequiresAction,
		setupFutureUsage:      p.SetupFutureUsage, unsetSetupFutureUsage: p.UnsetSetupFutureUsage,
		shipping: p.Shipping, receiptEmail: p.ReceiptEmail, captureMethod: p.CaptureMethod, types: types,
		mandateData: p.MandateData,
	}
	err = svc.confirm(ctx, tx, a, pi, in)
	return pi, err
}

func (svc *Service) confirm(ctx context.Context, tx Tx, a *Account, pi *PaymentIntent, in confirmInput) error {
	if !oneOf(pi.Status, confirmableStatuses...) {
		msg := fmt.Sprintf("You cannot confirm this PaymentIntent because it has a status of %s. Only a PaymentIntent with one of the following statuses may be confirmed: %s.", pi.Status, strings.Join(confirmableStatuses, ", "))
		if pi.Status == StatusSucceeded {
			msg = "You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed."
		}
		return &Error{Kind: KindInvalid, Code: "payment_intent_unexpected_state", Message: msg, PaymentIntent: pi.ID}
	}
	offSession, err := parseOffSession(in.offSession)
	if err != nil {
		return err
	}
	if in.types != nil {
		if err := applyTypes(a, &pi.PaymentMethodTypes, &pi.AutomaticPaymentMethods, in.types, nil, nil, false); err != nil {
			return err
		}
	}

	// The payment method: the request's own wins over the token's.
	var (
		pm *PaymentMethod
		ct *ConfirmationToken
	)
	if in.ctoken != nil && *in.ctoken != "" {
		if ct, pm, err = svc.useConfirmationToken(ctx, tx, a, *in.ctoken, pi.ID, false); err != nil {
			return err
		}
	}
	switch {
	case in.paymentMethod != nil && *in.paymentMethod != "":
		if pm, err = svc.ResolvePaymentMethod(ctx, tx, a, *in.paymentMethod, "payment_method"); err != nil {
			return err
		}
	case in.paymentMethodData != nil:
		if pm, err = svc.CreatePaymentMethod(ctx, tx, a, in.paymentMethodData, "payment_method_data"); err != nil {
			return err
		}
	case pm == nil && pi.PaymentMethod != "":
		if pm, err = tx.GetPaymentMethod(ctx, a.Scope, pi.PaymentMethod, true); err != nil {
			return notFoundAs(err, "PaymentMethod", pi.PaymentMethod, "payment_method")
		}
	}
	if pm == nil {
		return Invalid("", "payment_method", "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method or ConfirmationToken.")
	}

	// Values from the token, then from the request.
	returnURL, useSDK := "", false
	mandateData := in.mandateData
	if ct != nil {
		returnURL, useSDK = ct.ReturnURL, ct.UseStripeSDK
		if mandateData == nil {
			mandateData = ct.MandateData
		}
		if ct.SetupFutureUsage != "" {
			pi.SetupFutureUsage = ct.SetupFutureUsage
		}
		if ct.Shipping != nil {
			pi.Shipping = ct.Shipping
		}
	}
	if in.returnURL != nil {
		returnURL = *in.returnURL
	}
	if in.useStripeSDK != nil {
		useSDK = *in.useStripeSDK
	}
	if in.unsetSetupFutureUsage {
		pi.SetupFutureUsage = ""
	}
	if in.setupFutureUsage != nil && *in.setupFutureUsage != "" {
		if !oneOf(*in.setupFutureUsage, setupFutureUsageValues...) {
			return invalidEnum("setup_future_usage", *in.setupFutureUsage, setupFutureUsageValues)
		}
		if a.Publishable && pi.SetupFutureUsage == "off_session" && *in.setupFutureUsage == "on_session" {
			return Invalid("", "setup_future_usage", "A publishable key may only raise setup_future_usage from on_session to off_session.")
		}
		pi.SetupFutureUsage = *in.setupFutureUsage
	}
	if in.shipping != nil {
		sh, err := shippingFrom(in.shipping, "shipping")
		if err != nil {
			return err
		}
		pi.Shipping = sh
	}
	if in.receiptEmail != nil {
		pi.ReceiptEmail = *in.receiptEmail
	}
	if in.captureMethod != nil && *in.captureMethod != "" {
		if !oneOf(*in.captureMethod, captureMethods...) {
			return invalidEnum("capture_method", *in.captureMethod, captureMethods)
		}
		pi.CaptureMethod = *in.captureMethod
	}
	if err := applyCardOptions(&pi.RequestThreeDSecure, &pi.CardCaptureMethod, in.options); err != nil {
		return err
	}

	// Rules that hold before the network is asked.
	if offSession && pi.SetupFutureUsage != "" {
		return Invalid("", "off_session", "You cannot confirm with the `off_session` parameter when `setup_future_usage` is also set on the PaymentIntent because you cannot set up future usages when processing payments off-session.")
	}
	if !a.Publishable && returnURL == "" && pi.AutomaticPaymentMethods != nil && pi.AutomaticPaymentMethods.Enabled &&
		pi.AutomaticPaymentMethods.AllowRedirects != "never" {
		return Invalid("", "return_url", "A `return_url` must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.")
	}
	if !oneOf(pm.Type, pi.PaymentMethodTypes...) {
		return Invalid("", "payment_method", "The PaymentMethod provided (%s) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: %s.", pm.Type, strings.Join(pi.PaymentMethodTypes, ", "))
	}
	if err := checkUsable(pm, pi.Customer); err != nil {
		return err
	}
	if mt := methodTypes[pm.Type]; pm.Type != "card" {
		if ok, why := mt.supports(pi.Currency, pi.Amount, true, pi.SetupFutureUsage != ""); !ok {
			return Invalid("", "payment_method", "This PaymentIntent cannot use a %s payment method (%s: %s %s).", pm.Type, why, pi.Currency, formatMinor(pi.Amount))
		}
		if mt.Redirect && returnURL == "" {
			return Invalid("", "return_url", "A `return_url` must be specified because this PaymentIntent is confirmed with a %s payment method, which requires a full page redirect.", pm.Type)
		}
		if mt.Redirect && offSession {
			return Invalid("", "off_session", "%s payments need the customer present: they cannot be confirmed off_session.", pm.Type)
		}
		pi.LastPaymentError = nil
		if mt.Redirect {
			return svc.startRedirect(ctx, tx, a, pi, pm, &Attempt{ReturnURL: returnURL, SetupFutureUsage: pi.SetupFutureUsage})
		}
		return svc.startDebit(ctx, tx, a, pi, pm, mandateData)
	}
	cvcGiven := ct != nil && ct.CVCToken != ""
	if o := in.options; o != nil && o.Card != nil && o.Card.CVCToken != nil && *o.Card.CVCToken != "" {
		cvcGiven = true
	}
	if pi.RequireCVCRecollection && pm.Customer != "" && !cvcGiven {
		return Invalid("", "payment_method_options[card][cvc_token]", "This PaymentIntent requires CVC recollection (payment_method_options[card][require_cvc_recollection]), but the confirmation carries no CVC for the saved card.")
	}

	pi.PaymentMethod = pm.ID
	pi.LastPaymentError = nil
	attempt := &Attempt{OffSession: offSession, ReturnURL: returnURL, SetupFutureUsage: pi.SetupFutureUsage}
	req := authorizeRequest(pi, pm, attempt, false)
	if cvcGiven {
		req.Provided.CVC = true
	}
	auth, err := svc.Processor.Authorize(ctx, req)
	if err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	if auth.Decision == network.DecisionRequiresAuthentication && in.errorOnRequiresAction {
		auth.Decision = network.DecisionDeclined
		auth.Decline = network.Decline{Code: "authentication_required", DeclineCode: "authentication_required",
			Message: "Your card was declined. This transaction requires authentication."}
	}
	if auth.Decision == network.DecisionRequiresAuthentication {
		pi.Status = StatusRequiresAction
		pi.Attempt = attempt
		pi.NextAction = svc.nextAction(pi.ID, pi.ClientSecret, returnURL, useSDK)
		if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
			return err
		}
		tx.Emit(Event{Type: "payment_intent.requires_action", Object: pi})
		return nil
	}
	return svc.settle(ctx, tx, a, pi, pm, attempt, auth)
}

// nextAction is the 3DS step: a modal handled by tender.js (use_stripe_sdk)
// when the confirmation came from the browser library or asked for it, or
// when there is nowhere to return to; otherwise a redirect.
func (svc *Service) nextAction(id, secret, returnURL string, useSDK bool) *NextAction {
	if useSDK || returnURL == "" {
		return &NextAction{Type: "use_stripe_sdk", URL: svc.challengeURL(id, secret, false)}
	}
	return &NextAction{Type: "redirect_to_url", URL: svc.challengeURL(id, secret, true), ReturnURL: returnURL}
}

func (svc *Service) challengeURL(id, secret string, redirect bool) string {
	if svc.ChallengeURL == nil {
		return ""
	}
	return svc.ChallengeURL(id, secret, redirect)
}

// checkUsable applies Stripe's ownership rules for a payment method.
func checkUsable(pm *PaymentMethod, customer string) error {
	switch {
	case pm.Customer != "" && pm.Customer != customer:
		return Invalid("", "payment_method", "The provided PaymentMethod %s belongs to the Customer %s. Please include the Customer in the `customer` parameter on the PaymentIntent.", pm.ID, pm.Customer)
	case pm.Customer == "" && pm.Used:
		return errSingleUse()
	}
	return nil
}

func authorizeRequest(pi *PaymentIntent, pm *PaymentMethod, at *Attempt, threeDSDone bool) network.AuthorizeRequest {
	req := network.AuthorizeRequest{
		Reference:             pi.ID + "/" + pm.ID,
		Amount:                pi.Amount,
		Currency:              pi.Currency,
		OffSession:            at.OffSession,
		SetUpForOffSession:    pm.SetUpForOffSession,
		RequestThreeDSecure:   network.ThreeDSecureRequest(pi.RequestThreeDSecure),
		ThreeDSecureCompleted: threeDSDone,
	}
	fillCard(&req, pm)
	return req
}

func fillCard(req *network.AuthorizeRequest, pm *PaymentMethod) {
	if pm.Card == nil {
		return
	}
	req.Behaviour = network.Behaviour(pm.Card.Behaviour)
	req.Brand = network.Brand(pm.Card.Brand)
	req.ExpMonth, req.ExpYear = pm.Card.ExpMonth, pm.Card.ExpYear
	req.Provided.CVC = pm.Card.CVCProvided
	req.Provided.AddressLine1 = pm.Card.AddressChecked
	req.Provided.AddressPostalCode = pm.Card.AddressChecked
	if a := pm.BillingDetails.Address; a != nil {
		req.Provided.AddressLine1 = req.Provided.AddressLine1 || a.Line1 != ""
		req.Provided.AddressPostalCode = req.Provided.AddressPostalCode || a.PostalCode != ""
	}
}

// settle records the network's decision: a charge, the intent's new state,
// and on success the payment method's attachment for future use.
func (svc *Service) settle(ctx context.Context, tx Tx, a *Account, pi *PaymentIntent, pm *PaymentMethod, at *Attempt, auth network.Authorization) error {
	ch := newCharge(tx, a, pi, pm, auth)
	pi.LatestCharge = ch.ID
	pi.NextAction, pi.Attempt = nil, nil
	if err := tx.InsertCharge(ctx, a.Scope, ch); err != nil {
		return err
	}
	if auth.Decision != network.DecisionApproved {
		pi.Status = StatusRequiresPaymentMethod
		pi.PaymentMethod = ""
		d := auth.Decline
		pi.LastPaymentError = &PaymentError{Type: "card_error", Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message,
			Param: d.Param, Charge: ch.ID, PaymentMethod: pm.ID}
		if pm.Customer == "" {
			pm.Used = true
		}
		if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
			return err
		}
		if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
			return err
		}
		tx.Emit(Event{Type: "charge.failed", Object: ch})
		tx.Emit(Event{Type: "payment_intent.payment_failed", Object: pi})
		return &Error{Kind: KindDeclined, Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message, Param: d.Param,
			Charge: ch.ID, PaymentIntent: pi.ID, PaymentMethod: pm.ID}
	}
	tx.Emit(Event{Type: "charge.succeeded", Object: ch})
	if pi.CaptureMethod == "manual" || pi.CardCaptureMethod == "manual" {
		pi.Status = StatusRequiresCapture
		pi.AmountCapturable = pi.Amount
	} else {
		pi.Status = StatusSucceeded
		pi.AmountReceived = pi.Amount
	}
	if err := svc.afterSuccess(ctx, tx, a, pm, pi.Customer, at.SetupFutureUsage); err != nil {
		return err
	}
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return err
	}
	if pi.Status == StatusRequiresCapture {
		tx.Emit(Event{Type: "payment_intent.amount_capturable_updated", Object: pi})
	} else {
		tx.Emit(Event{Type: "payment_intent.succeeded", Object: pi})
	}
	return nil
}

// afterSuccess saves the payment method for the future when asked to, and
// otherwise marks a customer-less method as spent.
func (svc *Service) afterSuccess(ctx context.Context, tx Tx, a *Account, pm *PaymentMethod, customer, usage string) error {
	if usage == "off_session" {
		pm.SetUpForOffSession = true
	}
	switch {
	case usage != "" && customer != "":
		if pm.AllowRedisplay == "unspecified" {
			// Saved because the intent said so, without the customer's
			// consent to show it again: Stripe marks that "limited".
			pm.AllowRedisplay = "limited"
		}
		if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
			return err
		}
		return attach(ctx, tx, a, pm, customer)
	case usage == "" && pm.Customer == "":
		pm.Used = true
	}
	return tx.UpdatePaymentMethod(ctx, a.Scope, pm)
}

func parseOffSession(v *string) (bool, error) {
	if v == nil {
		return false, nil
	}
	switch *v {
	case "", "false":
		return false, nil
	case "true", "one_off", "recurring":
		return true, nil
	}
	return false, Invalid("", "off_session", "Invalid off_session: must be a boolean, one_off or recurring")
}

func formatMinor(n int64) string { return fmt.Sprintf("%d", n) }
