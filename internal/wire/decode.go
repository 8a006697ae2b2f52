package wire

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// FormUnmarshaler is implemented (with a pointer receiver) by field types
// that decode their own parameter, such as a range filter that accepts both
// "created=123" and "created[gt]=123". v is the raw value, a string or a
// Params; path is its bracket path, for errors. Errors should be *Error.
type FormUnmarshaler interface {
	UnmarshalForm(v any, path string) error
}

var (
	unmarshalerType = reflect.TypeFor[FormUnmarshaler]()
	paramsType      = reflect.TypeFor[Params]()
)

// Decode stores p in the struct dst points to, matching keys to fields by
// their `form:"name"` tags, the reverse of stripe-go's params encoding:
//
//   - A key with no matching field is an error (parameter_unknown), at any
//     depth. Fields without a form tag, or tagged `form:"-"`, never match.
//   - A struct field tagged `form:"*"` is inlined: its fields match at the
//     level of the struct that holds it (like stripe-go's Params).
//   - Supported kinds: string, bool, int and int64 (and the other signed
//     ints), float64, pointers to those, structs and pointers to structs,
//     slices of any supported kind, maps with string keys, and any/Params
//     (raw subtree, nested objects as Params). Types whose pointer
//     implements FormUnmarshaler get the raw value.
//   - An empty string leaves the field at its zero value, except *string,
//     which gets a pointer to "". Callers use p.Cleared to tell an explicit
//     "field=" from a missing field.
//   - Arrays must have canonical decimal keys; they are ordered numerically
//     and may be sparse.
//
// Errors in the request are 400 *Error values whose param is the full
// bracket path (tax_id_data[0][type]). A dst that isn't a non-nil pointer to
// a struct, or a struct with unsupported field types, is a programming error
// and gives a plain error.
func (p Params) Decode(dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("wire: Decode needs a non-nil pointer to a struct, not %T", dst)
	}
	info, err := structInfoFor(v.Elem().Type())
	if err != nil {
		return err
	}
	return decodeStruct(v.Elem(), info, p, "")
}

func decodeStruct(v reflect.Value, info *structInfo, p Params, path string) error {
	// Sorted so a body with several problems always reports the same one.
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		f, ok := info.fields[k]
		if !ok {
			return Unknown(childPath(path, k))
		}
		if err := decodeValue(fieldByIndex(v, f.index), p[k], childPath(path, k)); err != nil {
			return err
		}
	}
	return nil
}

// decodeValue stores raw (a string or Params) in v, which is addressable.
func decodeValue(v reflect.Value, raw any, path string) error {
	t := v.Type()
	if isUnmarshaler(t) {
		return v.Addr().Interface().(FormUnmarshaler).UnmarshalForm(raw, path)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if raw == "" && !isUnmarshaler(t.Elem()) {
			if t.Elem().Kind() == reflect.String {
				v.Set(reflect.New(t.Elem())) // "" is still a string: keep it
			}
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return decodeValue(v.Elem(), raw, path)

	case reflect.Interface: // any: the raw subtree as-is
		v.Set(reflect.ValueOf(raw))
		return nil

	case reflect.String:
		s, ok := raw.(string)
		if !ok {
			return invalidString(path, raw)
		}
		v.SetString(s)
		return nil

	case reflect.Bool:
		switch raw {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		case "":
		default:
			return invalidBoolean(path, raw)
		}
		return nil

	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s, ok := raw.(string)
		if !ok {
			return InvalidInteger(path, describe(raw))
		}
		if s == "" {
			return nil
		}
		// ParseInt also takes a leading '+', which Stripe doesn't.
		n, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil || s[0] == '+' {
			return InvalidInteger(path, s)
		}
		v.SetInt(n)
		return nil

	case reflect.Float32, reflect.Float64:
		s, ok := raw.(string)
		if !ok {
			return invalidDecimal(path, raw)
		}
		if s == "" {
			return nil
		}
		// NaN and ±Inf parse but can't be rendered as JSON later.
		f, err := strconv.ParseFloat(s, t.Bits())
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return invalidDecimal(path, s)
		}
		v.SetFloat(f)
		return nil

	case reflect.Slice:
		m, err := object(raw, path, invalidArray)
		if m == nil || err != nil {
			return err
		}
		return decodeSlice(v, m, path)

	case reflect.Map:
		m, err := object(raw, path, invalidObject)
		if m == nil || err != nil {
			return err
		}
		return decodeMap(v, m, path)

	case reflect.Struct:
		m, err := object(raw, path, invalidObject)
		if m == nil || err != nil {
			return err
		}
		info, err := structInfoFor(t)
		if err != nil {
			return err
		}
		return decodeStruct(v, info, m, path)
	}
	// structInfoFor rejects every other kind before decoding starts.
	return fmt.Errorf("wire: unsupported type %s at %s", t, path)
}

// object returns raw as an object, or nil for "" (leave the zero value), or
// the error bad makes for any other string.
func object(raw any, path string, bad func(string) *Error) (Params, error) {
	switch raw := raw.(type) {
	case Params:
		return raw, nil
	case string:
		if raw == "" {
			return nil, nil
		}
	}
	return nil, bad(path)
}

func decodeSlice(v reflect.Value, m Params, path string) error {
	type elem struct {
		index int
		key   string
	}
	elems := make([]elem, 0, len(m))
	for k := range m {
		i, ok := arrayIndex(k)
		if !ok {
			return invalidArray(path)
		}
		elems = append(elems, elem{i, k})
	}
	// Order by index but compact: a[0]=x&a[99]=y is two elements, and a
	// huge index costs nothing.
	slices.SortFunc(elems, func(a, b elem) int { return a.index - b.index })
	s := reflect.MakeSlice(v.Type(), len(elems), len(elems))
	for i, e := range elems {
		if err := decodeValue(s.Index(i), m[e.key], childPath(path, e.key)); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

func decodeMap(v reflect.Value, m Params, path string) error {
	t := v.Type()
	if t == paramsType || t.ConvertibleTo(paramsType) {
		// Params and map[string]any: keep the subtree whole. The result
		// shares nested Params with p.
		v.Set(reflect.ValueOf(m).Convert(t))
		return nil
	}
	out := reflect.MakeMapWithSize(t, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	elem := reflect.New(t.Elem()).Elem()
	for _, k := range keys {
		elem.SetZero()
		if err := decodeValue(elem, m[k], childPath(path, k)); err != nil {
			return err
		}
		out.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), elem)
	}
	v.Set(out)
	return nil
}

func isUnmarshaler(t reflect.Type) bool {
	return t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType)
}

// fieldByIndex is reflect.Value.FieldByIndex that allocates nil pointers to
// inlined structs on the way.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// structInfo maps the form names a struct accepts to its fields.
type structInfo struct {
	fields map[string]formField
	err    error // set when the struct can't be decoded into at all
}

type formField struct {
	index []int // through inlined structs
	depth int   // len(index) - 1; a shallower field shadows an inlined one
}

var structInfos sync.Map // reflect.Type → *structInfo

func structInfoFor(t reflect.Type) (*structInfo, error) {
	if info, ok := structInfos.Load(t); ok {
		info := info.(*structInfo)
		return info, info.err
	}
	info := &structInfo{fields: map[string]formField{}}
	info.err = collectFields(t, nil, info.fields, map[reflect.Type]bool{})
	if info.err == nil {
		// Check every reachable field type now, so an unsupported one
		// fails every Decode rather than only requests that send it.
		info.err = checkType(t, map[reflect.Type]bool{})
	}
	if info.err != nil {
		info.err = fmt.Errorf("wire: cannot decode into %s: %w", t, info.err)
	}
	actual, _ := structInfos.LoadOrStore(t, info)
	info = actual.(*structInfo)
	return info, info.err
}

// collectFields adds the form-tagged fields of struct t, reached through
// index, to fields. inlining guards against a struct inlining itself.
func collectFields(t reflect.Type, index []int, fields map[string]formField, inlining map[reflect.Type]bool) error {
	if inlining[t] {
		return fmt.Errorf("%s inlines itself", t)
	}
	inlining[t] = true
	defer delete(inlining, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("form")
		name, _, _ := strings.Cut(tag, ",")
		if !ok || name == "-" || name == "" {
			continue
		}
		fi := append(slices.Clip(index), i)
		if name == "*" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			// reflect can set fields reached through an unexported field
			// only when it is an embedded struct value.
			settable := sf.IsExported() || sf.Anonymous && sf.Type.Kind() == reflect.Struct
			if ft.Kind() != reflect.Struct || !settable {
				return fmt.Errorf("field %s.%s tagged form:\"*\" must be an exported struct or pointer to struct", t, sf.Name)
			}
			if err := collectFields(ft, fi, fields, inlining); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			return fmt.Errorf("field %s.%s has a form tag but is not exported", t, sf.Name)
		}
		f := formField{index: fi, depth: len(index)}
		if old, dup := fields[name]; dup {
			if old.depth == f.depth {
				return fmt.Errorf("%s has two fields named form:%q", t, name)
			}
			if old.depth < f.depth {
				continue
			}
		}
		fields[name] = f
	}
	return nil
}

// checkType reports whether Decode can store into type t; seen breaks
// cycles through recursive types.
func checkType(t reflect.Type, seen map[reflect.Type]bool) error {
	if isUnmarshaler(t) {
		return nil
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return nil
		}
	case reflect.Pointer:
		if t.Elem().Kind() != reflect.Pointer {
			return checkType(t.Elem(), seen)
		}
	case reflect.Slice:
		return checkType(t.Elem(), seen)
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return checkType(t.Elem(), seen)
		}
	case reflect.Struct:
		if seen[t] {
			return nil
		}
		seen[t] = true
		fields := map[string]formField{}
		if err := collectFields(t, nil, fields, map[reflect.Type]bool{}); err != nil {
			return err
		}
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			if err := checkType(t.FieldByIndex(fields[name].index).Type, seen); err != nil {
				return fmt.Errorf("field %s of %s: %w", name, t, err)
			}
		}
		return nil
	}
	return fmt.Errorf("unsupported type %s", t)
}
