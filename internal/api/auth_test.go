package api_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/apitest"
	"github.com/tenderpay/tender/internal/store"
)

type accountKeys struct {
	ID, SecretKey, PublishableKey string
}

// newAccount adds an account to e's database the way `tender accounts
// create` does, while the server runs.
func newAccount(t *testing.T, e *apitest.Env) accountKeys {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, e.DSN, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys := accounts.NewTestKeys()
	var id string
	err = db.Update(ctx, func(tx *store.Tx) error {
		a := accounts.New("other", tx.Now().Unix())
		id = a.ID
		return tx.CreateAccount(ctx, a, keys)
	})
	if err != nil {
		t.Fatal(err)
	}
	return accountKeys{id, keys.Secret, keys.Publishable}
}

func TestAuthentication(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		// No key at all.
		r := e.Do("GET", "/v1/customers", "", "")
		assertErrorBody(t, r, 401, "invalid_request_error", "", "")
		if !strings.Contains(r.Body, "You did not provide an API key") {
			t.Fatalf("missing-key message: %s", r.Body)
		}
		// Unknown keys, masked in the message.
		for _, key := range []string{"sk_test_doesnotexist1234", "pk_test_doesnotexist1234", "garbage", "rk_test_xyz"} {
			r := e.Do("GET", "/v1/customers", key, "")
			assertErrorBody(t, r, 401, "invalid_request_error", "", "")
			if strings.Contains(r.Body, "doesnotexist") {
				t.Fatalf("key not masked: %s", r.Body)
			}
		}
		r = e.Do("GET", "/v1/customers", "sk_test_doesnotexist1234", "")
		if !strings.Contains(r.Body, "Invalid API Key provided: sk_test_****1234") {
			t.Fatalf("bad-key message: %s", r.Body)
		}
		// Malformed Authorization headers.
		for _, h := range []string{"Token abc", "Basic !!!", "Bearer"} {
			r := e.Do("GET", "/v1/customers", "", "", "Authorization", h)
			assertErrorBody(t, r, 401, "invalid_request_error", "", "")
		}
		// Basic auth with the key as the user name works.
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(apitest.SecretKey+":"))
		r = e.Do("GET", "/v1/customers", "", "", "Authorization", basic)
		if r.Status != 200 {
			t.Fatalf("basic auth: %d %s", r.Status, r.Body)
		}
		// A publishable key cannot use secret-key endpoints.
		_, err := e.NewClient(apitest.PublishableKey).V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{})
		assertStripeError(t, err, 401, stripe.ErrorTypeInvalidRequest, "secret_key_required", "")
		r = e.Do("GET", "/v1/customers?key="+apitest.PublishableKey, "", "")
		assertErrorBody(t, r, 401, "invalid_request_error", "secret_key_required", "")
		// Unknown URLs.
		r = e.Do("GET", "/v1/nothing_here", apitest.SecretKey, "")
		assertErrorBody(t, r, 404, "invalid_request_error", "", "")
		r = e.Do("PUT", "/v1/customers", apitest.SecretKey, "")
		assertErrorBody(t, r, 404, "invalid_request_error", "", "")
	})
}

func TestAccountsAreWalls(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		other := newAccount(t, e)
		oc := e.NewClient(other.SecretKey)
		mine, err := e.Client.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("mine@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := oc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("mine@example.com")})
		if err != nil {
			t.Fatalf("new account's key not accepted at once: %v", err)
		}
		// Neither sees the other's customer: every verb answers 404.
		_, err = oc.V1Customers.Retrieve(ctx, mine.ID, nil)
		assertStripeError(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id")
		_, err = oc.V1Customers.Update(ctx, mine.ID, &stripe.CustomerUpdateParams{Name: stripe.String("stolen")})
		assertStripeError(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id")
		_, err = oc.V1Customers.Delete(ctx, mine.ID, nil)
		assertStripeError(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id")
		_, err = e.Client.V1Customers.Retrieve(ctx, theirs.ID, nil)
		assertStripeError(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id")
		// Lists, filters and cursors stay inside the account.
		for c, err := range oc.V1Customers.List(ctx, &stripe.CustomerListParams{Email: stripe.String("mine@example.com")}).All(ctx) {
			if err != nil || c.ID != theirs.ID {
				t.Fatalf("other account listed %v %v", c, err)
			}
		}
		r := e.Do("GET", "/v1/customers?starting_after="+mine.ID, other.SecretKey, "")
		assertErrorBody(t, r, 404, "invalid_request_error", "resource_missing", "starting_after")
		// Mine is untouched.
		got, err := e.Client.V1Customers.Retrieve(ctx, mine.ID, nil)
		if err != nil || got.Name != "" {
			t.Fatalf("my customer after the other account's attempts: %+v %v", got, err)
		}
	})
}

func TestStripeVersions(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		for _, v := range []string{"2025-03-31.basil", "2025-08-27.basil", "2025-10-29.clover", "2026-02-25.clover",
			"2026-03-25.dahlia", "2026-10-28.endive", "2025-08-27.basil; some_beta=v1"} {
			r := e.Do("GET", "/v1/customers", apitest.SecretKey, "", "Stripe-Version", v)
			if r.Status != 200 {
				t.Fatalf("version %q refused: %d %s", v, r.Status, r.Body)
			}
		}
		r := e.Do("GET", "/v1/customers", apitest.SecretKey, "")
		if r.Header.Get("Stripe-Version") != accounts.DefaultAPIVersion {
			t.Fatalf("default version header %q", r.Header.Get("Stripe-Version"))
		}
		for _, v := range []string{"2020-08-27", "2024-06-20", "2026-13-45.dahlia", "2026-03-25.zebra", "latest"} {
			r := e.Do("GET", "/v1/customers", apitest.SecretKey, "", "Stripe-Version", v)
			assertErrorBody(t, r, 400, "invalid_request_error", "", "")
		}
	})
}
