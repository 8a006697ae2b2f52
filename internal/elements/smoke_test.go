package elements_test

import "testing"

func TestSmoke(t *testing.T) {
	s := newShop(t)
	s.open(`{mode:'payment', amount:1099, currency:'usd'}`, ``)
	s.fill("4242424242424242")
	s.settle()
	for _, f := range []string{"#Field-numberInput", "#Field-expiryInput", "#Field-cvcInput", "#Field-postalCodeInput"} {
		t.Logf("%s = %q", f, s.value(f))
	}
	var ch any
	s.eval(`JSON.stringify(events.filter(e => e.name === 'change').slice(-3))`, &ch)
	t.Logf("change: %v", ch)
	s.screenshot("smoke")
}
