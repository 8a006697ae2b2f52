package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tenderpay/tender/examples/checkout-go/shop"
	"github.com/tenderpay/tender/internal/app"
)

// The demo's pinned keys: a throwaway database, so nothing to keep secret.
const (
	demoSecretKey      = "sk_test_tender_demo_secret"
	demoPublishableKey = "pk_test_tender_demo_publishable"
)

// demo runs Tender on a temporary SQLite database and the Go example shop
// (examples/checkout-go) wired to it, with the shop's webhook endpoint
// registered. The checkout URL is the first line on stdout.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	addr := fs.String("addr", app.DefaultAddr, "Tender's listen address (a free port if the default is taken)")
	shopAddr := fs.String("shop-addr", "127.0.0.1:4242", "the example shop's listen address (a free port if the default is taken)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("demo: unexpected argument %q", fs.Arg(0))
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })

	dir, err := os.MkdirTemp("", "tender-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := app.Config{Addr: *addr, DB: filepath.Join(dir, "tender.db"), SecretKey: demoSecretKey, PublishableKey: demoPublishableKey, Logger: quiet}
	a, err := app.Start(ctx, cfg)
	var opErr *net.OpError
	if err != nil && !explicit["addr"] && errors.As(err, &opErr) {
		cfg.Addr = "127.0.0.1:0"
		a, err = app.Start(ctx, cfg)
	}
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.Close(closeCtx)
	}()

	ln, err := net.Listen("tcp", *shopAddr)
	if err != nil && !explicit["shop-addr"] {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return fmt.Errorf("shop: %w", err)
	}
	shopURL := "http://" + ln.Addr().String()
	endpoint, secret, err := shop.RegisterWebhook(ctx, shop.NewClient(a.URL, demoSecretKey, nil), shopURL+"/webhook")
	if err != nil {
		ln.Close()
		return fmt.Errorf("register the shop's webhook endpoint: %w", err)
	}
	srv := &http.Server{
		Handler: shop.New(shop.Config{
			TenderURL: a.URL, PublicTenderURL: a.PublicURL(), SecretKey: demoSecretKey, PublishableKey: demoPublishableKey,
			WebhookSecret: secret, Logger: slog.New(slog.NewTextHandler(stderr, nil)),
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintf(stdout, "%s/\n", shopURL)
	fmt.Fprintf(stdout, `
Tender demo: open the checkout above in a browser.

  checkout          %[1]s/
  orders            %[1]s/orders      (paid only when the signed webhook arrives)
  Tender API        %[2]s
  dashboard         %[3]s/dashboard   (log in with the secret key)
  secret key        %[4]s
  publishable key   %[5]s
  webhook endpoint  %[6]s -> %[1]s/webhook

Test cards (any future expiry date; any CVC, four digits for American Express):
  4242 4242 4242 4242   succeeds
  4000 0000 0000 0002   is declined
  4000 0000 0000 3220   asks for 3D Secure
  3782 822463 10005     American Express, refused by the shop's business rule
Discount code: TENDER10. Everything lives in a temporary database, removed on exit.
Press Ctrl-C to stop.
`, shopURL, a.URL, a.PublicURL(), demoSecretKey, demoPublishableKey, endpoint)
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}

	select {
	case <-ctx.Done():
	case <-a.Done():
		err = errors.New("tender stopped")
	case err = <-served:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
