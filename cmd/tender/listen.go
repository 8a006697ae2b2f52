package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/webhooks"
)

// listen is the offline `stripe listen`: it follows the account's event log
// and forwards each new event, signed, to a local URL.
func listen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("listen", stderr)
	forward := fs.String("forward-to", "", "URL to forward events to (required)")
	events := fs.String("events", "", "comma-separated event types to forward (default all; \"payment_intent.*\" works)")
	key := fs.String("api-key", envString("TENDER_SECRET_KEY", ""), "secret key of the account to listen to (env TENDER_SECRET_KEY)")
	base := fs.String("url", envString("TENDER_URL", "http://"+defaultAddr()), "Tender's API base URL (env TENDER_URL)")
	interval := fs.Duration("poll", 250*time.Millisecond, "how often to look for new events")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *forward == "" || *key == "" {
		return fmt.Errorf("listen: --forward-to and --api-key (or TENDER_SECRET_KEY) are required")
	}
	if u, err := url.Parse(*forward); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("listen: --forward-to must be an http(s) URL")
	}
	var types []string
	if *events != "" {
		types = strings.Split(*events, ",")
	}
	l := &listener{base: strings.TrimRight(*base, "/"), key: *key, forward: *forward, types: types,
		secret: listenSecret(*key), http: &http.Client{Timeout: 10 * time.Second}, out: stdout}
	last, err := l.newest(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Ready! Your webhook signing secret is %s\nForwarding events to %s (Ctrl-C to stop)\n", l.secret, l.forward)
	t := time.NewTicker(*interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if last, err = l.forwardSince(ctx, last); err != nil && ctx.Err() == nil {
			fmt.Fprintf(stderr, "listen: %v\n", err)
		}
	}
}

// listenSecret is stable per API key, so a local app's configuration
// survives restarts of `tender listen`, as with `stripe listen`.
func listenSecret(key string) string {
	sum := sha256.Sum256([]byte("tender listen\x00" + key))
	s := new(big.Int).SetBytes(sum[:]).Text(62)
	for len(s) < 32 {
		s = "0" + s
	}
	return "whsec_" + s[:32]
}

type listener struct {
	base, key, forward, secret string
	types                      []string
	http                       *http.Client
	out                        io.Writer
}

type eventPage struct {
	Data    []json.RawMessage `json:"data"`
	HasMore bool              `json:"has_more"`
}

func (l *listener) list(ctx context.Context, query string) (*eventPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.base+"/v1/events?"+query, nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(l.key, "")
	resp, err := l.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET /v1/events: %d %s", resp.StatusCode, bytes.TrimSpace(body))
	}
	var p eventPage
	return &p, json.Unmarshal(body, &p)
}

// newest returns the id of the newest event, "" when there is none.
func (l *listener) newest(ctx context.Context) (string, error) {
	p, err := l.list(ctx, "limit=1")
	if err != nil {
		return "", err
	}
	if len(p.Data) == 0 {
		return "", nil
	}
	return idOf(p.Data[0]), nil
}

// forwardSince forwards the events newer than last, oldest first, and
// returns the newest id seen.
func (l *listener) forwardSince(ctx context.Context, last string) (string, error) {
	for {
		q := "limit=100"
		if last != "" {
			q += "&ending_before=" + url.QueryEscape(last)
		}
		p, err := l.list(ctx, q)
		if err != nil {
			return last, err
		}
		if last == "" && len(p.Data) > 0 {
			// The first events ever: the page is newest first from the top.
			p.HasMore = false
		}
		for i := len(p.Data) - 1; i >= 0; i-- {
			l.forwardOne(ctx, p.Data[i])
			last = idOf(p.Data[i])
		}
		if !p.HasMore {
			return last, nil
		}
	}
}

func (l *listener) forwardOne(ctx context.Context, raw json.RawMessage) {
	var ev struct{ ID, Type string }
	_ = json.Unmarshal(raw, &ev)
	if len(l.types) > 0 {
		ok := false
		for _, t := range l.types {
			ok = ok || webhooks.Match(strings.TrimSpace(t), ev.Type)
		}
		if !ok {
			return
		}
	}
	now := time.Now()
	status := "error"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.forward, bytes.NewReader(raw))
	if err == nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
		req.Header.Set("Stripe-Signature", webhooks.Signature(l.secret, now, raw))
		var resp *http.Response
		if resp, err = l.http.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			status = fmt.Sprintf("%d", resp.StatusCode)
		}
	}
	line := fmt.Sprintf("%s  %-40s %s  --> [%s] POST %s", now.Format("2006-01-02 15:04:05"), ev.Type, ev.ID, status, l.forward)
	if err != nil {
		line += "  (" + err.Error() + ")"
	}
	fmt.Fprintln(l.out, line)
}

func idOf(raw json.RawMessage) string {
	var v struct{ ID string }
	_ = json.Unmarshal(raw, &v)
	return v.ID
}
