package network

import (
	"slices"
	"strconv"
	"strings"
)

// Currency codes are ISO 4217, lowercase as Stripe writes them. The helpers
// below accept any case (Stripe does) and callers should store
// strings.ToLower of what they were given.

// supportedCurrencies is Stripe's list of presentment currencies for card
// payments, in the order Stripe prints it in its "Invalid currency" error:
// usd first, then alphabetical. It includes the three-decimal currencies
// (bhd, jod, kwd, omr, tnd) and both the Netherlands Antillean guilder (ang)
// and its 2025 successor, the Caribbean guilder (xcg).
var supportedCurrencies = []string{
	"usd", "aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn",
	"bam", "bbd", "bdt", "bgn", "bhd", "bif", "bmd", "bnd", "bob", "brl", "bsd",
	"bwp", "byn", "bzd", "cad", "cdf", "chf", "clp", "cny", "cop", "crc", "cve",
	"czk", "djf", "dkk", "dop", "dzd", "egp", "etb", "eur", "fjd", "fkp", "gbp",
	"gel", "gip", "gmd", "gnf", "gtq", "gyd", "hkd", "hnl", "htg", "huf", "idr",
	"ils", "inr", "isk", "jmd", "jod", "jpy", "kes", "kgs", "khr", "kmf", "krw",
	"kwd", "kyd", "kzt", "lak", "lbp", "lkr", "lrd", "lsl", "mad", "mdl", "mga",
	"mkd", "mmk", "mnt", "mop", "mur", "mvr", "mwk", "mxn", "myr", "mzn", "nad",
	"ngn", "nio", "nok", "npr", "nzd", "omr", "pab", "pen", "pgk", "php", "pkr",
	"pln", "pyg", "qar", "ron", "rsd", "rub", "rwf", "sar", "sbd", "scr", "sek",
	"sgd", "shp", "sle", "sos", "srd", "std", "szl", "thb", "tjs", "tnd", "top",
	"try", "ttd", "twd", "tzs", "uah", "ugx", "uyu", "uzs", "vnd", "vuv", "wst",
	"xaf", "xcd", "xcg", "xof", "xpf", "yer", "zar", "zmw",
}

var supportedSet = func() map[string]bool {
	m := make(map[string]bool, len(supportedCurrencies))
	for _, c := range supportedCurrencies {
		m[c] = true
	}
	return m
}()

// IsSupportedCurrency reports whether Stripe accepts cur for card payments.
func IsSupportedCurrency(cur string) bool {
	return supportedSet[strings.ToLower(cur)]
}

// SupportedCurrencies lists the supported currency codes in the order of
// Stripe's "Invalid currency: zzz. Stripe currently supports these
// currencies: usd, aed, afn, …" message. The slice is a copy.
func SupportedCurrencies() []string {
	return slices.Clone(supportedCurrencies)
}

// zeroDecimal are the currencies whose API amounts are in major units.
var zeroDecimal = map[string]bool{
	"bif": true, "clp": true, "djf": true, "gnf": true, "jpy": true, "kmf": true,
	"krw": true, "mga": true, "pyg": true, "rwf": true, "ugx": true, "vnd": true,
	"vuv": true, "xaf": true, "xof": true, "xpf": true,
}

// threeDecimal are the currencies whose API amounts are in thousandths.
var threeDecimal = map[string]bool{"bhd": true, "jod": true, "kwd": true, "omr": true, "tnd": true}

// IsZeroDecimal reports whether API amounts in cur are whole units (amount
// 500 in jpy is ¥500). ISK is not: Stripe keeps it two-decimal in the API
// and requires multiples of 100 (see [AmountIncrement]); HUF and TWD are
// zero-decimal only for payouts.
func IsZeroDecimal(cur string) bool {
	return zeroDecimal[strings.ToLower(cur)]
}

// DecimalPlaces is the number of decimals of an API amount in cur: 0 for
// zero-decimal currencies, 3 for bhd, jod, kwd, omr and tnd, 2 otherwise.
func DecimalPlaces(cur string) int {
	cur = strings.ToLower(cur)
	switch {
	case zeroDecimal[cur]:
		return 0
	case threeDecimal[cur]:
		return 3
	}
	return 2
}

// AmountIncrement is the step API amounts in cur must be a multiple of:
// 100 for isk (whole krónur only, in a two-decimal API amount), 10 for the
// three-decimal currencies (the last digit must be 0), 1 otherwise.
func AmountIncrement(cur string) int64 {
	cur = strings.ToLower(cur)
	switch {
	case cur == "isk":
		return 100
	case threeDecimal[cur]:
		return 10
	}
	return 1
}

// minimumAmounts is Stripe's minimum charge table (api-contract §4), in API
// minor units.
var minimumAmounts = map[string]int64{
	"usd": 50, "aed": 200, "aud": 50, "bgn": 100, "brl": 50, "cad": 50,
	"chf": 50, "czk": 1500, "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400,
	"hrk": 50, "huf": 17500, "inr": 50, "jpy": 50, "mxn": 1000, "myr": 200,
	"nok": 300, "nzd": 50, "pln": 200, "ron": 200, "sek": 300, "sgd": 50,
	"thb": 1000,
}

// MinimumAmount is the smallest amount Stripe charges in cur, in API minor
// units (50 for usd, 50 for jpy, 17500 for huf). ok is false for currencies
// without a published minimum; Stripe requires the equivalent of USD 0.50
// for those, which needs exchange rates this package does not have.
func MinimumAmount(cur string) (amount int64, ok bool) {
	amount, ok = minimumAmounts[strings.ToLower(cur)]
	return amount, ok
}

// currencySymbols are the prefixes FormatAmount uses, from CLDR's English
// symbols. Currencies not listed are prefixed with their uppercase code.
var currencySymbols = map[string]string{
	"usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cny": "CN¥", "inr": "₹",
	"krw": "₩", "cad": "CA$", "aud": "A$", "nzd": "NZ$", "hkd": "HK$",
	"mxn": "MX$", "brl": "R$", "twd": "NT$", "ils": "₪", "vnd": "₫",
	"php": "₱", "xcd": "EC$",
}

// FormatAmount renders an API amount for people, as Stripe's messages do:
// "$0.50" for 50 usd, "€0.50" for 50 eur, "¥50" for 50 jpy, "$1,234.56" for
// 123456 usd, "CHF 0.50" for a currency without a common symbol. Callers add
// the lowercase code where Stripe does ("Amount must be at least $0.50
// usd").
func FormatAmount(amount int64, cur string) string {
	cur = strings.ToLower(cur)
	sign := ""
	// Work in uint64 so that the most negative int64 formats too.
	u := uint64(amount)
	if amount < 0 {
		sign = "-"
		u = -u
	}
	places := DecimalPlaces(cur)
	s := strconv.FormatUint(u, 10)
	if len(s) <= places {
		s = strings.Repeat("0", places-len(s)+1) + s
	}
	whole, frac := s[:len(s)-places], s[len(s)-places:]
	var b strings.Builder
	b.WriteString(sign)
	if sym, ok := currencySymbols[cur]; ok {
		b.WriteString(sym)
	} else {
		b.WriteString(strings.ToUpper(cur))
		b.WriteByte(' ')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if places > 0 {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
