// Package shop is an example merchant built on stripe-go and tender.js: a
// checkout page with the Payment Element in deferred mode, a server that
// decides the amount from its own cart, creates and confirms the
// PaymentIntent with the browser's ConfirmationToken, and a webhook handler
// that marks orders paid only when a signed payment_intent.succeeded
// arrives. Nothing in it is specific to Tender except the base URLs: point
// it at api.stripe.com and js.stripe.com and it runs on Stripe.
//
// State (sessions, orders) lives in memory; a real shop keeps it in a
// database, keyed the same way (orders by PaymentIntent id).
package shop

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v85"
)

// Config wires the shop to a Tender (or Stripe) account.
type Config struct {
	// TenderURL is the API base the server calls, e.g. http://127.0.0.1:12111.
	TenderURL string
	// PublicTenderURL is the origin browsers load tender.js from
	// (PublicTenderURL + "/v3"); it defaults to TenderURL.
	PublicTenderURL string
	SecretKey       string // sk_test_…, server side only
	PublishableKey  string // pk_test_…, given to the page
	// WebhookSecret is the whsec_… signing secret of the endpoint that
	// points at this shop's /webhook. Without it every webhook is refused.
	WebhookSecret string
	// Currency of the cart; default "usd".
	Currency string
	// RefusedBrands are card brands the shop's business rules refuse, read
	// from the ConfirmationToken's payment_method_preview before charging.
	// Nil means []string{"amex"}; an empty, non-nil slice refuses none.
	RefusedBrands []string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// HTTPClient is what stripe-go uses; default http.DefaultClient.
	HTTPClient *http.Client
}

// Shop is the merchant's web application.
type Shop struct {
	cfg      Config
	sc       *stripe.Client
	log      *slog.Logger
	sessions *sessions
	orders   *orders
	mux      *http.ServeMux
}

//go:embed templates
var templateFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{"money": formatMoney, "mul": func(a, b int64) int64 { return a * b }}).ParseFS(templateFS, "templates/*.html"))

// New returns the shop's HTTP handler: GET / (checkout), POST /session,
// POST /discount, POST /create-confirm-intent, POST /webhook, GET /orders.
func New(cfg Config) http.Handler { return newShop(cfg) }

func newShop(cfg Config) *Shop {
	if cfg.PublicTenderURL == "" {
		cfg.PublicTenderURL = cfg.TenderURL
	}
	cfg.TenderURL = strings.TrimRight(cfg.TenderURL, "/")
	cfg.PublicTenderURL = strings.TrimRight(cfg.PublicTenderURL, "/")
	if cfg.Currency == "" {
		cfg.Currency = "usd"
	}
	if cfg.RefusedBrands == nil {
		cfg.RefusedBrands = []string{"amex"}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.WebhookSecret == "" {
		cfg.Logger.Warn("shop: no webhook secret configured; every webhook will be refused and orders stay pending")
	}
	s := &Shop{
		cfg:      cfg,
		sc:       NewClient(cfg.TenderURL, cfg.SecretKey, cfg.HTTPClient),
		log:      cfg.Logger,
		sessions: newSessions(),
		orders:   newOrders(),
		mux:      http.NewServeMux(),
	}
	s.mux.HandleFunc("GET /{$}", s.checkoutPage)
	s.mux.HandleFunc("POST /session", s.startSession)
	s.mux.HandleFunc("POST /discount", s.applyDiscount)
	s.mux.HandleFunc("POST /create-confirm-intent", s.createConfirmIntent)
	s.mux.HandleFunc("POST /webhook", s.webhook)
	s.mux.HandleFunc("GET /orders", s.ordersPage)
	return s
}

func (s *Shop) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// NewClient is stripe-go pointed at baseURL (Tender's API origin).
func NewClient(baseURL, secretKey string, hc *http.Client) *stripe.Client {
	cfg := &stripe.BackendConfig{URL: stripe.String(strings.TrimRight(baseURL, "/"))}
	if hc != nil {
		cfg.HTTPClient = hc
	}
	return stripe.NewClient(secretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(cfg)))
}

// RegisterWebhook creates a webhook endpoint for url (this shop's /webhook)
// that receives the events the shop handles, and returns its id and
// whsec_… signing secret. The endpoint is created by stripe-go v85, so its
// events are rendered in v85's API version, the one webhook.ConstructEvent
// accepts.
func RegisterWebhook(ctx context.Context, sc *stripe.Client, url string) (id, secret string, err error) {
	we, err := sc.V1WebhookEndpoints.Create(ctx, &stripe.WebhookEndpointCreateParams{
		URL:           stripe.String(url),
		EnabledEvents: stripe.StringSlice(HandledEvents),
		Description:   stripe.String("Tender example shop"),
		APIVersion:    stripe.String(stripe.APIVersion),
	})
	if err != nil {
		return "", "", err
	}
	return we.ID, we.Secret, nil
}

// HandledEvents are the event types /webhook acts on.
var HandledEvents = []string{"payment_intent.succeeded", "payment_intent.payment_failed"}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// readJSON decodes a small JSON request body into v.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<10)).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid request body.")
		return false
	}
	return true
}

func (s *Shop) checkoutPage(w http.ResponseWriter, r *http.Request) {
	sess := s.sessions.get(w, r)
	data := map[string]any{
		"TenderURL":      s.cfg.PublicTenderURL,
		"PublishableKey": s.cfg.PublishableKey,
		"Email":          sess.Email(),
		"Cart":           s.cart(sess),
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := pages.ExecuteTemplate(w, "checkout.html", data); err != nil {
		s.log.Error("render checkout", "err", err)
	}
}

func requestContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), 30*time.Second)
}
