package wire

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Bodies as stripe-go and stripe-node send them, plus a few hostile ones.
var formSeeds = []string{
	"amount=1000&automatic_payment_methods[enabled]=true&confirm=true&currency=usd&expand[0]=latest_charge&metadata[order]=42&payment_method_types[0]=card&return_url=https%3A%2F%2Fx%2Fy%3Fa%3Db",
	"amount=1000&automatic_payment_methods[enabled]=true&confirm=true&confirmation_token=ctoken_1&currency=usd&expand[0]=latest_charge&expand[1]=customer&metadata[gone]=&metadata[order]=42&payment_method_types[0]=card&return_url=https%3A%2F%2Fx%2Fy%3Fa%3Db",
	"payment_method=pm_card_visa&payment_method_options[card][request_three_d_secure]=any&shipping[address][line1]=1+Main+St&shipping[address][city]=San+Francisco&shipping[name]=Jenny+Rosen",
	"email=jenny%40example.com&name=Jenny&tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=DE123456789&invoice_settings[default_payment_method]=pm_1",
	"limit=3&created[gte]=1700000000&expand[]=data.customer&starting_after=pi_123",
	"description=&metadata=&payment_method_types=",
	"tax_id_data[][type]=eu_vat&tax_id_data[][value]=X&tax_id_data[][type]=us_ein",
	"a%5Bb%5D%5Bc%5D=%E2%9C%93&a[b][d]=+",
	"a=1&a[b]=2",
	"a[b=1&]=2&[x]=3",
	"name=%FF&x=%zz",
	"a[0][1][2][3][4][5][6][7][8][9]=deep",
}

func FuzzParseForm(f *testing.F) {
	for _, s := range formSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := ParseForm(raw)
		if err != nil {
			checkFuzzError(t, err)
			if p != nil {
				t.Fatalf("got Params %v with error %v", p, err)
			}
			return
		}
		checkParams(t, p, 0)
		enc := p.Encode()
		q, err := ParseForm(enc)
		if err != nil {
			t.Fatalf("re-parse of %q (from %q): %v", enc, raw, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip of %q via %q\n got %#v\nwant %#v", raw, enc, q, p)
		}
		if enc2 := q.Encode(); enc2 != enc {
			t.Fatalf("Encode not stable: %q then %q", enc, enc2)
		}
	})
}

// checkParams checks the shape ParseForm promises: string or non-empty
// Params values, valid UTF-8, bracket-free non-empty keys, bounded depth.
func checkParams(t *testing.T, p Params, depth int) {
	t.Helper()
	if depth > MaxFormDepth {
		t.Fatalf("nested %d levels deep", depth)
	}
	for k, v := range p {
		if k == "" || strings.ContainsAny(k, "[]") || !utf8.ValidString(k) {
			t.Fatalf("bad key %q", k)
		}
		switch v := v.(type) {
		case string:
			if !utf8.ValidString(v) {
				t.Fatalf("invalid UTF-8 in %q: %q", k, v)
			}
		case Params:
			if len(v) == 0 {
				t.Fatalf("empty object at %q", k)
			}
			checkParams(t, v, depth+1)
		default:
			t.Fatalf("value of %q has type %T", k, v)
		}
	}
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	we, ok := err.(*Error)
	if !ok {
		t.Fatalf("got %T %v, want *Error", err, err)
	}
	if we.Status != http.StatusBadRequest || we.Type != TypeInvalidRequest {
		t.Fatalf("got %d %s, want 400 %s: %v", we.Status, we.Type, TypeInvalidRequest, we)
	}
	if !utf8.ValidString(we.Message) || !utf8.ValidString(we.Param) {
		t.Fatalf("invalid UTF-8 in error %q", we)
	}
}

// fuzzPaymentParams is shaped like a PaymentIntent create: every decodable
// kind appears at least once.
type fuzzPaymentParams struct {
	Expand   []string          `form:"expand"`
	Metadata map[string]string `form:"metadata"`
	Common   struct {
		Description *string `form:"description"`
	} `form:"*"`

	Amount                  int64   `form:"amount"`
	ApplicationFeeAmount    *int64  `form:"application_fee_amount"`
	Currency                string  `form:"currency"`
	Customer                *string `form:"customer"`
	Confirm                 *bool   `form:"confirm"`
	OffSession              bool    `form:"off_session"`
	ConfirmationToken       string  `form:"confirmation_token"`
	PaymentMethod           string  `form:"payment_method"`
	ReturnURL               string  `form:"return_url"`
	Rate                    float64 `form:"rate"`
	AutomaticPaymentMethods *struct {
		Enabled        bool   `form:"enabled"`
		AllowRedirects string `form:"allow_redirects"`
	} `form:"automatic_payment_methods"`
	PaymentMethodTypes   []string `form:"payment_method_types"`
	PaymentMethodOptions Params   `form:"payment_method_options"`
	Shipping             *struct {
		Name    string `form:"name"`
		Phone   string `form:"phone"`
		Address struct {
			Line1      string  `form:"line1"`
			Line2      *string `form:"line2"`
			City       string  `form:"city"`
			PostalCode string  `form:"postal_code"`
			Country    string  `form:"country"`
		} `form:"address"`
	} `form:"shipping"`
	TaxIDData []*struct {
		Type  string `form:"type"`
		Value string `form:"value"`
	} `form:"tax_id_data"`
	Amounts []int64        `form:"amounts"`
	Extra   map[string]any `form:"extra"`
	Created testRange      `form:"created"`
	Ignored any            `form:"ignored"`
}

func FuzzDecode(f *testing.F) {
	for _, s := range formSeeds {
		f.Add(s)
	}
	for _, s := range []string{
		"amount=1x&currency[a]=b",
		"tax_id_data[0][type]=a&tax_id_data[x][type]=b",
		"shipping[address][line2]=&shipping[address][bogus]=1",
		"confirm=maybe&rate=NaN&amounts[0]=%2B1",
		"extra[a][b][c]=1&created[gt]=5&ignored[]=x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := ParseForm(raw)
		if err != nil {
			return
		}
		var dst fuzzPaymentParams
		if err := p.Decode(&dst); err != nil {
			checkFuzzError(t, err)
		}
	})
}

// paymentBody is a realistic confirm-on-create PaymentIntent request.
const paymentBody = "amount=2000&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never" +
	"&confirm=true&currency=usd&customer=cus_NffrFeUfNV2Hib&description=Order+%2342" +
	"&expand[0]=latest_charge&expand[1]=customer&metadata[order_id]=6735&metadata[source]=web" +
	"&payment_method=pm_card_visa&payment_method_options[card][request_three_d_secure]=automatic" +
	"&payment_method_types[0]=card&return_url=https%3A%2F%2Fexample.com%2Fcheckout%2Fdone%3Fsession%3D123" +
	"&shipping[name]=Jenny+Rosen&shipping[phone]=%2B15555550100&shipping[address][line1]=510+Townsend+St" +
	"&shipping[address][city]=San+Francisco&shipping[address][postal_code]=94103&shipping[address][country]=US"

func BenchmarkParseForm(b *testing.B) {
	b.SetBytes(int64(len(paymentBody)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseForm(paymentBody); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	p, err := ParseForm(paymentBody)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var dst fuzzPaymentParams
		if err := p.Decode(&dst); err != nil {
			b.Fatal(err)
		}
	}
}
