package payments

import (
	"errors"
	"maps"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestApplyMetadata(t *testing.T) {
	current := map[string]string{"a": "1", "b": "2"}
	tests := []struct {
		name    string
		current map[string]string
		update  map[string]string
		cleared bool
		want    map[string]string
	}{
		{"nil everything", nil, nil, false, map[string]string{}},
		{"no update copies", current, nil, false, map[string]string{"a": "1", "b": "2"}},
		{"set and overwrite", current, map[string]string{"b": "3", "c": "4"}, false,
			map[string]string{"a": "1", "b": "3", "c": "4"}},
		{"empty value deletes", current, map[string]string{"a": "", "missing": ""}, false,
			map[string]string{"b": "2"}},
		{"cleared", current, nil, true, map[string]string{}},
		{"cleared then set", current, map[string]string{"c": "5", "a": ""}, true,
			map[string]string{"c": "5"}},
		{"limits are inclusive", nil, map[string]string{
			strings.Repeat("k", 40): strings.Repeat("v", 500),
			strings.Repeat("é", 40): strings.Repeat("é", 500), // characters, not bytes
		}, false, map[string]string{
			strings.Repeat("k", 40): strings.Repeat("v", 500),
			strings.Repeat("é", 40): strings.Repeat("é", 500),
		}},
		{"deleting makes room", many(50), map[string]string{"k0": "", "new": "x"}, false,
			func() map[string]string { m := many(50); delete(m, "k0"); m["new"] = "x"; return m }()},
		{"clearing makes room", many(50), many(50), true, many(50)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := maps.Clone(tt.current)
			got, err := applyMetadata(tt.current, tt.update, tt.cleared)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if !reflect.DeepEqual(tt.current, before) {
				t.Errorf("current was modified: %v", tt.current)
			}
		})
	}
}

func TestApplyMetadataErrors(t *testing.T) {
	long := strings.Repeat("k", 41)
	tests := []struct {
		name    string
		current map[string]string
		update  map[string]string
		param   string
		msg     string
	}{
		{"key too long", nil, map[string]string{long: "v"}, "metadata[" + long + "]",
			"Metadata keys must be 40 characters or fewer."},
		{"key too long even to delete", nil, map[string]string{long: ""}, "metadata[" + long + "]", "40 characters"},
		{"value too long", nil, map[string]string{"k": strings.Repeat("v", 501)}, "metadata[k]",
			"Metadata values can have up to 500 characters, but you passed in a value that is 501 characters."},
		{"bracket in key", nil, map[string]string{"a[b": "v"}, "metadata[a[b]", "'[' or ']'"},
		{"empty key", nil, map[string]string{"": "v"}, "metadata", "empty"},
		{"too many keys", many(50), map[string]string{"one_more": "x"}, "metadata",
			"You can have at most 50 keys in metadata."},
		{"too many in one update", nil, many(51), "metadata", "at most 50 keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyMetadata(tt.current, tt.update, false)
			if got != nil {
				t.Errorf("got %v with an error", got)
			}
			var we *Error
			if !errors.As(err, &we) || we.Kind != KindInvalid || we.Param != tt.param {
				t.Fatalf("got %v, want an invalid error on %s", err, tt.param)
			}
			if we.Message != tt.msg && !strings.Contains(we.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", we.Message, tt.msg)
			}
		})
	}
}

func many(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m["k"+strconv.Itoa(i)] = "v"
	}
	return m
}
