// Package elements serves tender.js — the Stripe.js-shaped browser library —
// its iframe pages and assets, and the hosted 3D Secure challenge page. The
// protocol between these pages and the API is docs/browser-protocol.md.
package elements

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
)

// Config configures the handler.
type Config struct {
	// PublicURL is Tender's origin as browsers see it, for example
	// http://127.0.0.1:12111.
	PublicURL string
	// Intents is the server side of the hosted 3DS page. While it is nil
	// the challenge page answers 503.
	Intents Intents
	Logger  *slog.Logger
}

// Intents completes or fails the authentication of a PaymentIntent or
// SetupIntent on behalf of the hosted challenge page.
type Intents interface {
	// Challenge describes the intent awaiting authentication.
	Challenge(ctx context.Context, intentID, clientSecret string) (Challenge, error)
	// Authenticate completes (complete=true) or fails the authentication.
	Authenticate(ctx context.Context, intentID, clientSecret string, complete bool) (ChallengeResult, error)
}

// Challenge is what the challenge page shows.
type Challenge struct {
	IntentID     string
	Object       string // "payment_intent" or "setup_intent"
	Amount       int64  // minor units; zero for SetupIntents
	Currency     string
	MerchantName string
	Status       string
	Brand        string
	Last4        string
	ReturnURL    string
}

// ChallengeResult is the outcome of Authenticate.
type ChallengeResult struct {
	Succeeded bool
	Status    string
	ReturnURL string
}

var (
	// ErrNotFound is returned by Intents for an unknown intent or a wrong
	// client secret; the two are indistinguishable to the browser on purpose.
	ErrNotFound = errors.New("elements: intent not found")
	// ErrUnexpectedState is returned by Intents when the intent is not
	// awaiting authentication.
	ErrUnexpectedState = errors.New("elements: intent is not awaiting authentication")
)

// NewHandler serves GET /v3, /v3/ and everything under /v3/ (the library, its
// frame pages and assets), and /3ds/challenge/{id}.
func NewHandler(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	b := mustBuild()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v3", b.serveSDK)
	mux.HandleFunc("GET /v3/{$}", b.serveSDK)
	mux.HandleFunc("GET /v3/stripe.js", b.serveSDK)
	mux.HandleFunc("GET /v3/{name}", b.serveAsset)
	mux.HandleFunc("GET /v3/assets/{name}", b.serveAsset)
	c := &challengePages{cfg: cfg, assets: b}
	mux.HandleFunc("GET /3ds/challenge/{id}", c.show)
	mux.HandleFunc("POST /3ds/challenge/{id}", c.submit)
	return mux
}
