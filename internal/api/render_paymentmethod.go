package api

import (
	"github.com/tenderpay/tender/internal/payments"
)

type billingDetailsJSON struct {
	Address *addressJSON `json:"address"`
	Email   *string      `json:"email"`
	Name    *string      `json:"name"`
	Phone   *string      `json:"phone"`
	TaxID   *string      `json:"tax_id"`
}

func renderBillingDetails(b payments.BillingDetails) billingDetailsJSON {
	addr := b.Address
	if addr == nil {
		addr = &payments.Address{}
	}
	return billingDetailsJSON{Address: renderAddress(addr), Email: nullable(b.Email), Name: nullable(b.Name),
		Phone: nullable(b.Phone), TaxID: nullable(b.TaxID)}
}

type checksJSON struct {
	AddressLine1Check      *string `json:"address_line1_check"`
	AddressPostalCodeCheck *string `json:"address_postal_code_check"`
	CVCCheck               *string `json:"cvc_check"`
}

type cardJSON struct {
	Brand             string       `json:"brand"`
	Checks            checksJSON   `json:"checks"`
	Country           *string      `json:"country"`
	DisplayBrand      string       `json:"display_brand"`
	ExpMonth          int          `json:"exp_month"`
	ExpYear           int          `json:"exp_year"`
	Fingerprint       *string      `json:"fingerprint"`
	Funding           string       `json:"funding"`
	GeneratedFrom     any          `json:"generated_from"`
	Last4             string       `json:"last4"`
	Networks          networksJSON `json:"networks"`
	RegulatedStatus   string       `json:"regulated_status"`
	ThreeDSecureUsage struct {
		Supported bool `json:"supported"`
	} `json:"three_d_secure_usage"`
	Wallet any `json:"wallet"`
}

type networksJSON struct {
	Available []string `json:"available"`
	Preferred *string  `json:"preferred"`
}

func renderCard(c *payments.Card) *cardJSON {
	if c == nil {
		return nil
	}
	out := &cardJSON{
		Brand: c.Brand, Country: nullable(c.Country), DisplayBrand: c.DisplayBrand, ExpMonth: c.ExpMonth, ExpYear: c.ExpYear,
		Fingerprint: nullable(c.Fingerprint), Funding: c.Funding, Last4: c.Last4, RegulatedStatus: "unregulated",
		Checks:   checksJSON{nullable(c.AddressLine1Check), nullable(c.PostalCodeCheck), nullable(c.CVCCheck)},
		Networks: networksJSON{Available: []string{c.Network}},
	}
	out.ThreeDSecureUsage.Supported = c.ThreeDSecure
	return out
}

// paymentMethodJSON is a PaymentMethod on the wire. Only the hash of its
// own type is present, as Stripe sends it.
type paymentMethodJSON struct {
	ID              string             `json:"id"`
	Object          string             `json:"object"`
	AllowRedisplay  string             `json:"allow_redisplay"`
	BillingDetails  billingDetailsJSON `json:"billing_details"`
	Card            *cardJSON          `json:"card,omitempty"`
	SEPADebit       any                `json:"sepa_debit,omitempty"`
	USBankAccount   any                `json:"us_bank_account,omitempty"`
	Ideal           any                `json:"ideal,omitempty"`
	Bancontact      any                `json:"bancontact,omitempty"`
	Klarna          any                `json:"klarna,omitempty"`
	Created         int64              `json:"created"`
	Customer        any                `json:"customer"`
	CustomerAccount *string            `json:"customer_account"`
	Livemode        bool               `json:"livemode"`
	Metadata        map[string]string  `json:"metadata"`
	Type            string             `json:"type"`
}

func (rd *renderer) paymentMethod(pm *payments.PaymentMethod, exp expansion) (*paymentMethodJSON, error) {
	out := &paymentMethodJSON{
		ID: pm.ID, Object: "payment_method", AllowRedisplay: pm.AllowRedisplay, BillingDetails: renderBillingDetails(pm.BillingDetails),
		Card: renderCard(pm.Card), Created: pm.Created, Livemode: pm.Livemode, Metadata: orEmpty(pm.Metadata), Type: pm.Type,
	}
	out.SEPADebit, out.USBankAccount, out.Ideal, out.Bancontact, out.Klarna = typeHashes(pm.Type, pm.BankAccount, pm.Ideal)
	var err error
	if out.Customer, err = rd.customerRef(pm.Customer, exp["customer"]); err != nil {
		return nil, err
	}
	return out, nil
}

// typeHashes renders the per-type hash of a payment method that is not a
// card; only the method's own type is present.
func typeHashes(typ string, ba *payments.BankAccount, ideal *payments.Ideal) (sepa, usBank, idealH, bancontact, klarna any) {
	switch typ {
	case "sepa_debit":
		if ba != nil {
			sepa = map[string]any{"bank_code": nullable(ba.BankCode), "branch_code": nullable(ba.BranchCode), "country": nullable(ba.Country),
				"fingerprint": ba.Fingerprint, "generated_from": map[string]any{"charge": nil, "setup_attempt": nil}, "last4": ba.Last4}
		}
	case "us_bank_account":
		if ba != nil {
			usBank = map[string]any{"account_holder_type": ba.AccountHolderType, "account_type": ba.AccountType, "bank_name": ba.BankName,
				"financial_connections_account": nil, "fingerprint": ba.Fingerprint, "last4": ba.Last4,
				"networks": map[string]any{"preferred": "ach", "supported": []string{"ach"}}, "routing_number": ba.RoutingNumber, "status_details": nil}
		}
	case "ideal":
		h := map[string]any{"bank": nil, "bic": nil}
		if ideal != nil {
			h["bank"], h["bic"] = nullable(ideal.Bank), nullable(ideal.BIC)
		}
		idealH = h
	case "bancontact":
		bancontact = map[string]any{}
	case "klarna":
		klarna = map[string]any{"dob": nil}
	}
	return
}

// paymentMethodPreviewJSON is a ConfirmationToken's payment_method_preview:
// a PaymentMethod without its id, object, created, livemode and metadata.
type paymentMethodPreviewJSON struct {
	AllowRedisplay  string             `json:"allow_redisplay"`
	BillingDetails  billingDetailsJSON `json:"billing_details"`
	Card            *cardJSON          `json:"card,omitempty"`
	SEPADebit       any                `json:"sepa_debit,omitempty"`
	USBankAccount   any                `json:"us_bank_account,omitempty"`
	Ideal           any                `json:"ideal,omitempty"`
	Bancontact      any                `json:"bancontact,omitempty"`
	Klarna          any                `json:"klarna,omitempty"`
	Customer        any                `json:"customer"`
	CustomerAccount *string            `json:"customer_account"`
	Type            string             `json:"type"`
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
