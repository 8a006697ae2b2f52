package elements_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/autofill"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// autofillCard runs Chrome's own card autofill (the DevTools Protocol's
// Autofill.trigger, with the card given as if saved in the browser) once,
// anchored on the card-number input inside the Payment Element frame.
func (s *shop) autofillCard(card *autofill.CreditCard) {
	s.t.Helper()
	frame := s.paymentFrame()
	err := chromedp.Do(s.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		w, err := cdp.Call(ctx, tg, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame.FrameID, WorldName: "tender-autofill"})
		if err != nil {
			return err
		}
		res, err := cdp.Call(ctx, tg, runtime.Evaluate, runtime.EvaluateParams{Expression: `document.getElementById('Field-numberInput')`, ContextID: w.ExecutionContextID})
		if err != nil {
			return err
		}
		if res.Result.ObjectID == "" {
			return fmt.Errorf("no card-number input in the frame: %+v", res.Result)
		}
		n, err := cdp.Call(ctx, tg, dom.DescribeNode, dom.DescribeNodeParams{ObjectID: res.Result.ObjectID})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, tg, autofill.Trigger, autofill.TriggerParams{FieldID: n.Node.BackendNodeID, FrameID: frame.FrameID, Card: card})
		return err
	}))
	if err != nil {
		s.t.Fatalf("Autofill.trigger: %v", err)
	}
	s.settle()
}

// 25. Chrome's autofill of a saved card fills every card field in one
// action, because they share one frame; the frame's formatting and
// validation take the filled values as typed ones.
func TestAutofillFillsCardInOneAction(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	s.autofillCard(&autofill.CreditCard{Number: "4242424242424242", Name: "J Doe", ExpiryMonth: "12", ExpiryYear: "2034", Cvc: "123"})
	var got map[string]string
	s.pe(`Object.fromEntries([...document.querySelectorAll('input, select')].map(i => [i.id, i.value]))`, &got)
	t.Logf("after one Autofill.trigger: %v", got)
	want := map[string]string{"Field-numberInput": "4242 4242 4242 4242", "Field-expiryInput": "12 / 34", "Field-cvcInput": "123"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s = %q after autofill, want %q", id, got[id], w)
		}
	}
	for _, f := range []string{"number", "expiry", "cvc"} {
		if st := s.fieldState(f); st.Error != "" || st.Invalid == "true" {
			t.Errorf("%s shows an error after autofill: %+v", f, st)
		}
	}
	var brand string
	s.eval(`(((events.filter(e => e.name === 'carddetailschange').pop() || {}).payload || {}).details || {brands: []}).brands.join()`, &brand)
	if brand != "visa" {
		t.Errorf("carddetailschange brands %q after autofill, want visa", brand)
	}
	// A card carries no billing address: the postal code that the
	// element shows for a US card stays empty, so the form is not yet
	// complete; typing it completes the form.
	var ch map[string]any
	s.lastEvent("change", &ch)
	if got["Field-postalCodeInput"] != "" || ch["complete"] != false || ch["empty"] != false {
		t.Fatalf("after autofill, postal code %q and change %v; want an empty postal code, not complete, not empty", got["Field-postalCodeInput"], ch)
	}
	s.typeInto("#Field-postalCodeInput", "94107")
	s.settle()
	s.lastEvent("change", &ch)
	if ch["complete"] != true {
		t.Fatalf("autofilled card plus postal code is not complete: %v", ch)
	}
}

// The same with no address fields: one autofill completes the form.
func TestAutofillCompletesCardOnlyForm(t *testing.T) {
	s := newShop(t)
	s.open(deferred, `{fields: {billingDetails: {address: 'never'}}}`)
	s.autofillCard(&autofill.CreditCard{Number: "5555555555554444", Name: "J Doe", ExpiryMonth: "07", ExpiryYear: "2031", Cvc: "321"})
	var got []string
	s.pe(`[...document.querySelectorAll('input, select')].map(i => i.id + '=' + i.value)`, &got)
	var ch map[string]any
	s.lastEvent("change", &ch)
	t.Logf("after one Autofill.trigger: %v; change %v", got, ch)
	if fmt.Sprint(got) != "[Field-numberInput=5555 5555 5555 4444 Field-expiryInput=07 / 31 Field-cvcInput=321]" || ch["complete"] != true {
		t.Fatalf("one autofill of a card-only form: fields %v, change %v; want all three filled and complete", got, ch)
	}
}
