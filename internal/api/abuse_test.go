package api_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/app"
)

// TestInvalidKeyFlood: guessing keys from one address is refused with
// Stripe's 429 rate_limit envelope before it reaches the database, and
// the address is blocked for everything until it cools down.
func TestInvalidKeyFlood(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		limited := 0
		for i := range 60 {
			r := e.Do("GET", "/v1/customers", fmt.Sprintf("sk_test_guess%04d", i), "")
			switch r.Status {
			case 401:
			case 429:
				assertErrorBody(t, r, 429, "invalid_request_error", "rate_limit", "")
				limited++
			default:
				t.Fatalf("guess %d: %d %s", i, r.Status, r.Body)
			}
		}
		if limited == 0 {
			t.Fatal("60 invalid keys in a row were never rate limited")
		}
		// While blocked, even a valid key from that address waits.
		if r := e.Do("GET", "/v1/customers", apitest.SecretKey, ""); r.Status != 429 {
			t.Fatalf("valid key from a blocked address: %d", r.Status)
		}
	})
}

// TestRateLimitPerKeyAndIP: a key over its rate gets 429 rate_limit while
// another account's key goes on; per address likewise.
func TestRateLimitPerKeyAndIP(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		other := newAccount(t, e)
		var ok, limited int
		for range 30 {
			switch r := e.Do("POST", "/v1/customers", apitest.SecretKey, "email=burst%40example.com"); r.Status {
			case 200:
				ok++
			case 429:
				assertErrorBody(t, r, 429, "invalid_request_error", "rate_limit", "")
				limited++
			default:
				t.Fatalf("%d %s", r.Status, r.Body)
			}
		}
		if limited == 0 || ok < 10 {
			t.Fatalf("per-key limit: %d ok, %d limited", ok, limited)
		}
		if r := e.Do("GET", "/v1/customers", other.SecretKey, ""); r.Status != 200 {
			t.Fatalf("another key was limited too: %d", r.Status)
		}
		// Nothing acknowledged was lost, nothing refused was written.
		r := e.Do("GET", "/v1/customers?limit=100&email=burst%40example.com", apitest.SecretKey, "")
		if n := strings.Count(r.Body, `"object":"customer"`); n != ok && r.Status != 429 {
			t.Fatalf("%d customers stored for %d acknowledged writes", n, ok)
		}
	}, func(c *app.Config) { c.RateLimits = &api.Limits{PerKey: 5, FailedAuthPerIP: 120} })

	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		other := newAccount(t, e)
		limited := 0
		for i := range 40 {
			key := apitest.SecretKey
			if i%2 == 1 {
				key = other.SecretKey
			}
			if r := e.Do("GET", "/v1/customers", key, ""); r.Status == 429 {
				limited++
			}
		}
		if limited == 0 {
			t.Fatal("the per-address limit never applied across keys")
		}
	}, func(c *app.Config) { c.RateLimits = &api.Limits{PerIP: 5, FailedAuthPerIP: 120} })
}

// TestSlowClients: a client that sends its request too slowly is cut off
// at the read timeout and holds nothing.
func TestSlowClients(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		for name, send := range map[string]func(net.Conn){
			"headers": func(c net.Conn) { io.WriteString(c, "POST /v1/customers HTTP/1.1\r\nHost: x\r\n") },
			"body": func(c net.Conn) {
				io.WriteString(c, "POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+apitest.SecretKey+
					"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=")
			},
		} {
			c, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			send(c)
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, _ = io.ReadAll(c) // returns when the server closes the connection
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("slow %s held the connection for %s", name, d)
			}
			c.Close()
		}
		if r := e.Do("GET", "/v1/customers", apitest.SecretKey, ""); r.Status != 200 || strings.Contains(r.Body, "cus_") {
			t.Fatalf("after slow clients: %d %s", r.Status, r.Body)
		}
	}, func(c *app.Config) { c.ReadTimeout = time.Second })
}

// TestManyIdempotencyKeys writes 10,000 customers with distinct keys:
// every one is acknowledged once and stored once.
func TestManyIdempotencyKeys(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		const n = 10000
		var next, failed atomic.Int64
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= n {
						return
					}
					r := e.Do("POST", "/v1/customers", apitest.SecretKey, "", "Idempotency-Key", fmt.Sprintf("key-%05d", i))
					if r.Status != 200 {
						failed.Add(1)
						t.Errorf("key %d: %d %s", i, r.Status, r.Body)
					}
				}
			}()
		}
		wg.Wait()
		// Replaying one of them changes nothing.
		r := e.Do("POST", "/v1/customers", apitest.SecretKey, "", "Idempotency-Key", "key-00042")
		if r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay of key-00042: %v", r.Header)
		}
		count := 0
		cursor := ""
		for {
			q := "/v1/customers?limit=100"
			if cursor != "" {
				q += "&starting_after=" + cursor
			}
			page := e.Do("GET", q, apitest.SecretKey, "")
			ids := strings.Split(page.Body, `"id":"cus_`)
			count += len(ids) - 1
			if !strings.Contains(page.Body, `"has_more":true`) {
				break
			}
			last := ids[len(ids)-1]
			cursor = "cus_" + last[:strings.Index(last, `"`)]
		}
		if count != n || failed.Load() != 0 {
			t.Fatalf("%d customers stored for %d keys (%d failed)", count, n, failed.Load())
		}
	})
}
