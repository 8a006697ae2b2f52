// Package accounts holds Tender's accounts and their API keys: how keys are
// made, recognised, hashed for storage and masked for display.
package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
)

// DefaultAPIVersion is the version a new account renders objects in when a
// request names none: the newest train Tender speaks.
const DefaultAPIVersion = "2026-10-28.endive"

// Account owns objects and keys.
type Account struct {
	ID         string
	Name       string
	IsDefault  bool
	APIVersion string
	// FingerprintSecret keys the HMAC behind card fingerprints, so that one
	// account's fingerprints say nothing about another's cards.
	FingerprintSecret []byte
	Created           int64
	// Settings are the account's payment settings.
	Settings payments.Settings
}

// KeyKind says what a key may do.
type KeyKind string

const (
	Secret      KeyKind = "secret"
	Publishable KeyKind = "publishable"
)

// Key is what authentication resolves an API key to.
type Key struct {
	Account  string
	Livemode bool
	Kind     KeyKind
}

// Scope is the data wall the key opens.
func (k Key) Scope() payments.Scope {
	return payments.Scope{Account: k.Account, Livemode: k.Livemode}
}

// Keys is a freshly issued pair; the secret key is shown once, then only
// its hash is kept.
type Keys struct {
	Secret      string
	Publishable string
}

// New returns an account with a fresh id and fingerprint secret.
func New(name string, created int64) *Account {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return &Account{
		ID:                payments.NewID("acct"),
		Name:              name,
		APIVersion:        DefaultAPIVersion,
		FingerprintSecret: secret,
		Created:           created,
	}
}

// NewTestKeys issues a random test-mode key pair.
func NewTestKeys() Keys {
	return Keys{
		Secret:      "sk_test_" + payments.RandomString(40),
		Publishable: "pk_test_" + payments.RandomString(40),
	}
}

// Parse tells a key's kind and mode from its prefix. Only test-mode keys
// are issued; restricted keys are not supported.
func Parse(key string) (kind KeyKind, livemode bool, ok bool) {
	switch {
	case strings.HasPrefix(key, "sk_test_"):
		return Secret, false, true
	case strings.HasPrefix(key, "pk_test_"):
		return Publishable, false, true
	case strings.HasPrefix(key, "sk_live_"):
		return Secret, true, true
	case strings.HasPrefix(key, "pk_live_"):
		return Publishable, true, true
	}
	return "", false, false
}

// ValidatePinned checks a key given on the command line.
func ValidatePinned(key string, want KeyKind) error {
	kind, live, ok := Parse(key)
	if !ok || kind != want || live {
		prefix := "sk_test_"
		if want == Publishable {
			prefix = "pk_test_"
		}
		return fmt.Errorf("%s key must start with %s", want, prefix)
	}
	if len(key) < len(prefix(want))+8 {
		return fmt.Errorf("%s key is too short: use at least 8 characters after the prefix", want)
	}
	return nil
}

func prefix(k KeyKind) string {
	if k == Publishable {
		return "pk_test_"
	}
	return "sk_test_"
}

// Hash is how a key is stored and looked up. Keys are long random strings,
// so a plain SHA-256 resists guessing as well as a slow hash would.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Mask renders a key as Stripe does in errors: its prefix and last four.
func Mask(key string) string {
	p := key
	if i := strings.LastIndexByte(key, '_'); i >= 0 && i < len(key) {
		p = key[:i+1]
	} else {
		p = ""
	}
	if len(key)-len(p) <= 4 {
		return p + "****"
	}
	return p + "****" + key[len(key)-4:]
}

// Payments is the account as payment operations see it, in one mode.
func (a *Account) Payments(livemode bool) *payments.Account {
	return &payments.Account{Scope: payments.Scope{Account: a.ID, Livemode: livemode}, Name: a.Name, APIVersion: a.APIVersion,
		FingerprintSecret: a.FingerprintSecret, Settings: a.Settings}
}
