package network

import (
	"slices"
	"strings"
	"testing"
)

// contractCards are the card numbers of api-contract §4, written out here
// independently of testcards.go so that a slip in either shows.
var contractCards = []struct {
	number    string
	brand     Brand
	funding   Funding
	behaviour Behaviour
}{
	{"4242424242424242", BrandVisa, FundingCredit, BehaviourSuccess},
	{"4000056655665556", BrandVisa, FundingDebit, BehaviourSuccess},
	{"5555555555554444", BrandMastercard, FundingCredit, BehaviourSuccess},
	{"2223003122003222", BrandMastercard, FundingCredit, BehaviourSuccess},
	{"5200828282828210", BrandMastercard, FundingDebit, BehaviourSuccess},
	{"5105105105105100", BrandMastercard, FundingPrepaid, BehaviourSuccess},
	{"378282246310005", BrandAmex, FundingCredit, BehaviourSuccess},
	{"371449635398431", BrandAmex, FundingCredit, BehaviourSuccess},
	{"6011111111111117", BrandDiscover, FundingCredit, BehaviourSuccess},
	{"6011000990139424", BrandDiscover, FundingCredit, BehaviourSuccess},
	{"6011981111111113", BrandDiscover, FundingDebit, BehaviourSuccess},
	{"3056930009020004", BrandDiners, FundingCredit, BehaviourSuccess},
	{"36227206271667", BrandDiners, FundingCredit, BehaviourSuccess},
	{"3566002020360505", BrandJCB, FundingCredit, BehaviourSuccess},
	{"6200000000000005", BrandUnionPay, FundingCredit, BehaviourSuccess},
	{"6205500000000000004", BrandUnionPay, FundingCredit, BehaviourSuccess},

	{"4000000000000002", BrandVisa, FundingCredit, BehaviourChargeDeclined},
	{"4000000000009995", BrandVisa, FundingCredit, BehaviourChargeDeclinedInsufficientFunds},
	{"4000000000009987", BrandVisa, FundingCredit, BehaviourChargeDeclinedLostCard},
	{"4000000000009979", BrandVisa, FundingCredit, BehaviourChargeDeclinedStolenCard},
	{"4000000000000069", BrandVisa, FundingCredit, BehaviourChargeDeclinedExpiredCard},
	{"4000000000000127", BrandVisa, FundingCredit, BehaviourChargeDeclinedIncorrectCVC},
	{"4000000000000119", BrandVisa, FundingCredit, BehaviourChargeDeclinedProcessingError},
	{"4000000000006975", BrandVisa, FundingCredit, BehaviourChargeDeclinedVelocityLimitExceeded},
	{"4000000000000341", BrandVisa, FundingCredit, BehaviourChargeCustomerFail},

	{"4100000000000019", BrandVisa, FundingCredit, BehaviourRadarBlock},
	{"4000000000004954", BrandVisa, FundingCredit, BehaviourRiskLevelHighest},
	{"4000000000009235", BrandVisa, FundingCredit, BehaviourRiskLevelElevated},
	{"4000000000000101", BrandVisa, FundingCredit, BehaviourCVCCheckFail},
	{"4000000000000036", BrandVisa, FundingCredit, BehaviourAVSZipFail},
	{"4000000000000028", BrandVisa, FundingCredit, BehaviourAVSLine1Fail},
	{"4000000000000010", BrandVisa, FundingCredit, BehaviourAVSFail},
	{"4000000000000044", BrandVisa, FundingCredit, BehaviourAVSUnchecked},

	{"4000000000000259", BrandVisa, FundingCredit, BehaviourCreateDispute},
	{"4000000000002685", BrandVisa, FundingCredit, BehaviourCreateDisputeProductNotReceived},
	{"4000000000001976", BrandVisa, FundingCredit, BehaviourCreateDisputeInquiry},
	{"4000000000005423", BrandVisa, FundingCredit, BehaviourCreateIssuerFraudRecord},
	{"4000000404000079", BrandVisa, FundingCredit, BehaviourCreateMultipleDisputes},
	{"4000000000007726", BrandVisa, FundingCredit, BehaviourPendingRefund},
	{"4000000000005126", BrandVisa, FundingCredit, BehaviourRefundFail},
	{"4000000000000077", BrandVisa, FundingCredit, BehaviourBypassPending},
	{"4000003720000278", BrandVisa, FundingCredit, BehaviourBypassPendingInternational},

	{"4000002500003155", BrandVisa, FundingCredit, BehaviourAuthenticationRequiredOnSetup},
	{"4000002760003184", BrandVisa, FundingCredit, BehaviourAuthenticationRequired},
	{"4000003800000446", BrandVisa, FundingCredit, BehaviourAuthenticationRequiredSetupForOffSession},
	{"4000008260003178", BrandVisa, FundingCredit, BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds},
	{"4000000000003220", BrandVisa, FundingCredit, BehaviourThreeDSecure2Required},
	{"4000000000003063", BrandVisa, FundingCredit, BehaviourThreeDSecureRequired},
	{"4000008400001629", BrandVisa, FundingCredit, BehaviourThreeDSecureRequiredChargeDeclined},
	{"4000008400001280", BrandVisa, FundingCredit, BehaviourThreeDSecureRequiredProcessingError},
	{"4000000000003055", BrandVisa, FundingCredit, BehaviourThreeDSecureOptional},
	{"4000000000003097", BrandVisa, FundingCredit, BehaviourThreeDSecureAttemptProcessingError},
}

func TestContractCardNumbers(t *testing.T) {
	t.Parallel()
	for _, tt := range contractCards {
		// Typed with spaces, as a customer would.
		var spaced strings.Builder
		for i, r := range tt.number {
			if i > 0 && i%4 == 0 {
				spaced.WriteByte(' ')
			}
			spaced.WriteRune(r)
		}
		c, err := ParseCard(NewCardDetails(spaced.String(), 12, 2030, strings.Repeat("1", tt.brand.CVCLength())), now)
		if err != nil {
			t.Errorf("%s: %v", tt.number, err)
			continue
		}
		want := Card{Brand: tt.brand, Funding: tt.funding, Country: "US", Last4: tt.number[len(tt.number)-4:],
			ExpMonth: 12, ExpYear: 2030, Behaviour: tt.behaviour, CVCProvided: true}
		if c != want {
			t.Errorf("%s: got %v, want %v", tt.number, c, want)
		}
	}
	if len(contractCards) != len(testCards) {
		t.Errorf("testcards.go has %d numbers, this test %d", len(testCards), len(contractCards))
	}
}

// contractMagicIDs are the pm_card_* ids of api-contract §4 and the number
// each stands for.
var contractMagicIDs = []struct {
	id        string
	number    string
	behaviour Behaviour
}{
	{"pm_card_visa", "4242424242424242", BehaviourSuccess},
	{"pm_card_visa_debit", "4000056655665556", BehaviourSuccess},
	{"pm_card_mastercard", "5555555555554444", BehaviourSuccess},
	{"pm_card_mastercard_debit", "5200828282828210", BehaviourSuccess},
	{"pm_card_mastercard_prepaid", "5105105105105100", BehaviourSuccess},
	{"pm_card_amex", "378282246310005", BehaviourSuccess},
	{"pm_card_discover", "6011111111111117", BehaviourSuccess},
	{"pm_card_diners", "3056930009020004", BehaviourSuccess},
	{"pm_card_jcb", "3566002020360505", BehaviourSuccess},
	{"pm_card_unionpay", "6200000000000005", BehaviourSuccess},
	{"pm_card_amex_threeDSecureNotSupported", "378282246310005", BehaviourThreeDSecureNotSupported},

	{"pm_card_visa_chargeDeclined", "4000000000000002", BehaviourChargeDeclined},
	{"pm_card_chargeDeclined", "4000000000000002", BehaviourChargeDeclined},
	{"pm_card_visa_chargeDeclinedInsufficientFunds", "4000000000009995", BehaviourChargeDeclinedInsufficientFunds},
	{"pm_card_visa_chargeDeclinedLostCard", "4000000000009987", BehaviourChargeDeclinedLostCard},
	{"pm_card_visa_chargeDeclinedStolenCard", "4000000000009979", BehaviourChargeDeclinedStolenCard},
	{"pm_card_chargeDeclinedExpiredCard", "4000000000000069", BehaviourChargeDeclinedExpiredCard},
	{"pm_card_chargeDeclinedIncorrectCvc", "4000000000000127", BehaviourChargeDeclinedIncorrectCVC},
	{"pm_card_chargeDeclinedProcessingError", "4000000000000119", BehaviourChargeDeclinedProcessingError},
	{"pm_card_visa_chargeDeclinedVelocityLimitExceeded", "4000000000006975", BehaviourChargeDeclinedVelocityLimitExceeded},
	{"pm_card_chargeCustomerFail", "4000000000000341", BehaviourChargeCustomerFail},

	{"pm_card_radarBlock", "4100000000000019", BehaviourRadarBlock},
	{"pm_card_riskLevelHighest", "4000000000004954", BehaviourRiskLevelHighest},
	{"pm_card_riskLevelElevated", "4000000000009235", BehaviourRiskLevelElevated},
	{"pm_card_cvcCheckFail", "4000000000000101", BehaviourCVCCheckFail},
	{"pm_card_avsZipFail", "4000000000000036", BehaviourAVSZipFail},
	{"pm_card_avsLine1Fail", "4000000000000028", BehaviourAVSLine1Fail},
	{"pm_card_avsFail", "4000000000000010", BehaviourAVSFail},
	{"pm_card_avsUnchecked", "4000000000000044", BehaviourAVSUnchecked},

	{"pm_card_createDispute", "4000000000000259", BehaviourCreateDispute},
	{"pm_card_createDisputeProductNotReceived", "4000000000002685", BehaviourCreateDisputeProductNotReceived},
	{"pm_card_createDisputeInquiry", "4000000000001976", BehaviourCreateDisputeInquiry},
	{"pm_card_createIssuerFraudRecord", "4000000000005423", BehaviourCreateIssuerFraudRecord},
	{"pm_card_createMultipleDisputes", "4000000404000079", BehaviourCreateMultipleDisputes},
	{"pm_card_pendingRefund", "4000000000007726", BehaviourPendingRefund},
	{"pm_card_refundFail", "4000000000005126", BehaviourRefundFail},
	{"pm_card_bypassPending", "4000000000000077", BehaviourBypassPending},

	{"pm_card_authenticationRequiredOnSetup", "4000002500003155", BehaviourAuthenticationRequiredOnSetup},
	{"pm_card_authenticationRequired", "4000002760003184", BehaviourAuthenticationRequired},
	{"pm_card_authenticationRequiredSetupForOffSession", "4000003800000446", BehaviourAuthenticationRequiredSetupForOffSession},
	{"pm_card_authenticationRequiredChargeDeclinedInsufficientFunds", "4000008260003178", BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds},
	{"pm_card_threeDSecure2Required", "4000000000003220", BehaviourThreeDSecure2Required},
	{"pm_card_threeDSecureRequired", "4000000000003063", BehaviourThreeDSecureRequired},
	{"pm_card_threeDSecureRequiredChargeDeclined", "4000008400001629", BehaviourThreeDSecureRequiredChargeDeclined},
	{"pm_card_threeDSecureRequiredProcessingError", "4000008400001280", BehaviourThreeDSecureRequiredProcessingError},
	{"pm_card_threeDSecureOptional", "4000000000003055", BehaviourThreeDSecureOptional},
}

func TestLookupMagicPaymentMethod(t *testing.T) {
	t.Parallel()
	for _, tt := range contractMagicIDs {
		c, ok := LookupMagicPaymentMethodAt(tt.id, now)
		if !ok {
			t.Errorf("%s: not found", tt.id)
			continue
		}
		n, ok := c.Number()
		if !ok || n.Digits() != tt.number {
			t.Errorf("%s: number ending %s, want one ending %s", tt.id, n.Last4(), last4(tt.number))
			continue
		}
		// Brand, funding and last4 must agree with the number's own card.
		typed := Identify(mustNumber(tt.number))
		want := Card{Brand: typed.Brand, Funding: typed.Funding, Country: "US", Last4: typed.Last4,
			ExpMonth: 12, ExpYear: 2027, Behaviour: tt.behaviour, CVCProvided: true}
		got := c
		got.number = Number{}
		if got != want {
			t.Errorf("%s = %v, want %v", tt.id, got, want)
		}
		// The same card as a test token.
		tok, ok := LookupTestTokenAt("tok_"+strings.TrimPrefix(tt.id, "pm_card_"), now)
		if tn, _ := tok.Number(); !ok || tok.Behaviour != tt.behaviour || tn.Digits() != tt.number {
			t.Errorf("token for %s = %v, %v", tt.id, tok, ok)
		}
	}

	// Spot checks of brand and funding for the brand ids.
	for id, want := range map[string]struct {
		b Brand
		f Funding
	}{
		"pm_card_visa_debit":         {BrandVisa, FundingDebit},
		"pm_card_mastercard_prepaid": {BrandMastercard, FundingPrepaid},
		"pm_card_mastercard_debit":   {BrandMastercard, FundingDebit},
		"pm_card_amex":               {BrandAmex, FundingCredit},
		"pm_card_unionpay":           {BrandUnionPay, FundingCredit},
		"pm_card_diners":             {BrandDiners, FundingCredit},
		"pm_card_jcb":                {BrandJCB, FundingCredit},
		"pm_card_discover":           {BrandDiscover, FundingCredit},
	} {
		c, _ := LookupMagicPaymentMethodAt(id, now)
		if c.Brand != want.b || c.Funding != want.f {
			t.Errorf("%s: %s %s, want %s %s", id, c.Brand, c.Funding, want.b, want.f)
		}
	}

	notSupported, _ := LookupMagicPaymentMethodAt("pm_card_amex_threeDSecureNotSupported", now)
	if notSupported.ThreeDSecureSupported() {
		t.Error("pm_card_amex_threeDSecureNotSupported supports 3DS")
	}

	for _, id := range []string{"", "pm_card_", "pm_card_nope", "pm_123", "card_visa", "tok_visa", "pm_card_VISA", "pm_card_visa "} {
		if c, ok := LookupMagicPaymentMethodAt(id, now); ok {
			t.Errorf("LookupMagicPaymentMethod(%q) = %v", id, c)
		}
	}
	for _, id := range []string{"tok_", "tok_nope", "pm_card_visa"} {
		if c, ok := LookupTestTokenAt(id, now); ok {
			t.Errorf("LookupTestToken(%q) = %v", id, c)
		}
	}

	// The wall-clock variants agree apart from the expiry.
	c, ok := LookupMagicPaymentMethod("pm_card_mastercard")
	if !ok || c.Brand != BrandMastercard || c.ExpMonth != 12 || c.ExpYear < 2027 {
		t.Errorf("LookupMagicPaymentMethod(pm_card_mastercard) = %v, %v", c, ok)
	}
	if c, ok := LookupTestToken("tok_amex"); !ok || c.Brand != BrandAmex {
		t.Errorf("LookupTestToken(tok_amex) = %v, %v", c, ok)
	}
}

func TestMagicIDsAreCovered(t *testing.T) {
	t.Parallel()
	ids := MagicPaymentMethodIDs()
	if !slices.IsSorted(ids) {
		t.Error("MagicPaymentMethodIDs is not sorted")
	}
	for _, tt := range contractMagicIDs {
		if !slices.Contains(ids, tt.id) {
			t.Errorf("MagicPaymentMethodIDs lacks %s", tt.id)
		}
	}
	// Every id resolves, and both spellings of every decline card exist.
	for _, id := range ids {
		if _, ok := LookupMagicPaymentMethodAt(id, now); !ok {
			t.Errorf("%s is listed but does not resolve", id)
		}
		if rest, ok := strings.CutPrefix(id, "pm_card_visa_chargeDeclined"); ok && !slices.Contains(ids, "pm_card_chargeDeclined"+rest) {
			t.Errorf("no alias pm_card_chargeDeclined%s", rest)
		}
		if rest, ok := strings.CutPrefix(id, "pm_card_chargeDeclined"); ok && !slices.Contains(ids, "pm_card_visa_chargeDeclined"+rest) {
			t.Errorf("no alias pm_card_visa_chargeDeclined%s", rest)
		}
	}
	// Every behaviour is reachable from some magic id, except the one Stripe
	// gives no id.
	reached := map[Behaviour]bool{}
	for _, id := range ids {
		c, _ := LookupMagicPaymentMethodAt(id, now)
		reached[c.Behaviour] = true
	}
	for _, b := range Behaviours() {
		if !reached[b] && b != BehaviourThreeDSecureAttemptProcessingError {
			t.Errorf("no magic id has behaviour %s", b)
		}
	}
}

func TestMagicExpiry(t *testing.T) {
	t.Parallel()
	for _, at := range []struct {
		now       string
		wantYear  int
		wantMonth int
	}{
		{"2026-01-01T00:00:00Z", 2027, 12},
		{"2026-12-31T23:59:59Z", 2027, 12},
		{"2026-12-31T23:30:00-05:00", 2028, 12}, // already 2027 in UTC
	} {
		tm := mustTime(t, at.now)
		m, y := MagicExpiry(tm)
		if m != at.wantMonth || y != at.wantYear {
			t.Errorf("MagicExpiry(%s) = %d/%d, want %d/%d", at.now, m, y, at.wantMonth, at.wantYear)
		}
		if _, err := ValidateExpiry(m, y, tm); err != nil {
			t.Errorf("MagicExpiry(%s) does not validate: %v", at.now, err)
		}
	}
}

func TestBehaviourNamesAreStable(t *testing.T) {
	t.Parallel()
	// These strings are persisted. Changing one breaks stored data: add a
	// new behaviour instead.
	want := []string{
		"authenticationRequired", "authenticationRequiredChargeDeclinedInsufficientFunds",
		"authenticationRequiredOnSetup", "authenticationRequiredSetupForOffSession",
		"avsFail", "avsLine1Fail", "avsUnchecked", "avsZipFail", "bypassPending", "bypassPendingInternational",
		"chargeCustomerFail", "chargeDeclined", "chargeDeclinedExpiredCard", "chargeDeclinedIncorrectCvc",
		"chargeDeclinedInsufficientFunds", "chargeDeclinedLostCard", "chargeDeclinedProcessingError",
		"chargeDeclinedStolenCard", "chargeDeclinedVelocityLimitExceeded",
		"createDispute", "createDisputeInquiry", "createDisputeProductNotReceived", "createIssuerFraudRecord",
		"createMultipleDisputes", "cvcCheckFail", "pendingRefund", "radarBlock", "refundFail",
		"riskLevelElevated", "riskLevelHighest", "success",
		"threeDSecure2Required", "threeDSecureAttemptProcessingError", "threeDSecureNotSupported",
		"threeDSecureOptional", "threeDSecureRequired", "threeDSecureRequiredChargeDeclined",
		"threeDSecureRequiredProcessingError",
	}
	var got []string
	for _, b := range Behaviours() {
		got = append(got, string(b))
		if !b.Valid() {
			t.Errorf("%s is not Valid", b)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Behaviours() = %q\nwant %q", got, want)
	}
	for _, b := range []Behaviour{"", "Success", "nope"} {
		if b.Valid() {
			t.Errorf("%q is Valid", b)
		}
	}
}

func TestBehaviourDecline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		b    Behaviour
		want Decline
	}{
		{BehaviourChargeDeclined, Decline{"card_declined", "generic_decline", "Your card was declined.", ""}},
		{BehaviourChargeDeclinedInsufficientFunds, Decline{"card_declined", "insufficient_funds", "Your card has insufficient funds.", ""}},
		{BehaviourChargeDeclinedLostCard, Decline{"card_declined", "lost_card", "Your card was declined.", ""}},
		{BehaviourChargeDeclinedStolenCard, Decline{"card_declined", "stolen_card", "Your card was declined.", ""}},
		{BehaviourChargeDeclinedExpiredCard, Decline{"expired_card", "expired_card", "Your card has expired.", "exp_month"}},
		{BehaviourChargeDeclinedIncorrectCVC, Decline{"incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.", "cvc"}},
		{BehaviourChargeDeclinedProcessingError, Decline{"processing_error", "processing_error", "An error occurred while processing your card. Try again in a little bit.", ""}},
		{BehaviourChargeDeclinedVelocityLimitExceeded, Decline{"card_declined", "card_velocity_exceeded", "Your card was declined for making repeated attempts too frequently or exceeding its amount limit.", ""}},
		{BehaviourChargeCustomerFail, Decline{"card_declined", "generic_decline", "Your card was declined.", ""}},
		{BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds, Decline{"card_declined", "insufficient_funds", "Your card has insufficient funds.", ""}},
		{BehaviourThreeDSecureRequiredChargeDeclined, Decline{"card_declined", "generic_decline", "Your card was declined.", ""}},
	}
	for _, tt := range tests {
		got, ok := tt.b.Decline()
		if !ok || got != tt.want {
			t.Errorf("%s.Decline() = %+v, %v; want %+v", tt.b, got, ok, tt.want)
		}
	}
	if d, ok := BehaviourSuccess.Decline(); ok {
		t.Errorf("success declines: %+v", d)
	}
}
