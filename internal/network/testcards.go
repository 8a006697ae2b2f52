package network

import (
	"slices"
	"strings"
	"time"
)

// testCard is one of Stripe's published test card numbers.
type testCard struct {
	number    string
	funding   Funding
	behaviour Behaviour
}

// testCards are the numbers of api-contract §4. Brands come from the IIN
// ranges; every card is issued in the US.
var testCards = []testCard{
	// Successful, by brand.
	{"4242424242424242", FundingCredit, BehaviourSuccess},
	{"4000056655665556", FundingDebit, BehaviourSuccess},
	{"5555555555554444", FundingCredit, BehaviourSuccess},
	{"2223003122003222", FundingCredit, BehaviourSuccess},
	{"5200828282828210", FundingDebit, BehaviourSuccess},
	{"5105105105105100", FundingPrepaid, BehaviourSuccess},
	{"378282246310005", FundingCredit, BehaviourSuccess},
	{"371449635398431", FundingCredit, BehaviourSuccess},
	{"6011111111111117", FundingCredit, BehaviourSuccess},
	{"6011000990139424", FundingCredit, BehaviourSuccess},
	{"6011981111111113", FundingDebit, BehaviourSuccess},
	{"3056930009020004", FundingCredit, BehaviourSuccess},
	{"36227206271667", FundingCredit, BehaviourSuccess},
	{"3566002020360505", FundingCredit, BehaviourSuccess},
	{"6200000000000005", FundingCredit, BehaviourSuccess},
	{"6205500000000000004", FundingCredit, BehaviourSuccess},

	// Declines. All 4000… declining cards are Visa credit.
	{"4000000000000002", FundingCredit, BehaviourChargeDeclined},
	{"4000000000009995", FundingCredit, BehaviourChargeDeclinedInsufficientFunds},
	{"4000000000009987", FundingCredit, BehaviourChargeDeclinedLostCard},
	{"4000000000009979", FundingCredit, BehaviourChargeDeclinedStolenCard},
	{"4000000000000069", FundingCredit, BehaviourChargeDeclinedExpiredCard},
	{"4000000000000127", FundingCredit, BehaviourChargeDeclinedIncorrectCVC},
	{"4000000000000119", FundingCredit, BehaviourChargeDeclinedProcessingError},
	{"4000000000006975", FundingCredit, BehaviourChargeDeclinedVelocityLimitExceeded},
	{"4000000000000341", FundingCredit, BehaviourChargeCustomerFail},

	// Fraud and checks.
	{"4100000000000019", FundingCredit, BehaviourRadarBlock},
	{"4000000000004954", FundingCredit, BehaviourRiskLevelHighest},
	{"4000000000009235", FundingCredit, BehaviourRiskLevelElevated},
	{"4000000000000101", FundingCredit, BehaviourCVCCheckFail},
	{"4000000000000036", FundingCredit, BehaviourAVSZipFail},
	{"4000000000000028", FundingCredit, BehaviourAVSLine1Fail},
	{"4000000000000010", FundingCredit, BehaviourAVSFail},
	{"4000000000000044", FundingCredit, BehaviourAVSUnchecked},

	// Disputes, refunds, balance.
	{"4000000000000259", FundingCredit, BehaviourCreateDispute},
	{"4000000000002685", FundingCredit, BehaviourCreateDisputeProductNotReceived},
	{"4000000000001976", FundingCredit, BehaviourCreateDisputeInquiry},
	{"4000000000005423", FundingCredit, BehaviourCreateIssuerFraudRecord},
	// api-contract §4 prints 4000004040000079, which fails the Luhn check;
	// Stripe's card is 4000000404000079.
	{"4000000404000079", FundingCredit, BehaviourCreateMultipleDisputes},
	{"4000000000007726", FundingCredit, BehaviourPendingRefund},
	{"4000000000005126", FundingCredit, BehaviourRefundFail},
	{"4000000000000077", FundingCredit, BehaviourBypassPending},
	{"4000003720000278", FundingCredit, BehaviourBypassPendingInternational},

	// SCA / 3D Secure.
	{"4000002500003155", FundingCredit, BehaviourAuthenticationRequiredOnSetup},
	{"4000002760003184", FundingCredit, BehaviourAuthenticationRequired},
	{"4000003800000446", FundingCredit, BehaviourAuthenticationRequiredSetupForOffSession},
	{"4000008260003178", FundingCredit, BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds},
	{"4000000000003220", FundingCredit, BehaviourThreeDSecure2Required},
	{"4000000000003063", FundingCredit, BehaviourThreeDSecureRequired},
	{"4000008400001629", FundingCredit, BehaviourThreeDSecureRequiredChargeDeclined},
	{"4000008400001280", FundingCredit, BehaviourThreeDSecureRequiredProcessingError},
	{"4000000000003055", FundingCredit, BehaviourThreeDSecureOptional},
	{"4000000000003097", FundingCredit, BehaviourThreeDSecureAttemptProcessingError},
}

// magicCard is a magic id suffix: pm_card_<suffix> and tok_<suffix>.
type magicCard struct {
	suffix string
	number string
	// behaviour overrides the number's own, for ids that share a number
	// with another (amex_threeDSecureNotSupported uses pm_card_amex's).
	behaviour Behaviour
}

var magicCards = []magicCard{
	{"visa", "4242424242424242", ""},
	{"visa_debit", "4000056655665556", ""},
	{"mastercard", "5555555555554444", ""},
	{"mastercard_debit", "5200828282828210", ""},
	{"mastercard_prepaid", "5105105105105100", ""},
	{"amex", "378282246310005", ""},
	{"discover", "6011111111111117", ""},
	{"diners", "3056930009020004", ""},
	{"jcb", "3566002020360505", ""},
	{"unionpay", "6200000000000005", ""},
	{"amex_threeDSecureNotSupported", "378282246310005", BehaviourThreeDSecureNotSupported},

	{"visa_chargeDeclined", "4000000000000002", ""},
	{"visa_chargeDeclinedInsufficientFunds", "4000000000009995", ""},
	{"visa_chargeDeclinedLostCard", "4000000000009987", ""},
	{"visa_chargeDeclinedStolenCard", "4000000000009979", ""},
	{"chargeDeclinedExpiredCard", "4000000000000069", ""},
	{"chargeDeclinedIncorrectCvc", "4000000000000127", ""},
	{"chargeDeclinedProcessingError", "4000000000000119", ""},
	{"visa_chargeDeclinedVelocityLimitExceeded", "4000000000006975", ""},
	{"chargeCustomerFail", "4000000000000341", ""},

	{"radarBlock", "4100000000000019", ""},
	{"chargeDeclinedFraudulent", "4100000000000019", ""},
	{"riskLevelHighest", "4000000000004954", ""},
	{"riskLevelElevated", "4000000000009235", ""},
	{"cvcCheckFail", "4000000000000101", ""},
	{"avsZipFail", "4000000000000036", ""},
	{"avsLine1Fail", "4000000000000028", ""},
	{"avsFail", "4000000000000010", ""},
	{"avsUnchecked", "4000000000000044", ""},

	{"createDispute", "4000000000000259", ""},
	{"createDisputeProductNotReceived", "4000000000002685", ""},
	{"createDisputeInquiry", "4000000000001976", ""},
	{"createIssuerFraudRecord", "4000000000005423", ""},
	{"createMultipleDisputes", "4000000404000079", ""},
	{"pendingRefund", "4000000000007726", ""},
	{"refundFail", "4000000000005126", ""},
	{"bypassPending", "4000000000000077", ""},
	{"bypassPendingInternational", "4000003720000278", ""},

	{"authenticationRequiredOnSetup", "4000002500003155", ""},
	{"authenticationRequired", "4000002760003184", ""},
	{"authenticationRequiredSetupForOffSession", "4000003800000446", ""},
	{"authenticationRequiredChargeDeclinedInsufficientFunds", "4000008260003178", ""},
	{"threeDSecure2Required", "4000000000003220", ""},
	{"threeDSecureRequired", "4000000000003063", ""},
	{"threeDSecureRequiredChargeDeclined", "4000008400001629", ""},
	{"threeDSecureRequiredProcessingError", "4000008400001280", ""},
	{"threeDSecureOptional", "4000000000003055", ""},
}

// The indexes built from the tables above.
var (
	testCardsByNumber = map[string]testCard{}
	// magicBySuffix includes the aliases: Stripe names the Visa decline
	// cards both pm_card_visa_chargeDeclinedX and pm_card_chargeDeclinedX
	// in different places, so both spellings work for every decline card.
	magicBySuffix = map[string]magicCard{}
)

func init() {
	for _, tc := range testCards {
		mustNumber(tc.number) // a typo in the table fails at start-up
		if _, dup := testCardsByNumber[tc.number]; dup {
			panic("network: duplicate test card ending " + last4(tc.number))
		}
		testCardsByNumber[tc.number] = tc
	}
	for _, m := range magicCards {
		if _, ok := testCardsByNumber[m.number]; !ok {
			panic("network: magic id " + m.suffix + " names an unknown test card")
		}
		magicBySuffix[m.suffix] = m
	}
	for _, m := range magicCards {
		var alias string
		if rest, ok := strings.CutPrefix(m.suffix, "visa_chargeDeclined"); ok {
			alias = "chargeDeclined" + rest
		} else if rest, ok := strings.CutPrefix(m.suffix, "chargeDeclined"); ok {
			alias = "visa_chargeDeclined" + rest
		}
		if _, taken := magicBySuffix[alias]; alias != "" && !taken {
			m.suffix = alias
			magicBySuffix[alias] = m
		}
	}
}

// Prefixes of Stripe's magic test ids.
const (
	MagicPaymentMethodPrefix = "pm_card_"
	TestTokenPrefix          = "tok_"
)

// LookupMagicPaymentMethod resolves a magic PaymentMethod id such as
// pm_card_visa or pm_card_chargeDeclinedInsufficientFunds to the card it
// stands for, with its public test number ([Card.Number]) and an expiry from
// [MagicExpiry] relative to the wall clock. Callers with an injected clock
// use [LookupMagicPaymentMethodAt].
func LookupMagicPaymentMethod(id string) (Card, bool) {
	return LookupMagicPaymentMethodAt(id, time.Now())
}

// LookupMagicPaymentMethodAt is [LookupMagicPaymentMethod] with the expiry
// relative to now.
func LookupMagicPaymentMethodAt(id string, now time.Time) (Card, bool) {
	suffix, ok := strings.CutPrefix(id, MagicPaymentMethodPrefix)
	if !ok {
		return Card{}, false
	}
	return lookupMagic(suffix, now)
}

// LookupTestToken resolves a test card token such as tok_visa,
// tok_mastercard, tok_amex or tok_chargeDeclined (any magic id suffix works
// after "tok_") like [LookupMagicPaymentMethod].
func LookupTestToken(id string) (Card, bool) {
	return LookupTestTokenAt(id, time.Now())
}

// LookupTestTokenAt is [LookupTestToken] with the expiry relative to now.
func LookupTestTokenAt(id string, now time.Time) (Card, bool) {
	suffix, ok := strings.CutPrefix(id, TestTokenPrefix)
	if !ok {
		return Card{}, false
	}
	return lookupMagic(suffix, now)
}

func lookupMagic(suffix string, now time.Time) (Card, bool) {
	m, ok := magicBySuffix[suffix]
	if !ok {
		return Card{}, false
	}
	n := mustNumber(m.number)
	c := Identify(n)
	if m.behaviour != "" {
		c.Behaviour = m.behaviour
	}
	c.ExpMonth, c.ExpYear = MagicExpiry(now)
	c.CVCProvided = true
	c.number = n
	return c, true
}

// MagicExpiry is the expiry given to cards from magic ids and test tokens:
// December of the year after now's (UTC). It is always at least a year
// away, so a freshly resolved magic card never trips expiry checks, and it
// depends only on the year, so every magic card created in a year expires
// alike.
func MagicExpiry(now time.Time) (month, year int) {
	return 12, now.UTC().Year() + 1
}

// MagicPaymentMethodIDs lists every magic PaymentMethod id this package
// resolves, aliases included, sorted.
func MagicPaymentMethodIDs() []string {
	ids := make([]string, 0, len(magicBySuffix))
	for s := range magicBySuffix {
		ids = append(ids, MagicPaymentMethodPrefix+s)
	}
	slices.Sort(ids)
	return ids
}
