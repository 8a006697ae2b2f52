// Package apitest starts real Tender servers on loopback for black-box
// tests, on SQLite always and on PostgreSQL when TENDER_TEST_POSTGRES_URL is
// set. Under CI=true a missing PostgreSQL fails the run instead of skipping.
package apitest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/app"
	"github.com/tenderpay/tender/internal/payments"
)

// Fixed keys for the default account of every test server.
const (
	SecretKey      = "sk_test_tender_apitest_secret"
	PublishableKey = "pk_test_tender_apitest_publishable"
)

// Backend is a storage backend to run tests on.
type Backend struct {
	Name string
	// NewDSN returns a fresh, empty database for one test.
	NewDSN func(t testing.TB) string
}

// Backends returns SQLite, plus PostgreSQL when configured.
func Backends(t testing.TB) []Backend {
	t.Helper()
	bs := []Backend{{Name: "sqlite", NewDSN: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "tender.db")
	}}}
	pg := os.Getenv("TENDER_TEST_POSTGRES_URL")
	switch {
	case pg != "":
		bs = append(bs, Backend{Name: "postgres", NewDSN: func(t testing.TB) string { return PostgresSchema(t, pg) }})
	case os.Getenv("CI") == "true":
		t.Fatal("CI=true but TENDER_TEST_POSTGRES_URL is not set: the suite must run on PostgreSQL in CI")
	default:
		onceWarn.Do(func() {
			fmt.Fprintln(os.Stderr, "apitest: TENDER_TEST_POSTGRES_URL is not set; PostgreSQL runs are SKIPPED (set it to run them)")
		})
	}
	return bs
}

// PostgresSchema creates a schema of its own for one test in the database
// at base and returns a URL that uses it; the schema is dropped afterwards.
func PostgresSchema(t testing.TB, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer db.Close()
	schema := "t_" + strings.ToLower(payments.RandomString(12))
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// Env is a running Tender for one test.
type Env struct {
	T       testing.TB
	Backend string
	DSN     string
	App     *app.App
	URL     string
	// Client is stripe-go authenticated with the default account's secret key.
	Client *stripe.Client
	// Clock is the server's clock, which a test may move forward.
	Clock *Clock
}

// Clock is the wall clock plus an offset a test can advance.
type Clock struct{ offset atomic.Int64 }

// Now is the clock's time.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// Each runs fn once per backend, each with its own fresh server.
func Each(t *testing.T, fn func(t *testing.T, e *Env), options ...func(*app.Config)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, Start(t, b.Name, b.NewDSN(t), options...))
		})
	}
}

// Start runs Tender on dsn, listening on a free loopback port, until the
// test ends. Options adjust the configuration.
func Start(t testing.TB, backend, dsn string, options ...func(*app.Config)) *Env {
	t.Helper()
	ctx := context.Background()
	clock := &Clock{}
	cfg := app.Config{
		Now:            clock.Now,
		Addr:           "127.0.0.1:0",
		DB:             dsn,
		SecretKey:      SecretKey,
		PublishableKey: PublishableKey,
		Logger:         slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	for _, o := range options {
		o(&cfg)
	}
	a, err := app.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("start tender: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Close(ctx); err != nil {
			t.Errorf("close tender: %v", err)
		}
	})
	e := &Env{T: t, Backend: backend, DSN: dsn, App: a, URL: a.URL, Clock: clock}
	e.Client = e.NewClient(SecretKey)
	return e
}

// NewClient returns stripe-go pointed at this server with key, without
// network retries so that every response is seen as it was.
func (e *Env) NewClient(key string) *stripe.Client {
	return stripe.NewClient(key, stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL:               stripe.String(e.URL),
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
	})))
}

// Response is a raw HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Do sends a raw request. key is sent as Bearer auth when non-empty.
func (e *Env) Do(method, path, key, body string, header ...string) Response {
	e.T.Helper()
	req, err := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	if err != nil {
		e.T.Fatalf("new request: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.T.Fatalf("read body: %v", err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// testWriter sends server logs to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

var onceWarn sync.Once
