package payments

import (
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Stripe's metadata limits. Lengths count characters (runes), not bytes.
const (
	MaxMetadataKeys     = 50
	MaxMetadataKeyLen   = 40
	MaxMetadataValueLen = 500
)

// applyMetadata returns the metadata that results from applying a request's
// metadata update to current, following Stripe's rules: if cleared (the
// request sent "metadata=", see Params.Cleared) start from nothing; then an
// empty value deletes its key and any other value sets it. Neither input is
// modified, and the result is never nil.
//
// Limits are checked on the update and on the result: keys of at most 40
// characters without '[' or ']', values of at most 500 characters, and at
// most 50 keys in all. Violations are KindInvalid errors
// values with param metadata[key], or metadata for the key count.
func applyMetadata(current, update map[string]string, cleared bool) (map[string]string, error) {
	out := make(map[string]string, len(current)+len(update))
	if !cleared {
		maps.Copy(out, current)
	}
	// Sorted so the same bad request always reports the same key.
	for _, k := range slices.Sorted(maps.Keys(update)) {
		v := update[k]
		param := "metadata[" + k + "]"
		switch {
		case k == "":
			return nil, Invalid("", "metadata", "Metadata keys must not be empty.")
		case strings.ContainsAny(k, "[]"):
			return nil, Invalid("", param, "Metadata keys may not contain '[' or ']'.")
		case utf8.RuneCountInString(k) > MaxMetadataKeyLen:
			return nil, Invalid("", param, "Metadata keys must be %d characters or fewer.", MaxMetadataKeyLen)
		}
		if v == "" {
			delete(out, k)
			continue
		}
		if n := utf8.RuneCountInString(v); n > MaxMetadataValueLen {
			return nil, Invalid("", param, "Metadata values can have up to %d characters, but you passed in a value that is %d characters.", MaxMetadataValueLen, n)
		}
		out[k] = v
	}
	if len(out) > MaxMetadataKeys {
		return nil, Invalid("", "metadata", "You can have at most %d keys in metadata.", MaxMetadataKeys)
	}
	return out, nil
}
