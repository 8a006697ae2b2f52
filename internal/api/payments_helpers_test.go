package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

var ctx = context.Background()

// ctoken makes a test-helper ConfirmationToken for a magic PaymentMethod.
func ctoken(t *testing.T, e *apitest.Env, pm string, returnURL string) string {
	t.Helper()
	p := &stripe.TestHelpersConfirmationTokenCreateParams{PaymentMethod: stripe.String(pm)}
	if returnURL != "" {
		p.ReturnURL = stripe.String(returnURL)
	}
	ct, err := e.Client.V1TestHelpersConfirmationTokens.Create(ctx, p)
	if err != nil {
		t.Fatalf("confirmation token for %s: %v", pm, err)
	}
	return ct.ID
}

// noRedirects is automatic payment methods without redirects, so a
// server-side confirm needs no return_url.
func noRedirects() *stripe.PaymentIntentCreateAutomaticPaymentMethodsParams {
	return &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true), AllowRedirects: stripe.String("never")}
}

// payWith creates and confirms a $10.99 PaymentIntent with a token for pm.
func payWith(t *testing.T, e *apitest.Env, pm string) (*stripe.PaymentIntent, error) {
	t.Helper()
	return e.Client.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{
		Amount: stripe.Int64(1099), Currency: stripe.String("usd"), Confirm: stripe.Bool(true),
		ConfirmationToken: stripe.String(ctoken(t, e, pm, "")), AutomaticPaymentMethods: noRedirects(),
	})
}

func asStripeError(t *testing.T, err error) *stripe.Error {
	t.Helper()
	var se *stripe.Error
	if !errors.As(err, &se) {
		t.Fatalf("want a *stripe.Error, got %T %v", err, err)
	}
	return se
}

var (
	formAction = regexp.MustCompile(`<form[^>]*action="([^"]*)"`)
	hiddenIn   = regexp.MustCompile(`<input[^>]*type="hidden"[^>]*>`)
	attrName   = regexp.MustCompile(`name="([^"]*)"`)
	attrValue  = regexp.MustCompile(`value="([^"]*)"`)
)

// answerChallenge loads the hosted 3DS page at pageURL as a browser
// without JavaScript would, and submits its form with the button whose
// outcome is given ("complete" or "fail"). It returns the final response,
// without following the redirect to the merchant.
func answerChallenge(t *testing.T, pageURL, outcome string) *http.Response {
	t.Helper()
	resp, err := http.Get(pageURL)
	if err != nil {
		t.Fatalf("challenge page: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if resp.StatusCode != 200 {
		t.Fatalf("challenge page: %d %s", resp.StatusCode, page)
	}
	for _, label := range []string{"Complete authentication", "Fail authentication"} {
		if !strings.Contains(page, label) {
			t.Fatalf("challenge page lacks a %q button:\n%s", label, page)
		}
	}
	m := formAction.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("challenge page has no form:\n%s", page)
	}
	base, _ := url.Parse(pageURL)
	action, err := base.Parse(htmlUnescape(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"outcome": {outcome}}
	for _, in := range hiddenIn.FindAllString(page, -1) {
		n, v := attrName.FindStringSubmatch(in), attrValue.FindStringSubmatch(in)
		if n != nil && v != nil {
			form.Set(n[1], htmlUnescape(v[1]))
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.PostForm(action.String(), form)
	if err != nil {
		t.Fatalf("submit challenge: %v", err)
	}
	return resp
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}
