package network

// Checks are the verification results the network reports for a card with
// this behaviour, given what was supplied: "fail" for the checks the test
// card fails, "unavailable" for address checks on
// [BehaviourAVSUnchecked], "pass" otherwise, and no check (null) for data
// not supplied.
func (b Behaviour) Checks(p Provided) Checks {
	f := behaviours[b].checks
	var c Checks
	if p.CVC {
		c.CVC = passOrFail(f.cvc)
	}
	if p.AddressLine1 {
		c.AddressLine1 = passOrFail(f.line1)
		if f.addressUnavailable {
			c.AddressLine1 = CheckUnavailable
		}
	}
	if p.AddressPostalCode {
		c.AddressPostalCode = passOrFail(f.postal)
		if f.addressUnavailable {
			c.AddressPostalCode = CheckUnavailable
		}
	}
	return c
}

// Unchecked are the checks of a PaymentMethod that has not been used yet:
// "unchecked" for each piece of data supplied, null for the rest. Stripe
// reports these on payment_method.card.checks until a charge or setup
// verifies the card.
func (p Provided) Unchecked() Checks {
	var c Checks
	if p.CVC {
		c.CVC = CheckUnchecked
	}
	if p.AddressLine1 {
		c.AddressLine1 = CheckUnchecked
	}
	if p.AddressPostalCode {
		c.AddressPostalCode = CheckUnchecked
	}
	return c
}

func passOrFail(fail bool) Check {
	if fail {
		return CheckFail
	}
	return CheckPass
}
