package elements

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// fakeIntents stands in for the payments domain so the page's own rules
// can be tested directly; the browser tests use the real server.
type fakeIntents struct {
	state    string
	complete *bool
}

func (f *fakeIntents) Challenge(_ context.Context, id, secret string) (Challenge, error) {
	if id != "pi_1" || secret != "pi_1_secret_x" {
		return Challenge{}, ErrNotFound
	}
	if f.state != "requires_action" {
		return Challenge{}, ErrUnexpectedState
	}
	return Challenge{IntentID: id, Object: "payment_intent", Amount: 1099, Currency: "usd", MerchantName: "Shop <b>", Brand: "visa", Last4: "3184", ReturnURL: "https://shop.example/return?x=1"}, nil
}

func (f *fakeIntents) Authenticate(_ context.Context, id, secret string, complete bool) (ChallengeResult, error) {
	if id != "pi_1" || secret != "pi_1_secret_x" {
		return ChallengeResult{}, ErrNotFound
	}
	if f.state != "requires_action" {
		return ChallengeResult{}, ErrUnexpectedState
	}
	f.complete = &complete
	f.state = "done"
	return ChallengeResult{Succeeded: complete, ReturnURL: "https://shop.example/return?x=1"}, nil
}

func TestChallengePage(t *testing.T) {
	f := &fakeIntents{state: "requires_action"}
	h := NewHandler(Config{PublicURL: "http://tender.test", Intents: f})
	get := httptest.NewRecorder()
	h.ServeHTTP(get, httptest.NewRequest("GET", "/3ds/challenge/pi_1?client_secret=pi_1_secret_x&return=1", nil))
	body := get.Body.String()
	if get.Code != 200 || !strings.Contains(body, ">Complete authentication</button>") || !strings.Contains(body, ">Fail authentication</button>") ||
		!strings.Contains(body, "$10.99") || !strings.Contains(body, "Shop &lt;b&gt;") || !strings.Contains(body, `method="post"`) {
		t.Fatalf("GET: %d\n%s", get.Code, body)
	}
	hd := get.Header()
	if hd.Get("Cache-Control") != "no-store" || hd.Get("Referrer-Policy") != "no-referrer" ||
		!strings.Contains(hd.Get("Content-Security-Policy"), "form-action 'self' https://shop.example") {
		t.Fatalf("headers %v", hd)
	}

	post := func(form url.Values) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/3ds/challenge/pi_1", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := post(url.Values{"client_secret": {"pi_1_secret_x"}, "outcome": {"complete"}, "return": {"1"}})
	loc, _ := url.Parse(w.Header().Get("Location"))
	if w.Code != http.StatusSeeOther || loc.Host != "shop.example" || loc.Query().Get("x") != "1" ||
		loc.Query().Get("payment_intent") != "pi_1" || loc.Query().Get("payment_intent_client_secret") != "pi_1_secret_x" ||
		loc.Query().Get("redirect_status") != "succeeded" || f.complete == nil || !*f.complete {
		t.Fatalf("redirect mode: %d %s", w.Code, loc)
	}

	// Modal mode: the done page posts to the origin tender.js named, and to
	// nothing when that origin is not an origin.
	f.state = "requires_action"
	w = post(url.Values{"client_secret": {"pi_1_secret_x"}, "outcome": {"fail"}, "origin": {"http://tender.test"}})
	if w.Code != 200 || !strings.Contains(w.Body.String(), `data-origin="http://tender.test"`) || *f.complete {
		t.Fatalf("modal mode: %d %s", w.Code, w.Body)
	}
	f.state = "requires_action"
	w = post(url.Values{"client_secret": {"pi_1_secret_x"}, "outcome": {"fail"}, "origin": {"javascript:alert(1)"}})
	if strings.Contains(w.Body.String(), "<script") {
		t.Fatalf("done page scripted for a bogus origin: %s", w.Body)
	}

	for _, c := range []struct {
		path string
		code int
	}{
		{"/3ds/challenge/pi_1?client_secret=wrong", 404},
		{"/3ds/challenge/pi_2?client_secret=pi_1_secret_x", 404},
		{"/3ds/challenge/pi_1?client_secret=pi_1_secret_x", 409}, // state is "done"
	} {
		f.state = "done"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", c.path, nil))
		if w.Code != c.code {
			t.Errorf("GET %s: %d, want %d", c.path, w.Code, c.code)
		}
	}
	w = httptest.NewRecorder()
	NewHandler(Config{}).ServeHTTP(w, httptest.NewRequest("GET", "/3ds/challenge/pi_1?client_secret=x", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("without Intents: %d", w.Code)
	}
}

func TestFramePagesAreHashedAndLockedDown(t *testing.T) {
	a := mustBuild()
	for src, url := range a.urls {
		if !strings.Contains(url, "-") {
			t.Errorf("%s served unhashed at %s", src, url)
		}
	}
	h := NewHandler(Config{})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", a.url("elements-inner-payment.html"), nil))
	if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") ||
		!strings.Contains(w.Header().Get("Content-Security-Policy"), "script-src 'self'") ||
		strings.Contains(w.Body.String(), "{{asset:") {
		t.Fatalf("frame page: %d %v", w.Code, w.Header())
	}
}
