package network

import (
	"fmt"
	"log/slog"
	"time"
)

// Card is what the network knows about a card, and what the caller stores
// on a PaymentMethod: everything except the number and the CVC.
//
// A Card made from a magic id or test token also carries its public test
// number, see [Card.Number]; like every number in this package it never
// prints.
type Card struct {
	Brand   Brand
	Funding Funding
	// Country is the issuing country, ISO 3166-1 alpha-2. Every simulated
	// card is issued in the US, as Stripe's test cards are.
	Country string
	Last4   string
	// ExpMonth (1–12) and ExpYear (four digits); zero for a Card from
	// [Identify], which sees only the number.
	ExpMonth int
	ExpYear  int
	// Behaviour is how the simulated network treats the card.
	Behaviour Behaviour
	// CVCProvided says a CVC came with the card. Magic ids and test tokens
	// count as having one, so that their CVC check runs (Stripe reports
	// cvc_check "pass" for pm_card_visa).
	CVCProvided bool

	number Number
}

// Number is the card's number, for cards made from a magic id or a test
// token only: those numbers are public, and the caller needs them for
// [Fingerprint]. For a card parsed from customer input, ok is false: the
// caller fingerprints the number it was given and then forgets it.
func (c Card) Number() (n Number, ok bool) {
	return c.number, !c.number.IsZero()
}

// ThreeDSecureSupported is payment_method.card.three_d_secure_usage.supported.
func (c Card) ThreeDSecureSupported() bool { return c.Behaviour.ThreeDSecureSupported() }

// String describes the card without its number, for example
// "visa credit ****4242 12/2027 (success)".
func (c Card) String() string {
	s := fmt.Sprintf("%s %s ****%s", c.Brand, c.Funding, c.Last4)
	if c.ExpMonth != 0 || c.ExpYear != 0 {
		s += fmt.Sprintf(" %02d/%d", c.ExpMonth, c.ExpYear)
	}
	return s + " (" + string(c.Behaviour) + ")"
}

// Format prints [Card.String] for every fmt verb, so that %+v and %#v
// cannot reach the number either.
func (c Card) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue implements [slog.LogValuer]: the card's stored attributes, never
// its number.
func (c Card) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("brand", string(c.Brand)),
		slog.String("funding", string(c.Funding)),
		slog.String("last4", c.Last4),
		slog.Int("exp_month", c.ExpMonth),
		slog.Int("exp_year", c.ExpYear),
		slog.String("behaviour", string(c.Behaviour)),
	)
}

// CardDetails is raw card data as a customer entered it: card[number],
// card[exp_month], card[exp_year] and card[cvc]. It must not outlive the
// request that carries it.
//
// It is opaque, made with [NewCardDetails], and redacts itself like
// [Number]. The number and CVC sit behind pointers to strings, so that even a
// CardDetails in an unexported field of another struct (which fmt and slog
// print without consulting its methods) shows addresses, not the data.
// Pointers to strings rather than to a struct: fmt's error formatting
// (%!s(*T=&{...})) dereferences pointers to structs, but not to strings.
type CardDetails struct {
	num      *string
	cvcp     *string
	expMonth int
	expYear  int
}

// NewCardDetails collects card data for [ParseCard]. expYear may have two
// or four digits; an empty cvc means none was supplied.
func NewCardDetails(number string, expMonth, expYear int, cvc string) CardDetails {
	return CardDetails{num: &number, cvcp: &cvc, expMonth: expMonth, expYear: expYear}
}

func (d CardDetails) number() string {
	if d.num == nil {
		return ""
	}
	return *d.num
}

func (d CardDetails) cvc() string {
	if d.cvcp == nil {
		return ""
	}
	return *d.cvcp
}

// String is a redacted description: last four digits and expiry only.
func (d CardDetails) String() string {
	cvc := ""
	if d.cvc() != "" {
		cvc = " cvc:***"
	}
	return fmt.Sprintf("****%s %02d/%d%s", last4(NormalizeNumber(d.number())), d.expMonth, d.expYear, cvc)
}

// Format prints [CardDetails.String] for every fmt verb.
func (d CardDetails) Format(f fmt.State, _ rune) { fmt.Fprint(f, d.String()) }

// LogValue implements [slog.LogValuer] with the redacted form.
func (d CardDetails) LogValue() slog.Value { return slog.StringValue(d.String()) }

// MarshalJSON writes the redacted form, so that an accidental
// json.Marshal of a CardDetails stores nothing sensitive.
func (d CardDetails) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, "%q", d.String()), nil
}

// ParseCard validates card data a customer entered and describes the card.
// It checks, in order, the number ([ParseCardNumber]), the expiry
// ([ValidateExpiry], against now) and the CVC ([ValidateCVC]), and returns
// the first failure as a [*CardError]. A Luhn-valid number that is not one of
// Stripe's test cards gets [BehaviourSuccess].
//
// The returned Card does not keep the number: fingerprint the number with
// [Fingerprint] before dropping it.
func ParseCard(d CardDetails, now time.Time) (Card, error) {
	n, err := ParseCardNumber(d.number())
	if err != nil {
		return Card{}, err
	}
	year, err := ValidateExpiry(d.expMonth, d.expYear, now)
	if err != nil {
		return Card{}, err
	}
	if err := ValidateCVC(d.cvc(), n.Brand()); err != nil {
		return Card{}, err
	}
	c := Identify(n)
	c.ExpMonth, c.ExpYear = d.expMonth, year
	c.CVCProvided = d.cvc() != ""
	return c, nil
}

// Identify describes the card with number n, without an expiry: brand,
// funding, country, last4 and behaviour. Stripe's test numbers get their
// documented funding and behaviour; any other number is a card of its
// detected brand that always succeeds, with funding credit (unknown for an
// unknown brand).
func Identify(n Number) Card {
	digits := n.Digits()
	if tc, ok := testCardsByNumber[digits]; ok {
		return Card{Brand: detectBrand(digits), Funding: tc.funding, Country: "US", Last4: last4(digits), Behaviour: tc.behaviour}
	}
	b := detectBrand(digits)
	f := FundingCredit
	if b == BrandUnknown {
		f = FundingUnknown
	}
	return Card{Brand: b, Funding: f, Country: "US", Last4: last4(digits), Behaviour: BehaviourSuccess}
}

// maxExpiryYears is how far in the future an expiry may be. Real cards are
// issued for at most about ten years; the margin only stops nonsense such as
// 9999 from being stored.
const maxExpiryYears = 50

// ValidateExpiry checks an expiry as the customer entered it and returns the
// four-digit year. The month must be 1–12 ([ErrInvalidExpiryMonth]); the
// year must have two digits (26 is 2026) or four ([ErrInvalidExpiryYear]).
// A card is valid to the end of its expiry month, in UTC: a year before now's,
// or more than 50 years after it, is [ErrInvalidExpiryYear]; an earlier month
// of now's year is [ErrInvalidExpiryMonth].
func ValidateExpiry(month, year int, now time.Time) (int, error) {
	if month < 1 || month > 12 {
		return 0, ErrInvalidExpiryMonth
	}
	switch {
	case year >= 0 && year <= 99:
		year += 2000
	case year >= 1000 && year <= 9999:
	default:
		return 0, ErrInvalidExpiryYear
	}
	nowYear, nowMonth, _ := now.UTC().Date()
	switch {
	case year < nowYear, year > nowYear+maxExpiryYears:
		return 0, ErrInvalidExpiryYear
	case year == nowYear && month < int(nowMonth):
		return 0, ErrInvalidExpiryMonth
	}
	return year, nil
}

// expired reports whether a stored expiry has passed by now. A zero expiry
// is not checked.
func expired(month, year int, now time.Time) bool {
	if month == 0 || year == 0 {
		return false
	}
	if year < 100 {
		year += 2000
	}
	nowYear, nowMonth, _ := now.UTC().Date()
	return year < nowYear || year == nowYear && month < int(nowMonth)
}

// ValidateCVC checks a security code for the brand: digits only, four for
// American Express, three for the other known brands, three or four for an
// unknown brand. An empty CVC is valid: it was not supplied.
func ValidateCVC(cvc string, b Brand) error {
	if cvc == "" {
		return nil
	}
	if !allDigits(cvc) {
		return ErrInvalidCVC
	}
	if b == BrandUnknown {
		if len(cvc) == 3 || len(cvc) == 4 {
			return nil
		}
		return ErrInvalidCVC
	}
	if len(cvc) != b.CVCLength() {
		return ErrInvalidCVC
	}
	return nil
}
