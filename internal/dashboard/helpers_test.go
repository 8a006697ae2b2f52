package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/app"
	"github.com/tenderpay/tender/internal/webhooks"
)

type appConfig = app.Config

// client is a plain HTTP client with its own cookie jar, for the tests
// that need no browser.
type client struct {
	t    *testing.T
	env  *apitest.Env
	http *http.Client
}

func newClient(t *testing.T, env *apitest.Env) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, env: env, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	Status   int
	Location string
	Body     string
	Header   http.Header
}

func (c *client) get(path string) response {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	return c.do(http.MethodPost, path, form)
}

func (c *client) do(method, path string, form url.Values) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.env.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(b), Header: resp.Header}
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's forms.
func csrf(t *testing.T, body string) string {
	t.Helper()
	m := csrfPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", body)
	}
	return m[1]
}

// login logs in with a secret key over plain HTTP and returns a CSRF token
// for the session.
func (c *client) login(key string) string {
	c.t.Helper()
	p := c.get("/dashboard/login")
	p = c.post("/dashboard/login", url.Values{"csrf": {csrf(c.t, p.Body)}, "method": {"key"}, "secret_key": {key}})
	if p.Status != http.StatusSeeOther {
		c.t.Fatalf("login: %d\n%s", p.Status, p.Body)
	}
	p = c.get("/dashboard/payments")
	if p.Status != http.StatusOK {
		c.t.Fatalf("after login: %d", p.Status)
	}
	return csrf(c.t, p.Body)
}

// pay creates a confirmed card payment with stripe-go.
func pay(t *testing.T, env *apitest.Env, amount int64, currency string, p *stripe.PaymentIntentCreateParams) *stripe.PaymentIntent {
	t.Helper()
	if p == nil {
		p = &stripe.PaymentIntentCreateParams{}
	}
	p.Amount, p.Currency, p.Confirm = stripe.Int64(amount), stripe.String(currency), stripe.Bool(true)
	if p.PaymentMethod == nil {
		p.PaymentMethod = stripe.String("pm_card_visa")
	}
	if p.PaymentMethodTypes == nil {
		p.AutomaticPaymentMethods = &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true), AllowRedirects: stripe.String("never")}
	}
	pi, err := env.Client.V1PaymentIntents.Create(context.Background(), p)
	if err != nil {
		t.Fatalf("create payment: %v", err)
	}
	return pi
}

func customer(t *testing.T, env *apitest.Env, email, name string) *stripe.Customer {
	t.Helper()
	c, err := env.Client.V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{Email: stripe.String(email), Name: stripe.String(name)})
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	return c
}

var regexpNewKey = regexp.MustCompile(`<code id="new-secret">(sk_test_[A-Za-z0-9]+)</code>`)

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func webhooksFilter(types ...string) webhooks.EventFilter { return webhooks.EventFilter{Types: types} }
