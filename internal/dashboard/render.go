package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/network"
	"github.com/tenderpay/tender/internal/payments"
)

//go:embed templates static
var assets embed.FS

// pages are parsed once: each is the layout plus its own file.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "receipt" {
			continue
		}
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(assets, "templates/layout.html", f))
	}
	return out
}()

// staticVersion busts caches when the embedded assets change.
var staticVersion = func() string {
	h := sha256.New()
	for _, f := range []string{"static/dashboard.css", "static/dashboard.js"} {
		b, _ := assets.ReadFile(f)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

var funcs = template.FuncMap{
	"money": network.FormatAmount,
	"when":  when,
	"upper": strings.ToUpper,
	"title": func(s string) string {
		s = strings.ReplaceAll(s, "_", " ")
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"static":    func(name string) string { return "/dashboard/static/" + name + "?v=" + staticVersion },
	"badge":     badge,
	"section":   section,
	"evkind":    evkind,
	"label":     methodLabel,
	"hasPrefix": strings.HasPrefix,
	"typeName":  typeName,
	"inc":       func(i int) int { return i + 1 },
	"decimal": func(amount int64, cur string) string {
		return formatDecimal(amount, cur)
	},
}

// when renders a Unix time as UTC in a <time> element; dashboard.js
// rewrites it in the viewer's time zone.
func when(unix int64) template.HTML {
	if unix == 0 {
		return "—"
	}
	t := time.Unix(unix, 0).UTC()
	return template.HTML(fmt.Sprintf(`<time datetime="%s">%s</time>`, t.Format(time.RFC3339), t.Format("2 Jan 2006, 15:04 UTC")))
}

// badge is the CSS class of a status.
func badge(status string) string {
	switch status {
	case payments.StatusSucceeded, "sent", "enabled", "delivered":
		return "ok"
	case "failed", "disabled":
		return "bad"
	case payments.StatusRequiresCapture, "partially_refunded":
		return "warn"
	}
	return "neutral"
}

// evkind is the colour class of an event type on a timeline.
func evkind(t string) string {
	switch {
	case strings.HasSuffix(t, ".succeeded"), strings.HasSuffix(t, ".captured"):
		return "ok"
	case strings.HasSuffix(t, "failed"), strings.HasSuffix(t, ".canceled"):
		return "bad"
	case strings.HasPrefix(t, "refund."), strings.HasSuffix(t, ".refunded"), strings.HasSuffix(t, "requires_action"), strings.HasSuffix(t, "capturable_updated"):
		return "warn"
	}
	return "neutral"
}

// section is the navigation entry a page belongs to.
func section(page string) string {
	switch page {
	case "payment":
		return "payments"
	case "customer":
		return "customers"
	case "endpoint":
		return "webhooks"
	case "event":
		return "events"
	case "receipt_view":
		return "receipts"
	}
	return page
}

// pageData is what every page template receives.
type pageData struct {
	Page    string
	Account string
	Acct    string
	CSRF    string
	Flash   flash
	Base    string // the public URL, for examples
	Data    any
}

func (d *Dashboard) render(w http.ResponseWriter, _ *http.Request, status int, name string, v *visit, data any) {
	t, ok := pages[name]
	if !ok {
		panic("dashboard: no template " + name)
	}
	pd := pageData{Page: name, Data: data, Base: d.cfg.PublicURL}
	if v != nil {
		pd.Account, pd.Acct, pd.CSRF, pd.Flash = v.name, v.acct.Account, v.sess.CSRF, v.flash
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", pd); err != nil {
		d.cfg.Logger.Error("dashboard: render", "page", name, "err", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail renders an error page.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	var pe *payments.Error
	switch {
	case errors.Is(err, errNotFound), errors.Is(err, payments.ErrNotFound), errors.As(err, &pe) && pe.Kind == payments.KindNotFound:
		if v == nil {
			http.NotFound(w, r)
			return
		}
		d.render(w, r, http.StatusNotFound, "error", v, map[string]string{"Title": "Not found", "Message": "There is nothing at this address in this account."})
		return
	case errors.As(err, &pe):
		if v != nil {
			d.render(w, r, http.StatusBadRequest, "error", v, map[string]string{"Title": "That did not work", "Message": pe.Message})
			return
		}
	}
	d.cfg.Logger.Error("dashboard", "path", r.URL.Path, "err", err)
	if v == nil {
		http.Error(w, "Something went wrong; the server log has the details.", http.StatusInternalServerError)
		return
	}
	d.render(w, r, http.StatusInternalServerError, "error", v, map[string]string{"Title": "Something went wrong", "Message": "The server log has the details."})
}

// static serves the embedded CSS and JavaScript.
func (d *Dashboard) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := assets.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	default:
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == staticVersion {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write(b)
}

// formatDecimal writes an amount in minor units as a plain decimal for a
// form field ("10.99", "1000" for jpy).
func formatDecimal(amount int64, cur string) string {
	places := network.DecimalPlaces(cur)
	if places == 0 {
		return fmt.Sprint(amount)
	}
	s := fmt.Sprintf("%0*d", places+1, amount)
	return s[:len(s)-places] + "." + s[len(s)-places:]
}
