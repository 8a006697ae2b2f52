// Package api serves Stripe's HTTP API: routing, authentication,
// idempotency and one thin handler per endpoint. Decoding and the error
// envelope live in package wire; the rules live in package payments.
package api

import (
	"log/slog"
	"net/http"
	"sync"

	"github.com/tenderpay/tender/internal/store"
)

// Server is the /v1 API.
type Server struct {
	db  *store.DB
	log *slog.Logger
	// inflight holds the idempotency keys of requests this process is
	// executing, to answer 409 at once instead of queueing behind them.
	// Other nodes are kept out by a database lock (see TryLockIdempotencyKey).
	inflight sync.Map
	mux      *http.ServeMux
}

// New returns the API server over db.
func New(db *store.DB, log *slog.Logger) *Server {
	s := &Server{db: db, log: log, mux: http.NewServeMux()}
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
)

func (s *Server) routes() {
	s.handle("POST /v1/customers", secretOnly, s.write(createCustomer))
	s.handle("GET /v1/customers", secretOnly, s.read(listCustomers))
	s.handle("GET /v1/customers/{id}", secretOnly, s.read(getCustomer))
	s.handle("POST /v1/customers/{id}", secretOnly, s.write(updateCustomer))
	s.handle("DELETE /v1/customers/{id}", secretOnly, s.write(deleteCustomer))

	// Everything else is Stripe's "Unrecognized request URL".
	s.mux.Handle("/v1/", s.wrap(publishableToo, func(r *request) (int, any, error) {
		return 0, nil, unrecognized(r.Request)
	}))
}

func (s *Server) handle(pattern string, a access, h handler) {
	s.mux.Handle(pattern, s.wrap(a, h))
}
