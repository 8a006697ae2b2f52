package dashboard_test

import (
	"bufio"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/app"
)

// fakeSMTP is a minimal SMTP server that keeps what it receives; with
// reject it refuses every recipient.
type fakeSMTP struct {
	ln       net.Listener
	reject   bool
	mu       sync.Mutex
	messages []string
	rcpts    []string
}

func newFakeSMTP(t *testing.T, reject bool) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, reject: reject}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-fake")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT"):
			if f.reject {
				say("550 mailbox unavailable")
				continue
			}
			f.mu.Lock()
			f.rcpts = append(f.rcpts, strings.TrimSpace(line))
			f.mu.Unlock()
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.messages = append(f.messages, b.String())
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

// TestReceiptEmailed: with --smtp-url, "send receipt" emails the rendered
// HTML receipt and the outbox records it as sent; when the SMTP server
// refuses it, the outbox keeps it as failed with the server's answer.
func TestReceiptEmailed(t *testing.T) {
	t.Parallel()
	for _, reject := range []bool{false, true} {
		smtpd := newFakeSMTP(t, reject)
		env := sqlite(t, func(c *app.Config) {
			c.SMTPURL = "smtp://" + smtpd.ln.Addr().String() + "?from=shop@example.com"
		})
		pi := pay(t, env, 1999, "gbp", nil)
		c := newClient(t, env)
		token := c.login(apitest.SecretKey)
		c.post("/dashboard/payments/"+pi.ID+"/receipt", url.Values{"csrf": {token}, "email": {"buyer@example.com"}})
		page := c.get("/dashboard/payments/" + pi.ID)
		outbox := c.get("/dashboard/receipts")
		if reject {
			if !strings.Contains(page.Body, "SMTP server refused it") || !strings.Contains(outbox.Body, "Failed") {
				t.Errorf("a refused receipt is not reported:\n%s", outbox.Body)
			}
			continue
		}
		if !strings.Contains(page.Body, "Receipt sent to buyer@example.com.") || !strings.Contains(outbox.Body, "Sent") {
			t.Errorf("the sent receipt is not reported")
		}
		smtpd.mu.Lock()
		msgs, rcpts := smtpd.messages, smtpd.rcpts
		smtpd.mu.Unlock()
		if len(msgs) != 1 || len(rcpts) != 1 || !strings.Contains(rcpts[0], "buyer@example.com") {
			t.Fatalf("SMTP got %d messages to %v", len(msgs), rcpts)
		}
		for _, want := range []string{"From: shop@example.com", "To: buyer@example.com", "Subject: Your receipt from Default", "Content-Type: text/html", "£19.99 GBP", pi.ID} {
			if !strings.Contains(msgs[0], want) {
				t.Errorf("the email lacks %q:\n%s", want, msgs[0])
			}
		}
	}
}
