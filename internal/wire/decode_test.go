package wire

import (
	"reflect"
	"strings"
	"testing"
)

type testAddress struct {
	Line1 string  `form:"line1"`
	City  *string `form:"city"`
}

type testShipping struct {
	Name    string       `form:"name"`
	Address *testAddress `form:"address"`
}

type testTaxID struct {
	Type  string `form:"type"`
	Value string `form:"value"`
}

type testCommon struct {
	Expand   []string          `form:"expand"`
	Metadata map[string]string `form:"metadata"`
}

// testRange accepts "created=5" or "created[gt]=5", like Stripe's filters.
type testRange struct {
	Raw  any
	Path string
}

func (r *testRange) UnmarshalForm(v any, path string) error {
	if v == "bad" {
		return InvalidValue(path, "bad range")
	}
	r.Raw, r.Path = v, path
	return nil
}

type testParams struct {
	testCommon `form:"*"`

	Amount      int64                `form:"amount"`
	AmountPtr   *int64               `form:"amount_ptr"`
	Count       int                  `form:"count"`
	Small       int8                 `form:"small"`
	Currency    string               `form:"currency"`
	Description *string              `form:"description"`
	Confirm     bool                 `form:"confirm"`
	Capture     *bool                `form:"capture"`
	Rate        float64              `form:"rate"`
	RatePtr     *float64             `form:"rate_ptr"`
	Types       []string             `form:"payment_method_types"`
	Tags        []*string            `form:"tags"`
	Amounts     []int64              `form:"amounts"`
	TaxIDs      []testTaxID          `form:"tax_id_data"`
	TaxIDPtrs   []*testTaxID         `form:"tax_id_ptrs"`
	Shipping    *testShipping        `form:"shipping"`
	Billing     testAddress          `form:"billing"`
	Extra       map[string]any       `form:"extra"`
	Options     Params               `form:"payment_method_options"`
	Ignored     any                  `form:"ignored"`
	Counts      map[string]int64     `form:"counts"`
	Created     testRange            `form:"created"`
	Updated     *testRange           `form:"updated"`
	Skipped     string               `form:"-"`
	Untagged    string               //
	Nested      map[string]testTaxID `form:"nested"`
}

func decodeForm(t *testing.T, raw string) (*testParams, error) {
	t.Helper()
	p, err := ParseForm(raw)
	if err != nil {
		t.Fatalf("ParseForm(%q): %v", raw, err)
	}
	var dst testParams
	err = p.Decode(&dst)
	return &dst, err
}

func ptr[T any](v T) *T { return &v }

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want testParams
	}{
		{"empty", "", testParams{}},
		{"ints", "amount=1000&amount_ptr=-5&count=7&small=-128",
			testParams{Amount: 1000, AmountPtr: ptr[int64](-5), Count: 7, Small: -128}},
		{"int leading zeros", "amount=007", testParams{Amount: 7}},
		{"strings", "currency=usd&description=hi+there",
			testParams{Currency: "usd", Description: ptr("hi there")}},
		{"bools", "confirm=true&capture=false",
			testParams{Confirm: true, Capture: ptr(false)}},
		{"floats", "rate=1.5&rate_ptr=-2e3", testParams{Rate: 1.5, RatePtr: ptr(-2000.0)}},
		{"empty strings", "amount=&amount_ptr=&description=&confirm=&capture=&rate=&rate_ptr=&currency=",
			testParams{Description: ptr("")}},
		{"string slice in index order", "payment_method_types[1]=b&payment_method_types[0]=a&payment_method_types[10]=c",
			testParams{Types: []string{"a", "b", "c"}}},
		{"sparse slice compacts", "amounts[5]=5&amounts[99999999]=6", testParams{Amounts: []int64{5, 6}}},
		{"appended slice", "payment_method_types[]=card&payment_method_types[]=link",
			testParams{Types: []string{"card", "link"}}},
		{"pointer slice", "tags[0]=x&tags[1]=", testParams{Tags: []*string{ptr("x"), ptr("")}}},
		{"empty slice stays nil", "payment_method_types=&tax_id_data=", testParams{}},
		{"slice of structs", "tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=DE1&tax_id_data[1][type]=us_ein",
			testParams{TaxIDs: []testTaxID{{"eu_vat", "DE1"}, {Type: "us_ein"}}}},
		{"slice of struct pointers", "tax_id_ptrs[][type]=a&tax_id_ptrs[][type]=b",
			testParams{TaxIDPtrs: []*testTaxID{{Type: "a"}, {Type: "b"}}}},
		{"nested struct pointers", "shipping[name]=Jo&shipping[address][line1]=1+Main&shipping[address][city]=",
			testParams{Shipping: &testShipping{Name: "Jo", Address: &testAddress{Line1: "1 Main", City: ptr("")}}}},
		{"nested struct value", "billing[line1]=x", testParams{Billing: testAddress{Line1: "x"}}},
		{"empty struct stays zero", "shipping=&billing=", testParams{}},
		{"inline fields", "expand[0]=customer&metadata[order]=42&metadata[gone]=",
			testParams{testCommon: testCommon{Expand: []string{"customer"}, Metadata: map[string]string{"order": "42", "gone": ""}}}},
		{"map of any keeps subtree", "extra[a]=1&extra[b][c]=2",
			testParams{Extra: map[string]any{"a": "1", "b": Params{"c": "2"}}}},
		{"params field", "payment_method_options[card][request_three_d_secure]=any",
			testParams{Options: Params{"card": Params{"request_three_d_secure": "any"}}}},
		{"any takes strings", "ignored=x", testParams{Ignored: "x"}},
		{"any takes objects", "ignored[a][0]=x", testParams{Ignored: Params{"a": Params{"0": "x"}}}},
		{"typed map", "counts[a]=1&counts[b]=-2", testParams{Counts: map[string]int64{"a": 1, "b": -2}}},
		{"map of structs", "nested[x][type]=t", testParams{Nested: map[string]testTaxID{"x": {Type: "t"}}}},
		{"unmarshaler scalar", "created=5", testParams{Created: testRange{Raw: "5", Path: "created"}}},
		{"unmarshaler object", "created[gt]=5", testParams{Created: testRange{Raw: Params{"gt": "5"}, Path: "created"}}},
		{"unmarshaler pointer", "updated=", testParams{Updated: &testRange{Raw: "", Path: "updated"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeForm(t, tt.raw)
			if err != nil {
				t.Fatalf("Decode(%q): %v", tt.raw, err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Decode(%q)\n got %+v\nwant %+v", tt.raw, *got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		param string
		code  string
		msg   string
	}{
		{"unknown top level", "amount=1&foo=2", "foo", "parameter_unknown", "Received unknown parameter: foo"},
		{"unknown nested", "shipping[address][foo]=x", "shipping[address][foo]", "parameter_unknown",
			"Received unknown parameter: shipping[address][foo]"},
		{"unknown in array element", "tax_id_data[0][type]=a&tax_id_data[1][bogus]=b", "tax_id_data[1][bogus]", "parameter_unknown", ""},
		{"unknown ignored field", "Skipped=x", "Skipped", "parameter_unknown", ""},
		{"untagged field is unknown", "Untagged=x", "Untagged", "parameter_unknown", ""},
		{"first unknown in key order", "zzz=1&aaa=1", "aaa", "parameter_unknown", ""},
		{"bad integer", "amount=12x", "amount", "parameter_invalid_integer", "Invalid integer: 12x"},
		{"plus integer", "amount=%2B5", "amount", "parameter_invalid_integer", "Invalid integer: +5"},
		{"float as integer", "amount=1.0", "amount", "parameter_invalid_integer", ""},
		{"overflow", "amount=9223372036854775808", "amount", "parameter_invalid_integer", ""},
		{"int8 overflow", "small=128", "small", "parameter_invalid_integer", ""},
		{"object as integer", "amount[a]=1", "amount", "parameter_invalid_integer", `Invalid integer: {"a"=>"1"}`},
		{"bad integer in array", "amounts[0]=1&amounts[1]=x", "amounts[1]", "parameter_invalid_integer", ""},
		{"bad pointer integer", "amount_ptr=x", "amount_ptr", "parameter_invalid_integer", ""},
		{"object as string", "currency[a]=usd", "currency", "", `Invalid string: {"a"=>"usd"}`},
		{"array as string", "currency[]=usd", "currency", "", `Invalid string: {"0"=>"usd"}`},
		{"object as pointer string", "description[x][y]=1", "description", "", `Invalid string: {"x"=>{...}}`},
		{"bad boolean", "confirm=yes", "confirm", "", "Invalid boolean: yes"},
		{"uppercase boolean", "capture=TRUE", "capture", "", "Invalid boolean: TRUE"},
		{"object as boolean", "confirm[x]=true", "confirm", "", "Invalid boolean: {"},
		{"bad decimal", "rate=abc", "rate", "", "Invalid decimal: abc"},
		{"nan decimal", "rate_ptr=NaN", "rate_ptr", "", "Invalid decimal: NaN"},
		{"inf decimal", "rate=Inf", "rate", "", "Invalid decimal: Inf"},
		{"object as decimal", "rate[a]=1", "rate", "", "Invalid decimal"},
		{"string as array", "payment_method_types=card", "payment_method_types", "", "Invalid array"},
		{"object as array", "payment_method_types[card]=1", "payment_method_types", "", "Invalid array"},
		{"negative index", "payment_method_types[-1]=card", "payment_method_types", "", "Invalid array"},
		{"leading zero index", "payment_method_types[01]=card", "payment_method_types", "", "Invalid array"},
		{"object in string array", "payment_method_types[0][a]=card", "payment_method_types[0]", "", "Invalid string"},
		{"string as object", "shipping=x", "shipping", "", "Invalid object"},
		{"string as struct value", "billing=x", "billing", "", "Invalid object"},
		{"string as map", "metadata=x", "metadata", "", "Invalid object"},
		{"string as params", "payment_method_options=x", "payment_method_options", "", "Invalid object"},
		{"object metadata value", "metadata[k][x]=1", "metadata[k]", "", "Invalid string"},
		{"string array element as object", "tax_id_data[0]=x", "tax_id_data[0]", "", "Invalid object"},
		{"deep type error", "tax_id_data[2][type][x]=1", "tax_id_data[2][type]", "", "Invalid string"},
		{"unmarshaler error", "created=bad", "created", "", "bad range"},
		{"bad typed map value", "counts[a]=x", "counts[a]", "parameter_invalid_integer", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeForm(t, tt.raw)
			we := checkRequestError(t, err, tt.param, tt.code)
			if !strings.Contains(we.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", we.Message, tt.msg)
			}
		})
	}
}

func TestDecodeInlinePointerAndShadowing(t *testing.T) {
	type inner struct {
		Name string `form:"name"`
		Kind string `form:"kind"`
	}
	type outer struct {
		*inner `form:"*"` // unexported pointer: rejected below
	}
	type ok struct {
		In   *inner `form:"*"`
		Name string `form:"name"` // shallower: wins over In.Name
	}
	p := Params{"name": "outer", "kind": "k"}
	var dst ok
	if err := p.Decode(&dst); err != nil {
		t.Fatal(err)
	}
	if dst.Name != "outer" || dst.In == nil || dst.In.Kind != "k" || dst.In.Name != "" {
		t.Errorf("got %+v / %+v", dst, dst.In)
	}
	if err := p.Decode(&outer{}); err == nil {
		t.Error("unexported inline pointer: no error")
	}
}

func TestDecodeProgrammerErrors(t *testing.T) {
	type badType struct {
		C chan int `form:"c"`
	}
	type badNested struct {
		N []struct {
			U uint `form:"u"`
		} `form:"n"`
	}
	type dup struct {
		A string `form:"a"`
		B string `form:"a"`
	}
	type unexported struct {
		a string `form:"a"` //lint:ignore U1000 the decoder must refuse a tagged unexported field
	}
	type selfInline struct {
		Self *selfInline `form:"*"`
	}
	p := Params{}
	for _, dst := range []any{nil, testParams{}, new(int), (*testParams)(nil), &badType{}, &badNested{}, &dup{}, &unexported{}, &selfInline{}} {
		err := p.Decode(dst)
		if err == nil {
			t.Errorf("Decode(%T): no error", dst)
			continue
		}
		if _, ok := err.(*Error); ok {
			t.Errorf("Decode(%T): got *Error %v, want a plain error", dst, err)
		}
	}
}

func TestDecodeRecursiveType(t *testing.T) {
	type node struct {
		Name string  `form:"name"`
		Kids []*node `form:"kids"`
	}
	p, err := ParseForm("name=a&kids[0][name]=b&kids[0][kids][0][name]=c")
	if err != nil {
		t.Fatal(err)
	}
	var n node
	if err := p.Decode(&n); err != nil {
		t.Fatal(err)
	}
	if n.Kids[0].Kids[0].Name != "c" {
		t.Errorf("got %+v", n)
	}
}

func TestDecodePaymentBody(t *testing.T) {
	p, err := ParseForm(paymentBody)
	if err != nil {
		t.Fatal(err)
	}
	var dst fuzzPaymentParams
	if err := p.Decode(&dst); err != nil {
		t.Fatal(err)
	}
	if dst.Amount != 2000 || dst.Currency != "usd" || !*dst.Confirm || *dst.Customer != "cus_NffrFeUfNV2Hib" ||
		*dst.Common.Description != "Order #42" || dst.ReturnURL != "https://example.com/checkout/done?session=123" {
		t.Errorf("scalars: %+v", dst)
	}
	if !dst.AutomaticPaymentMethods.Enabled || dst.AutomaticPaymentMethods.AllowRedirects != "never" {
		t.Errorf("automatic_payment_methods: %+v", dst.AutomaticPaymentMethods)
	}
	if !reflect.DeepEqual(dst.Expand, []string{"latest_charge", "customer"}) ||
		!reflect.DeepEqual(dst.PaymentMethodTypes, []string{"card"}) ||
		!reflect.DeepEqual(dst.Metadata, map[string]string{"order_id": "6735", "source": "web"}) {
		t.Errorf("lists: %v %v %v", dst.Expand, dst.PaymentMethodTypes, dst.Metadata)
	}
	if dst.Shipping.Phone != "+15555550100" || dst.Shipping.Address.City != "San Francisco" || dst.Shipping.Address.Line2 != nil {
		t.Errorf("shipping: %+v", dst.Shipping)
	}
	if v, _ := dst.PaymentMethodOptions.Lookup("card", "request_three_d_secure"); v != "automatic" {
		t.Errorf("payment_method_options: %v", dst.PaymentMethodOptions)
	}
}
