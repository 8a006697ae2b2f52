package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/tenderpay/tender/internal/apitest"
)

// hookReceiver records the event ids it is sent; it answers 503 until
// opened, so deliveries pile up.
type hookReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	open   bool
	counts map[string]int
	types  map[string]string
	// objects are the data.object ids the events were about.
	objects map[string]bool
	bodies  [][2]string
}

func newHookReceiver(t *testing.T, open bool) *hookReceiver {
	h := &hookReceiver{open: open, counts: map[string]int{}, types: map[string]string{}, objects: map[string]bool{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev struct {
			ID, Type string
			Data     struct {
				Object struct{ ID string }
			}
		}
		_ = json.Unmarshal(body, &ev)
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.open {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		h.counts[ev.ID]++
		h.types[ev.ID] = ev.Type
		h.objects[ev.Data.Object.ID] = true
		h.bodies = append(h.bodies, [2]string{string(body), r.Header.Get("Stripe-Signature")})
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookReceiver) setOpen(v bool) { h.mu.Lock(); h.open = v; h.mu.Unlock() }

func (h *hookReceiver) snapshot() (map[string]int, map[string]string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ty := map[string]int{}, map[string]string{}
	for k, v := range h.counts {
		c[k] = v
	}
	for k, v := range h.types {
		ty[k] = v
	}
	return c, ty
}

func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func createEndpoint(t *testing.T, sc *stripe.Client, url string) *stripe.WebhookEndpoint {
	t.Helper()
	ep, err := sc.V1WebhookEndpoints.Create(context.Background(), &stripe.WebhookEndpointCreateParams{
		URL: stripe.String(url), EnabledEvents: []*string{stripe.String("customer.created")}})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

// TestWebhooksSurviveKill9 leaves 100 deliveries pending, kills the server
// without warning, restarts it, and requires every event to arrive.
func TestWebhooksSurviveKill9(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		args := []string{"--addr", "127.0.0.1:0", "--db", dsn, "--secret-key", "sk_test_webhookcrash",
			"--webhook-retry-base", "300ms", "--webhook-timeout", "1s"}
		p := serveProc(t, dir, nil, args...)
		sc := p.client("sk_test_webhookcrash")
		rc := newHookReceiver(t, false)
		createEndpoint(t, sc, rc.URL)
		var ids []string
		for i := range 100 {
			c, err := sc.V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{Email: stripe.String(fmt.Sprintf("c%d@example.com", i))})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.wait(t)
		rc.setOpen(true)
		serveProc(t, dir, nil, args...)
		waitUntil(t, 90*time.Second, "100 customer.created deliveries after the restart", func() bool {
			counts, _ := rc.snapshot()
			return len(counts) >= 100
		})
		counts, types := rc.snapshot()
		for id, typ := range types {
			if typ != "customer.created" {
				t.Fatalf("event %s has type %s", id, typ)
			}
		}
		rc.mu.Lock()
		for _, id := range ids {
			if !rc.objects[id] {
				t.Errorf("customer.created for %s never arrived", id)
			}
		}
		rc.mu.Unlock()
		dups := 0
		for _, n := range counts {
			dups += n - 1
		}
		t.Logf("%d events delivered after kill -9 and restart (%d duplicates)", len(counts), dups)
	})
}

// TestTwoProcessesOnPostgres runs two servers on one PostgreSQL database:
// 200 events, each delivered exactly once.
func TestTwoProcessesOnPostgres(t *testing.T) {
	pg := os.Getenv("TENDER_TEST_POSTGRES_URL")
	if pg == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but TENDER_TEST_POSTGRES_URL is not set")
		}
		t.Skip("SKIPPING: TENDER_TEST_POSTGRES_URL is not set")
	}
	dsn := apitest.PostgresSchema(t, pg)
	args := []string{"--addr", "127.0.0.1:0", "--db", dsn, "--secret-key", "sk_test_twonodes", "--webhook-retry-base", "300ms"}
	a := serveProc(t, t.TempDir(), nil, args...)
	b := serveProc(t, t.TempDir(), nil, args...)
	rc := newHookReceiver(t, true)
	createEndpoint(t, a.client("sk_test_twonodes"), rc.URL)
	clients := []*stripe.Client{a.client("sk_test_twonodes"), b.client("sk_test_twonodes")}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if _, err := clients[(w+i)%2].V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	waitUntil(t, 60*time.Second, "200 deliveries", func() bool {
		counts, _ := rc.snapshot()
		return len(counts) >= 200
	})
	time.Sleep(2 * time.Second) // room for a duplicate to show up
	counts, _ := rc.snapshot()
	for id, n := range counts {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
	if len(counts) != 200 {
		t.Fatalf("%d events delivered, want 200", len(counts))
	}
}

// lineProc is a running command whose output lines are collected.
type lineProc struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
}

func startLines(t *testing.T, env []string, args ...string) *lineProc {
	t.Helper()
	lp := &lineProc{cmd: exec.Command(binary, args...)}
	lp.cmd.Env = append(os.Environ(), env...)
	out, err := lp.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	lp.cmd.Stderr = lp.cmd.Stdout
	if err := lp.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lp.mu.Lock()
			lp.lines = append(lp.lines, sc.Text())
			lp.mu.Unlock()
		}
	}()
	t.Cleanup(func() { _ = lp.cmd.Process.Kill(); _ = lp.cmd.Wait() })
	return lp
}

func (lp *lineProc) output() string {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	return strings.Join(lp.lines, "\n")
}

// TestListenAndTrigger runs `tender listen` and `tender trigger` end to
// end: every triggered event reaches the local URL, signed with the secret
// listen printed.
func TestListenAndTrigger(t *testing.T) {
	p := serveProc(t, t.TempDir(), nil, "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "l.db"), "--secret-key", "sk_test_listenkey")
	rc := newHookReceiver(t, true)
	env := []string{"TENDER_SECRET_KEY=sk_test_listenkey", "TENDER_URL=" + p.URL}
	lp := startLines(t, env, "listen", "--forward-to", rc.URL+"/webhook")
	var secret string
	waitUntil(t, 15*time.Second, "listen's signing secret", func() bool {
		for _, f := range strings.Fields(lp.output()) {
			if strings.HasPrefix(f, "whsec_") {
				secret = f
			}
		}
		return secret != ""
	})
	events := []string{"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.requires_action",
		"payment_intent.canceled", "setup_intent.succeeded", "customer.created", "charge.refunded"}
	for _, ev := range events {
		out, err := exec.Command(binary, append([]string{"trigger", ev}, "--api-key", "sk_test_listenkey", "--url", p.URL)...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Trigger succeeded") {
			t.Fatalf("trigger %s: %v\n%s", ev, err, out)
		}
	}
	waitUntil(t, 20*time.Second, "every triggered event forwarded", func() bool {
		_, types := rc.snapshot()
		seen := map[string]bool{}
		for _, ty := range types {
			seen[ty] = true
		}
		for _, ev := range events {
			if !seen[ev] {
				return false
			}
		}
		return true
	})
	rc.mu.Lock()
	bodies := append([][2]string(nil), rc.bodies...)
	rc.mu.Unlock()
	for _, b := range bodies {
		if _, err := webhook.ConstructEventWithOptions([]byte(b[0]), b[1], secret, webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true}); err != nil {
			t.Fatalf("forwarded event fails verification with listen's secret: %v", err)
		}
	}
	for _, ev := range events {
		if !strings.Contains(lp.output(), ev) {
			t.Errorf("listen printed no line for %s:\n%s", ev, lp.output())
		}
	}
	if !strings.Contains(lp.output(), "[200]") {
		t.Errorf("listen shows no forwarding status:\n%s", lp.output())
	}
	// An unknown event is refused with the list of supported ones.
	out, err := exec.Command(binary, "trigger", "nonsense.event", "--api-key", "sk_test_listenkey", "--url", p.URL).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "payment_intent.succeeded") {
		t.Fatalf("unknown trigger: %v %s", err, out)
	}
}
