package payments

// PaymentMethodChoice are the confirmation parameters shared by
// PaymentIntents and SetupIntents: how the customer pays.
type PaymentMethodChoice struct {
	ConfirmationToken    *string               `form:"confirmation_token"`
	PaymentMethod        *string               `form:"payment_method"`
	PaymentMethodData    *PaymentMethodData    `form:"payment_method_data"`
	PaymentMethodOptions *PaymentMethodOptions `form:"payment_method_options"`
	ReturnURL            *string               `form:"return_url"`
	UseStripeSDK         *bool                 `form:"use_stripe_sdk"`
	MandateData          any                   `form:"mandate_data"`
	// ClientSecret authorises a confirmation with a publishable key.
	ClientSecret *string `form:"client_secret"`
}

// PaymentIntentFields are the parameters create and update share.
type PaymentIntentFields struct {
	Amount                     *int64                `form:"amount"`
	Currency                   *string               `form:"currency"`
	CaptureMethod              *string               `form:"capture_method"`
	Customer                   *string               `form:"customer"`
	CustomerAccount            any                   `form:"customer_account"`
	Description                *string               `form:"description"`
	ExcludedPaymentMethodTypes []string              `form:"excluded_payment_method_types"`
	Metadata                   map[string]string     `form:"metadata"`
	PaymentMethodConfiguration any                   `form:"payment_method_configuration"`
	PaymentMethodTypes         []string              `form:"payment_method_types"`
	AllowedPaymentMethodTypes  []string              `form:"allowed_payment_method_types"`
	ReceiptEmail               *string               `form:"receipt_email"`
	SetupFutureUsage           *string               `form:"setup_future_usage"`
	Shipping                   *ShippingParams       `form:"shipping"`
	StatementDescriptor        *string               `form:"statement_descriptor"`
	StatementDescriptorSuffix  *string               `form:"statement_descriptor_suffix"`
	TransferData               any                   `form:"transfer_data"`
	TransferGroup              *string               `form:"transfer_group"`
	ApplicationFeeAmount       *int64                `form:"application_fee_amount"`
	AmountDetails              any                   `form:"amount_details"`
	PaymentDetails             any                   `form:"payment_details"`
	Hooks                      any                   `form:"hooks"`
	AutomaticPaymentMethods    *AutomaticPMParams    `form:"automatic_payment_methods"`
	OnBehalfOf                 any                   `form:"on_behalf_of"`
	PaymentMethodData          *PaymentMethodData    `form:"payment_method_data"`
	PaymentMethodOptions       *PaymentMethodOptions `form:"payment_method_options"`
	PaymentMethod              *string               `form:"payment_method"`
	ConfirmationMethod         *string               `form:"confirmation_method"`
	Unset                      map[string]bool       `form:"-"`
	MetadataCleared            bool                  `form:"-"`
}

// AutomaticPMParams is automatic_payment_methods.
type AutomaticPMParams struct {
	Enabled        *bool   `form:"enabled"`
	AllowRedirects *string `form:"allow_redirects"`
}

// PaymentIntentCreateParams is POST /v1/payment_intents.
type PaymentIntentCreateParams struct {
	PaymentIntentFields   `form:"*"`
	Confirm               *bool   `form:"confirm"`
	ConfirmationToken     *string `form:"confirmation_token"`
	ErrorOnRequiresAction *bool   `form:"error_on_requires_action"`
	Mandate               any     `form:"mandate"`
	MandateData           any     `form:"mandate_data"`
	OffSession            *string `form:"off_session"`
	RadarOptions          any     `form:"radar_options"`
	ReturnURL             *string `form:"return_url"`
	UseStripeSDK          *bool   `form:"use_stripe_sdk"`
}

// PaymentIntentConfirmParams is POST /v1/payment_intents/{id}/confirm.
type PaymentIntentConfirmParams struct {
	PaymentMethodChoice        `form:"*"`
	CaptureMethod              *string         `form:"capture_method"`
	ErrorOnRequiresAction      *bool           `form:"error_on_requires_action"`
	ExcludedPaymentMethodTypes []string        `form:"excluded_payment_method_types"`
	Mandate                    any             `form:"mandate"`
	OffSession                 *string         `form:"off_session"`
	PaymentMethodTypes         []string        `form:"payment_method_types"`
	AllowedPaymentMethodTypes  []string        `form:"allowed_payment_method_types"`
	RadarOptions               any             `form:"radar_options"`
	ReceiptEmail               *string         `form:"receipt_email"`
	SetupFutureUsage           *string         `form:"setup_future_usage"`
	Shipping                   *ShippingParams `form:"shipping"`
	AmountDetails              any             `form:"amount_details"`
	PaymentDetails             any             `form:"payment_details"`
	Hooks                      any             `form:"hooks"`
	// Stripe.js telemetry on client-side confirms.
	ExpectedPaymentMethodType any  `form:"expected_payment_method_type"`
	Key                       any  `form:"key"`
	UnsetSetupFutureUsage     bool `form:"-"`
}

// PaymentIntentCaptureParams is POST /v1/payment_intents/{id}/capture.
type PaymentIntentCaptureParams struct {
	AmountToCapture           *int64            `form:"amount_to_capture"`
	FinalCapture              *bool             `form:"final_capture"`
	Metadata                  map[string]string `form:"metadata"`
	StatementDescriptor       *string           `form:"statement_descriptor"`
	StatementDescriptorSuffix *string           `form:"statement_descriptor_suffix"`
	ApplicationFeeAmount      *int64            `form:"application_fee_amount"`
	TransferData              any               `form:"transfer_data"`
	AmountDetails             any               `form:"amount_details"`
	PaymentDetails            any               `form:"payment_details"`
	Hooks                     any               `form:"hooks"`
}

// CancelParams is POST …/cancel for both intents.
type CancelParams struct {
	CancellationReason *string `form:"cancellation_reason"`
}

// RetrieveIntentParams is GET …/{id}: a client secret with a publishable key.
type RetrieveIntentParams struct {
	ClientSecret *string           `form:"client_secret"`
	Metadata     map[string]string `form:"metadata"`
}

// PaymentIntentListParams is GET /v1/payment_intents.
type PaymentIntentListParams struct {
	Customer        *string `form:"customer"`
	CustomerAccount any     `form:"customer_account"`
}
