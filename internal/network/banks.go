package network

import (
	"errors"
	"math/big"
	"strings"
)

// Bank debits settle later: the simulator decides each debit's outcome
// from the account number, as Stripe's test numbers do.

// DebitOutcome is how a simulated bank debit ends.
type DebitOutcome struct {
	Succeeds bool
	// Late settles after the long delay ("after at least three minutes" in
	// Stripe's test numbers) instead of the normal one.
	Late bool
	// FailureCode and FailureMessage explain a failed debit.
	FailureCode    string
	FailureMessage string
	// Dispute marks the success that is then disputed (recorded only).
	Dispute bool
}

// IBAN is what is kept of a SEPA account.
type IBAN struct {
	Country    string
	BankCode   string
	BranchCode string
	Last4      string
	// Normalized is the whole IBAN, for the fingerprint; never stored.
	Normalized string
}

// ErrInvalidIBAN is returned for an IBAN whose shape or checksum is wrong.
var ErrInvalidIBAN = errors.New("invalid IBAN")

// ParseIBAN checks an IBAN's shape and ISO 13616 mod-97 checksum.
func ParseIBAN(s string) (IBAN, error) {
	n := strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "-", ""))
	if len(n) < 15 || len(n) > 34 {
		return IBAN{}, ErrInvalidIBAN
	}
	for i, r := range n {
		isLetter, isDigit := r >= 'A' && r <= 'Z', r >= '0' && r <= '9'
		if (i < 2 && !isLetter) || (i >= 2 && i < 4 && !isDigit) || (!isLetter && !isDigit) {
			return IBAN{}, ErrInvalidIBAN
		}
	}
	var digits strings.Builder
	for _, r := range n[4:] + n[:4] {
		if r >= 'A' && r <= 'Z' {
			digits.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		} else {
			digits.WriteRune(r)
		}
	}
	v, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(v, big.NewInt(97)).Int64() != 1 {
		return IBAN{}, ErrInvalidIBAN
	}
	bank, branch := n[4:min(9, len(n))], ""
	switch n[:2] {
	case "DE":
		bank = n[4:12]
	case "AT":
		bank = n[4:9]
	case "FR", "ES", "IT", "NL", "BE":
		bank, branch = n[4:8], n[8:min(13, len(n))]
	}
	return IBAN{Country: n[:2], BankCode: bank, BranchCode: branch, Last4: n[len(n)-4:], Normalized: n}, nil
}

// sepaOutcomes are Stripe's published SEPA Direct Debit test IBANs.
var sepaOutcomes = map[string]DebitOutcome{
	"AT611904300234573201":   {Succeeds: true},
	"AT321904300235473204":   {Succeeds: true, Late: true},
	"AT861904300235473202":   {FailureCode: "insufficient_funds", FailureMessage: "The customer's account has insufficient funds to cover this payment."},
	"AT051904300235473205":   {Late: true, FailureCode: "insufficient_funds", FailureMessage: "The customer's account has insufficient funds to cover this payment."},
	"AT591904300235473203":   {Succeeds: true, Dispute: true},
	"DE89370400440532013000": {Succeeds: true},
	"DE62370400440532013001": {FailureCode: "insufficient_funds", FailureMessage: "The customer's account has insufficient funds to cover this payment."},
	"DE35370400440532013002": {Succeeds: true, Late: true},
	"DE65370400440532013003": {Late: true, FailureCode: "insufficient_funds", FailureMessage: "The customer's account has insufficient funds to cover this payment."},
}

// SEPAOutcome is how a debit from iban ends; other valid IBANs succeed.
func SEPAOutcome(iban IBAN) DebitOutcome {
	if o, ok := sepaOutcomes[iban.Normalized]; ok {
		return o
	}
	return DebitOutcome{Succeeds: true}
}

// USBankAccount is what is kept of a US bank account.
type USBankAccount struct {
	RoutingNumber string
	Last4         string
	BankName      string
	// Account is the whole number, for the fingerprint; never stored.
	Account string
}

// Errors for US bank account details.
var (
	ErrInvalidRoutingNumber = errors.New("invalid routing number")
	ErrInvalidAccountNumber = errors.New("invalid account number")
)

// ParseUSBankAccount checks an ABA routing number (nine digits with its
// checksum) and an account number (4–17 digits).
func ParseUSBankAccount(routing, account string) (USBankAccount, error) {
	if len(routing) != 9 || !allDigits(routing) {
		return USBankAccount{}, ErrInvalidRoutingNumber
	}
	d := func(i int) int { return int(routing[i] - '0') }
	if (3*(d(0)+d(3)+d(6))+7*(d(1)+d(4)+d(7))+(d(2)+d(5)+d(8)))%10 != 0 {
		return USBankAccount{}, ErrInvalidRoutingNumber
	}
	if len(account) < 4 || len(account) > 17 || !allDigits(account) {
		return USBankAccount{}, ErrInvalidAccountNumber
	}
	bank := "STRIPE TEST BANK"
	if routing != "110000000" {
		bank = "TEST BANK"
	}
	return USBankAccount{RoutingNumber: routing, Last4: account[len(account)-4:], BankName: bank, Account: account}, nil
}

// achOutcomes are Stripe's published ACH Direct Debit test accounts
// (routing number 110000000).
var achOutcomes = map[string]DebitOutcome{
	"000123456789": {Succeeds: true},
	"000111111113": {FailureCode: "account_closed", FailureMessage: "The customer's bank account has been closed."},
	"000111111116": {FailureCode: "no_account", FailureMessage: "The customer's bank account could not be located."},
	"000222222227": {FailureCode: "insufficient_funds", FailureMessage: "The customer's account has insufficient funds to cover this payment."},
	"000333333335": {FailureCode: "debit_not_authorized", FailureMessage: "The customer has notified their bank that this payment was unauthorized."},
	"000444444440": {FailureCode: "invalid_currency", FailureMessage: "The bank was unable to process this payment because of its currency."},
	"000999999991": {Succeeds: true, Late: true},
	"000999999994": {Late: true, FailureCode: "insufficient_funds", FailureMessage: "The customer's account has insufficient funds to cover this payment."},
}

// USBankOutcome is how a debit from the account ends; other valid accounts
// succeed.
func USBankOutcome(a USBankAccount) DebitOutcome {
	if o, ok := achOutcomes[a.Account]; ok {
		return o
	}
	return DebitOutcome{Succeeds: true}
}
