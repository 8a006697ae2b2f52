package api

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/wire"
)

const (
	msgNoKey = "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."
	msgPK    = "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
)

// authenticate resolves the request's API key: Bearer or Basic
// authorization, or (for browser endpoints, as Stripe.js sends it) a `key`
// parameter.
func (s *Server) authenticate(r *request, a access) (accounts.Key, error) {
	k, acct, err := s.lookupKey(r)
	if err != nil {
		return k, err
	}
	if k.Kind == accounts.Publishable && a == secretOnly {
		return k, unauthorized("secret_key_required", msgPK)
	}
	if k.Kind == accounts.Secret && a == publishableOnly {
		return k, unauthorized("", "This API call must be made with a publishable key: it is the browser's. Server code creates test ConfirmationTokens with POST /v1/test_helpers/confirmation_tokens.")
	}
	r.acct = acct.Payments(k.Livemode)
	r.acct.Publishable = k.Kind == accounts.Publishable
	return k, nil
}

func (s *Server) lookupKey(r *request) (accounts.Key, *accounts.Account, error) {
	key, err := presentedKey(r)
	if err != nil {
		return accounts.Key{}, nil, err
	}
	if key == "" {
		return accounts.Key{}, nil, unauthorized("", msgNoKey)
	}
	if _, _, ok := accounts.Parse(key); !ok {
		return accounts.Key{}, nil, invalidKey(key)
	}
	k, acct, err := s.db.LookupKey(r.Context(), key)
	if errors.Is(err, payments.ErrNotFound) {
		return k, nil, invalidKey(key)
	}
	return k, acct, err
}

func presentedKey(r *request) (string, error) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		// Stripe.js authenticates with a key parameter rather than a header.
		if v, ok := r.params["key"].(string); ok {
			delete(r.params, "key")
			return v, nil
		}
		return "", nil
	}
	scheme, cred, _ := strings.Cut(h, " ")
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "bearer":
		return cred, nil
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return "", unauthorized("", "Invalid API Key provided: the Basic authorization header is not valid base64.")
		}
		user, _, _ := strings.Cut(string(raw), ":")
		return user, nil
	}
	return "", unauthorized("", "Invalid API Key provided: use Bearer or Basic authorization.")
}

func invalidKey(key string) error {
	return unauthorized("", "Invalid API Key provided: "+accounts.Mask(key))
}

func unauthorized(code, msg string) error {
	return &wire.Error{Status: http.StatusUnauthorized, Type: wire.TypeInvalidRequest, Code: code, Message: msg, DocURL: wire.DocURL(code)}
}
