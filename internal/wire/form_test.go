package wire

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// checkRequestError fails t unless err is a 400 invalid_request_error *Error
// with the given param and code.
func checkRequestError(t *testing.T, err error, param, code string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want param %q code %q", param, code)
	}
	we, ok := err.(*Error)
	if !ok {
		t.Fatalf("got %T %v, want *Error", err, err)
	}
	if we.Status != http.StatusBadRequest || we.Type != TypeInvalidRequest {
		t.Errorf("got status %d type %q, want 400 %s", we.Status, we.Type, TypeInvalidRequest)
	}
	if we.Param != param || we.Code != code {
		t.Errorf("got param %q code %q, want param %q code %q (%s)", we.Param, we.Code, param, code, we.Message)
	}
	return we
}

func TestParseForm(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want Params
	}{
		{"empty", "", Params{}},
		{"only separators", "&&", Params{}},
		{"scalars", "amount=1000&currency=usd", Params{"amount": "1000", "currency": "usd"}},
		{"no equals sign", "confirm", Params{"confirm": ""}},
		{"empty value", "description=&metadata[gone]=", Params{"description": "", "metadata": Params{"gone": ""}}},
		{"plus is space", "description=a+b%2Bc", Params{"description": "a b+c"}},
		{"plus in key", "a+b=1", Params{"a b": "1"}},
		{"equals in value", "q=a=b", Params{"q": "a=b"}},
		{"escaped url", "return_url=https%3A%2F%2Fx%2Fy%3Fa%3Db", Params{"return_url": "https://x/y?a=b"}},
		{"utf8", "name=J%C3%BCrgen&city=Z%C3%BCrich+%E2%9C%93", Params{"name": "Jürgen", "city": "Zürich ✓"}},
		{"repeated scalar last wins", "a=1&a=2", Params{"a": "2"}},
		{"nested", "shipping[address][line1]=1+Main&shipping[name]=Jo",
			Params{"shipping": Params{"address": Params{"line1": "1 Main"}, "name": "Jo"}}},
		{"percent-encoded brackets", "shipping%5Baddress%5D%5Bcity%5D=X&a%5b0%5d=y",
			Params{"shipping": Params{"address": Params{"city": "X"}}, "a": Params{"0": "y"}}},
		{"mixed brackets", "a%5Bb][c%5D=1", Params{"a": Params{"b": Params{"c": "1"}}}},
		{"indexed array", "expand[0]=latest_charge&expand[1]=customer",
			Params{"expand": Params{"0": "latest_charge", "1": "customer"}}},
		{"sparse array", "a[3]=x&a[10]=y", Params{"a": Params{"3": "x", "10": "y"}}},
		{"append", "a[]=x&a[]=y&a[]=z", Params{"a": Params{"0": "x", "1": "y", "2": "z"}}},
		{"append skips explicit index", "a[1]=x&a[]=y&a[]=z", Params{"a": Params{"1": "x", "2": "y", "3": "z"}}},
		{"append nested", "a[b][]=x&a[b][]=y", Params{"a": Params{"b": Params{"0": "x", "1": "y"}}}},
		{"array of objects", "tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=X&tax_id_data[1][type]=us_ein",
			Params{"tax_id_data": Params{
				"0": Params{"type": "eu_vat", "value": "X"},
				"1": Params{"type": "us_ein"},
			}}},
		{"append objects rack style", "a[][k]=1&a[][j]=2&a[][k]=3&a[][j]=4",
			Params{"a": Params{"0": Params{"k": "1", "j": "2"}, "1": Params{"k": "3", "j": "4"}}}},
		{"append objects deeper key", "a[][b][c]=1&a[][b][d]=2&a[][b][c]=3",
			Params{"a": Params{"0": Params{"b": Params{"c": "1", "d": "2"}}, "1": Params{"b": Params{"c": "3"}}}}},
		{"append object after scalar element", "a[]=x&a[][k]=1",
			Params{"a": Params{"0": "x", "1": Params{"k": "1"}}}},
		{"empty bracket value", "a[b]=", Params{"a": Params{"b": ""}}},
		{"realistic stripe-go body",
			"amount=1000&automatic_payment_methods[enabled]=true&confirm=true&currency=usd&expand[0]=latest_charge&metadata[order]=42&payment_method_types[0]=card&return_url=https%3A%2F%2Fx%2Fy%3Fa%3Db",
			Params{
				"amount":                    "1000",
				"automatic_payment_methods": Params{"enabled": "true"},
				"confirm":                   "true",
				"currency":                  "usd",
				"expand":                    Params{"0": "latest_charge"},
				"metadata":                  Params{"order": "42"},
				"payment_method_types":      Params{"0": "card"},
				"return_url":                "https://x/y?a=b",
			}},
		{"max depth", "a" + strings.Repeat("[b]", MaxFormDepth) + "=1", nest(MaxFormDepth, "1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseForm(tt.raw)
			if err != nil {
				t.Fatalf("ParseForm(%q): %v", tt.raw, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseForm(%q)\n got %#v\nwant %#v", tt.raw, got, tt.want)
			}
		})
	}
}

// nest builds {"a": {"b": … {"b": leaf}}} with depth levels of "b".
func nest(depth int, leaf string) Params {
	var v any = leaf
	for range depth {
		v = Params{"b": v}
	}
	return Params{"a": v}
}

func TestParseFormErrors(t *testing.T) {
	tooMany := strings.Repeat("a=1&", MaxFormParams) + "b=2"
	tests := []struct {
		name  string
		raw   string
		param string
		msg   string // substring of the message
	}{
		{"scalar then object", "a=1&a[b]=2", "a", "Invalid value for a: cannot be both a value and an object."},
		{"object then scalar", "a[b]=2&a=1", "a", "cannot be both"},
		{"nested conflict", "a[b]=1&a[b][c]=2", "a[b]", "Invalid value for a[b]"},
		{"append onto scalar", "a=1&a[]=2", "a", "cannot be both"},
		{"conflict inside appended element", "a[][b]=1&a[][b][c]=2", "a[0][b]", "cannot be both"},
		{"unclosed bracket", "a[b=1", "a[b", "'[' without a matching ']'"},
		{"unclosed at end", "a[b][=1", "a[b][", "'[' without a matching ']'"},
		{"bracket inside bracket", "a[b[c]]=1", "a[b[c]]", "'[' without a matching ']'"},
		{"stray close", "a]=1", "a]", "']' without a matching '['"},
		{"stray close encoded", "a%5D=1", "a]", "']' without a matching '['"},
		{"no root name", "[x]=1", "[x]", "does not start with a name"},
		{"only brackets", "[]=1", "[]", "does not start with a name"},
		{"empty key", "=1", "", "it is empty"},
		{"junk after bracket", "a[b]c=1", "a[b]c", "only '[' may follow ']'"},
		{"close after bracket", "a[b]]=1", "a[b]]", "only '[' may follow ']'"},
		{"bad escape in key", "a%zz=1", "a%zz", "percent-encoding"},
		{"bad escape in value", "a=%g1", "a", "percent-encoding"},
		{"truncated escape", "a=%4", "a", "percent-encoding"},
		{"invalid utf8 value", "name=%FF", "name", "UTF-8"},
		{"invalid utf8 raw value", "name=\xff", "name", "UTF-8"},
		{"invalid utf8 key", "na%C3me=1", "na\uFFFDme", "UTF-8"},
		{"too deep", "a" + strings.Repeat("[b]", MaxFormDepth+1) + "=1",
			"a" + strings.Repeat("[b]", MaxFormDepth+1), "nested more than 10 levels"},
		{"too many", tooMany, "", "at most 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseForm(tt.raw)
			if p != nil {
				t.Errorf("got Params %v with an error", p)
			}
			we := checkRequestError(t, err, tt.param, "")
			if !strings.Contains(we.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", we.Message, tt.msg)
			}
		})
	}
}

func TestParseFormParamLimitCountsPairs(t *testing.T) {
	// Exactly the limit is fine, and empty pairs don't count.
	raw := strings.Repeat("a=1&&", MaxFormParams)
	if _, err := ParseForm(raw); err != nil {
		t.Fatalf("%d pairs: %v", MaxFormParams, err)
	}
}

func TestParamsAccessors(t *testing.T) {
	p, err := ParseForm("description=&metadata[order]=42&metadata[gone]=&shipping[address][city]=X&expand[0]=a")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := p.Lookup("shipping", "address", "city"); !ok || v != "X" {
		t.Errorf("Lookup city = %v, %v", v, ok)
	}
	if v, ok := p.Lookup("metadata"); !ok || !reflect.DeepEqual(v, Params{"order": "42", "gone": ""}) {
		t.Errorf("Lookup metadata = %v, %v", v, ok)
	}
	if v, ok := p.Lookup(); !ok || !reflect.DeepEqual(v, p) {
		t.Errorf("Lookup() = %v, %v", v, ok)
	}
	for _, path := range [][]string{{"nope"}, {"description", "x"}, {"shipping", "nope"}, {"expand", "1"}} {
		if v, ok := p.Lookup(path...); ok {
			t.Errorf("Lookup(%q) = %v, want missing", path, v)
		}
		if p.Has(path...) {
			t.Errorf("Has(%q) = true", path)
		}
	}
	cleared := map[string]bool{
		"description":     true,
		"metadata/gone":   true,
		"metadata/order":  false,
		"metadata":        false,
		"shipping":        false,
		"missing":         false,
		"description/sub": false,
	}
	for path, want := range cleared {
		if got := p.Cleared(strings.Split(path, "/")...); got != want {
			t.Errorf("Cleared(%s) = %v, want %v", path, got, want)
		}
	}
	if !p.Has("expand", "0") || !p.Has("description") {
		t.Error("Has is false for present keys")
	}
	p.Delete("description")
	if p.Has("description") {
		t.Error("Delete left the key")
	}
}

func TestEncode(t *testing.T) {
	p := Params{
		"b":      "x y",
		"a":      Params{"10": "ten", "2": "two", "k": Params{"q": "a&b=c"}},
		"empty":  "",
		"skip":   Params{},
		"weird=": "[]",
		"num":    42, // not form-encodable: skipped
	}
	const want = "a[2]=two&a[10]=ten&a[k][q]=a%26b%3Dc&b=x+y&empty=&weird%3D=%5B%5D"
	if got := p.Encode(); got != want {
		t.Errorf("Encode\n got %s\nwant %s", got, want)
	}
	if got := (Params{}).Encode(); got != "" {
		t.Errorf("empty Encode = %q", got)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, raw := range []string{
		"a[]=x&a[]=y&a[][k]=1&b%5Bc%5D=%E2%9C%93&d=&e+f=g+h",
		"a[1]=x&a[]=y&z[0][0][0]=deep",
	} {
		p, err := ParseForm(raw)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParseForm(p.Encode())
		if err != nil {
			t.Fatalf("reparse %q: %v", p.Encode(), err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Errorf("round trip of %q\n got %#v\nwant %#v", raw, q, p)
		}
	}
}

func TestArrayIndex(t *testing.T) {
	for s, want := range map[string]int{"0": 0, "7": 7, "12": 12, "999999999": 999999999} {
		if got, ok := arrayIndex(s); !ok || got != want {
			t.Errorf("arrayIndex(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "-1", "+1", "01", "00", "1a", " 1", "99999999999999999999999", strconv.Itoa(-5)} {
		if _, ok := arrayIndex(s); ok {
			t.Errorf("arrayIndex(%q) ok", s)
		}
	}
}
