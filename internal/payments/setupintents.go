package payments

import (
	"context"
	"fmt"
	"strings"

	"github.com/tenderpay/tender/internal/network"
)

var (
	usageValues           = []string{"on_session", "off_session"}
	setupCancelReasons    = []string{"abandoned", "requested_by_customer", "duplicate"}
	setupCancelable       = []string{StatusRequiresPaymentMethod, StatusRequiresConfirmation, StatusRequiresAction}
	setupConfirmableState = setupCancelable
)

// SetupIntentFields are the parameters create and update share.
type SetupIntentFields struct {
	AttachToSelf               *bool                 `form:"attach_to_self"`
	Customer                   *string               `form:"customer"`
	CustomerAccount            any                   `form:"customer_account"`
	Description                *string               `form:"description"`
	ExcludedPaymentMethodTypes []string              `form:"excluded_payment_method_types"`
	FlowDirections             []string              `form:"flow_directions"`
	Metadata                   map[string]string     `form:"metadata"`
	PaymentMethod              *string               `form:"payment_method"`
	PaymentMethodConfiguration any                   `form:"payment_method_configuration"`
	PaymentMethodData          *PaymentMethodData    `form:"payment_method_data"`
	PaymentMethodOptions       *PaymentMethodOptions `form:"payment_method_options"`
	PaymentMethodTypes         []string              `form:"payment_method_types"`
	AllowedPaymentMethodTypes  []string              `form:"allowed_payment_method_types"`
	MetadataCleared            bool                  `form:"-"`
}

// SetupIntentCreateParams is POST /v1/setup_intents.
type SetupIntentCreateParams struct {
	SetupIntentFields       `form:"*"`
	AutomaticPaymentMethods *AutomaticPMParams `form:"automatic_payment_methods"`
	Confirm                 *bool              `form:"confirm"`
	ConfirmationToken       *string            `form:"confirmation_token"`
	MandateData             any                `form:"mandate_data"`
	OnBehalfOf              any                `form:"on_behalf_of"`
	ReturnURL               *string            `form:"return_url"`
	SingleUse               any                `form:"single_use"`
	Usage                   *string            `form:"usage"`
	UseStripeSDK            *bool              `form:"use_stripe_sdk"`
}

// SetupIntentConfirmParams is POST /v1/setup_intents/{id}/confirm.
type SetupIntentConfirmParams struct {
	PaymentMethodChoice       `form:"*"`
	ExpectedPaymentMethodType any `form:"expected_payment_method_type"`
}

// SetupIntentListParams filters GET /v1/setup_intents.
type SetupIntentListParams struct {
	AttachToSelf    any     `form:"attach_to_self"`
	Customer        *string `form:"customer"`
	CustomerAccount any     `form:"customer_account"`
	PaymentMethod   *string `form:"payment_method"`
}

// CreateSetupIntent creates a SetupIntent, confirming it with confirm=true.
func (svc *Service) CreateSetupIntent(ctx context.Context, tx Tx, a *Account, p *SetupIntentCreateParams) (*SetupIntent, error) {
	id := NewID("seti")
	si := &SetupIntent{
		ID: id, ClientSecret: id + "_secret_" + RandomString(32), Created: tx.Now().Unix(), Livemode: a.Livemode,
		Status: StatusRequiresPaymentMethod, Usage: "off_session", Metadata: map[string]string{},
	}
	if p.Usage != nil && *p.Usage != "" {
		if !oneOf(*p.Usage, usageValues...) {
			return nil, invalidEnum("usage", *p.Usage, usageValues)
		}
		si.Usage = *p.Usage
	}
	types := p.PaymentMethodTypes
	if types == nil {
		types = p.AllowedPaymentMethodTypes
	}
	if err := applyTypes(a, &si.PaymentMethodTypes, &si.AutomaticPaymentMethods, types, nil, p.AutomaticPaymentMethods, true); err != nil {
		return nil, err
	}
	if apm := si.AutomaticPaymentMethods; apm != nil && apm.Enabled {
		si.PaymentMethodTypes = a.Settings.AutomaticTypes("", 0, apm.AllowRedirects != "never", true)
	}
	if err := svc.applySetupFields(ctx, tx, a, si, &p.SetupIntentFields); err != nil {
		return nil, err
	}
	if err := tx.InsertSetupIntent(ctx, a.Scope, si); err != nil {
		return nil, err
	}
	created := *si // as it is now, before confirming changes si
	tx.Emit(Event{Type: "setup_intent.created", Object: &created})
	if p.Confirm == nil || !*p.Confirm {
		return si, nil
	}
	err := svc.confirmSetup(ctx, tx, a, si, &PaymentMethodChoice{ConfirmationToken: p.ConfirmationToken, ReturnURL: p.ReturnURL, UseStripeSDK: p.UseStripeSDK})
	return si, err
}

func (svc *Service) applySetupFields(ctx context.Context, tx Tx, a *Account, si *SetupIntent, f *SetupIntentFields) error {
	if f.Customer != nil {
		if *f.Customer != "" {
			if _, err := GetCustomer(ctx, tx, a, *f.Customer, "customer"); err != nil {
				return err
			}
		}
		si.Customer = *f.Customer
	}
	setString(&si.Description, f.Description)
	if f.AttachToSelf != nil {
		si.AttachToSelf = *f.AttachToSelf
	}
	if f.FlowDirections != nil {
		si.FlowDirections = append([]string(nil), f.FlowDirections...)
	}
	if f.ExcludedPaymentMethodTypes != nil {
		si.ExcludedTypes = append([]string(nil), f.ExcludedPaymentMethodTypes...)
	}
	if err := applyCardOptions(&si.RequestThreeDSecure, nil, f.PaymentMethodOptions); err != nil {
		return err
	}
	var err error
	if si.Metadata, err = applyMetadata(si.Metadata, f.Metadata, f.MetadataCleared); err != nil {
		return err
	}
	var pm *PaymentMethod
	switch {
	case f.PaymentMethod != nil && *f.PaymentMethod != "":
		pm, err = svc.ResolvePaymentMethod(ctx, tx, a, *f.PaymentMethod, "payment_method")
	case f.PaymentMethodData != nil:
		pm, err = svc.CreatePaymentMethod(ctx, tx, a, f.PaymentMethodData, "payment_method_data")
	}
	if err != nil {
		return err
	}
	if pm != nil {
		si.PaymentMethod = pm.ID
		si.Status = StatusRequiresConfirmation
	}
	return nil
}

// UpdateSetupIntent updates a SetupIntent that is not finished.
func (svc *Service) UpdateSetupIntent(ctx context.Context, tx Tx, a *Account, id string, f *SetupIntentFields) (*SetupIntent, error) {
	si, err := tx.GetSetupIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "setup_intent", id, "id")
	}
	if oneOf(si.Status, StatusSucceeded, StatusCanceled) && (f.PaymentMethod != nil || f.PaymentMethodData != nil || f.Customer != nil) {
		return nil, &Error{Kind: KindInvalid, Code: "setup_intent_unexpected_state", SetupIntent: si.ID,
			Message: fmt.Sprintf("You cannot update this SetupIntent because it has a status of %s.", si.Status)}
	}
	types := f.PaymentMethodTypes
	if types == nil {
		types = f.AllowedPaymentMethodTypes
	}
	if err := applyTypes(a, &si.PaymentMethodTypes, &si.AutomaticPaymentMethods, types, nil, nil, false); err != nil {
		return nil, err
	}
	if err := svc.applySetupFields(ctx, tx, a, si, f); err != nil {
		return nil, err
	}
	si.LastSetupError = nil
	if err := tx.UpdateSetupIntent(ctx, a.Scope, si); err != nil {
		return nil, err
	}
	return si, nil
}

// GetSetupIntent returns a SetupIntent (with its client secret when the
// caller holds a publishable key).
func GetSetupIntent(ctx context.Context, tx Tx, a *Account, id string, clientSecret *string) (*SetupIntent, error) {
	si, err := tx.GetSetupIntent(ctx, a.Scope, id, false)
	if err != nil {
		return nil, notFoundAs(err, "setup_intent", id, "id")
	}
	if err := checkClientSecret(a, si.ClientSecret, clientSecret, "setup_intent", id); err != nil {
		return nil, err
	}
	return si, nil
}

// ConfirmSetupIntent confirms a SetupIntent.
func (svc *Service) ConfirmSetupIntent(ctx context.Context, tx Tx, a *Account, id string, p *SetupIntentConfirmParams) (*SetupIntent, error) {
	si, err := tx.GetSetupIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "setup_intent", id, "id")
	}
	if err := checkClientSecret(a, si.ClientSecret, p.ClientSecret, "setup_intent", id); err != nil {
		return nil, err
	}
	err = svc.confirmSetup(ctx, tx, a, si, &p.PaymentMethodChoice)
	return si, err
}

func (svc *Service) confirmSetup(ctx context.Context, tx Tx, a *Account, si *SetupIntent, c *PaymentMethodChoice) error {
	if !oneOf(si.Status, setupConfirmableState...) {
		msg := fmt.Sprintf("You cannot confirm this SetupIntent because it has a status of %s. Only a SetupIntent with one of the following statuses may be confirmed: %s.", si.Status, strings.Join(setupConfirmableState, ", "))
		if si.Status == StatusSucceeded {
			msg = "You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed."
		}
		return &Error{Kind: KindInvalid, Code: "setup_intent_unexpected_state", Message: msg, SetupIntent: si.ID}
	}
	var (
		pm  *PaymentMethod
		ct  *ConfirmationToken
		err error
	)
	if c.ConfirmationToken != nil && *c.ConfirmationToken != "" {
		if ct, pm, err = svc.useConfirmationToken(ctx, tx, a, *c.ConfirmationToken, si.ID, true); err != nil {
			return err
		}
	}
	switch {
	case c.PaymentMethod != nil && *c.PaymentMethod != "":
		pm, err = svc.ResolvePaymentMethod(ctx, tx, a, *c.PaymentMethod, "payment_method")
	case c.PaymentMethodData != nil:
		pm, err = svc.CreatePaymentMethod(ctx, tx, a, c.PaymentMethodData, "payment_method_data")
	case pm == nil && si.PaymentMethod != "":
		pm, err = tx.GetPaymentMethod(ctx, a.Scope, si.PaymentMethod, true)
		err = notFoundAs(err, "PaymentMethod", si.PaymentMethod, "payment_method")
	}
	if err != nil {
		return err
	}
	if pm == nil {
		return Invalid("", "payment_method", "You cannot confirm this SetupIntent because it's missing a payment method. Update it with a payment method, or confirm it with a payment method or ConfirmationToken.")
	}
	returnURL, useSDK := "", false
	if ct != nil {
		returnURL, useSDK = ct.ReturnURL, ct.UseStripeSDK
	}
	if c.ReturnURL != nil {
		returnURL = *c.ReturnURL
	}
	if c.UseStripeSDK != nil {
		useSDK = *c.UseStripeSDK
	}
	if err := applyCardOptions(&si.RequestThreeDSecure, nil, c.PaymentMethodOptions); err != nil {
		return err
	}
	if !a.Publishable && returnURL == "" && si.AutomaticPaymentMethods != nil && si.AutomaticPaymentMethods.AllowRedirects != "never" {
		return Invalid("", "return_url", "A `return_url` must be specified because this Setup Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.")
	}
	if !oneOf(pm.Type, si.PaymentMethodTypes...) {
		return Invalid("", "payment_method", "The PaymentMethod provided (%s) is not allowed for this SetupIntent.", pm.Type)
	}
	if pm.Customer != "" && si.Customer != "" && pm.Customer != si.Customer {
		return Invalid("", "payment_method", "The provided PaymentMethod %s belongs to the Customer %s.", pm.ID, pm.Customer)
	}
	if pm.Customer == "" && pm.Used {
		return errSingleUse()
	}
	si.PaymentMethod = pm.ID
	si.LastSetupError = nil
	si.LatestAttempt = NewID("setatt")
	if pm.Type != "card" {
		if !methodTypes[pm.Type].Reusable {
			return Invalid("", "payment_method", "%s payment methods cannot be set up for future use.", pm.Type)
		}
		// Bank debits are set up by the mandate the customer accepts.
		var mandateData any = c.MandateData
		if ct != nil && mandateData == nil {
			mandateData = ct.MandateData
		}
		m, err := newMandate(ctx, tx, a, pm, mandateData, true)
		if err != nil {
			return err
		}
		si.Mandate = m.ID
		return svc.settleSetup(ctx, tx, a, si, pm, network.Authorization{Decision: network.DecisionApproved})
	}
	auth, err := svc.Processor.Authorize(ctx, setupAuthorizeRequest(si, pm, false))
	if err != nil {
		return fmt.Errorf("authorize setup: %w", err)
	}
	if auth.Decision == network.DecisionRequiresAuthentication {
		si.Status = StatusRequiresAction
		si.Attempt = &Attempt{ReturnURL: returnURL}
		si.NextAction = svc.nextAction(si.ID, si.ClientSecret, returnURL, useSDK)
		if err := tx.UpdateSetupIntent(ctx, a.Scope, si); err != nil {
			return err
		}
		tx.Emit(Event{Type: "setup_intent.requires_action", Object: si})
		return nil
	}
	return svc.settleSetup(ctx, tx, a, si, pm, auth)
}

func setupAuthorizeRequest(si *SetupIntent, pm *PaymentMethod, threeDSDone bool) network.AuthorizeRequest {
	req := network.AuthorizeRequest{
		Reference: si.ID + "/" + pm.ID, Setup: true, SetUpForOffSession: pm.SetUpForOffSession,
		RequestThreeDSecure: network.ThreeDSecureRequest(si.RequestThreeDSecure), ThreeDSecureCompleted: threeDSDone,
	}
	fillCard(&req, pm)
	return req
}

func (svc *Service) settleSetup(ctx context.Context, tx Tx, a *Account, si *SetupIntent, pm *PaymentMethod, auth network.Authorization) error {
	si.NextAction, si.Attempt = nil, nil
	if auth.Decision != network.DecisionApproved {
		d := auth.Decline
		si.Status = StatusRequiresPaymentMethod
		si.PaymentMethod = ""
		si.LastSetupError = &PaymentError{Type: "card_error", Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message,
			Param: d.Param, PaymentMethod: pm.ID}
		if err := tx.UpdateSetupIntent(ctx, a.Scope, si); err != nil {
			return err
		}
		tx.Emit(Event{Type: "setup_intent.setup_failed", Object: si})
		return &Error{Kind: KindDeclined, Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message, Param: d.Param,
			SetupIntent: si.ID, PaymentMethod: pm.ID}
	}
	si.Status = StatusSucceeded
	pm.SetUpForOffSession = si.Usage == "off_session" || pm.SetUpForOffSession
	if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
		return err
	}
	if si.Customer != "" {
		if err := attach(ctx, tx, a, pm, si.Customer); err != nil {
			return err
		}
	}
	if err := tx.UpdateSetupIntent(ctx, a.Scope, si); err != nil {
		return err
	}
	tx.Emit(Event{Type: "setup_intent.succeeded", Object: si})
	return nil
}

// CancelSetupIntent cancels a SetupIntent that has not finished.
func CancelSetupIntent(ctx context.Context, tx Tx, a *Account, id string, p *CancelParams) (*SetupIntent, error) {
	si, err := tx.GetSetupIntent(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "setup_intent", id, "id")
	}
	if !oneOf(si.Status, setupCancelable...) {
		return nil, &Error{Kind: KindInvalid, Code: "setup_intent_unexpected_state", SetupIntent: si.ID,
			Message: fmt.Sprintf("You cannot cancel this SetupIntent because it has a status of %s. Only a SetupIntent with one of the following statuses may be canceled: %s.", si.Status, strings.Join(setupCancelable, ", "))}
	}
	if p.CancellationReason != nil && *p.CancellationReason != "" {
		if !oneOf(*p.CancellationReason, setupCancelReasons...) {
			return nil, invalidEnum("cancellation_reason", *p.CancellationReason, setupCancelReasons)
		}
		si.CancellationReason = *p.CancellationReason
	}
	si.Status = StatusCanceled
	si.NextAction, si.Attempt = nil, nil
	if err := tx.UpdateSetupIntent(ctx, a.Scope, si); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "setup_intent.canceled", Object: si})
	return si, nil
}

// ListSetupIntents lists SetupIntents.
func ListSetupIntents(ctx context.Context, tx Tx, a *Account, pg Page, p *SetupIntentListParams) (ListResult[*SetupIntent], error) {
	res, err := tx.ListSetupIntents(ctx, a.Scope, pg, deref(p.Customer), deref(p.PaymentMethod))
	if err != nil {
		return res, PageError(err, pg)
	}
	return res, nil
}
