package payments

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

var (
	captureMethods      = []string{"automatic", "automatic_async", "manual"}
	confirmationMethods = []string{"automatic", "manual"}
	threeDSecureValues  = []string{"automatic", "any", "challenge"}
	cancelReasons       = []string{"duplicate", "fraudulent", "requested_by_customer", "abandoned"}
)

// cancelableStatuses are where a PaymentIntent may be canceled from.
var cancelableStatuses = []string{StatusRequiresPaymentMethod, StatusRequiresCapture, StatusRequiresConfirmation, StatusRequiresAction, StatusProcessing}

// CreatePaymentIntent creates a PaymentIntent and, with confirm=true,
// confirms it in the same transaction. A declined confirmation returns the
// stored intent together with a KindDeclined error: the caller commits
// both.
func (svc *Service) CreatePaymentIntent(ctx context.Context, tx Tx, a *Account, p *PaymentIntentCreateParams) (*PaymentIntent, error) {
	confirm := p.Confirm != nil && *p.Confirm
	if !confirm {
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"confirmation_token", p.ConfirmationToken != nil}, {"error_on_requires_action", p.ErrorOnRequiresAction != nil && *p.ErrorOnRequiresAction},
			{"off_session", p.OffSession != nil && *p.OffSession != "" && *p.OffSession != "false"}, {"return_url", p.ReturnURL != nil && *p.ReturnURL != ""},
			{"use_stripe_sdk", p.UseStripeSDK != nil && *p.UseStripeSDK},
		} {
			if f.set {
				return nil, Invalid("", f.name, "You can only pass `%s` when `confirm` is set to `true`.", f.name)
			}
		}
	}
	cur, err := validateCurrency(p.Currency, "currency")
	if err != nil {
		return nil, err
	}
	amount, err := validateAmount(p.Amount, cur, "amount")
	if err != nil {
		return nil, err
	}
	id := NewID("pi")
	pi := &PaymentIntent{
		ID:                 id,
		ClientSecret:       id + "_secret_" + RandomString(25),
		Created:            tx.Now().Unix(),
		Livemode:           a.Livemode,
		Amount:             amount,
		Currency:           cur,
		Status:             StatusRequiresPaymentMethod,
		CaptureMethod:      "automatic",
		ConfirmationMethod: "automatic",
		Metadata:           map[string]string{},
	}
	if err := svc.applyPaymentIntentFields(ctx, tx, a, pi, &p.PaymentIntentFields, true); err != nil {
		return nil, err
	}
	if err := tx.InsertPaymentIntent(ctx, a.Scope, pi); err != nil {
		return nil, err
	}
	// An event shows its object as it was at that moment; confirming
	// goes on to change pi, so the created event keeps a copy.
	created := *pi
	tx.Emit(Event{Type: "payment_intent.created", Object: &created})
	if !confirm {
		return pi, nil
	}
	in := confirmInput{
		ctoken: p.ConfirmationToken, returnURL: p.ReturnURL, useStripeSDK: p.UseStripeSDK,
		offSession: p.OffSession, errorOnRequiresAction: p.ErrorOnRequiresAction != nil && *p.ErrorOnRequiresAction,
		mandateData: p.MandateData,
	}
	err = svc.confirm(ctx, tx, a, pi, in)
	return pi, err
}

// applyPaymentIntentFields applies what create and update share. On
// update, fields that change what is paid are refused outside the states
// where the payment is still open.
func (svc *Service) applyPaymentIntentFields(ctx context.Context, tx Tx, a *Account, pi *PaymentIntent, f *PaymentIntentFields, creating bool) error {
	open := oneOf(pi.Status, StatusRequiresPaymentMethod, StatusRequiresConfirmation, StatusRequiresAction)
	if !creating {
		money := f.Amount != nil || f.Currency != nil || f.PaymentMethod != nil || f.PaymentMethodData != nil ||
			f.CaptureMethod != nil || f.PaymentMethodTypes != nil || f.AllowedPaymentMethodTypes != nil || f.SetupFutureUsage != nil || f.Customer != nil
		if money && !open {
			return &Error{Kind: KindInvalid, Code: "payment_intent_unexpected_state", PaymentIntent: pi.ID,
				Message: fmt.Sprintf("This PaymentIntent's amount, currency, customer, payment method and setup_future_usage could not be updated because it has a status of %s. You may only update them on a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.", pi.Status)}
		}
		if f.Currency != nil {
			cur, err := validateCurrency(f.Currency, "currency")
			if err != nil {
				return err
			}
			pi.Currency = cur
		}
		if f.Amount != nil || f.Currency != nil {
			amt := pi.Amount
			if f.Amount != nil {
				amt = *f.Amount
			}
			v, err := validateAmount(&amt, pi.Currency, "amount")
			if err != nil {
				return err
			}
			pi.Amount = v
		}
	}
	if f.CaptureMethod != nil && *f.CaptureMethod != "" {
		if !oneOf(*f.CaptureMethod, captureMethods...) {
			return invalidEnum("capture_method", *f.CaptureMethod, captureMethods)
		}
		pi.CaptureMethod = *f.CaptureMethod
	}
	if f.ConfirmationMethod != nil && *f.ConfirmationMethod != "" {
		if !oneOf(*f.ConfirmationMethod, confirmationMethods...) {
			return invalidEnum("confirmation_method", *f.ConfirmationMethod, confirmationMethods)
		}
		pi.ConfirmationMethod = *f.ConfirmationMethod
	}
	if err := applyTypes(a, &pi.PaymentMethodTypes, &pi.AutomaticPaymentMethods, f.PaymentMethodTypes, f.AllowedPaymentMethodTypes, f.AutomaticPaymentMethods, creating); err != nil {
		return err
	}
	if f.ExcludedPaymentMethodTypes != nil {
		pi.ExcludedTypes = append([]string(nil), f.ExcludedPaymentMethodTypes...)
	}
	if f.Customer != nil {
		if *f.Customer != "" {
			if _, err := GetCustomer(ctx, tx, a, *f.Customer, "customer"); err != nil {
				return err
			}
		}
		pi.Customer = *f.Customer
	}
	setString(&pi.Description, f.Description)
	if f.ReceiptEmail != nil {
		if e := *f.ReceiptEmail; e != "" && !emailPattern.MatchString(e) {
			return Invalid("email_invalid", "receipt_email", "Invalid email address: %s", e)
		}
		pi.ReceiptEmail = *f.ReceiptEmail
	}
	if f.SetupFutureUsage != nil {
		if v := *f.SetupFutureUsage; v != "" && !oneOf(v, setupFutureUsageValues...) {
			return invalidEnum("setup_future_usage", v, setupFutureUsageValues)
		}
		pi.SetupFutureUsage = *f.SetupFutureUsage
	}
	if f.StatementDescriptor != nil {
		if utf8.RuneCountInString(*f.StatementDescriptor) > 22 {
			return Invalid("", "statement_descriptor", "The statement descriptor must be at most 22 characters.")
		}
		pi.StatementDescriptor = *f.StatementDescriptor
	}
	if f.StatementDescriptorSuffix != nil {
		if utf8.RuneCountInString(*f.StatementDescriptorSuffix) > 22 {
			return Invalid("", "statement_descriptor_suffix", "The statement descriptor suffix must be at most 22 characters.")
		}
		pi.StatementDescriptorSuffix = *f.StatementDescriptorSuffix
	}
	setString(&pi.TransferGroup, f.TransferGroup)
	if f.Unset["shipping"] {
		pi.Shipping = nil
	} else if f.Shipping != nil {
		sh, err := shippingFrom(f.Shipping, "shipping")
		if err != nil {
			return err
		}
		pi.Shipping = sh
	}
	if err := applyCardOptions(&pi.RequestThreeDSecure, &pi.CardCaptureMethod, f.PaymentMethodOptions); err != nil {
		return err
	}
	if o := f.PaymentMethodOptions; o != nil && o.Card != nil && o.Card.RequireCVCRecollect != nil {
		pi.RequireCVCRecollection = *o.Card.RequireCVCRecollect
	}
	var err error
	if pi.Metadata, err = applyMetadata(pi.Metadata, f.Metadata, f.MetadataCleared); err != nil {
		return err
	}
	if f.PaymentMethod != nil && f.PaymentMethodData != nil {
		return Invalid("parameters_exclusive", "payment_method_data", "You may only specify one of these parameters: payment_method, payment_method_data.")
	}
	var pm *PaymentMethod
	switch {
	case f.PaymentMethod != nil && *f.PaymentMethod != "":
		if pm, err = svc.ResolvePaymentMethod(ctx, tx, a, *f.PaymentMethod, "payment_method"); err != nil {
			return err
		}
	case f.PaymentMethodData != nil:
		if pm, err = svc.CreatePaymentMethod(ctx, tx, a, f.PaymentMethodData, "payment_method_data"); err != nil {
			return err
		}
	case f.PaymentMethod != nil:
		pi.PaymentMethod = ""
		if open {
			pi.Status = StatusRequiresPaymentMethod
		}
	}
	if pm != nil {
		pi.PaymentMethod = pm.ID
		pi.Status = StatusRequiresConfirmation
		pi.NextAction, pi.Attempt = nil, nil
	}
	if !creating {
		pi.LastPaymentError = nil
	}
	return refreshTypes(a, pi)
}

// refreshTypes keeps payment_method_types in line with what the intent can
// be paid with: automatic payment methods draw from the account's enabled
// types that fit the currency, amount, redirects and future usage; an
// explicit list must fit the currency.
func refreshTypes(a *Account, pi *PaymentIntent) error {
	if apm := pi.AutomaticPaymentMethods; apm != nil && apm.Enabled {
		pi.PaymentMethodTypes = a.Settings.AutomaticTypes(pi.Currency, pi.Amount, apm.AllowRedirects != "never", pi.SetupFutureUsage != "")
		if len(pi.PaymentMethodTypes) == 0 {
			pi.PaymentMethodTypes = []string{"card"}
		}
		return nil
	}
	for _, t := range pi.PaymentMethodTypes {
		if ok, why := methodTypes[t].supports(pi.Currency, pi.Amount, true, pi.SetupFutureUsage != ""); !ok {
			code := ""
			if why == "currency" {
				code = "payment_method_currency_mismatch"
			}
			return Invalid(code, "payment_method_types", "The payment method type %s cannot be used for this PaymentIntent (%s). Check its currency (%s), amount and setup_future_usage.", t, why, pi.Currency)
		}
	}
	return nil
}

// applyTypes sets payment_method_types and automatic_payment_methods.
// With neither given, automatic payment methods are on, as in current API
// versions.
func applyTypes(a *Account, types *[]string, apm **AutomaticPaymentMethods, explicit, allowed []string, ap *AutomaticPMParams, creating bool) error {
	if explicit == nil {
		explicit = allowed
	}
	if explicit != nil && ap != nil && ap.Enabled != nil && *ap.Enabled {
		return Invalid("parameters_exclusive", "automatic_payment_methods", "You may only specify one of these parameters: automatic_payment_methods, payment_method_types.")
	}
	if explicit != nil {
		if len(explicit) == 0 {
			return Invalid("", "payment_method_types", "payment_method_types must include at least one type.")
		}
		seen := map[string]bool{}
		var out []string
		for i, t := range explicit {
			if err := checkTypeEnabled(a, t, fmt.Sprintf("payment_method_types[%d]", i)); err != nil {
				return err
			}
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		*types, *apm = out, nil
		return nil
	}
	if ap != nil || (creating && *apm == nil) {
		enabled := true
		if ap != nil && ap.Enabled != nil {
			enabled = *ap.Enabled
		}
		redirects := "always"
		if ap != nil && ap.AllowRedirects != nil && *ap.AllowRedirects != "" {
			if !oneOf(*ap.AllowRedirects, "always", "never") {
				return invalidEnum("automatic_payment_methods[allow_redirects]", *ap.AllowRedirects, []string{"always", "never"})
			}
			redirects = *ap.AllowRedirects
		}
		if !enabled {
			*apm = nil
			*types = []string{"card"}
			return nil
		}
		*apm = &AutomaticPaymentMethods{Enabled: true, AllowRedirects: redirects}
		*types = a.Settings.EnabledTypes()
	}
	return nil
}

// applyCardOptions reads payment_method_options[card].
func applyCardOptions(request3DS, captureMethod *string, o *PaymentMethodOptions) error {
	if o == nil || o.Card == nil {
		return nil
	}
	if v := o.Card.RequestThreeDSecure; v != nil && *v != "" {
		if !oneOf(*v, threeDSecureValues...) {
			return invalidEnum("payment_method_options[card][request_three_d_secure]", *v, threeDSecureValues)
		}
		*request3DS = *v
	}
	if v := o.Card.CaptureMethod; v != nil && captureMethod != nil {
		if *v != "" && *v != "manual" {
			return invalidEnum("payment_method_options[card][capture_method]", *v, []string{"manual"})
		}
		*captureMethod = *v
	}
	return nil
}

// GetPaymentIntent returns a PaymentIntent. With a publishable key the
// client secret must match, as Stripe.js sends it.
func GetPaymentIntent(ctx context.Context, tx Tx, a *Account, id string, clientSecret *string) (*PaymentIntent, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, false)
	if err != nil {
		return nil, notFoundAs(err, "payment_intent", id, "id")
	}
	if err := checkClientSecret(a, pi.ClientSecret, clientSecret, "payment_intent", id); err != nil {
		return nil, err
	}
	return pi, nil
}

// checkClientSecret enforces that a publishable key reaches an intent only
// with its client secret.
func checkClientSecret(a *Account, want string, got *string, kind, id string) error {
	if !a.Publishable {
		return nil
	}
	if got == nil || *got == "" {
		return Invalid("parameter_missing", "client_secret", "Missing required param: client_secret.")
	}
	if *got != want {
		return Invalid("", "client_secret", "The client_secret provided does not match any associated %s on this account.", strings.ReplaceAll(kind, "_", ""))
	}
	return nil
}

// UpdatePaymentIntent updates a PaymentIntent.
func (svc *Service) UpdatePaymentIntent(ctx context.Context, tx Tx, a *Account, id string, f *PaymentIntentFields) (*PaymentIntent, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "payment_intent", id, "id")
	}
	if err := svc.applyPaymentIntentFields(ctx, tx, a, pi, f, false); err != nil {
		return nil, err
	}
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return nil, err
	}
	return pi, nil
}

// ListPaymentIntents lists PaymentIntents, optionally of one customer.
func ListPaymentIntents(ctx context.Context, tx Tx, a *Account, pg Page, p *PaymentIntentListParams) (ListResult[*PaymentIntent], error) {
	customer := ""
	if p.Customer != nil {
		customer = *p.Customer
	}
	res, err := tx.ListPaymentIntents(ctx, a.Scope, pg, customer)
	if err != nil {
		return res, PageError(err, pg)
	}
	return res, nil
}

// CancelPaymentIntent cancels a PaymentIntent, releasing an uncaptured
// authorization.
func CancelPaymentIntent(ctx context.Context, tx Tx, a *Account, id string, p *CancelParams) (*PaymentIntent, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "payment_intent", id, "id")
	}
	if !oneOf(pi.Status, cancelableStatuses...) {
		return nil, &Error{Kind: KindInvalid, Code: "payment_intent_unexpected_state", PaymentIntent: pi.ID,
			Message: fmt.Sprintf("You cannot cancel this PaymentIntent because it has a status of %s. Only a PaymentIntent with one of the following statuses may be canceled: %s.", pi.Status, strings.Join(cancelableStatuses, ", "))}
	}
	if p.CancellationReason != nil && *p.CancellationReason != "" {
		if !oneOf(*p.CancellationReason, cancelReasons...) {
			return nil, invalidEnum("cancellation_reason", *p.CancellationReason, cancelReasons)
		}
		pi.CancellationReason = *p.CancellationReason
	}
	if pi.Status == StatusRequiresCapture && pi.LatestCharge != "" {
		ch, err := tx.GetCharge(ctx, a.Scope, pi.LatestCharge, true)
		if err != nil {
			return nil, err
		}
		ch.AmountRefunded, ch.Refunded = ch.Amount, true
		if err := tx.UpdateCharge(ctx, a.Scope, ch); err != nil {
			return nil, err
		}
		tx.Emit(Event{Type: "charge.refunded", Object: ch})
	}
	pi.Status = StatusCanceled
	pi.CanceledAt = tx.Now().Unix()
	pi.AmountCapturable = 0
	pi.NextAction, pi.Attempt = nil, nil
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "payment_intent.canceled", Object: pi})
	return pi, nil
}

// CapturePaymentIntent captures all or part of an authorized amount; the
// rest is released.
func CapturePaymentIntent(ctx context.Context, tx Tx, a *Account, id string, p *PaymentIntentCaptureParams) (*PaymentIntent, error) {
	pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "payment_intent", id, "id")
	}
	if pi.Status != StatusRequiresCapture {
		return nil, &Error{Kind: KindInvalid, Code: "payment_intent_unexpected_state", PaymentIntent: pi.ID,
			Message: fmt.Sprintf("This PaymentIntent could not be captured because it has a status of %s. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.", pi.Status)}
	}
	amount := pi.AmountCapturable
	if p.AmountToCapture != nil {
		amount = *p.AmountToCapture
		if amount < 0 {
			return nil, Invalid("", "amount_to_capture", "This value must be greater than or equal to 0.")
		}
		if amount > pi.AmountCapturable {
			return nil, Invalid("amount_too_large", "amount_to_capture", "The amount to capture (%d) is greater than the amount capturable (%d) on this PaymentIntent.", amount, pi.AmountCapturable)
		}
	}
	ch, err := tx.GetCharge(ctx, a.Scope, pi.LatestCharge, true)
	if err != nil {
		return nil, err
	}
	ch.Captured = true
	ch.AmountCaptured = amount
	ch.AmountRefunded = ch.Amount - amount
	ch.Refunded = amount == 0
	ch.CaptureBefore = 0
	if p.StatementDescriptorSuffix != nil {
		ch.StatementDescSufx = *p.StatementDescriptorSuffix
	}
	if err := tx.UpdateCharge(ctx, a.Scope, ch); err != nil {
		return nil, err
	}
	if pi.Metadata, err = applyMetadata(pi.Metadata, p.Metadata, false); err != nil {
		return nil, err
	}
	pi.Status = StatusSucceeded
	pi.AmountReceived = amount
	pi.AmountCapturable = 0
	if err := tx.UpdatePaymentIntent(ctx, a.Scope, pi); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "charge.captured", Object: ch})
	tx.Emit(Event{Type: "payment_intent.succeeded", Object: pi})
	return pi, nil
}
