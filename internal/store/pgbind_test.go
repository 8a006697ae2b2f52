package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// TestBindParams binds values of every type the writer's pipeline sends —
// strings with quotes, backslashes, braces, commas and non-ASCII among
// them, in arrays too — inserts them through the wire protocol and reads
// them back through pgx: each comes back as it went. A connection keeps at
// most maxPrepared of the writers' statements. A parameter of another type
// is left to pgx, and a commit that carries one still commits. A failing
// statement's error is returned and nothing of its batch commits.
func TestBindParams(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("pgx", postgresSchema(t, postgresURL(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE bind_t (s TEXT, b BYTEA, f BOOLEAN, n BIGINT, i INTEGER, ns BIGINT[], ss TEXT[], bs BOOLEAN[], o TEXT, e TEXT, x DOUBLE PRECISION)`); err != nil {
		t.Fatal(err)
	}
	// send commits stmts as a writer does, and ends the transaction its
	// commit chains (or its failure left).
	send := func(stmts []statement) error {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		return commitAndChain(ctx, conn, stmts)
	}
	tricky := []string{"", "plain", `quo"te`, `back\slash`, `{brace}`, "comma,here", "NULL", "ünïcødé ✓", "new\nline", " spaces ", `\"mixed\\"`, "'single'"}
	const insert = `INSERT INTO bind_t (s, b, f, n, i, ns, ss, bs, o, e) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	for k, s := range tricky {
		args := []any{s, []byte(s + "\x00\xff"), k%2 == 0, int64(-k) << 40, k, []int64{int64(k), -1, 1 << 62}, tricky, []bool{true, k%2 == 1},
			sql.NullString{String: s, Valid: k%3 != 0}, nil}
		if _, _, ok := bindParams(args, make([]uint32, len(args))); !ok {
			t.Fatalf("row %d: not bound", k)
		}
		if err := send([]statement{{insert, args}}); err != nil {
			t.Fatalf("row %d: %v", k, err)
		}
	}
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		rows, err := pc.Query(ctx, `SELECT s, b, f, n, i, ns, ss, bs, o, e FROM bind_t ORDER BY i`)
		if err != nil {
			return err
		}
		defer rows.Close()
		k := 0
		for ; rows.Next(); k++ {
			var (
				s, e     *string
				o        sql.NullString
				b        []byte
				f        bool
				n        int64
				i        int
				ns       []int64
				ss       []string
				bs       []bool
				wantNull = k%3 == 0
			)
			if err := rows.Scan(&s, &b, &f, &n, &i, &ns, &ss, &bs, &o, &e); err != nil {
				return err
			}
			want := tricky[k]
			switch {
			case s == nil || *s != want:
				t.Errorf("row %d: text %v, want %q", k, s, want)
			case !bytes.Equal(b, []byte(want+"\x00\xff")):
				t.Errorf("row %d: bytea %q", k, b)
			case f != (k%2 == 0) || n != int64(-k)<<40 || i != k:
				t.Errorf("row %d: %v %d %d", k, f, n, i)
			case !slices.Equal(ns, []int64{int64(k), -1, 1 << 62}):
				t.Errorf("row %d: bigint[] %v", k, ns)
			case !slices.Equal(ss, tricky):
				t.Errorf("row %d: text[] %q, want %q", k, ss, tricky)
			case !slices.Equal(bs, []bool{true, k%2 == 1}):
				t.Errorf("row %d: boolean[] %v", k, bs)
			case o.Valid == wantNull || (o.Valid && o.String != want):
				t.Errorf("row %d: null string %+v", k, o)
			case e != nil:
				t.Errorf("row %d: nil bound as %q", k, *e)
			}
		}
		if k != len(tricky) {
			t.Errorf("%d rows, want %d", k, len(tricky))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}

	// Past maxPrepared texts the connection's statements start over.
	defer func(n int) { maxPrepared = n }(maxPrepared)
	maxPrepared = 2
	for k := range 5 {
		q := `INSERT INTO bind_t (s, i) VALUES ($1, $2)` + strings.Repeat(" ", k) // five texts
		if err := send([]statement{{q, []any{"many", 1000 + k}}}); err != nil {
			t.Fatalf("statement %d: %v", k, err)
		}
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO bind_t (s, i)%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > maxPrepared {
			t.Fatalf("after %d texts, %d prepared; want at most %d", k+1, n, maxPrepared)
		}
	}
	var many int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM bind_t WHERE s = 'many'`).Scan(&many); err != nil || many != 5 {
		t.Fatalf("%d rows of five statements (%v)", many, err)
	}

	// A statement that fails stops the batch: its error comes back, the
	// statements around it and the commit are skipped, and the connection
	// runs the next batch.
	failing := []statement{
		{`INSERT INTO bind_t (s, i) VALUES ($1, $2)`, []any{"before failure", 200}},
		{`INSERT INTO bind_t (s, i) VALUES ($1, $2::int / $3::int)`, []any{"failing", 1, 0}},
		{`INSERT INTO bind_t (s, i) VALUES ($1, $2)`, []any{"after failure", 201}},
	}
	var pe *pgconn.PgError
	if err := send(failing); !errors.As(err, &pe) || pe.Code != "22012" {
		t.Fatalf("a batch dividing by zero: %v, want division_by_zero", err)
	}
	if err := send(failing[:1]); err != nil {
		t.Fatalf("the batch after a failed one: %v", err)
	}
	var kept []string
	rows, err := conn.QueryContext(ctx, `SELECT s FROM bind_t WHERE i IN (200, 201) ORDER BY i`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, s)
	}
	if rows.Close(); !slices.Equal(kept, []string{"before failure"}) {
		t.Fatalf("rows kept %q, want only the next batch's", kept)
	}

	// A parameter bindParams does not take goes through pgx.
	args := []any{"pgx", 2.5, time.Now()}
	if _, _, ok := bindParams(args, make([]uint32, len(args))); ok {
		t.Fatal("a float bound")
	}
	if err := send([]statement{{`INSERT INTO bind_t (s, x, i) VALUES ($1, $2, extract(epoch from $3::timestamptz)::int * 0 + 100)`, args}}); err != nil {
		t.Fatal(err)
	}
	var x float64
	if err := conn.QueryRowContext(ctx, `SELECT x FROM bind_t WHERE s = 'pgx'`).Scan(&x); err != nil || x != 2.5 {
		t.Fatalf("through pgx: %v, %v", x, err)
	}
}
