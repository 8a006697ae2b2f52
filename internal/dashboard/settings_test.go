package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// checkoutPage is a merchant page on another origin that mounts the
// Payment Element in deferred-intent mode, as the seed's checkout does.
const checkoutPage = `<!doctype html><meta charset="utf-8"><title>Shop</title>
<script src="%s/v3"></script>
<div id="payment-element"></div>
<script>
window.ready = new Promise((res) => {
  const stripe = Stripe(%q);
  const elements = stripe.elements({mode: 'payment', amount: 1099, currency: 'eur'});
  const pe = elements.create('payment');
  pe.on('ready', res);
  pe.mount('#payment-element');
});
</script>`

// TestPaymentMethodDisabledGone: in Chromium, iDEAL (see testType)
// appears on the settings page; enabling it there adds it to the Payment
// Element's tabs, to GET /v1/elements/sessions and to new PaymentIntents
// with automatic_payment_methods; disabling it removes it from all three
// at once. Card stays on and cannot be switched off.
func TestPaymentMethodDisabledGone(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, checkoutPage, env.URL, apitest.PublishableKey)
	}))
	t.Cleanup(shop.Close)
	b := newTab(t, env)
	b.login()

	b.open("/dashboard/settings/payment-methods")
	var cardLocked, idealListed bool
	b.eval(`(() => { const c = document.querySelector('input[aria-label="card is always on"]'); return !!c && c.checked && c.disabled; })()`, &cardLocked)
	b.eval(`!!document.querySelector('#type-`+testType+`')`, &idealListed)
	if !cardLocked || !idealListed {
		t.Fatalf("settings page: card locked on %v, %s listed %v", cardLocked, testType, idealListed)
	}

	// Enable iDEAL.
	b.run(clickCSS(`label.switch:has(#type-` + testType + `)`))
	b.submitVia("#save-settings")
	if got := b.text("#enabled-types"); got != "card, "+testType {
		t.Fatalf("enabled after saving: %q", got)
	}
	b.shot("settings")
	if got := sessionTypes(t, env); !slices.Equal(got, []string{"card", testType}) {
		t.Errorf("elements session offers %v after enabling", got)
	}
	if got := automaticTypes(t, env); !slices.Equal(got, []string{"card", testType}) {
		t.Errorf("automatic_payment_methods draws from %v after enabling", got)
	}
	tabs := elementTabs(t, b, shop.URL)
	if !slices.Equal(tabs, []string{"card", testType}) {
		t.Errorf("the Payment Element shows %v, want card and %s", tabs, testType)
	}
	b.shot("payment-element-two-types")

	// Disable it: gone from the Payment Element at once.
	b.open("/dashboard/settings/payment-methods")
	b.run(clickCSS(`label.switch:has(#type-` + testType + `)`))
	b.submitVia("#save-settings")
	if got := b.text("#enabled-types"); got != "card" {
		t.Fatalf("enabled after disabling: %q", got)
	}
	if got := sessionTypes(t, env); !slices.Equal(got, []string{"card"}) {
		t.Errorf("elements session offers %v after disabling", got)
	}
	if got := automaticTypes(t, env); !slices.Equal(got, []string{"card"}) {
		t.Errorf("automatic_payment_methods draws from %v after disabling", got)
	}
	tabs = elementTabs(t, b, shop.URL)
	if len(tabs) != 0 {
		t.Errorf("the Payment Element still shows tabs %v", tabs)
	}
	cardForm := inPaymentFrame(t, b, `!!document.querySelector('#Field-numberInput')`)
	if !cardForm {
		t.Error("the Payment Element no longer shows the card form")
	}
	b.shot("payment-element-card-only")

	// Posting card as "off" changes nothing: card is always on.
	c := newClient(t, env)
	token := c.login(apitest.SecretKey)
	c.post("/dashboard/settings/payment-methods", map[string][]string{"csrf": {token}})
	if got := sessionTypes(t, env); !slices.Equal(got, []string{"card"}) {
		t.Errorf("elements session offers %v with nothing selected", got)
	}
}

// sessionTypes is what GET /v1/elements/sessions (the Payment Element's
// first call, with the publishable key) offers.
func sessionTypes(t *testing.T, env *apitest.Env) []string {
	t.Helper()
	r := env.Do("GET", "/v1/elements/sessions?key="+apitest.PublishableKey+"&deferred_intent[mode]=payment&deferred_intent[amount]=1099&deferred_intent[currency]=eur", "", "")
	var out struct {
		Types []string `json:"payment_method_types"`
	}
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil || r.Status != 200 {
		t.Fatalf("elements session: %d %s", r.Status, r.Body)
	}
	return out.Types
}

// automaticTypes creates a PaymentIntent with automatic_payment_methods and
// returns its payment_method_types.
func automaticTypes(t *testing.T, env *apitest.Env) []string {
	t.Helper()
	pi, err := env.Client.V1PaymentIntents.Create(context.Background(), &stripe.PaymentIntentCreateParams{
		Amount: stripe.Int64(1099), Currency: stripe.String("eur"),
		AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return pi.PaymentMethodTypes
}

// elementTabs loads the merchant's checkout and returns the Payment
// Element's tabs (none when it offers a single type).
func elementTabs(t *testing.T, b *tab, shopURL string) []string {
	t.Helper()
	b.run(chromedp.Navigate(shopURL))
	b.eval(`window.ready.then(() => true)`, nil)
	time.Sleep(300 * time.Millisecond)
	var tabs []string
	raw := inPaymentFrameRaw(t, b, `[...document.querySelectorAll('[role=tab]')].map(e => e.dataset.testid)`)
	if err := json.Unmarshal(raw, &tabs); err != nil {
		t.Fatalf("tabs: %s: %v", raw, err)
	}
	return tabs
}

func inPaymentFrame(t *testing.T, b *tab, js string) bool {
	t.Helper()
	var ok bool
	_ = json.Unmarshal(inPaymentFrameRaw(t, b, js), &ok)
	return ok
}

// inPaymentFrameRaw evaluates JavaScript in the Payment Element's iframe
// (another origin) through an isolated world of that frame.
func inPaymentFrameRaw(t *testing.T, b *tab, js string) []byte {
	t.Helper()
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSS(`iframe[title="Secure payment input frame"]`)))
	if err != nil {
		t.Fatalf("payment frame: %v", err)
	}
	var raw []byte
	err = chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		w, err := cdp.Call(ctx, tg, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: nodes[0].FrameID, WorldName: "dashboard-test"})
		if err != nil {
			return err
		}
		yes := true
		res, err := cdp.Call(ctx, tg, runtime.Evaluate, runtime.EvaluateParams{Expression: js, ContextID: w.ExecutionContextID, ReturnByValue: &yes})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil {
			return fmt.Errorf("%s", res.ExceptionDetails.Text)
		}
		raw = res.Result.Value
		return nil
	}))
	if err != nil {
		t.Fatalf("in payment frame: %v", err)
	}
	return raw
}
