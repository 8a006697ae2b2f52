package network

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseCardNumber checks that number parsing never panics and that its
// answers are consistent: a valid number is all digits, passes Luhn, has a
// length its brand allows and is the normalised input; an invalid one is
// invalid_number exactly when something other than digits is left after
// normalisation. Run: go test -fuzz FuzzParseCardNumber ./internal/network
func FuzzParseCardNumber(f *testing.F) {
	for _, tc := range testCards {
		f.Add(tc.number)
	}
	for _, s := range []string{
		"", " ", "-", "4242 4242 4242 4242", "4242-4242-4242-4242", "4242424242424241",
		"4242x", "０", "4242\t4242", "\x00", "42424242424242424242424242", "1234567890123452",
		"99999999999999999999", "6011 0009 9013 9424", "٤٢٤٢",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := ParseCardNumber(in)
		norm := NormalizeNumber(in)
		if strings.ContainsAny(norm, " -") {
			t.Fatalf("NormalizeNumber(%q) = %q keeps separators", in, norm)
		}
		brand := DetectBrand(in) // must not panic on anything
		if err != nil {
			if !n.IsZero() {
				t.Fatalf("ParseCardNumber(%q) returned a number and %v", in, err)
			}
			switch {
			case errors.Is(err, ErrInvalidNumber):
				if allDigits(norm) {
					t.Fatalf("ParseCardNumber(%q): invalid_number for digits %q", in, norm)
				}
			case errors.Is(err, ErrIncorrectNumber):
				if !allDigits(norm) {
					t.Fatalf("ParseCardNumber(%q): incorrect_number for non-digits", in)
				}
				if luhnValid(norm) && brand.validLength(len(norm)) {
					t.Fatalf("ParseCardNumber(%q): incorrect_number for a valid number", in)
				}
			default:
				t.Fatalf("ParseCardNumber(%q): unexpected error %v", in, err)
			}
			if _, perr := ParseCard(NewCardDetails(in, 12, 2030, ""), now); !errors.Is(perr, err) {
				t.Fatalf("ParseCard(%q) = %v, ParseCardNumber = %v", in, perr, err)
			}
			return
		}
		d := n.Digits()
		if d != norm {
			t.Fatalf("ParseCardNumber(%q) = %q, want the normalised %q", in, d, norm)
		}
		if !allDigits(d) || !luhnValid(d) || !LuhnValid(in) {
			t.Fatalf("ParseCardNumber(%q) accepted %q, which is not Luhn-valid digits", in, d)
		}
		if len(d) < 12 || len(d) > 19 || !n.Brand().validLength(len(d)) || n.Brand() != brand {
			t.Fatalf("ParseCardNumber(%q) accepted %d digits for %s", in, len(d), n.Brand())
		}
		if n.Last4() != d[len(d)-4:] || strings.Contains(n.String(), d) {
			t.Fatalf("ParseCardNumber(%q): last4 %q, String %q", in, n.Last4(), n.String())
		}
		c, err := ParseCard(NewCardDetails(in, 12, 2030, ""), now)
		if err != nil || c.Brand != brand || c.Last4 != n.Last4() || !c.Behaviour.Valid() {
			t.Fatalf("ParseCard(%q) = %v, %v", in, c, err)
		}
		if f := Fingerprint([]byte("k"), in); len(f) != 16 || f != Fingerprint([]byte("k"), d) {
			t.Fatalf("Fingerprint(%q) = %q", in, f)
		}
	})
}
