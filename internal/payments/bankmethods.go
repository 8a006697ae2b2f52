package payments

import (
	"context"
	"errors"
	"slices"

	"github.com/tenderpay/tender/internal/network"
)

// idealBanks are the banks iDEAL offers.
var idealBanks = map[string]string{
	"abn_amro": "ABNANL2A", "asn_bank": "ASNBNL21", "bunq": "BUNQNL2A", "ing": "INGBNL2A", "knab": "KNABNL2H",
	"n26": "NTSBDEB1", "nn": "NNBANL2G", "rabobank": "RABONL2U", "regiobank": "RBRBNL21", "revolut": "REVOLT21",
	"sns_bank": "SNSBNL2A", "triodos_bank": "TRIONL2U", "van_lanschot": "FVLBNL22", "yoursafe": "BITSNL2A",
}

// IdealBanks lists iDEAL's banks for the Payment Element's select.
func IdealBanks() []string {
	out := make([]string, 0, len(idealBanks))
	for b := range idealBanks {
		out = append(out, b)
	}
	slices.Sort(out)
	return out
}

// createBankMethod creates the PaymentMethods that are not cards.
func (svc *Service) createBankMethod(ctx context.Context, tx Tx, a *Account, typ string, d *PaymentMethodData, param string) (*PaymentMethod, error) {
	pm := &PaymentMethod{ID: NewID("pm"), Type: typ, Created: tx.Now().Unix(), Livemode: a.Livemode, AllowRedisplay: "unspecified"}
	if err := applyBillingDetails(&pm.BillingDetails, d.BillingDetails); err != nil {
		return nil, err
	}
	bd := pm.BillingDetails
	need := func(ok bool, field string) error {
		if ok {
			return nil
		}
		p := join(param, "billing_details") + field
		return Invalid("parameter_missing", p, "Missing required param: %s. %s payments need it.", p, typ)
	}
	switch typ {
	case "ideal":
		pm.Ideal = &Ideal{}
		if d.Ideal != nil && d.Ideal.Bank != nil && *d.Ideal.Bank != "" {
			bic, ok := idealBanks[*d.Ideal.Bank]
			if !ok {
				return nil, invalidEnum(join(param, "ideal")+"[bank]", *d.Ideal.Bank, IdealBanks())
			}
			pm.Ideal = &Ideal{Bank: *d.Ideal.Bank, BIC: bic}
		}
	case "bancontact":
		if err := need(bd.Name != "", "[name]"); err != nil {
			return nil, err
		}
	case "klarna":
		if err := need(bd.Email != "", "[email]"); err != nil {
			return nil, err
		}
		if err := need(bd.Address != nil && bd.Address.Country != "", "[address][country]"); err != nil {
			return nil, err
		}
	case "sepa_debit":
		if err := need(bd.Name != "", "[name]"); err != nil {
			return nil, err
		}
		if err := need(bd.Email != "", "[email]"); err != nil {
			return nil, err
		}
		p := join(param, "sepa_debit") + "[iban]"
		if d.SEPADebit == nil || d.SEPADebit.IBAN == nil || *d.SEPADebit.IBAN == "" {
			return nil, Invalid("parameter_missing", p, "Missing required param: %s.", p)
		}
		iban, err := network.ParseIBAN(*d.SEPADebit.IBAN)
		if err != nil {
			return nil, Invalid("invalid_bank_account_iban", p, "The IBAN you provided (%s) is invalid.", maskTail(*d.SEPADebit.IBAN))
		}
		o := network.SEPAOutcome(iban)
		pm.BankAccount = &BankAccount{Country: iban.Country, BankCode: iban.BankCode, BranchCode: iban.BranchCode, Last4: iban.Last4,
			Fingerprint: network.Fingerprint(a.FingerprintSecret, "sepa:"+iban.Normalized), Outcome: debitOutcome(o)}
	case "us_bank_account":
		if err := need(bd.Name != "", "[name]"); err != nil {
			return nil, err
		}
		u := d.USBankAccount
		prefix := join(param, "us_bank_account")
		if u == nil || u.RoutingNumber == nil || u.AccountNumber == nil {
			return nil, Invalid("parameter_missing", prefix+"[account_number]", "Missing required param: %s[account_number] (and [routing_number]).", prefix)
		}
		acct, err := network.ParseUSBankAccount(*u.RoutingNumber, *u.AccountNumber)
		switch {
		case errors.Is(err, network.ErrInvalidRoutingNumber):
			return nil, Invalid("routing_number_invalid", prefix+"[routing_number]", "Routing number must have 9 digits and a valid checksum.")
		case err != nil:
			return nil, Invalid("account_number_invalid", prefix+"[account_number]", "The account number must have 4 to 17 digits.")
		}
		ba := &BankAccount{RoutingNumber: acct.RoutingNumber, BankName: acct.BankName, Last4: acct.Last4, AccountHolderType: "individual",
			AccountType: "checking", Fingerprint: network.Fingerprint(a.FingerprintSecret, "ach:"+acct.RoutingNumber+":"+acct.Account),
			Outcome: debitOutcome(network.USBankOutcome(acct))}
		if u.AccountHolderType != nil && *u.AccountHolderType != "" {
			if !oneOf(*u.AccountHolderType, "individual", "company") {
				return nil, invalidEnum(prefix+"[account_holder_type]", *u.AccountHolderType, []string{"individual", "company"})
			}
			ba.AccountHolderType = *u.AccountHolderType
		}
		if u.AccountType != nil && *u.AccountType != "" {
			if !oneOf(*u.AccountType, "checking", "savings") {
				return nil, invalidEnum(prefix+"[account_type]", *u.AccountType, []string{"checking", "savings"})
			}
			ba.AccountType = *u.AccountType
		}
		pm.BankAccount = ba
	}
	if d.AllowRedisplay != nil && *d.AllowRedisplay != "" {
		if !oneOf(*d.AllowRedisplay, allowRedisplayValues...) {
			return nil, invalidEnum(join(param, "allow_redisplay"), *d.AllowRedisplay, allowRedisplayValues)
		}
		pm.AllowRedisplay = *d.AllowRedisplay
	}
	var err error
	if pm.Metadata, err = applyMetadata(nil, d.Metadata, false); err != nil {
		return nil, err
	}
	if err := tx.InsertPaymentMethod(ctx, a.Scope, pm); err != nil {
		return nil, err
	}
	return pm, nil
}

func debitOutcome(o network.DebitOutcome) DebitOutcome {
	return DebitOutcome{Succeeds: o.Succeeds, Late: o.Late, FailureCode: o.FailureCode, FailureMessage: o.FailureMessage}
}

// maskTail shows only the last four characters of an account number.
func maskTail(s string) string {
	if len(s) <= 4 {
		return "****"
	}
	return "****" + s[len(s)-4:]
}
