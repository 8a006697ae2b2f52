// Package api serves Stripe's HTTP API: routing, authentication,
// idempotency and one thin handler per endpoint. Decoding and the error
// envelope live in package wire; the rules live in package payments.
package api

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// Server is the /v1 API.
type Server struct {
	db           *store.DB
	svc          *payments.Service
	queue        *webhooks.Queue
	webhookRules webhooks.Rules
	// customerSessionTTL is how long a CustomerSession's secret works.
	customerSessionTTL time.Duration
	limiter            *limiter
	log                *slog.Logger
	// inflight holds the idempotency keys of requests this process is
	// executing, to answer 409 at once instead of queueing behind them.
	// Other nodes are kept out by a database lock (see ClaimIdempotencyKey).
	inflight sync.Map
	mux      *http.ServeMux
}

// Config is what the API server is made of.
type Config struct {
	DB           *store.DB
	Service      *payments.Service
	Queue        *webhooks.Queue
	WebhookRules webhooks.Rules
	// CustomerSessionTTL is how long a CustomerSession's secret works; zero
	// means 30 minutes.
	CustomerSessionTTL time.Duration
	// Limits are the rate limits; nil means DefaultLimits.
	Limits *Limits
	Logger *slog.Logger
}

// New returns the API server.
func New(c Config) *Server {
	limits := DefaultLimits
	if c.Limits != nil {
		limits = *c.Limits
	}
	s := &Server{db: c.DB, svc: c.Service, queue: c.Queue, webhookRules: c.WebhookRules, customerSessionTTL: c.CustomerSessionTTL,
		limiter: newLimiter(limits), log: c.Logger, mux: http.NewServeMux()}
	s.routes()
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// access says which keys may call an endpoint.
type access int

const (
	secretOnly access = iota
	publishableToo
	// publishableOnly is for the browser's own endpoints.
	publishableOnly
)

func (s *Server) routes() {
	s.handle("POST /v1/customers", secretOnly, s.write(s.createCustomer))
	s.handle("GET /v1/customers", secretOnly, s.read(listCustomers))
	s.handle("GET /v1/customers/{id}", secretOnly, s.read(getCustomer))
	s.handle("POST /v1/customers/{id}", secretOnly, s.write(s.updateCustomer))
	s.handle("DELETE /v1/customers/{id}", secretOnly, s.write(deleteCustomer))
	s.handle("GET /v1/customers/{customer}/payment_methods", secretOnly, s.read(listPaymentMethods))
	s.handle("GET /v1/customers/{customer}/payment_methods/{id}", secretOnly, s.read(getCustomerPaymentMethod))

	s.handle("POST /v1/payment_methods", publishableToo, s.write(s.createPaymentMethod))
	s.handle("GET /v1/payment_methods", secretOnly, s.read(listPaymentMethods))
	s.handle("GET /v1/payment_methods/{id}", secretOnly, s.read(getPaymentMethod))
	s.handle("POST /v1/payment_methods/{id}", secretOnly, s.write(updatePaymentMethod))
	s.handle("POST /v1/payment_methods/{id}/attach", secretOnly, s.write(s.attachPaymentMethod))
	s.handle("POST /v1/payment_methods/{id}/detach", secretOnly, s.write(detachPaymentMethod))

	s.handle("POST /v1/confirmation_tokens", publishableOnly, s.write(s.createConfirmationToken))
	s.handle("POST /v1/test_helpers/confirmation_tokens", secretOnly, s.write(s.createConfirmationToken))
	s.handle("GET /v1/confirmation_tokens/{id}", secretOnly, s.read(getConfirmationToken))

	s.handle("POST /v1/payment_intents", secretOnly, s.speculative(s.createPaymentIntent))
	s.handle("GET /v1/payment_intents", secretOnly, s.read(listPaymentIntents))
	s.handle("GET /v1/payment_intents/{id}", publishableToo, s.read(getPaymentIntent))
	s.handle("POST /v1/payment_intents/{id}", secretOnly, s.write(s.updatePaymentIntent))
	s.handle("POST /v1/payment_intents/{id}/confirm", publishableToo, s.write(s.confirmPaymentIntent))
	s.handle("POST /v1/payment_intents/{id}/capture", secretOnly, s.write(capturePaymentIntent))
	s.handle("POST /v1/payment_intents/{id}/cancel", secretOnly, s.write(cancelPaymentIntent))

	s.handle("POST /v1/setup_intents", secretOnly, s.write(s.createSetupIntent))
	s.handle("GET /v1/setup_intents", secretOnly, s.read(listSetupIntents))
	s.handle("GET /v1/setup_intents/{id}", publishableToo, s.read(getSetupIntent))
	s.handle("POST /v1/setup_intents/{id}", secretOnly, s.write(s.updateSetupIntent))
	s.handle("POST /v1/setup_intents/{id}/confirm", publishableToo, s.write(s.confirmSetupIntent))
	s.handle("POST /v1/setup_intents/{id}/cancel", secretOnly, s.write(cancelSetupIntent))

	s.handle("GET /v1/charges", secretOnly, s.read(listCharges))
	s.handle("GET /v1/charges/{id}", secretOnly, s.read(getCharge))
	s.handle("POST /v1/refunds", secretOnly, s.write(createRefund))
	s.handle("GET /v1/refunds", secretOnly, s.read(listRefunds))
	s.handle("GET /v1/refunds/{id}", secretOnly, s.read(getRefund))
	s.handle("POST /v1/refunds/{id}", secretOnly, s.write(updateRefund))
	s.handle("POST /v1/refunds/{id}/cancel", secretOnly, s.write(cancelRefund))

	s.handle("GET /v1/elements/sessions", publishableToo, s.read(s.elementsSession))

	s.handle("POST /v1/customer_sessions", secretOnly, s.write(s.createCustomerSession))
	s.handle("GET /v1/mandates/{id}", secretOnly, s.read(getMandate))
	s.handle("GET /v1/payment_method_configurations", secretOnly, s.read(listPaymentMethodConfigurations))
	s.handle("GET /v1/payment_method_configurations/{id}", secretOnly, s.read(getPaymentMethodConfiguration))
	s.handle("POST /v1/payment_method_configurations/{id}", secretOnly, s.write(updatePaymentMethodConfiguration))
	s.handle("POST /v1/elements/payment_methods/{id}/detach", publishableOnly, s.write(removeSavedPaymentMethod))
	s.handle("POST /v1/test_helpers/payment_methods/{id}/update_card", secretOnly, s.write(updateCard))

	s.handle("POST /v1/webhook_endpoints", secretOnly, s.write(s.createWebhookEndpoint))
	s.handle("GET /v1/webhook_endpoints", secretOnly, s.read(listWebhookEndpoints))
	s.handle("GET /v1/webhook_endpoints/{id}", secretOnly, s.read(getWebhookEndpoint))
	s.handle("POST /v1/webhook_endpoints/{id}", secretOnly, s.write(s.updateWebhookEndpoint))
	s.handle("DELETE /v1/webhook_endpoints/{id}", secretOnly, s.write(deleteWebhookEndpoint))
	s.handle("GET /v1/events", secretOnly, s.read(listEvents))
	s.handle("GET /v1/events/{id}", secretOnly, s.read(getEvent))
	s.handle("POST /v1/events/{id}/retry", secretOnly, s.write(s.retryEvent))
	s.handle("GET /v1/events/{id}/delivery_attempts", secretOnly, s.read(listAttempts))

	// Everything else is Stripe's "Unrecognized request URL".
	s.mux.Handle("/v1/", s.wrap(publishableToo, func(r *request) (int, any, error) {
		return 0, nil, unrecognized(r.Request)
	}))
}

func (s *Server) handle(pattern string, a access, h handler) {
	s.mux.Handle(pattern, s.wrap(a, h))
}
