package elements_test

import "testing"

func TestSmoke(t *testing.T) {
	s := newShop(t)
	s.open(`{mode:'payment', amount:1099, currency:'usd'}`, ``)
	s.fill("4242424242424242")
	s.screenshot("smoke")
	var ch map[string]any
	s.lastEvent("change", &ch)
	t.Logf("change: %v", ch)
}
