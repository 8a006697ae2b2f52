package network

// luhnValid reports whether digits (ASCII '0'–'9' only, already checked by
// the caller) pass the Luhn mod-10 check that every card network uses to
// catch typing mistakes.
func luhnValid(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// LuhnValid reports whether s, after [NormalizeNumber], is all digits and
// passes the Luhn check.
func LuhnValid(s string) bool {
	n := NormalizeNumber(s)
	return allDigits(n) && luhnValid(n)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
