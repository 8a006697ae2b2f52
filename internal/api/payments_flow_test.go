package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// TestThreeDSecureHostedPage drives the hosted challenge page over HTTP,
// with both buttons and both next_action shapes.
func TestThreeDSecureHostedPage(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		const ret = "https://merchant.example/return?order=7"
		create := func(pm string) *stripe.PaymentIntent {
			t.Helper()
			pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
				Amount: stripe.Int64(2000), Currency: stripe.String("eur"), Confirm: stripe.Bool(true),
				PaymentMethod: stripe.String(pm), ReturnURL: stripe.String(ret),
			})
			if err != nil {
				t.Fatalf("%s: %v", pm, err)
			}
			if pi.Status != "requires_action" || pi.NextAction == nil || pi.NextAction.Type != "redirect_to_url" ||
				pi.NextAction.RedirectToURL.ReturnURL != ret || !strings.HasPrefix(pi.NextAction.RedirectToURL.URL, e.URL+"/3ds/") {
				t.Fatalf("%s: %s %+v", pm, pi.Status, pi.NextAction)
			}
			return pi
		}

		// Complete → succeeded, and a 303 to the return_url with the outcome.
		pi := create("pm_card_threeDSecure2Required")
		resp := answerChallenge(t, pi.NextAction.RedirectToURL.URL, "complete")
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || loc.Host != "merchant.example" || loc.Query().Get("redirect_status") != "succeeded" ||
			loc.Query().Get("payment_intent") != pi.ID || loc.Query().Get("payment_intent_client_secret") != pi.ClientSecret || loc.Query().Get("order") != "7" {
			t.Fatalf("after Complete: %d %s", resp.StatusCode, loc)
		}
		got, err := e.Client.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
		if err != nil || got.Status != "succeeded" || got.AmountReceived != 2000 || got.NextAction != nil {
			t.Fatalf("after Complete: %+v %v", got, err)
		}
		ch, _ := e.Client.V1Charges.Retrieve(ctx, got.LatestCharge.ID, nil)
		if tds := ch.PaymentMethodDetails.Card.ThreeDSecure; tds == nil || tds.Result != "authenticated" {
			t.Fatalf("charge three_d_secure: %+v", ch.PaymentMethodDetails.Card.ThreeDSecure)
		}
		// A challenge is answered once.
		again := answerChallengeAgain(t, pi.NextAction.RedirectToURL.URL)
		if again == http.StatusSeeOther || again == http.StatusOK {
			if got2, _ := e.Client.V1PaymentIntents.Retrieve(ctx, pi.ID, nil); got2.Status != "succeeded" {
				t.Fatalf("second answer changed the intent: %s", got2.Status)
			}
		}

		// Fail → requires_payment_method with payment_intent_authentication_failure.
		pi = create("pm_card_threeDSecureRequired")
		resp = answerChallenge(t, pi.NextAction.RedirectToURL.URL, "fail")
		loc, _ = url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || loc.Query().Get("redirect_status") != "failed" {
			t.Fatalf("after Fail: %d %s", resp.StatusCode, loc)
		}
		got, _ = e.Client.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
		if got.Status != "requires_payment_method" || got.LastPaymentError == nil ||
			got.LastPaymentError.Code != "payment_intent_authentication_failure" || got.PaymentMethod != nil {
			t.Fatalf("after Fail: %s %+v", got.Status, got.LastPaymentError)
		}

		// Authenticated, then declined by the issuer.
		pi = create("pm_card_threeDSecureRequiredChargeDeclined")
		resp = answerChallenge(t, pi.NextAction.RedirectToURL.URL, "complete")
		loc, _ = url.Parse(resp.Header.Get("Location"))
		got, _ = e.Client.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
		if loc.Query().Get("redirect_status") != "failed" || got.Status != "requires_payment_method" || got.LastPaymentError.Code != "card_declined" {
			t.Fatalf("3DS then decline: %s %s %+v", loc, got.Status, got.LastPaymentError)
		}

		// Manual capture after 3DS → requires_capture.
		pi, err = e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
			Amount: stripe.Int64(3000), Currency: stripe.String("usd"), Confirm: stripe.Bool(true), CaptureMethod: stripe.String("manual"),
			ConfirmationToken: stripe.String(ctoken(t, e, "pm_card_authenticationRequired", "")), AutomaticPaymentMethods: noRedirects(),
		})
		if err != nil || pi.NextAction == nil || pi.NextAction.Type != "use_stripe_sdk" {
			t.Fatalf("use_stripe_sdk: %+v %v", pi, err)
		}
		raw := e.Do("GET", "/v1/payment_intents/"+pi.ID, apitest.SecretKey, "")
		var shape struct {
			NextAction struct {
				UseStripeSDK struct {
					Type     string `json:"type"`
					StripeJS string `json:"stripe_js"`
				} `json:"use_stripe_sdk"`
			} `json:"next_action"`
		}
		_ = json.Unmarshal([]byte(raw.Body), &shape)
		if shape.NextAction.UseStripeSDK.Type != "three_d_secure_redirect" || !strings.HasPrefix(shape.NextAction.UseStripeSDK.StripeJS, e.URL+"/3ds/") {
			t.Fatalf("use_stripe_sdk payload: %s", raw.Body)
		}
		resp = answerChallenge(t, shape.NextAction.UseStripeSDK.StripeJS, "complete")
		resp.Body.Close()
		got, _ = e.Client.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
		if got.Status != "requires_capture" || got.AmountCapturable != 3000 {
			t.Fatalf("manual capture after 3DS: %s %d", got.Status, got.AmountCapturable)
		}
	})
}

func answerChallengeAgain(t *testing.T, pageURL string) int {
	t.Helper()
	resp, err := http.Get(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestCaptureAndCancel(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		authorize := func(amount int64) *stripe.PaymentIntent {
			t.Helper()
			pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
				Amount: stripe.Int64(amount), Currency: stripe.String("usd"), Confirm: stripe.Bool(true), CaptureMethod: stripe.String("manual"),
				PaymentMethod: stripe.String("pm_card_visa"), AutomaticPaymentMethods: noRedirects(),
			})
			if err != nil || pi.Status != "requires_capture" || pi.AmountCapturable != amount || pi.AmountReceived != 0 {
				t.Fatalf("authorize: %+v %v", pi, err)
			}
			return pi
		}
		// Full capture.
		pi := authorize(5000)
		pi, err := e.Client.V1PaymentIntents.Capture(ctx, pi.ID, nil)
		if err != nil || pi.Status != "succeeded" || pi.AmountReceived != 5000 || pi.AmountCapturable != 0 {
			t.Fatalf("full capture: %+v %v", pi, err)
		}
		// Partial capture releases the rest.
		pi = authorize(5000)
		_, err = e.Client.V1PaymentIntents.Capture(ctx, pi.ID, &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(6000)})
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || se.Param != "amount_to_capture" {
			t.Fatalf("over-capture: %+v", se)
		}
		pi, err = e.Client.V1PaymentIntents.Capture(ctx, pi.ID, &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(3000)})
		if err != nil || pi.Status != "succeeded" || pi.AmountReceived != 3000 {
			t.Fatalf("partial capture: %+v %v", pi, err)
		}
		ch, _ := e.Client.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
		if !ch.Captured || ch.AmountCaptured != 3000 || ch.AmountRefunded != 2000 {
			t.Fatalf("partially captured charge: captured=%v %d refunded %d", ch.Captured, ch.AmountCaptured, ch.AmountRefunded)
		}
		// Capturing again is an unexpected state.
		_, err = e.Client.V1PaymentIntents.Capture(ctx, pi.ID, nil)
		if se := asStripeError(t, err); se.Code != "payment_intent_unexpected_state" || se.HTTPStatusCode != 400 {
			t.Fatalf("second capture: %+v", se)
		}

		// Cancel from each allowed state.
		states := map[string]func() string{
			"requires_payment_method": func() string {
				pi, _ := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100), Currency: stripe.String("usd")})
				return pi.ID
			},
			"requires_confirmation": func() string {
				pi, _ := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100), Currency: stripe.String("usd"), PaymentMethod: stripe.String("pm_card_visa")})
				return pi.ID
			},
			"requires_action": func() string {
				pi, _ := payWith(t, e, "pm_card_threeDSecure2Required")
				return pi.ID
			},
			"requires_capture": func() string { return authorize(700).ID },
		}
		for state, make := range states {
			id := make()
			before, _ := e.Client.V1PaymentIntents.Retrieve(ctx, id, nil)
			if string(before.Status) != state {
				t.Fatalf("setup for %s gave %s", state, before.Status)
			}
			pi, err := e.Client.V1PaymentIntents.Cancel(ctx, id, &stripe.PaymentIntentCancelParams{CancellationReason: stripe.String("requested_by_customer")})
			if err != nil || pi.Status != "canceled" || pi.CanceledAt == 0 || pi.CancellationReason != "requested_by_customer" {
				t.Fatalf("cancel from %s: %+v %v", state, pi, err)
			}
			// And not again.
			_, err = e.Client.V1PaymentIntents.Cancel(ctx, id, nil)
			if se := asStripeError(t, err); se.Code != "payment_intent_unexpected_state" || se.PaymentIntent == nil {
				t.Fatalf("cancel a canceled intent: %+v", se)
			}
		}
		// Not from succeeded.
		ok, _ := payWith(t, e, "pm_card_visa")
		_, err = e.Client.V1PaymentIntents.Cancel(ctx, ok.ID, nil)
		if se := asStripeError(t, err); se.Code != "payment_intent_unexpected_state" || !strings.Contains(se.Msg, "succeeded") {
			t.Fatalf("cancel a succeeded intent: %+v", se)
		}
		_, err = e.Client.V1PaymentIntents.Confirm(ctx, ok.ID, nil)
		if se := asStripeError(t, err); se.Code != "payment_intent_unexpected_state" || !strings.Contains(se.Msg, "already succeeded") {
			t.Fatalf("confirm a succeeded intent: %+v", se)
		}
	})
}

func TestRefunds(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		pi, err := payWith(t, e, "pm_card_visa")
		if err != nil {
			t.Fatal(err)
		}
		re, err := e.Client.V1Refunds.Create(ctx, &stripe.RefundCreateParams{PaymentIntent: stripe.String(pi.ID), Amount: stripe.Int64(400)})
		if err != nil || re.Amount != 400 || re.Status != "succeeded" || re.Charge.ID != pi.LatestCharge.ID {
			t.Fatalf("partial refund: %+v %v", re, err)
		}
		ch, _ := e.Client.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
		if ch.AmountRefunded != 400 || ch.Refunded {
			t.Fatalf("after partial refund: %d %v", ch.AmountRefunded, ch.Refunded)
		}
		_, err = e.Client.V1Refunds.Create(ctx, &stripe.RefundCreateParams{Charge: stripe.String(ch.ID), Amount: stripe.Int64(700)})
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || se.Param != "amount" {
			t.Fatalf("over-refund: %+v", se)
		}
		re2, err := e.Client.V1Refunds.Create(ctx, &stripe.RefundCreateParams{Charge: stripe.String(ch.ID), Reason: stripe.String("requested_by_customer")})
		if err != nil || re2.Amount != 699 || re2.Reason != "requested_by_customer" {
			t.Fatalf("refund of the rest: %+v %v", re2, err)
		}
		ch, _ = e.Client.V1Charges.Retrieve(ctx, ch.ID, nil)
		if ch.AmountRefunded != 1099 || !ch.Refunded {
			t.Fatalf("after full refund: %d %v", ch.AmountRefunded, ch.Refunded)
		}
		got, _ := e.Client.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
		if got.Status != "succeeded" {
			t.Fatalf("a refund changed the intent's status to %s", got.Status)
		}
		up := &stripe.RefundUpdateParams{}
		up.AddMetadata("ticket", "T-1")
		re, err = e.Client.V1Refunds.Update(ctx, re.ID, up)
		if err != nil || re.Metadata["ticket"] != "T-1" {
			t.Fatalf("refund metadata: %+v %v", re, err)
		}
		n := 0
		for r, err := range e.Client.V1Refunds.List(ctx, &stripe.RefundListParams{PaymentIntent: stripe.String(pi.ID)}).All(ctx) {
			if err != nil || r.PaymentIntent.ID != pi.ID {
				t.Fatal(r, err)
			}
			n++
		}
		if n != 2 {
			t.Fatalf("listed %d refunds, want 2", n)
		}
		// An uncaptured or failed payment cannot be refunded.
		open, _ := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(100), Currency: stripe.String("usd")})
		_, err = e.Client.V1Refunds.Create(ctx, &stripe.RefundCreateParams{PaymentIntent: stripe.String(open.ID)})
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 {
			t.Fatalf("refund without a charge: %+v", se)
		}
	})
}

func TestConfirmationTokenRules(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		id := ctoken(t, e, "pm_card_visa", "https://shop.example/done")
		ct, err := e.Client.V1ConfirmationTokens.Retrieve(ctx, id, nil)
		if err != nil || ct.ExpiresAt-ct.Created != 12*3600 || ct.PaymentMethodPreview == nil || ct.PaymentMethodPreview.Card.Last4 != "4242" ||
			ct.ReturnURL != "https://shop.example/done" || !ct.UseStripeSDK {
			t.Fatalf("token before use: %+v %v", ct, err)
		}
		params := func() *stripe.PaymentIntentCreateParams {
			return &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1099), Currency: stripe.String("usd"),
				AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true)},
				Confirm:                 stripe.Bool(true), ConfirmationToken: stripe.String(id)}
		}
		pi, err := e.Client.V1PaymentIntents.Create(ctx, params())
		if err != nil || pi.Status != "succeeded" {
			t.Fatalf("seed call with a return_url-carrying token: %+v %v", pi, err)
		}
		ct, _ = e.Client.V1ConfirmationTokens.Retrieve(ctx, id, nil)
		if ct.PaymentIntent != pi.ID || ct.ExpiresAt != 0 {
			t.Fatalf("token after use: payment_intent=%q expires_at=%d", ct.PaymentIntent, ct.ExpiresAt)
		}
		_, err = e.Client.V1PaymentIntents.Create(ctx, params())
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || se.Param != "confirmation_token" || !strings.Contains(se.Msg, "already been used") {
			t.Fatalf("reuse: %+v", se)
		}
		// Expiry: tokens live 12 hours.
		late := ctoken(t, e, "pm_card_visa", "")
		e.Clock.Advance(12*time.Hour + time.Second)
		p := params()
		p.ConfirmationToken = stripe.String(late)
		p.AutomaticPaymentMethods = noRedirects()
		_, err = e.Client.V1PaymentIntents.Create(ctx, p)
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || se.Param != "confirmation_token" || !strings.Contains(se.Msg, "expired") {
			t.Fatalf("expired: %+v", se)
		}
		p.ConfirmationToken = stripe.String("ctoken_doesnotexist")
		_, err = e.Client.V1PaymentIntents.Create(ctx, p)
		if se := asStripeError(t, err); se.HTTPStatusCode != 404 || se.Param != "confirmation_token" {
			t.Fatalf("unknown token: %+v", se)
		}
		// The return_url rule without one.
		_, err = e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1099), Currency: stripe.String("usd"),
			Confirm: stripe.Bool(true), PaymentMethod: stripe.String("pm_card_visa")})
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || se.Param != "return_url" {
			t.Fatalf("return_url rule: %+v", se)
		}
	})
}

// TestPublishableKey checks what the browser's key may and may not do.
func TestPublishableKey(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		pk := apitest.PublishableKey
		// It creates payment methods and ConfirmationTokens from raw card data.
		r := e.Do("POST", "/v1/confirmation_tokens", "", "key="+pk+"&payment_method_data[type]=card&payment_method_data[card][number]=4242424242424242&payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=2040&payment_method_data[card][cvc]=123&payment_method_data[billing_details][address][postal_code]=94107&return_url=https://shop.example/r")
		var ct struct {
			ID      string
			Preview struct {
				Card struct{ Last4, Brand, Fingerprint string }
			} `json:"payment_method_preview"`
		}
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &ct) != nil || ct.Preview.Card.Last4 != "4242" {
			t.Fatalf("browser token: %d %s", r.Status, r.Body)
		}
		if strings.Contains(r.Body, "4242424242424242") || strings.Contains(r.Body, `"123"`) {
			t.Fatalf("card number or CVC echoed: %s", r.Body)
		}
		r = e.Do("POST", "/v1/payment_methods", pk, "type=card&card[number]=4242424242424241&card[exp_month]=12&card[exp_year]=2040")
		assertErrorBody(t, r, 402, "card_error", "incorrect_number", "number")
		r = e.Do("POST", "/v1/payment_methods", pk, "type=card&card[number]=5555555555554444&card[exp_month]=12&card[exp_year]=2040&card[cvc]=123")
		var pm struct{ ID string }
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &pm) != nil {
			t.Fatalf("pk payment method: %d %s", r.Status, r.Body)
		}
		// The merchant's server confirms with the browser's token.
		pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1500), Currency: stripe.String("usd"),
			AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true)},
			Confirm:                 stripe.Bool(true), ConfirmationToken: stripe.String(ct.ID)})
		if err != nil || pi.Status != "succeeded" {
			t.Fatalf("confirm with a browser token: %+v %v", pi, err)
		}
		// It reads an intent only with its client secret, and only the client subset.
		r = e.Do("GET", "/v1/payment_intents/"+pi.ID+"?key="+pk, "", "")
		assertErrorBody(t, r, 400, "invalid_request_error", "parameter_missing", "client_secret")
		r = e.Do("GET", "/v1/payment_intents/"+pi.ID+"?key="+pk+"&client_secret=pi_wrong_secret_x", "", "")
		assertErrorBody(t, r, 400, "invalid_request_error", "", "client_secret")
		r = e.Do("GET", "/v1/payment_intents/"+pi.ID+"?key="+pk+"&client_secret="+url.QueryEscape(pi.ClientSecret), "", "")
		var subset map[string]any
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &subset) != nil || subset["status"] != "succeeded" {
			t.Fatalf("pk retrieve: %d %s", r.Status, r.Body)
		}
		for _, hidden := range []string{"customer", "metadata", "latest_charge", "amount_received"} {
			if _, ok := subset[hidden]; ok {
				t.Errorf("publishable retrieve shows %s", hidden)
			}
		}
		// It may not create, list, update, capture or refund.
		for _, c := range []struct{ method, path, body string }{
			{"POST", "/v1/payment_intents", "amount=100&currency=usd"}, {"GET", "/v1/payment_intents", ""},
			{"POST", "/v1/payment_intents/" + pi.ID, "description=x"}, {"POST", "/v1/payment_intents/" + pi.ID + "/capture", ""},
			{"POST", "/v1/refunds", "payment_intent=" + pi.ID}, {"GET", "/v1/payment_methods/" + pm.ID, ""},
			{"POST", "/v1/test_helpers/confirmation_tokens", "payment_method=pm_card_visa"}, {"GET", "/v1/confirmation_tokens/" + ct.ID, ""},
		} {
			r := e.Do(c.method, c.path, pk, c.body)
			assertErrorBody(t, r, 401, "invalid_request_error", "secret_key_required", "")
		}
		// And the secret key may not use the browser's token endpoint.
		r = e.Do("POST", "/v1/confirmation_tokens", apitest.SecretKey, "payment_method=pm_card_visa")
		if r.Status != 401 {
			t.Fatalf("secret key on the browser endpoint: %d %s", r.Status, r.Body)
		}
		// A client-side confirm with the client secret.
		open, _ := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(900), Currency: stripe.String("usd")})
		r = e.Do("POST", "/v1/payment_intents/"+open.ID+"/confirm", "", "key="+pk+"&client_secret="+url.QueryEscape(open.ClientSecret)+"&payment_method="+pm.ID+"&return_url=https://shop.example/r")
		if r.Status != 200 || !strings.Contains(r.Body, `"status":"succeeded"`) {
			t.Fatalf("client-side confirm: %d %s", r.Status, r.Body)
		}
	})
}

// TestConcurrentConfirms fires 50 confirms at one intent: one charge, one
// success, the rest clean 400s.
func TestConcurrentConfirms(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(4200), Currency: stripe.String("usd"),
			PaymentMethod: stripe.String("pm_card_visa"), AutomaticPaymentMethods: noRedirects()})
		if err != nil {
			t.Fatal(err)
		}
		const n = 50
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = e.Do("POST", "/v1/payment_intents/"+pi.ID+"/confirm", apitest.SecretKey, "").Status
			}()
		}
		wg.Wait()
		ok, bad := 0, 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 400:
				bad++
			default:
				t.Errorf("unexpected status %d", s)
			}
		}
		charges := 0
		for _, err := range e.Client.V1Charges.List(ctx, &stripe.ChargeListParams{PaymentIntent: stripe.String(pi.ID)}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			charges++
		}
		if ok != 1 || bad != n-1 || charges != 1 {
			t.Fatalf("%d successes, %d 400s, %d charges; want 1, %d, 1", ok, bad, charges, n-1)
		}
	})
}
