package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/browsertest"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// One Chromium for the whole suite; each scenario gets its own browser
// context (a fresh cookie jar) and tab.
var browser = browsertest.New(1100, 1000)

func TestMain(m *testing.M) {
	code := m.Run()
	browser.Close()
	os.Exit(code)
}

// tab is one scenario's browser tab, in a browser context of its own.
type tab struct {
	t   *testing.T
	ctx context.Context
	// requests records the URLs the page and its frames fetched.
	mu       sync.Mutex
	requests []string
}

func newTab(t *testing.T) *tab {
	t.Helper()
	root := browser.Require(t)
	tb := &tab{t: t}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	tb.ctx = ctx
	return tb
}

func (tb *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

func (tb *tab) open(url string) {
	tb.t.Helper()
	tb.run(chromedp.Navigate(url))
}

// eval runs JavaScript in the top page, awaiting promises.
func (tb *tab) eval(js string, out any) {
	tb.t.Helper()
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("eval %s: %v", browsertest.Abbreviate(js), err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			tb.t.Fatalf("eval %s: decode %s: %v", browsertest.Abbreviate(js), raw, err)
		}
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	var s string
	tb.eval(fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ''`, sel), &s)
	return strings.TrimSpace(s)
}

// waitFor polls a JavaScript condition in the top page for up to 20s.
func (tb *tab) waitFor(cond string) {
	tb.t.Helper()
	tb.eval(`new Promise((res, rej) => {
		const end = Date.now() + 20000;
		(function poll() {
			let v = false;
			try { v = (`+cond+`); } catch (e) {}
			if (v) return res(true);
			if (Date.now() > end) return rej(new Error('timed out waiting for: ' + `+fmt.Sprintf("%q", cond)+`));
			setTimeout(poll, 50);
		})();
	})`, nil)
}

// waitState waits until the page's data-state is one of states and
// returns it.
func (tb *tab) waitState(states ...string) string {
	tb.t.Helper()
	list, _ := json.Marshal(states)
	tb.waitFor(string(list) + `.includes(document.body.dataset.state)`)
	var s string
	tb.eval(`document.body.dataset.state`, &s)
	return s
}

// frame returns the first iframe matching sel in the top page.
func (tb *tab) frame(sel string) *chromedp.Node {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf(`document.querySelector(%q)`, sel))
	nodes, err := chromedp.Run(tb.ctx, chromedp.Nodes(chromedp.CSS(sel)))
	if err != nil || len(nodes) == 0 {
		tb.t.Fatalf("find %s: %v", sel, err)
	}
	return nodes[0]
}

const paymentFrameSel = `iframe[title="Secure payment input frame"]`
const modalFrameSel = `iframe[title="3D Secure authentication"]`

// inFrame evaluates JavaScript inside a frame's document (an isolated
// world: its DOM, not its scripts), awaiting promises.
func (tb *tab) inFrame(node *chromedp.Node, js string, out any) {
	tb.t.Helper()
	if err := tb.tryInFrame(node, js, out); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) tryInFrame(node *chromedp.Node, js string, out any) error {
	return browsertest.EvalInFrame(tb.ctx, node, js, out)
}

// pe evaluates in the Payment Element's frame.
func (tb *tab) pe(js string, out any) {
	tb.t.Helper()
	tb.inFrame(tb.frame(paymentFrameSel), js, out)
}

// peWaitFor polls a condition inside the Payment Element's frame.
func (tb *tab) peWaitFor(cond string) {
	tb.t.Helper()
	tb.pe(`new Promise((res, rej) => {
		const end = Date.now() + 20000;
		(function poll() {
			let v = false;
			try { v = (`+cond+`); } catch (e) {}
			if (v) return res(true);
			if (Date.now() > end) return rej(new Error('timed out in the payment frame waiting for: ' + `+fmt.Sprintf("%q", cond)+`));
			setTimeout(poll, 50);
		})();
	})`, nil)
}

type rect struct{ X, Y, W, H float64 }

const rectJS = `(r => ({X: r.left, Y: r.top, W: r.width, H: r.height}))`

// click clicks an element inside the Payment Element frame with the mouse,
// as a user would.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	var fr, el rect
	tb.peWaitFor(fmt.Sprintf(`document.querySelector(%q)`, sel))
	tb.eval(fmt.Sprintf(`(() => { const f = document.querySelector(%q); f.scrollIntoView({block: 'center'}); return %s(f.getBoundingClientRect()); })()`, paymentFrameSel, rectJS), &fr)
	tb.pe(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.scrollIntoView({block: 'nearest'}); return %s(e.getBoundingClientRect()); })()`, sel, rectJS), &el)
	tb.run(chromedp.MouseClickXY(fr.X+el.X+el.W/2, fr.Y+el.Y+el.H/2))
}

// clickPage clicks an element of the merchant page with the mouse.
func (tb *tab) clickPage(sel string) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf(`document.querySelector(%q) && !document.querySelector(%q).disabled`, sel, sel))
	var el rect
	tb.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.scrollIntoView({block: 'center'}); return %s(e.getBoundingClientRect()); })()`, sel, rectJS), &el)
	tb.run(chromedp.MouseClickXY(el.X+el.W/2, el.Y+el.H/2))
}

// typePage types into a field of the merchant page.
func (tb *tab) typePage(sel, text string) {
	tb.t.Helper()
	tb.clickPage(sel)
	tb.run(chromedp.KeyEvent(kb.End+strings.Repeat(kb.Backspace, 60)), chromedp.KeyEvent(text))
}

// fillCard types a test card into the Payment Element like a user: click
// each field, clear it, type.
func (tb *tab) fillCard(number string) {
	tb.t.Helper()
	tb.waitStableFrame()
	cvc := "123"
	if strings.HasPrefix(number, "34") || strings.HasPrefix(number, "37") {
		cvc = "1234" // American Express
	}
	for _, f := range [][2]string{{"#Field-numberInput", number}, {"#Field-expiryInput", "12" + fmt.Sprint(time.Now().Year()%100+3)}, {"#Field-cvcInput", cvc}, {"#Field-postalCodeInput", "94107"}} {
		var present bool
		tb.pe(fmt.Sprintf(`!!document.querySelector(%q)`, f[0]), &present)
		if !present {
			continue
		}
		tb.click(f[0])
		tb.run(chromedp.KeyEvent(kb.End+strings.Repeat(kb.Backspace, 25)), chromedp.KeyEvent(f[1]))
	}
}

// waitStableFrame waits until the Payment Element frame stops resizing.
func (tb *tab) waitStableFrame() {
	tb.t.Helper()
	tb.eval(`new Promise((res) => {
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

// challenge answers the 3D Secure modal by clicking its "Complete
// authentication" or "Fail authentication" button with the mouse, once the
// modal has finished appearing. An empty outcome only waits for it.
func (tb *tab) challenge(outcome string) {
	tb.t.Helper()
	button := outcome
	if button == "" {
		button = "complete"
	}
	var last rect
	var err error
	stable := 0
	for i := 0; i < 300 && stable < 4; i++ {
		time.Sleep(40 * time.Millisecond)
		// Look the modal up each time: until its page loads, the iframe
		// node may not name its frame yet.
		modal := tb.frame(modalFrameSel)
		var btn, mf rect
		err = tb.tryInFrame(modal, fmt.Sprintf(`(() => {
			const f = document.getElementById('challengeFrame');
			let b = null; try { b = f.contentDocument.readyState === 'complete' && f.contentDocument.querySelector('button[value=%s]'); } catch (e) {}
			if (!b) return null;
			const fr = f.getBoundingClientRect(), r = b.getBoundingClientRect();
			return {X: fr.left + r.left, Y: fr.top + r.top, W: r.width, H: r.height};
		})()`, button), &btn)
		if err != nil || btn.W == 0 {
			stable = 0
			continue
		}
		tb.eval(fmt.Sprintf(`%s(document.querySelector(%q).getBoundingClientRect())`, rectJS, modalFrameSel), &mf)
		abs := rect{X: mf.X + btn.X, Y: mf.Y + btn.Y, W: btn.W, H: btn.H}
		if abs == last {
			stable++
		} else {
			stable = 0
		}
		last = abs
	}
	if stable < 4 {
		tb.t.Fatalf("the 3D Secure challenge did not settle in the modal (%v, %+v)", err, last)
	}
	if outcome != "" {
		tb.run(chromedp.MouseClickXY(last.X+last.W/2, last.Y+last.H/2))
	}
}

// screenshot saves the viewport to /tmp/tender-shots/e2e-<name>.png.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	tb.run(chromedp.Sleep(300 * time.Millisecond))
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	dir := "/tmp/tender-shots"
	_ = os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "e2e-"+name+".png"), buf, 0o644); err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
}

// listen records every request URL the tab (and its same-process frames)
// sends.
func (tb *tab) listen(ev any) {
	if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
		tb.mu.Lock()
		tb.requests = append(tb.requests, e.Request.URL)
		tb.mu.Unlock()
	}
}

// requested reports whether a recorded request URL contains every part.
func (tb *tab) requested(parts ...string) bool {
	tb.mu.Lock()
	defer tb.mu.Unlock()
next:
	for _, u := range tb.requests {
		for _, p := range parts {
			if !strings.Contains(u, p) {
				continue next
			}
		}
		return true
	}
	return false
}
