package e2e

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"
)

const nodeExample = "../node-express"

// requireNode skips loudly without node or the example's node_modules, and
// fails under CI=true (where .ci/run runs npm ci in examples/node-express).
func requireNode(t *testing.T) {
	t.Helper()
	_, nodeErr := exec.LookPath("node")
	var modErr error
	for _, m := range []string{"stripe", "express"} {
		if _, err := os.Stat(filepath.Join(nodeExample, "node_modules", m)); err != nil {
			modErr = err
		}
	}
	if nodeErr == nil && modErr == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but node or examples/node-express/node_modules is missing (npm ci in examples/node-express): %v %v", nodeErr, modErr)
	}
	fmt.Fprintf(os.Stderr, "\n*** %s: SKIPPED — node or examples/node-express/node_modules missing; run `npm ci` in examples/node-express (%v %v) ***\n\n", t.Name(), nodeErr, modErr)
	t.Skipf("node or examples/node-express/node_modules missing: %v %v", nodeErr, modErr)
}

// lockedBuffer collects a subprocess's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitOutput waits until the output contains s.
func (l *lockedBuffer) waitOutput(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(l.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("waited for %q in the Node example's output:\n%s", s, l.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startNodeShop runs examples/node-express with `node server.js`, its
// webhook endpoint registered with Tender.
func startNodeShop(t *testing.T, tn *tender) (string, *lockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	secret := tn.registerWebhook(url + "/webhook")

	out := &lockedBuffer{}
	cmd := exec.Command("node", "server.js")
	cmd.Dir = nodeExample
	cmd.Env = append(os.Environ(),
		"TENDER_URL="+tn.URL, "TENDER_SECRET_KEY="+secretKey, "TENDER_PUBLISHABLE_KEY="+publishableKey,
		"WEBHOOK_SECRET="+secret, fmt.Sprintf("PORT=%d", port))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start node: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		t.Logf("node-express output:\n%s", out.String())
	})
	out.waitOutput(t, fmt.Sprintf("Running on port %d", port))
	return url, out
}

// TestNodeExpressCheckout drives examples/node-express (the seed's Express
// code on stripe-node, run by node) in Chromium.
func TestNodeExpressCheckout(t *testing.T) {
	browser.Require(t)
	requireNode(t)
	tn := startTender(t)
	url, out := startNodeShop(t, tn)

	visit := func(t *testing.T) *tab {
		tb := newTab(t)
		tb.open(url + "/")
		tb.waitState("ready")
		tb.waitStableFrame()
		return tb
	}
	pay := func(tb *tab) string {
		tb.clickPage("#submit")
		return tb.waitState("succeeded", "failed")
	}
	// latest returns the newest PaymentIntent.
	latest := func(t *testing.T) *stripe.PaymentIntent {
		p := &stripe.PaymentIntentListParams{}
		p.Limit = stripe.Int64(1)
		for pi, err := range tn.sc.V1PaymentIntents.List(ctx, p).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			return pi
		}
		t.Fatal("no PaymentIntent")
		return nil
	}

	t.Run("success", func(t *testing.T) {
		tb := visit(t)
		tb.screenshot("node-checkout")
		tb.fillCard("4242424242424242")
		if st := pay(tb); st != "succeeded" {
			t.Fatalf("state %s, message %q", st, tb.text("#message"))
		}
		if msg := tb.text("#message"); msg != "Payment succeeded. Thank you!" {
			t.Fatalf("message %q", msg)
		}
		tb.screenshot("node-success")
		pi := latest(t)
		if pi.Status != "succeeded" || pi.Amount != 1099 {
			t.Fatalf("PaymentIntent %s: %s %d", pi.ID, pi.Status, pi.Amount)
		}
		// stripe-node's constructEvent verified the signed webhook.
		out.waitOutput(t, "PaymentIntent "+pi.ID+" succeeded")
	})

	t.Run("decline", func(t *testing.T) {
		tb := visit(t)
		tb.fillCard("4000000000000002")
		if st := pay(tb); st != "failed" {
			t.Fatalf("state %s", st)
		}
		if msg := tb.text("#message"); msg != "Your card was declined." {
			t.Fatalf("message %q, want Stripe's %q", msg, "Your card was declined.")
		}
		tb.screenshot("node-decline")
		pi := latest(t)
		if pi.Status != "requires_payment_method" || pi.LastPaymentError == nil || pi.LastPaymentError.DeclineCode != "generic_decline" {
			t.Fatalf("PaymentIntent %+v", pi)
		}
	})

	t.Run("3ds_complete", func(t *testing.T) {
		tb := visit(t)
		tb.fillCard("4000000000003220")
		tb.clickPage("#submit")
		tb.challenge("complete")
		if st := tb.waitState("succeeded", "failed"); st != "succeeded" {
			t.Fatalf("state %s, message %q", st, tb.text("#message"))
		}
		tb.screenshot("node-3ds-success")
		pi := latest(t)
		if pi.Status != "succeeded" {
			t.Fatalf("PaymentIntent %s: %s", pi.ID, pi.Status)
		}
		out.waitOutput(t, "PaymentIntent "+pi.ID+" succeeded")
	})
}
