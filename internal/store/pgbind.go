package store

import (
	"database/sql"
	"strconv"
	"unsafe"
)

// Binding a batch's parameters. pgx encodes a statement's parameters into
// one buffer that it shrinks back to 256 bytes after every statement, so a
// batch's INSERT — some 100 KB of JSON — regrows it about ten times, on the
// writer's path. The writer's pipeline binds them itself instead: in text,
// but bytea in binary (its raw bytes), byte slices and strings as they are,
// and everything else from one buffer sized beforehand.

// bytea is PostgreSQL's type oid for bytea.
const bytea = 17

// bindParams returns the wire values and format codes of args, for a
// statement whose parameters have the type oids; ok is false if an
// argument is of a type it does not bind (pgx then does).
func bindParams(args []any, oids []uint32) (values [][]byte, formats []int16, ok bool) {
	if len(args) != len(oids) {
		return nil, nil, false
	}
	size := 0
	for _, a := range args {
		switch v := a.(type) {
		case nil, string, []byte, sql.NullString:
		case bool:
			size++
		case int, int64, int32:
			size += 20
		case []int64:
			size += 2 + 21*len(v)
		case []bool:
			size += 2 + 2*len(v)
		case []string:
			size += 2
			for _, s := range v {
				size += 3 + 2*len(s) // quoted, each byte escaped at worst
			}
		default:
			return nil, nil, false
		}
	}
	buf := make([]byte, 0, size)
	values = make([][]byte, len(args))
	formats = make([]int16, len(args))
	for i, a := range args {
		if oids[i] == bytea {
			formats[i] = 1 // binary: the bytes themselves
		}
		start := len(buf)
		switch v := a.(type) {
		case nil:
			continue
		case string:
			values[i] = bytesOf(v)
			continue
		case sql.NullString:
			if v.Valid {
				values[i] = bytesOf(v.String)
			}
			continue
		case []byte:
			if v == nil {
				continue
			}
			values[i] = v
			continue
		case bool:
			if formats[i] == 1 {
				return nil, nil, false
			}
			buf = append(buf, "ft"[boolIndex(v)])
		case int:
			buf = strconv.AppendInt(buf, int64(v), 10)
		case int64:
			buf = strconv.AppendInt(buf, v, 10)
		case int32:
			buf = strconv.AppendInt(buf, int64(v), 10)
		case []int64:
			buf = appendArray(buf, v, func(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) })
		case []bool:
			buf = appendArray(buf, v, func(b []byte, t bool) []byte { return append(b, "ft"[boolIndex(t)]) })
		case []string:
			buf = appendArray(buf, v, appendArrayString)
		}
		if formats[i] == 1 {
			return nil, nil, false // only strings and bytes bind as bytea
		}
		values[i] = buf[start:len(buf):len(buf)]
	}
	return values, formats, true
}

// appendArray appends v as an array literal, each element by elem.
func appendArray[T any](buf []byte, v []T, elem func([]byte, T) []byte) []byte {
	buf = append(buf, '{')
	for i, e := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = elem(buf, e)
	}
	return append(buf, '}')
}

// appendArrayString appends s as an element of an array literal: quoted,
// with its quotes and backslashes escaped.
func appendArrayString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			buf = append(buf, '\\')
		}
		buf = append(buf, s[i])
	}
	return append(buf, '"')
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// bytesOf is s's bytes, not copied: the wire only reads them.
func bytesOf(s string) []byte {
	if s == "" {
		return []byte{}
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
