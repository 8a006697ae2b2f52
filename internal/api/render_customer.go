package api

import (
	"github.com/tenderpay/tender/internal/payments"
)

// customerJSON is a Customer on the wire: every field Stripe returns, in
// Stripe's order, null when empty.
type customerJSON struct {
	ID                  string              `json:"id"`
	Object              string              `json:"object"`
	Address             *addressJSON        `json:"address"`
	Balance             int64               `json:"balance"`
	BusinessName        *string             `json:"business_name"`
	Created             int64               `json:"created"`
	Currency            *string             `json:"currency"`
	CustomerAccount     *string             `json:"customer_account"`
	DefaultSource       any                 `json:"default_source"`
	Delinquent          bool                `json:"delinquent"`
	Description         *string             `json:"description"`
	Discount            any                 `json:"discount"`
	Email               *string             `json:"email"`
	IndividualName      *string             `json:"individual_name"`
	InvoicePrefix       string              `json:"invoice_prefix"`
	InvoiceSettings     invoiceSettingsJSON `json:"invoice_settings"`
	Livemode            bool                `json:"livemode"`
	Metadata            map[string]string   `json:"metadata"`
	Name                *string             `json:"name"`
	NextInvoiceSequence int64               `json:"next_invoice_sequence"`
	Phone               *string             `json:"phone"`
	PreferredLocales    []string            `json:"preferred_locales"`
	Shipping            *shippingJSON       `json:"shipping"`
	TaxExempt           string              `json:"tax_exempt"`
	TestClock           any                 `json:"test_clock"`

	// Includable lists, present only when expanded.
	Sources       *listJSON `json:"sources,omitempty"`
	Subscriptions *listJSON `json:"subscriptions,omitempty"`
	TaxIDs        *listJSON `json:"tax_ids,omitempty"`
}

type invoiceSettingsJSON struct {
	CustomFields         []payments.CustomField `json:"custom_fields"`
	DefaultPaymentMethod any                    `json:"default_payment_method"`
	Footer               *string                `json:"footer"`
	RenderingOptions     any                    `json:"rendering_options"`
}

func (rd *renderer) customer(c *payments.Customer, exp expansion) (*customerJSON, error) {
	out := &customerJSON{
		ID:                  c.ID,
		Object:              "customer",
		Address:             renderAddress(c.Address),
		Balance:             c.Balance,
		BusinessName:        nullable(c.BusinessName),
		Created:             c.Created,
		Currency:            nullable(c.Currency),
		Description:         nullable(c.Description),
		Email:               nullable(c.Email),
		IndividualName:      nullable(c.IndividualName),
		InvoicePrefix:       c.InvoicePrefix,
		Livemode:            c.Livemode,
		Metadata:            c.Metadata,
		Name:                nullable(c.Name),
		NextInvoiceSequence: c.NextInvoiceSequence,
		Phone:               nullable(c.Phone),
		PreferredLocales:    c.PreferredLocales,
		Shipping:            renderShipping(c.Shipping),
		TaxExempt:           c.TaxExempt,
		InvoiceSettings: invoiceSettingsJSON{
			CustomFields: c.InvoiceCustomFields,
			Footer:       nullable(c.InvoiceFooter),
		},
	}
	if out.Metadata == nil {
		out.Metadata = map[string]string{}
	}
	if out.PreferredLocales == nil {
		out.PreferredLocales = []string{}
	}
	var err error
	if out.InvoiceSettings.DefaultPaymentMethod, err = rd.paymentMethodRef(c.DefaultPaymentMethod, exp["invoice_settings.default_payment_method"]); err != nil {
		return nil, err
	}
	url := "/v1/customers/" + c.ID
	if exp.has("sources") {
		out.Sources = newList[any](url+"/sources", nil, false)
	}
	if exp.has("subscriptions") {
		out.Subscriptions = newList[any](url+"/subscriptions", nil, false)
	}
	if exp.has("tax_ids") {
		out.TaxIDs = newList[any](url+"/tax_ids", nil, false)
	}
	return out, nil
}
