package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tenderpay/tender/internal/network"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/wire"
)

// End-to-end benchmarks: b.N create+confirm requests (the seed's call
// shape, each with its own Idempotency-Key) through a real in-process
// Tender over loopback HTTP. ns/op is wall time per request at the given
// concurrency, so at c=32 it is the inverse of throughput; req/s says it
// directly. Profile the server alone with
//
//	go test -run '^$' -bench CreateConfirmSQLite/c=32 -cpuprofile cpu.out ./internal/bench
//	go tool pprof -tagignore role=loadgen -top cpu.out

func benchLoad(b *testing.B, target Target, sc *Scenario) {
	for _, c := range []int{1, 32} {
		b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
			client := NewClient(c)
			defer client.CloseIdleConnections()
			// Warm the connections and the server's caches.
			if _, err := runLabelled(context.Background(), target, sc, LoadConfig{Concurrency: c, Requests: 2 * c, Client: client}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			res, err := runLabelled(context.Background(), target, sc, LoadConfig{Concurrency: c, Requests: b.N, Client: client})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if res.Errors > 0 {
				b.Fatalf("%d errors: %v", res.Errors, res.ErrorSamples)
			}
			b.ReportMetric(res.Throughput, "req/s")
			b.ReportMetric(float64(res.P50.Microseconds()), "p50-µs")
			b.ReportMetric(float64(res.P99.Microseconds()), "p99-µs")
		})
	}
}

func BenchmarkCreateConfirmSQLite(b *testing.B) {
	s := startServer(b, "")
	benchLoad(b, s.Target(), Seed())
}

func BenchmarkCreateConfirmPostgres(b *testing.B) {
	pg := os.Getenv("TENDER_TEST_POSTGRES_URL")
	if pg == "" {
		b.Skip("TENDER_TEST_POSTGRES_URL not set")
	}
	s := startServer(b, pg)
	benchLoad(b, s.Target(), Seed())
}

// BenchmarkBareHandler is the HTTP ceiling: the same requests to a handler
// that parses the form and returns a payment-sized body, storing nothing.
func BenchmarkBareHandler(b *testing.B) {
	bare, err := StartBare()
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	benchLoad(b, Target{URL: bare.URL, Key: "sk_test_bare"}, Plain())
}

// BenchmarkRetrieveIntent is GET /v1/payment_intents/{id}: authentication,
// one read and rendering, without a write — the rendering path seen from
// outside internal/api.
func BenchmarkRetrieveIntent(b *testing.B) {
	s := startServer(b, "")
	res, err := Run(context.Background(), s.Target(), Seed(), LoadConfig{Concurrency: 1, Requests: 1})
	if err != nil || res.Errors > 0 {
		b.Fatalf("create: %v %v", err, res)
	}
	body := get(b, s, "/v1/payment_intents?limit=1")
	id := jsonField(b, body, "data", "0", "id")
	sc := &Scenario{Name: "retrieve", next: func(int64) op {
		return op{kind: "retrieve", method: "GET", path: "/v1/payment_intents/" + id, check: intentStatus("succeeded", "retrieved")}
	}}
	benchLoad(b, s.Target(), sc)
}

// BenchmarkConfirmPath is the create+confirm domain operation and its
// storage, without HTTP: the form parsed and decoded as the API does, then
// CreatePaymentIntent with confirm=true in one store transaction. It does
// not write the idempotency row or the API's events, so it is a floor for
// the confirm path, not the whole request.
func BenchmarkConfirmPath(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "confirm.db")
	acct := defaultAccount(b, path)
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc := &payments.Service{Processor: network.NewSimulator(nil),
		ChallengeURL: func(id, secret string, redirect bool) string { return "http://127.0.0.1/3ds/" + id }}
	form := PaymentForm(2000, CardVisa)
	b.ReportAllocs()
	for b.Loop() {
		params, err := wire.ParseForm(form)
		if err != nil {
			b.Fatal(err)
		}
		var p payments.PaymentIntentCreateParams
		if err := params.Decode(&p); err != nil {
			b.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			pi, err := svc.CreatePaymentIntent(ctx, tx, acct, &p)
			if err == nil && pi.Status != "succeeded" {
				err = fmt.Errorf("status %s", pi.Status)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// defaultAccount bootstraps a Tender database at path (by starting and
// stopping a server on it) and returns its default account as the domain
// sees it.
func defaultAccount(b *testing.B, path string) *payments.Account {
	ctx := context.Background()
	s, err := StartServer(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	id := s.App.Account
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var a *payments.Account
	err = db.View(ctx, func(tx *store.Tx) error {
		got, err := tx.Account(ctx, id)
		if err != nil {
			return err
		}
		a = &payments.Account{Scope: payments.Scope{Account: got.ID}, Name: got.Name, APIVersion: got.APIVersion,
			FingerprintSecret: got.FingerprintSecret, Settings: got.Settings}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

func get(t testing.TB, s *Server, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+SecretKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v %s", path, resp.StatusCode, err, body)
	}
	return body
}

func jsonField(t testing.TB, body []byte, path ...string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, _ := strconv.Atoi(p)
			if i >= len(x) {
				t.Fatalf("no %v in %s", path, body)
			}
			v = x[i]
		}
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("no string at %v in %s", path, body)
	}
	return s
}
