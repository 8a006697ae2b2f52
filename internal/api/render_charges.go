package api

import (
	"strings"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/payments"
)

type outcomeJSON struct {
	AdviceCode         any     `json:"advice_code"`
	NetworkAdviceCode  any     `json:"network_advice_code"`
	NetworkDeclineCode any     `json:"network_decline_code"`
	NetworkStatus      string  `json:"network_status"`
	Reason             *string `json:"reason"`
	RiskLevel          string  `json:"risk_level"`
	RiskScore          int     `json:"risk_score"`
	Rule               any     `json:"rule"`
	SellerMessage      string  `json:"seller_message"`
	Type               string  `json:"type"`
}

type statusJSON struct {
	Status string `json:"status"`
}

type networkTokenJSON struct {
	Used bool `json:"used"`
}

type overcaptureJSON struct {
	MaximumAmountCapturable int64  `json:"maximum_amount_capturable"`
	Status                  string `json:"status"`
}

// cardDetailsJSON is a card charge's payment_method_details.
type cardDetailsJSON struct {
	Card chargeCardJSON `json:"card"`
	Type string         `json:"type"`
}

type chargeCardJSON struct {
	AmountAuthorized         *int64           `json:"amount_authorized"`
	AuthorizationCode        *string          `json:"authorization_code"`
	Brand                    string           `json:"brand"`
	CaptureBefore            *int64           `json:"capture_before,omitempty"`
	Checks                   checksJSON       `json:"checks"`
	Country                  *string          `json:"country"`
	ExpMonth                 int              `json:"exp_month"`
	ExpYear                  int              `json:"exp_year"`
	ExtendedAuthorization    statusJSON       `json:"extended_authorization"`
	Fingerprint              *string          `json:"fingerprint"`
	Funding                  string           `json:"funding"`
	IncrementalAuthorization statusJSON       `json:"incremental_authorization"`
	Installments             any              `json:"installments"`
	Last4                    string           `json:"last4"`
	Mandate                  any              `json:"mandate"`
	Multicapture             statusJSON       `json:"multicapture"`
	Network                  string           `json:"network"`
	NetworkToken             networkTokenJSON `json:"network_token"`
	NetworkTransactionID     *string          `json:"network_transaction_id"`
	Overcapture              overcaptureJSON  `json:"overcapture"`
	RegulatedStatus          string           `json:"regulated_status"`
	ThreeDSecure             any              `json:"three_d_secure"`
	Wallet                   any              `json:"wallet"`
}

type chargeJSON struct {
	ID                            string             `json:"id"`
	Object                        string             `json:"object"`
	Amount                        int64              `json:"amount"`
	AmountCaptured                int64              `json:"amount_captured"`
	AmountRefunded                int64              `json:"amount_refunded"`
	Application                   any                `json:"application"`
	ApplicationFee                any                `json:"application_fee"`
	ApplicationFeeAmount          any                `json:"application_fee_amount"`
	BalanceTransaction            *string            `json:"balance_transaction"`
	BillingDetails                billingDetailsJSON `json:"billing_details"`
	CalculatedStatementDescriptor string             `json:"calculated_statement_descriptor"`
	Captured                      bool               `json:"captured"`
	Created                       int64              `json:"created"`
	Currency                      string             `json:"currency"`
	Customer                      any                `json:"customer"`
	Description                   *string            `json:"description"`
	Disputed                      bool               `json:"disputed"`
	FailureBalanceTransaction     any                `json:"failure_balance_transaction"`
	FailureCode                   *string            `json:"failure_code"`
	FailureMessage                *string            `json:"failure_message"`
	FraudDetails                  struct{}           `json:"fraud_details"`
	Livemode                      bool               `json:"livemode"`
	Metadata                      map[string]string  `json:"metadata"`
	OnBehalfOf                    any                `json:"on_behalf_of"`
	Outcome                       outcomeJSON        `json:"outcome"`
	Paid                          bool               `json:"paid"`
	PaymentIntent                 any                `json:"payment_intent"`
	PaymentMethod                 *string            `json:"payment_method"`
	PaymentMethodDetails          any                `json:"payment_method_details"`
	ReceiptEmail                  *string            `json:"receipt_email"`
	ReceiptNumber                 *string            `json:"receipt_number"`
	ReceiptURL                    *string            `json:"receipt_url"`
	Refunded                      bool               `json:"refunded"`
	Refunds                       *listJSON          `json:"refunds,omitempty"`
	Review                        any                `json:"review"`
	Shipping                      *shippingJSON      `json:"shipping"`
	Source                        any                `json:"source"`
	SourceTransfer                any                `json:"source_transfer"`
	StatementDescriptor           *string            `json:"statement_descriptor"`
	StatementDescriptorSuffix     *string            `json:"statement_descriptor_suffix"`
	Status                        string             `json:"status"`
	TransferData                  any                `json:"transfer_data"`
	TransferGroup                 any                `json:"transfer_group"`
}

func (rd *renderer) charge(ch *payments.Charge, exp expansion) (any, error) {
	c := ch.Card
	card := chargeCardJSON{
		AuthorizationCode: nullable(c.AuthorizationCode), Brand: c.Brand, Country: nullable(c.Country),
		ExpMonth: c.ExpMonth, ExpYear: c.ExpYear, Fingerprint: nullable(c.Fingerprint), Funding: c.Funding, Last4: c.Last4,
		Network: c.Network, NetworkTransactionID: nullable(c.NetworkTransactionID), RegulatedStatus: "unregulated",
		Checks:                   checksJSON{nullable(c.AddressLine1Check), nullable(c.PostalCodeCheck), nullable(c.CVCCheck)},
		ExtendedAuthorization:    statusJSON{"disabled"},
		IncrementalAuthorization: statusJSON{"unavailable"},
		Multicapture:             statusJSON{"unavailable"},
		NetworkToken:             networkTokenJSON{},
		Overcapture:              overcaptureJSON{ch.Amount, "unavailable"},
	}
	if ch.Status == "succeeded" {
		card.AmountAuthorized = &c.AmountAuthorized
	}
	if ch.CaptureBefore != 0 {
		card.CaptureBefore = &ch.CaptureBefore
	}
	if t := c.ThreeDSecure; t != nil {
		card.ThreeDSecure = map[string]any{
			"authentication_flow": nullable(t.AuthenticationFlow), "electronic_commerce_indicator": "05",
			"exemption_indicator": nil, "exemption_indicator_applied": false, "result": nullable(t.Result),
			"result_reason": nullable(t.ResultReason), "transaction_id": ch.ID, "version": nullable(t.Version),
		}
	}
	out := &chargeJSON{
		ID: ch.ID, Object: "charge", Amount: ch.Amount, AmountCaptured: ch.AmountCaptured, AmountRefunded: ch.AmountRefunded,
		BalanceTransaction: nullable(ch.BalanceTxn), BillingDetails: renderBillingDetails(ch.BillingDetails),
		CalculatedStatementDescriptor: statementDescriptor(ch.StatementDescSufx), Captured: ch.Captured, Created: ch.Created,
		Currency: ch.Currency, Description: nullable(ch.Description), FailureCode: nullable(ch.FailureCode),
		FailureMessage: nullable(ch.FailureMessage), FraudDetails: struct{}{}, Livemode: ch.Livemode,
		Metadata: orEmpty(ch.Metadata), Paid: ch.Paid, PaymentMethod: nullable(ch.PaymentMethod),
		PaymentMethodDetails: chargeMethodDetails(ch, card), ReceiptEmail: nullable(ch.ReceiptEmail),
		ReceiptNumber: nullable(ch.ReceiptNumber), Refunded: ch.Refunded, Shipping: renderShipping(ch.Shipping),
		StatementDescriptorSuffix: nullable(ch.StatementDescSufx), Status: ch.Status,
		Outcome: outcomeJSON{NetworkStatus: ch.Outcome.NetworkStatus, Reason: nullable(ch.Outcome.Reason),
			RiskLevel: ch.Outcome.RiskLevel, RiskScore: ch.Outcome.RiskScore, SellerMessage: ch.Outcome.SellerMessage, Type: ch.Outcome.Type},
	}
	var err error
	if out.Customer, err = rd.customerRef(ch.Customer, exp["customer"]); err != nil {
		return nil, err
	}
	if out.PaymentIntent, err = rd.paymentIntentRef(ch.PaymentIntent, exp["payment_intent"]); err != nil {
		return nil, err
	}
	if exp.has("refunds") {
		res, err := rd.tx.ListRefunds(rd.ctx, rd.scope, payments.Page{Limit: 100}, ch.ID, "")
		if err != nil {
			return nil, err
		}
		data := make([]any, len(res.Data))
		for i, re := range res.Data {
			if data[i], err = rd.refund(re, exp["refunds"]["data"]); err != nil {
				return nil, err
			}
		}
		out.Refunds = newList("/v1/charges/"+ch.ID+"/refunds", data, res.HasMore)
	}
	return out, nil
}

// chargeMethodDetails is payment_method_details for the charge's type.
func chargeMethodDetails(ch *payments.Charge, card chargeCardJSON) any {
	typ := cmpOr(ch.PaymentMethodType, "card")
	if typ == "card" {
		return &cardDetailsJSON{card, typ}
	}
	d := map[string]any{"type": typ}
	ba := ch.BankAccount
	switch typ {
	case "sepa_debit":
		d[typ] = map[string]any{"bank_code": nullable(ba.BankCode), "branch_code": nullable(ba.BranchCode), "country": nullable(ba.Country),
			"expected_debit_date": nil, "fingerprint": ba.Fingerprint, "last4": ba.Last4, "mandate": nullable(ch.Mandate)}
	case "us_bank_account":
		d[typ] = map[string]any{"account_holder_type": ba.AccountHolderType, "account_type": ba.AccountType, "bank_name": ba.BankName,
			"expected_debit_date": nil, "fingerprint": ba.Fingerprint, "last4": ba.Last4, "mandate": nullable(ch.Mandate),
			"payment_reference": nil, "routing_number": ba.RoutingNumber}
	case "ideal":
		h := map[string]any{"bank": nil, "bic": nil, "generated_sepa_debit": nil, "generated_sepa_debit_mandate": nil, "iban_last4": nil, "verified_name": nil}
		if ch.Ideal != nil {
			h["bank"], h["bic"] = nullable(ch.Ideal.Bank), nullable(ch.Ideal.BIC)
		}
		d[typ] = h
	case "bancontact":
		d[typ] = map[string]any{"bank_code": nil, "bank_name": nil, "bic": nil, "generated_sepa_debit": nil, "generated_sepa_debit_mandate": nil,
			"iban_last4": nil, "preferred_language": nil, "verified_name": nil}
	case "klarna":
		d[typ] = map[string]any{"payer_details": nil, "payment_method_category": "pay_later", "preferred_locale": nil}
	}
	return d
}

// statementDescriptor is what a card statement shows: Tender's prefix and
// the intent's suffix.
func statementDescriptor(suffix string) string {
	d := "TENDER"
	if suffix != "" {
		d += "* " + strings.ToUpper(suffix)
	}
	if len(d) > 22 {
		d = d[:22]
	}
	return d
}

type refundJSON struct {
	ID                     string            `json:"id"`
	Object                 string            `json:"object"`
	Amount                 int64             `json:"amount"`
	BalanceTransaction     *string           `json:"balance_transaction"`
	Charge                 any               `json:"charge"`
	Created                int64             `json:"created"`
	Currency               string            `json:"currency"`
	DestinationDetails     any               `json:"destination_details"`
	Metadata               map[string]string `json:"metadata"`
	PaymentIntent          any               `json:"payment_intent"`
	Reason                 *string           `json:"reason"`
	ReceiptNumber          *string           `json:"receipt_number"`
	SourceTransferReversal any               `json:"source_transfer_reversal"`
	Status                 string            `json:"status"`
	TransferReversal       any               `json:"transfer_reversal"`
}

func (rd *renderer) refund(re *payments.Refund, exp expansion) (any, error) {
	out := &refundJSON{
		ID: re.ID, Object: "refund", Amount: re.Amount, BalanceTransaction: nullable(re.BalanceTxn), Created: re.Created,
		Currency: re.Currency, Metadata: orEmpty(re.Metadata), Reason: nullable(re.Reason), ReceiptNumber: nullable(re.ReceiptNumber),
		Status:             re.Status,
		DestinationDetails: map[string]any{"card": map[string]any{"reference_status": "pending", "reference_type": "acquirer_reference_number", "type": "refund"}, "type": "card"},
	}
	var err error
	if out.Charge, err = rd.chargeRef(re.Charge, exp["charge"]); err != nil {
		return nil, err
	}
	if out.PaymentIntent, err = rd.paymentIntentRef(re.PaymentIntent, exp["payment_intent"]); err != nil {
		return nil, err
	}
	return out, nil
}

// toMap turns a rendered value into a generic map (for projections).
func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
