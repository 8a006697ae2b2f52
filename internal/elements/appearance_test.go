package elements_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func (s *shop) style(sel, prop string) string {
	s.t.Helper()
	var v string
	s.pe(fmt.Sprintf(`getComputedStyle(document.querySelector(%q)).getPropertyValue(%q)`, sel, prop), &v)
	return v
}

// 21. Themes, variables and fonts.
func TestAppearanceThemesVariablesFonts(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	s.screenshot("default")
	lightBg, lightColor := s.style("#Field-numberInput", "background-color"), s.style("#Field-numberInput", "color")

	// A font stylesheet and its font, served with CORS from a third origin.
	var cssHits, fontHits atomic.Int32
	font, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if err != nil {
		t.Skipf("no font file to serve: %v", err)
	}
	fonts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path == "/font.css" {
			cssHits.Add(1)
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprintf(w, "@font-face { font-family: 'Shop Sans'; src: url(/shop.ttf) format('truetype'); font-weight: 400; }\nbody { background: url(/evil.png); }\n")
			return
		}
		fontHits.Add(1)
		w.Header().Set("Content-Type", "font/ttf")
		_, _ = w.Write(font)
	}))
	defer fonts.Close()

	s.run(chromedp.Navigate(s.merchant.URL + "/checkout?dark=1"))
	s.eval(fmt.Sprintf(`setup({mode:'payment', amount:1099, currency:'usd', fonts: [{cssSrc: %q}],
		appearance: {theme: 'night', variables: {colorPrimary: '#ff0000', borderRadius: '12px', fontSizeBase: '18px', spacingUnit: '6px', fontFamily: '"Shop Sans", sans-serif'}}})`, fonts.URL+"/font.css"), nil)
	s.waitReady()
	if bg, c := s.style("#Field-numberInput", "background-color"), s.style("#Field-numberInput", "color"); bg == lightBg || c == lightColor {
		t.Fatalf("night theme: background %s color %s (light: %s %s)", bg, c, lightBg, lightColor)
	}
	if r := s.style("#Field-numberInput", "border-top-left-radius"); r != "12px" {
		t.Errorf("borderRadius: %s", r)
	}
	if fs := s.style("#Field-numberInput", "font-size"); fs != "18px" {
		t.Errorf("fontSizeBase: %s", fs)
	}
	if p := s.style("#Field-numberInput", "padding-top"); p != "18px" {
		t.Errorf("spacingUnit 6px gives input padding %s, want 18px", p)
	}
	s.click("#Field-numberInput")
	s.run(chromedp.Sleep(400 * time.Millisecond)) // let the focus transition finish
	if sh := s.style("#Field-numberInput", "box-shadow"); !strings.Contains(sh, "rgba(255, 0, 0, 0.25)") {
		t.Errorf("focus ring %q does not use colorPrimary", sh)
	}
	s.typeInto("#Field-numberInput", "4242")
	s.screenshot("night")
	var loaded bool
	s.pe(`document.fonts.ready.then(() => [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Shop Sans' && f.status === 'loaded'))`, &loaded)
	if !loaded || cssHits.Load() == 0 || fontHits.Load() == 0 {
		t.Errorf("font not loaded in the frame: loaded=%v css=%d font=%d", loaded, cssHits.Load(), fontHits.Load())
	}
}

// 22. Rules: allowlisted ones apply; unsafe ones are ignored with a warning
// and reach no server; update({appearance}) restyles without losing input.
func TestAppearanceRulesAndSafety(t *testing.T) {
	s := newShop(t)
	probe := s.probe.URL
	s.openPage("/checkout", fmt.Sprintf(`{mode:'payment', amount:1099, currency:'usd', appearance: {rules: {
		'.Input:focus': {borderColor: 'rgb(0, 128, 0)'},
		'.Label': {color: 'rgb(1, 2, 3)', textTransform: 'uppercase'},
		'.Error': {color: 'rgb(200, 0, 100)'},
		'.Tab--selected, .Tab--selected:hover': {color: 'rgb(0, 0, 255)'},
		'.Tab .TabLabel': {color: 'red'},
		'.Tab--invalid': {color: 'red'},
		'input[value^="4"]': {backgroundImage: 'url(%[1]s/attr)'},
		'.Input': {backgroundImage: 'url(%[1]s/bg)', color: 'red} body { background: url(%[1]s/brace)', boxShadow: 'none'},
		'.Label--invalid': {background: 'url(%[1]s/shorthand)'}
	}, variables: {colorBackground: 'url(%[1]s/var)', fontFamily: 'x; background: url(%[1]s/semi)'}}}`, probe), `{}`)
	s.waitReady()
	s.typeInto("#Field-numberInput", "4242424242424241")
	s.run(chromedp.Sleep(400 * time.Millisecond))
	if c := s.style("#Field-numberInputLabel", "text-transform"); c != "uppercase" {
		t.Errorf(".Label rule: %s", c)
	}
	if c := s.style("#Field-numberError", "color"); c != "rgb(200, 0, 100)" {
		t.Errorf(".Error rule: %s", c)
	}
	if c := s.style("#Field-numberInput", "border-top-color"); c != "rgb(0, 128, 0)" {
		t.Errorf(".Input:focus rule: %s", c)
	}
	var warnings []string
	s.eval(`warnings`, &warnings)
	all := strings.Join(warnings, "\n")
	for _, want := range []string{".Tab .TabLabel", ".Tab--invalid", `input[value^="4"]`, "backgroundImage", `"].color`, "colorBackground", "fontFamily"} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning about %s in:\n%s", want, all)
		}
	}
	s.settle()
	if n := atomic.LoadInt32(s.probeHits); n != 0 {
		t.Fatalf("the probe server received %d requests", n)
	}
	// Restyle live: typed data stays.
	s.eval(`elements.update({appearance: {theme: 'flat', variables: {colorText: '#123456'}}})`, nil)
	s.run(chromedp.Sleep(400 * time.Millisecond))
	if c := s.style("#Field-cvcInputLabel", "color"); c != "rgb(18, 52, 86)" {
		t.Errorf("update({appearance}) did not restyle: %s", c)
	}
	if v := s.value("#Field-numberInput"); v != "4242 4242 4242 4241" {
		t.Errorf("update({appearance}) lost input: %q", v)
	}
}

// 23. elements.update and element.update.
func TestUpdates(t *testing.T) {
	s := newShop(t)
	s.open(deferred, ``)
	s.typeInto("#Field-numberInput", "4242")
	before := s.eventCount("availablepaymentmethodschange")
	var isPromise bool
	s.eval(`(() => { const p = elements.update({amount: 2000, currency: 'eur'}); window.upd = p; return p instanceof Promise; })()`, &isPromise)
	s.eval(`upd.then(() => true)`, nil)
	if !isPromise || s.eventCount("update-end") != 1 || s.eventCount("availablepaymentmethodschange") != before+1 {
		t.Fatalf("update: promise=%v update-end=%d availablepaymentmethodschange %d→%d", isPromise, s.eventCount("update-end"), before, s.eventCount("availablepaymentmethodschange"))
	}
	var pms map[string]any
	s.lastEvent("availablepaymentmethodschange", &pms)
	if fmt.Sprint(pms["paymentMethods"]) != "map[card:map[available:true]]" {
		t.Errorf("availablepaymentmethodschange %v", pms)
	}
	if v := s.value("#Field-numberInput"); v != "4242" {
		t.Fatalf("update lost input: %q", v)
	}
	s.eval(`paymentElement.update({layout: 'accordion', readOnly: true}), true`, nil)
	s.settle()
	var acc bool
	s.pe(`!!document.querySelector('.p-Accordion')`, &acc)
	s.click("#Field-numberInput")
	s.run(chromedp.KeyEvent("1111" + kb.Backspace))
	if v := s.value("#Field-numberInput"); !acc || v != "4242" {
		t.Fatalf("accordion=%v, readOnly typing changed the number to %q", acc, v)
	}
}

// 25. Keyboard, autofill attributes, locale, font size and reduced motion.
func TestKeyboardAutofillLocale(t *testing.T) {
	s := newShop(t)
	s.open(`{mode:'payment', amount:1099, currency:'usd', locale:'fr'}`, ``)
	var attrs map[string]string
	s.pe(`Object.fromEntries([...document.querySelectorAll('input, select')].map(i => [i.id, i.getAttribute('autocomplete') + '|' + (i.getAttribute('inputmode') || '') + '|' + document.querySelector('label[for="' + i.id + '"]').textContent]))`, &attrs)
	want := map[string]string{
		"Field-numberInput":     "cc-number|numeric|Numéro de carte",
		"Field-expiryInput":     "cc-exp|numeric|Date d'expiration",
		"Field-cvcInput":        "cc-csc|numeric|Code de sécurité",
		"Field-countryInput":    "billing country||Pays",
		"Field-postalCodeInput": "billing postal-code|numeric|Code postal",
	}
	for id, w := range want {
		if attrs[id] != w {
			t.Errorf("%s: %q, want %q", id, attrs[id], w)
		}
	}
	// Keyboard only: the number field takes focus; Tab moves through the
	// fields; a French error appears on leaving an incomplete one.
	s.eval(`paymentElement.focus(), true`, nil)
	s.settle()
	s.run(chromedp.KeyEvent("4242"), chromedp.KeyEvent(kb.Tab))
	var active string
	s.pe(`document.activeElement.id`, &active)
	if active != "Field-expiryInput" {
		t.Errorf("Tab from the number went to %q", active)
	}
	if f := s.fieldState("number"); f.Error != "Le numéro de carte est incomplet." {
		t.Errorf("French error: %+v", f)
	}
	var placeholder string
	s.pe(`document.getElementById('Field-expiryInput').placeholder`, &placeholder)
	if placeholder != "MM / AA" {
		t.Errorf("French placeholder %q", placeholder)
	}
	// Back to the number with Shift+Tab to finish it, then onwards.
	s.run(chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)), chromedp.KeyEvent(kb.End+"424242424242"))
	s.pe(`document.activeElement.id`, &active)
	if active != "Field-expiryInput" {
		t.Errorf("a complete number advances to the expiry; focus on %q", active)
	}
	s.run(chromedp.KeyEvent("1234"))
	s.pe(`document.activeElement.id`, &active)
	if active != "Field-cvcInput" {
		t.Errorf("a complete expiry advances to the CVC; focus on %q", active)
	}
	s.run(chromedp.KeyEvent("123"), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("94107"))
	s.run(chromedp.KeyEvent(kb.Escape))
	s.settle()
	if s.eventCount("escape") == 0 {
		t.Errorf("Esc in the frame fired no escape event")
	}
	s.settle()
	var ch map[string]any
	s.lastEvent("change", &ch)
	if ch["complete"] != true {
		t.Errorf("keyboard-only entry is not complete: %v", ch)
	}
	// Inputs are at least 16px (no iOS zoom) and motion is off under
	// prefers-reduced-motion.
	var fs string
	s.pe(`getComputedStyle(document.getElementById('Field-numberInput')).fontSize`, &fs)
	if fs != "16px" {
		t.Errorf("input font-size %s", fs)
	}
	var css string
	s.pe(`[...document.styleSheets].flatMap(s => [...s.cssRules]).map(r => r.cssText).filter(t => /prefers-reduced-motion/.test(t)).join()`, &css)
	if !strings.Contains(css, "transition: none") {
		t.Errorf("no reduced-motion rule")
	}
}
