package elements_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tenderpay/tender/internal/apitest"
)

// waitFor polls a JavaScript condition in the merchant page.
func (s *shop) waitFor(cond string) {
	s.t.Helper()
	s.eval(`new Promise((res, rej) => {
		const end = Date.now() + 15000;
		(function poll() {
			let v = false;
			try { v = (`+cond+`); } catch (e) {}
			if (v) return res(true);
			if (Date.now() > end) return rej(new Error('timed out waiting for: '+`+"`"+cond+"`"+`));
			setTimeout(poll, 50);
		})();
	})`, nil)
}

// challengeFrame is the modal's nested challenge page, once loaded.
func (s *shop) challengeButton(name string) {
	s.t.Helper()
	s.waitFor(`document.querySelector('iframe[title="3D Secure authentication"]')`)
	var ok bool
	var modal *chromedp.Node
	for i := 0; i < 100 && !ok; i++ {
		modal = s.frame(`iframe[title="3D Secure authentication"]`)
		err := s.tryInFrame(modal, `(() => { const f = document.getElementById('challengeFrame'); try { return !!f.contentDocument.querySelector('button[value=complete]'); } catch (e) { return false; } })()`, &ok)
		if err != nil || !ok {
			ok = false
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !ok {
		s.t.Fatal("the challenge page did not load in the modal")
	}
	if name != "" {
		s.inFrame(modal, `document.getElementById('challengeFrame').contentDocument.querySelector('button[value=`+name+`]').click(), true`, nil)
	}
}

// TestFullPurchase is the seed's flow end to end: type a card, submit,
// create a ConfirmationToken in the browser, create and confirm the
// PaymentIntent with stripe-go on the merchant server, and finish 3D Secure
// with handleNextAction when the card asks for it.
func TestFullPurchase(t *testing.T) {
	browser.Require(t)
	for _, b := range apitest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			env := apitest.Start(t, b.Name, b.NewDSN(t))
			t.Run("no_3ds", func(t *testing.T) {
				s := newShopOn(t, env)
				s.open(`{mode:'payment', amount:1099, currency:'usd'}`, ``)
				s.fill("4242424242424242")
				s.run(chromedp.Click(chromedp.CSS("#pay")))
				s.waitFor(`window.result`)
				var status string
				s.eval(`window.result.status`, &status)
				if status != "succeeded" {
					var msg string
					s.eval(`document.getElementById('message').textContent`, &msg)
					t.Fatalf("status %q, message %q", status, msg)
				}
			})
			for _, outcome := range []string{"complete", "fail"} {
				t.Run("3ds_"+outcome, func(t *testing.T) {
					s := newShopOn(t, env)
					s.open(`{mode:'payment', amount:1099, currency:'usd'}`, ``)
					s.fill("4000002760003184")
					s.run(chromedp.Click(chromedp.CSS("#pay")))
					s.challengeButton("")
					if outcome == "complete" && b.Name == "sqlite" {
						s.screenshot("3ds-modal")
					}
					var dialog struct {
						Role, Modal, Label string
						Focused            bool
					}
					modal := s.frame(`iframe[title="3D Secure authentication"]`)
					// Focus moves in when the challenge page's load event fires,
					// which may come a moment after its button is there: wait up
					// to 3 s for it.
					s.inFrame(modal, `new Promise(res => {
						const end = Date.now() + 3000;
						(function poll() {
							const d = document.querySelector('[role=dialog]');
							const got = {Role: d.getAttribute('role'), Modal: d.getAttribute('aria-modal'), Label: document.getElementById(d.getAttribute('aria-labelledby')).textContent, Focused: document.hasFocus()};
							if (got.Focused || Date.now() > end) return res(got);
							setTimeout(poll, 25);
						})();
					})`, &dialog)
					if dialog.Modal != "true" || dialog.Label == "" || !dialog.Focused {
						t.Fatalf("modal dialog: %+v", dialog)
					}
					s.challengeButton(outcome)
					s.waitFor(`window.result`)
					var res struct {
						PaymentIntent *struct{ Status string } `json:"paymentIntent"`
						Error         *struct {
							Code          string
							PaymentIntent *struct{ Status string } `json:"payment_intent"`
						} `json:"error"`
					}
					s.eval(`window.result`, &res)
					var modals int
					s.eval(`document.querySelectorAll('iframe[title="3D Secure authentication"]').length`, &modals)
					if modals != 0 {
						t.Errorf("modal still present after the challenge")
					}
					switch outcome {
					case "complete":
						if res.PaymentIntent == nil || res.PaymentIntent.Status != "succeeded" {
							t.Fatalf("complete: %+v", res)
						}
					case "fail":
						if res.Error == nil || res.Error.Code != "payment_intent_authentication_failure" ||
							res.Error.PaymentIntent == nil || res.Error.PaymentIntent.Status != "requires_payment_method" {
							t.Fatalf("fail: %+v / %+v", res, res.Error)
						}
					}
				})
			}
		})
	}
}

var _ = strings.Contains
