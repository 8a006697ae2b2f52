// Package app assembles a running Tender: storage, the default account, the
// HTTP server and its graceful shutdown. cmd/tender and the tests both start
// Tender through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/tenderpay/tender/internal/accounts"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/bankpage"
	"github.com/tenderpay/tender/internal/dashboard"
	"github.com/tenderpay/tender/internal/elements"
	"github.com/tenderpay/tender/internal/network"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// Config is `tender serve`'s configuration.
type Config struct {
	Addr               string
	DB                 string
	SecretKey          string
	PublishableKey     string
	PublicURL          string
	Intents            elements.Intents // the hosted 3DS page's view of the payments domain
	WebhookRetryBase   time.Duration
	WebhookMaxAttempts int
	WebhookDenyPrivate bool
	Logger             *slog.Logger
	// WebhookTimeout bounds one delivery attempt.
	WebhookTimeout time.Duration
	// Now is the clock; nil means time.Now. Tests move it forward to expire
	// tokens and sessions without waiting.
	Now func() time.Time
	// RateLimits bound request rates; nil means api.DefaultLimits.
	RateLimits *api.Limits
	// ReadTimeout bounds reading a whole request, so that slow clients
	// cannot hold connections forever; zero means 30 seconds.
	ReadTimeout time.Duration
	// DebitDelay is how long a bank debit stays processing before the
	// simulated bank settles it; DebitLateDelay is for the test accounts
	// that settle "after at least three minutes".
	DebitDelay, DebitLateDelay time.Duration
	// CustomerSessionTTL is how long a CustomerSession's secret works; zero
	// means 30 minutes.
	CustomerSessionTTL time.Duration
	// ConfirmationTokenTTL is how long an unused ConfirmationToken lives;
	// zero means Stripe's 12 hours.
	ConfirmationTokenTTL time.Duration
	// SMTPURL, when set, is where the dashboard emails receipts.
	SMTPURL string
}

// Defaults as the command-line contract gives them.
const (
	DefaultAddr               = "127.0.0.1:12111"
	DefaultDB                 = "tender.db"
	DefaultWebhookRetryBase   = time.Minute
	DefaultWebhookMaxAttempts = 13
	DefaultWebhookTimeout     = 10 * time.Second
)

// App is a running Tender.
type App struct {
	cfg      Config
	db       *store.DB
	queue    *webhooks.Queue
	srv      *http.Server
	ln       net.Listener
	served   chan struct{} // closed when Serve returns
	serveErr error
	stopBg   context.CancelFunc
	bgDone   chan struct{}
	URL      string // the API base URL, for example http://127.0.0.1:12111
	Account  string // the default account's id
	Keys     accounts.Keys
	NewSetup bool // whether this start created the default account
}

// Start opens storage, ensures the default account exists, and starts
// serving on cfg.Addr. It returns once the server accepts connections.
func Start(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.DB == "" {
		cfg.DB = DefaultDB
	}
	if cfg.WebhookRetryBase <= 0 {
		cfg.WebhookRetryBase = DefaultWebhookRetryBase
	}
	if cfg.WebhookMaxAttempts <= 0 {
		cfg.WebhookMaxAttempts = DefaultWebhookMaxAttempts
	}
	if cfg.WebhookTimeout <= 0 {
		cfg.WebhookTimeout = DefaultWebhookTimeout
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if cfg.DebitDelay <= 0 {
		cfg.DebitDelay = payments.DefaultDebitDelay
	}
	if cfg.DebitLateDelay <= 0 {
		cfg.DebitLateDelay = payments.DefaultDebitLateDelay
	}
	if cfg.SecretKey != "" {
		if err := accounts.ValidatePinned(cfg.SecretKey, accounts.Secret); err != nil {
			return nil, fmt.Errorf("--secret-key: %w", err)
		}
	}
	if cfg.PublishableKey != "" {
		if err := accounts.ValidatePinned(cfg.PublishableKey, accounts.Publishable); err != nil {
			return nil, fmt.Errorf("--publishable-key: %w", err)
		}
	}
	db, err := store.Open(ctx, cfg.DB, store.Options{Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, db: db, served: make(chan struct{}), bgDone: make(chan struct{})}
	if err := a.bootstrap(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a.ln, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	a.URL = "http://" + a.ln.Addr().String()
	if a.cfg.PublicURL == "" {
		a.cfg.PublicURL = a.URL
	}
	a.cfg.PublicURL = strings.TrimRight(a.cfg.PublicURL, "/")

	mux := http.NewServeMux()
	settle := &settlements{db: db}
	svc := &payments.Service{
		Processor:      network.NewSimulator(nil),
		Settlements:    settle,
		DebitDelay:     cfg.DebitDelay,
		DebitLateDelay: cfg.DebitLateDelay,
		RedirectURL: func(id, secret string) string {
			return a.cfg.PublicURL + "/bank/authorize/" + id + "?client_secret=" + url.QueryEscape(secret)
		},
		ConfirmationTokenTTL: cfg.ConfirmationTokenTTL,
		ChallengeURL: func(id, secret string, redirect bool) string {
			u := a.cfg.PublicURL + "/3ds/challenge/" + id + "?client_secret=" + url.QueryEscape(secret)
			if redirect {
				u += "&return=1"
			}
			return u
		},
	}
	worker := webhooks.NewWorker(deliveries{db}, webhooks.Config{
		RetryBase: cfg.WebhookRetryBase, MaxAttempts: cfg.WebhookMaxAttempts, Timeout: cfg.WebhookTimeout,
		DenyPrivate: cfg.WebhookDenyPrivate, Logger: cfg.Logger,
	})
	a.queue, err = webhooks.NewQueue(ctx, db.Pool(), webhooks.QueueConfig{
		Postgres: db.Dialect() == store.Postgres, Worker: worker, PollInterval: 200 * time.Millisecond, Logger: cfg.Logger,
		Register: func(w *river.Workers) { river.AddWorker(w, &settleWorker{s: settle}) },
	})
	if err != nil {
		a.ln.Close()
		db.Close()
		return nil, err
	}
	apiServer := api.New(api.Config{DB: db, Service: svc, Queue: a.queue, Logger: cfg.Logger, CustomerSessionTTL: cfg.CustomerSessionTTL, Limits: cfg.RateLimits,
		WebhookRules: webhooks.Rules{DenyPrivate: cfg.WebhookDenyPrivate}})
	settle.queue, settle.svc, settle.api = a.queue, svc, apiServer
	mux.Handle("/bank/", bankpage.New(bankpage.Config{Redirects: &redirects{db: db, svc: svc, api: apiServer}, Logger: cfg.Logger}))
	intents := cfg.Intents
	if intents == nil {
		intents = &challenges{db: db, svc: svc, api: apiServer}
	}
	mux.Handle("/v1/", apiServer)
	browser := elements.NewHandler(elements.Config{PublicURL: a.cfg.PublicURL, Intents: intents, Logger: cfg.Logger})
	mux.Handle("/v3", browser)
	mux.Handle("/v3/", browser)
	mux.Handle("/3ds/", browser)
	dash := dashboard.New(dashboard.Config{DB: db, RecordEvents: apiServer.RecordEvents, Queue: a.queue, Logger: cfg.Logger,
		WebhookRules: webhooks.Rules{DenyPrivate: cfg.WebhookDenyPrivate}, PublicURL: a.cfg.PublicURL, SMTPURL: cfg.SMTPURL})
	mux.Handle("/dashboard", dash)
	mux.Handle("/dashboard/", dash)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	a.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: min(10*time.Second, cfg.ReadTimeout),
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.ReadTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	if err := a.queue.Start(context.WithoutCancel(ctx)); err != nil {
		a.ln.Close()
		db.Close()
		return nil, fmt.Errorf("start webhook delivery: %w", err)
	}
	go func() {
		a.serveErr = a.srv.Serve(a.ln)
		close(a.served)
	}()

	bg, stop := context.WithCancel(context.Background())
	a.stopBg = stop
	go a.housekeeping(bg)
	return a, nil
}

// PublicURL is the origin browsers use to reach Tender.
func (a *App) PublicURL() string { return a.cfg.PublicURL }

// DB is the app's store.
func (a *App) DB() *store.DB { return a.db }

// bootstrap creates the default account on first start and registers
// pinned keys with it.
func (a *App) bootstrap(ctx context.Context) error {
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.LockAccounts(ctx); err != nil {
			return err
		}
		acct, err := tx.DefaultAccount(ctx)
		if err == nil {
			a.Account = acct.ID
			for _, k := range []string{a.cfg.SecretKey, a.cfg.PublishableKey} {
				if k != "" {
					if err := tx.AddKey(ctx, acct.ID, k); err != nil {
						return fmt.Errorf("pin key: %w", err)
					}
				}
			}
			a.Keys = accounts.Keys{Secret: a.cfg.SecretKey, Publishable: a.cfg.PublishableKey}
			if a.Keys.Publishable == "" {
				a.Keys.Publishable, _ = tx.PublishableKey(ctx, acct.ID, false)
			}
			return nil
		}
		acct = accounts.New("Default", tx.Now().Unix())
		acct.IsDefault = true
		keys := accounts.NewTestKeys()
		if a.cfg.SecretKey != "" {
			keys.Secret = a.cfg.SecretKey
		}
		if a.cfg.PublishableKey != "" {
			keys.Publishable = a.cfg.PublishableKey
		}
		if err := tx.CreateAccount(ctx, acct, keys); err != nil {
			return err
		}
		a.Account, a.Keys, a.NewSetup = acct.ID, keys, true
		return nil
	})
}

// housekeeping prunes expired idempotency keys while the server runs.
func (a *App) housekeeping(ctx context.Context) {
	defer close(a.bgDone)
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.db.PruneIdempotency(ctx); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("prune idempotency keys", "err", err)
		} else if n > 0 {
			a.cfg.Logger.Info("pruned idempotency keys", "count", n)
		}
		if n, err := a.db.PruneEvents(ctx); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("prune events", "err", err)
		} else if n > 0 {
			a.cfg.Logger.Info("pruned events older than 30 days", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Done is closed when the server stops serving, by Close or by a
// listener failure.
func (a *App) Done() <-chan struct{} { return a.served }

// Close drains in-flight requests (until ctx ends), then closes storage.
func (a *App) Close(ctx context.Context) error {
	err := a.srv.Shutdown(ctx)
	err = errors.Join(err, a.queue.Stop(ctx))
	a.stopBg()
	<-a.bgDone
	<-a.served
	if a.serveErr != nil && !errors.Is(a.serveErr, http.ErrServerClosed) {
		err = errors.Join(err, a.serveErr)
	}
	return errors.Join(err, a.db.Close())
}
