package api_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

type elementsSession struct {
	Customer *struct {
		Customer       string `json:"customer"`
		PaymentMethods []struct {
			ID   string `json:"id"`
			Card struct {
				Last4 string `json:"last4"`
			} `json:"card"`
			AllowRedisplay string `json:"allow_redisplay"`
		} `json:"payment_methods"`
		Features map[string]string `json:"features"`
	} `json:"customer"`
}

func session(t *testing.T, e *apitest.Env, secret string) (elementsSession, apitest.Response) {
	t.Helper()
	r := e.Do("GET", "/v1/elements/sessions?key="+apitest.PublishableKey+"&deferred_intent[mode]=payment&deferred_intent[amount]=1000&deferred_intent[currency]=usd&customer_session_client_secret="+url.QueryEscape(secret), "", "")
	var s elementsSession
	_ = json.Unmarshal([]byte(r.Body), &s)
	return s, r
}

func newSession(t *testing.T, e *apitest.Env, customer string, features *stripe.CustomerSessionCreateComponentsPaymentElementFeaturesParams) *stripe.CustomerSession {
	t.Helper()
	cs, err := e.Client.V1CustomerSessions.Create(ctx, &stripe.CustomerSessionCreateParams{
		Customer: stripe.String(customer),
		Components: &stripe.CustomerSessionCreateComponentsParams{PaymentElement: &stripe.CustomerSessionCreateComponentsPaymentElementParams{
			Enabled: stripe.Bool(true), Features: features}},
	})
	if err != nil {
		t.Fatalf("customer session: %v", err)
	}
	return cs
}

// browserPay makes a ConfirmationToken as tender.js does and confirms it
// on the server for customer.
func browserPay(t *testing.T, e *apitest.Env, customer, tokenBody string, sfu string) *stripe.PaymentIntent {
	t.Helper()
	r := e.Do("POST", "/v1/confirmation_tokens", "", "key="+apitest.PublishableKey+"&"+tokenBody)
	var ct struct{ ID string }
	if r.Status != 200 || json.Unmarshal([]byte(r.Body), &ct) != nil {
		t.Fatalf("browser token: %d %s", r.Status, r.Body)
	}
	p := &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(1500), Currency: stripe.String("usd"), Customer: stripe.String(customer),
		Confirm: stripe.Bool(true), ConfirmationToken: stripe.String(ct.ID), AutomaticPaymentMethods: noRedirects()}
	if sfu != "" {
		p.SetupFutureUsage = stripe.String(sfu)
	}
	pi, err := e.Client.V1PaymentIntents.Create(ctx, p)
	if err != nil || pi.Status != "succeeded" {
		t.Fatalf("pay: %+v %v", pi, err)
	}
	return pi
}

const card4242 = "payment_method_data[type]=card&payment_method_data[card][number]=4242424242424242&payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=2040&payment_method_data[card][cvc]=123"

func TestSavedPaymentMethods(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		cus, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("returning@example.com")})
		other, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		all := &stripe.CustomerSessionCreateComponentsPaymentElementFeaturesParams{
			PaymentMethodSave: stripe.String("enabled"), PaymentMethodSaveUsage: stripe.String("off_session"),
			PaymentMethodRedisplay: stripe.String("enabled"), PaymentMethodRemove: stripe.String("enabled"),
		}
		cs := newSession(t, e, cus.ID, all)
		if !strings.HasPrefix(cs.ClientSecret, "cuss_secret_") || cs.ExpiresAt-cs.Created != 1800 || cs.Customer.ID != cus.ID ||
			cs.Components.PaymentElement.Features.PaymentMethodRedisplayLimit != 3 {
			t.Fatalf("customer session: %+v", cs)
		}
		// Field completeness of the session (its create response).
		raw := e.Do("POST", "/v1/customer_sessions", apitest.SecretKey, "customer="+cus.ID+"&components[payment_element][enabled]=true")
		apitest.AssertFields(t, []byte(raw.Body), stripe.CustomerSession{})
		assertErrorBody(t, e.Do("POST", "/v1/customer_sessions", apitest.SecretKey, "customer="+cus.ID+"&components[payment_element][enabled]=false"), 400, "invalid_request_error", "", "components")
		assertErrorBody(t, e.Do("POST", "/v1/customer_sessions", apitest.SecretKey, "components[payment_element][enabled]=true"), 400, "invalid_request_error", "parameter_missing", "customer")
		assertErrorBody(t, e.Do("POST", "/v1/customer_sessions", apitest.PublishableKey, "customer="+cus.ID), 401, "invalid_request_error", "secret_key_required", "")

		// Box ticked: the token carries setup_future_usage and allow_redisplay=always.
		pi := browserPay(t, e, cus.ID, card4242+"&setup_future_usage=off_session&payment_method_data[allow_redisplay]=always", "")
		saved, _ := e.Client.V1PaymentMethods.Retrieve(ctx, pi.PaymentMethod.ID, nil)
		if saved.Customer == nil || saved.Customer.ID != cus.ID || saved.AllowRedisplay != "always" {
			t.Fatalf("ticked box: %+v %s", saved.Customer, saved.AllowRedisplay)
		}
		// Box not ticked, but the intent has setup_future_usage: saved anyway, as limited.
		pi2 := browserPay(t, e, cus.ID, strings.Replace(card4242, "4242424242424242", "5555555555554444", 1), "off_session")
		limited, _ := e.Client.V1PaymentMethods.Retrieve(ctx, pi2.PaymentMethod.ID, nil)
		if limited.Customer == nil || limited.AllowRedisplay != "limited" {
			t.Fatalf("intent's setup_future_usage: %+v %s", limited.Customer, limited.AllowRedisplay)
		}

		// Next visit: the session shows only what the filter allows.
		s, r := session(t, e, cs.ClientSecret)
		if r.Status != 200 || s.Customer == nil || len(s.Customer.PaymentMethods) != 1 || s.Customer.PaymentMethods[0].ID != saved.ID ||
			s.Customer.Features["payment_method_save"] != "enabled" || s.Customer.Features["payment_method_remove"] != "enabled" {
			t.Fatalf("elements session: %d %s", r.Status, r.Body)
		}
		wide := newSession(t, e, cus.ID, &stripe.CustomerSessionCreateComponentsPaymentElementFeaturesParams{
			PaymentMethodRedisplay: stripe.String("enabled"), PaymentMethodRedisplayLimit: stripe.Int64(1),
			PaymentMethodAllowRedisplayFilters: []*string{stripe.String("always"), stripe.String("limited")}})
		if s, _ := session(t, e, wide.ClientSecret); len(s.Customer.PaymentMethods) != 1 || s.Customer.PaymentMethods[0].ID != limited.ID {
			t.Fatalf("limit 1 with both filters should show the newest only: %+v", s.Customer)
		}
		// Another customer's session never shows these cards.
		theirs := newSession(t, e, other.ID, all)
		if s, _ := session(t, e, theirs.ClientSecret); len(s.Customer.PaymentMethods) != 0 {
			t.Fatalf("another customer's session shows cards: %+v", s.Customer)
		}
		// Paying with the saved card from the browser needs the owner's session.
		useSaved := "payment_method=" + saved.ID
		assertErrorBody(t, e.Do("POST", "/v1/confirmation_tokens", "", "key="+apitest.PublishableKey+"&"+useSaved), 404, "invalid_request_error", "resource_missing", "payment_method")
		assertErrorBody(t, e.Do("POST", "/v1/confirmation_tokens", "", "key="+apitest.PublishableKey+"&"+useSaved+"&customer_session_client_secret="+url.QueryEscape(theirs.ClientSecret)), 404, "invalid_request_error", "resource_missing", "payment_method")
		// With CVC recollection on the intent, the CVC must come along.
		mk := func(body string) string {
			r := e.Do("POST", "/v1/confirmation_tokens", "", "key="+apitest.PublishableKey+"&"+body)
			var ct struct {
				ID      string
				Preview struct {
					Card struct{ Last4 string }
				} `json:"payment_method_preview"`
			}
			if r.Status != 200 || json.Unmarshal([]byte(r.Body), &ct) != nil || ct.Preview.Card.Last4 != "4242" {
				t.Fatalf("saved-card token: %d %s", r.Status, r.Body)
			}
			return ct.ID
		}
		recollect := func(token string) (*stripe.PaymentIntent, error) {
			return e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(700), Currency: stripe.String("usd"),
				Customer: stripe.String(cus.ID), Confirm: stripe.Bool(true), ConfirmationToken: stripe.String(token), AutomaticPaymentMethods: noRedirects(),
				PaymentMethodOptions: &stripe.PaymentIntentCreatePaymentMethodOptionsParams{Card: &stripe.PaymentIntentCreatePaymentMethodOptionsCardParams{RequireCVCRecollection: stripe.Bool(true)}}})
		}
		owner := "&customer_session_client_secret=" + url.QueryEscape(cs.ClientSecret)
		_, err := recollect(mk(useSaved + owner))
		if se := asStripeError(t, err); se.HTTPStatusCode != 400 || !strings.Contains(se.Msg, "CVC") {
			t.Fatalf("recollection without a CVC: %+v", se)
		}
		pi3, err := recollect(mk(useSaved + owner + "&payment_method_options[card][cvc]=123"))
		if err != nil || pi3.Status != "succeeded" || pi3.PaymentMethod.ID != saved.ID {
			t.Fatalf("pay with the saved card and its CVC: %+v %v", pi3, err)
		}
		// Remove: only with a session that allows it, only the owner's methods.
		noRemove := newSession(t, e, cus.ID, &stripe.CustomerSessionCreateComponentsPaymentElementFeaturesParams{PaymentMethodRedisplay: stripe.String("enabled")})
		assertErrorBody(t, e.Do("POST", "/v1/elements/payment_methods/"+saved.ID+"/detach", "", "key="+apitest.PublishableKey+"&customer_session_client_secret="+url.QueryEscape(noRemove.ClientSecret)), 400, "invalid_request_error", "", "customer_session_client_secret")
		assertErrorBody(t, e.Do("POST", "/v1/elements/payment_methods/"+saved.ID+"/detach", "", "key="+apitest.PublishableKey+"&customer_session_client_secret="+url.QueryEscape(theirs.ClientSecret)), 404, "invalid_request_error", "resource_missing", "payment_method")
		r = e.Do("POST", "/v1/elements/payment_methods/"+saved.ID+"/detach", "", "key="+apitest.PublishableKey+"&customer_session_client_secret="+url.QueryEscape(cs.ClientSecret))
		if r.Status != 200 || !strings.Contains(r.Body, `"customer":null`) {
			t.Fatalf("remove: %d %s", r.Status, r.Body)
		}
		if s, _ := session(t, e, cs.ClientSecret); len(s.Customer.PaymentMethods) != 0 {
			t.Fatalf("removed card still shown: %+v", s.Customer)
		}
	})
}

func TestCustomerSessionExpiry(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		cus, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		cs := newSession(t, e, cus.ID, &stripe.CustomerSessionCreateComponentsPaymentElementFeaturesParams{PaymentMethodRedisplay: stripe.String("enabled")})
		if _, r := session(t, e, cs.ClientSecret); r.Status != 200 {
			t.Fatalf("fresh session: %s", r.Body)
		}
		e.Clock.Advance(30*time.Minute + time.Second)
		_, r := session(t, e, cs.ClientSecret)
		assertErrorBody(t, r, 400, "invalid_request_error", "customer_session_expired", "customer_session_client_secret")
		_, r = session(t, e, "cuss_secret_forged")
		assertErrorBody(t, r, 404, "invalid_request_error", "resource_missing", "customer_session_client_secret")
	})
}

func TestCardUpdater(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		rc := newReceiver(t, 0)
		ep, _ := e.Client.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{URL: stripe.String(rc.URL),
			EnabledEvents: []*string{stripe.String("payment_method.automatically_updated")}})
		cus, _ := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		pm, _ := e.Client.V1PaymentMethods.Attach(ctx, "pm_card_visa", &stripe.PaymentMethodAttachParams{Customer: stripe.String(cus.ID)})
		r := e.Do("POST", "/v1/test_helpers/payment_methods/"+pm.ID+"/update_card", apitest.SecretKey, "reason=replaced")
		if r.Status != 200 {
			t.Fatalf("update_card: %d %s", r.Status, r.Body)
		}
		got, _ := e.Client.V1PaymentMethods.Retrieve(ctx, pm.ID, nil)
		if got.Card.Last4 == pm.Card.Last4 || got.Card.ExpYear <= pm.Card.ExpYear || got.Card.Fingerprint == pm.Card.Fingerprint || got.Customer.ID != cus.ID {
			t.Fatalf("updated card: before %+v after %+v", pm.Card, got.Card)
		}
		waitFor(t, 10*time.Second, "payment_method.automatically_updated", func() bool { return len(rc.deliveries()) == 1 })
		d := rc.deliveries()[0]
		var ev struct {
			Type string
			Data struct {
				Object             struct{ ID string }
				PreviousAttributes map[string]any `json:"previous_attributes"`
			}
		}
		_ = json.Unmarshal(d.Body, &ev)
		if ev.Type != "payment_method.automatically_updated" || ev.Data.Object.ID != pm.ID || ev.Data.PreviousAttributes["card"] == nil {
			t.Fatalf("event: %s", d.Body)
		}
		_ = ep
		// The updated card still pays, under the same id.
		pi, err := e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(900), Currency: stripe.String("usd"),
			Customer: stripe.String(cus.ID), PaymentMethod: stripe.String(pm.ID), Confirm: stripe.Bool(true), OffSession: stripe.Bool(true), AutomaticPaymentMethods: noRedirects()})
		if err != nil || pi.Status != "succeeded" {
			t.Fatalf("pay with the updated card: %+v %v", pi, err)
		}
	})
}
