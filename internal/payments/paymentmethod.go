package payments

// PaymentMethod is a stored means of payment. For cards, only what
// DESIGN.md's card-data rule allows is kept: never the number or CVC.
type PaymentMethod struct {
	ID             string            `json:"id"`
	Type           string            `json:"type"`
	Created        int64             `json:"created"`
	Livemode       bool              `json:"livemode"`
	Customer       string            `json:"customer,omitempty"`
	AllowRedisplay string            `json:"allow_redisplay"`
	BillingDetails BillingDetails    `json:"billing_details"`
	Card           *Card             `json:"card,omitempty"`
	BankAccount    *BankAccount      `json:"bank_account,omitempty"`
	Ideal          *Ideal            `json:"ideal,omitempty"`
	Metadata       map[string]string `json:"metadata"`
	// Mandate is the latest debit mandate accepted for this method.
	Mandate string `json:"mandate,omitempty"`

	// Used records that the method paid or was set up without a customer:
	// such a method may not be used again (Stripe's single-use rule).
	Used bool `json:"used,omitempty"`
	// SetUpForOffSession records a successful SetupIntent or off-session
	// setup_future_usage payment, which changes later 3DS decisions.
	SetUpForOffSession bool `json:"set_up_for_off_session,omitempty"`
}

// Card is what Tender keeps of a card.
type Card struct {
	Brand        string `json:"brand"`
	DisplayBrand string `json:"display_brand"`
	Country      string `json:"country"`
	ExpMonth     int    `json:"exp_month"`
	ExpYear      int    `json:"exp_year"`
	Fingerprint  string `json:"fingerprint"`
	Funding      string `json:"funding"`
	Last4        string `json:"last4"`
	Network      string `json:"network"`
	// Checks are the results of the CVC and address checks, "" for null.
	CVCCheck          string `json:"cvc_check,omitempty"`
	AddressLine1Check string `json:"address_line1_check,omitempty"`
	PostalCodeCheck   string `json:"address_postal_code_check,omitempty"`
	ThreeDSecure      bool   `json:"three_d_secure_supported"`
	// Behaviour is the simulated network's name for how this card acts.
	Behaviour string `json:"behaviour"`
	// CVCProvided says a CVC came with the card when it was created.
	CVCProvided bool `json:"cvc_provided,omitempty"`
	// AddressChecked makes the address checks run without billing details:
	// magic test ids stand for cards whose address the issuer checks, as
	// their CVC counts as given.
	AddressChecked bool `json:"address_checked,omitempty"`
}

// BankAccount is what is kept of a sepa_debit or us_bank_account method:
// never the full account number.
type BankAccount struct {
	Country           string `json:"country,omitempty"`
	BankCode          string `json:"bank_code,omitempty"`
	BranchCode        string `json:"branch_code,omitempty"`
	BankName          string `json:"bank_name,omitempty"`
	RoutingNumber     string `json:"routing_number,omitempty"`
	AccountHolderType string `json:"account_holder_type,omitempty"`
	AccountType       string `json:"account_type,omitempty"`
	Fingerprint       string `json:"fingerprint"`
	Last4             string `json:"last4"`
	// Outcome is how the simulated bank settles debits from this account.
	Outcome DebitOutcome `json:"outcome"`
}

// DebitOutcome is the stored form of the simulator's decision.
type DebitOutcome struct {
	Succeeds       bool   `json:"succeeds"`
	Late           bool   `json:"late,omitempty"`
	FailureCode    string `json:"failure_code,omitempty"`
	FailureMessage string `json:"failure_message,omitempty"`
}

// Ideal is an iDEAL method: the customer's bank.
type Ideal struct {
	Bank string `json:"bank,omitempty"`
	BIC  string `json:"bic,omitempty"`
}

// BillingDetails are the payer's contact details.
type BillingDetails struct {
	Address *Address `json:"address,omitempty" form:"address"`
	Email   string   `json:"email,omitempty" form:"email"`
	Name    string   `json:"name,omitempty" form:"name"`
	Phone   string   `json:"phone,omitempty" form:"phone"`
	TaxID   string   `json:"tax_id,omitempty" form:"tax_id"`
}

// CardParams is raw card data from a form. It is turned into a Card and
// forgotten within the request that carries it.
type CardParams struct {
	Number   *string `form:"number"`
	ExpMonth *int64  `form:"exp_month"`
	ExpYear  *int64  `form:"exp_year"`
	CVC      *string `form:"cvc"`
	Token    *string `form:"token"`
	Networks any     `form:"networks"`
}

// String keeps the number and CVC out of logs and error messages.
func (CardParams) String() string { return "card[redacted]" }

// PaymentMethodData is payment_method_data: a PaymentMethod to create as
// part of another call, or the body of PaymentMethod create.
type PaymentMethodData struct {
	Type           *string               `form:"type"`
	Card           *CardParams           `form:"card"`
	BillingDetails *BillingDetailsParams `form:"billing_details"`
	AllowRedisplay *string               `form:"allow_redisplay"`
	Metadata       map[string]string     `form:"metadata"`
	RadarOptions   any                   `form:"radar_options"`
	Ideal          *struct {
		Bank *string `form:"bank"`
	} `form:"ideal"`
	SEPADebit *struct {
		IBAN *string `form:"iban"`
	} `form:"sepa_debit"`
	USBankAccount *struct {
		AccountNumber              *string `form:"account_number"`
		RoutingNumber              *string `form:"routing_number"`
		AccountHolderType          *string `form:"account_holder_type"`
		AccountType                *string `form:"account_type"`
		FinancialConnectionsAcount any     `form:"financial_connections_account"`
	} `form:"us_bank_account"`
	Klarna        map[string]any `form:"klarna"`
	Bancontact    map[string]any `form:"bancontact"`
	OtherTypeData `form:"*"`
	// Browser telemetry that Stripe.js sends with payment details.
	GUID             any `form:"guid"`
	MUID             any `form:"muid"`
	SID              any `form:"sid"`
	TimeOnPage       any `form:"time_on_page"`
	PaymentUserAgent any `form:"payment_user_agent"`
	Referrer         any `form:"referrer"`
}

// BillingDetailsParams is billing_details in requests.
type BillingDetailsParams struct {
	Address *Address `form:"address"`
	Email   *string  `form:"email"`
	Name    *string  `form:"name"`
	Phone   *string  `form:"phone"`
	TaxID   *string  `form:"tax_id"`
}

// PaymentMethodCreateParams is POST /v1/payment_methods.
type PaymentMethodCreateParams struct {
	PaymentMethodData `form:"*"`
	Customer          *string `form:"customer"`
	PaymentMethod     *string `form:"payment_method"`
}

// PaymentMethodUpdateParams is POST /v1/payment_methods/{id}.
type PaymentMethodUpdateParams struct {
	AllowRedisplay *string               `form:"allow_redisplay"`
	BillingDetails *BillingDetailsParams `form:"billing_details"`
	Card           *struct {
		ExpMonth *int64 `form:"exp_month"`
		ExpYear  *int64 `form:"exp_year"`
		Networks any    `form:"networks"`
	} `form:"card"`
	Metadata        map[string]string `form:"metadata"`
	MetadataCleared bool              `form:"-"`
	PayByBank       any               `form:"pay_by_bank"`
	Payto           any               `form:"payto"`
	USBankAccount   any               `form:"us_bank_account"`
}

// PaymentMethodListParams filters GET /v1/payment_methods and
// GET /v1/customers/{id}/payment_methods.
type PaymentMethodListParams struct {
	Customer        *string `form:"customer"`
	CustomerAccount *string `form:"customer_account"`
	Type            *string `form:"type"`
	AllowRedisplay  *string `form:"allow_redisplay"`
}
