package elements_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// paste inserts text at the caret as a paste or autofill would.
func (s *shop) paste(text string) {
	s.t.Helper()
	s.run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: text})
		return err
	}))
}

type fieldState struct {
	Error, Invalid, DescribedBy, Live string
}

func (s *shop) fieldState(name string) fieldState {
	s.t.Helper()
	var f fieldState
	s.pe(fmt.Sprintf(`(() => { const i = document.getElementById('Field-%sInput'), e = document.getElementById('Field-%sError');
		return {Error: e.textContent, Invalid: i.getAttribute('aria-invalid'), DescribedBy: i.getAttribute('aria-describedby') || '', Live: e.getAttribute('aria-live') || ''}; })()`, name, name), &f)
	return f
}

// 8. Number formatting and brand detection.
func TestCardNumberFormattingAndBrand(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	for _, c := range []struct{ typed, want, brand string }{
		{"4242424242424242", "4242 4242 4242 4242", "visa"},
		{"378282246310005", "3782 822463 10005", "amex"},
		{"30569309025904", "3056 930902 5904", "diners"},
		{"5555555555554444", "5555 5555 5555 4444", "mastercard"},
		{"37828224631000599", "3782 822463 10005", "amex"}, // capped at 15 digits
		{"42a4b2-42", "4242 42", "visa"},                   // letters dropped
	} {
		s.clearField("#Field-numberInput")
		s.run(chromedp.KeyEvent(c.typed))
		if got := s.value("#Field-numberInput"); got != c.want {
			t.Errorf("typing %s gives %q, want %q", c.typed, got, c.want)
		}
		var brand string
		s.pe(`document.getElementById('Field-brandIcon').dataset.brand`, &brand)
		if brand != c.brand {
			t.Errorf("typing %s shows brand %q, want %q", c.typed, brand, c.brand)
		}
	}
	var details map[string]any
	s.settle()
	s.lastEvent("carddetailschange", &details)
	if fmt.Sprint(details["details"]) != "map[brands:[visa] funding:<nil>]" {
		t.Errorf("carddetailschange %v", details)
	}
	s.clearField("#Field-numberInput")
	s.paste("4242-4242 4242 4242")
	if got := s.value("#Field-numberInput"); got != "4242 4242 4242 4242" {
		t.Errorf("paste gives %q", got)
	}
	// Editing mid-string keeps the caret where it was.
	s.pe(`(() => { const i = document.getElementById('Field-numberInput'); i.focus(); i.setSelectionRange(6, 6); return true; })()`, nil)
	s.run(chromedp.KeyEvent(kb.Backspace))
	var caret int
	s.pe(`document.getElementById('Field-numberInput').selectionStart`, &caret)
	if got := s.value("#Field-numberInput"); got != "4242 2424 2424 242" || (caret != 4 && caret != 5) {
		t.Errorf("mid-string delete: %q caret %d", got, caret)
	}
}

// 9. Luhn, 10. expiry, 11. CVC, 12. inline errors and ARIA.
func TestCardValidationAndErrors(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)

	s.typeInto("#Field-numberInput", "424242424242")
	if f := s.fieldState("number"); f.Error != "" {
		t.Fatalf("error while typing a valid prefix: %+v", f)
	}
	s.run(chromedp.KeyEvent("4241"))
	f := s.fieldState("number")
	if f.Error != "Your card number is invalid." || f.Invalid != "true" || f.DescribedBy != "Field-numberError" || f.Live == "" {
		t.Fatalf("Luhn failure: %+v", f)
	}
	var ch map[string]any
	s.lastEvent("change", &ch)
	if ch["complete"] != false {
		t.Fatalf("complete with an invalid number")
	}
	s.run(chromedp.KeyEvent(kb.Backspace + "2"))
	if f := s.fieldState("number"); f.Error != "" || f.Invalid != "false" || f.DescribedBy != "" {
		t.Fatalf("error not cleared once valid: %+v", f)
	}

	// Expiry.
	for _, c := range []struct{ keys, want string }{
		{"1230", "12 / 30"}, {"2", "02 / "}, {"00", "0"}, {"13", "01 / 3"},
	} {
		s.clearField("#Field-expiryInput")
		s.run(chromedp.KeyEvent(c.keys))
		if got := s.value("#Field-expiryInput"); got != c.want {
			t.Errorf("expiry %s gives %q, want %q", c.keys, got, c.want)
		}
	}
	s.clearField("#Field-expiryInput")
	s.paste("12/2030")
	if got := s.value("#Field-expiryInput"); got != "12 / 30" {
		t.Errorf("pasted 12/2030 gives %q", got)
	}
	var active string
	s.pe(`document.activeElement.id`, &active)
	if active != "Field-cvcInput" {
		t.Errorf("a complete expiry moves focus to the CVC; focus is on %q", active)
	}
	s.click("#Field-expiryInput")
	s.run(chromedp.KeyEvent(kb.End + kb.Backspace + kb.Backspace))
	if got := s.value("#Field-expiryInput"); got != "12 / " {
		t.Errorf("two backspaces give %q", got)
	}
	s.run(chromedp.KeyEvent(kb.Backspace))
	if got := s.value("#Field-expiryInput"); got != "1" {
		t.Errorf("backspace across the separator gives %q, want 1", got)
	}
	s.clearField("#Field-expiryInput")
	s.run(chromedp.KeyEvent("1220"))
	if f := s.fieldState("expiry"); f.Error != "Your card's expiration year is in the past." {
		t.Errorf("past year: %+v", f)
	}

	// CVC: 3 digits for Visa, 4 for Amex; a short one errors on blur.
	s.typeInto("#Field-cvcInput", "12345")
	if got := s.value("#Field-cvcInput"); got != "123" {
		t.Errorf("visa cvc %q", got)
	}
	s.clearField("#Field-numberInput")
	s.run(chromedp.KeyEvent("378282246310005"))
	s.clearField("#Field-cvcInput")
	s.run(chromedp.KeyEvent("12345"))
	if got := s.value("#Field-cvcInput"); got != "1234" {
		t.Errorf("amex cvc %q", got)
	}
	s.clearField("#Field-cvcInput")
	s.run(chromedp.KeyEvent("12"))
	if f := s.fieldState("cvc"); f.Error != "" {
		t.Errorf("cvc error while typing: %+v", f)
	}
	s.click("#Field-postalCodeInput")
	if f := s.fieldState("cvc"); f.Error != "Your card's security code is incomplete." || f.Invalid != "true" {
		t.Errorf("short cvc on blur: %+v", f)
	}
	s.screenshot("error-state")
}

// 13. submit(), 14. gating, 15. token shape, 16. fields: 'never'.
func TestSubmitAndConfirmationToken(t *testing.T) {
	s := newShop(t)
	s.open(`{mode:'payment', amount:1099, currency:'usd', setupFutureUsage:'off_session'}`, ``)
	var sub struct {
		Error struct{ Type, Code, Message string }
	}
	s.eval(`elements.submit()`, &sub)
	if sub.Error.Type != "validation_error" || sub.Error.Code != "incomplete_number" || sub.Error.Message != "Your card number is incomplete." {
		t.Fatalf("submit on an empty form: %+v", sub)
	}
	var active string
	s.pe(`document.activeElement.id`, &active)
	for _, f := range []string{"number", "expiry", "cvc", "postalCode"} {
		if st := s.fieldState(f); st.Error == "" || st.Invalid != "true" {
			t.Errorf("after submit, %s shows no error: %+v", f, st)
		}
	}
	if active != "Field-numberInput" {
		t.Errorf("submit focused %q, want the card number", active)
	}
	s.fill("4242424242424242")
	if msg := s.evalErr(`return stripe.createConfirmationToken({elements})`); !strings.Contains(msg, "IntegrationError") || !strings.Contains(msg, "elements.submit()") {
		t.Fatalf("token without submit: %s", msg)
	}
	var ok struct{ SelectedPaymentMethod string }
	s.eval(`elements.submit()`, &ok)
	if ok.SelectedPaymentMethod != "card" {
		t.Fatalf("submit on a complete form: %+v", ok)
	}
	var tok struct {
		ConfirmationToken map[string]any `json:"confirmationToken"`
		Error             map[string]any `json:"error"`
	}
	s.eval(`stripe.createConfirmationToken({elements, params: {payment_method_data: {billing_details: {name: 'J Doe'}},
		return_url: 'https://shop.example/return', shipping: {name: 'J Doe', address: {line1: '1 Main St', city: 'SF', country: 'US', postal_code: '94107'}}}})`, &tok)
	ct := tok.ConfirmationToken
	if ct == nil {
		t.Fatalf("createConfirmationToken: %v", tok.Error)
	}
	pmp, _ := ct["payment_method_preview"].(map[string]any)
	card, _ := pmp["card"].(map[string]any)
	bd, _ := pmp["billing_details"].(map[string]any)
	created, _ := ct["created"].(float64)
	expires, _ := ct["expires_at"].(float64)
	if !strings.HasPrefix(fmt.Sprint(ct["id"]), "ctoken_") || ct["object"] != "confirmation_token" || pmp["type"] != "card" ||
		card["brand"] != "visa" || card["last4"] != "4242" || card["exp_month"] != float64(12) || card["exp_year"] != float64(2034) ||
		bd["name"] != "J Doe" || ct["return_url"] != "https://shop.example/return" || ct["shipping"] == nil ||
		ct["setup_future_usage"] != "off_session" || expires <= created || ct["payment_intent"] != nil || ct["use_stripe_sdk"] != true {
		t.Fatalf("token %v", ct)
	}
	addr, _ := bd["address"].(map[string]any)
	if addr["postal_code"] != "94107" || addr["country"] != "US" {
		t.Errorf("billing address from the element: %v", addr)
	}
	// The token is single-use of the submit: another one needs another submit.
	if msg := s.evalErr(`return stripe.createConfirmationToken({elements})`); !strings.Contains(msg, "elements.submit()") {
		t.Errorf("second token without submit: %s", msg)
	}
	// Without a mounted Payment Element the call is an integration error.
	if msg := s.evalErr(`const e2 = stripe.elements({mode:'payment', amount: 100, currency: 'usd'}); return stripe.createConfirmationToken({elements: e2})`); !strings.Contains(msg, "mounted Payment Element") {
		t.Errorf("no element: %s", msg)
	}
}

func TestFieldsNever(t *testing.T) {
	s := newShop(t)
	s.open(deferred, `{fields: {billingDetails: {address: 'never'}}}`)
	var present bool
	s.pe(`!!document.querySelector('#Field-countryInput, #Field-postalCodeInput')`, &present)
	if present {
		t.Fatal("address inputs shown with address: 'never'")
	}
	s.fill("4242424242424242")
	s.eval(`elements.submit()`, nil)
	if msg := s.evalErr(`return stripe.createConfirmationToken({elements})`); !strings.Contains(msg, "IntegrationError") || !strings.Contains(msg, "never") {
		t.Fatalf("token without the address: %s", msg)
	}
	var tok struct {
		ConfirmationToken map[string]any `json:"confirmationToken"`
	}
	s.eval(`stripe.createConfirmationToken({elements, params: {payment_method_data: {billing_details: {address:
		{line1: '1 Main St', line2: '', city: 'Paris', state: '', country: 'FR', postal_code: '75001'}}}}})`, &tok)
	if tok.ConfirmationToken == nil {
		t.Fatal("token with the address was not created")
	}
}
