package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/examples/checkout-go/shop"
	"github.com/tenderpay/tender/internal/app"
)

const (
	secretKey      = "sk_test_tender_e2e_secret"
	publishableKey = "pk_test_tender_e2e_publishable"
)

// tender is a real Tender on a SQLite file, restartable on the same file
// and port.
type tender struct {
	t   *testing.T
	cfg app.Config
	app *app.App
	URL string
	sc  *stripe.Client
}

func startTender(t *testing.T) *tender {
	t.Helper()
	tn := &tender{t: t, cfg: app.Config{
		Addr:           "127.0.0.1:0",
		DB:             filepath.Join(t.TempDir(), "tender.db"),
		SecretKey:      secretKey,
		PublishableKey: publishableKey,
		WebhookTimeout: 30 * time.Second, // the ordering test holds a delivery for a moment
		// A failed delivery (there should be none) is retried quickly.
		WebhookRetryBase: time.Second,
		Logger:           slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}}
	tn.start()
	tn.cfg.Addr = strings.TrimPrefix(tn.URL, "http://") // restarts reuse the port
	tn.sc = shop.NewClient(tn.URL, secretKey, nil)
	t.Cleanup(func() { tn.stop() })
	return tn
}

func (tn *tender) start() {
	tn.t.Helper()
	a, err := app.Start(context.Background(), tn.cfg)
	if err != nil {
		tn.t.Fatalf("start tender: %v", err)
	}
	tn.app, tn.URL = a, a.URL
}

func (tn *tender) stop() {
	if tn.app == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := tn.app.Close(ctx); err != nil {
		tn.t.Errorf("close tender: %v", err)
	}
	tn.app = nil
}

// restart stops Tender (draining it, as SIGTERM does) and starts it again
// on the same database file and port.
func (tn *tender) restart() {
	tn.t.Helper()
	tn.stop()
	tn.start()
}

// registerWebhook points a new webhook endpoint at url and returns its
// signing secret.
func (tn *tender) registerWebhook(url string) string {
	tn.t.Helper()
	_, secret, err := shop.RegisterWebhook(context.Background(), tn.sc, url)
	if err != nil {
		tn.t.Fatalf("register webhook endpoint: %v", err)
	}
	return secret
}

// goShop is examples/checkout-go's handler behind a gate that lets a test
// hold chosen requests.
type goShop struct {
	t     *testing.T
	URL   string
	gates *gates
}

func startGoShop(t *testing.T, tn *tender) *goShop {
	t.Helper()
	g := &gates{armed: map[string]*gate{}}
	var h http.Handler = http.NotFoundHandler()
	var mu sync.RWMutex
	srv := httptest.NewServer(g.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.RLock()
		defer mu.RUnlock()
		h.ServeHTTP(w, r)
	})))
	t.Cleanup(srv.Close)
	secret := tn.registerWebhook(srv.URL + "/webhook")
	mu.Lock()
	h = shop.New(shop.Config{
		TenderURL: tn.URL, SecretKey: secretKey, PublishableKey: publishableKey, WebhookSecret: secret,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	})
	mu.Unlock()
	return &goShop{t: t, URL: srv.URL, gates: g}
}

type order struct {
	PaymentIntent string `json:"payment_intent"`
	Email         string `json:"email"`
	Amount        int64  `json:"amount"`
	Card          string `json:"card"`
	Status        string `json:"status"`
	Detail        string `json:"detail"`
	PaidByEvent   string `json:"paid_by_event"`
}

// order returns the shop's order for a PaymentIntent as /orders reports it.
func (s *goShop) order(pi string) (order, bool) {
	s.t.Helper()
	resp, err := http.Get(s.URL + "/orders?format=json")
	if err != nil {
		s.t.Fatalf("GET /orders: %v", err)
	}
	defer resp.Body.Close()
	var out struct{ Orders []order }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		s.t.Fatalf("decode /orders: %v", err)
	}
	for _, o := range out.Orders {
		if o.PaymentIntent == pi {
			return o, true
		}
	}
	return order{}, false
}

// waitOrder polls /orders until pi's order has status.
func (s *goShop) waitOrder(pi, status string) order {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		o, ok := s.order(pi)
		if ok && o.Status == status {
			return o
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("order %s: want %s, have %+v (found %v)", pi, status, o, ok)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gates hold the next request to a path (whose body matches) until the
// test releases it.
type gates struct {
	mu    sync.Mutex
	armed map[string]*gate
}

type gate struct {
	match   func(body []byte) bool
	arrived chan []byte
	release chan struct{}
}

// hold arms a gate for the next request to path whose body satisfies match
// (nil: any).
func (g *gates) hold(path string, match func([]byte) bool) *gate {
	gt := &gate{match: match, arrived: make(chan []byte, 1), release: make(chan struct{})}
	g.mu.Lock()
	g.armed[path] = gt
	g.mu.Unlock()
	return gt
}

// wait returns the held request's body once it arrives.
func (gt *gate) wait(t *testing.T, what string) []byte {
	t.Helper()
	select {
	case b := <-gt.arrived:
		return b
	case <-time.After(20 * time.Second):
		t.Fatalf("%s never arrived", what)
		return nil
	}
}

func (gt *gate) open() { close(gt.release) }

func (g *gates) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		gt := g.armed[r.URL.Path]
		g.mu.Unlock()
		if gt != nil {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			g.mu.Lock()
			take := g.armed[r.URL.Path] == gt && (gt.match == nil || gt.match(body))
			if take {
				delete(g.armed, r.URL.Path)
			}
			g.mu.Unlock()
			if take {
				gt.arrived <- body
				select {
				case <-gt.release:
				case <-r.Context().Done():
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// testWriter sends logs to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
