package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tenderpay/tender/internal/network"
)

var allowRedisplayValues = []string{"always", "limited", "unspecified"}

// CreatePaymentMethod creates a PaymentMethod from payment_method_data
// (param is the prefix errors name, "" for the top level). Card data is
// read, checked and forgotten here; only what the card-data rule allows is
// kept. It returns a KindDeclined error for a card the network refuses at
// creation, such as a number that fails the Luhn check.
func (svc *Service) CreatePaymentMethod(ctx context.Context, tx Tx, a *Account, d *PaymentMethodData, param string) (*PaymentMethod, error) {
	typ := ""
	if d.Type != nil {
		typ = *d.Type
	}
	if typ == "" {
		return nil, Invalid("parameter_missing", join(param, "type"), "Missing required param: %s.", join(param, "type"))
	}
	if err := checkTypeEnabled(a, typ, join(param, "type")); err != nil {
		return nil, err
	}
	if typ != "card" {
		return svc.createBankMethod(ctx, tx, a, typ, d, param)
	}
	if d.Card == nil {
		return nil, Invalid("parameter_missing", join(param, "card"), "Missing required param: %s.", join(param, "card"))
	}
	pm := &PaymentMethod{
		ID:             NewID("pm"),
		Type:           "card",
		Created:        tx.Now().Unix(),
		Livemode:       a.Livemode,
		AllowRedisplay: "unspecified",
		Metadata:       map[string]string{},
	}
	if err := applyBillingDetails(&pm.BillingDetails, d.BillingDetails); err != nil {
		return nil, err
	}
	card, number, err := svc.parseCard(tx, a, d.Card, join(param, "card"))
	if err != nil {
		return nil, err
	}
	pm.Card = cardFromNetwork(card, network.Fingerprint(a.FingerprintSecret, number), pm.BillingDetails, false)
	if d.AllowRedisplay != nil && *d.AllowRedisplay != "" {
		if !oneOf(*d.AllowRedisplay, allowRedisplayValues...) {
			return nil, invalidEnum(join(param, "allow_redisplay"), *d.AllowRedisplay, allowRedisplayValues)
		}
		pm.AllowRedisplay = *d.AllowRedisplay
	}
	if pm.Metadata, err = applyMetadata(nil, d.Metadata, false); err != nil {
		return nil, err
	}
	if err := tx.InsertPaymentMethod(ctx, a.Scope, pm); err != nil {
		return nil, err
	}
	return pm, nil
}

// parseCard turns card[...] into a network card and its digits, which the
// caller uses for the fingerprint and then drops.
func (svc *Service) parseCard(tx Tx, a *Account, c *CardParams, param string) (network.Card, string, error) {
	if c.Token != nil && *c.Token != "" {
		card, ok := network.LookupTestTokenAt(*c.Token, tx.Now())
		if !ok {
			return card, "", NotFound("token", *c.Token, join(param, "token"))
		}
		n, _ := card.Number()
		return card, n.Digits(), nil
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"number", c.Number != nil && *c.Number != ""}, {"exp_month", c.ExpMonth != nil}, {"exp_year", c.ExpYear != nil}} {
		if !f.set {
			return network.Card{}, "", Invalid("parameter_missing", join(param, f.name), "Missing required param: %s.", join(param, f.name))
		}
	}
	if a.Livemode && !a.Publishable {
		return network.Card{}, "", Invalid("", join(param, "number"),
			"Sending credit card numbers directly to the Stripe API is generally unsafe. Use a publishable key from the browser instead.")
	}
	cvc := ""
	if c.CVC != nil {
		cvc = *c.CVC
	}
	card, err := network.ParseCard(network.NewCardDetails(*c.Number, int(*c.ExpMonth), int(*c.ExpYear), cvc), tx.Now())
	if err != nil {
		var ce *network.CardError
		if asCardError(err, &ce) {
			return card, "", &Error{Kind: KindDeclined, Code: ce.Code, Param: ce.Param, Message: ce.Message}
		}
		return card, "", err
	}
	return card, network.NormalizeNumber(*c.Number), nil
}

// cardFromNetwork keeps what may be stored of a card.
func cardFromNetwork(c network.Card, fingerprint string, bd BillingDetails, magic bool) *Card {
	provided := network.Provided{CVC: c.CVCProvided, AddressLine1: magic, AddressPostalCode: magic}
	if bd.Address != nil {
		provided.AddressLine1 = provided.AddressLine1 || bd.Address.Line1 != ""
		provided.AddressPostalCode = provided.AddressPostalCode || bd.Address.PostalCode != ""
	}
	checks := c.Behaviour.Checks(provided)
	return &Card{
		Brand:             string(c.Brand),
		DisplayBrand:      c.Brand.DisplayBrand(),
		Country:           c.Country,
		ExpMonth:          c.ExpMonth,
		ExpYear:           c.ExpYear,
		Fingerprint:       fingerprint,
		Funding:           string(c.Funding),
		Last4:             c.Last4,
		Network:           c.Brand.Network(),
		CVCCheck:          string(checks.CVC),
		AddressLine1Check: string(checks.AddressLine1),
		PostalCodeCheck:   string(checks.AddressPostalCode),
		ThreeDSecure:      c.ThreeDSecureSupported(),
		Behaviour:         string(c.Behaviour),
		CVCProvided:       c.CVCProvided,
		AddressChecked:    magic,
	}
}

// ResolvePaymentMethod finds the PaymentMethod a parameter names. A magic
// test id (pm_card_visa, …) creates a fresh clone on every use, as Stripe
// does.
func (svc *Service) ResolvePaymentMethod(ctx context.Context, tx Tx, a *Account, id, param string) (*PaymentMethod, error) {
	if card, ok := network.LookupMagicPaymentMethodAt(id, tx.Now()); ok {
		n, _ := card.Number()
		pm := &PaymentMethod{
			ID: NewID("pm"), Type: "card", Created: tx.Now().Unix(), Livemode: a.Livemode,
			AllowRedisplay: "unspecified", Metadata: map[string]string{},
			Card: cardFromNetwork(card, network.Fingerprint(a.FingerprintSecret, n.Digits()), BillingDetails{}, true),
		}
		if err := tx.InsertPaymentMethod(ctx, a.Scope, pm); err != nil {
			return nil, err
		}
		return pm, nil
	}
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "PaymentMethod", id, param)
	}
	return pm, nil
}

// GetPaymentMethod returns a PaymentMethod by id.
func GetPaymentMethod(ctx context.Context, tx Tx, a *Account, id, param string) (*PaymentMethod, error) {
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, id, false)
	if err != nil {
		return nil, notFoundAs(err, "PaymentMethod", id, param)
	}
	return pm, nil
}

// UpdatePaymentMethod changes billing details, expiry, redisplay consent or
// metadata.
func UpdatePaymentMethod(ctx context.Context, tx Tx, a *Account, id string, p *PaymentMethodUpdateParams) (*PaymentMethod, error) {
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "PaymentMethod", id, "id")
	}
	before := *pm
	if p.AllowRedisplay != nil && *p.AllowRedisplay != "" {
		if !oneOf(*p.AllowRedisplay, allowRedisplayValues...) {
			return nil, invalidEnum("allow_redisplay", *p.AllowRedisplay, allowRedisplayValues)
		}
		pm.AllowRedisplay = *p.AllowRedisplay
	}
	if err := applyBillingDetails(&pm.BillingDetails, p.BillingDetails); err != nil {
		return nil, err
	}
	if p.Card != nil && pm.Card != nil {
		c := *pm.Card
		month, year := int64(c.ExpMonth), int64(c.ExpYear)
		if p.Card.ExpMonth != nil {
			month = *p.Card.ExpMonth
		}
		if p.Card.ExpYear != nil {
			year = *p.Card.ExpYear
		}
		y, err := network.ValidateExpiry(int(month), int(year), tx.Now())
		if err != nil {
			var ce *network.CardError
			if asCardError(err, &ce) {
				return nil, &Error{Kind: KindDeclined, Code: ce.Code, Param: "card[" + ce.Param + "]", Message: ce.Message}
			}
			return nil, err
		}
		c.ExpMonth, c.ExpYear = int(month), y
		pm.Card = &c
	}
	if pm.Metadata, err = applyMetadata(pm.Metadata, p.Metadata, p.MetadataCleared); err != nil {
		return nil, err
	}
	if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "payment_method.updated", Object: pm, Before: &before})
	return pm, nil
}

// AttachPaymentMethod attaches a PaymentMethod (or a fresh clone of a magic
// test id) to a customer.
func (svc *Service) AttachPaymentMethod(ctx context.Context, tx Tx, a *Account, id, customer string) (*PaymentMethod, error) {
	if customer == "" {
		return nil, Invalid("parameter_missing", "customer", "Missing required param: customer.")
	}
	if _, err := GetCustomer(ctx, tx, a, customer, "customer"); err != nil {
		return nil, err
	}
	pm, err := svc.ResolvePaymentMethod(ctx, tx, a, id, "payment_method")
	if err != nil {
		return nil, err
	}
	if err := attach(ctx, tx, a, pm, customer); err != nil {
		return nil, err
	}
	return pm, nil
}

// attach makes customer the owner of pm, refusing a method that belongs to
// another customer or was used once without one.
func attach(ctx context.Context, tx Tx, a *Account, pm *PaymentMethod, customer string) error {
	switch {
	case pm.Customer == customer:
		return nil
	case pm.Customer != "":
		return Invalid("", "payment_method", "The payment method you provided has already been attached to a customer.")
	case pm.Used:
		return errSingleUse()
	}
	pm.Customer = customer
	if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
		return err
	}
	tx.Emit(Event{Type: "payment_method.attached", Object: pm})
	return nil
}

// DetachPaymentMethod detaches a PaymentMethod from its customer. A
// detached method cannot be used again.
func DetachPaymentMethod(ctx context.Context, tx Tx, a *Account, id string) (*PaymentMethod, error) {
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "PaymentMethod", id, "payment_method")
	}
	if pm.Customer == "" {
		return nil, Invalid("", "payment_method", "The payment method %s is not attached to a customer so detachment is impossible.", pm.ID)
	}
	owner := pm.Customer
	pm.Customer, pm.Used = "", true
	if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
		return nil, err
	}
	if c, err := tx.GetCustomer(ctx, a.Scope, owner); err == nil && c.DefaultPaymentMethod == pm.ID {
		before := *c
		c.DefaultPaymentMethod = ""
		if err := tx.UpdateCustomer(ctx, a.Scope, c); err != nil {
			return nil, err
		}
		tx.Emit(Event{Type: "customer.updated", Object: c, Before: &before})
	}
	tx.Emit(Event{Type: "payment_method.detached", Object: pm})
	return pm, nil
}

// ListPaymentMethods lists payment methods, optionally of one customer.
func ListPaymentMethods(ctx context.Context, tx Tx, a *Account, pg Page, p *PaymentMethodListParams) (ListResult[*PaymentMethod], error) {
	var f PaymentMethodFilter
	if p.Customer != nil && *p.Customer != "" {
		f.Customer = *p.Customer
		if _, err := GetCustomer(ctx, tx, a, f.Customer, "customer"); err != nil {
			return ListResult[*PaymentMethod]{}, err
		}
	}
	if p.Type != nil {
		f.Type = *p.Type
	}
	if p.AllowRedisplay != nil && *p.AllowRedisplay != "" {
		if !oneOf(*p.AllowRedisplay, allowRedisplayValues...) {
			return ListResult[*PaymentMethod]{}, invalidEnum("allow_redisplay", *p.AllowRedisplay, allowRedisplayValues)
		}
		f.AllowRedisplay = []string{*p.AllowRedisplay}
	}
	res, err := tx.ListPaymentMethods(ctx, a.Scope, pg, f)
	if err != nil {
		return res, PageError(err, pg)
	}
	return res, nil
}

func applyBillingDetails(bd *BillingDetails, p *BillingDetailsParams) error {
	if p == nil {
		return nil
	}
	if p.Address != nil {
		addr := *p.Address
		bd.Address = &addr
	}
	if p.Email != nil {
		if e := *p.Email; e != "" && !emailPattern.MatchString(e) {
			return Invalid("email_invalid", "billing_details[email]", "Invalid email address: %s", e)
		}
		bd.Email = *p.Email
	}
	setString(&bd.Name, p.Name)
	setString(&bd.Phone, p.Phone)
	setString(&bd.TaxID, p.TaxID)
	return nil
}

// checkTypeEnabled refuses a payment method type that is unknown or not
// enabled for the account.
func checkTypeEnabled(a *Account, typ, param string) error {
	for _, t := range a.Settings.EnabledTypes() {
		if t == typ {
			return nil
		}
	}
	if _, known := methodTypes[typ]; known {
		return Invalid("", param, "The payment method type %q is not enabled for this account. Enable it in the dashboard's payment method settings, or through /v1/payment_method_configurations.", typ)
	}
	return Invalid("", param, "The payment method type %q is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", typ)
}

func errSingleUse() error {
	return Invalid("resource_missing", "payment_method", "This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.")
}

func invalidEnum(param, got string, allowed []string) error {
	return Invalid("", param, "Invalid %s: must be one of %s", param, strings.Join(allowed, ", "))
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// join builds a bracketed parameter name: join("payment_method_data", "type")
// is "payment_method_data[type]"; an empty prefix gives the name alone.
func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return fmt.Sprintf("%s[%s]", prefix, name)
}

func asCardError(err error, ce **network.CardError) bool { return errors.As(err, ce) }

// UpdateCardDetails is the simulated network's card updater: the issuer
// reissued a saved card (reason "expired": a new expiry; "replaced": also a
// new number, so new last four and fingerprint). The PaymentMethod keeps
// its id and payment_method.automatically_updated is emitted.
func UpdateCardDetails(ctx context.Context, tx Tx, a *Account, id, reason string, month, year *int64) (*PaymentMethod, error) {
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, id, true)
	if err != nil {
		return nil, notFoundAs(err, "PaymentMethod", id, "id")
	}
	if pm.Card == nil {
		return nil, Invalid("", "id", "PaymentMethod %s is not a card.", id)
	}
	if !oneOf(reason, "expired", "replaced") {
		return nil, invalidEnum("reason", reason, []string{"expired", "replaced"})
	}
	before := *pm
	c := *pm.Card
	now := tx.Now()
	c.ExpMonth, c.ExpYear = int(now.Month()), now.Year()+4
	if month != nil {
		c.ExpMonth = int(*month)
	}
	if year != nil {
		c.ExpYear = int(*year)
	}
	if _, err := network.ValidateExpiry(c.ExpMonth, c.ExpYear, now); err != nil {
		return nil, Invalid("", "exp_year", "The new expiry must be in the future.")
	}
	if reason == "replaced" {
		// A new number of the same brand and behaviour; only its last four
		// and fingerprint are kept.
		c.Last4 = fmt.Sprintf("%04d", (atoiOr(c.Last4, 0)+1111)%10000)
		c.Fingerprint = network.Fingerprint(a.FingerprintSecret, pm.ID+"/"+c.Last4)
	}
	pm.Card = &c
	if err := tx.UpdatePaymentMethod(ctx, a.Scope, pm); err != nil {
		return nil, err
	}
	tx.Emit(Event{Type: "payment_method.automatically_updated", Object: pm, Before: &before})
	return pm, nil
}

func atoiOr(s string, def int) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return def
		}
		n = n*10 + int(r-'0')
	}
	return n
}
