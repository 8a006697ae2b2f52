package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// TestMalformedRequestsNever500 sends broken requests of every kind and
// requires a Stripe error envelope with a 4xx status for each.
func TestMalformedRequestsNever500(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		huge := "description=" + strings.Repeat("x", 2<<20)
		deep := "address" + strings.Repeat("[a]", 12) + "=1"
		many := strings.Repeat("metadata[k]=v&", 1500)
		cases := []struct {
			name, method, path, body string
			header                   []string
			status                   int
		}{
			{"unbalanced bracket", "POST", "/v1/customers", "address[city=Paris", nil, 400},
			{"stray close bracket", "POST", "/v1/customers", "address]city=Paris", nil, 400},
			{"empty root name", "POST", "/v1/customers", "[city]=Paris", nil, 400},
			{"scalar and object", "POST", "/v1/customers", "address=1&address[city]=x", nil, 400},
			{"bad percent escape", "POST", "/v1/customers", "email=%zz", nil, 400},
			{"invalid utf-8 value", "POST", "/v1/customers", "name=%ff%fe", nil, 400},
			{"invalid utf-8 key", "POST", "/v1/customers", "na%ffme=x", nil, 400},
			{"nul byte", "POST", "/v1/customers", "name=a%00b", nil, 400},
			{"invalid utf-8 in query", "GET", "/v1/customers?email=%ff", "", nil, 400},
			{"object for a string", "POST", "/v1/customers", "email[x]=1", nil, 400},
			{"string for an object", "POST", "/v1/customers", "address=Paris", nil, 400},
			{"string for an array", "POST", "/v1/customers", "preferred_locales=en", nil, 400},
			{"non-index array key", "POST", "/v1/customers", "preferred_locales[x]=en", nil, 400},
			{"bad integer", "POST", "/v1/customers", "balance=1.5", nil, 400},
			{"bad boolean", "POST", "/v1/customers", "validate=yes", nil, 400},
			{"unknown parameter", "POST", "/v1/customers", "favourite_colour=blue", nil, 400},
			{"unknown nested parameter", "POST", "/v1/customers", "invoice_settings[colour]=blue", nil, 400},
			{"unknown query parameter", "GET", "/v1/customers?colour=blue", "", nil, 400},
			{"too deep", "POST", "/v1/customers", deep, nil, 400},
			{"too many parameters", "POST", "/v1/customers", many, nil, 400},
			{"huge body", "POST", "/v1/customers", huge, nil, 413},
			{"json body", "POST", "/v1/customers", `{"email":"a@b.co"}`, []string{"Content-Type", "application/json"}, 400},
			{"multipart body", "POST", "/v1/customers", "--x\r\n\r\n", []string{"Content-Type", "multipart/form-data; boundary=x"}, 400},
			{"bad content type", "POST", "/v1/customers", "email=a@b.co", []string{"Content-Type", "text/plain;;"}, 400},
			{"bad created range", "GET", "/v1/customers?created[between]=1", "", nil, 400},
			{"created not a number", "GET", "/v1/customers?created=yesterday", "", nil, 400},
			{"both cursors", "GET", "/v1/customers?starting_after=a&ending_before=b", "", nil, 400},
			{"expand not a list", "GET", "/v1/customers?expand[x][y]=1", "", nil, 400},
			{"metadata object value", "POST", "/v1/customers", "metadata[a][b]=1", nil, 400},
			{"oversized metadata key", "POST", "/v1/customers", "metadata[" + strings.Repeat("k", 41) + "]=v", nil, 400},
		}
		for _, tc := range cases {
			header := append([]string{"Idempotency-Key", "k-" + tc.name}, tc.header...)
			r := e.Do(tc.method, tc.path, apitest.SecretKey, tc.body, header...)
			var env struct {
				Error struct{ Type, Message string }
			}
			if r.Status != tc.status || json.Unmarshal([]byte(r.Body), &env) != nil || env.Error.Type != "invalid_request_error" || env.Error.Message == "" {
				t.Errorf("%s: got %d %.300s; want %d with an invalid_request_error envelope", tc.name, r.Status, r.Body, tc.status)
			}
		}
		// Nothing was stored by any of them.
		r := e.Do("GET", "/v1/customers", apitest.SecretKey, "")
		if !strings.Contains(r.Body, `"data":[]`) {
			t.Fatalf("rejected requests left data behind: %s", r.Body)
		}
	})
}

// TestEveryStripeGoParameterAccepted sends each parameter the newest
// stripe-go can send to the customer endpoints, unset (the empty string),
// and requires that none is refused as unknown.
func TestEveryStripeGoParameterAccepted(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		c := e.Do("POST", "/v1/customers", apitest.SecretKey, "")
		var cus struct{ ID string }
		_ = json.Unmarshal([]byte(c.Body), &cus)
		for _, tc := range []struct {
			method, path string
			params       any
		}{
			{"POST", "/v1/customers", stripe.CustomerCreateParams{}},
			{"POST", "/v1/customers/" + cus.ID, stripe.CustomerUpdateParams{}},
			{"GET", "/v1/customers/" + cus.ID, stripe.CustomerRetrieveParams{}},
			{"GET", "/v1/customers", stripe.CustomerListParams{}},
		} {
			for _, name := range formNames(reflect.TypeOf(tc.params)) {
				path, body := tc.path, name+"="
				if tc.method == "GET" {
					path, body = path+"?"+body, ""
				}
				r := e.Do(tc.method, path, apitest.SecretKey, body)
				if r.Status != http.StatusOK {
					t.Errorf("%s %s with %s=: %d %s", tc.method, tc.path, name, r.Status, r.Body)
				}
			}
		}
	})
}

// formNames lists the top-level form parameter names of a stripe-go
// params struct, looking through `form:"*"` embedded structs.
func formNames(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		switch {
		case tag == "*":
			out = append(out, formNames(f.Type)...)
		case tag != "" && tag != "-":
			out = append(out, tag)
		}
	}
	return out
}
