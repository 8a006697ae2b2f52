package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/app"
	"github.com/tenderpay/tender/internal/payments"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	var cfg app.Config
	retryBase, err := envDuration("TENDER_WEBHOOK_RETRY_BASE", app.DefaultWebhookRetryBase)
	if err != nil {
		return err
	}
	maxAttempts, err := envInt("TENDER_WEBHOOK_MAX_ATTEMPTS", app.DefaultWebhookMaxAttempts)
	if err != nil {
		return err
	}
	fs.StringVar(&cfg.Addr, "addr", envString("TENDER_ADDR", app.DefaultAddr), "listen address (env TENDER_ADDR)")
	fs.StringVar(&cfg.DB, "db", envString("TENDER_DB", app.DefaultDB), "SQLite file or postgres:// URL (env TENDER_DB)")
	fs.StringVar(&cfg.SecretKey, "secret-key", envString("TENDER_SECRET_KEY", ""), "pin the default account's secret key (env TENDER_SECRET_KEY)")
	fs.StringVar(&cfg.PublishableKey, "publishable-key", envString("TENDER_PUBLISHABLE_KEY", ""), "pin its publishable key (env TENDER_PUBLISHABLE_KEY)")
	fs.StringVar(&cfg.PublicURL, "public-url", envString("TENDER_PUBLIC_URL", ""), "origin browsers use to reach Tender (default http://<addr>)")
	fs.DurationVar(&cfg.WebhookRetryBase, "webhook-retry-base", retryBase, "delay before the first webhook retry; each next one doubles")
	fs.IntVar(&cfg.WebhookMaxAttempts, "webhook-max-attempts", maxAttempts, "attempts per event and endpoint")
	timeout, err := envDuration("TENDER_WEBHOOK_TIMEOUT", app.DefaultWebhookTimeout)
	if err != nil {
		return err
	}
	fs.DurationVar(&cfg.WebhookTimeout, "webhook-timeout", timeout, "time a webhook receiver has to answer one delivery (env TENDER_WEBHOOK_TIMEOUT)")
	debit, err := envDuration("TENDER_DEBIT_DELAY", payments.DefaultDebitDelay)
	if err != nil {
		return err
	}
	debitLate, err := envDuration("TENDER_DEBIT_LATE_DELAY", payments.DefaultDebitLateDelay)
	if err != nil {
		return err
	}
	fs.DurationVar(&cfg.DebitDelay, "debit-delay", debit, "how long a bank debit stays processing before it settles (env TENDER_DEBIT_DELAY)")
	fs.DurationVar(&cfg.DebitLateDelay, "debit-late-delay", debitLate, "the same for the test accounts that settle late (env TENDER_DEBIT_LATE_DELAY)")
	fs.BoolVar(&cfg.WebhookDenyPrivate, "webhook-deny-private", envBool("TENDER_WEBHOOK_DENY_PRIVATE"), "refuse loopback and private-range webhook URLs")
	fs.StringVar(&cfg.SMTPURL, "smtp-url", envString("TENDER_SMTP_URL", ""), "SMTP server that emails dashboard receipts, smtp://user:pass@host:587?from=addr (env TENDER_SMTP_URL)")
	perKey := fs.Float64("rate-limit", 0, "requests per second one API key may make; 0 means no limit (env TENDER_RATE_LIMIT)")
	perIP := fs.Float64("rate-limit-ip", 0, "requests per second one client address may make; 0 means no limit (env TENDER_RATE_LIMIT_IP)")
	logLevel := fs.String("log-level", envString("TENDER_LOG_LEVEL", "info"), "debug, info, warn or error (env TENDER_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	limits := api.DefaultLimits
	limits.PerKey, limits.PerIP = *perKey, *perIP
	if v, err := envInt("TENDER_RATE_LIMIT", 0); err == nil && v > 0 && *perKey == 0 {
		limits.PerKey = float64(v)
	}
	if v, err := envInt("TENDER_RATE_LIMIT_IP", 0); err == nil && v > 0 && *perIP == 0 {
		limits.PerIP = float64(v)
	}
	cfg.RateLimits = &limits
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	a, err := app.Start(ctx, cfg)
	if err != nil {
		return err
	}
	printBanner(stdout, a)
	select {
	case <-ctx.Done():
	case <-a.Done():
	}
	cfg.Logger.Info("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Close(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	cfg.Logger.Info("stopped")
	return nil
}

func printBanner(w io.Writer, a *app.App) {
	var b strings.Builder
	fmt.Fprintf(&b, "Tender %s is ready.\n\n", version())
	fmt.Fprintf(&b, "  API base URL     %s\n", a.URL)
	fmt.Fprintf(&b, "  tender.js        %s/v3\n", a.PublicURL())
	fmt.Fprintf(&b, "  dashboard        %s/dashboard\n", a.PublicURL())
	fmt.Fprintf(&b, "  account          %s\n", a.Account)
	if a.Keys.Secret != "" {
		fmt.Fprintf(&b, "  secret key       %s\n", a.Keys.Secret)
	} else {
		fmt.Fprintf(&b, "  secret key       (printed when the account was created; pin one with --secret-key)\n")
	}
	fmt.Fprintf(&b, "  publishable key  %s\n", a.Keys.Publishable)
	if a.NewSetup {
		b.WriteString("\nThe default account was created now: keep the secret key, only its hash is stored.\n")
	}
	fmt.Fprint(w, b.String())
	if f, ok := w.(*os.File); ok {
		_ = f.Sync()
	}
}
