package wire

import (
	"fmt"
	"strings"
)

// Errors for malformed form bodies and mistyped parameters. None has a
// Stripe error code: Stripe reports these with a message only.

// safe makes client-supplied text valid UTF-8 before it goes into an error.
func safe(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}

func malformedKey(key, why string) *Error {
	key = safe(key)
	return InvalidValue(key, "Invalid parameter name %q: %s.", key, why)
}

func tooDeep(key string) *Error {
	return InvalidValue(key, "Invalid parameter name %q: it is nested more than %d levels deep.", key, MaxFormDepth)
}

func tooManyParams() *Error {
	return InvalidValue("", "Too many parameters: at most %d are allowed.", MaxFormParams)
}

func badKeyEscape(rawKey string) *Error {
	rawKey = safe(rawKey)
	return InvalidValue(rawKey, "Invalid percent-encoding in parameter name %q.", rawKey)
}

func badValueEscape(key string) *Error {
	return InvalidValue(key, "Invalid percent-encoding in the value of %s.", key)
}

func badKeyUTF8(key string) *Error {
	key = safe(key)
	return InvalidValue(key, "Invalid parameter name %q: it is not valid UTF-8 or contains a NUL byte.", key)
}

func badValueUTF8(key string) *Error {
	return InvalidValue(key, "Invalid string for %s: it is not valid UTF-8 or contains a NUL byte.", key)
}

func conflict(path string) *Error {
	return InvalidValue(path, "Invalid value for %s: cannot be both a value and an object.", path)
}

func invalidString(path string, raw any) *Error {
	return InvalidValue(path, "Invalid string: %s", describe(raw))
}

func invalidBoolean(path string, raw any) *Error {
	return InvalidValue(path, "Invalid boolean: %s", describe(raw))
}

func invalidDecimal(path string, raw any) *Error {
	return InvalidValue(path, "Invalid decimal: %s", describe(raw))
}

func invalidArray(path string) *Error {
	return InvalidValue(path, "Invalid array")
}

func invalidObject(path string) *Error {
	return InvalidValue(path, "Invalid object")
}

// describe renders a raw value for an error message. Objects are shown
// Ruby-style like Stripe does, one level deep and cut short, so a huge
// subtree can't blow up the message.
func describe(raw any) string {
	p, ok := raw.(Params)
	if !ok {
		return fmt.Sprint(raw)
	}
	const maxEntries = 5
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range sortedKeys(p) {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == maxEntries {
			b.WriteString("...")
			break
		}
		fmt.Fprintf(&b, "%q=>", k)
		if s, ok := p[k].(string); ok {
			fmt.Fprintf(&b, "%q", s)
		} else {
			b.WriteString("{...}")
		}
	}
	b.WriteByte('}')
	return b.String()
}
