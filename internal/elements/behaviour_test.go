package elements_test

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const deferred = `{mode:'payment', amount:1099, currency:'usd'}`

// 1. Drop-in load: window.Stripe with or without new, the methods wrappers
// check for, and Tender's origin learned from the script URL.
func TestDropInLoad(t *testing.T) {
	s := newShop(t)
	s.run(chromedp.Navigate(s.merchant.URL + "/checkout"))
	var r struct {
		WithoutNew, WithNew, Version bool
		Missing                      []string
		ControllerSrc                string
	}
	s.eval(`(async () => {
		const a = Stripe('pk_test_tender_apitest_publishable');
		const b = new Stripe('pk_test_tender_apitest_publishable');
		const fns = ['elements','createToken','createPaymentMethod','confirmCardPayment','createConfirmationToken',
			'handleNextAction','retrievePaymentIntent','retrieveSetupIntent','confirmPayment','confirmSetup','registerAppInfo','_registerWrapper'];
		a.registerAppInfo({name: 'test'}); a._registerWrapper({name: 'react-stripe-js'});
		a.elements(`+deferred+`);
		await new Promise((r) => setTimeout(r, 100));
		return {WithoutNew: a instanceof Stripe, WithNew: b instanceof Stripe, Version: Stripe.version === 3,
			Missing: fns.filter((f) => typeof a[f] !== 'function'),
			ControllerSrc: document.querySelector('iframe[name^=__privateStripeController]').src};
	})()`, &r)
	if !r.WithoutNew || !r.WithNew || !r.Version || len(r.Missing) > 0 {
		t.Fatalf("constructor: %+v", r)
	}
	if !strings.HasPrefix(r.ControllerSrc, s.env.URL+"/v3/controller-") {
		t.Fatalf("controller frame %q is not on Tender's origin %s", r.ControllerSrc, s.env.URL)
	}
	if msg := s.evalErr(`Stripe('sk_test_123')`); !strings.HasPrefix(msg, "IntegrationError") {
		t.Fatalf("secret key accepted: %s", msg)
	}
}

// 2. Deferred options: every spelling accepted; invalid combinations throw
// IntegrationError synchronously.
func TestDeferredOptions(t *testing.T) {
	s := newShop(t)
	s.run(chromedp.Navigate(s.merchant.URL + "/checkout"))
	for _, ok := range []string{
		`{mode:'payment', amount:1099, currency:'usd', setupFutureUsage:'off_session', captureMethod:'manual', paymentMethodTypes:['card'], paymentMethodCreation:'manual'}`,
		`{mode:'payment', amount:1099, currency:'usd', setup_future_usage:'off_session', capture_method:'manual', payment_method_types:['card'], payment_method_creation:'manual'}`,
		`{mode:'payment', amount:1099, currency:'USD', allowedPaymentMethodTypes:['card']}`,
		`{mode:'setup', currency:'usd'}`, `{mode:'setup'}`,
		`{mode:'subscription', amount:0, currency:'eur'}`,
		`{mode:'payment', amount:500, currency:'usd', appearance:{theme:'night'}, fonts:[], locale:'fr', customerSessionClientSecret:'cuss_x_secret_y'}`,
	} {
		if msg := s.evalErr(`Stripe('pk_test_tender_apitest_publishable').elements(` + ok + `)`); msg != "no error" {
			t.Errorf("elements(%s): %s", ok, msg)
		}
	}
	for _, bad := range []string{
		`{mode:'payment', currency:'usd'}`,
		`{mode:'payment', amount:0, currency:'usd'}`,
		`{mode:'payment', amount:10.5, currency:'usd'}`,
		`{mode:'payment', amount:1099}`,
		`{mode:'payment', amount:1099, currency:'usd', clientSecret:'pi_1_secret_2'}`,
		`{mode:'bogus', amount:1099, currency:'usd'}`,
		`{mode:'payment', amount:1099, currency:'usd', captureMethod:'later'}`,
		`{mode:'payment', amount:1099, currency:'usd', setupFutureUsage:'always'}`,
		`{mode:'payment', amount:1099, currency:'usd', paymentMethodTypes:'card'}`,
	} {
		var sync string
		s.eval(`(() => { try { Stripe('pk_test_tender_apitest_publishable').elements(`+bad+`); return 'no error'; } catch (e) { return e.name; } })()`, &sync)
		if sync != "IntegrationError" {
			t.Errorf("elements(%s): %s, want a synchronous IntegrationError", bad, sync)
		}
	}
}

// 3. Mount lifecycle, and 4. readiness.
func TestMountLifecycleAndReadiness(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	var m struct {
		Frames          int
		Title, Class    string
		Names           []string
		OrderedLoadOnce bool
	}
	s.eval(`(() => {
		const c = document.getElementById('payment-element');
		const names = events.map(e => e.name).filter(n => n === 'loaderstart' || n === 'ready');
		return {Frames: c.querySelectorAll('iframe').length, Title: c.querySelector('iframe').title, Class: c.className, Names: names};
	})()`, &m)
	if m.Frames != 1 || m.Title != "Secure payment input frame" || !strings.Contains(m.Class, "StripeElement StripeElement--empty") {
		t.Fatalf("mount: %+v", m)
	}
	if strings.Join(m.Names, ",") != "loaderstart,ready" {
		t.Fatalf("events %v, want loaderstart then ready once", m.Names)
	}
	var ready map[string]any
	s.lastEvent("ready", &ready)
	if fmt.Sprint(ready) != "map[elementType:payment]" {
		t.Fatalf("ready payload %v", ready)
	}

	// Height follows the content, without a scrollbar.
	var fh float64
	s.eval(`document.querySelector('#payment-element iframe').getBoundingClientRect().height`, &fh)
	var inner struct{ H, Scroll, Client float64 }
	s.pe(`({H: document.getElementById('frame').getBoundingClientRect().height, Scroll: document.documentElement.scrollHeight, Client: document.documentElement.clientHeight})`, &inner)
	if fh < 150 || fh != math.Ceil(inner.H) || inner.Scroll > inner.Client {
		t.Fatalf("frame height %v, content %+v", fh, inner)
	}

	// element.focus() after ready focuses the card number and fires focus.
	s.eval(`paymentElement.focus(), true`, nil)
	s.settle()
	var active string
	s.pe(`document.activeElement.id`, &active)
	if active != "Field-numberInput" || s.eventCount("focus") == 0 {
		t.Fatalf("focus(): active %q, focus events %d", active, s.eventCount("focus"))
	}

	// unmount then mount keeps what was typed; destroy then mount throws.
	s.typeInto("#Field-numberInput", "4242")
	s.settle()
	s.eval(`paymentElement.unmount(), document.querySelectorAll('#payment-element iframe').length`, nil)
	var n int
	s.eval(`document.querySelectorAll('#payment-element iframe').length`, &n)
	if n != 0 {
		t.Fatalf("unmount left %d frames", n)
	}
	s.eval(`readyPromise = new Promise(r => paymentElement.once('ready', r)); paymentElement.mount(document.getElementById('payment-element')); true`, nil)
	s.waitReady()
	s.settle()
	if v := s.value("#Field-numberInput"); v != "4242" {
		t.Fatalf("after remount the number is %q, want 4242", v)
	}
	if msg := s.evalErr(`paymentElement.destroy(); paymentElement.mount('#payment-element')`); !strings.HasPrefix(msg, "IntegrationError") {
		t.Fatalf("mount after destroy: %s", msg)
	}
	if msg := s.evalErr(`elements.create('payment').mount('#nope')`); !strings.HasPrefix(msg, "IntegrationError") {
		t.Fatalf("missing selector: %s", msg)
	}
}

func TestLoadErrorWithBadKey(t *testing.T) {
	s := newShop(t)
	s.openPage("/checkout", deferred, `{}`)
	s.eval(`(() => { setup(`+deferred+`, {}, 'pk_test_not_a_real_key'); return errorPromise; })()`, nil)
	var e struct {
		ElementType string
		Error       struct{ Type, Message string }
	}
	s.lastEvent("loaderror", &e)
	if e.ElementType != "payment" || (e.Error.Type != "invalid_request_error" && e.Error.Type != "authentication_error") || e.Error.Message == "" {
		t.Fatalf("loaderror %+v", e)
	}
}

// 5. Isolation and 6. origin discipline.
func TestIsolationAndOriginDiscipline(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	s.fill("4242424242424242")
	s.settle()
	var leak struct {
		HTML     bool
		Messages []string
		Requests []string
	}
	s.eval(`({HTML: /4242\s?4242\s?4242\s?4242/.test(document.documentElement.outerHTML + [...document.querySelectorAll('input')].map(i => i.value).join()),
		Messages: topMessages.filter(m => /4242\s?4242|"cvc"|"number"/.test(m)),
		Requests: performance.getEntriesByType('resource').map(e => e.name).filter(n => /4242/.test(n))})`, &leak)
	if leak.HTML || len(leak.Messages) > 0 || len(leak.Requests) > 0 {
		t.Fatalf("card data reached the merchant page: %+v", leak)
	}

	// Forged messages from the top page are ignored by both frames and by
	// the SDK: no card data comes back, no change event, no token.
	s.eval(`(async () => {
		window.topMessages = [];
		const pe = document.querySelector('#payment-element iframe').contentWindow;
		const ctl = document.querySelector('iframe[name^=__privateStripeController]').contentWindow;
		const tender = new URL(document.querySelector('#payment-element iframe').src).origin;
		pe.postMessage({tender: 'controller', type: 'validate', id: 'forged'}, tender);
		pe.postMessage({tender: 'controller', type: 'restore', state: {number: '4000000000000002'}}, tender);
		ctl.postMessage({tender: 'element', type: 'validated', id: 'q1', elementId: paymentElement._name, result: {data: {type: 'card', card: {number: '4000000000000002'}}}}, tender);
		window.postMessage({tender: 'element', type: 'change', elementId: paymentElement._name, event: {empty: true}}, '*');
		await new Promise(r => setTimeout(r, 300));
		return true;
	})()`, nil)
	var forged struct {
		Validated bool
		Change    bool
		Number    string
	}
	s.eval(`({Validated: topMessages.some(m => /validated|forged/.test(m) && /4242/.test(m)), Change: events.slice(-1)[0].payload && events.slice(-1)[0].payload.empty === true})`, &forged)
	forged.Number = s.value("#Field-numberInput")
	if forged.Validated || forged.Change || forged.Number != "4242 4242 4242 4242" {
		t.Fatalf("a forged message had an effect: %+v", forged)
	}
	// Without a real submit(), the controller refuses to create a token even
	// when asked directly.
	if msg := s.evalErr(`return stripe.createConfirmationToken({elements})`); !strings.Contains(msg, "elements.submit()") {
		t.Fatalf("token without submit: %s", msg)
	}

	// No send uses '*' as its target origin.
	for _, f := range []string{"sdk.js", "controller.js", "element.js", "modal.js", "challenge-done.js"} {
		b, err := os.ReadFile("assets/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`postMessage\([^)]*['"]\*['"]`).Match(b) {
			t.Errorf("%s posts a message to '*'", f)
		}
	}
}

// 7. The change payload.
func TestChangePayload(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	var first map[string]any
	s.eval(`events.find(e => e.name === 'change').payload`, &first)
	if fmt.Sprint(first) != "map[collapsed:false complete:false elementType:payment empty:true value:map[type:card]]" {
		t.Fatalf("first change %v", first)
	}
	s.fill("4242424242424242")
	s.settle()
	var last map[string]any
	s.lastEvent("change", &last)
	if fmt.Sprint(last) != "map[collapsed:false complete:true elementType:payment empty:false value:map[type:card]]" {
		t.Fatalf("complete change %v", last)
	}
	s.click("#Field-cvcInput")
	s.run(chromedp.KeyEvent(kb.End + kb.Backspace + kb.Backspace + kb.Backspace))
	s.settle()
	s.lastEvent("change", &last)
	if last["complete"] != false {
		t.Fatalf("after clearing the CVC: %v", last)
	}
	var cls string
	s.eval(`document.getElementById('payment-element').className`, &cls)
	if strings.Contains(cls, "StripeElement--complete") || strings.Contains(cls, "--empty") {
		t.Fatalf("container classes %q", cls)
	}
}
