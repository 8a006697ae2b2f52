package api

import (
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/wire"
)

type paymentIntentJSON struct {
	ID                                string            `json:"id"`
	Object                            string            `json:"object"`
	Amount                            int64             `json:"amount"`
	AmountCapturable                  int64             `json:"amount_capturable"`
	AmountDetails                     any               `json:"amount_details"`
	AmountReceived                    int64             `json:"amount_received"`
	Application                       any               `json:"application"`
	ApplicationFeeAmount              any               `json:"application_fee_amount"`
	AutomaticPaymentMethods           any               `json:"automatic_payment_methods"`
	CanceledAt                        *int64            `json:"canceled_at"`
	CancellationReason                *string           `json:"cancellation_reason"`
	CaptureMethod                     string            `json:"capture_method"`
	ClientSecret                      string            `json:"client_secret"`
	ConfirmationMethod                string            `json:"confirmation_method"`
	Created                           int64             `json:"created"`
	Currency                          string            `json:"currency"`
	Customer                          any               `json:"customer"`
	CustomerAccount                   *string           `json:"customer_account"`
	Description                       *string           `json:"description"`
	ExcludedPaymentMethodTypes        []string          `json:"excluded_payment_method_types"`
	LastPaymentError                  any               `json:"last_payment_error"`
	LatestCharge                      any               `json:"latest_charge"`
	Livemode                          bool              `json:"livemode"`
	Metadata                          map[string]string `json:"metadata"`
	NextAction                        any               `json:"next_action"`
	OnBehalfOf                        any               `json:"on_behalf_of"`
	PaymentMethod                     any               `json:"payment_method"`
	PaymentMethodConfigurationDetails any               `json:"payment_method_configuration_details"`
	PaymentMethodOptions              any               `json:"payment_method_options"`
	PaymentMethodTypes                []string          `json:"payment_method_types"`
	AllowedPaymentMethodTypes         *[]string         `json:"allowed_payment_method_types,omitempty"`
	Processing                        any               `json:"processing"`
	ReceiptEmail                      *string           `json:"receipt_email"`
	Review                            any               `json:"review"`
	SetupFutureUsage                  *string           `json:"setup_future_usage"`
	Shipping                          *shippingJSON     `json:"shipping"`
	Source                            any               `json:"source"`
	StatementDescriptor               *string           `json:"statement_descriptor"`
	StatementDescriptorSuffix         *string           `json:"statement_descriptor_suffix"`
	Status                            string            `json:"status"`
	TransferData                      any               `json:"transfer_data"`
	TransferGroup                     *string           `json:"transfer_group"`
}

func (rd *renderer) paymentIntent(pi *payments.PaymentIntent, exp expansion) (any, error) {
	out := &paymentIntentJSON{
		ID: pi.ID, Object: "payment_intent", Amount: pi.Amount, AmountCapturable: pi.AmountCapturable,
		AmountDetails: amountDetailsJSON{}, AmountReceived: pi.AmountReceived,
		CancellationReason: nullable(pi.CancellationReason), CaptureMethod: pi.CaptureMethod, ClientSecret: pi.ClientSecret,
		ConfirmationMethod: pi.ConfirmationMethod, Created: pi.Created, Currency: pi.Currency, Description: nullable(pi.Description),
		ExcludedPaymentMethodTypes: pi.ExcludedTypes, Livemode: pi.Livemode, Metadata: orEmpty(pi.Metadata),
		PaymentMethodTypes: pi.PaymentMethodTypes, ReceiptEmail: nullable(pi.ReceiptEmail),
		SetupFutureUsage: nullable(pi.SetupFutureUsage), Shipping: renderShipping(pi.Shipping),
		StatementDescriptor: nullable(pi.StatementDescriptor), StatementDescriptorSuffix: nullable(pi.StatementDescriptorSuffix),
		Status: pi.Status, TransferGroup: nullable(pi.TransferGroup),
		NextAction: renderNextAction(pi.ID, pi.NextAction),
	}
	out.PaymentMethodOptions = &intentMethodOptionsJSON{Card: intentCardOptionsJSON{
		CaptureMethod: pi.CardCaptureMethod, RequestThreeDSecure: cmpOr(pi.RequestThreeDSecure, "automatic"),
		RequireCVCRecollection: pi.RequireCVCRecollection,
	}}
	out.AutomaticPaymentMethods = renderAPM(pi.AutomaticPaymentMethods)
	out.AllowedPaymentMethodTypes = rd.allowedTypes(pi.PaymentMethodTypes)
	if pi.CanceledAt != 0 {
		out.CanceledAt = &pi.CanceledAt
	}
	var err error
	if out.Customer, err = rd.customerRef(pi.Customer, exp["customer"]); err != nil {
		return nil, err
	}
	if out.LatestCharge, err = rd.chargeRef(pi.LatestCharge, exp["latest_charge"]); err != nil {
		return nil, err
	}
	if out.PaymentMethod, err = rd.paymentMethodRef(pi.PaymentMethod, exp["payment_method"]); err != nil {
		return nil, err
	}
	if out.LastPaymentError, err = rd.paymentError(pi.LastPaymentError); err != nil {
		return nil, err
	}
	if rd.client {
		return clientView(out)
	}
	return out, nil
}

// amountDetailsJSON is amount_details: {"tip": {}}.
type amountDetailsJSON struct {
	Tip struct{} `json:"tip"`
}

// intentMethodOptionsJSON is an intent's payment_method_options. Fields
// are in Stripe's (alphabetical) order.
type intentMethodOptionsJSON struct {
	Card intentCardOptionsJSON `json:"card"`
}

type intentCardOptionsJSON struct {
	CaptureMethod          string `json:"capture_method,omitempty"`
	Installments           any    `json:"installments"`
	MandateOptions         any    `json:"mandate_options"`
	Network                any    `json:"network"`
	RequestThreeDSecure    string `json:"request_three_d_secure"`
	RequireCVCRecollection bool   `json:"require_cvc_recollection,omitempty"`
}

type apmJSON struct {
	AllowRedirects string `json:"allow_redirects,omitempty"`
	Enabled        bool   `json:"enabled"`
}

// renderAPM is automatic_payment_methods, null when off.
func renderAPM(apm *payments.AutomaticPaymentMethods) any {
	if apm == nil {
		return nil
	}
	return &apmJSON{AllowRedirects: apm.AllowRedirects, Enabled: apm.Enabled}
}

// allowedTypes is allowed_payment_method_types, which the dahlia trains
// since June 2026 and endive add beside payment_method_types.
func (rd *renderer) allowedTypes(types []string) *[]string {
	if !rd.atLeast("2026-06-01") {
		return nil
	}
	return &types
}

// clientFields are what a publishable key sees of an intent (Stripe.js'
// PaymentIntent and SetupIntent types).
var clientFields = []string{"id", "object", "amount", "canceled_at", "cancellation_reason", "capture_method", "client_secret",
	"confirmation_method", "created", "currency", "description", "last_payment_error", "livemode", "next_action",
	"payment_method", "payment_method_types", "processing", "receipt_email", "setup_future_usage", "shipping", "status", "usage"}

// clientView projects a rendered intent onto the client-safe fields.
func clientView(v any) (any, error) {
	full, err := toMap(v)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, k := range clientFields {
		if val, ok := full[k]; ok {
			out[k] = val
		}
	}
	return out, nil
}

func renderNextAction(id string, na *payments.NextAction) any {
	if na == nil {
		return nil
	}
	if na.Type == "redirect_to_url" {
		return map[string]any{"type": na.Type, "redirect_to_url": map[string]any{"url": na.URL, "return_url": na.ReturnURL}}
	}
	return map[string]any{"type": "use_stripe_sdk", "use_stripe_sdk": map[string]any{
		"type": "three_d_secure_redirect", "stripe_js": na.URL, "source": id,
	}}
}

// paymentErrorJSON is last_payment_error / last_setup_error.
type paymentErrorJSON struct {
	Type              string  `json:"type"`
	Code              *string `json:"code,omitempty"`
	DeclineCode       string  `json:"decline_code,omitempty"`
	DocURL            string  `json:"doc_url,omitempty"`
	Message           string  `json:"message"`
	Param             string  `json:"param,omitempty"`
	Charge            string  `json:"charge,omitempty"`
	PaymentMethod     any     `json:"payment_method,omitempty"`
	PaymentMethodType string  `json:"payment_method_type,omitempty"`
	RequestLogURL     string  `json:"request_log_url,omitempty"`
}

func (rd *renderer) paymentError(e *payments.PaymentError) (any, error) {
	if e == nil {
		return nil, nil
	}
	out := &paymentErrorJSON{Type: e.Type, Code: nullable(e.Code), DeclineCode: e.DeclineCode, DocURL: wire.DocURL(e.Code),
		Message: e.Message, Param: e.Param, Charge: e.Charge}
	if e.PaymentMethod != "" {
		pm, err := rd.tx.GetPaymentMethod(rd.ctx, rd.scope, e.PaymentMethod, false)
		if err == nil {
			out.PaymentMethod, err = rd.paymentMethod(pm, nil)
			out.PaymentMethodType = pm.Type
		}
		if err != nil && err != payments.ErrNotFound {
			return nil, err
		}
	}
	return out, nil
}

type setupIntentJSON struct {
	ID                                string            `json:"id"`
	Object                            string            `json:"object"`
	Application                       any               `json:"application"`
	AutomaticPaymentMethods           any               `json:"automatic_payment_methods"`
	CancellationReason                *string           `json:"cancellation_reason"`
	ClientSecret                      string            `json:"client_secret"`
	Created                           int64             `json:"created"`
	Customer                          any               `json:"customer"`
	CustomerAccount                   *string           `json:"customer_account"`
	Description                       *string           `json:"description"`
	ExcludedPaymentMethodTypes        []string          `json:"excluded_payment_method_types"`
	FlowDirections                    []string          `json:"flow_directions"`
	LastSetupError                    any               `json:"last_setup_error"`
	LatestAttempt                     *string           `json:"latest_attempt"`
	Livemode                          bool              `json:"livemode"`
	Mandate                           *string           `json:"mandate"`
	Metadata                          map[string]string `json:"metadata"`
	NextAction                        any               `json:"next_action"`
	OnBehalfOf                        any               `json:"on_behalf_of"`
	PaymentMethod                     any               `json:"payment_method"`
	PaymentMethodConfigurationDetails any               `json:"payment_method_configuration_details"`
	PaymentMethodOptions              any               `json:"payment_method_options"`
	PaymentMethodTypes                []string          `json:"payment_method_types"`
	AllowedPaymentMethodTypes         *[]string         `json:"allowed_payment_method_types,omitempty"`
	SingleUseMandate                  any               `json:"single_use_mandate"`
	Status                            string            `json:"status"`
	Usage                             string            `json:"usage"`
}

func (rd *renderer) setupIntent(si *payments.SetupIntent, exp expansion) (any, error) {
	out := &setupIntentJSON{
		ID: si.ID, Object: "setup_intent", CancellationReason: nullable(si.CancellationReason), ClientSecret: si.ClientSecret,
		Created: si.Created, Description: nullable(si.Description), ExcludedPaymentMethodTypes: si.ExcludedTypes,
		FlowDirections: si.FlowDirections, LatestAttempt: nullable(si.LatestAttempt), Livemode: si.Livemode, Mandate: nullable(si.Mandate),
		Metadata: orEmpty(si.Metadata), NextAction: renderNextAction(si.ID, si.NextAction), PaymentMethodTypes: si.PaymentMethodTypes,
		Status: si.Status, Usage: si.Usage,
		PaymentMethodOptions: map[string]any{"card": map[string]any{
			"mandate_options": nil, "network": nil, "request_three_d_secure": cmpOr(si.RequestThreeDSecure, "automatic"),
		}},
	}
	out.AutomaticPaymentMethods = renderAPM(si.AutomaticPaymentMethods)
	out.AllowedPaymentMethodTypes = rd.allowedTypes(si.PaymentMethodTypes)
	var err error
	if out.Customer, err = rd.customerRef(si.Customer, exp["customer"]); err != nil {
		return nil, err
	}
	if out.PaymentMethod, err = rd.paymentMethodRef(si.PaymentMethod, exp["payment_method"]); err != nil {
		return nil, err
	}
	if out.LastSetupError, err = rd.paymentError(si.LastSetupError); err != nil {
		return nil, err
	}
	if rd.client {
		return clientView(out)
	}
	return out, nil
}

type confirmationTokenJSON struct {
	ID                   string                    `json:"id"`
	Object               string                    `json:"object"`
	Created              int64                     `json:"created"`
	ExpiresAt            *int64                    `json:"expires_at"`
	Livemode             bool                      `json:"livemode"`
	MandateData          any                       `json:"mandate_data"`
	Metadata             *map[string]string        `json:"metadata,omitempty"`
	PaymentIntent        *string                   `json:"payment_intent"`
	PaymentMethodOptions any                       `json:"payment_method_options"`
	PaymentMethodPreview *paymentMethodPreviewJSON `json:"payment_method_preview"`
	ReturnURL            *string                   `json:"return_url"`
	SetupFutureUsage     *string                   `json:"setup_future_usage"`
	SetupIntent          *string                   `json:"setup_intent"`
	Shipping             *shippingJSON             `json:"shipping"`
	UseStripeSDK         bool                      `json:"use_stripe_sdk"`
}

func (rd *renderer) confirmationToken(ct *payments.ConfirmationToken) *confirmationTokenJSON {
	p := ct.Preview
	out := &confirmationTokenJSON{
		ID: ct.ID, Object: "confirmation_token", Created: ct.Created, Livemode: ct.Livemode, MandateData: ct.MandateData,
		PaymentIntent: nullable(ct.PaymentIntent), ReturnURL: nullable(ct.ReturnURL),
		SetupFutureUsage: nullable(ct.SetupFutureUsage), SetupIntent: nullable(ct.SetupIntent), UseStripeSDK: ct.UseStripeSDK,
		PaymentMethodPreview: &paymentMethodPreviewJSON{
			AllowRedisplay: p.AllowRedisplay, BillingDetails: renderBillingDetails(p.BillingDetails), Card: renderCard(p.Card), Type: p.Type,
		},
	}
	if p.Customer != "" {
		out.PaymentMethodPreview.Customer = p.Customer
	}
	pv := out.PaymentMethodPreview
	pv.SEPADebit, pv.USBankAccount, pv.Ideal, pv.Bancontact, pv.Klarna = typeHashes(p.Type, p.BankAccount, p.Ideal)
	if ct.ExpiresAt != 0 {
		out.ExpiresAt = &ct.ExpiresAt
	}
	if ct.Shipping != nil {
		out.Shipping = renderShipping(ct.Shipping)
	}
	if ct.CVCToken != "" {
		out.PaymentMethodOptions = map[string]any{"card": map[string]any{"cvc_token": ct.CVCToken, "installments": nil}}
	}
	if rd.atLeast("2026-10-01") {
		m := orEmpty(ct.Metadata)
		out.Metadata = &m
	}
	return out
}
