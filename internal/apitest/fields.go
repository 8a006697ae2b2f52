package apitest

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// AssertFields checks that the JSON object body has exactly the keys of
// the stripe-go struct that decodes it (model is a value or pointer of that
// type), recursively through nested objects, apart from the dotted paths in
// except: fields Stripe returns only on request (includable) or only in
// some states. An exception ending in ".*" checks that the field is there
// but not what is inside it. Every resource's tests use it, so that no field Stripe sends
// is missing and no invented field appears.
func AssertFields(t testing.TB, body []byte, model any, except ...string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("AssertFields: body is not JSON: %v", err)
	}
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	for _, p := range compareFields(v, reflect.TypeOf(model), "", skip) {
		t.Error(p)
	}
}

func compareFields(v any, typ reflect.Type, prefix string, skip map[string]bool) []string {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	var problems []string
	switch typ.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // an id string or null standing for an expandable object
		}
		fields := jsonFields(typ)
		if obj["object"] == "list" {
			// Stripe's list envelope: object, data, has_more and url.
			// total_count is legacy and never sent.
			fields["object"] = reflect.TypeOf("")
			delete(fields, "total_count")
		}
		var names []string
		for k := range obj {
			names = append(names, k)
		}
		for k := range fields {
			names = append(names, k)
		}
		sort.Strings(names)
		seen := map[string]bool{}
		for _, k := range names {
			if seen[k] {
				continue
			}
			seen[k] = true
			path := prefix + k
			if skip[path] {
				continue
			}
			if skip[path+".*"] {
				// Present, but its contents vary: check the key only.
				if _, ok := fields[k]; !ok {
					problems = append(problems, "invented field "+path+" (not in the stripe-go struct)")
				} else if _, ok := obj[k]; !ok {
					problems = append(problems, "missing field "+path)
				}
				continue
			}
			ft, inStruct := fields[k]
			val, inJSON := obj[k]
			switch {
			case !inStruct:
				problems = append(problems, "invented field "+path+" (not in the stripe-go struct)")
			case !inJSON:
				problems = append(problems, "missing field "+path)
			default:
				problems = append(problems, compareFields(val, ft, path+".", skip)...)
			}
		}
	case reflect.Slice:
		if arr, ok := v.([]any); ok && len(arr) > 0 {
			problems = append(problems, compareFields(arr[0], typ.Elem(), prefix, skip)...)
		}
	}
	return problems
}

// jsonFields maps the JSON names of typ's fields to their types, looking
// through embedded structs without a tag.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if !f.IsExported() || name == "" {
			continue
		}
		out[name] = f.Type
	}
	return out
}
