// Package bankpage serves the simulated bank and provider pages that
// redirect-based payment methods (iDEAL, Bancontact, Klarna) send the
// customer to: plain HTML that works without JavaScript, with an Authorize
// and a Fail button, returning to the merchant's return_url.
package bankpage

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/tenderpay/tender/internal/network"
)

// Redirect describes the payment awaiting the customer.
type Redirect struct {
	IntentID     string
	MerchantName string
	Amount       int64
	Currency     string
	Type         string // ideal, bancontact or klarna
	Bank         string // for iDEAL
	ReturnURL    string
}

// Result is the outcome after the customer's answer.
type Result struct {
	Succeeded bool
	ReturnURL string
}

// Redirects is the payments domain as the page sees it; the intent's client
// secret authorises every call.
type Redirects interface {
	Describe(ctx context.Context, intentID, clientSecret string) (Redirect, error)
	Complete(ctx context.Context, intentID, clientSecret string, authorize bool) (Result, error)
}

// Errors Redirects returns.
var (
	ErrNotFound = errors.New("bankpage: no such payment")
	ErrAnswered = errors.New("bankpage: already answered")
)

// Config configures the pages.
type Config struct {
	Redirects Redirects
	Logger    *slog.Logger
}

//go:embed page.html.tmpl
var files embed.FS

var page = template.Must(template.New("page.html.tmpl").ParseFS(files, "page.html.tmpl"))

// New returns the handler for /bank/authorize/{id}.
func New(cfg Config) http.Handler {
	h := &handler{cfg: cfg}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bank/authorize/{id}", h.show)
	mux.HandleFunc("POST /bank/authorize/{id}", h.answer)
	return mux
}

type handler struct{ cfg Config }

type view struct {
	Redirect
	Title, Provider, Amount, Secret, Error string
}

var providers = map[string]string{"ideal": "iDEAL", "bancontact": "Bancontact", "klarna": "Klarna"}

func (h *handler) render(w http.ResponseWriter, status int, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https: http:; frame-ancestors 'none'")
	w.WriteHeader(status)
	if err := page.Execute(w, v); err != nil && h.cfg.Logger != nil {
		h.cfg.Logger.Warn("bank page", "err", err)
	}
}

func (h *handler) show(w http.ResponseWriter, r *http.Request) {
	secret := r.URL.Query().Get("client_secret")
	rd, err := h.cfg.Redirects.Describe(r.Context(), r.PathValue("id"), secret)
	if err != nil {
		h.fail(w, err)
		return
	}
	p := providers[rd.Type]
	h.render(w, http.StatusOK, view{Redirect: rd, Title: p + " test payment", Provider: p, Secret: secret,
		Amount: network.FormatAmount(rd.Amount, rd.Currency) + " " + strings.ToUpper(rd.Currency)})
}

func (h *handler) answer(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.render(w, http.StatusBadRequest, view{Title: "Bad request", Error: "The form could not be read."})
		return
	}
	id, secret := r.PathValue("id"), r.PostForm.Get("client_secret")
	res, err := h.cfg.Redirects.Complete(r.Context(), id, secret, r.PostForm.Get("outcome") == "authorize")
	if err != nil {
		h.fail(w, err)
		return
	}
	u, err := url.Parse(res.ReturnURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		h.render(w, http.StatusOK, view{Title: "Payment answered", Error: "Done. The merchant gave no page to return to."})
		return
	}
	q := u.Query()
	q.Set("payment_intent", id)
	q.Set("payment_intent_client_secret", secret)
	status := "failed"
	if res.Succeeded {
		status = "succeeded"
	}
	q.Set("redirect_status", status)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

func (h *handler) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		h.render(w, http.StatusNotFound, view{Title: "Payment not found", Error: "This payment does not exist or the link is wrong."})
	case errors.Is(err, ErrAnswered):
		h.render(w, http.StatusConflict, view{Title: "Already answered", Error: "This payment has already been authorized or refused."})
	default:
		if h.cfg.Logger != nil {
			h.cfg.Logger.Error("bank page", "err", err)
		}
		h.render(w, http.StatusInternalServerError, view{Title: "Error", Error: "Something went wrong on Tender's side."})
	}
}
