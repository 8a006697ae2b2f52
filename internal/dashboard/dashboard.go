// Package dashboard serves Tender's own dashboard under /dashboard:
// server-rendered pages (html/template, a little plain CSS and JavaScript)
// behind a login per account. Every page reads and writes through the same
// functions as the /v1 API — package payments for payments and customers,
// package webhooks for endpoints — each action in one transaction that also
// records the events it causes, so webhooks fire as they would for an API
// call. One file per page.
package dashboard

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// Config is what the dashboard is made of.
type Config struct {
	DB *store.DB
	// RecordEvents writes the events buffered in a transaction and enqueues
	// their webhook deliveries in it: the API server's RecordEvents.
	RecordEvents func(ctx context.Context, tx *store.Tx, src api.EventSource) error
	// Queue enqueues webhook deliveries inside a transaction (resend).
	Queue        Enqueuer
	WebhookRules webhooks.Rules
	Logger       *slog.Logger
	// PublicURL is the origin browsers use to reach Tender.
	PublicURL string
	// SMTPURL, when set, delivers receipts:
	// smtp://user:password@host:port?from=receipts@example.com.
	SMTPURL string
}

// Enqueuer schedules a webhook delivery inside a transaction.
type Enqueuer interface {
	Enqueue(ctx context.Context, tx *sql.Tx, a webhooks.DeliveryArgs) error
}

// Dashboard is the /dashboard handler.
type Dashboard struct {
	cfg     Config
	mux     *http.ServeMux
	limiter *limiter
	mailer  *mailer
	secure  bool // cookies only over HTTPS
}

// New returns the dashboard handler, to be mounted on "/dashboard" and
// "/dashboard/".
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	d := &Dashboard{cfg: cfg, mux: http.NewServeMux(), limiter: newLimiter(),
		secure: strings.HasPrefix(cfg.PublicURL, "https://")}
	if cfg.SMTPURL != "" {
		m, err := newMailer(cfg.SMTPURL)
		if err != nil {
			cfg.Logger.Error("dashboard: receipts will not be emailed", "err", err)
		} else {
			d.mailer = m
		}
	}
	d.routes()
	return d
}

func (d *Dashboard) routes() {
	d.mux.HandleFunc("GET /dashboard/static/{file}", d.static)
	d.mux.HandleFunc("GET /dashboard/login", d.loginPage)
	d.mux.HandleFunc("POST /dashboard/login", d.login)

	d.page("GET /dashboard", func(w http.ResponseWriter, r *http.Request, _ *visit) error {
		http.Redirect(w, r, "/dashboard/payments", http.StatusSeeOther)
		return nil
	})
	d.action("POST /dashboard/logout", d.logout)

	d.page("GET /dashboard/payments", d.paymentsList)
	d.page("GET /dashboard/payments/{id}", d.paymentDetail)
	d.action("POST /dashboard/payments/{id}/refund", d.refund)
	d.action("POST /dashboard/payments/{id}/capture", d.capture)
	d.action("POST /dashboard/payments/{id}/cancel", d.cancel)
	d.action("POST /dashboard/payments/{id}/receipt", d.sendReceipt)

	d.page("GET /dashboard/customers", d.customersList)
	d.page("GET /dashboard/customers/{id}", d.customerDetail)

	d.page("GET /dashboard/webhooks", d.webhooksList)
	d.action("POST /dashboard/webhooks", d.createEndpoint)
	d.page("GET /dashboard/webhooks/{id}", d.endpointDetail)
	d.action("POST /dashboard/webhooks/{id}/reveal", d.revealSecret)
	d.page("GET /dashboard/webhooks/{id}/reveal", d.backTo("/dashboard/webhooks/{id}"))
	d.action("POST /dashboard/webhooks/{id}/disable", d.disableEndpoint)
	d.action("POST /dashboard/webhooks/{id}/enable", d.enableEndpoint)
	d.action("POST /dashboard/webhooks/{id}/delete", d.deleteEndpoint)

	d.page("GET /dashboard/events", d.eventsList)
	d.page("GET /dashboard/events/{id}", d.eventDetail)
	d.action("POST /dashboard/events/{id}/resend", d.resendEvent)

	d.page("GET /dashboard/settings/payment-methods", d.paymentMethodSettings)
	d.action("POST /dashboard/settings/payment-methods", d.savePaymentMethodSettings)

	d.page("GET /dashboard/apikeys", d.apiKeys)
	d.action("POST /dashboard/apikeys/roll", d.rollSecretKey)
	d.page("GET /dashboard/apikeys/roll", d.backTo("/dashboard/apikeys"))

	d.page("GET /dashboard/receipts", d.receiptsList)
	d.page("GET /dashboard/receipts/{id}", d.receiptView)

	// Anything else: not found, but only after login, so that the
	// dashboard's shape is not readable without one.
	d.page("/dashboard/", func(w http.ResponseWriter, r *http.Request, v *visit) error {
		return errNotFound
	})
}

// backTo answers a reload of a page that only a form post shows (a
// revealed secret, a new key) with the page it came from.
func (d *Dashboard) backTo(path string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ *visit) error {
		http.Redirect(w, r, strings.ReplaceAll(path, "{id}", url.PathEscape(r.PathValue("id"))), http.StatusSeeOther)
		return nil
	}
}

// ServeHTTP serves the dashboard.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	d.mux.ServeHTTP(w, r)
}

// errNotFound renders the not-found page.
var errNotFound = errors.New("not found")
