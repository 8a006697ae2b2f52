package payments

import "unicode/utf8"

// Stripe's metadata limits.
const (
	maxMetadataKeys     = 50
	maxMetadataKeyLen   = 40
	maxMetadataValueLen = 500
)

// applyMetadata returns cur updated by Stripe's rules: cleared drops every
// key first, an empty value deletes its key, anything else sets it. The
// result is never nil, so it renders as {}.
func applyMetadata(cur, update map[string]string, cleared bool) (map[string]string, error) {
	out := make(map[string]string, len(cur)+len(update))
	if !cleared {
		for k, v := range cur {
			out[k] = v
		}
	}
	for k, v := range update {
		param := "metadata[" + k + "]"
		if utf8.RuneCountInString(k) > maxMetadataKeyLen {
			return nil, Invalid("", param, "Metadata keys must be %d characters or fewer.", maxMetadataKeyLen)
		}
		if k == "" {
			return nil, Invalid("", "metadata", "Metadata keys cannot be empty.")
		}
		if v == "" {
			delete(out, k)
			continue
		}
		if n := utf8.RuneCountInString(v); n > maxMetadataValueLen {
			return nil, Invalid("", param, "Metadata values can have up to %d characters, but you passed in a value that is %d characters.", maxMetadataValueLen, n)
		}
		out[k] = v
	}
	if len(out) > maxMetadataKeys {
		return nil, Invalid("", "metadata", "You can have at most %d keys in metadata.", maxMetadataKeys)
	}
	return out, nil
}
