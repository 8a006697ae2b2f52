package dashboard_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/browsertest"

	"github.com/chromedp/chromedp"

	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/payments"
)

// testType is the second payment method type the settings tests turn on
// and off. The simulator supports iDEAL; should it ever not, TestMain
// registers the type before any server starts (so nothing reads the list
// concurrently), which also shows the settings page picking up new types
// by itself.
const testType = "ideal"

// One Chromium serves every test; each test opens its own tab.
var browser = browsertest.New(1280, 900)

func TestMain(m *testing.M) {
	if !slices.Contains(payments.SupportedPaymentMethodTypes, testType) {
		payments.SupportedPaymentMethodTypes = append(slices.Clone(payments.SupportedPaymentMethodTypes), testType)
	}
	code := m.Run()
	browser.Close()
	os.Exit(code)
}

// tab is one browser tab on one Tender; each tab has its own cookie jar
// (a fresh browser context), so tests do not share logins.
type tab struct {
	t   *testing.T
	env *apitest.Env
	ctx context.Context
}

func newTab(t *testing.T, env *apitest.Env) *tab {
	t.Helper()
	root := browser.Require(t)
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	return &tab{t: t, env: env, ctx: ctx}
}

func (b *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// open loads a dashboard path and waits for its body.
func (b *tab) open(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.env.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// eval runs JavaScript in the page, awaiting promises, into out.
func (b *tab) eval(js string, out any) {
	b.t.Helper()
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("eval %s: %v", js, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.t.Fatalf("eval %s: decode %s: %v", js, raw, err)
		}
	}
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *tab) location() string {
	b.t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return u
}

// typeInto types into a field like a user: focus, then keys.
func (b *tab) typeInto(sel, keys string) {
	b.t.Helper()
	b.run(chromedp.Click(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), keys))
}

// submitVia clicks a button that submits a form and waits for the next
// page to load.
func (b *tab) submitVia(sel string) {
	b.t.Helper()
	var before string
	b.eval(`String(performance.timeOrigin)`, &before)
	b.run(chromedp.Click(chromedp.CSS(sel)))
	b.waitFor(`String(performance.timeOrigin) !== ` + jsString(before) + ` && document.readyState === 'complete'`)
}

// waitFor polls a JavaScript condition until it holds (or 20 s pass).
func (b *tab) waitFor(cond string) {
	b.t.Helper()
	end := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](`(() => { try { return !!(`+cond+`); } catch (e) { return false; } })()`))
		if err == nil {
			_ = json.Unmarshal(raw, &ok)
		}
		if ok {
			return
		}
		if time.Now().After(end) {
			b.t.Fatalf("timed out waiting for %s (at %s)", cond, b.location())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// login logs in with the default account's secret key.
func (b *tab) login() {
	b.t.Helper()
	b.open("/dashboard/login")
	b.typeInto("#secret_key", apitest.SecretKey)
	b.submitVia("#key button[type=submit]")
	if !strings.Contains(b.location(), "/dashboard/payments") {
		b.t.Fatalf("after login the browser is at %s", b.location())
	}
}

// shot saves a full-page screenshot to /tmp/tender-shots/dashboard-<name>.png.
func (b *tab) shot(name string) {
	b.t.Helper()
	b.run(chromedp.Sleep(150 * time.Millisecond))
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	dir := "/tmp/tender-shots"
	_ = os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "dashboard-"+name+".png"), buf, 0o644); err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// sqlite starts a Tender on SQLite for a browser test.
func sqlite(t *testing.T, options ...func(*appConfig)) *apitest.Env {
	t.Helper()
	return apitest.Start(t, "sqlite", filepath.Join(t.TempDir(), "tender.db"), options...)
}

func clickCSS(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

func navigate(u string) chromedp.Action[chromedp.Void] { return chromedp.Navigate(u) }

func setValue(sel, v string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(sel), v)
}
