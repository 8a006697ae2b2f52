package network

import (
	"errors"
	"testing"
)

func TestParseCardNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string // normalised digits when valid
		wantErr error
	}{
		{"4242424242424242", "4242424242424242", nil},
		{"4242 4242 4242 4242", "4242424242424242", nil},
		{"4242-4242-4242-4242", "4242424242424242", nil},
		{" 4242-4242 4242-4242 ", "4242424242424242", nil},
		{"378282246310005", "378282246310005", nil},
		{"36227206271667", "36227206271667", nil},
		{"6205500000000000004", "6205500000000000004", nil},
		{"4242424242424241", "", ErrIncorrectNumber}, // Luhn
		{"4242424242424", "", ErrIncorrectNumber},    // 13 digits, Luhn fails
		{"424242424242424", "", ErrIncorrectNumber},  // no Visa has 15 digits
		{"5555555555554", "", ErrIncorrectNumber},    // Mastercard is 16 digits
		{"3782822463100050", "", ErrIncorrectNumber}, // Amex is 15 digits
		{"", "", ErrIncorrectNumber},
		{"   ", "", ErrIncorrectNumber},
		{"12345678901", "", ErrIncorrectNumber},          // too short for any card
		{"42424242424242424242", "", ErrIncorrectNumber}, // 20 digits
		{"4242x24242424242", "", ErrInvalidNumber},
		{"4242.4242.4242.4242", "", ErrInvalidNumber},
		{"abcd", "", ErrInvalidNumber},
		{"４２４２４２４２４２４２４２４２", "", ErrInvalidNumber}, // full-width digits are not digits
		{"-1", "", ErrIncorrectNumber},             // dashes are stripped, leaving "1"
	}
	for _, tt := range tests {
		n, err := ParseCardNumber(tt.in)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ParseCardNumber(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if !n.IsZero() {
				t.Errorf("ParseCardNumber(%q) returned a number with an error", tt.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseCardNumber(%q) error = %v", tt.in, err)
			continue
		}
		if n.Digits() != tt.want {
			t.Errorf("ParseCardNumber(%q) = %s, want %s", tt.in, n.Digits(), tt.want)
		}
	}
}

func TestCardErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err                  *CardError
		code, message, param string
	}{
		{ErrIncorrectNumber, "incorrect_number", "Your card number is incorrect.", "number"},
		{ErrInvalidNumber, "invalid_number", "Your card number is not a valid credit card number.", "number"},
		{ErrInvalidExpiryMonth, "invalid_expiry_month", "Your card's expiration month is invalid.", "exp_month"},
		{ErrInvalidExpiryYear, "invalid_expiry_year", "Your card's expiration year is invalid.", "exp_year"},
		{ErrInvalidCVC, "invalid_cvc", "Your card's security code is invalid.", "cvc"},
	}
	for _, tt := range tests {
		if tt.err.Code != tt.code || tt.err.Message != tt.message || tt.err.Param != tt.param {
			t.Errorf("%v = {%q %q %q}, want {%q %q %q}", tt.err, tt.err.Code, tt.err.Message, tt.err.Param, tt.code, tt.message, tt.param)
		}
	}
	_, err := ParseCardNumber("4242424242424241")
	var ce *CardError
	if !errors.As(err, &ce) || ce.Code != "incorrect_number" || ce.Param != "number" {
		t.Errorf("errors.As(%v) = %v, want incorrect_number on number", err, ce)
	}
	// Is matches by code, so a copy compares equal.
	cp := *ErrInvalidCVC
	if !errors.Is(&cp, ErrInvalidCVC) || errors.Is(&cp, ErrInvalidNumber) {
		t.Error("CardError.Is does not match by code")
	}
}

func TestLuhnValid(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"4242424242424242":    true,
		"4242 4242 4242 4242": true,
		"4242424242424241":    false,
		"79927398713":         true,
		"79927398710":         false,
		"0":                   true,
		"":                    false,
		"42a2":                false,
	} {
		if got := LuhnValid(in); got != want {
			t.Errorf("LuhnValid(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDetectBrand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		number string
		want   Brand
	}{
		{"4", BrandVisa},
		{"4242424242424242", BrandVisa},
		{"5100000000000000", BrandMastercard},
		{"5555555555554444", BrandMastercard},
		{"2221000000000000", BrandMastercard},
		{"2223003122003222", BrandMastercard},
		{"2720990000000000", BrandMastercard},
		{"2220990000000000", BrandUnknown},
		{"2721000000000000", BrandUnknown},
		{"5000000000000000", BrandUnknown},
		{"5600000000000000", BrandUnknown},
		{"340000000000000", BrandAmex},
		{"378282246310005", BrandAmex},
		{"6011111111111117", BrandDiscover},
		{"6440000000000000", BrandDiscover},
		{"6490000000000000", BrandDiscover},
		{"6500000000000000", BrandDiscover},
		{"6430000000000000", BrandUnknown},
		{"6012000000000000", BrandUnknown},
		{"30000000000000", BrandDiners},
		{"30569309025904", BrandDiners},
		{"30600000000000", BrandUnknown},
		{"36227206271667", BrandDiners},
		{"38520000023237", BrandDiners},
		{"39000000000000", BrandDiners},
		{"3528000000000000", BrandJCB},
		{"3566002020360505", BrandJCB},
		{"3589000000000000", BrandJCB},
		{"3527000000000000", BrandUnknown},
		{"3590000000000000", BrandUnknown},
		{"6200000000000005", BrandUnionPay},
		{"6205500000000000004", BrandUnionPay},
		{"1234567890123452", BrandUnknown},
		{"", BrandUnknown},
		{"x", BrandUnknown},
		{"4242 4242", BrandVisa},
	}
	for _, tt := range tests {
		if got := DetectBrand(tt.number); got != tt.want {
			t.Errorf("DetectBrand(%q) = %q, want %q", tt.number, got, tt.want)
		}
	}
}

func TestBrandAttributes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		brand   Brand
		cvc     int
		display string
	}{
		{BrandVisa, 3, "visa"},
		{BrandMastercard, 3, "mastercard"},
		{BrandAmex, 4, "american_express"},
		{BrandDiscover, 3, "discover"},
		{BrandDiners, 3, "diners_club"},
		{BrandJCB, 3, "jcb"},
		{BrandUnionPay, 3, "union_pay"},
		{BrandUnknown, 3, "other"},
	}
	for _, tt := range tests {
		if got := tt.brand.CVCLength(); got != tt.cvc {
			t.Errorf("%s.CVCLength() = %d, want %d", tt.brand, got, tt.cvc)
		}
		if got := tt.brand.DisplayBrand(); got != tt.display {
			t.Errorf("%s.DisplayBrand() = %q, want %q", tt.brand, got, tt.display)
		}
		if got := tt.brand.Network(); got != string(tt.brand) {
			t.Errorf("%s.Network() = %q", tt.brand, got)
		}
	}
}

func TestNumberAccessors(t *testing.T) {
	t.Parallel()
	n, err := ParseCardNumber("3782 822463 10005")
	if err != nil {
		t.Fatal(err)
	}
	if n.Last4() != "0005" || n.Brand() != BrandAmex || n.IsZero() {
		t.Errorf("Last4/Brand/IsZero = %q %q %v", n.Last4(), n.Brand(), n.IsZero())
	}
	var zero Number
	if !zero.IsZero() || zero.Digits() != "" || zero.String() != "" || zero.Last4() != "" {
		t.Error("zero Number is not empty")
	}
}
