package payments

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

var (
	emailPattern         = regexp.MustCompile(`^[^\s@]+@[^\s@]+$`)
	invoicePrefixPattern = regexp.MustCompile(`^[A-Z0-9]{3,12}$`)
)

// CreateCustomer creates a customer. It returns KindInvalid errors for bad
// values and KindNotFound for a payment method that does not exist.
func (svc *Service) CreateCustomer(ctx context.Context, tx Tx, a *Account, p *CustomerParams) (*Customer, error) {
	c := &Customer{
		ID:                  NewID("cus"),
		Livemode:            a.Livemode,
		Created:             tx.Now().Unix(),
		InvoicePrefix:       strings.ToUpper(RandomString(8)),
		NextInvoiceSequence: 1,
		Metadata:            map[string]string{},
		PreferredLocales:    []string{},
		TaxExempt:           "none",
	}
	attachPM, err := svc.applyCustomerParams(ctx, tx, a, c, p)
	if err != nil {
		return nil, err
	}
	if err := tx.InsertCustomer(ctx, a.Scope, c); err != nil {
		return nil, fmt.Errorf("insert customer: %w", err)
	}
	tx.Emit(Event{Type: "customer.created", Object: c})
	if attachPM != "" {
		if _, err := svc.AttachPaymentMethod(ctx, tx, a, attachPM, c.ID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// GetCustomer returns the customer with id, or a NotFound error naming param.
func GetCustomer(ctx context.Context, tx Tx, a *Account, id, param string) (*Customer, error) {
	c, err := tx.GetCustomer(ctx, a.Scope, id)
	if err != nil {
		return nil, notFoundAs(err, "customer", id, param)
	}
	return c, nil
}

// UpdateCustomer applies p to the customer with id.
func (svc *Service) UpdateCustomer(ctx context.Context, tx Tx, a *Account, id string, p *CustomerParams) (*Customer, error) {
	c, err := GetCustomer(ctx, tx, a, id, "id")
	if err != nil {
		return nil, err
	}
	before := *c
	attachPM, err := svc.applyCustomerParams(ctx, tx, a, c, p)
	if err != nil {
		return nil, err
	}
	if err := tx.UpdateCustomer(ctx, a.Scope, c); err != nil {
		return nil, fmt.Errorf("update customer: %w", err)
	}
	tx.Emit(Event{Type: "customer.updated", Object: c, Before: &before})
	if attachPM != "" {
		if _, err := svc.AttachPaymentMethod(ctx, tx, a, attachPM, c.ID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// DeleteCustomer marks the customer deleted; later reads answer NotFound.
func DeleteCustomer(ctx context.Context, tx Tx, a *Account, id string) (*Customer, error) {
	c, err := GetCustomer(ctx, tx, a, id, "id")
	if err != nil {
		return nil, err
	}
	c.Deleted = true
	if err := tx.UpdateCustomer(ctx, a.Scope, c); err != nil {
		return nil, fmt.Errorf("delete customer: %w", err)
	}
	tx.Emit(Event{Type: "customer.deleted", Object: c})
	return c, nil
}

// ListCustomers returns one page of the scope's customers, optionally only
// those with an email address.
func ListCustomers(ctx context.Context, tx Tx, a *Account, pg Page, p *CustomerListParams) (ListResult[*Customer], error) {
	email := ""
	if p.Email != nil {
		email = *p.Email
	}
	res, err := tx.ListCustomers(ctx, a.Scope, pg, email)
	if err != nil {
		return res, PageError(err, pg)
	}
	return res, nil
}

func (svc *Service) applyCustomerParams(ctx context.Context, tx Tx, a *Account, c *Customer, p *CustomerParams) (attachPM string, err error) {
	if p.Email != nil {
		e := *p.Email
		if e != "" && (len(e) > 512 || !emailPattern.MatchString(e)) {
			return "", Invalid("email_invalid", "email", "Invalid email address: %s", e)
		}
		c.Email = e
	}
	setString(&c.Name, p.Name)
	setString(&c.Description, p.Description)
	setString(&c.Phone, p.Phone)
	setString(&c.BusinessName, p.BusinessName)
	setString(&c.IndividualName, p.IndividualName)
	if p.Balance != nil {
		c.Balance = *p.Balance
	}
	if p.InvoicePrefix != nil && *p.InvoicePrefix != "" {
		if !invoicePrefixPattern.MatchString(*p.InvoicePrefix) {
			return "", Invalid("", "invoice_prefix", "Invoice prefix must be 3 to 12 uppercase letters or numbers.")
		}
		c.InvoicePrefix = *p.InvoicePrefix
	}
	if p.NextInvoiceSequence != nil {
		if *p.NextInvoiceSequence < 1 {
			return "", Invalid("", "next_invoice_sequence", "This value must be greater than or equal to 1.")
		}
		c.NextInvoiceSequence = *p.NextInvoiceSequence
	}
	if p.TaxExempt != nil {
		switch v := *p.TaxExempt; v {
		case "none", "exempt", "reverse":
			c.TaxExempt = v
		case "":
			c.TaxExempt = "none"
		default:
			return "", Invalid("", "tax_exempt", "Invalid tax_exempt: must be one of none, exempt, or reverse")
		}
	}
	if p.Unset["address"] {
		c.Address = nil
	} else if p.Address != nil {
		a := *p.Address
		c.Address = &a
	}
	if p.Unset["shipping"] {
		c.Shipping = nil
	} else if sp := p.Shipping; sp != nil {
		if sp.Name == nil || *sp.Name == "" {
			return "", Invalid("parameter_missing", "shipping[name]", "Missing required param: shipping[name].")
		}
		if sp.Address == nil {
			return "", Invalid("parameter_missing", "shipping[address]", "Missing required param: shipping[address].")
		}
		sh := &Shipping{Address: *sp.Address, Name: *sp.Name}
		if sp.Phone != nil {
			sh.Phone = *sp.Phone
		}
		c.Shipping = sh
	}
	if p.Unset["preferred_locales"] {
		c.PreferredLocales = []string{}
	} else if p.PreferredLocales != nil {
		c.PreferredLocales = append([]string{}, p.PreferredLocales...)
	}
	if p.Unset["invoice_settings"] {
		c.InvoiceFooter, c.InvoiceCustomFields, c.DefaultPaymentMethod = "", nil, ""
	} else if is := p.InvoiceSettings; is != nil {
		setString(&c.InvoiceFooter, is.Footer)
		if p.Unset["invoice_settings[custom_fields]"] {
			c.InvoiceCustomFields = nil
		} else if is.CustomFields != nil {
			c.InvoiceCustomFields = append([]CustomField(nil), is.CustomFields...)
		}
		if is.DefaultPaymentMethod != nil {
			if err := setDefaultPaymentMethod(ctx, tx, a, c, *is.DefaultPaymentMethod); err != nil {
				return "", err
			}
		}
	}
	md, err := applyMetadata(c.Metadata, p.Metadata, p.MetadataCleared)
	if err != nil {
		return "", err
	}
	c.Metadata = md
	if p.PaymentMethod != nil {
		return *p.PaymentMethod, nil
	}
	return "", nil
}

// setDefaultPaymentMethod checks that pm is attached to c before making it
// the default; an empty pm unsets the default.
func setDefaultPaymentMethod(ctx context.Context, tx Tx, a *Account, c *Customer, pm string) error {
	if pm == "" {
		c.DefaultPaymentMethod = ""
		return nil
	}
	m, err := tx.GetPaymentMethod(ctx, a.Scope, pm, false)
	if err != nil || m.Customer != c.ID {
		return Invalid("", "invoice_settings[default_payment_method]",
			"The customer does not have a payment method with the ID %s. The payment method must be attached to the customer.", pm)
	}
	c.DefaultPaymentMethod = pm
	return nil
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// PageError turns a store's ErrNotFound for a list cursor into Stripe's error
// naming the cursor parameter.
func PageError(err error, pg Page) error {
	switch {
	case pg.StartingAfter != "":
		return notFoundAs(err, "object", pg.StartingAfter, "starting_after")
	case pg.EndingBefore != "":
		return notFoundAs(err, "object", pg.EndingBefore, "ending_before")
	}
	return err
}
