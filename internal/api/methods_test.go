package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/app"
)

// enableAllMethods turns every simulated type on through the payment
// method configuration API, as stripe-go would.
func enableAllMethods(t *testing.T, e *apitest.Env) {
	t.Helper()
	var id string
	for c, err := range e.Client.V1PaymentMethodConfigurations.List(ctx, nil).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		id = c.ID
	}
	on := stripe.String("on")
	cfg, err := e.Client.V1PaymentMethodConfigurations.Update(ctx, id, &stripe.PaymentMethodConfigurationUpdateParams{
		IDEAL:         &stripe.PaymentMethodConfigurationUpdateIDEALParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateIDEALDisplayPreferenceParams{Preference: on}},
		Bancontact:    &stripe.PaymentMethodConfigurationUpdateBancontactParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateBancontactDisplayPreferenceParams{Preference: on}},
		SEPADebit:     &stripe.PaymentMethodConfigurationUpdateSEPADebitParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateSEPADebitDisplayPreferenceParams{Preference: on}},
		USBankAccount: &stripe.PaymentMethodConfigurationUpdateUSBankAccountParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateUSBankAccountDisplayPreferenceParams{Preference: on}},
		Klarna:        &stripe.PaymentMethodConfigurationUpdateKlarnaParams{DisplayPreference: &stripe.PaymentMethodConfigurationUpdateKlarnaDisplayPreferenceParams{Preference: on}},
	})
	if err != nil || cfg.IDEAL.DisplayPreference.Value != "on" || cfg.Klarna.DisplayPreference.Value != "on" {
		t.Fatalf("enable methods: %+v %v", cfg, err)
	}
}

func autoIntent(t *testing.T, e *apitest.Env, amount int64, cur string, mut func(*stripe.PaymentIntentCreateParams)) *stripe.PaymentIntent {
	t.Helper()
	p := &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(amount), Currency: stripe.String(cur)}
	if mut != nil {
		mut(p)
	}
	pi, err := e.Client.V1PaymentIntents.Create(ctx, p)
	if err != nil {
		t.Fatalf("create intent: %v", err)
	}
	return pi
}

func TestAutomaticPaymentMethodTypes(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		// Off by default: cards only.
		if pi := autoIntent(t, e, 2000, "eur", nil); !slices.Equal(pi.PaymentMethodTypes, []string{"card"}) {
			t.Fatalf("default types: %v", pi.PaymentMethodTypes)
		}
		enableAllMethods(t, e)
		for _, c := range []struct {
			amount int64
			cur    string
			mut    func(*stripe.PaymentIntentCreateParams)
			want   []string
		}{
			{2000, "eur", nil, []string{"card", "ideal", "bancontact", "sepa_debit", "klarna"}},
			{2000, "usd", nil, []string{"card", "us_bank_account", "klarna"}},
			{2000, "jpy", nil, []string{"card"}},
			{2000, "eur", func(p *stripe.PaymentIntentCreateParams) { p.AutomaticPaymentMethods = noRedirects() }, []string{"card", "sepa_debit"}},
			{2000, "eur", func(p *stripe.PaymentIntentCreateParams) { p.SetupFutureUsage = stripe.String("off_session") }, []string{"card", "sepa_debit"}},
			{2000000, "usd", nil, []string{"card", "us_bank_account"}},
		} {
			if pi := autoIntent(t, e, c.amount, c.cur, c.mut); !slices.Equal(pi.PaymentMethodTypes, c.want) {
				t.Errorf("%d %s: types %v, want %v", c.amount, c.cur, pi.PaymentMethodTypes, c.want)
			}
		}
		// Explicit lists are validated against the currency.
		_, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(2000), Currency: stripe.String("usd"),
			PaymentMethodTypes: []*string{stripe.String("ideal")}})
		if se := asStripeError(t, err); se.Code != "payment_method_currency_mismatch" || se.Param != "payment_method_types" {
			t.Fatalf("ideal in usd: %+v", se)
		}
		// The Payment Element sees the same filtering.
		r := e.Do("GET", "/v1/elements/sessions?key="+apitest.PublishableKey+"&deferred_intent[mode]=payment&deferred_intent[amount]=2000&deferred_intent[currency]=eur", "", "")
		var s struct {
			Types []string `json:"payment_method_types"`
			Banks []string `json:"ideal_banks"`
		}
		if json.Unmarshal([]byte(r.Body), &s) != nil || !slices.Equal(s.Types, []string{"card", "ideal", "bancontact", "sepa_debit", "klarna"}) || !slices.Contains(s.Banks, "ing") {
			t.Fatalf("elements session: %s", r.Body)
		}
		// BLIK and ACSS debits are refused in the ConfirmationToken flow.
		for _, typ := range []string{"blik", "acss_debit"} {
			assertErrorBody(t, e.Do("POST", "/v1/confirmation_tokens", "", "key="+apitest.PublishableKey+"&payment_method_data[type]="+typ), 400, "invalid_request_error", "", "payment_method_data[type]")
		}
	})
}

// redirectPay confirms an EUR intent with a redirect method and answers
// the bank page.
func redirectPay(t *testing.T, e *apitest.Env, pmData *stripe.PaymentIntentCreatePaymentMethodDataParams, outcome string) (*stripe.PaymentIntent, *url.URL) {
	t.Helper()
	pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(2500), Currency: stripe.String("eur"),
		Confirm: stripe.Bool(true), PaymentMethodData: pmData, ReturnURL: stripe.String("https://shop.example/return")})
	if err != nil || pi.Status != "requires_action" || pi.NextAction.Type != "redirect_to_url" || !strings.Contains(pi.NextAction.RedirectToURL.URL, "/bank/authorize/") {
		t.Fatalf("redirect confirm: %+v %v", pi, err)
	}
	resp := answerBankPage(t, pi.NextAction.RedirectToURL.URL, outcome)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	got, _ := e.Client.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	return got, loc
}

// answerBankPage submits the simulated bank page's form as a browser
// without JavaScript would.
func answerBankPage(t *testing.T, pageURL, outcome string) *http.Response {
	t.Helper()
	resp, err := http.Get(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1<<16)
	n, _ := resp.Body.Read(b)
	resp.Body.Close()
	page := string(b[:n])
	if resp.StatusCode != 200 || !strings.Contains(page, "Authorize test payment") || !strings.Contains(page, "Fail test payment") {
		t.Fatalf("bank page: %d %s", resp.StatusCode, page)
	}
	form := url.Values{"outcome": {outcome}}
	for _, in := range hiddenIn.FindAllString(page, -1) {
		if n, v := attrName.FindStringSubmatch(in), attrValue.FindStringSubmatch(in); n != nil && v != nil {
			form.Set(n[1], htmlUnescape(v[1]))
		}
	}
	base, _ := url.Parse(pageURL)
	action, _ := base.Parse(htmlUnescape(formAction.FindStringSubmatch(page)[1]))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.PostForm(action.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestRedirectMethods(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		enableAllMethods(t, e)
		rc := newReceiver(t, 0)
		ep, _ := e.Client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{URL: stripe.String(rc.URL), EnabledEvents: []*string{stripe.String("payment_intent.*"), stripe.String("charge.*")}})

		ideal := &stripe.PaymentIntentCreatePaymentMethodDataParams{Type: stripe.String("ideal"), IDEAL: &stripe.PaymentMethodIDEALParams{Bank: stripe.String("ing")}}
		pi, loc := redirectPay(t, e, ideal, "authorize")
		firstIdeal := pi.ID
		if pi.Status != "succeeded" || loc.Query().Get("redirect_status") != "succeeded" || loc.Query().Get("payment_intent") != pi.ID || loc.Host != "shop.example" {
			t.Fatalf("iDEAL authorized: %s %s", pi.Status, loc)
		}
		ch, _ := e.Client.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
		if ch.PaymentMethodDetails.Type != "ideal" || ch.PaymentMethodDetails.IDEAL.Bank != "ing" || !ch.Paid {
			t.Fatalf("iDEAL charge: %+v", ch.PaymentMethodDetails)
		}
		pi, loc = redirectPay(t, e, ideal, "fail")
		if pi.Status != "requires_payment_method" || loc.Query().Get("redirect_status") != "failed" || pi.LastPaymentError.Code != "payment_intent_payment_attempt_failed" {
			t.Fatalf("iDEAL failed: %s %s %+v", pi.Status, loc, pi.LastPaymentError)
		}
		bancontact := &stripe.PaymentIntentCreatePaymentMethodDataParams{Type: stripe.String("bancontact"), BillingDetails: &stripe.PaymentIntentCreatePaymentMethodDataBillingDetailsParams{Name: stripe.String("Jan Peeters")}}
		if pi, _ := redirectPay(t, e, bancontact, "authorize"); pi.Status != "succeeded" {
			t.Fatalf("Bancontact: %s", pi.Status)
		}
		klarna := &stripe.PaymentIntentCreatePaymentMethodDataParams{Type: stripe.String("klarna"), BillingDetails: &stripe.PaymentIntentCreatePaymentMethodDataBillingDetailsParams{
			Email: stripe.String("k@example.com"), Address: &stripe.AddressParams{Country: stripe.String("DE")}}}
		if pi, _ := redirectPay(t, e, klarna, "authorize"); pi.Status != "succeeded" {
			t.Fatalf("Klarna: %s", pi.Status)
		}
		// Required details and the return_url rule.
		assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, "type=bancontact"), 400, "invalid_request_error", "parameter_missing", "billing_details[name]")
		assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, "type=klarna&billing_details[email]=a@b.co"), 400, "invalid_request_error", "parameter_missing", "billing_details[address][country]")
		assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, "type=ideal&ideal[bank]=nobank"), 400, "invalid_request_error", "", "ideal[bank]")
		_, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(2500), Currency: stripe.String("eur"),
			Confirm: stripe.Bool(true), PaymentMethodData: ideal, PaymentMethodTypes: []*string{stripe.String("ideal")}})
		if se := asStripeError(t, err); se.Param != "return_url" {
			t.Fatalf("redirect without return_url: %+v", se)
		}
		// The first payment's events all arrive, signed (delivery order is
		// not guaranteed, as on Stripe; the event log keeps the order).
		first := firstIdeal
		want := []string{"payment_intent.created", "payment_intent.requires_action", "charge.succeeded", "payment_intent.succeeded"}
		waitFor(t, 10*time.Second, "the iDEAL payment's webhooks", func() bool { return len(typesFor(t, rc, ep.Secret, first)) >= len(want) })
		got := typesFor(t, rc, ep.Secret, first)
		slices.Sort(got)
		sorted := slices.Clone(want)
		slices.Sort(sorted)
		if !slices.Equal(got, sorted) {
			t.Fatalf("iDEAL events delivered: %v, want %v", got, want)
		}
		if log := e.EventLog(t, first); !slices.Equal(log, want) {
			t.Fatalf("iDEAL event log: %v, want %v", log, want)
		}
	})
}

// lateDelay is longer than River's scheduling tick (5s), so that the late
// test accounts settle visibly after the others.
const lateDelay = 8 * time.Second

func TestBankDebits(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		enableAllMethods(t, e)
		rc := newReceiver(t, 0)
		ep, _ := e.Client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{URL: stripe.String(rc.URL), EnabledEvents: []*string{stripe.String("payment_intent.*")}})
		debit := func(cur string, data *stripe.PaymentIntentCreatePaymentMethodDataParams) *stripe.PaymentIntent {
			t.Helper()
			pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(3000), Currency: stripe.String(cur),
				Confirm: stripe.Bool(true), PaymentMethodData: data, AutomaticPaymentMethods: noRedirects(),
				MandateData: &stripe.PaymentIntentCreateMandateDataParams{CustomerAcceptance: &stripe.PaymentIntentCreateMandateDataCustomerAcceptanceParams{
					Type: stripe.String("online"), Online: &stripe.PaymentIntentCreateMandateDataCustomerAcceptanceOnlineParams{IPAddress: stripe.String("127.0.0.1"), UserAgent: stripe.String("test")}}}})
			if err != nil || pi.Status != "processing" {
				t.Fatalf("debit: %+v %v", pi, err)
			}
			return pi
		}
		sepa := func(iban string) *stripe.PaymentIntentCreatePaymentMethodDataParams {
			return &stripe.PaymentIntentCreatePaymentMethodDataParams{Type: stripe.String("sepa_debit"), SEPADebit: &stripe.PaymentMethodSEPADebitParams{IBAN: stripe.String(iban)},
				BillingDetails: &stripe.PaymentIntentCreatePaymentMethodDataBillingDetailsParams{Name: stripe.String("Anna Muster"), Email: stripe.String("anna@example.com")}}
		}
		ach := func(account string) *stripe.PaymentIntentCreatePaymentMethodDataParams {
			return &stripe.PaymentIntentCreatePaymentMethodDataParams{Type: stripe.String("us_bank_account"),
				USBankAccount:  &stripe.PaymentMethodUSBankAccountParams{RoutingNumber: stripe.String("110000000"), AccountNumber: stripe.String(account), AccountHolderType: stripe.String("individual")},
				BillingDetails: &stripe.PaymentIntentCreatePaymentMethodDataBillingDetailsParams{Name: stripe.String("Jenny Rosen")}}
		}
		settled := func(id string, want stripe.PaymentIntentStatus, within time.Duration) *stripe.PaymentIntent {
			t.Helper()
			var pi *stripe.PaymentIntent
			waitFor(t, within, id+" to settle as "+string(want), func() bool {
				pi, _ = e.Client.V1PaymentIntents.Retrieve(ctx, id, nil)
				return pi.Status != "processing"
			})
			if pi.Status != want {
				t.Fatalf("%s settled as %s, want %s (%+v)", id, pi.Status, want, pi.LastPaymentError)
			}
			return pi
		}
		ok := debit("eur", sepa("AT611904300234573201"))
		ch, _ := e.Client.V1Charges.Retrieve(ctx, ok.LatestCharge.ID, nil)
		if ch.Status != "pending" || ch.PaymentMethodDetails.SEPADebit.Mandate == "" || ch.PaymentMethodDetails.SEPADebit.Last4 != "3201" {
			t.Fatalf("pending SEPA charge: %s %+v", ch.Status, ch.PaymentMethodDetails.SEPADebit)
		}
		m, err := e.Client.V1Mandates.Retrieve(ctx, ch.PaymentMethodDetails.SEPADebit.Mandate, nil)
		if err != nil || m.CustomerAcceptance.Online.IPAddress != "127.0.0.1" || m.Status != "active" {
			t.Fatalf("mandate: %+v %v", m, err)
		}
		failed := debit("eur", sepa("AT861904300235473202"))
		late := debit("eur", sepa("AT321904300235473204"))
		lateAt := time.Now()
		achOK := debit("usd", ach("000123456789"))
		achClosed := debit("usd", ach("000111111113"))
		settled(ok.ID, "succeeded", 10*time.Second)
		if pi := settled(failed.ID, "requires_payment_method", 10*time.Second); pi.LastPaymentError.Code != "insufficient_funds" {
			t.Fatalf("SEPA failure: %+v", pi.LastPaymentError)
		}
		settled(achOK.ID, "succeeded", 10*time.Second)
		if pi := settled(achClosed.ID, "requires_payment_method", 10*time.Second); pi.LastPaymentError.Code != "account_closed" {
			t.Fatalf("ACH failure: %+v", pi.LastPaymentError)
		}
		if pi, _ := e.Client.V1PaymentIntents.Retrieve(ctx, late.ID, nil); pi.Status != "processing" && time.Since(lateAt) < lateDelay-time.Second {
			t.Fatalf("the late IBAN settled after %s, before its delay", time.Since(lateAt))
		}
		settled(late.ID, "succeeded", 25*time.Second)
		ch, _ = e.Client.V1Charges.Retrieve(ctx, ok.LatestCharge.ID, nil)
		if ch.Status != "succeeded" || !ch.Paid {
			t.Fatalf("settled charge: %s", ch.Status)
		}
		// Bad account details.
		assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, "type=sepa_debit&sepa_debit[iban]=DE00123&billing_details[name]=A&billing_details[email]=a@b.co"), 400, "invalid_request_error", "invalid_bank_account_iban", "sepa_debit[iban]")
		assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, "type=us_bank_account&us_bank_account[routing_number]=110000001&us_bank_account[account_number]=000123456789&billing_details[name]=A"), 400, "invalid_request_error", "routing_number_invalid", "us_bank_account[routing_number]")
		// Webhooks: created and processing, then succeeded, signed.
		want := []string{"payment_intent.created", "charge.pending", "payment_intent.processing", "charge.succeeded", "payment_intent.succeeded"}
		waitFor(t, 10*time.Second, "debit webhooks", func() bool { return len(typesFor(t, rc, ep.Secret, ok.ID)) >= 3 }) // payment_intent.* only
		if got := typesFor(t, rc, ep.Secret, ok.ID); !slices.Contains(got, "payment_intent.succeeded") || !slices.Contains(got, "payment_intent.processing") {
			t.Fatalf("SEPA webhooks: %v", got)
		}
		if log := e.EventLog(t, ok.ID); !slices.Equal(log, want) {
			t.Fatalf("SEPA event log: %v, want %v", log, want)
		}

		// Set up SEPA for later, then debit off-session.
		cus, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		pm, _ := e.Client.V1PaymentMethods.Create(ctx, &stripe.PaymentMethodCreateParams{Type: stripe.String("sepa_debit"),
			SEPADebit:      &stripe.PaymentMethodCreateSEPADebitParams{IBAN: stripe.String("DE89370400440532013000")},
			BillingDetails: &stripe.PaymentMethodCreateBillingDetailsParams{Name: stripe.String("Anna"), Email: stripe.String("anna@example.com")}})
		si, err := e.Client.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{Customer: stripe.String(cus.ID), PaymentMethod: stripe.String(pm.ID),
			Confirm: stripe.Bool(true), PaymentMethodTypes: []*string{stripe.String("sepa_debit")}})
		if err != nil || si.Status != "succeeded" || si.Mandate == nil {
			t.Fatalf("SEPA setup: %+v %v", si, err)
		}
		off, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1200), Currency: stripe.String("eur"),
			Customer: stripe.String(cus.ID), PaymentMethod: stripe.String(pm.ID), Confirm: stripe.Bool(true), OffSession: stripe.Bool(true),
			PaymentMethodTypes: []*string{stripe.String("sepa_debit")}})
		if err != nil || off.Status != "processing" {
			t.Fatalf("off-session debit: %+v %v", off, err)
		}
		settled(off.ID, "succeeded", 10*time.Second)
		// iDEAL cannot be set up for later.
		_, err = e.Client.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{Confirm: stripe.Bool(true), PaymentMethodTypes: []*string{stripe.String("ideal")},
			PaymentMethodData: &stripe.SetupIntentCreatePaymentMethodDataParams{Type: stripe.String("ideal")}, ReturnURL: stripe.String("https://x.example")})
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 {
			t.Fatalf("iDEAL setup: %+v", se)
		}
	}, func(c *app.Config) { c.DebitDelay, c.DebitLateDelay = 300*time.Millisecond, lateDelay })
}

// typesFor lists the verified event types delivered about one intent.
func typesFor(t *testing.T, rc *receiver, secret, id string) []string {
	t.Helper()
	var bodies, sigs [][]byte
	for _, d := range rc.deliveries() {
		bodies, sigs = append(bodies, d.Body), append(sigs, []byte(d.Signature))
	}
	return apitest.Delivered(t, bodies, sigs, secret, id)
}
