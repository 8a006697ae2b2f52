package network

import (
	"math"
	"regexp"
	"slices"
	"testing"
)

func TestSupportedCurrencies(t *testing.T) {
	t.Parallel()
	list := SupportedCurrencies()
	if len(list) < 135 {
		t.Errorf("%d currencies, want at least 135", len(list))
	}
	if list[0] != "usd" || !slices.IsSorted(list[1:]) {
		t.Error("want usd first, then alphabetical")
	}
	code := regexp.MustCompile(`^[a-z]{3}$`)
	seen := map[string]bool{}
	for _, c := range list {
		if !code.MatchString(c) || seen[c] {
			t.Errorf("bad or duplicate code %q", c)
		}
		seen[c] = true
		if !IsSupportedCurrency(c) {
			t.Errorf("IsSupportedCurrency(%q) = false", c)
		}
	}
	for _, c := range []string{"usd", "USD", "Eur", "jpy", "isk", "bhd", "xcg"} {
		if !IsSupportedCurrency(c) {
			t.Errorf("IsSupportedCurrency(%q) = false", c)
		}
	}
	for _, c := range []string{"", "zzz", "us", "usdd", "btc", "hrk"} {
		if IsSupportedCurrency(c) {
			t.Errorf("IsSupportedCurrency(%q) = true", c)
		}
	}
	// Every currency with a special rule is supported.
	for c := range zeroDecimal {
		if !seen[c] {
			t.Errorf("zero-decimal %s is not supported", c)
		}
	}
	for c := range threeDecimal {
		if !seen[c] {
			t.Errorf("three-decimal %s is not supported", c)
		}
	}
	// The list is a copy.
	list[0] = "xxx"
	if SupportedCurrencies()[0] != "usd" {
		t.Error("SupportedCurrencies exposes its backing array")
	}
}

func TestCurrencyDecimals(t *testing.T) {
	t.Parallel()
	zero := []string{"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
	for _, c := range zero {
		if !IsZeroDecimal(c) || DecimalPlaces(c) != 0 || AmountIncrement(c) != 1 {
			t.Errorf("%s: zero-decimal %v, places %d, increment %d", c, IsZeroDecimal(c), DecimalPlaces(c), AmountIncrement(c))
		}
	}
	if !IsZeroDecimal("JPY") {
		t.Error("IsZeroDecimal is case-sensitive")
	}
	for _, c := range []string{"usd", "eur", "isk", "huf", "twd", "bhd", "zzz", ""} {
		if IsZeroDecimal(c) {
			t.Errorf("IsZeroDecimal(%q) = true", c)
		}
	}
	for c, want := range map[string]int{"usd": 2, "isk": 2, "huf": 2, "bhd": 3, "jod": 3, "kwd": 3, "omr": 3, "tnd": 3, "zzz": 2} {
		if got := DecimalPlaces(c); got != want {
			t.Errorf("DecimalPlaces(%q) = %d, want %d", c, got, want)
		}
	}
	for c, want := range map[string]int64{"usd": 1, "isk": 100, "ISK": 100, "kwd": 10, "jpy": 1, "huf": 1} {
		if got := AmountIncrement(c); got != want {
			t.Errorf("AmountIncrement(%q) = %d, want %d", c, got, want)
		}
	}
}

func TestMinimumAmount(t *testing.T) {
	t.Parallel()
	want := map[string]int64{
		"usd": 50, "aed": 200, "aud": 50, "bgn": 100, "brl": 50, "cad": 50, "chf": 50, "czk": 1500,
		"dkk": 250, "eur": 50, "gbp": 30, "hkd": 400, "hrk": 50, "huf": 17500, "inr": 50, "jpy": 50,
		"mxn": 1000, "myr": 200, "nok": 300, "nzd": 50, "pln": 200, "ron": 200, "sek": 300, "sgd": 50,
		"thb": 1000,
	}
	for c, w := range want {
		if got, ok := MinimumAmount(c); !ok || got != w {
			t.Errorf("MinimumAmount(%q) = %d, %v; want %d", c, got, ok, w)
		}
	}
	if got, ok := MinimumAmount("EUR"); !ok || got != 50 {
		t.Errorf("MinimumAmount(EUR) = %d, %v", got, ok)
	}
	for _, c := range []string{"krw", "isk", "zzz", ""} {
		if got, ok := MinimumAmount(c); ok {
			t.Errorf("MinimumAmount(%q) = %d, want unknown", c, got)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		amount int64
		cur    string
		want   string
	}{
		{50, "usd", "$0.50"},
		{50, "USD", "$0.50"},
		{50, "eur", "€0.50"},
		{50, "jpy", "¥50"},
		{5, "jpy", "¥5"},
		{30, "gbp", "£0.30"},
		{5, "usd", "$0.05"},
		{0, "usd", "$0.00"},
		{100, "usd", "$1.00"},
		{99999999, "usd", "$999,999.99"},
		{123456789, "usd", "$1,234,567.89"},
		{-50, "usd", "-$0.50"},
		{100000, "krw", "₩100,000"},
		{17500, "huf", "HUF 175.00"},
		{1500, "czk", "CZK 15.00"},
		{50, "cad", "CA$0.50"},
		{1000, "bhd", "BHD 1.000"},
		{10, "kwd", "KWD 0.010"},
		{500, "isk", "ISK 5.00"},
		{1000, "xof", "XOF 1,000"},
		{50, "zzz", "ZZZ 0.50"},
		{math.MinInt64, "usd", "-$92,233,720,368,547,758.08"},
		{math.MaxInt64, "jpy", "¥9,223,372,036,854,775,807"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.amount, tt.cur); got != tt.want {
			t.Errorf("FormatAmount(%d, %q) = %q, want %q", tt.amount, tt.cur, got, tt.want)
		}
	}
	// As used in amount_too_small.
	min, _ := MinimumAmount("eur")
	if got := "Amount must be at least " + FormatAmount(min, "eur") + " eur"; got != "Amount must be at least €0.50 eur" {
		t.Errorf("message = %q", got)
	}
}
