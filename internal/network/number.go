package network

import (
	"fmt"
	"log/slog"
	"strings"
)

// Number is a validated, normalised card number (PAN). It exists only in
// memory while a PaymentMethod is created; persist its Last4 and a
// [Fingerprint], never the number.
//
// A Number redacts itself everywhere it could leak by accident: fmt (every
// verb, including %#v), log/slog and encoding/json or encoding/text all show
// only the last four digits. The digits live behind a pointer so that even a
// Number held in an unexported struct field, which fmt prints without
// consulting its methods, shows up as an address rather than the number.
// [Number.Digits] is the one deliberate way to read it.
type Number struct {
	p *string
}

// NormalizeNumber strips the spaces and dashes people type into card numbers
// ("4242 4242-4242 4242"). It does not validate anything.
func NormalizeNumber(s string) string {
	if !strings.ContainsAny(s, " -") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '-' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ParseCardNumber normalises and validates a card number as typed by a
// customer. It returns [ErrInvalidNumber] when anything but digits, spaces
// and dashes is present, and [ErrIncorrectNumber] when the number is empty,
// has a length no card of its brand has, or fails the Luhn check.
func ParseCardNumber(s string) (Number, error) {
	n := NormalizeNumber(s)
	if n == "" {
		return Number{}, ErrIncorrectNumber
	}
	if !allDigits(n) {
		return Number{}, ErrInvalidNumber
	}
	if !detectBrand(n).validLength(len(n)) || !luhnValid(n) {
		return Number{}, ErrIncorrectNumber
	}
	return Number{p: &n}, nil
}

// mustNumber is for the package's own table of public test card numbers.
func mustNumber(s string) Number {
	n, err := ParseCardNumber(s)
	if err != nil {
		panic(fmt.Sprintf("network: bad test card number ending %s: %v", last4(s), err))
	}
	return n
}

// IsZero reports whether n holds no number.
func (n Number) IsZero() bool { return n.p == nil }

// Digits returns the full card number. Never store, log or render it: pass it
// to [Fingerprint] and let it go.
func (n Number) Digits() string {
	if n.p == nil {
		return ""
	}
	return *n.p
}

// Last4 is the last four digits, as stored in payment_method.card.last4.
func (n Number) Last4() string { return last4(n.Digits()) }

// Brand is the number's brand by IIN range.
func (n Number) Brand() Brand { return detectBrand(n.Digits()) }

// String is the redacted form, "****4242".
func (n Number) String() string {
	if n.p == nil {
		return ""
	}
	return "****" + n.Last4()
}

// GoString redacts %#v as well.
func (n Number) GoString() string { return fmt.Sprintf("network.Number(%q)", n.String()) }

// Format makes every fmt verb (%v, %+v, %s, %q, %x, %d, …) print the redacted
// form.
func (n Number) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, n.GoString())
		return
	}
	fmt.Fprint(f, n.String())
}

// LogValue implements [slog.LogValuer] with the redacted form.
func (n Number) LogValue() slog.Value { return slog.StringValue(n.String()) }

// MarshalText implements encoding.TextMarshaler (and so JSON) with the
// redacted form. There is deliberately no UnmarshalText: a Number is never
// read back from storage.
func (n Number) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

func last4(s string) string {
	if len(s) <= 4 {
		return s
	}
	return s[len(s)-4:]
}
