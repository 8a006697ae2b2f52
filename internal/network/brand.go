package network

// Brand is a card network brand as Stripe spells it in
// payment_method.card.brand and charge payment_method_details.card.network.
type Brand string

// The brands Tender recognises by IIN (issuer identification number) range.
const (
	BrandVisa       Brand = "visa"
	BrandMastercard Brand = "mastercard"
	BrandAmex       Brand = "amex"
	BrandDiscover   Brand = "discover"
	BrandDiners     Brand = "diners"
	BrandJCB        Brand = "jcb"
	BrandUnionPay   Brand = "unionpay"
	BrandUnknown    Brand = "unknown"
)

// Funding is the card's funding type, payment_method.card.funding.
type Funding string

// Funding types, as Stripe names them.
const (
	FundingCredit  Funding = "credit"
	FundingDebit   Funding = "debit"
	FundingPrepaid Funding = "prepaid"
	FundingUnknown Funding = "unknown"
)

// DetectBrand names the brand of a card number, or of the first digits of
// one (a browser form can call it while the customer types). It looks only at
// the leading digits after [NormalizeNumber]; it does not validate length or
// the Luhn check. Anything it does not recognise is [BrandUnknown].
func DetectBrand(number string) Brand {
	return detectBrand(NormalizeNumber(number))
}

func detectBrand(n string) Brand {
	if !allDigits(n) {
		return BrandUnknown
	}
	p1, p2, p3, p4 := prefix(n, 1), prefix(n, 2), prefix(n, 3), prefix(n, 4)
	// Longer, more specific ranges are tested before the shorter ones they
	// would otherwise be shadowed by (6011 before 62/65, 2221–2720 before
	// nothing else starting with 2).
	switch {
	case p1 == 4:
		return BrandVisa
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return BrandMastercard
	case p2 == 34, p2 == 37:
		return BrandAmex
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65:
		return BrandDiscover
	case p4 >= 3528 && p4 <= 3589:
		return BrandJCB
	case p3 >= 300 && p3 <= 305, p2 == 36, p2 == 38, p2 == 39:
		return BrandDiners
	case p2 == 62:
		return BrandUnionPay
	}
	return BrandUnknown
}

// prefix is the number formed by the first k digits of n, or -1 when n is
// shorter than k.
func prefix(n string, k int) int {
	if len(n) < k {
		return -1
	}
	v := 0
	for i := 0; i < k; i++ {
		v = v*10 + int(n[i]-'0')
	}
	return v
}

// validLength reports whether a number of length l is a possible card number
// for the brand. Unknown brands take the ISO/IEC 7812 range, 12 to 19 digits,
// so that an unusual but Luhn-valid number is still usable in test mode.
func (b Brand) validLength(l int) bool {
	switch b {
	case BrandVisa:
		return l == 13 || l == 16 || l == 19
	case BrandMastercard:
		return l == 16
	case BrandAmex:
		return l == 15
	case BrandDiners:
		return l >= 14 && l <= 19
	case BrandDiscover, BrandJCB, BrandUnionPay:
		return l >= 16 && l <= 19
	default:
		return l >= 12 && l <= 19
	}
}

// CVCLength is the number of digits of the brand's security code: 4 for
// American Express (the CID printed on the front), 3 for every other brand.
func (b Brand) CVCLength() int {
	if b == BrandAmex {
		return 4
	}
	return 3
}

// DisplayBrand is the brand as Stripe spells it in
// payment_method.card.display_brand.
func (b Brand) DisplayBrand() string {
	switch b {
	case BrandAmex:
		return "american_express"
	case BrandDiners:
		return "diners_club"
	case BrandUnionPay:
		return "union_pay"
	case BrandVisa, BrandMastercard, BrandDiscover, BrandJCB:
		return string(b)
	default:
		return "other"
	}
}

// Network is the card network that carries the brand's payments, as in
// payment_method.card.networks.available and
// charge.payment_method_details.card.network. Every brand here is its own
// network.
func (b Brand) Network() string {
	return string(b)
}

// SupportedBrands lists the card brands the simulated network accepts.
func SupportedBrands() []string {
	return []string{string(BrandVisa), string(BrandMastercard), string(BrandAmex), string(BrandDiscover),
		string(BrandDiners), string(BrandJCB), string(BrandUnionPay)}
}
