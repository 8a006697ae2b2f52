package elements_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/app"
)

// enableAllMethods turns every simulated payment method type on in the
// account's payment method configuration, as a merchant would with
// stripe-go (or in the dashboard's settings).
func enableAllMethods(t *testing.T, env *apitest.Env) {
	t.Helper()
	ctx := context.Background()
	var id string
	for c, err := range env.Client.V1PaymentMethodConfigurations.List(ctx, nil).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		id = c.ID
	}
	on := stripe.String("on")
	_, err := env.Client.V1PaymentMethodConfigurations.Update(ctx, id, &stripe.PaymentMethodConfigurationUpdateParams{
		IDEAL:         &stripe.PaymentMethodConfigurationUpdateIDEALParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateIDEALDisplayPreferenceParams{Preference: on}},
		Bancontact:    &stripe.PaymentMethodConfigurationUpdateBancontactParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateBancontactDisplayPreferenceParams{Preference: on}},
		SEPADebit:     &stripe.PaymentMethodConfigurationUpdateSEPADebitParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateSEPADebitDisplayPreferenceParams{Preference: on}},
		USBankAccount: &stripe.PaymentMethodConfigurationUpdateUSBankAccountParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateUSBankAccountDisplayPreferenceParams{Preference: on}},
		Klarna:        &stripe.PaymentMethodConfigurationUpdateKlarnaParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateKlarnaDisplayPreferenceParams{Preference: on}},
	})
	if err != nil {
		t.Fatalf("enable payment methods: %v", err)
	}
}

// hooks is the merchant's webhook receiver.
type hooks struct {
	*httptest.Server
	mu  sync.Mutex
	got []delivery
}

type delivery struct {
	body []byte
	sig  string
}

func newHooks(t *testing.T) *hooks {
	h := &hooks{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, delivery{b, r.Header.Get("Stripe-Signature")})
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

// verified returns the types of the signed events delivered about one
// PaymentIntent; a delivery that fails verification fails the test.
func (h *hooks) verified(t *testing.T, secret, pi string) []string {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var bodies, sigs [][]byte
	for _, d := range h.got {
		bodies, sigs = append(bodies, d.body), append(sigs, []byte(d.sig))
	}
	return apitest.Delivered(t, bodies, sigs, secret, pi)
}

// waitUntil polls cond on the test's side.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(within); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// chooseMethod selects a payment method type the way a customer would:
// its tab (through the "More" menu when it does not fit) or its accordion
// header.
func (s *shop) chooseMethod(layout, typ string) {
	s.t.Helper()
	if layout == "accordion" {
		s.click(`button.p-AccordionHeader[data-testid=` + typ + `]`)
	} else {
		var visible bool
		s.pe(`!!document.querySelector('[role=tab][data-testid=`+typ+`]')`, &visible)
		if !visible {
			s.click(`#Tab-more`)
			if typ == "klarna" {
				s.screenshot("methods-tabs-more")
			}
			s.click(`[role=menuitem][data-testid=` + typ + `]`)
		} else {
			s.click(`[role=tab][data-testid=` + typ + `]`)
		}
	}
	s.settle()
	var ch struct{ Value struct{ Type string } }
	s.lastEvent("change", &ch)
	if ch.Value.Type != typ {
		s.t.Fatalf("choosing %s: change value.type %q", typ, ch.Value.Type)
	}
}

// pickOption chooses an option of a select in the Payment Element frame.
func (s *shop) pickOption(sel, value string) {
	s.t.Helper()
	s.pe(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.focus(); e.value = %q; e.dispatchEvent(new Event('change', {bubbles: true})); return e.value; })()`, sel, value), nil)
}

func (s *shop) fieldError(name string) string {
	s.t.Helper()
	var msg string
	s.pe(fmt.Sprintf(`document.getElementById('Field-%sError').textContent`, name), &msg)
	return msg
}

// methodCase is one payment method checkout in one layout.
type methodCase struct {
	typ, layout, currency string
	fill                  func(s *shop)
	outcome               string // redirects: authorize or fail; debits: succeeded or requires_payment_method
}

// TestPaymentMethods is issue 10 in the browser: every payment method the
// elements session offers, in both layouts, from the Payment Element
// through the merchant's server-side confirmation to its end state: the
// hosted bank page and return_url for redirects, the processing state and
// its later settlement for debits, with signed webhooks.
func TestPaymentMethods(t *testing.T) {
	browser.Require(t)
	env := apitest.Start(t, "sqlite", filepath.Join(t.TempDir(), "tender.db"), func(c *app.Config) { c.DebitDelay = time.Second })
	enableAllMethods(t, env)
	ctx := context.Background()
	rc := newHooks(t)
	ep, err := env.Client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{URL: stripe.String(rc.URL),
		EnabledEvents: []*string{stripe.String("payment_intent.*"), stripe.String("charge.*")}})
	if err != nil {
		t.Fatal(err)
	}
	sepa := func(iban string) func(*shop) {
		return func(s *shop) {
			s.typeInto("#Field-nameInput", "Anna Muster")
			s.typeInto("#Field-emailInput", "anna@example.com")
			s.typeInto("#Field-ibanInput", iban)
		}
	}
	ach := func(account string) func(*shop) {
		return func(s *shop) {
			s.typeInto("#Field-nameInput", "Jenny Rosen")
			s.typeInto("#Field-emailInput", "jenny@example.com")
			s.typeInto("#Field-routingInput", "110000000")
			s.typeInto("#Field-accountInput", account)
			s.pickOption("#Field-accountTypeInput", "company_savings")
		}
	}
	cases := []methodCase{
		{"ideal", "tabs", "eur", func(s *shop) { s.pickOption("#Field-bankInput", "ing") }, "authorize"},
		{"ideal", "accordion", "eur", func(s *shop) { s.pickOption("#Field-bankInput", "rabobank") }, "fail"},
		{"bancontact", "tabs", "eur", func(s *shop) { s.typeInto("#Field-nameInput", "Jan Peeters") }, "authorize"},
		{"bancontact", "accordion", "eur", func(s *shop) { s.typeInto("#Field-nameInput", "Jan Peeters") }, "authorize"},
		{"klarna", "tabs", "eur", func(s *shop) {
			s.typeInto("#Field-emailInput", "k@example.com")
			s.pickOption("#Field-countryInput", "NL")
		}, "authorize"},
		{"klarna", "accordion", "usd", func(s *shop) { s.typeInto("#Field-emailInput", "k@example.com") }, "authorize"},
		{"sepa_debit", "tabs", "eur", sepa("AT611904300234573201"), "succeeded"},
		{"sepa_debit", "accordion", "eur", sepa("AT861904300235473202"), "requires_payment_method"},
		{"us_bank_account", "tabs", "usd", ach("000123456789"), "succeeded"},
		{"us_bank_account", "accordion", "usd", ach("000111111113"), "requires_payment_method"},
	}
	for _, c := range cases {
		t.Run(c.typ+"_"+c.layout+"_"+c.outcome, func(t *testing.T) {
			// One tab each in the shared browser, side by side.
			t.Parallel()
			s := newShopOn(t, env)
			s.open(fmt.Sprintf(`{mode:'payment', amount:2500, currency:%q}`, c.currency), fmt.Sprintf(`{layout: %q, business: {name: 'Test Shop'}}`, c.layout))
			s.eval(fmt.Sprintf(`window.intentExtras = {amount: 2500, currency: %q, automatic: true, returnURL: location.origin + '/return'}, true`, c.currency), nil)
			s.chooseMethod(c.layout, c.typ)
			first := c.layout == "tabs"
			if c.typ == "sepa_debit" && first {
				sepaValidation(t, s)
			}
			if c.typ == "us_bank_account" && first {
				achValidation(t, s)
			}
			c.fill(s)
			s.settle()
			var ch struct{ Complete bool }
			s.lastEvent("change", &ch)
			if !ch.Complete {
				t.Fatalf("the form is filled but change.complete is false")
			}
			switch {
			case c.typ == "ideal" && first:
				s.screenshot("methods-tabs-ideal")
			case c.typ == "sepa_debit" && first:
				var mandate string
				s.pe(`document.getElementById('Mandate-sepa_debit').textContent`, &mandate)
				if !strings.Contains(mandate, "you authorise (A) Test Shop and Tender") || !strings.Contains(mandate, "8 weeks") {
					t.Fatalf("SEPA mandate text: %q", mandate)
				}
				s.screenshot("methods-tabs-sepa")
			case c.typ == "us_bank_account" && !first:
				var mandate string
				s.pe(`document.getElementById('Mandate-us_bank_account').textContent`, &mandate)
				if !strings.Contains(mandate, "you authorize Test Shop to debit the bank account") {
					t.Fatalf("ACH mandate text: %q", mandate)
				}
				s.screenshot("methods-accordion-ach")
			}
			s.run(chromedp.Click(chromedp.CSS("#pay")))
			if c.outcome == "authorize" || c.outcome == "fail" {
				pi := redirectRoundTrip(t, s, c)
				if c.typ == "ideal" && first {
					want := []string{"payment_intent.created", "payment_intent.requires_action", "charge.succeeded", "payment_intent.succeeded"}
					checkWebhooks(t, env, rc, ep.Secret, pi, want)
				}
				return
			}
			pi := debitProcessing(t, s, c)
			if c.typ == "sepa_debit" && first {
				want := []string{"payment_intent.created", "charge.pending", "payment_intent.processing", "charge.succeeded", "payment_intent.succeeded"}
				checkWebhooks(t, env, rc, ep.Secret, pi, want)
			}
		})
	}

	// Which types are offered: allow_redirects=never (with
	// elements({clientSecret}) the element offers what the intent accepts,
	// so the redirect types are hidden), excludedPaymentMethodTypes, and
	// the "More" buttons of both layouts.
	t.Run("offered_types", func(t *testing.T) {
		t.Parallel()
		pi, err := env.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(2500), Currency: stripe.String("eur"),
			AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true), AllowRedirects: stripe.String("never")}})
		if err != nil {
			t.Fatal(err)
		}
		s := newShopOn(t, env)
		s.open(fmt.Sprintf(`{clientSecret: %q}`, pi.ClientSecret), `{layout: 'accordion'}`)
		var offered []string
		s.pe(`Array.from(document.querySelectorAll('.p-AccordionHeader')).map(e => e.value)`, &offered)
		if !slices.Equal(offered, []string{"card", "sepa_debit"}) {
			t.Fatalf("with allow_redirects=never the element offers %v", offered)
		}
		// In the deferred flow the merchant excludes them by name.
		s.open(`{mode:'payment', amount:2500, currency:'eur', excludedPaymentMethodTypes: ['ideal', 'bancontact', 'klarna']}`, `{layout: 'accordion'}`)
		s.pe(`Array.from(document.querySelectorAll('.p-AccordionHeader')).map(e => e.value)`, &offered)
		if !slices.Equal(offered, []string{"card", "sepa_debit"}) {
			t.Fatalf("with excludedPaymentMethodTypes the element offers %v", offered)
		}
		// Without either, all five EUR types, with "More" past visibleAccordionItemsCount.
		s.open(`{mode:'payment', amount:2500, currency:'eur'}`, `{layout: {type: 'accordion', visibleAccordionItemsCount: 2}}`)
		s.pe(`Array.from(document.querySelectorAll('.p-AccordionHeader')).map(e => e.value)`, &offered)
		if !slices.Equal(offered, []string{"card", "ideal"}) {
			t.Fatalf("visibleAccordionItemsCount 2 shows %v", offered)
		}
		s.click(".p-More")
		s.pe(`Array.from(document.querySelectorAll('.p-AccordionHeader')).map(e => e.value)`, &offered)
		if !slices.Equal(offered, []string{"card", "ideal", "bancontact", "sepa_debit", "klarna"}) {
			t.Fatalf("after More the accordion shows %v", offered)
		}
		s.screenshot("methods-accordion")
		// Tabs: five EUR types do not fit; End reaches Klarna behind "More",
		// which then takes the last visible slot.
		s.open(`{mode:'payment', amount:2500, currency:'eur'}`, `{layout: 'tabs'}`)
		s.pe(`Array.from(document.querySelectorAll('[role=tab]')).map(e => e.value)`, &offered)
		if !slices.Equal(offered, []string{"card", "ideal", "bancontact"}) {
			t.Fatalf("tabs shown %v", offered)
		}
		s.click(`[role=tab][data-testid=card]`)
		s.run(chromedp.KeyEvent(kb.End))
		s.settle()
		var tab struct {
			Shown         []string
			Focused, Type string
		}
		s.pe(`({Shown: Array.from(document.querySelectorAll('[role=tab]')).map(e => e.value), Focused: document.activeElement.value})`, &tab)
		var ch struct{ Value struct{ Type string } }
		s.lastEvent("change", &ch)
		if !slices.Equal(tab.Shown, []string{"card", "ideal", "klarna"}) || tab.Focused != "klarna" || ch.Value.Type != "klarna" {
			t.Fatalf("End on the tabs: %+v, change value.type %q", tab, ch.Value.Type)
		}
	})
}

// sepaValidation checks the IBAN field's formatting and inline errors
// before the real IBAN is typed.
func sepaValidation(t *testing.T, s *shop) {
	t.Helper()
	var sub struct {
		Error struct{ Type, Code, Message string }
	}
	s.eval(`elements.submit()`, &sub)
	if sub.Error.Type != "validation_error" || sub.Error.Code != "incomplete_name" {
		t.Fatalf("submit of an empty SEPA form: %+v", sub)
	}
	s.typeInto("#Field-ibanInput", "at61 1904 3002 3457 3202")
	if v := s.value("#Field-ibanInput"); v != "AT61 1904 3002 3457 3202" {
		t.Fatalf("IBAN formatted as %q", v)
	}
	if msg := s.fieldError("iban"); msg != "Your IBAN is invalid." {
		t.Fatalf("bad checksum: %q", msg)
	}
	s.clearField("#Field-ibanInput")
	s.run(chromedp.KeyEvent("AT6119043"))
	s.click("#Field-nameInput")
	if msg := s.fieldError("iban"); msg != "Your IBAN is incomplete." {
		t.Fatalf("short IBAN on blur: %q", msg)
	}
	var invalid string
	s.pe(`document.getElementById('Field-ibanInput').getAttribute('aria-invalid')`, &invalid)
	if invalid != "true" {
		t.Fatalf("aria-invalid %q", invalid)
	}
	s.clearField("#Field-ibanInput")
}

// achValidation checks the routing number's checksum.
func achValidation(t *testing.T, s *shop) {
	t.Helper()
	s.typeInto("#Field-routingInput", "110000001")
	s.click("#Field-accountInput")
	if msg := s.fieldError("routing"); msg != "Your routing number is invalid." {
		t.Fatalf("bad routing number: %q", msg)
	}
	s.clearField("#Field-routingInput")
}

// redirectRoundTrip follows a redirect method from the Pay button to the
// hosted bank page, answers it, and checks the return page and the intent.
func redirectRoundTrip(t *testing.T, s *shop, c methodCase) string {
	t.Helper()
	var here string
	for i := 0; i < 200; i++ {
		time.Sleep(50 * time.Millisecond)
		v, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](`location.href + (document.querySelector('button[value=authorize]') ? '#ready' : '')`))
		if err != nil {
			continue // navigating
		}
		here = v
		if strings.HasSuffix(here, "#ready") {
			break
		}
	}
	if !strings.HasPrefix(here, s.env.URL+"/bank/authorize/pi_") || !strings.HasSuffix(here, "#ready") {
		msg, _ := chromedp.Run(s.ctx, chromedp.Evaluate[string](`(document.getElementById('message') || {}).textContent || ''`))
		t.Fatalf("expected the hosted bank page, at %s (%s)", here, msg)
	}
	if c.typ == "ideal" && c.layout == "tabs" {
		s.screenshot("methods-bank-page")
	}
	s.run(chromedp.Click(chromedp.CSS(`button[value=` + c.outcome + `]`)))
	s.run(chromedp.WaitVisible(chromedp.CSS("#landed")))
	s.eval(`location.href`, &here)
	u, _ := url.Parse(here)
	q := u.Query()
	want := map[string]string{"authorize": "succeeded", "fail": "failed"}[c.outcome]
	if u.Path != "/return" || q.Get("redirect_status") != want || !strings.HasPrefix(q.Get("payment_intent"), "pi_") {
		t.Fatalf("returned to %s", here)
	}
	id := q.Get("payment_intent")
	pi, err := s.env.Client.V1PaymentIntents.Retrieve(context.Background(), id, &stripe.PaymentIntentRetrieveParams{
		Expand: []*string{stripe.String("payment_method"), stripe.String("latest_charge")}})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := map[string]stripe.PaymentIntentStatus{"authorize": "succeeded", "fail": "requires_payment_method"}[c.outcome]
	pm := attempted(pi)
	if pi.Status != wantStatus || pm == nil || string(pm.Type) != c.typ {
		t.Fatalf("intent after the bank page: %s %+v", pi.Status, pm)
	}
	s.waitFor(`document.getElementById('status').textContent`)
	var shown string
	s.eval(`document.getElementById('status').textContent`, &shown)
	if shown != "Payment "+string(wantStatus) {
		t.Fatalf("the return page shows %q", shown)
	}
	switch c.typ {
	case "ideal":
		if bank := map[string]string{"tabs": "ing", "accordion": "rabobank"}[c.layout]; pm.IDEAL == nil || pm.IDEAL.Bank != bank {
			t.Fatalf("iDEAL bank %+v, want %s", pm.IDEAL, bank)
		}
	case "bancontact":
		// The checkout page passes billing_details.name, which wins over the field (client-contract §4.1).
		if pm.BillingDetails.Name != "J Doe" {
			t.Fatalf("Bancontact name %q", pm.BillingDetails.Name)
		}
	case "klarna":
		country := map[string]string{"eur": "NL", "usd": "US"}[c.currency]
		if pm.BillingDetails.Email != "k@example.com" || pm.BillingDetails.Address == nil || pm.BillingDetails.Address.Country != country {
			t.Fatalf("Klarna billing details %+v %+v", pm.BillingDetails, pm.BillingDetails.Address)
		}
	}
	return id
}

// debitProcessing checks that a debit shows as processing to the
// customer, then settles as the test account dictates.
func debitProcessing(t *testing.T, s *shop, c methodCase) string {
	t.Helper()
	s.waitFor(`window.result`)
	var res struct{ ID, Status, ClientSecret, Error string }
	s.eval(`window.result`, &res)
	if res.Status != "processing" {
		t.Fatalf("debit confirmed as %+v", res)
	}
	// Nothing is left for the customer: handleNextAction resolves with the
	// processing intent, and so does retrievePaymentIntent (the test
	// server's DebitDelay is one second).
	var seen struct{ Next, Retrieved string }
	s.eval(fmt.Sprintf(`(async () => ({Next: (await stripe.handleNextAction({clientSecret: %[1]q})).paymentIntent.status,
		Retrieved: (await stripe.retrievePaymentIntent(%[1]q)).paymentIntent.status}))()`, res.ClientSecret), &seen)
	if seen.Next != "processing" || seen.Retrieved != "processing" {
		t.Fatalf("processing intent seen as %+v", seen)
	}
	var msg string
	s.eval(`document.getElementById('message').textContent`, &msg)
	if !strings.Contains(msg, "Payment processing") {
		t.Fatalf("the page shows %q", msg)
	}
	if c.layout == "tabs" {
		s.screenshot("methods-processing-" + c.typ)
	}
	ctx := context.Background()
	var pi *stripe.PaymentIntent
	waitUntil(t, 10*time.Second, res.ID+" to settle", func() bool {
		pi, _ = s.env.Client.V1PaymentIntents.Retrieve(ctx, res.ID, &stripe.PaymentIntentRetrieveParams{
			Expand: []*string{stripe.String("payment_method"), stripe.String("latest_charge")}})
		return pi != nil && pi.Status != "processing"
	})
	if string(pi.Status) != c.outcome {
		t.Fatalf("%s settled as %s, want %s (%+v)", c.typ, pi.Status, c.outcome, pi.LastPaymentError)
	}
	if c.outcome == "requires_payment_method" && pi.LastPaymentError == nil {
		t.Fatalf("a failed debit without last_payment_error")
	}
	pm := attempted(pi)
	var mandateID string
	switch c.typ {
	case "sepa_debit":
		if pm.SEPADebit == nil || pm.BillingDetails.Email != "anna@example.com" {
			t.Fatalf("SEPA method %+v %+v", pm.SEPADebit, pm.BillingDetails)
		}
		if pi.LatestCharge.PaymentMethodDetails != nil && pi.LatestCharge.PaymentMethodDetails.SEPADebit != nil {
			mandateID = pi.LatestCharge.PaymentMethodDetails.SEPADebit.Mandate
		}
	case "us_bank_account":
		if pm.USBankAccount == nil || pm.USBankAccount.RoutingNumber != "110000000" || pm.USBankAccount.AccountHolderType != "company" || pm.USBankAccount.AccountType != "savings" {
			t.Fatalf("ACH method %+v", pm.USBankAccount)
		}
		if d := pi.LatestCharge.PaymentMethodDetails; d != nil && d.USBankAccount != nil && d.USBankAccount.Mandate != nil {
			mandateID = d.USBankAccount.Mandate.ID
		}
	}
	// The mandate records the acceptance the element sent.
	if mandateID == "" {
		t.Fatalf("no mandate on the %s charge", c.typ)
	}
	m, err := s.env.Client.V1Mandates.Retrieve(ctx, mandateID, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The browser's user agent; the IP address is the server's to infer
	// (not recorded by Tender's ConfirmationToken flow yet).
	if a := m.CustomerAcceptance; a == nil || a.Type != "online" || a.Online == nil || !strings.Contains(a.Online.UserAgent, "Chrome") {
		t.Fatalf("mandate acceptance %+v %+v", m.CustomerAcceptance, m.CustomerAcceptance.Online)
	}
	return res.ID
}

// checkWebhooks waits for one payment's signed deliveries and checks them
// against the event log's sequence.
func checkWebhooks(t *testing.T, env *apitest.Env, rc *hooks, secret, pi string, want []string) {
	t.Helper()
	waitUntil(t, 10*time.Second, "webhooks for "+pi, func() bool { return len(rc.verified(t, secret, pi)) >= len(want) })
	got := rc.verified(t, secret, pi)
	slices.Sort(got)
	sorted := slices.Clone(want)
	slices.Sort(sorted)
	if !slices.Equal(got, sorted) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	if seq := env.EventLog(t, pi); !slices.Equal(seq, want) {
		t.Fatalf("event sequence %v, want %v", seq, want)
	}
}

// attempted is the PaymentMethod an intent was confirmed with; a failed
// attempt detaches it from the intent and keeps it on last_payment_error.
func attempted(pi *stripe.PaymentIntent) *stripe.PaymentMethod {
	if pi.PaymentMethod != nil {
		return pi.PaymentMethod
	}
	if pi.LastPaymentError != nil && pi.LastPaymentError.PaymentMethod != nil {
		return pi.LastPaymentError.PaymentMethod
	}
	return nil
}
