package network

import (
	"errors"
	"testing"
	"time"
)

// now is the fixed clock of the tests: 15 June 2026.
var now = time.Date(2026, time.June, 15, 12, 0, 0, 0, time.UTC)

func TestValidateExpiry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		month, year int
		wantYear    int
		wantErr     error
	}{
		{12, 2030, 2030, nil},
		{12, 30, 2030, nil},
		{6, 2026, 2026, nil}, // valid to the end of the month
		{6, 26, 2026, nil},
		{7, 2026, 2026, nil},
		{1, 2027, 2027, nil},
		{12, 2076, 2076, nil},
		{5, 2026, 0, ErrInvalidExpiryMonth}, // earlier this year
		{12, 2025, 0, ErrInvalidExpiryYear},
		{12, 25, 0, ErrInvalidExpiryYear},
		{0, 2030, 0, ErrInvalidExpiryMonth},
		{13, 2030, 0, ErrInvalidExpiryMonth},
		{-1, 2030, 0, ErrInvalidExpiryMonth},
		{13, 1999, 0, ErrInvalidExpiryMonth}, // month is checked first
		{12, 203, 0, ErrInvalidExpiryYear},   // three digits
		{12, 20301, 0, ErrInvalidExpiryYear},
		{12, -26, 0, ErrInvalidExpiryYear},
		{12, 2077, 0, ErrInvalidExpiryYear}, // more than 50 years ahead
		{12, 0, 0, ErrInvalidExpiryYear},    // "00" is 2000
	}
	for _, tt := range tests {
		got, err := ValidateExpiry(tt.month, tt.year, now)
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("ValidateExpiry(%d, %d) error = %v, want %v", tt.month, tt.year, err, tt.wantErr)
		}
		if got != tt.wantYear {
			t.Errorf("ValidateExpiry(%d, %d) = %d, want %d", tt.month, tt.year, got, tt.wantYear)
		}
	}

	// The clock decides, in UTC: 1 July 00:30 in UTC+2 is still June in UTC.
	local := time.Date(2026, time.July, 1, 0, 30, 0, 0, time.FixedZone("UTC+2", 2*3600))
	if _, err := ValidateExpiry(6, 2026, local); err != nil {
		t.Errorf("June 2026 at %v: %v", local, err)
	}
}

func TestValidateCVC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cvc   string
		brand Brand
		ok    bool
	}{
		{"", BrandVisa, true}, // not supplied
		{"123", BrandVisa, true},
		{"000", BrandMastercard, true},
		{"1234", BrandAmex, true},
		{"123", BrandAmex, false},
		{"1234", BrandVisa, false},
		{"12", BrandVisa, false},
		{"12a", BrandVisa, false},
		{"12 3", BrandVisa, false},
		{"123", BrandUnknown, true},
		{"1234", BrandUnknown, true},
		{"12345", BrandUnknown, false},
		{"123", BrandDiners, true},
		{"123", BrandJCB, true},
		{"123", BrandUnionPay, true},
		{"123", BrandDiscover, true},
	}
	for _, tt := range tests {
		err := ValidateCVC(tt.cvc, tt.brand)
		if tt.ok && err != nil || !tt.ok && !errors.Is(err, ErrInvalidCVC) {
			t.Errorf("ValidateCVC(%q, %s) = %v, want ok=%v", tt.cvc, tt.brand, err, tt.ok)
		}
	}
}

func TestParseCard(t *testing.T) {
	t.Parallel()
	c, err := ParseCard(NewCardDetails("4000 0025 0000 3155", 12, 30, "123"), now)
	if err != nil {
		t.Fatal(err)
	}
	want := Card{Brand: BrandVisa, Funding: FundingCredit, Country: "US", Last4: "3155", ExpMonth: 12, ExpYear: 2030,
		Behaviour: BehaviourAuthenticationRequiredOnSetup, CVCProvided: true}
	if c != want {
		t.Errorf("ParseCard = %+v, want %+v", c.LogValue(), want.LogValue())
	}
	if _, ok := c.Number(); ok {
		t.Error("a card parsed from customer input exposes its number")
	}

	// Without a CVC.
	c, err = ParseCard(NewCardDetails("378282246310005", 1, 2027, ""), now)
	if err != nil || c.CVCProvided || c.Brand != BrandAmex || c.Behaviour != BehaviourSuccess {
		t.Errorf("ParseCard(amex, no cvc) = %v, %v", c, err)
	}

	// Any other Luhn-valid number succeeds as its brand.
	c, err = ParseCard(NewCardDetails("4012888888881881", 1, 2027, ""), now)
	if err != nil || c.Brand != BrandVisa || c.Funding != FundingCredit || c.Behaviour != BehaviourSuccess || c.Last4 != "1881" {
		t.Errorf("ParseCard(4012888888881881) = %v, %v", c, err)
	}
	c, err = ParseCard(NewCardDetails("1234567890123452", 1, 2027, ""), now)
	if err != nil || c.Brand != BrandUnknown || c.Funding != FundingUnknown || c.Behaviour != BehaviourSuccess {
		t.Errorf("ParseCard(unknown brand) = %v, %v", c, err)
	}

	// Errors come in field order: number, expiry, CVC.
	errTests := []struct {
		d    CardDetails
		want error
	}{
		{NewCardDetails("4242424242424241", 13, 1, "x"), ErrIncorrectNumber},
		{NewCardDetails("4242-abc", 13, 1, "x"), ErrInvalidNumber},
		{NewCardDetails("4242424242424242", 13, 1, "x"), ErrInvalidExpiryMonth},
		{NewCardDetails("4242424242424242", 12, 1, "x"), ErrInvalidExpiryYear},
		{NewCardDetails("4242424242424242", 12, 2030, "x"), ErrInvalidCVC},
		{NewCardDetails("378282246310005", 12, 2030, "123"), ErrInvalidCVC},
	}
	for _, tt := range errTests {
		if _, err := ParseCard(tt.d, now); !errors.Is(err, tt.want) {
			t.Errorf("ParseCard(%v) error = %v, want %v", tt.d, err, tt.want)
		}
	}
}

func TestCardString(t *testing.T) {
	t.Parallel()
	c, _ := LookupMagicPaymentMethodAt("pm_card_visa", now)
	if got, want := c.String(), "visa credit ****4242 12/2027 (success)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !c.ThreeDSecureSupported() {
		t.Error("pm_card_visa does not support 3DS")
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
