package elements_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// savedChange is a change event with a saved method selected or the save
// box shown.
type savedChange struct {
	Empty, Complete, Collapsed bool
	Value                      struct {
		Type              string
		SavePaymentMethod *bool `json:"savePaymentMethod"`
		PaymentMethod     *struct {
			ID             string
			Type           string
			BillingDetails map[string]any `json:"billing_details"`
		} `json:"payment_method"`
	}
}

// features are a CustomerSession's payment_element features.
type features = stripe.CustomerSessionCreateComponentsPaymentElementFeaturesParams

var allFeatures = &features{
	PaymentMethodSave: stripe.String("enabled"), PaymentMethodSaveUsage: stripe.String("off_session"),
	PaymentMethodRedisplay: stripe.String("enabled"), PaymentMethodRemove: stripe.String("enabled"),
}

// customerSession is the merchant server's part: a CustomerSession for the
// signed-in customer, created with stripe-go on every page load.
func customerSession(t *testing.T, env *apitest.Env, customer string, f *features) string {
	t.Helper()
	cs, err := env.Client.V1CustomerSessions.Create(context.Background(), &stripe.CustomerSessionCreateParams{
		Customer: stripe.String(customer),
		Components: &stripe.CustomerSessionCreateComponentsParams{PaymentElement: &stripe.CustomerSessionCreateComponentsPaymentElementParams{
			Enabled: stripe.Bool(true), Features: f}},
	})
	if err != nil {
		t.Fatalf("create customer session: %v", err)
	}
	return cs.ClientSecret
}

// openSaved opens the checkout for a returning customer.
func (s *shop) openSaved(secret, extra string) {
	s.t.Helper()
	s.open(fmt.Sprintf(`{mode:'payment', amount:1099, currency:'usd', customerSessionClientSecret:%q%s}`, secret, extra), `{business: {name: 'Test Shop'}}`)
}

// listed returns the saved cards the Payment Element shows, by id.
func (s *shop) listed() []string {
	s.t.Helper()
	var ids []string
	s.pe(`Array.from(document.querySelectorAll('.PickerItem[data-pm]')).map(e => e.dataset.pm)`, &ids)
	sort.Strings(ids)
	return ids
}

// attachCard saves a test card for customer server-side, as allow_redisplay.
func attachCard(t *testing.T, env *apitest.Env, customer, testPM, allowRedisplay string) *stripe.PaymentMethod {
	t.Helper()
	ctx := context.Background()
	pm, err := env.Client.V1PaymentMethods.Attach(ctx, testPM, &stripe.PaymentMethodAttachParams{Customer: stripe.String(customer)})
	if err != nil {
		t.Fatalf("attach %s: %v", testPM, err)
	}
	if allowRedisplay != "" {
		if pm, err = env.Client.V1PaymentMethods.Update(ctx, pm.ID, &stripe.PaymentMethodUpdateParams{AllowRedisplay: stripe.String(allowRedisplay)}); err != nil {
			t.Fatalf("allow_redisplay: %v", err)
		}
	}
	return pm
}

func sorted(ids ...string) []string { sort.Strings(ids); return ids }

// TestSavedPaymentMethods is issue 6 in the browser: a customer saves a
// card by ticking the box, comes back with a new CustomerSession, pays with
// the saved card under CVC recollection and removes it; the redisplay
// filter and limit and the customer boundary hold.
func TestSavedPaymentMethods(t *testing.T) {
	browser.Require(t)
	env := apitest.Start(t, "sqlite", filepath.Join(t.TempDir(), "tender.db"))
	ctx := context.Background()
	cus, err := env.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("jenny@example.com"), Name: stripe.String("Jenny Rosen")})
	if err != nil {
		t.Fatal(err)
	}
	var saved string // the card saved through the box

	t.Run("pay_with_box_ticked", func(t *testing.T) {
		s := newShopOn(t, env)
		s.openSaved(customerSession(t, env, cus.ID, allFeatures), "")
		if got := s.listed(); len(got) != 0 {
			t.Fatalf("a new customer has saved cards: %v", got)
		}
		var box struct {
			Label   string
			Checked bool
		}
		s.pe(`({Label: document.querySelector('label[for="Field-saveInput"]').textContent, Checked: document.getElementById('Field-saveInput').checked})`, &box)
		if box.Label != "Save payment details to Test Shop for future purchases" || box.Checked {
			t.Fatalf("save box: %+v", box)
		}
		s.fill("4242424242424242")
		var ch savedChange
		s.lastEvent("change", &ch)
		if ch.Value.SavePaymentMethod == nil || *ch.Value.SavePaymentMethod {
			t.Fatalf("change before ticking: %+v", ch.Value)
		}
		s.click("#Field-saveInput")
		s.settle()
		ch = savedChange{}
		s.lastEvent("change", &ch)
		if !ch.Complete || ch.Value.SavePaymentMethod == nil || !*ch.Value.SavePaymentMethod || ch.Value.PaymentMethod != nil {
			t.Fatalf("change after ticking: %+v", ch)
		}
		var terms string
		s.pe(`(document.querySelector('.TermsText') || {}).textContent || ''`, &terms)
		if !strings.Contains(terms, "future payments") {
			t.Errorf("ticking the box should show the card terms, got %q", terms)
		}
		s.screenshot("saved-save-box")
		s.eval(fmt.Sprintf(`window.intentExtras = {customer: %q}, true`, cus.ID), nil)
		s.run(chromedp.Click(chromedp.CSS("#pay")))
		s.waitFor(`window.result`)
		var res struct{ Status, PaymentMethod, Error string }
		s.eval(`window.result`, &res)
		if res.Status != "succeeded" {
			t.Fatalf("payment: %+v", res)
		}
		var sfu string
		s.eval(`window.lastToken.setup_future_usage`, &sfu)
		if sfu != "off_session" {
			t.Errorf("token setup_future_usage %q, want off_session", sfu)
		}
		pm, err := env.Client.V1PaymentMethods.Retrieve(ctx, res.PaymentMethod, nil)
		if err != nil || pm.Customer == nil || pm.Customer.ID != cus.ID || pm.AllowRedisplay != "always" || pm.Card.Last4 != "4242" {
			t.Fatalf("saved PaymentMethod: %+v %v", pm, err)
		}
		saved = pm.ID
	})
	if saved == "" {
		t.FailNow()
	}

	t.Run("return_and_pay_with_cvc_recollection", func(t *testing.T) {
		s := newShopOn(t, env)
		s.openSaved(customerSession(t, env, cus.ID, allFeatures), `, paymentMethodOptions: {card: {require_cvc_recollection: true}}`)
		if got := s.listed(); len(got) != 1 || got[0] != saved {
			t.Fatalf("saved cards shown: %v, want [%s]", got, saved)
		}
		var item struct {
			Text, Brand, New string
			Selected         bool
			Number           bool
		}
		s.pe(`(() => { const i = document.querySelector('.PickerItem[data-pm]'); return {Text: i.textContent, Brand: i.querySelector('[data-brand]').dataset.brand,
			Selected: i.classList.contains('PickerItem--selected'), New: document.querySelector('.PickerItem--new').textContent,
			Number: !!document.getElementById('Field-numberInput')}; })()`, &item)
		if !strings.Contains(item.Text, "•••• 4242") || !strings.Contains(item.Text, "Expires 12/34") || item.Brand != "visa" ||
			!item.Selected || item.New != "Use a new card" || item.Number {
			t.Fatalf("saved card item: %+v", item)
		}
		var ch savedChange
		s.lastEvent("change", &ch)
		if ch.Value.PaymentMethod == nil || ch.Value.PaymentMethod.ID != saved || ch.Value.PaymentMethod.Type != "card" || ch.Value.Type != "card" ||
			ch.Complete || ch.Empty || ch.Collapsed || ch.Value.SavePaymentMethod != nil {
			t.Fatalf("change with the saved card selected and no CVC: %+v", ch)
		}
		if _, ok := ch.Value.PaymentMethod.BillingDetails["address"]; !ok {
			t.Errorf("payment_method.billing_details lacks address: %+v", ch.Value.PaymentMethod.BillingDetails)
		}
		// Pay without the CVC: refused in the element.
		s.run(chromedp.Click(chromedp.CSS("#pay")))
		s.waitFor(`document.getElementById('message').textContent.includes('security code')`)
		var cvcErr string
		s.pe(`document.getElementById('Field-savedCvcError').textContent`, &cvcErr)
		if cvcErr != "Your card's security code is incomplete." {
			t.Fatalf("CVC error %q", cvcErr)
		}
		s.typeInto("#Field-savedCvcInput", "123")
		s.settle()
		ch = savedChange{}
		s.lastEvent("change", &ch)
		if !ch.Complete || ch.Value.PaymentMethod == nil || ch.Value.PaymentMethod.ID != saved {
			t.Fatalf("change with the CVC typed: %+v", ch)
		}
		s.eval(`document.getElementById('message').textContent = '', true`, nil)
		s.screenshot("saved-cvc")
		s.eval(fmt.Sprintf(`window.intentExtras = {customer: %q, requireCvcRecollection: true}, true`, cus.ID), nil)
		s.run(chromedp.Click(chromedp.CSS("#pay")))
		s.waitFor(`window.result`)
		var res struct{ Status, PaymentMethod, Error string }
		s.eval(`window.result`, &res)
		if res.Status != "succeeded" || res.PaymentMethod != saved {
			t.Fatalf("pay with the saved card: %+v", res)
		}
		var tok struct {
			PaymentMethodPreview struct {
				Type           string
				Card           struct{ Brand, Last4 string }
				BillingDetails struct{ Name string } `json:"billing_details"`
			} `json:"payment_method_preview"`
		}
		s.eval(`window.lastToken`, &tok)
		if p := tok.PaymentMethodPreview; p.Type != "card" || p.Card.Brand != "visa" || p.Card.Last4 != "4242" || p.BillingDetails.Name != "J Doe" {
			t.Fatalf("token preview: %+v", p)
		}
		// "Use a new card" brings the card form back.
		s.click(".PickerItem--new")
		s.settle()
		var number bool
		s.pe(`!!document.getElementById('Field-numberInput')`, &number)
		var fresh savedChange
		s.lastEvent("change", &fresh)
		if !number || fresh.Value.PaymentMethod != nil || fresh.Complete || fresh.Value.SavePaymentMethod == nil {
			t.Fatalf("new card: form %v, change %+v", number, fresh)
		}
	})

	// More cards for the same customer: one saved with redisplay allowed,
	// one attached by the merchant (allow_redisplay unspecified).
	mc := attachCard(t, env, cus.ID, "pm_card_mastercard", "always")
	amex := attachCard(t, env, cus.ID, "pm_card_amex", "")

	t.Run("redisplay_filter_and_limit", func(t *testing.T) {
		s := newShopOn(t, env)
		s.openSaved(customerSession(t, env, cus.ID, &features{PaymentMethodRedisplay: stripe.String("enabled")}), "")
		if got, want := s.listed(), sorted(saved, mc.ID); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("default filter (always): %v, want %v", got, want)
		}
		var actions, box int
		s.pe(`document.querySelectorAll('.PickerAction').length`, &actions)
		s.pe(`document.querySelectorAll('#Field-saveInput').length`, &box)
		if actions != 0 || box != 0 {
			t.Errorf("remove actions %d, save boxes %d without those features", actions, box)
		}
		s.screenshot("saved-list")

		s = newShopOn(t, env)
		s.openSaved(customerSession(t, env, cus.ID, &features{PaymentMethodRedisplay: stripe.String("enabled"), PaymentMethodRedisplayLimit: stripe.Int64(1)}),
			`, appearance: {rules: {'.PickerItem--selected': {borderColor: '#ff0000'}, '.PickerItem--new': {color: '#00aa00'}}}`)
		if got := s.listed(); len(got) != 1 || (got[0] != saved && got[0] != mc.ID) {
			t.Fatalf("limit 1: %v", got)
		}
		var styles struct{ Selected, New string }
		s.pe(`({Selected: getComputedStyle(document.querySelector('.PickerItem--selected')).borderTopColor,
			New: getComputedStyle(document.querySelector('.PickerItem--new')).color})`, &styles)
		if styles.Selected != "rgb(255, 0, 0)" || styles.New != "rgb(0, 170, 0)" {
			t.Errorf("appearance rules on .PickerItem: %+v", styles)
		}

		s = newShopOn(t, env)
		s.openSaved(customerSession(t, env, cus.ID, &features{PaymentMethodRedisplay: stripe.String("enabled"),
			PaymentMethodAllowRedisplayFilters: []*string{stripe.String("always"), stripe.String("unspecified")}}), "")
		if got, want := s.listed(), sorted(saved, mc.ID, amex.ID); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("filters always+unspecified: %v, want %v", got, want)
		}

		s = newShopOn(t, env)
		s.openSaved(customerSession(t, env, cus.ID, &features{PaymentMethodRedisplay: stripe.String("disabled"), PaymentMethodSave: stripe.String("enabled")}), "")
		if got := s.listed(); len(got) != 0 {
			t.Fatalf("redisplay disabled: %v", got)
		}
	})

	t.Run("another_customers_session", func(t *testing.T) {
		other, err := env.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("other@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		theirs := attachCard(t, env, other.ID, "pm_card_discover", "always")
		s := newShopOn(t, env)
		s.openSaved(customerSession(t, env, other.ID, &features{PaymentMethodRedisplay: stripe.String("enabled"), PaymentMethodRemove: stripe.String("enabled"),
			PaymentMethodAllowRedisplayFilters: []*string{stripe.String("always"), stripe.String("limited"), stripe.String("unspecified")}}), "")
		if got := s.listed(); len(got) != 1 || got[0] != theirs.ID {
			t.Fatalf("other customer's session shows %v, want only [%s]", got, theirs.ID)
		}
		var text string
		s.pe(`document.body.textContent`, &text)
		if strings.Contains(text, "4242") || strings.Contains(text, "4444") || strings.Contains(text, "8431") {
			t.Fatalf("another customer's cards leak into the element: %q", text)
		}
	})

	t.Run("remove", func(t *testing.T) {
		s := newShopOn(t, env)
		s.openSaved(customerSession(t, env, cus.ID, allFeatures), "")
		if got := s.listed(); len(got) != 2 {
			t.Fatalf("before removal: %v", got)
		}
		// Cancel first: nothing happens.
		s.click(fmt.Sprintf(`.PickerItem[data-pm=%q] .PickerAction`, mc.ID))
		s.settle()
		s.click("#Confirm-cancel")
		s.settle()
		if got := s.listed(); len(got) != 2 || s.eventCount("savedpaymentmethodremove") != 0 {
			t.Fatalf("cancel removed something: %v", got)
		}
		s.click(fmt.Sprintf(`.PickerItem[data-pm=%q] .PickerAction`, saved))
		s.settle()
		var dlg struct {
			Role, Title, Text string
			Focus             string
		}
		s.pe(`(() => { const d = document.querySelector('.p-Confirm'); return {Role: d.getAttribute('role'), Title: document.getElementById('Confirm-title').textContent,
			Text: d.textContent, Focus: document.activeElement.id}; })()`, &dlg)
		if dlg.Role != "alertdialog" || dlg.Title != "Remove this card?" || !strings.Contains(dlg.Text, "•••• 4242") ||
			!strings.Contains(dlg.Text, "Payments that depend on it") || !strings.Contains(dlg.Text, "may be affected") || dlg.Focus != "Confirm-cancel" {
			t.Fatalf("confirmation: %+v", dlg)
		}
		s.screenshot("saved-remove")
		s.click("#Confirm-remove")
		s.waitFor(`events.some(e => e.name === 'savedpaymentmethodremove')`)
		var ev struct {
			ElementType   string
			Success       bool
			Error         string
			PaymentMethod struct{ ID string } `json:"payment_method"`
		}
		s.lastEvent("savedpaymentmethodremove", &ev)
		if ev.ElementType != "payment" || !ev.Success || ev.PaymentMethod.ID != saved {
			t.Fatalf("savedpaymentmethodremove: %+v", ev)
		}
		if got := s.listed(); len(got) != 1 || got[0] != mc.ID {
			t.Fatalf("after removal: %v", got)
		}
		pm, err := env.Client.V1PaymentMethods.Retrieve(ctx, saved, nil)
		if err != nil || pm.Customer != nil {
			t.Fatalf("removed card still attached: %+v %v", pm.Customer, err)
		}
		// And a later visit no longer shows it.
		s2 := newShopOn(t, env)
		s2.openSaved(customerSession(t, env, cus.ID, allFeatures), "")
		if got := s2.listed(); len(got) != 1 || got[0] != mc.ID {
			t.Fatalf("next visit after removal: %v", got)
		}
	})
}

// TestSavedPaymentMethodsRefusedSession: an expired or unknown
// CustomerSession shows no saved cards and warns on the console, but the
// Payment Element still loads and takes a new card.
func TestSavedPaymentMethodsRefusedSession(t *testing.T) {
	browser.Require(t)
	env := apitest.Start(t, "sqlite", filepath.Join(t.TempDir(), "tender.db"))
	cus, err := env.Client.V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	attachCard(t, env, cus.ID, "pm_card_visa", "always")
	expired := customerSession(t, env, cus.ID, allFeatures)
	env.Clock.Advance(30*time.Minute + time.Second)
	for _, c := range []struct{ name, secret, code string }{
		{"expired", expired, "customer_session_expired"},
		{"unknown", "cuss_secret_forged", "resource_missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newShopOn(t, env)
			s.openSaved(c.secret, "")
			var got struct {
				Items, Box int
				Number     bool
			}
			s.pe(`({Items: document.querySelectorAll('.PickerItem').length, Box: document.querySelectorAll('#Field-saveInput').length,
				Number: !!document.getElementById('Field-numberInput')})`, &got)
			if got.Items != 0 || got.Box != 0 || !got.Number {
				t.Fatalf("refused session: %+v", got)
			}
			var warnings []string
			s.eval(`window.warnings`, &warnings)
			if len(warnings) != 1 || !strings.Contains(warnings[0], "customerSessionClientSecret was refused ("+c.code+")") {
				t.Fatalf("warnings: %q", warnings)
			}
			if n := s.eventCount("loaderror"); n != 0 {
				t.Fatalf("loaderror fired %d times; the element did load", n)
			}
			if c.name == "expired" {
				s.fill("4242424242424242")
				s.run(chromedp.Click(chromedp.CSS("#pay")))
				s.waitFor(`window.result`)
				var status string
				s.eval(`window.result.status`, &status)
				if status != "succeeded" {
					t.Fatalf("a new card after a refused session: %q", status)
				}
			}
		})
	}
}
