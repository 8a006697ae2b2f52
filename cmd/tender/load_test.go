package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// payOnce sends the seed's create+confirm with an idempotency key and
// reports the intent id on a 2xx.
func payOnce(base, key, idem string) (string, int, error) {
	form := url.Values{"amount": {"1099"}, "currency": {"usd"}, "confirm": {"true"}, "payment_method": {"pm_card_visa"},
		"automatic_payment_methods[enabled]": {"true"}, "automatic_payment_methods[allow_redirects]": {"never"}}
	req, _ := http.NewRequest("POST", base+"/v1/payment_intents", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Idempotency-Key", idem)
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	i := strings.Index(string(b), `"id":"pi_`)
	if resp.StatusCode != 200 || i < 0 {
		return "", resp.StatusCode, fmt.Errorf("%d %s", resp.StatusCode, b)
	}
	id := string(b[i+6:])
	return id[:strings.Index(id, `"`)], 200, nil
}

// TestCrashDuringLoad kills the server three times while clients pay, then
// checks that every acknowledged payment exists with one charge and its
// events, that retrying each unacknowledged request with its key completes
// exactly once, and that every event reaches the webhook receiver.
// TENDER_TEST_CRASH_ROUND sets how many requests each round makes at least
// before its kill (10 by default; the README's run used 2,000).
func TestCrashDuringLoad(t *testing.T) {
	perRound := 10
	if v, err := strconv.Atoi(os.Getenv("TENDER_TEST_CRASH_ROUND")); err == nil && v > 0 {
		perRound = v
	}
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		key := "sk_test_crashload"
		args := []string{"--addr", "127.0.0.1:0", "--db", dsn, "--secret-key", key, "--webhook-retry-base", "300ms", "--webhook-timeout", "1s"}
		p := serveProc(t, dir, nil, args...)
		rc := newHookReceiver(t, true)
		if _, err := p.client(key).V1WebhookEndpoints.Create(context.Background(), &stripe.WebhookEndpointCreateParams{
			URL: stripe.String(rc.URL), EnabledEvents: []*string{stripe.String("payment_intent.succeeded")}}); err != nil {
			t.Fatal(err)
		}
		var (
			mu      sync.Mutex
			acked   = map[string]string{} // idempotency key → intent
			unacked []string
			base    = p.URL
			n       int
		)
		for round := range 3 {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						idem := fmt.Sprintf("r%d-w%d-%d", round, w, i)
						id, _, err := payOnce(base, key, idem)
						mu.Lock()
						if err == nil {
							acked[idem] = id
						} else {
							unacked = append(unacked, idem)
						}
						n++
						mu.Unlock()
						if err != nil {
							return // the server is down
						}
					}
				}()
			}
			waitUntil(t, 30*time.Second, "some payments in this round", func() bool {
				mu.Lock()
				defer mu.Unlock()
				return n >= perRound*(round+1)
			})
			_ = p.cmd.Process.Signal(syscall.SIGKILL)
			_ = p.wait(t)
			close(stop)
			wg.Wait()
			p = serveProc(t, dir, nil, args...)
			base = p.URL
		}
		// Retry every unacknowledged request with its key: exactly once.
		for _, idem := range unacked {
			id, status, err := payOnce(base, key, idem)
			if err != nil {
				t.Fatalf("retry of %s: %d %v", idem, status, err)
			}
			if prev, ok := acked[idem]; ok && prev != id {
				t.Fatalf("retry of %s made a second intent", idem)
			}
			acked[idem] = id
		}
		if len(acked) < 20 {
			t.Fatalf("only %d payments; the test needs more load", len(acked))
		}
		sc := p.client(key)
		ctx := context.Background()
		intents := map[string]bool{}
		for pi, err := range sc.V1PaymentIntents.List(ctx, &stripe.PaymentIntentListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(100)}}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			intents[pi.ID] = true
			if pi.Status != "succeeded" {
				t.Errorf("%s is %s", pi.ID, pi.Status)
			}
		}
		charges := map[string]int{}
		for ch, err := range sc.V1Charges.List(ctx, &stripe.ChargeListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(100)}}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			charges[ch.PaymentIntent.ID]++
		}
		for idem, id := range acked {
			if !intents[id] {
				t.Fatalf("acknowledged %s (%s) is missing", id, idem)
			}
		}
		if len(intents) != len(acked) {
			t.Fatalf("%d intents stored for %d distinct requests", len(intents), len(acked))
		}
		for id := range intents {
			if charges[id] != 1 {
				t.Fatalf("%s has %d charges", id, charges[id])
			}
		}
		events := 0
		for _, err := range sc.V1Events.List(ctx, &stripe.EventListParams{Type: stripe.String("payment_intent.succeeded")}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			events++
		}
		if events != len(intents) {
			t.Fatalf("%d payment_intent.succeeded events for %d intents", events, len(intents))
		}
		waitUntil(t, 120*time.Second, "every event at the receiver", func() bool {
			counts, _ := rc.snapshot()
			return len(counts) >= events
		})
		t.Logf("%d requests, %d payments, %d retried after kills; all consistent, all %d events delivered", n, len(intents), len(unacked), events)
	})
}

// TestScaleOutOnPostgres runs three servers on one PostgreSQL database with
// clients spread across them, reports the throughput, and races confirms
// of one intent across the servers: one charge.
func TestScaleOutOnPostgres(t *testing.T) {
	pg := os.Getenv("TENDER_TEST_POSTGRES_URL")
	if pg == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but TENDER_TEST_POSTGRES_URL is not set")
		}
		t.Skip("SKIPPING: TENDER_TEST_POSTGRES_URL is not set")
	}
	dsn := apitest.PostgresSchema(t, pg)
	key := "sk_test_scaleout"
	var nodes []*proc
	for range 3 {
		nodes = append(nodes, serveProc(t, t.TempDir(), nil, "--addr", "127.0.0.1:0", "--db", dsn, "--secret-key", key))
	}
	var ok, failed sync.Map
	var wg sync.WaitGroup
	start := time.Now()
	for w := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				node := nodes[(w+i)%3]
				if _, _, err := payOnce(node.URL, key, fmt.Sprintf("s-%d-%d", w, i)); err != nil {
					failed.Store(w*1000+i, err)
				} else {
					ok.Store(w*1000+i, true)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	count := 0
	ok.Range(func(any, any) bool { count++; return true })
	failed.Range(func(k, v any) bool { t.Errorf("request %v: %v", k, v); return true })
	t.Logf("3 nodes, 12 clients: %d create+confirm in %s = %.0f/s", count, elapsed.Round(time.Millisecond), float64(count)/elapsed.Seconds())

	// Concurrent confirms of one intent, spread over the three nodes.
	ctx := context.Background()
	pi, err := nodes[0].client(key).V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(5000), Currency: stripe.String("usd"),
		PaymentMethod: stripe.String("pm_card_visa"), AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true), AllowRedirects: stripe.String("never")}})
	if err != nil {
		t.Fatal(err)
	}
	var succeeded sync.Map
	var cw sync.WaitGroup
	for i := range 30 {
		cw.Add(1)
		go func() {
			defer cw.Done()
			if _, err := nodes[i%3].client(key).V1PaymentIntents.Confirm(ctx, pi.ID, nil); err == nil {
				succeeded.Store(i, true)
			}
		}()
	}
	cw.Wait()
	wins, charges := 0, 0
	succeeded.Range(func(any, any) bool { wins++; return true })
	for _, err := range nodes[1].client(key).V1Charges.List(ctx, &stripe.ChargeListParams{PaymentIntent: stripe.String(pi.ID)}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		charges++
	}
	if wins != 1 || charges != 1 {
		t.Fatalf("concurrent confirms across nodes: %d successes, %d charges", wins, charges)
	}
}
