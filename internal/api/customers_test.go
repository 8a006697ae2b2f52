package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

func TestCustomerLifecycle(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		sc := e.Client
		params := &stripe.CustomerCreateParams{
			Email:       stripe.String("ada@example.com"),
			Name:        stripe.String("Ada Lovelace"),
			Description: stripe.String("first customer"),
			Phone:       stripe.String("+15555550100"),
			Address: &stripe.AddressParams{
				Line1: stripe.String("1 Analytical Way"), City: stripe.String("London"),
				PostalCode: stripe.String("N1 9GU"), Country: stripe.String("GB"),
			},
			Shipping: &stripe.CustomerCreateShippingParams{
				Name:    stripe.String("Ada"),
				Address: &stripe.AddressParams{Line1: stripe.String("2 Engine St"), Country: stripe.String("GB")},
			},
			PreferredLocales: []*string{stripe.String("en"), stripe.String("fr")},
		}
		params.AddMetadata("order", "42")
		params.AddMetadata("gone", "soon")
		c, err := sc.V1Customers.Create(ctx, params)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if c.ID == "" || c.Email != "ada@example.com" || c.Name != "Ada Lovelace" || c.Address.City != "London" ||
			c.Shipping.Name != "Ada" || c.Metadata["order"] != "42" || c.Livemode || c.TaxExempt != "none" ||
			!slices.Equal(c.PreferredLocales, []string{"en", "fr"}) || c.InvoicePrefix == "" || c.NextInvoiceSequence != 1 {
			t.Fatalf("created customer has wrong fields: %+v", c)
		}

		got, err := sc.V1Customers.Retrieve(ctx, c.ID, nil)
		if err != nil {
			t.Fatalf("retrieve: %v", err)
		}
		if got.ID != c.ID || got.Email != c.Email || got.Created != c.Created {
			t.Fatalf("retrieved %+v, want %+v", got, c)
		}

		// Update: change one field, unset one metadata key, clear the shipping address.
		up := &stripe.CustomerUpdateParams{Name: stripe.String("Countess of Lovelace")}
		up.AddMetadata("gone", "")
		up.AddUnsetField(stripe.CustomerUpdateParamsUnsetFieldShipping)
		up.AddUnsetField(stripe.CustomerUpdateParamsUnsetFieldAddress)
		up.Description = stripe.String("")
		u, err := sc.V1Customers.Update(ctx, c.ID, up)
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		if u.Name != "Countess of Lovelace" || u.Email != "ada@example.com" || u.Shipping != nil || u.Address != nil || u.Description != "" {
			t.Fatalf("updated customer: %+v", u)
		}
		if _, ok := u.Metadata["gone"]; ok || u.Metadata["order"] != "42" {
			t.Fatalf("metadata after unsetting one key: %v", u.Metadata)
		}

		// metadata= clears every key.
		r := e.Do("POST", "/v1/customers/"+c.ID, apitest.SecretKey, "metadata=")
		var cleared struct{ Metadata map[string]string }
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &cleared) != nil || len(cleared.Metadata) != 0 || cleared.Metadata == nil {
			t.Fatalf("clearing metadata: %d %s", r.Status, r.Body)
		}

		d, err := sc.V1Customers.Delete(ctx, c.ID, nil)
		if err != nil {
			t.Fatalf("delete: %v", err)
		}
		if !d.Deleted || d.ID != c.ID {
			t.Fatalf("delete returned %+v", d)
		}
		_, err = sc.V1Customers.Retrieve(ctx, c.ID, nil)
		assertStripeError(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id")
		_, err = sc.V1Customers.Update(ctx, c.ID, &stripe.CustomerUpdateParams{Name: stripe.String("x")})
		assertStripeError(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id")
		_, err = sc.V1Customers.Delete(ctx, c.ID, nil)
		assertStripeError(t, err, 404, stripe.ErrorTypeInvalidRequest, "resource_missing", "id")
	})
}

func TestCustomerFieldsMatchStripeGo(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		r := e.Do("POST", "/v1/customers", apitest.SecretKey, "email=a@example.com&address[city]=Paris&shipping[name]=A&shipping[address][line1]=x")
		if r.Status != 200 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		apitest.AssertFields(t, []byte(r.Body), stripe.Customer{}, customerExceptions...)
		var c struct{ ID string }
		_ = json.Unmarshal([]byte(r.Body), &c)
		r = e.Do("GET", "/v1/customers/"+c.ID+"?expand[]=sources&expand[]=tax_ids&expand[]=subscriptions", apitest.SecretKey, "")
		if r.Status != 200 {
			t.Fatalf("retrieve expanded: %d %s", r.Status, r.Body)
		}
		apitest.AssertFields(t, []byte(r.Body), stripe.Customer{}, "deleted", "cash_balance", "invoice_credit_balance", "tax")
		r = e.Do("DELETE", "/v1/customers/"+c.ID, apitest.SecretKey, "")
		apitest.AssertFields(t, []byte(r.Body), stripe.Customer{}, deletedExceptions...)
	})
}

// customerExceptions are stripe.Customer fields Stripe sends only on
// request (includable with expand[]) or only on deleted customers.
var customerExceptions = []string{"deleted", "cash_balance", "invoice_credit_balance", "sources", "subscriptions", "tax", "tax_ids"}

// deletedExceptions is every field but id, object and deleted: what a
// delete returns.
var deletedExceptions = []string{"address", "balance", "business_name", "cash_balance", "created", "currency", "customer_account",
	"default_source", "delinquent", "description", "discount", "email", "individual_name", "invoice_credit_balance",
	"invoice_prefix", "invoice_settings", "livemode", "metadata", "name", "next_invoice_sequence", "phone",
	"preferred_locales", "shipping", "sources", "subscriptions", "tax", "tax_exempt", "tax_ids", "test_clock"}

func TestCustomerListPaging(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		const n = 250
		var ids []string
		for i := range n {
			p := &stripe.CustomerCreateParams{Email: stripe.String(fmt.Sprintf("c%03d@example.com", i))}
			if i%50 == 0 {
				p.Email = stripe.String("shared@example.com")
			}
			c, err := e.Client.V1Customers.Create(ctx, p)
			if err != nil {
				t.Fatalf("create %d: %v", i, err)
			}
			ids = append(ids, c.ID)
		}
		newestFirst := slices.Clone(ids)
		slices.Reverse(newestFirst)

		// Forward: starting_after pages, newest first.
		var forward []string
		for c, err := range e.Client.V1Customers.List(ctx, &stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(100)}}).All(ctx) {
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			forward = append(forward, c.ID)
		}
		if !slices.Equal(forward, newestFirst) {
			t.Fatalf("forward paging returned %d ids, not the %d customers newest first", len(forward), n)
		}

		// Backward: ending_before from the oldest, pages of 7.
		var backward []string
		lp := &stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(7), EndingBefore: stripe.String(ids[0])}}
		for c, err := range e.Client.V1Customers.List(ctx, lp).All(ctx) {
			if err != nil {
				t.Fatalf("list backwards: %v", err)
			}
			backward = append(backward, c.ID)
		}
		if !slices.Equal(backward, ids[1:]) {
			t.Fatalf("backward paging returned %d ids, want the %d newer than the oldest, oldest first", len(backward), n-1)
		}

		// Filters: email, and created.
		var shared int
		for c, err := range e.Client.V1Customers.List(ctx, &stripe.CustomerListParams{Email: stripe.String("shared@example.com")}).All(ctx) {
			if err != nil || c.Email != "shared@example.com" {
				t.Fatalf("email filter: %v %+v", err, c)
			}
			shared++
		}
		if shared != 5 {
			t.Fatalf("email filter found %d customers, want 5", shared)
		}
		r := e.Do("GET", "/v1/customers?limit=3&created[gt]=1", apitest.SecretKey, "")
		var page struct {
			Object  string
			Data    []struct{ ID string }
			HasMore bool `json:"has_more"`
			URL     string
		}
		if err := json.Unmarshal([]byte(r.Body), &page); err != nil || page.Object != "list" || len(page.Data) != 3 || !page.HasMore || page.URL != "/v1/customers" {
			t.Fatalf("created filter page: %d %s", r.Status, r.Body)
		}
		r = e.Do("GET", "/v1/customers?created[lt]=1", apitest.SecretKey, "")
		if err := json.Unmarshal([]byte(r.Body), &page); err != nil || len(page.Data) != 0 || page.HasMore {
			t.Fatalf("created[lt]=1 should match nothing: %s", r.Body)
		}

		// Expansion on lists needs the data. prefix.
		r = e.Do("GET", "/v1/customers?limit=1&expand[]=data.sources", apitest.SecretKey, "")
		if r.Status != 200 || !json.Valid([]byte(r.Body)) {
			t.Fatalf("data.sources expansion: %d %s", r.Status, r.Body)
		}
		apitest.AssertFields(t, mustFirst(t, r.Body), stripe.Customer{}, "deleted", "cash_balance", "invoice_credit_balance", "subscriptions", "tax", "tax_ids")
		r = e.Do("GET", "/v1/customers?expand[]=sources", apitest.SecretKey, "")
		assertErrorBody(t, r, 400, "invalid_request_error", "", "expand")

		// Bad limits and cursors.
		for _, q := range []string{"limit=0", "limit=101", "limit=-5"} {
			r := e.Do("GET", "/v1/customers?"+q, apitest.SecretKey, "")
			assertErrorBody(t, r, 400, "invalid_request_error", "", "limit")
		}
		r = e.Do("GET", "/v1/customers?limit=abc", apitest.SecretKey, "")
		assertErrorBody(t, r, 400, "invalid_request_error", "parameter_invalid_integer", "limit")
		r = e.Do("GET", "/v1/customers?starting_after=cus_missing", apitest.SecretKey, "")
		assertErrorBody(t, r, 404, "invalid_request_error", "resource_missing", "starting_after")
	})
}

func TestCustomerExpandAndValidation(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		p := &stripe.CustomerCreateParams{Email: stripe.String("x@example.com")}
		p.AddExpand("sources")
		p.AddExpand("invoice_settings.default_payment_method")
		c, err := e.Client.V1Customers.Create(ctx, p)
		if err != nil {
			t.Fatalf("create with expand: %v", err)
		}
		if c.Sources == nil || c.Sources.Data == nil || len(c.Sources.Data) != 0 {
			t.Fatalf("sources not expanded: %+v", c.Sources)
		}
		for _, tc := range []struct {
			body, code, param string
			status            int
		}{
			{"email=not-an-email", "email_invalid", "email", 400},
			{"expand[]=nonsense", "", "expand", 400},
			{"expand[]=invoice_settings.default_payment_method.customer.invoice_settings.default_payment_method.customer.invoice_settings.default_payment_method", "", "expand", 400},
			{"tax_exempt=sometimes", "", "tax_exempt", 400},
			{"balance=ten", "parameter_invalid_integer", "balance", 400},
			{"shipping[address][line1]=x", "parameter_missing", "shipping[name]", 400},
			{"bogus=1", "parameter_unknown", "bogus", 400},
			{"address[planet]=Mars", "parameter_unknown", "address[planet]", 400},
			{"invoice_settings[default_payment_method]=pm_123", "", "invoice_settings[default_payment_method]", 400},
			{"payment_method=pm_123", "resource_missing", "payment_method", 404},
			{"metadata[" + string(make([]byte, 0)) + "k]=" + longString(501), "", "metadata[k]", 400},
			{"invoice_prefix=lower", "", "invoice_prefix", 400},
		} {
			r := e.Do("POST", "/v1/customers", apitest.SecretKey, tc.body)
			assertErrorBody(t, r, tc.status, "invalid_request_error", tc.code, tc.param)
		}
		// Nothing half-written: only the first customer exists.
		n := 0
		for _, err := range e.Client.V1Customers.List(ctx, nil).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 1 {
			t.Fatalf("%d customers exist after rejected requests, want 1", n)
		}
	})
}

func longString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'v'
	}
	return string(b)
}

func mustFirst(t *testing.T, body string) []byte {
	t.Helper()
	var page struct{ Data []json.RawMessage }
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Data) == 0 {
		t.Fatalf("no first element in %s", body)
	}
	return page.Data[0]
}

// assertStripeError checks an error returned by stripe-go.
func assertStripeError(t *testing.T, err error, status int, typ stripe.ErrorType, code, param string) {
	t.Helper()
	var se *stripe.Error
	if !errors.As(err, &se) {
		t.Fatalf("want a *stripe.Error, got %T %v", err, err)
	}
	if se.HTTPStatusCode != status || se.Type != typ || string(se.Code) != code || se.Param != param {
		t.Fatalf("got %d %s code=%q param=%q (%s); want %d %s code=%q param=%q",
			se.HTTPStatusCode, se.Type, se.Code, se.Param, se.Msg, status, typ, code, param)
	}
	if se.RequestID == "" {
		t.Errorf("error has no request id")
	}
}

// assertErrorBody checks a raw error response.
func assertErrorBody(t *testing.T, r apitest.Response, status int, typ, code, param string) {
	t.Helper()
	var env struct {
		Error struct {
			Type, Code, Param, Message string
		}
	}
	if err := json.Unmarshal([]byte(r.Body), &env); err != nil {
		t.Fatalf("error body is not JSON (%d): %s", r.Status, r.Body)
	}
	if r.Status != status || env.Error.Type != typ || env.Error.Code != code || env.Error.Param != param || env.Error.Message == "" {
		t.Fatalf("got %d %+v; want %d type=%s code=%q param=%q", r.Status, env.Error, status, typ, code, param)
	}
	if r.Header.Get("Request-Id") == "" {
		t.Errorf("no Request-Id header")
	}
	if r.Status >= 400 && r.Header.Get("Stripe-Should-Retry") == "true" {
		t.Errorf("Stripe-Should-Retry: true on an error")
	}
	_ = http.StatusOK
}
