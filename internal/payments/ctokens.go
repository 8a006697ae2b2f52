package payments

import (
	"context"
	"encoding/json"
	"time"
)

// ConfirmationTokenParams is POST /v1/confirmation_tokens (browser) and
// POST /v1/test_helpers/confirmation_tokens (secret key).
type ConfirmationTokenParams struct {
	PaymentMethod        *string               `form:"payment_method"`
	PaymentMethodData    *PaymentMethodData    `form:"payment_method_data"`
	PaymentMethodOptions *PaymentMethodOptions `form:"payment_method_options"`
	ReturnURL            *string               `form:"return_url"`
	SetupFutureUsage     *string               `form:"setup_future_usage"`
	Shipping             *ShippingParams       `form:"shipping"`
	MandateData          any                   `form:"mandate_data"`
	ClientContext        map[string]any        `form:"client_context"`
	ClientAttribution    any                   `form:"client_attribution_metadata"`
	SetAsDefault         *bool                 `form:"set_as_default_payment_method"`
	Metadata             map[string]string     `form:"metadata"`
	UseStripeSDK         *bool                 `form:"use_stripe_sdk"`
	Radar                any                   `form:"radar_options"`
	// CustomerSessionClientSecret authorises the browser to use one of the
	// session customer's saved payment methods.
	CustomerSessionClientSecret *string `form:"customer_session_client_secret"`
	// Client is the browser's address and user agent, for mandates whose
	// acceptance says infer_from_client.
	Client ClientInfo `form:"-"`
}

// ClientInfo is what the server knows of the browser that made a request.
type ClientInfo struct {
	IP        string
	UserAgent string
}

// InferMandate fills a mandate's online acceptance from the client when it
// asks for that (infer_from_client=true), as Stripe.js's requests do.
func InferMandate(data any, c ClientInfo) any {
	if data == nil {
		return nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return data
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return data
	}
	ca, _ := m["customer_acceptance"].(map[string]any)
	if ca == nil {
		return data
	}
	online, _ := ca["online"].(map[string]any)
	if online == nil || online["infer_from_client"] != "true" {
		return m
	}
	delete(online, "infer_from_client")
	if online["ip_address"] == nil || online["ip_address"] == "" {
		online["ip_address"] = c.IP
	}
	if online["user_agent"] == nil || online["user_agent"] == "" {
		online["user_agent"] = c.UserAgent
	}
	return m
}

// PaymentMethodOptions is payment_method_options; only card options are
// modelled, others are accepted and ignored.
type PaymentMethodOptions struct {
	Card          *CardOptions `form:"card"`
	OtherTypeData `form:"*"`
}

// CardOptions is payment_method_options[card].
type CardOptions struct {
	CVC                 *string `form:"cvc"`
	CVCToken            *string `form:"cvc_token"`
	RequestThreeDSecure *string `form:"request_three_d_secure"`
	CaptureMethod       *string `form:"capture_method"`
	SetupFutureUsage    *string `form:"setup_future_usage"`
	RequireCVCRecollect *bool   `form:"require_cvc_recollection"`
	Installments        any     `form:"installments"`
	MandateOptions      any     `form:"mandate_options"`
	MOTO                any     `form:"moto"`
	Network             any     `form:"network"`
	ThreeDSecure        any     `form:"three_d_secure"`
	StatementDetails    any     `form:"statement_descriptor_suffix_kana"`
	StatementKanji      any     `form:"statement_descriptor_suffix_kanji"`
	ExtendedAuth        any     `form:"request_extended_authorization"`
	IncrementalAuth     any     `form:"request_incremental_authorization"`
	Multicapture        any     `form:"request_multicapture"`
	Overcapture         any     `form:"request_overcapture"`
}

var setupFutureUsageValues = []string{"on_session", "off_session"}

// CreateConfirmationToken records the customer's payment details for one
// confirmation. From the browser the details are raw card data; from a
// merchant's test code (secret key) they name a PaymentMethod, usually a
// magic test id.
func (svc *Service) CreateConfirmationToken(ctx context.Context, tx Tx, a *Account, p *ConfirmationTokenParams) (*ConfirmationToken, error) {
	now := tx.Now()
	ttl := svc.ConfirmationTokenTTL
	if ttl <= 0 {
		ttl = DefaultConfirmationTokenTTL
	}
	ct := &ConfirmationToken{
		ID:           NewID("ctoken"),
		Created:      now.Unix(),
		ExpiresAt:    now.Add(ttl).Unix(),
		Livemode:     a.Livemode,
		UseStripeSDK: true,
		MandateData:  InferMandate(p.MandateData, p.Client),
		Metadata:     map[string]string{},
	}
	if p.UseStripeSDK != nil {
		ct.UseStripeSDK = *p.UseStripeSDK
	}
	switch {
	case p.PaymentMethod != nil && *p.PaymentMethod != "":
		pm, err := svc.ResolvePaymentMethod(ctx, tx, a, *p.PaymentMethod, "payment_method")
		if err != nil {
			return nil, err
		}
		if a.Publishable && pm.Customer != "" {
			// The browser reaches a saved method only through a session of
			// the customer who owns it.
			if p.CustomerSessionClientSecret == nil {
				return nil, NotFound("PaymentMethod", pm.ID, "payment_method")
			}
			cs, err := OpenCustomerSession(ctx, tx, a, *p.CustomerSessionClientSecret)
			if err != nil {
				return nil, err
			}
			if cs.Customer != pm.Customer {
				return nil, NotFound("PaymentMethod", pm.ID, "payment_method")
			}
		}
		ct.Preview = *pm
		if p.PaymentMethodData != nil {
			if err := applyBillingDetails(&ct.Preview.BillingDetails, p.PaymentMethodData.BillingDetails); err != nil {
				return nil, err
			}
		}
	case p.PaymentMethodData != nil:
		if t := p.PaymentMethodData.Type; t != nil && oneOf(*t, deferredRefused...) {
			return nil, Invalid("", "payment_method_data[type]", "%s cannot be used with ConfirmationTokens (the deferred intent flow). Create the PaymentIntent first and confirm it in the browser with its client secret.", *t)
		}
		if p.PaymentMethodData.Card != nil && !a.Publishable && p.PaymentMethodData.Card.Token == nil {
			// Stripe's test helper has no card hash: server code names a
			// PaymentMethod such as pm_card_visa instead.
			return nil, Invalid("parameter_unknown", "payment_method_data[card]",
				"Received unknown parameter: payment_method_data[card]. Use payment_method=pm_card_visa (or another test PaymentMethod) with a secret key.")
		}
		pm, err := svc.CreatePaymentMethod(ctx, tx, a, p.PaymentMethodData, "payment_method_data")
		if err != nil {
			return nil, err
		}
		// The method stays a preview until a confirmation uses the token.
		pm.ID = ""
		ct.Preview = *pm
	default:
		return nil, Invalid("parameter_missing", "payment_method_data", "Missing required param: payment_method_data.")
	}
	if p.ReturnURL != nil {
		ct.ReturnURL = *p.ReturnURL
	}
	if p.SetupFutureUsage != nil && *p.SetupFutureUsage != "" {
		if !oneOf(*p.SetupFutureUsage, setupFutureUsageValues...) {
			return nil, invalidEnum("setup_future_usage", *p.SetupFutureUsage, setupFutureUsageValues)
		}
		ct.SetupFutureUsage = *p.SetupFutureUsage
	}
	if p.Shipping != nil {
		sh, err := shippingFrom(p.Shipping, "shipping")
		if err != nil {
			return nil, err
		}
		ct.Shipping = sh
	}
	if o := p.PaymentMethodOptions; o != nil && o.Card != nil && o.Card.CVC != nil && *o.Card.CVC != "" {
		// A recollected CVC is kept only as the fact that it was given.
		ct.CVCToken = NewID("cvctok")
	}
	var err error
	if ct.Metadata, err = applyMetadata(nil, p.Metadata, false); err != nil {
		return nil, err
	}
	if err := tx.InsertConfirmationToken(ctx, a.Scope, ct); err != nil {
		return nil, err
	}
	return ct, nil
}

// GetConfirmationToken returns a ConfirmationToken by id.
func GetConfirmationToken(ctx context.Context, tx Tx, a *Account, id string) (*ConfirmationToken, error) {
	ct, err := tx.GetConfirmationToken(ctx, a.Scope, id, false)
	if err != nil {
		return nil, notFoundAs(err, "confirmation_token", id, "id")
	}
	return ct, nil
}

// useConfirmationToken consumes a token for one intent: it must exist, be
// unused and unexpired. The payment method it describes is created now
// (or, for a saved method, looked up).
func (svc *Service) useConfirmationToken(ctx context.Context, tx Tx, a *Account, id, intentID string, setup bool) (*ConfirmationToken, *PaymentMethod, error) {
	ct, err := tx.GetConfirmationToken(ctx, a.Scope, id, true)
	if err != nil {
		return nil, nil, notFoundAs(err, "confirmation_token", id, "confirmation_token")
	}
	if ct.PaymentIntent != "" || ct.SetupIntent != "" {
		return nil, nil, Invalid("", "confirmation_token", "This ConfirmationToken has already been used to confirm %s. Create a new ConfirmationToken for each confirmation.", cmpOr(ct.PaymentIntent, ct.SetupIntent))
	}
	if ct.ExpiresAt != 0 && tx.Now().Unix() >= ct.ExpiresAt {
		return nil, nil, Invalid("", "confirmation_token", "This ConfirmationToken expired at %s. Create a new ConfirmationToken.",
			time.Unix(ct.ExpiresAt, 0).UTC().Format(time.RFC3339))
	}
	var pm *PaymentMethod
	if ct.Preview.ID != "" {
		if pm, err = tx.GetPaymentMethod(ctx, a.Scope, ct.Preview.ID, true); err != nil {
			return nil, nil, notFoundAs(err, "PaymentMethod", ct.Preview.ID, "payment_method")
		}
	} else {
		clone := ct.Preview
		clone.ID = NewID("pm")
		clone.Created = tx.Now().Unix()
		if clone.Metadata == nil {
			clone.Metadata = map[string]string{}
		}
		if err := tx.InsertPaymentMethod(ctx, a.Scope, &clone); err != nil {
			return nil, nil, err
		}
		pm = &clone
	}
	if setup {
		ct.SetupIntent = intentID
	} else {
		ct.PaymentIntent = intentID
	}
	ct.ExpiresAt = 0
	if err := tx.UpdateConfirmationToken(ctx, a.Scope, ct); err != nil {
		return nil, nil, err
	}
	return ct, pm, nil
}

// shippingFrom validates shipping params.
func shippingFrom(sp *ShippingParams, param string) (*Shipping, error) {
	if sp.Name == nil || *sp.Name == "" {
		return nil, Invalid("parameter_missing", param+"[name]", "Missing required param: %s[name].", param)
	}
	if sp.Address == nil {
		return nil, Invalid("parameter_missing", param+"[address]", "Missing required param: %s[address].", param)
	}
	sh := &Shipping{Address: *sp.Address, Name: *sp.Name}
	if sp.Phone != nil {
		sh.Phone = *sp.Phone
	}
	return sh, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
