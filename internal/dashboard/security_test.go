package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// TestUnauthenticatedRefused: without a session every page redirects to
// the login page and shows nothing of the account, every action answers
// 401 and changes nothing, and a forged or expired cookie is no session.
func TestUnauthenticatedRefused(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	pi := pay(t, env, 1500, "usd", &stripe.PaymentIntentCreateParams{Customer: stripe.String(customer(t, env, "secret@example.com", "").ID)})
	c := newClient(t, env)
	for _, path := range []string{"/dashboard", "/dashboard/payments", "/dashboard/payments/" + pi.ID, "/dashboard/customers",
		"/dashboard/webhooks", "/dashboard/events", "/dashboard/settings/payment-methods", "/dashboard/apikeys", "/dashboard/receipts",
		"/dashboard/no/such/page", "/dashboard/payments?q=secret%40example.com"} {
		r := c.get(path)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/dashboard/login?next=") {
			t.Errorf("GET %s without login: %d to %q", path, r.Status, r.Location)
		}
		// The redirect names only the path asked for.
		if (strings.Contains(r.Body, pi.ID) && !strings.Contains(path, pi.ID)) || strings.Contains(r.Body, "secret@example.com") || strings.Contains(r.Body, "$15.00") {
			t.Errorf("GET %s without login leaks account data", path)
		}
	}
	for _, path := range []string{"/dashboard/payments/" + pi.ID + "/refund", "/dashboard/apikeys/roll", "/dashboard/settings/payment-methods",
		"/dashboard/webhooks", "/dashboard/logout"} {
		if r := c.post(path, url.Values{"csrf": {"anything"}}); r.Status != http.StatusUnauthorized {
			t.Errorf("POST %s without login: %d", path, r.Status)
		}
	}
	c.http.Jar.SetCookies(mustURL(env.URL+"/dashboard"), []*http.Cookie{{Name: "tender_session", Value: "forged-token", Path: "/dashboard"}})
	if r := c.get("/dashboard/payments"); r.Status != http.StatusSeeOther {
		t.Errorf("forged session cookie: %d", r.Status)
	}
	got, err := env.Client.V1Charges.Retrieve(context.Background(), pi.LatestCharge.ID, nil)
	if err != nil || got.AmountRefunded != 0 {
		t.Errorf("charge changed without login: %v %+v", err, got)
	}
	// The static assets are public and hold no data.
	if r := c.get("/dashboard/static/dashboard.css"); r.Status != http.StatusOK {
		t.Errorf("static CSS: %d", r.Status)
	}
}

// TestCSRFRefused: a logged-in session's form post without the token, or
// with another session's token, or from another origin, is refused with
// 403 and changes nothing; the same post with the token works. The login
// form itself needs its token too.
func TestCSRFRefused(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	pi := pay(t, env, 1500, "usd", nil)
	victim := newClient(t, env)
	token := victim.login(apitest.SecretKey)
	other := newClient(t, env)
	otherToken := other.login(apitest.SecretKey)
	if token == otherToken {
		t.Fatal("two sessions share a CSRF token")
	}
	refund := "/dashboard/payments/" + pi.ID + "/refund"
	for name, form := range map[string]url.Values{
		"no token":            {"amount": {"1"}},
		"empty token":         {"amount": {"1"}, "csrf": {""}},
		"wrong token":         {"amount": {"1"}, "csrf": {"x" + token}},
		"other session token": {"amount": {"1"}, "csrf": {otherToken}},
	} {
		if r := victim.post(refund, form); r.Status != http.StatusForbidden {
			t.Errorf("%s: %d", name, r.Status)
		}
	}
	// A cross-site form post (the browser sends Origin) with a stolen token
	// is refused by the origin check as well.
	req, _ := http.NewRequest("POST", env.URL+refund, strings.NewReader(url.Values{"csrf": {token}, "amount": {"1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := victim.http.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin post: %v %v", err, resp)
	}
	ch, _ := env.Client.V1Charges.Retrieve(context.Background(), pi.LatestCharge.ID, nil)
	if ch.AmountRefunded != 0 {
		t.Fatalf("a refused post refunded %d", ch.AmountRefunded)
	}
	if r := victim.post(refund, url.Values{"amount": {"1"}, "csrf": {token}}); r.Status != http.StatusSeeOther {
		t.Errorf("post with the token: %d %s", r.Status, r.Body)
	}
	ch, _ = env.Client.V1Charges.Retrieve(context.Background(), pi.LatestCharge.ID, nil)
	if ch.AmountRefunded != 100 {
		t.Errorf("refunded %d after the valid post, want 100", ch.AmountRefunded)
	}

	// Login: without the login form's token (cookie and field must match).
	fresh := newClient(t, env)
	if r := fresh.post("/dashboard/login", url.Values{"method": {"key"}, "secret_key": {apitest.SecretKey}}); r.Status != http.StatusForbidden {
		t.Errorf("login without token: %d", r.Status)
	}
	fresh.get("/dashboard/login")
	if r := fresh.post("/dashboard/login", url.Values{"csrf": {"guess"}, "method": {"key"}, "secret_key": {apitest.SecretKey}}); r.Status != http.StatusForbidden {
		t.Errorf("login with a wrong token: %d", r.Status)
	}
}

// TestSessionCookie: the session cookie is HttpOnly, SameSite=Strict and
// scoped to /dashboard; logout deletes the session on the server, so a
// copy of the cookie stops working.
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	c := newClient(t, env)
	p := c.get("/dashboard/login")
	r := c.post("/dashboard/login", url.Values{"csrf": {csrf(t, p.Body)}, "method": {"key"}, "secret_key": {apitest.SecretKey}})
	var session *http.Cookie
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == "tender_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/dashboard" {
		t.Fatalf("session cookie: %+v", session)
	}
	page := c.get("/dashboard/payments")
	if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	if fo := page.Header.Get("X-Frame-Options"); fo != "DENY" {
		t.Errorf("X-Frame-Options %q", fo)
	}
	c.post("/dashboard/logout", url.Values{"csrf": {csrf(t, page.Body)}})
	replay := newClient(t, env)
	replay.http.Jar.SetCookies(mustURL(env.URL+"/dashboard"), []*http.Cookie{{Name: "tender_session", Value: session.Value, Path: "/dashboard"}})
	if r := replay.get("/dashboard/payments"); r.Status != http.StatusSeeOther {
		t.Errorf("the cookie still works after logout: %d", r.Status)
	}
}

// TestLoginRateLimited: after ten failed logins from one address, even the
// right key is refused for a while.
func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	c := newClient(t, env)
	try := func(key string) int {
		p := c.get("/dashboard/login")
		return c.post("/dashboard/login", url.Values{"csrf": {csrf(t, p.Body)}, "method": {"key"}, "secret_key": {key}}).Status
	}
	for i := 0; i < 10; i++ {
		if s := try("sk_test_wrong_guess_" + strings.Repeat("x", i)); s != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, s)
		}
	}
	if s := try(apitest.SecretKey); s != http.StatusTooManyRequests {
		t.Errorf("after ten failures the right key got %d, want 429", s)
	}
}

// TestRollSecretKey: rolling shows a new key once; the old key stops
// working on the API at once and the new one works; sessions opened with a
// secret key end, except the one that rolled.
func TestRollSecretKey(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	c := newClient(t, env)
	token := c.login(apitest.SecretKey)
	bystander := newClient(t, env)
	bystander.login(apitest.SecretKey)
	keys := c.get("/dashboard/apikeys")
	if !strings.Contains(keys.Body, apitest.PublishableKey) || strings.Contains(keys.Body, apitest.SecretKey) {
		t.Fatalf("keys page must show the publishable key and no secret key in full")
	}
	r := c.post("/dashboard/apikeys/roll", url.Values{"csrf": {token}})
	m := regexpNewKey.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("roll: %d\n%s", r.Status, r.Body)
	}
	newKey := m[1]
	if old := env.Do("GET", "/v1/customers", apitest.SecretKey, ""); old.Status != http.StatusUnauthorized {
		t.Errorf("the old key still works: %d", old.Status)
	}
	if fresh := env.Do("GET", "/v1/customers", newKey, ""); fresh.Status != http.StatusOK {
		t.Errorf("the new key does not work: %d %s", fresh.Status, fresh.Body)
	}
	if again := c.get("/dashboard/apikeys"); strings.Contains(again.Body, newKey) {
		t.Error("the new key is shown again")
	}
	if c.get("/dashboard/payments").Status != http.StatusOK {
		t.Error("the session that rolled the key was logged out")
	}
	if bystander.get("/dashboard/payments").Status != http.StatusSeeOther {
		t.Error("another session opened with the old secret key survived the roll")
	}
	// Logging in with the old key fails; with the new one it works.
	fresh := newClient(t, env)
	p := fresh.get("/dashboard/login")
	if r := fresh.post("/dashboard/login", url.Values{"csrf": {csrf(t, p.Body)}, "method": {"key"}, "secret_key": {apitest.SecretKey}}); r.Status != http.StatusUnauthorized {
		t.Errorf("login with the old key: %d", r.Status)
	}
	fresh.login(newKey)
}

// TestRevealNeedsPost: the signing secret is never in a page a GET
// fetches; the reveal is a form post with the CSRF token.
func TestRevealNeedsPost(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	ep, err := env.Client.V1WebhookEndpoints.Create(context.Background(), &stripe.WebhookEndpointCreateParams{
		URL: stripe.String("https://example.com/hook"), EnabledEvents: []*string{stripe.String("*")}})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, env)
	token := c.login(apitest.SecretKey)
	if p := c.get("/dashboard/webhooks/" + ep.ID); strings.Contains(p.Body, ep.Secret) {
		t.Error("GET shows the secret")
	}
	if p := c.get("/dashboard/webhooks/" + ep.ID + "/reveal"); p.Status != http.StatusSeeOther || strings.Contains(p.Body, ep.Secret) {
		t.Errorf("GET reveal: %d", p.Status)
	}
	if p := c.post("/dashboard/webhooks/"+ep.ID+"/reveal", url.Values{}); p.Status != http.StatusForbidden {
		t.Errorf("reveal without token: %d", p.Status)
	}
	if p := c.post("/dashboard/webhooks/"+ep.ID+"/reveal", url.Values{"csrf": {token}}); !strings.Contains(p.Body, ep.Secret) {
		t.Error("the reveal does not show the secret")
	}
}
