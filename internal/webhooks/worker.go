package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/riverqueue/river"
)

// DeliveryArgs is one event to deliver to one endpoint: a River job.
type DeliveryArgs struct {
	Account    string `json:"account"`
	Livemode   bool   `json:"livemode"`
	EventID    string `json:"event_id"`
	EndpointID string `json:"endpoint_id"`
}

// Kind names the job for River.
func (DeliveryArgs) Kind() string { return "webhook_delivery" }

// Delivery is what one attempt sends.
type Delivery struct {
	URL     string
	Secret  string
	Enabled bool
	// Body is the event rendered in the endpoint's API version.
	Body []byte
}

// Attempt is the record of one delivery attempt.
type Attempt struct {
	Account    string
	EventID    string
	EndpointID string
	Number     int
	At         time.Time
	StatusCode int // 0 when no response came
	Latency    time.Duration
	Succeeded  bool
	Error      string
	Response   string // an excerpt of the response body
}

// DeliveryStore is what the worker reads and writes.
type DeliveryStore interface {
	// LoadDelivery renders the event for the endpoint; payments.ErrNotFound
	// when either is gone.
	LoadDelivery(ctx context.Context, a DeliveryArgs) (Delivery, error)
	// RecordAttempt stores an attempt and the delivery's state after it.
	RecordAttempt(ctx context.Context, at Attempt, final bool) error
}

// Config tunes delivery.
type Config struct {
	RetryBase   time.Duration // delay before the first retry; each next one doubles
	MaxAttempts int
	Timeout     time.Duration // per attempt
	DenyPrivate bool          // refuse to connect to private addresses
	Logger      *slog.Logger
}

// Worker delivers webhooks.
type Worker struct {
	river.WorkerDefaults[DeliveryArgs]
	Store  DeliveryStore
	Config Config
	Client *http.Client
}

// NewWorker returns a worker with an HTTP client that never follows
// redirects (a 3xx is a failed delivery) and, when configured, refuses to
// dial private addresses even if DNS changed after the URL was checked.
func NewWorker(st DeliveryStore, cfg Config) *Worker {
	dialer := &net.Dialer{Timeout: cfg.Timeout}
	if cfg.DenyPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err == nil && IsPrivate(ap.Addr()) {
				return fmt.Errorf("refusing to deliver to private address %s", ap.Addr())
			}
			return nil
		}
	}
	return &Worker{Store: st, Config: cfg, Client: &http.Client{
		Timeout:       cfg.Timeout,
		Transport:     &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Timeout bounds one attempt, with room to record it.
func (w *Worker) Timeout(*river.Job[DeliveryArgs]) time.Duration {
	return w.Config.Timeout + 10*time.Second
}

// NextRetry waits RetryBase·2^(n−1) after the n-th failed attempt, with
// ±10% jitter so that a recovering receiver is not hit by every retry at once.
func (w *Worker) NextRetry(job *river.Job[DeliveryArgs]) time.Time {
	n := max(job.Attempt, 1)
	d := w.Config.RetryBase << min(n-1, 20)
	jitter := time.Duration((rand.Float64()*0.2 - 0.1) * float64(d))
	return time.Now().Add(d + jitter)
}

// Work makes one delivery attempt.
func (w *Worker) Work(ctx context.Context, job *river.Job[DeliveryArgs]) error {
	a := job.Args
	d, err := w.Store.LoadDelivery(ctx, a)
	if err != nil {
		if errors.Is(err, errGone) {
			return river.JobCancel(err)
		}
		return err
	}
	if !d.Enabled {
		return river.JobCancel(errors.New("endpoint disabled or deleted"))
	}
	at := Attempt{Account: a.Account, EventID: a.EventID, EndpointID: a.EndpointID, Number: job.Attempt, At: time.Now()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return river.JobCancel(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
	req.Header.Set("Stripe-Signature", Signature(d.Secret, at.At, d.Body))
	resp, err := w.Client.Do(req)
	at.Latency = time.Since(at.At)
	if err != nil {
		at.Error = err.Error()
	} else {
		excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		at.StatusCode = resp.StatusCode
		at.Response = string(excerpt)
		at.Succeeded = resp.StatusCode >= 200 && resp.StatusCode < 300
		if !at.Succeeded {
			at.Error = fmt.Sprintf("receiver answered %d", resp.StatusCode)
		}
	}
	final := at.Succeeded || job.Attempt >= job.MaxAttempts
	if err := w.Store.RecordAttempt(ctx, at, final); err != nil {
		return fmt.Errorf("record attempt: %w", err)
	}
	if !at.Succeeded {
		return errors.New(at.Error)
	}
	return nil
}

// errGone marks an event or endpoint that no longer exists.
var errGone = errors.New("webhook: event or endpoint gone")

// ErrGone is returned by LoadDelivery when there is nothing to deliver.
var ErrGone = errGone
