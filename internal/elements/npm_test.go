package elements_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/tenderpay/tender/internal/apitest"
)

// npmModules holds the unmodified third-party browser bundles that some
// tests load: `npm ci` in testdata/npm installs them (.ci/run does so).
const npmModules = "testdata/npm/node_modules"

// requireNPM skips (loudly) when testdata/npm has not been installed,
// except under CI=true, where the missing files fail the test.
func requireNPM(t *testing.T, files ...string) {
	t.Helper()
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(npmModules, f)); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true but %s is missing: run `npm ci` in internal/elements/testdata/npm", filepath.Join(npmModules, f))
			}
			fmt.Fprintf(os.Stderr, "\n*** %s: SKIPPED — %s not found; run `npm ci` in internal/elements/testdata/npm ***\n\n", t.Name(), filepath.Join(npmModules, f))
			t.Skipf("%s not found", f)
		}
	}
}

// blockStripe intercepts every request of the tab (top page and its
// same-process frames) to a Stripe host, fails it as blocked by the client
// and records its URL. Call it before navigating.
func (s *shop) blockStripe() (attempts func() []string) {
	s.t.Helper()
	var mu sync.Mutex
	var urls []string
	paused := make(chan fetch.RequestID, 64)
	if err := chromedp.Listen(s.ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			mu.Lock()
			urls = append(urls, e.Request.URL)
			mu.Unlock()
			select {
			case paused <- e.RequestID:
			default:
			}
		}
	}); err != nil {
		s.t.Fatal(err)
	}
	// Listen's callback may not issue commands: a goroutine fails the
	// paused requests.
	go func() {
		for {
			select {
			case <-s.ctx.Done():
				return
			case id := <-paused:
				_, _ = chromedp.Call(s.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonBlockedByClient})
			}
		}
	}()
	if _, err := chromedp.Call(s.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*js.stripe.com*"}, {URLPattern: "*stripe.com/*"}, {URLPattern: "*stripe.network*"},
	}}); err != nil {
		s.t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), urls...)
	}
}

// consoleLog collects the tab's console messages and uncaught exceptions
// (top page and same-process frames) from now on.
func (s *shop) consoleLog() (messages func() []string) {
	s.t.Helper()
	var mu sync.Mutex
	var got []string
	msgs := chromedp.Console(s.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			mu.Lock()
			got = append(got, string(m.Type)+": "+m.Text+" ("+m.URL+")")
			mu.Unlock()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

// 1. Drop-in load with the real npm packages: Tender's synchronous script,
// then the unmodified @stripe/stripe-js ES module, with every Stripe host
// blocked. loadStripe takes step 2 of its algorithm (window.Stripe exists)
// and resolves Tender's constructor; react-stripe-js's <Elements> accepts
// the instance and <PaymentElement> mounts Tender's frame.
func TestDropInLoadWithNPMPackages(t *testing.T) {
	requireNPM(t, "@stripe/stripe-js/lib/index.mjs", "@stripe/stripe-js/dist/index.mjs", "@stripe/stripe-js/dist/pure.mjs",
		"react/umd/react.development.js", "react-dom/umd/react-dom.development.js",
		"@stripe/react-stripe-js/dist/react-stripe.umd.js")
	s := newShop(t)
	attempts := s.blockStripe()
	console := s.consoleLog()
	s.run(chromedp.Navigate(s.merchant.URL + "/dropin"))

	var r struct {
		Version       string
		Tender        bool
		WithoutNew    bool
		Missing       []string
		Injected      int
		ControllerSrc string
	}
	s.eval(`(async () => {
		while (!window.stripeJsLoaded) await new Promise((r) => setTimeout(r, 10));
		const pkg = await (await fetch('/npm/@stripe/stripe-js/package.json')).json();
		const stripe = await loadStripe('`+apitest.PublishableKey+`');
		const fns = ['elements','createToken','createPaymentMethod','confirmCardPayment','createConfirmationToken',
			'handleNextAction','retrievePaymentIntent','confirmPayment'];
		stripe.elements(`+deferred+`);
		// The /pure entry loads only when loadStripe is first called.
		const pure = await import('/npm/@stripe/stripe-js/dist/pure.mjs');
		const viaPure = await pure.loadStripe('`+apitest.PublishableKey+`');
		await new Promise((r) => setTimeout(r, 100));
		return {Version: pkg.version, Tender: stripe instanceof window.Stripe && viaPure instanceof window.Stripe,
			WithoutNew: Stripe('`+apitest.PublishableKey+`') instanceof Stripe,
			Missing: fns.filter((f) => typeof stripe[f] !== 'function'),
			Injected: document.querySelectorAll('script[src*="stripe.com"]').length,
			ControllerSrc: (document.querySelector('iframe[name^=__privateStripeController]') || {}).src || ''};
	})()`, &r)
	t.Logf("@stripe/stripe-js %s: %+v", r.Version, r)
	if major, _ := strconv.Atoi(strings.Split(r.Version, ".")[0]); major < 4 {
		t.Fatalf("@stripe/stripe-js %q: want 4 or later", r.Version)
	}
	if !r.Tender || !r.WithoutNew || len(r.Missing) > 0 || r.Injected != 0 {
		t.Fatalf("loadStripe did not resolve Tender's instance: %+v", r)
	}
	if !strings.HasPrefix(r.ControllerSrc, s.env.URL+"/v3/controller-") {
		t.Fatalf("controller frame %q is not on Tender's origin %s", r.ControllerSrc, s.env.URL)
	}

	// react-stripe-js, from its UMD build, rendered without JSX.
	var mounted struct {
		Frames int
		Src    string
		Ready  bool
	}
	s.eval(`(async () => {
		const { Elements, PaymentElement } = window.ReactStripe;
		const stripePromise = loadStripe('`+apitest.PublishableKey+`');
		const ready = new Promise((res) => {
			ReactDOM.createRoot(document.getElementById('root')).render(
				React.createElement(Elements, { stripe: stripePromise, options: `+deferred+` },
					React.createElement(PaymentElement, { onReady: () => res(true) })));
		});
		const ok = await Promise.race([ready, new Promise((r) => setTimeout(() => r(false), 15000))]);
		const frames = document.querySelectorAll('#root iframe[title="Secure payment input frame"]');
		return { Frames: frames.length, Src: frames.length ? frames[0].src : '', Ready: ok };
	})()`, &mounted)
	if !mounted.Ready || mounted.Frames != 1 || !strings.HasPrefix(mounted.Src, s.env.URL+"/v3/elements-inner-payment-") {
		t.Fatalf("react-stripe-js <PaymentElement> did not mount Tender's frame: %+v", mounted)
	}
	// The frame is live: a field inside it exists.
	var hasNumber bool
	s.pe(`!!document.getElementById('Field-numberInput')`, &hasNumber)
	if !hasNumber {
		t.Fatal("Tender's frame has no card-number field")
	}
	s.settle()
	for _, m := range console() {
		if strings.Contains(m, "Invalid prop `stripe`") || strings.HasPrefix(m, "exception") || strings.HasPrefix(m, "error") {
			t.Errorf("console: %s", m)
		} else {
			t.Logf("console: %s", m)
		}
	}
	if a := attempts(); len(a) > 0 {
		t.Fatalf("requests to Stripe's hosts: %v", a)
	}

	// The block is real: a script tag pointing at js.stripe.com is caught
	// and counted, so the zero above is not the counter's blindness.
	var failed bool
	s.eval(`new Promise((res) => {
		const sc = document.createElement('script');
		sc.src = 'https://js.stripe.com/v3/';
		sc.onerror = () => res(true); sc.onload = () => res(false);
		document.head.appendChild(sc);
	})`, &failed)
	deadline := time.Now().Add(2 * time.Second)
	for len(attempts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if a := attempts(); !failed || len(a) != 1 || a[0] != "https://js.stripe.com/v3/" {
		t.Fatalf("control request to js.stripe.com: failed=%v, attempts=%v", failed, a)
	}
}

// axeViolation is one failed axe-core rule, with the nodes that fail it.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target  []any
		HTML    string
		Summary string
	}
}

const axeViolations = `.then((r) => r.violations.map((v) => ({
	ID: v.id, Impact: v.impact, Help: v.help,
	Nodes: v.nodes.map((n) => ({ Target: n.target, HTML: n.html, Summary: n.failureSummary })),
})))`

// axePage audits the merchant page the way axe-core audits any page with
// frames (axe.runPartial in the top document and in each frame, then
// axe.finishRun, as @axe-core/playwright does), with axe's default rules,
// and returns the violations. axe is the unmodified axe.min.js; it runs in
// the frames through the DevTools Protocol, in an isolated world, which the
// frames' CSP does not govern.
func (s *shop) axePage(src string) []axeViolation {
	s.t.Helper()
	s.eval(`window.axe ? true : (0, eval)(`+jsString(src)+`) || true`, nil)
	var frames []json.RawMessage
	s.eval(`(async () => {
		window.axeTop = await axe.runPartial(document, {});
		return axe.utils.getFrameContexts(document, {}).map((f, i) => {
			axe.utils.shadowSelect(f.frameSelector).setAttribute('data-axe-frame', i);
			return f.frameContext;
		});
	})()`, &frames)
	partials := []string{"axeTop"}
	for i, fc := range frames {
		var partial json.RawMessage
		s.inFrame(s.frame(fmt.Sprintf(`iframe[data-axe-frame="%d"]`, i)), src+"\n;axe.runPartial("+string(fc)+", {})", &partial)
		partials = append(partials, string(partial))
	}
	var v []axeViolation
	s.eval(`axe.finishRun([`+strings.Join(partials, ",")+`], {})`+axeViolations, &v)
	return v
}

// axeFrame runs axe-core alone inside the Payment Element frame, as if the
// frame were a page of its own.
func (s *shop) axeFrame(src, options string) []axeViolation {
	s.t.Helper()
	var v []axeViolation
	s.pe(src+"\n;axe.run(document, "+options+")"+axeViolations, &v)
	return v
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// 12. axe-core reports zero violations for the Payment Element frame, in
// the default state and with inline errors showing.
func TestAxeInPaymentElementFrame(t *testing.T) {
	requireNPM(t, "axe-core/axe.min.js")
	src, err := os.ReadFile(filepath.Join(npmModules, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	s := newShop(t)
	s.open(deferred, ``)
	var version string
	s.pe(string(src)+"\n;axe.version", &version)
	// Three of axe's default rules judge a document as a whole page: it has
	// a main landmark and a level-one heading, and all content sits in
	// landmarks. A frame embedded in a page must not add a second main or
	// h1 to it; axe itself judges these across the page and its frames,
	// which axePage does. The stand-alone run in the frame leaves out only
	// these three.
	pageRules := `{ rules: { 'landmark-one-main': { enabled: false }, 'page-has-heading-one': { enabled: false }, region: { enabled: false } } }`
	check := func(state string) {
		t.Helper()
		start := time.Now()
		page := s.axePage(string(src))
		frame := s.axeFrame(string(src), pageRules)
		t.Logf("axe-core %s, %s: %d violations on the page with its frames, %d in the frame alone (%v)", version, state, len(page), len(frame), time.Since(start).Round(time.Millisecond))
		for _, v := range append(page, frame...) {
			for _, n := range v.Nodes {
				t.Errorf("%s: %s (%s) %s: %v %s\n%s", state, v.ID, v.Impact, v.Help, n.Target, n.HTML, n.Summary)
			}
		}
	}
	check("default state")
	// Error state: submit() on an empty form shows every field's error;
	// then a Luhn failure in the number.
	s.eval(`elements.submit().then(() => true)`, nil)
	s.settle()
	if f := s.fieldState("number"); f.Invalid != "true" || f.Error == "" {
		t.Fatalf("no error state after submit(): %+v", f)
	}
	check("every field in error")
	s.clearField("#Field-numberInput")
	s.run(chromedp.KeyEvent("4242424242424241"))
	s.settle()
	if f := s.fieldState("number"); f.Error != "Your card number is invalid." {
		t.Fatalf("no Luhn error: %+v", f)
	}
	check("invalid number")

	// Control: the audit does reach into the frame. An unlabelled input
	// added to the frame's document is reported, with a target that goes
	// through the Payment Element iframe.
	s.pe(`document.getElementById('Field-numberInput').after(Object.assign(document.createElement('input'), {id: 'axe-control'})), true`, nil)
	var audited bool
	s.eval(`document.querySelector('iframe[title="Secure payment input frame"]').hasAttribute('data-axe-frame')`, &audited)
	var found []string
	for _, v := range s.axePage(string(src)) {
		for _, n := range v.Nodes {
			found = append(found, fmt.Sprintf("%s %v", v.ID, n.Target))
		}
	}
	if !audited || len(found) != 1 || !strings.HasPrefix(found[0], "label [") || !strings.HasSuffix(found[0], " #axe-control]") {
		t.Fatalf("control: payment frame audited=%v, violations %q; want only the unlabelled input in the frame", audited, found)
	}
	t.Logf("control: %s", found[0])
}
