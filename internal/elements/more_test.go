package elements_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stripe/stripe-go/v85"
)

// createIntent has the merchant server create and confirm a PaymentIntent
// from a fresh token; it returns {id, status, clientSecret}.
func (s *shop) tokenAndIntent(extra string) map[string]any {
	s.t.Helper()
	var r map[string]any
	s.eval(`(async () => {
		const sub = await elements.submit(); if (sub.error) return {error: sub.error.message};
		const {confirmationToken, error} = await stripe.createConfirmationToken({elements});
		if (error) return {error: error.message};
		const res = await fetch('/create-intent', {method: 'POST', body: JSON.stringify(Object.assign({confirmationTokenId: confirmationToken.id}, `+extra+`))});
		return res.json();
	})()`, &r)
	if r["error"] != nil {
		s.t.Fatalf("create intent: %v", r["error"])
	}
	return r
}

// 17. handleNextAction: Cancel and Esc fail the authentication, focus
// returns, and an intent not awaiting action is an integration error.
func TestHandleNextActionCancelEscAndState(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	for _, how := range []string{"cancel", "escape"} {
		s.clearField("#Field-numberInput")
		s.fill("4000002760003184")
		r := s.tokenAndIntent(`{captureMethod: 'manual'}`)
		if r["status"] != "requires_action" {
			t.Fatalf("3DS card: %v", r)
		}
		s.eval(`document.getElementById('pay').focus(); window.result = null;
			stripe.handleNextAction({clientSecret: `+fmt.Sprintf("%q", r["clientSecret"])+`}).then(r => window.result = r), true`, nil)
		s.challengeButton("")
		modal := s.frame(`iframe[title="3D Secure authentication"]`)
		if how == "cancel" {
			s.inFrame(modal, `document.getElementById('m-cancel').click(), true`, nil)
		} else {
			s.run(chromedp.KeyEvent(kb.Escape))
		}
		s.waitFor(`window.result`)
		var res struct {
			Error struct {
				Code          string
				PaymentIntent struct{ Status string } `json:"payment_intent"`
			}
			Focus string
		}
		s.eval(`({Error: window.result.error, Focus: document.activeElement.id})`, &res)
		if res.Error.Code != "payment_intent_authentication_failure" || res.Error.PaymentIntent.Status != "requires_payment_method" {
			t.Fatalf("%s: %+v", how, res)
		}
		if res.Focus != "pay" {
			t.Errorf("%s: focus went to %q, not back to the pay button", how, res.Focus)
		}
	}
	// Complete under manual capture resolves requires_capture.
	s.clearField("#Field-numberInput")
	s.fill("4000002760003184")
	r := s.tokenAndIntent(`{captureMethod: 'manual'}`)
	s.eval(`window.result = null; stripe.handleNextAction({clientSecret: `+fmt.Sprintf("%q", r["clientSecret"])+`}).then(r => window.result = r), true`, nil)
	s.challengeButton("complete")
	s.waitFor(`window.result`)
	var status string
	s.eval(`window.result.paymentIntent.status`, &status)
	if status != "requires_capture" {
		t.Fatalf("manual capture: %s", status)
	}
	if msg := s.evalErr(`return stripe.handleNextAction({clientSecret: ` + fmt.Sprintf("%q", r["clientSecret"]) + `})`); !strings.HasPrefix(msg, "IntegrationError") {
		t.Fatalf("handleNextAction on a requires_capture intent: %s", msg)
	}
}

// 18. redirect_to_url: the top window goes to the challenge page, which
// returns to return_url, where retrievePaymentIntent works.
func TestRedirectNextAction(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	s.fill("4000002760003184")
	// A confirmation with return_url (and no use_stripe_sdk token) gets a
	// redirect_to_url next action.
	var r map[string]any
	s.eval(`(async () => { await elements.submit(); const pi = await fetch('/create-unconfirmed', {method: 'POST'}).then(r => r.json());
		stripe.confirmPayment({elements, clientSecret: pi.clientSecret, confirmParams: {return_url: location.origin + '/return'}});
		return {id: pi.id, clientSecret: pi.clientSecret}; })()`, &r)
	var here string
	for i := 0; i < 100; i++ {
		time.Sleep(50 * time.Millisecond)
		s.eval(`location.href + (document.querySelector('button[value=complete]') ? '#ready' : '')`, &here)
		if strings.HasSuffix(here, "#ready") {
			break
		}
	}
	here = strings.TrimSuffix(here, "#ready")
	if !strings.HasPrefix(here, s.env.URL+"/3ds/challenge/") {
		t.Fatalf("navigated to %s", here)
	}
	// Keyboard only: the Complete button has focus; Enter submits it.
	s.run(chromedp.Focus(chromedp.CSS(`button[value=complete]`)), chromedp.KeyEvent(kb.Enter))
	s.run(chromedp.WaitVisible(chromedp.CSS("#landed")))
	s.eval(`location.href`, &here)
	u, _ := url.Parse(here)
	q := u.Query()
	if u.Path != "/return" || q.Get("payment_intent") != r["id"] || q.Get("payment_intent_client_secret") != r["clientSecret"] || q.Get("redirect_status") != "succeeded" {
		t.Fatalf("returned to %s", here)
	}
	var pi map[string]any
	s.eval(`Stripe('pk_test_tender_apitest_publishable').retrievePaymentIntent(new URLSearchParams(location.search).get('payment_intent_client_secret')).then(r => r.paymentIntent)`, &pi)
	if pi["status"] != "succeeded" || pi["object"] != "payment_intent" || pi["client_secret"] != r["clientSecret"] {
		t.Fatalf("retrievePaymentIntent: %v", pi)
	}
}

// 19. confirmPayment in the client-confirmed flow.
func TestConfirmPayment(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	newIntent := `fetch('/create-unconfirmed', {method: 'POST'}).then(r => r.json())`
	if msg := s.evalErr(`const pi = await ` + newIntent + `; return stripe.confirmPayment({elements, clientSecret: pi.clientSecret, confirmParams: {}})`); !strings.Contains(msg, "IntegrationError") || !strings.Contains(msg, "return_url") {
		t.Fatalf("missing return_url: %s", msg)
	}
	// A decline resolves a card_error and keeps the input for a retry.
	s.fill("4000000000000002")
	var dec struct {
		Error struct{ Type, Code, DeclineCode, Message string }
	}
	s.eval(`(async () => { await elements.submit(); const pi = await `+newIntent+`;
		const r = await stripe.confirmPayment({elements, clientSecret: pi.clientSecret, redirect: 'if_required'});
		return {Error: {Type: r.error.type, Code: r.error.code, DeclineCode: r.error.decline_code, Message: r.error.message}}; })()`, &dec)
	if dec.Error.Type != "card_error" || dec.Error.Code != "card_declined" || dec.Error.DeclineCode == "" || dec.Error.Message == "" {
		t.Fatalf("decline: %+v", dec)
	}
	if v := s.value("#Field-numberInput"); v != "4000 0000 0000 0002" {
		t.Fatalf("after a decline the number is %q", v)
	}
	s.clearField("#Field-numberInput")
	s.run(chromedp.KeyEvent("4242424242424242"))
	var ok struct{ PaymentIntent struct{ Status string } }
	s.eval(`(async () => { await elements.submit(); const pi = await `+newIntent+`;
		return stripe.confirmPayment({elements, clientSecret: pi.clientSecret, redirect: 'if_required'}); })()`, &ok)
	if ok.PaymentIntent.Status != "succeeded" {
		t.Fatalf("if_required: %+v", ok)
	}
	// The default redirect navigates to return_url.
	s.eval(`(async () => { await elements.submit(); const pi = await `+newIntent+`;
		stripe.confirmPayment({elements, clientSecret: pi.clientSecret, confirmParams: {return_url: location.origin + '/return'}}); return true; })()`, nil)
	s.run(chromedp.WaitVisible(chromedp.CSS("#landed")))
	var here string
	s.eval(`location.search`, &here)
	q, _ := url.ParseQuery(strings.TrimPrefix(here, "?"))
	if q.Get("redirect_status") != "succeeded" || !strings.HasPrefix(q.Get("payment_intent"), "pi_") {
		t.Fatalf("redirected with %s", here)
	}
	pi, err := s.env.Client.V1PaymentIntents.Retrieve(t.Context(), q.Get("payment_intent"), nil)
	if err != nil || pi.Status != stripe.PaymentIntentStatusSucceeded {
		t.Fatalf("intent after redirect: %v %v", pi, err)
	}
}

// 20. Layouts.
func TestLayouts(t *testing.T) {
	s := newShop(t)
	s.open(deferred, `{layout: {type: 'accordion', radios: 'always', spacedAccordionItems: true, defaultCollapsed: true}}`)
	var acc struct {
		Radios, Groups int
		Spaced         bool
		Panel          bool
	}
	s.pe(`({Radios: document.querySelectorAll('input[type=radio]').length, Groups: document.querySelectorAll('[role=radiogroup]').length,
		Spaced: !!document.querySelector('.p-Accordion--spaced'), Panel: !!document.querySelector('#Field-numberInput')})`, &acc)
	if acc.Radios == 0 || acc.Groups != 1 || !acc.Spaced || acc.Panel {
		t.Fatalf("collapsed accordion with radios: %+v", acc)
	}
	var ch map[string]any
	s.lastEvent("change", &ch)
	if ch["collapsed"] != true {
		t.Fatalf("defaultCollapsed change %v", ch)
	}
	s.click("#Radio-card")
	s.settle()
	s.lastEvent("change", &ch)
	var open bool
	s.pe(`!!document.querySelector('#Field-numberInput')`, &open)
	if ch["collapsed"] != false || !open {
		t.Fatalf("selecting card: %v open=%v", ch, open)
	}
	s.eval(`paymentElement.collapse(), true`, nil)
	s.settle()
	s.lastEvent("change", &ch)
	if ch["collapsed"] != true {
		t.Fatalf("collapse(): %v", ch)
	}
	s.eval(`paymentElement.update({layout: {type: 'accordion', radios: 'never'}}), true`, nil)
	s.settle()
	var expanded string
	s.pe(`(document.querySelector('button.p-AccordionHeader') || {getAttribute: () => 'missing'}).getAttribute('aria-expanded')`, &expanded)
	if expanded != "false" {
		t.Fatalf("accordion header button aria-expanded=%q", expanded)
	}
	s.click("button.p-AccordionHeader")
	s.pe(`document.querySelector('button.p-AccordionHeader').getAttribute('aria-expanded')`, &expanded)
	if expanded != "true" {
		t.Fatalf("after opening aria-expanded=%q", expanded)
	}
	s.screenshot("accordion")

	t.Run("tabs", func(t *testing.T) {
		// A USD session on an account with the other methods enabled
		// offers card, us_bank_account and klarna.
		enableAllMethods(t, s.env)
		s.open(`{mode:'payment', amount:1099, currency:'usd'}`, `{layout: 'tabs'}`)
		s.screenshot("tabs")
		var tabs []string
		s.pe(`Array.from(document.querySelectorAll('[role=tablist] [role=tab] .TabLabel')).map(e => e.textContent)`, &tabs)
		if strings.Join(tabs, ",") != "Card,US bank account,Klarna" {
			t.Fatalf("tabs %v", tabs)
		}
		s.click(`[role=tab][data-testid=card]`)
		for _, step := range []struct{ key, want string }{
			{kb.ArrowRight, "us_bank_account"}, {kb.ArrowRight, "klarna"}, {kb.ArrowRight, "card"},
			{kb.ArrowLeft, "klarna"}, {kb.Home, "card"}, {kb.End, "klarna"}, {kb.ArrowLeft, "us_bank_account"},
		} {
			s.run(chromedp.KeyEvent(step.key))
			s.settle()
			var tab struct{ Selected, Focused string }
			s.pe(`({Selected: document.querySelector('[role=tab][aria-selected=true]').dataset.testid, Focused: document.activeElement.dataset.testid})`, &tab)
			var ch struct{ Value struct{ Type string } }
			s.lastEvent("change", &ch)
			if tab.Selected != step.want || tab.Focused != step.want || ch.Value.Type != step.want {
				t.Fatalf("after %q: selected %q, focused %q, change value.type %q; want %s", step.key, tab.Selected, tab.Focused, ch.Value.Type, step.want)
			}
		}
		// The bank account form: the panel follows the selected tab.
		var fields []string
		s.pe(`Array.from(document.querySelectorAll('[role=tabpanel] .Input')).map(e => e.id)`, &fields)
		if strings.Join(fields, ",") != "Field-nameInput,Field-emailInput,Field-routingInput,Field-accountInput,Field-accountTypeInput" {
			t.Fatalf("us_bank_account fields %v", fields)
		}
	})
}
