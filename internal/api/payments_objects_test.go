package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// TestSetupThenOffSession saves a card with a SetupIntent, then charges it
// off-session, following each card's off-session rules.
func TestSetupThenOffSession(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		cus, err := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("saver@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		setup := func(pm string) *stripe.SetupIntent {
			t.Helper()
			ct, err := e.Client.V1TestHelpersConfirmationTokens.Create(ctx, &stripe.TestHelpersConfirmationTokenCreateParams{PaymentMethod: stripe.String(pm)})
			if err != nil {
				t.Fatal(err)
			}
			si, err := e.Client.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{
				Customer: stripe.String(cus.ID), Confirm: stripe.Bool(true), ConfirmationToken: stripe.String(ct.ID),
				AutomaticPaymentMethods: &stripe.SetupIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true), AllowRedirects: stripe.String("never")},
			})
			if err != nil {
				t.Fatalf("setup %s: %v", pm, err)
			}
			return si
		}
		offSession := func(pmID string) (*stripe.PaymentIntent, error) {
			return e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
				Amount: stripe.Int64(2500), Currency: stripe.String("usd"), Customer: stripe.String(cus.ID),
				PaymentMethod: stripe.String(pmID), Confirm: stripe.Bool(true), OffSession: stripe.Bool(true),
				AutomaticPaymentMethods: noRedirects(),
			})
		}

		// A card that needs 3DS on setup, then pays off-session without it.
		si := setup("pm_card_authenticationRequiredOnSetup")
		if si.Status != "requires_action" || si.NextAction == nil {
			t.Fatalf("setup of a 3DS card: %s %+v", si.Status, si.NextAction)
		}
		answerChallenge(t, challengeURL(t, e, "/v1/setup_intents/"+si.ID), "complete").Body.Close()
		si, _ = e.Client.V1SetupIntents.Retrieve(ctx, si.ID, nil)
		if si.Status != "succeeded" || si.PaymentMethod == nil || si.Usage != "off_session" {
			t.Fatalf("setup after 3DS: %+v", si)
		}
		pm, _ := e.Client.V1PaymentMethods.Retrieve(ctx, si.PaymentMethod.ID, nil)
		if pm.Customer == nil || pm.Customer.ID != cus.ID {
			t.Fatalf("set-up method not attached: %+v", pm.Customer)
		}
		pi, err := offSession(pm.ID)
		if err != nil || pi.Status != "succeeded" {
			t.Fatalf("off-session after setup: %+v %v", pi, err)
		}
		// On-session, the same card would still ask for authentication.

		// A card that always needs 3DS: off-session declines authentication_required.
		si = setup("pm_card_authenticationRequired")
		answerChallenge(t, challengeURL(t, e, "/v1/setup_intents/"+si.ID), "complete").Body.Close()
		si, _ = e.Client.V1SetupIntents.Retrieve(ctx, si.ID, nil)
		if si.Status != "succeeded" {
			t.Fatalf("setup of authenticationRequired: %s", si.Status)
		}
		_, err = offSession(si.PaymentMethod.ID)
		se := asStripeError(t, err)
		if se.HTTPStatusCode != 402 || se.Code != "authentication_required" || se.DeclineCode != "authentication_required" ||
			se.PaymentIntent == nil || se.PaymentIntent.Status != "requires_payment_method" {
			t.Fatalf("off-session with an always-3DS card: %+v", se)
		}

		// A plain card sets up without action; a declining one fails setup with 402 and the SetupIntent.
		si = setup("pm_card_visa")
		if si.Status != "succeeded" {
			t.Fatalf("visa setup: %s", si.Status)
		}
		ct, _ := e.Client.V1TestHelpersConfirmationTokens.Create(ctx, &stripe.TestHelpersConfirmationTokenCreateParams{PaymentMethod: stripe.String("pm_card_chargeDeclined")})
		_, err = e.Client.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{Customer: stripe.String(cus.ID), Confirm: stripe.Bool(true),
			ConfirmationToken: stripe.String(ct.ID), PaymentMethodTypes: []*string{stripe.String("card")}})
		se = asStripeError(t, err)
		if se.HTTPStatusCode != 402 || se.SetupIntent == nil || se.SetupIntent.Status != "requires_payment_method" || se.SetupIntent.LastSetupError == nil {
			t.Fatalf("declined setup: %+v", se)
		}
		// Cancel, list.
		open, _ := e.Client.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{Customer: stripe.String(cus.ID)})
		c, err := e.Client.V1SetupIntents.Cancel(ctx, open.ID, &stripe.SetupIntentCancelParams{CancellationReason: stripe.String("abandoned")})
		if err != nil || c.Status != "canceled" {
			t.Fatalf("cancel setup: %+v %v", c, err)
		}
		n := 0
		for _, err := range e.Client.V1SetupIntents.List(ctx, &stripe.SetupIntentListParams{Customer: stripe.String(cus.ID)}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 5 {
			t.Fatalf("listed %d setup intents of the customer, want 5", n)
		}
		// Saved methods of the customer.
		saved := 0
		for m, err := range e.Client.V1Customers.ListPaymentMethods(ctx, &stripe.CustomerListPaymentMethodsParams{Customer: stripe.String(cus.ID)}).All(ctx) {
			if err != nil || m.Customer.ID != cus.ID {
				t.Fatal(m, err)
			}
			saved++
		}
		if saved != 3 {
			t.Fatalf("customer has %d saved methods, want 3", saved)
		}
	})
}

func TestPaymentMethodLifecycle(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		cus, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		other, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		// Secret-key creation with raw card data (test mode) and a magic attach.
		pm, err := e.Client.V1PaymentMethods.Create(ctx, &stripe.PaymentMethodCreateParams{
			Type:           stripe.String("card"),
			Card:           &stripe.PaymentMethodCreateCardParams{Number: stripe.String("4242 4242 4242 4242"), ExpMonth: stripe.Int64(12), ExpYear: stripe.Int64(2040), CVC: stripe.String("123")},
			BillingDetails: &stripe.PaymentMethodCreateBillingDetailsParams{Name: stripe.String("Ada"), Email: stripe.String("ada@example.com")},
		})
		if err != nil || pm.Card.Last4 != "4242" || pm.Card.Brand != "visa" || pm.BillingDetails.Name != "Ada" || pm.AllowRedisplay != "unspecified" {
			t.Fatalf("create: %+v %v", pm, err)
		}
		again, _ := e.Client.V1PaymentMethods.Create(ctx, &stripe.PaymentMethodCreateParams{Type: stripe.String("card"),
			Card: &stripe.PaymentMethodCreateCardParams{Number: stripe.String("4242424242424242"), ExpMonth: stripe.Int64(1), ExpYear: stripe.Int64(2041)}})
		if again.Card.Fingerprint != pm.Card.Fingerprint {
			t.Fatalf("fingerprint not stable: %s vs %s", again.Card.Fingerprint, pm.Card.Fingerprint)
		}
		mc, _ := e.Client.V1PaymentMethods.Create(ctx, &stripe.PaymentMethodCreateParams{Type: stripe.String("card"),
			Card: &stripe.PaymentMethodCreateCardParams{Number: stripe.String("5555555555554444"), ExpMonth: stripe.Int64(1), ExpYear: stripe.Int64(2041)}})
		if mc.Card.Fingerprint == pm.Card.Fingerprint {
			t.Fatal("two cards share a fingerprint")
		}
		// Another account sees another fingerprint for the same card.
		acct := newAccount(t, e)
		theirs, err := e.NewClient(acct.SecretKey).V1PaymentMethods.Create(ctx, &stripe.PaymentMethodCreateParams{Type: stripe.String("card"),
			Card: &stripe.PaymentMethodCreateCardParams{Number: stripe.String("4242424242424242"), ExpMonth: stripe.Int64(1), ExpYear: stripe.Int64(2041)}})
		if err != nil || theirs.Card.Fingerprint == pm.Card.Fingerprint {
			t.Fatalf("fingerprints are not per account: %v", err)
		}
		// Errors at creation.
		for _, c := range []struct{ body, code, param string }{
			{"type=card&card[number]=4242424242424241&card[exp_month]=12&card[exp_year]=2040", "incorrect_number", "number"},
			{"type=card&card[number]=4242424242424242&card[exp_month]=13&card[exp_year]=2040", "invalid_expiry_month", "exp_month"},
			{"type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2001", "invalid_expiry_year", "exp_year"},
			{"type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2040&card[cvc]=12", "invalid_cvc", "cvc"},
		} {
			assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, c.body), 402, "card_error", c.code, c.param)
		}
		assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, "type=ideal"), 400, "invalid_request_error", "", "type")
		assertErrorBody(t, e.Do("POST", "/v1/payment_methods", apitest.SecretKey, "card[number]=4242424242424242"), 400, "invalid_request_error", "parameter_missing", "type")

		// Attach, list, update, detach.
		att, err := e.Client.V1PaymentMethods.Attach(ctx, pm.ID, &stripe.PaymentMethodAttachParams{Customer: stripe.String(cus.ID)})
		if err != nil || att.Customer.ID != cus.ID {
			t.Fatalf("attach: %+v %v", att, err)
		}
		_, err = e.Client.V1PaymentMethods.Attach(ctx, pm.ID, &stripe.PaymentMethodAttachParams{Customer: stripe.String(other.ID)})
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || !strings.Contains(se.Msg, "already been attached") {
			t.Fatalf("attach elsewhere: %+v", se)
		}
		magic, err := e.Client.V1PaymentMethods.Attach(ctx, "pm_card_mastercard", &stripe.PaymentMethodAttachParams{Customer: stripe.String(cus.ID)})
		if err != nil || magic.ID == "pm_card_mastercard" || magic.Card.Brand != "mastercard" {
			t.Fatalf("attach a magic id: %+v %v", magic, err)
		}
		// The default payment method must belong to the customer.
		_, err = e.Client.V1Customers.Update(ctx, cus.ID, &stripe.CustomerUpdateParams{InvoiceSettings: &stripe.CustomerUpdateInvoiceSettingsParams{DefaultPaymentMethod: stripe.String(mc.ID)}})
		if se := asStripeError(t, err); se.Param != "invoice_settings[default_payment_method]" {
			t.Fatalf("foreign default: %+v", se)
		}
		cp := &stripe.CustomerUpdateParams{InvoiceSettings: &stripe.CustomerUpdateInvoiceSettingsParams{DefaultPaymentMethod: stripe.String(pm.ID)}}
		cp.AddExpand("invoice_settings.default_payment_method")
		c, err := e.Client.V1Customers.Update(ctx, cus.ID, cp)
		if err != nil || c.InvoiceSettings.DefaultPaymentMethod == nil || c.InvoiceSettings.DefaultPaymentMethod.Card == nil || c.InvoiceSettings.DefaultPaymentMethod.Card.Last4 != "4242" {
			t.Fatalf("expanded default payment method: %+v %v", c.InvoiceSettings, err)
		}
		up := &stripe.PaymentMethodUpdateParams{AllowRedisplay: stripe.String("always"), Card: &stripe.PaymentMethodUpdateCardParams{ExpMonth: stripe.Int64(6)}}
		up.AddMetadata("nick", "work card")
		u, err := e.Client.V1PaymentMethods.Update(ctx, pm.ID, up)
		if err != nil || u.AllowRedisplay != "always" || u.Card.ExpMonth != 6 || u.Metadata["nick"] != "work card" {
			t.Fatalf("update: %+v %v", u, err)
		}
		n := 0
		for m, err := range e.Client.V1PaymentMethods.List(ctx, &stripe.PaymentMethodListParams{Customer: stripe.String(cus.ID), Type: stripe.String("card")}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if m.Customer.ID != cus.ID {
				t.Fatalf("listed someone else's method")
			}
			n++
		}
		if n != 2 {
			t.Fatalf("customer has %d methods, want 2", n)
		}
		r := e.Do("GET", "/v1/customers/"+cus.ID+"/payment_methods?allow_redisplay=always", apitest.SecretKey, "")
		if !strings.Contains(r.Body, pm.ID) || strings.Contains(r.Body, magic.ID) {
			t.Fatalf("allow_redisplay filter: %s", r.Body)
		}
		got, err := e.Client.V1Customers.RetrievePaymentMethod(ctx, pm.ID, &stripe.CustomerRetrievePaymentMethodParams{Customer: stripe.String(cus.ID)})
		if err != nil || got.ID != pm.ID {
			t.Fatalf("retrieve customer's method: %v", err)
		}
		d, err := e.Client.V1PaymentMethods.Detach(ctx, pm.ID, nil)
		if err != nil || d.Customer != nil {
			t.Fatalf("detach: %+v %v", d, err)
		}
		c, _ = e.Client.V1Customers.Retrieve(ctx, cus.ID, nil)
		if c.InvoiceSettings.DefaultPaymentMethod != nil {
			t.Fatal("detaching the default left it as default")
		}
		// A detached method cannot be used again.
		_, err = e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(500), Currency: stripe.String("usd"),
			PaymentMethod: stripe.String(pm.ID), Confirm: stripe.Bool(true), AutomaticPaymentMethods: noRedirects()})
		if se := asStripeError(t, err); se.Code != "resource_missing" || se.Param != "payment_method" {
			t.Fatalf("reuse of a detached method: %+v", se)
		}
		// The card number is stored nowhere.
		for _, table := range []string{"/v1/payment_methods/" + again.ID} {
			if body := e.Do("GET", table, apitest.SecretKey, "").Body; strings.Contains(body, "4242424242424242") {
				t.Fatal("card number in a response")
			}
		}
	})
}

func TestAmountsAndCurrencies(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		for _, c := range []struct {
			body, code, param string
		}{
			{"currency=usd", "parameter_missing", "amount"},
			{"amount=100", "parameter_missing", "currency"},
			{"amount=100&currency=zzz", "", "currency"},
			{"amount=0&currency=usd", "", "amount"},
			{"amount=-5&currency=usd", "", "amount"},
			{"amount=49&currency=usd", "amount_too_small", "amount"},
			{"amount=29&currency=gbp", "amount_too_small", "amount"},
			{"amount=49&currency=jpy", "amount_too_small", "amount"},
			{"amount=100000000&currency=usd", "amount_too_large", "amount"},
			{"amount=abc&currency=usd", "parameter_invalid_integer", "amount"},
			{"amount=100&currency=usd&capture_method=later", "", "capture_method"},
			{"amount=100&currency=usd&payment_method_types[0]=ideal", "", "payment_method_types[0]"},
			{"amount=100&currency=usd&payment_method_types[0]=card&automatic_payment_methods[enabled]=true", "parameters_exclusive", "automatic_payment_methods"},
			{"amount=100&currency=usd&return_url=https://x.example", "", "return_url"},
			{"amount=100&currency=usd&payment_method_options[card][request_three_d_secure]=always", "", "payment_method_options[card][request_three_d_secure]"},
		} {
			assertErrorBody(t, e.Do("POST", "/v1/payment_intents", apitest.SecretKey, c.body), 400, "invalid_request_error", c.code, c.param)
		}
		// Zero-decimal currencies take whole units.
		pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(500), Currency: stripe.String("JPY"),
			PaymentMethodTypes: []*string{stripe.String("card")}, PaymentMethod: stripe.String("pm_card_visa"), Confirm: stripe.Bool(true)})
		if err != nil || pi.Currency != "jpy" || pi.Status != "succeeded" || pi.AmountReceived != 500 || pi.AutomaticPaymentMethods != nil {
			t.Fatalf("jpy: %+v %v", pi, err)
		}
		// Defaults: automatic payment methods with redirects allowed.
		pi, _ = e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100), Currency: stripe.String("usd")})
		if pi.AutomaticPaymentMethods == nil || !pi.AutomaticPaymentMethods.Enabled || pi.AutomaticPaymentMethods.AllowRedirects != "always" ||
			len(pi.PaymentMethodTypes) != 1 || pi.PaymentMethodTypes[0] != "card" || pi.CaptureMethod != "automatic" || pi.Status != "requires_payment_method" ||
			!strings.HasPrefix(pi.ClientSecret, pi.ID+"_secret_") {
			t.Fatalf("defaults: %+v", pi)
		}
		// allowed_payment_method_types (endive) is accepted and rendered on new trains.
		r := e.Do("POST", "/v1/payment_intents", apitest.SecretKey, "amount=100&currency=usd&allowed_payment_method_types[0]=card", "Stripe-Version", "2026-10-28.endive")
		if r.Status != 200 || !strings.Contains(r.Body, `"allowed_payment_method_types":["card"]`) {
			t.Fatalf("endive allowed_payment_method_types: %d %s", r.Status, r.Body)
		}
		r = e.Do("GET", "/v1/payment_intents/"+pi.ID, apitest.SecretKey, "", "Stripe-Version", "2026-03-25.dahlia")
		if strings.Contains(r.Body, "allowed_payment_method_types") {
			t.Fatalf("early dahlia shows allowed_payment_method_types: %s", r.Body)
		}
		// Update: amount, then payment method → requires_confirmation; confirm; list by customer.
		cus, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		pi, err = e.Client.V1PaymentIntents.Update(ctx, pi.ID, &stripe.PaymentIntentUpdateParams{Amount: stripe.Int64(250), Customer: stripe.String(cus.ID),
			PaymentMethod: stripe.String("pm_card_visa"), Description: stripe.String("order 9")})
		if err != nil || pi.Amount != 250 || pi.Status != "requires_confirmation" || pi.Description != "order 9" {
			t.Fatalf("update: %+v %v", pi, err)
		}
		pi, err = e.Client.V1PaymentIntents.Confirm(ctx, pi.ID, &stripe.PaymentIntentConfirmParams{ReturnURL: stripe.String("https://shop.example/r")})
		if err != nil || pi.Status != "succeeded" || pi.AmountReceived != 250 {
			t.Fatalf("confirm after update: %+v %v", pi, err)
		}
		_, err = e.Client.V1PaymentIntents.Update(ctx, pi.ID, &stripe.PaymentIntentUpdateParams{Amount: stripe.Int64(300)})
		if se := asStripeError(t, err); se.Code != "payment_intent_unexpected_state" {
			t.Fatalf("amount change after success: %+v", se)
		}
		n := 0
		for p, err := range e.Client.V1PaymentIntents.List(ctx, &stripe.PaymentIntentListParams{Customer: stripe.String(cus.ID)}).All(ctx) {
			if err != nil || p.Customer.ID != cus.ID {
				t.Fatal(p, err)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("listed %d intents of the customer", n)
		}
		// setup_future_usage with a customer attaches the method on success.
		pi, err = e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(800), Currency: stripe.String("usd"),
			Customer: stripe.String(cus.ID), SetupFutureUsage: stripe.String("off_session"), Confirm: stripe.Bool(true),
			ConfirmationToken: stripe.String(ctoken(t, e, "pm_card_visa", "")), AutomaticPaymentMethods: noRedirects()})
		if err != nil || pi.Status != "succeeded" {
			t.Fatal(pi, err)
		}
		pm, _ := e.Client.V1PaymentMethods.Retrieve(ctx, pi.PaymentMethod.ID, nil)
		if pm.Customer == nil || pm.Customer.ID != cus.ID {
			t.Fatalf("setup_future_usage did not attach: %+v", pm.Customer)
		}
		// off_session together with setup_future_usage is refused.
		_, err = e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(800), Currency: stripe.String("usd"),
			Customer: stripe.String(cus.ID), SetupFutureUsage: stripe.String("off_session"), OffSession: stripe.Bool(true), Confirm: stripe.Bool(true),
			PaymentMethod: stripe.String(pm.ID), AutomaticPaymentMethods: noRedirects()})
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || !strings.Contains(se.Msg, "off_session") {
			t.Fatalf("off_session with setup_future_usage: %+v", se)
		}
		// error_on_requires_action turns a 3DS need into authentication_required.
		_, err = e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(800), Currency: stripe.String("usd"),
			Confirm: stripe.Bool(true), ErrorOnRequiresAction: stripe.Bool(true), PaymentMethod: stripe.String("pm_card_threeDSecure2Required"), AutomaticPaymentMethods: noRedirects()})
		if se := asStripeError(t, err); se.HTTPStatusCode != 402 || se.Code != "authentication_required" {
			t.Fatalf("error_on_requires_action: %+v", se)
		}
	})
}

// TestPaymentFieldsMatchStripeGo renders every payment object and compares
// its keys with stripe-go's structs.
func TestPaymentFieldsMatchStripeGo(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1099), Currency: stripe.String("usd"),
			Confirm: stripe.Bool(true), ConfirmationToken: stripe.String(ctoken(t, e, "pm_card_visa", "")), AutomaticPaymentMethods: noRedirects(),
			Shipping: &stripe.ShippingDetailsParams{Name: stripe.String("A"), Address: &stripe.AddressParams{Line1: stripe.String("1 St")}}})
		if err != nil {
			t.Fatal(err)
		}
		re, _ := e.Client.V1Refunds.Create(ctx, &stripe.RefundCreateParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(100)})
		si, _ := e.Client.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{})
		ctID := ctoken(t, e, "pm_card_visa", "")
		get := func(path string) []byte {
			r := e.Do("GET", path, apitest.SecretKey, "", "Stripe-Version", "2026-03-25.dahlia")
			if r.Status != 200 {
				t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
			}
			return []byte(r.Body)
		}
		pmTypes := []string{"acss_debit", "affirm", "afterpay_clearpay", "alipay", "alma", "amazon_pay", "au_becs_debit", "bacs_debit", "bancontact", "billie", "blik", "boleto",
			"card_present", "cashapp", "crypto", "custom", "customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal", "interac_present", "kakao_pay", "klarna", "konbini",
			"kr_card", "link", "mb_way", "mobilepay", "multibanco", "naver_pay", "nz_bank_account", "oxxo", "p24", "pay_by_bank", "payco", "paynow", "paypal", "payto", "pix",
			"promptpay", "revolut_pay", "samsung_pay", "satispay", "sepa_debit", "sofort", "swish", "twint", "upi", "us_bank_account", "wechat_pay", "zip"}
		cardOnly := func(prefix string, extra ...string) []string {
			var out []string
			for _, t := range pmTypes {
				out = append(out, prefix+t)
			}
			return append(out, extra...)
		}
		// Fields Stripe sends only when set or asked for, per object.
		piExceptions := []string{"hooks", "payment_details", "presentment_details", "amount_details.*"}
		for _, typ := range pmTypes {
			piExceptions = append(piExceptions, "payment_method_options."+typ)
		}
		for _, f := range []string{"capture_method", "request_extended_authorization", "request_incremental_authorization", "request_multicapture",
			"request_overcapture", "require_cvc_recollection", "setup_future_usage", "statement_descriptor_suffix_kana", "statement_descriptor_suffix_kanji"} {
			piExceptions = append(piExceptions, "payment_method_options.card."+f)
		}
		apitest.AssertFields(t, get("/v1/payment_intents/"+pi.ID), stripe.PaymentIntent{}, piExceptions...)
		pmExceptions := cardOnly("", "radar_options", "card.description", "card.iin", "card.issuer")
		apitest.AssertFields(t, get("/v1/payment_methods/"+pi.PaymentMethod.ID), stripe.PaymentMethod{}, pmExceptions...)
		chargeExceptions := append(cardOnly("payment_method_details."), "payment_method_details.ach_credit_transfer", "payment_method_details.ach_debit",
			"payment_method_details.sepa_credit_transfer", "payment_method_details.stripe_account", "payment_method_details.wechat",
			"authorization_code", "level3", "presentment_details", "radar_options", "refunds", "transfer", "fraud_details.*",
			"payment_method_details.card.description", "payment_method_details.card.iin", "payment_method_details.card.issuer",
			"payment_method_details.card.moto", "payment_method_details.card.capture_before", "payment_method_details.card.installments",
			"payment_method_details.card.mandate")
		apitest.AssertFields(t, get("/v1/charges/"+pi.LatestCharge.ID), stripe.Charge{}, chargeExceptions...)
		apitest.AssertFields(t, get("/v1/refunds/"+re.ID), stripe.Refund{},
			"description", "failure_balance_transaction", "failure_reason", "instructions_email", "next_action", "pending_reason", "presentment_details",
			"destination_details.*")
		apitest.AssertFields(t, get("/v1/setup_intents/"+si.ID), stripe.SetupIntent{}, "attach_to_self",
			"payment_method_options.acss_debit", "payment_method_options.amazon_pay", "payment_method_options.bacs_debit", "payment_method_options.card_present",
			"payment_method_options.klarna", "payment_method_options.link", "payment_method_options.paypal", "payment_method_options.payto",
			"payment_method_options.sepa_debit", "payment_method_options.upi", "payment_method_options.us_bank_account")
		apitest.AssertFields(t, get("/v1/confirmation_tokens/"+ctID), stripe.ConfirmationToken{},
			cardOnly("payment_method_preview.", "payment_method_preview.card.description", "payment_method_preview.card.iin", "payment_method_preview.card.issuer")...)
		// Expanded objects carry the same fields.
		expanded := piExceptions
		for _, e := range pmExceptions {
			expanded = append(expanded, "payment_method."+e)
		}
		for _, e := range chargeExceptions {
			expanded = append(expanded, "latest_charge."+e)
		}
		apitest.AssertFields(t, get("/v1/payment_intents/"+pi.ID+"?expand[]=latest_charge&expand[]=payment_method"), stripe.PaymentIntent{}, expanded...)
	})
}

// challengeURL reads the hosted page's address from an intent's
// use_stripe_sdk next action (stripe-go models it as an empty struct).
func challengeURL(t *testing.T, e *apitest.Env, path string) string {
	t.Helper()
	raw := e.Do("GET", path, apitest.SecretKey, "")
	var shape struct {
		NextAction struct {
			UseStripeSDK struct {
				StripeJS string `json:"stripe_js"`
			} `json:"use_stripe_sdk"`
		} `json:"next_action"`
	}
	if err := json.Unmarshal([]byte(raw.Body), &shape); err != nil || shape.NextAction.UseStripeSDK.StripeJS == "" {
		t.Fatalf("no use_stripe_sdk next action on %s: %s", path, raw.Body)
	}
	return shape.NextAction.UseStripeSDK.StripeJS
}
