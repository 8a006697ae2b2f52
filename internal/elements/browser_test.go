package elements_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/browsertest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// browser is one Chromium shared by every test (each test opens its own
// tab); starting a browser per test would dominate the suite's runtime.
var browser = browsertest.New(1000, 900)

func TestMain(m *testing.M) {
	code := m.Run()
	browser.Close()
	os.Exit(code)
}

// shop is one test: a real Tender, a merchant site on another origin
// serving the checkout page, and a browser tab.
type shop struct {
	t        *testing.T
	env      *apitest.Env
	merchant *httptest.Server
	ctx      context.Context
	// probe counts requests to a third origin that hostile CSS would hit.
	probe     *httptest.Server
	probeHits *int32
	mu        sync.Mutex
	pageOpts  map[string]string
}

var (
	checkoutTmpl = template.Must(template.ParseFiles("testdata/checkout.html"))
	dropinTmpl   = template.Must(template.ParseFiles("testdata/dropin.html"))
)

func newShop(t *testing.T) *shop {
	t.Helper()
	browser.Require(t)
	env := apitest.Start(t, "sqlite", filepath.Join(t.TempDir(), "tender.db"))
	return newShopOn(t, env)
}

func newShopOn(t *testing.T, env *apitest.Env) *shop {
	t.Helper()
	root := browser.Require(t)
	s := &shop{t: t, env: env, pageOpts: map[string]string{}}
	var hits int32
	s.probeHits = &hits
	s.probe = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		hits++
		s.mu.Unlock()
		t.Logf("probe hit: %s %s", r.Method, r.URL)
	}))
	t.Cleanup(s.probe.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkout", func(w http.ResponseWriter, r *http.Request) {
		bg, fg, card := "#f6f9fc", "#30313d", "#ffffff"
		if r.URL.Query().Get("dark") == "1" {
			bg, fg, card = "#1a1b25", "#ffffff", "#30313d"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = checkoutTmpl.Execute(w, map[string]any{
			"Tender": env.URL, "PK": apitest.PublishableKey,
			"PageBackground": template.CSS(bg), "PageColor": template.CSS(fg), "CardBackground": template.CSS(card),
		})
	})
	// A merchant page built from npm packages (@stripe/stripe-js, React,
	// react-stripe-js), which it loads from /npm/ as installed by npm ci.
	mux.HandleFunc("GET /dropin", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = dropinTmpl.Execute(w, map[string]any{"Tender": env.URL})
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.Handle("GET /npm/", http.StripPrefix("/npm/", http.FileServer(http.Dir(npmModules))))
	mux.HandleFunc("GET /return", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The merchant's return page asks Tender how the payment went.
		fmt.Fprintf(w, `<!doctype html><title>Return</title><script src="%s/v3"></script><p id="landed">returned</p><p id="status"></p>
<script>const secret = new URLSearchParams(location.search).get('payment_intent_client_secret');
if (secret) Stripe(%q).retrievePaymentIntent(secret).then((r) => { document.getElementById('status').textContent = r.error ? r.error.message : 'Payment ' + r.paymentIntent.status; });</script>`, env.URL, apitest.PublishableKey)
	})
	// The merchant's server half of the deferred flow: create and confirm a
	// PaymentIntent with the ConfirmationToken, using stripe-go.
	mux.HandleFunc("POST /create-intent", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			ConfirmationTokenID string `json:"confirmationTokenId"`
			Capture             string `json:"captureMethod"`
			ReturnURL           string `json:"returnURL"`
			// Customer and RequireCVC come from saved-methods checkouts.
			Customer   string `json:"customer"`
			RequireCVC bool   `json:"requireCvcRecollection"`
			// The other payment methods' checkouts: the intent's amount and
			// currency, and automatic payment methods instead of cards only.
			Amount    int64  `json:"amount"`
			Currency  string `json:"currency"`
			Automatic bool   `json:"automatic"`
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		params := &stripe.PaymentIntentCreateParams{
			Amount:             stripe.Int64(1099),
			Currency:           stripe.String("usd"),
			Confirm:            stripe.Bool(true),
			ConfirmationToken:  stripe.String(in.ConfirmationTokenID),
			PaymentMethodTypes: []*string{stripe.String("card")},
		}
		if in.Amount > 0 {
			params.Amount = stripe.Int64(in.Amount)
		}
		if in.Currency != "" {
			params.Currency = stripe.String(in.Currency)
		}
		if in.Automatic {
			params.PaymentMethodTypes = nil
			params.AutomaticPaymentMethods = &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true)}
		}
		if in.Capture != "" {
			params.CaptureMethod = stripe.String(in.Capture)
		}
		if in.ReturnURL != "" {
			params.ReturnURL = stripe.String(in.ReturnURL)
		}
		if in.Customer != "" {
			params.Customer = stripe.String(in.Customer)
		}
		if in.RequireCVC {
			params.PaymentMethodOptions = &stripe.PaymentIntentCreatePaymentMethodOptionsParams{
				Card: &stripe.PaymentIntentCreatePaymentMethodOptionsCardParams{RequireCVCRecollection: stripe.Bool(true)}}
		}
		pi, err := env.Client.V1PaymentIntents.Create(r.Context(), params)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			out := map[string]any{"error": err.Error()}
			if se, ok := err.(*stripe.Error); ok {
				out["error"] = se.Msg
				out["code"] = se.Code
				if se.PaymentIntent != nil {
					out["status"] = se.PaymentIntent.Status
				}
			}
			_ = json.NewEncoder(w).Encode(out)
			return
		}
		out := map[string]any{"id": pi.ID, "status": pi.Status, "clientSecret": pi.ClientSecret}
		if pi.PaymentMethod != nil {
			out["paymentMethod"] = pi.PaymentMethod.ID
		}
		_ = json.NewEncoder(w).Encode(out)
	})
	// A merchant endpoint that only creates the PaymentIntent, for the
	// client-confirmed flow (confirmPayment).
	mux.HandleFunc("POST /create-unconfirmed", func(w http.ResponseWriter, r *http.Request) {
		pi, err := env.Client.V1PaymentIntents.Create(r.Context(), &stripe.PaymentIntentCreateParams{
			Amount: stripe.Int64(1099), Currency: stripe.String("usd"), PaymentMethodTypes: []*string{stripe.String("card")},
		})
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			_ = json.NewEncoder(w).Encode(map[string]any{"error": err.Error()})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": pi.ID, "clientSecret": pi.ClientSecret})
	})
	s.merchant = httptest.NewServer(mux)
	t.Cleanup(s.merchant.Close)

	ctx, cancel := chromedp.NewContext(root)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelT)
	s.ctx = ctx
	return s
}

func (s *shop) run(actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, actions...); err != nil {
		s.t.Fatalf("browser: %v", err)
	}
}

// open loads the checkout page and sets up Elements with the given options
// (JavaScript object literals), waiting for ready.
func (s *shop) open(group, element string) {
	s.t.Helper()
	s.openPage("/checkout", group, element)
	s.waitReady()
}

func (s *shop) openPage(path, group, element string) {
	s.t.Helper()
	if element == "" {
		element = "{}"
	}
	s.run(chromedp.Navigate(s.merchant.URL + path))
	s.eval(fmt.Sprintf("setup(%s, %s)", group, element), nil)
}

func (s *shop) waitReady() {
	s.t.Helper()
	s.eval(`readyPromise.then(() => true)`, nil)
	s.waitStableFrame()
}

// waitStableFrame waits until the Payment Element frame has stopped
// growing (its height animates), so clicks land where the fields are.
func (s *shop) waitStableFrame() {
	s.t.Helper()
	s.eval(`new Promise((res) => {
		let last = -1, same = 0;
		(function tick() {
			const f = document.querySelector('iframe[title="Secure payment input frame"]');
			const h = f ? f.getBoundingClientRect().height : 0;
			if (h > 0 && h === last) { if (++same > 5) return res(h); } else same = 0;
			last = h;
			requestAnimationFrame(tick);
		})();
	})`, nil)
}

// eval runs JavaScript in the merchant page, awaiting promises.
func (s *shop) eval(js string, out any) {
	s.t.Helper()
	raw, err := chromedp.Run(s.ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		s.t.Fatalf("eval %s: %v", browsertest.Abbreviate(js), err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("eval %s: decode %s: %v", browsertest.Abbreviate(js), raw, err)
		}
	}
}

// evalErr runs JavaScript expected to throw or reject and returns the message.
func (s *shop) evalErr(js string) string {
	s.t.Helper()
	var out string
	s.eval(fmt.Sprintf(`(async () => { try { await (async () => { %s })(); return "no error"; } catch (e) { return e.name + ": " + e.message; } })()`, js), &out)
	return out
}

// frame returns the iframe node with the given selector in the top page.
func (s *shop) frame(sel string) *chromedp.Node {
	s.t.Helper()
	nodes, err := chromedp.Run(s.ctx, chromedp.Nodes(chromedp.CSS(sel)))
	if err != nil {
		s.t.Fatalf("find %s: %v", sel, err)
	}
	return nodes[0]
}

func (s *shop) paymentFrame() *chromedp.Node {
	return s.frame(`iframe[title="Secure payment input frame"]`)
}

// inFrame evaluates JavaScript inside a frame (in an isolated world: it sees
// the frame's DOM, not its scripts' variables), awaiting promises.
func (s *shop) inFrame(node *chromedp.Node, js string, out any) {
	s.t.Helper()
	if err := s.tryInFrame(node, js, out); err != nil {
		s.t.Fatal(err)
	}
}

// tryInFrame is inFrame for frames that may still be attaching.
func (s *shop) tryInFrame(node *chromedp.Node, js string, out any) error {
	return browsertest.EvalInFrame(s.ctx, node, js, out)
}

// pe evaluates in the Payment Element frame.
func (s *shop) pe(js string, out any) { s.t.Helper(); s.inFrame(s.paymentFrame(), js, out) }

// click clicks a selector inside the Payment Element frame, like a user.
func (s *shop) click(sel string) {
	s.t.Helper()
	var fr, el struct{ X, Y, W, H float64 }
	rect := `(r => ({X: r.left, Y: r.top, W: r.width, H: r.height}))`
	s.eval(rect+`(document.querySelector('iframe[title="Secure payment input frame"]').getBoundingClientRect())`, &fr)
	s.pe(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.scrollIntoView({block: 'nearest'}); return %s(e.getBoundingClientRect()); })()`, sel, rect), &el)
	s.run(chromedp.MouseClickXY(fr.X+el.X+el.W/2, fr.Y+el.Y+el.H/2))
}

// typeInto focuses a field by clicking it and types keys into it.
func (s *shop) typeInto(sel, keys string) {
	s.t.Helper()
	s.click(sel)
	s.run(chromedp.KeyEvent(keys))
}

func (s *shop) value(sel string) string {
	s.t.Helper()
	var v string
	s.pe(fmt.Sprintf(`document.querySelector(%q).value`, sel), &v)
	return v
}

// fill types a complete, valid test card.
func (s *shop) fill(number string) {
	s.t.Helper()
	for _, f := range [][2]string{{"#Field-numberInput", number}, {"#Field-expiryInput", "1234"}, {"#Field-cvcInput", "123"}, {"#Field-postalCodeInput", "94107"}} {
		var present bool
		s.pe(fmt.Sprintf(`!!document.querySelector(%q)`, f[0]), &present)
		if present {
			s.clearField(f[0])
			s.run(chromedp.KeyEvent(f[1]))
		}
	}
}

func (s *shop) clearField(sel string) {
	s.t.Helper()
	s.click(sel)
	s.run(chromedp.KeyEvent(kb.End + strings.Repeat(kb.Backspace, 25)))
}

func (s *shop) screenshot(name string) {
	s.t.Helper()
	s.run(chromedp.Sleep(400 * time.Millisecond))
	buf, err := chromedp.Run(s.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		s.t.Fatalf("screenshot: %v", err)
	}
	dir := "/tmp/tender-shots"
	_ = os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		s.t.Fatalf("screenshot: %v", err)
	}
}

// lastEvent returns the payload of the latest event called name.
func (s *shop) lastEvent(name string, out any) {
	s.t.Helper()
	s.eval(fmt.Sprintf(`(events.filter(e => e.name === %q).pop() || {}).payload || null`, name), out)
}

func (s *shop) eventCount(name string) int {
	s.t.Helper()
	var n int
	s.eval(fmt.Sprintf(`events.filter(e => e.name === %q).length`, name), &n)
	return n
}

// settle waits for in-flight messages between frames.
func (s *shop) settle() {
	s.t.Helper()
	s.run(chromedp.Sleep(150 * time.Millisecond))
}
