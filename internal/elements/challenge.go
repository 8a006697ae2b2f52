package elements

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/tenderpay/tender/internal/network"
)

//go:embed assets/*.tmpl
var templateFS embed.FS

var challengeTemplates = template.Must(template.ParseFS(templateFS, "assets/*.tmpl"))

// challengePages is the hosted 3D Secure page: the simulated issuer
// challenge a customer completes or fails. It works without JavaScript; the
// script on the "done" page only tells tender.js's modal that it is over.
type challengePages struct {
	cfg    Config
	assets *assets
}

type challengeView struct {
	Title       string
	Action      string
	Challenge   Challenge
	Amount      string
	Brand       string
	Secret      string
	Return      bool
	Origin      string
	CSS, Script string
	Message     string
	Succeeded   bool
}

func (c *challengePages) show(w http.ResponseWriter, r *http.Request) {
	id, secret := r.PathValue("id"), r.URL.Query().Get("client_secret")
	if c.cfg.Intents == nil {
		c.problem(w, http.StatusServiceUnavailable, "3D Secure is not available on this server.")
		return
	}
	ch, err := c.cfg.Intents.Challenge(r.Context(), id, secret)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.view("Authenticate your payment")
	v.Action = "/3ds/challenge/" + url.PathEscape(id)
	v.Challenge = ch
	v.Secret = secret
	v.Return = r.URL.Query().Get("return") == "1"
	v.Origin = validOrigin(r.URL.Query().Get("origin"))
	if ch.Object != "setup_intent" {
		v.Amount = network.FormatAmount(ch.Amount, ch.Currency)
	}
	v.Brand = brandName(ch.Brand)
	csp := "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"
	if v.Return {
		// CSP's form-action also governs the redirect that answers the
		// form, which lands on the merchant's return_url.
		if o := urlOrigin(ch.ReturnURL); o != "" {
			csp += " " + o
		}
	}
	c.render(w, http.StatusOK, "challenge.html.tmpl", v, csp)
}

func (c *challengePages) submit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		c.problem(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	if c.cfg.Intents == nil {
		c.problem(w, http.StatusServiceUnavailable, "3D Secure is not available on this server.")
		return
	}
	secret := r.PostForm.Get("client_secret")
	complete := r.PostForm.Get("outcome") == "complete"
	redirect := r.PostForm.Get("return") == "1"
	origin := validOrigin(r.PostForm.Get("origin"))
	res, err := c.cfg.Intents.Authenticate(r.Context(), id, secret, complete)
	if errors.Is(err, ErrUnexpectedState) && !redirect {
		// A second submit (a double click, a Cancel racing a button): the
		// intent already has its outcome, so let the modal close and learn it.
		c.done(w, id, origin, false, "This payment is no longer awaiting authentication.")
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if redirect && res.ReturnURL != "" {
		if u, err := returnURL(res.ReturnURL, id, secret, res.Succeeded); err == nil {
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Referrer-Policy", "no-referrer")
			http.Redirect(w, r, u, http.StatusSeeOther)
			return
		}
	}
	msg := "Authentication failed. You can close this window."
	if res.Succeeded {
		msg = "Authentication complete. You can close this window."
	}
	c.done(w, id, origin, res.Succeeded, msg)
}

func (c *challengePages) done(w http.ResponseWriter, id, origin string, ok bool, msg string) {
	v := c.view("Authentication")
	v.Challenge.IntentID = id
	v.Origin = origin
	v.Message = msg
	v.Succeeded = ok
	v.Script = c.assets.url("challenge-done.js")
	c.render(w, http.StatusOK, "challenge-done.html.tmpl", v,
		"default-src 'none'; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'")
}

// returnURL adds the outcome to the merchant's return_url as Stripe does.
func returnURL(base, id, secret string, ok bool) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errors.New("elements: unusable return_url")
	}
	q := u.Query()
	prefix := "payment_intent"
	if strings.HasPrefix(id, "seti_") {
		prefix = "setup_intent"
	}
	q.Set(prefix, id)
	q.Set(prefix+"_client_secret", secret)
	status := "failed"
	if ok {
		status = "succeeded"
	}
	q.Set("redirect_status", status)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (c *challengePages) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		c.problem(w, http.StatusNotFound, "This authentication request does not exist or has expired.")
	case errors.Is(err, ErrUnexpectedState):
		c.problem(w, http.StatusConflict, "This payment is no longer awaiting authentication.")
	default:
		c.cfg.Logger.Error("3ds challenge", "path", r.URL.Path, "err", err)
		c.problem(w, http.StatusInternalServerError, "Something went wrong. Please try again.")
	}
}

func (c *challengePages) problem(w http.ResponseWriter, status int, msg string) {
	v := c.view("Authentication")
	v.Message = msg
	c.render(w, status, "challenge-done.html.tmpl", v,
		"default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'")
}

func (c *challengePages) view(title string) challengeView {
	return challengeView{Title: title, CSS: c.assets.url("challenge.css")}
}

func (c *challengePages) render(w http.ResponseWriter, status int, name string, v challengeView, csp string) {
	var buf bytes.Buffer
	if err := challengeTemplates.ExecuteTemplate(&buf, name, v); err != nil {
		c.cfg.Logger.Error("render 3ds page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", csp)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// validOrigin returns s if it is an http(s) origin and nothing else, so the
// done page never posts to a made-up target.
func validOrigin(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func urlOrigin(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func brandName(b string) string {
	switch b {
	case "visa":
		return "Visa"
	case "mastercard":
		return "Mastercard"
	case "amex":
		return "American Express"
	case "discover":
		return "Discover"
	case "diners":
		return "Diners Club"
	case "jcb":
		return "JCB"
	case "unionpay":
		return "UnionPay"
	case "":
		return "Card"
	}
	return strings.ToUpper(b[:1]) + b[1:]
}
