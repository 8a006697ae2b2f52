package wire

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on what ParseForm accepts. They bound the work an unauthenticated
// body can cause; real Stripe requests nest 4 deep and send a few dozen keys.
const (
	// MaxFormDepth is the most bracket groups one key may have: a[1]…[10].
	MaxFormDepth = 10
	// MaxFormParams is the most key=value pairs one body may have.
	MaxFormParams = 1000
)

// Params is a form body decoded from Stripe's bracket notation. Each value
// is either a string (a leaf) or a nested Params. Objects and arrays are both
// Params; array elements live under decimal-string keys ("0", "1", …) and
// are only told apart from objects when decoded into a typed field.
type Params map[string]any

// ParseForm parses an application/x-www-form-urlencoded body or query string
// with Stripe's bracket notation:
//
//	a[b][c]=v         nested objects
//	a[0]=x&a[1]=y     indexed arrays (what stripe-go and stripe-node send)
//	a[]=x&a[]=y       appended arrays: each [] takes the next free index
//	a[][k]=1&a[][j]=2 arrays of objects, Rack style: a [] followed by more
//	                  keys adds to the last element unless that element
//	                  already has the rest of the key, then starts a new one
//
// Keys and values are unescaped like url.QueryUnescape ('+' is a space), so
// %5B and %5D work as brackets. A repeated leaf key keeps the last value. All
// errors are 400 invalid_request_error *Error values.
func ParseForm(raw string) (Params, error) {
	p := Params{}
	var segs []string // reused across pairs to save allocations
	n := 0
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue // "a=1&&b=2" and a trailing '&' are harmless
		}
		if n++; n > MaxFormParams {
			return nil, tooManyParams()
		}
		rawKey, rawVal, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(rawKey)
		if err != nil {
			return nil, badKeyEscape(rawKey)
		}
		// NUL is valid UTF-8 but no text column can hold it: refuse it here.
		if !utf8.ValidString(key) || strings.IndexByte(key, 0) >= 0 {
			return nil, badKeyUTF8(key)
		}
		segs, err = splitKey(key, segs[:0])
		if err != nil {
			return nil, err
		}
		val, err := url.QueryUnescape(rawVal)
		if err != nil {
			return nil, badValueEscape(key)
		}
		if !utf8.ValidString(val) || strings.IndexByte(val, 0) >= 0 {
			return nil, badValueUTF8(key)
		}
		if err := p.insert(segs, val); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// splitKey splits "a[b][]" into ["a", "b", ""], appending to segs. An empty
// segment after the root means "append".
func splitKey(key string, segs []string) ([]string, error) {
	i := strings.IndexAny(key, "[]")
	switch {
	case i < 0:
		if key == "" {
			return nil, malformedKey(key, "it is empty")
		}
		return append(segs, key), nil
	case i == 0 && key[0] == '[':
		return nil, malformedKey(key, "it does not start with a name")
	case key[i] == ']':
		return nil, malformedKey(key, "it has a ']' without a matching '['")
	}
	segs = append(segs, key[:i])
	rest := key[i:]
	for rest != "" {
		if rest[0] != '[' {
			return nil, malformedKey(key, "only '[' may follow ']'")
		}
		j := strings.IndexAny(rest[1:], "[]")
		if j < 0 || rest[1+j] == '[' {
			return nil, malformedKey(key, "it has a '[' without a matching ']'")
		}
		if len(segs) > MaxFormDepth {
			return nil, tooDeep(key)
		}
		segs = append(segs, rest[1:1+j])
		rest = rest[2+j:]
	}
	return segs, nil
}

// insert stores val under the split key segs. Append segments ("") are
// replaced in place by the index they resolve to, so segs[:i+1] is always
// the concrete path to the current node for error messages.
func (p Params) insert(segs []string, val string) error {
	cur := p
	for i := 0; ; i++ {
		last := i == len(segs)-1
		if segs[i] == "" {
			segs[i] = cur.appendKey(segs[i+1:])
		}
		name := segs[i]
		if last {
			if _, isObj := cur[name].(Params); isObj {
				return conflict(joinPath(segs[:i+1]))
			}
			cur[name] = val
			return nil
		}
		switch next := cur[name].(type) {
		case Params:
			cur = next
		case string:
			return conflict(joinPath(segs[:i+1]))
		default: // absent
			m := Params{}
			cur[name] = m
			cur = m
		}
	}
}

// appendKey picks the element key for a "[]" segment in the array p, where
// rest is what follows the "[]" in the key. A bare "[]" always starts a new
// element; "[][k]" reuses the last element unless it already has k (Rack's
// rule, so a[][k]=1&a[][j]=2&a[][k]=3 gives two elements).
func (p Params) appendKey(rest []string) string {
	if len(rest) > 0 {
		lastKey := strconv.Itoa(len(p) - 1)
		if last, ok := p[lastKey].(Params); ok && !last.hasConcrete(rest) {
			return lastKey
		}
	}
	// The next index is the number of entries; skip past any taken by
	// explicit indexes mixed in (a[1]=x&a[]=y) rather than overwrite them.
	for n := len(p); ; n++ {
		if k := strconv.Itoa(n); !p.Has(k) {
			return k
		}
	}
}

// hasConcrete reports whether path already exists in p. A path with a
// nested append never collides, as in Rack.
func (p Params) hasConcrete(path []string) bool {
	if slices.Contains(path, "") {
		return false
	}
	return p.Has(path...)
}

// Lookup returns the value at path (one key per level: "shipping",
// "address", "line1"), which is a string or a Params. With no path it
// returns p itself.
func (p Params) Lookup(path ...string) (any, bool) {
	var cur any = p
	for _, k := range path {
		m, ok := cur.(Params)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Has reports whether a value is present at path.
func (p Params) Has(path ...string) bool {
	_, ok := p.Lookup(path...)
	return ok
}

// Cleared reports whether the value at path is exactly the empty string:
// Stripe's way to unset a field ("description=") or empty a list or map
// ("metadata="). Decode leaves such fields at their zero value, so callers
// use Cleared to tell "cleared" from "not sent".
func (p Params) Cleared(path ...string) bool {
	v, ok := p.Lookup(path...)
	return ok && v == ""
}

// Clone returns a copy of p's top level, which is all Delete changes: a
// handler that consumes parameters as it decodes them can run again on a
// clone of what it was given.
func (p Params) Clone() Params {
	c := make(Params, len(p))
	for k, v := range p {
		c[k] = v
	}
	return c
}

// Delete removes key from the top level of p.
func (p Params) Delete(key string) {
	delete(p, key)
}

// Encode renders p in indexed bracket form with sorted keys (array indexes
// in numeric order), the inverse of ParseForm: ParseForm(p.Encode()) equals
// p for any p ParseForm returned. Values other than string and Params, and
// empty nested Params, have no form encoding and are skipped.
func (p Params) Encode() string {
	var b strings.Builder
	p.encode(&b, "")
	return b.String()
}

func (p Params) encode(b *strings.Builder, prefix string) {
	for _, k := range sortedKeys(p) {
		name := url.QueryEscape(k)
		if prefix != "" {
			name = prefix + "[" + name + "]"
		}
		switch v := p[k].(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		case Params:
			v.encode(b, name)
		}
	}
}

// sortedKeys returns p's keys with array indexes first, in numeric order,
// then the rest in byte order.
func sortedKeys(p Params) []string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	return keys
}

func compareKeys(a, b string) int {
	ai, aok := arrayIndex(a)
	bi, bok := arrayIndex(b)
	switch {
	case aok && bok:
		return cmp.Compare(ai, bi)
	case aok:
		return -1
	case bok:
		return 1
	}
	return strings.Compare(a, b)
}

// arrayIndex parses a canonical non-negative decimal array index: "0", "7",
// "12" but not "-1", "+1" or "01" (so two keys never name the same element).
func arrayIndex(s string) (int, bool) {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// joinPath renders ["a", "b", "0"] as "a[b][0]", the form Stripe uses for
// the param of an error.
func joinPath(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(segs[0])
	for _, s := range segs[1:] {
		b.WriteByte('[')
		b.WriteString(s)
		b.WriteByte(']')
	}
	return b.String()
}

// childPath is joinPath one level at a time.
func childPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "[" + key + "]"
}
