// Command checkout-go is an example merchant app on stripe-go and tender.js,
// pointed at Tender. Start Tender, then:
//
//	TENDER_SECRET_KEY=sk_test_… TENDER_PUBLISHABLE_KEY=pk_test_… go run ./examples/checkout-go
//
// and open http://127.0.0.1:4242. Without WEBHOOK_SECRET it registers its
// own webhook endpoint (http://ADDR/webhook) through the API and uses that
// endpoint's signing secret. `tender demo` runs Tender and this app together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tenderpay/tender/examples/checkout-go/shop"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "checkout-go:", err)
		os.Exit(1)
	}
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func run() error {
	var cfg shop.Config
	flag.StringVar(&cfg.TenderURL, "tender-url", env("TENDER_URL", "http://127.0.0.1:12111"), "Tender's API base URL (env TENDER_URL)")
	flag.StringVar(&cfg.PublicTenderURL, "public-tender-url", env("TENDER_PUBLIC_URL", ""), "origin browsers load tender.js from (env TENDER_PUBLIC_URL; default --tender-url)")
	flag.StringVar(&cfg.SecretKey, "secret-key", env("TENDER_SECRET_KEY", ""), "secret key (env TENDER_SECRET_KEY)")
	flag.StringVar(&cfg.PublishableKey, "publishable-key", env("TENDER_PUBLISHABLE_KEY", ""), "publishable key (env TENDER_PUBLISHABLE_KEY)")
	flag.StringVar(&cfg.WebhookSecret, "webhook-secret", env("WEBHOOK_SECRET", ""), "whsec_… of the endpoint pointing at /webhook (env WEBHOOK_SECRET; empty: register one)")
	addr := flag.String("addr", env("ADDR", "127.0.0.1:4242"), "listen address (env ADDR)")
	flag.Parse()
	if cfg.SecretKey == "" || cfg.PublishableKey == "" {
		return errors.New("set TENDER_SECRET_KEY and TENDER_PUBLISHABLE_KEY (tender serve prints them; pin them with --secret-key and --publishable-key)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if cfg.WebhookSecret == "" {
		id, secret, err := shop.RegisterWebhook(ctx, shop.NewClient(cfg.TenderURL, cfg.SecretKey, nil), url+"/webhook")
		if err != nil {
			return fmt.Errorf("register the webhook endpoint: %w", err)
		}
		slog.Info("registered webhook endpoint", "id", id, "url", url+"/webhook")
		cfg.WebhookSecret = secret
	}
	srv := &http.Server{Handler: shop.New(cfg), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Printf("checkout: %s/\norders:   %s/orders\n", url, url)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
