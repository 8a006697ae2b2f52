package payments

// Customer is a Stripe Customer as Tender stores it. Empty strings render as
// null.
type Customer struct {
	ID                   string            `json:"id"`
	Livemode             bool              `json:"livemode"`
	Created              int64             `json:"created"`
	Address              *Address          `json:"address,omitempty"`
	Balance              int64             `json:"balance,omitempty"`
	BusinessName         string            `json:"business_name,omitempty"`
	IndividualName       string            `json:"individual_name,omitempty"`
	Currency             string            `json:"currency,omitempty"`
	Description          string            `json:"description,omitempty"`
	Email                string            `json:"email,omitempty"`
	Name                 string            `json:"name,omitempty"`
	Phone                string            `json:"phone,omitempty"`
	InvoicePrefix        string            `json:"invoice_prefix"`
	NextInvoiceSequence  int64             `json:"next_invoice_sequence"`
	DefaultPaymentMethod string            `json:"default_payment_method,omitempty"`
	InvoiceFooter        string            `json:"invoice_footer,omitempty"`
	InvoiceCustomFields  []CustomField     `json:"invoice_custom_fields,omitempty"`
	Metadata             map[string]string `json:"metadata"`
	PreferredLocales     []string          `json:"preferred_locales"`
	Shipping             *Shipping         `json:"shipping,omitempty"`
	TaxExempt            string            `json:"tax_exempt"`
	Deleted              bool              `json:"deleted,omitempty"`
}

// Address is a postal address; every part is optional.
type Address struct {
	City       string `json:"city,omitempty" form:"city"`
	Country    string `json:"country,omitempty" form:"country"`
	Line1      string `json:"line1,omitempty" form:"line1"`
	Line2      string `json:"line2,omitempty" form:"line2"`
	PostalCode string `json:"postal_code,omitempty" form:"postal_code"`
	State      string `json:"state,omitempty" form:"state"`
}

// Shipping is a name, phone and address to ship to.
type Shipping struct {
	Address Address `json:"address"`
	Name    string  `json:"name"`
	Phone   string  `json:"phone,omitempty"`
}

// CustomField is one of an invoice's custom name/value pairs.
type CustomField struct {
	Name  string `json:"name" form:"name"`
	Value string `json:"value" form:"value"`
}

// CustomerParams are the parameters of customer create and update, as the
// official SDKs send them. Parameters Tender stores nothing for are accepted
// with type any so that no real integration breaks on them.
type CustomerParams struct {
	Address             *Address               `form:"address"`
	Balance             *int64                 `form:"balance"`
	BusinessName        *string                `form:"business_name"`
	CashBalance         any                    `form:"cash_balance"`
	Coupon              *string                `form:"coupon"`
	DefaultSource       *string                `form:"default_source"`
	Description         *string                `form:"description"`
	Email               *string                `form:"email"`
	IndividualName      *string                `form:"individual_name"`
	InvoicePrefix       *string                `form:"invoice_prefix"`
	InvoiceSettings     *InvoiceSettingsParams `form:"invoice_settings"`
	Metadata            map[string]string      `form:"metadata"`
	Name                *string                `form:"name"`
	NextInvoiceSequence *int64                 `form:"next_invoice_sequence"`
	PaymentMethod       *string                `form:"payment_method"`
	Phone               *string                `form:"phone"`
	PreferredLocales    []string               `form:"preferred_locales"`
	PromotionCode       *string                `form:"promotion_code"`
	Shipping            *ShippingParams        `form:"shipping"`
	Source              *string                `form:"source"`
	Tax                 any                    `form:"tax"`
	TaxExempt           *string                `form:"tax_exempt"`
	TaxIDData           any                    `form:"tax_id_data"`
	TestClock           *string                `form:"test_clock"`
	Validate            *bool                  `form:"validate"`

	// Which object-valued parameters were sent as an empty string, Stripe's
	// way of unsetting them. Filled by the caller from the raw form.
	Unset map[string]bool `form:"-"`
	// MetadataCleared is true when `metadata=` cleared every key.
	MetadataCleared bool `form:"-"`
}

// InvoiceSettingsParams is customer.invoice_settings.
type InvoiceSettingsParams struct {
	CustomFields         []CustomField `form:"custom_fields"`
	DefaultPaymentMethod *string       `form:"default_payment_method"`
	Footer               *string       `form:"footer"`
	RenderingOptions     any           `form:"rendering_options"`
}

// ShippingParams is customer.shipping.
type ShippingParams struct {
	Address *Address `form:"address"`
	Name    *string  `form:"name"`
	Phone   *string  `form:"phone"`
}

// CustomerListParams filters a customer list.
type CustomerListParams struct {
	Email     *string `form:"email"`
	TestClock *string `form:"test_clock"`
}
