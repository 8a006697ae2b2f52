package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
	"weak"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/stdlib"
)

// Chained commits. On PostgreSQL a batch costs round trips — begin, the
// key claim, its rows, commit — and under load each waits for both
// processes to be scheduled. A writer's commit therefore carries the
// batch's rows and begins the next batch's transaction (COMMIT AND CHAIN),
// all in one round trip, and the next batch starts on it.

// chainIdle is how long a writer keeps the transaction its last commit
// began while no write comes. Under load the next write is there or comes
// within a batch's time (a few milliseconds), and the round trip of a
// BEGIN is saved; idle, the session should not stay in a transaction. A
// transaction that has run no statement holds no snapshot and no lock,
// so while it waits it keeps nothing from the server's cleanup.
const chainIdle = 50 * time.Millisecond

// next returns the next queued write, waiting for one. A transaction
// begun by the last commit (*ch) is ended first if none comes within
// chainIdle.
func (w *groupWriter) next(ch **chained) (*writeReq, bool) {
	select {
	case req, ok := <-w.queue:
		return req, ok
	default:
	}
	if *ch != nil {
		t := time.NewTimer(chainIdle)
		select {
		case req, ok := <-w.queue:
			t.Stop()
			return req, ok
		case <-t.C:
		}
		(*ch).end()
		*ch = nil
	}
	req, ok := <-w.queue
	return req, ok
}

// chained is the transaction a PostgreSQL writer's last commit began
// (COMMIT AND CHAIN), on the connection it holds, for the next batch: the
// batch starts without a round trip of its own to begin — under load a
// round trip waits for both processes to be scheduled, half a millisecond
// of a 4 ms cycle.
type chained struct {
	conn *sql.Conn
	tx   *sql.Tx
}

// end rolls back the chained transaction, which has done nothing, and
// returns its connection to the pool.
func (c *chained) end() {
	if c == nil {
		return
	}
	_ = c.tx.Rollback()
	_ = c.conn.Close()
}

// begin starts the batch's transaction: the chained one if there is one;
// on PostgreSQL on a connection held for the batch (conn), so that its
// commit can begin the next one.
func (w *groupWriter) begin(ctx context.Context, ch *chained) (conn *sql.Conn, stx *sql.Tx, err error) {
	if ch != nil {
		return ch.conn, ch.tx, nil
	}
	if w.db.dialect != Postgres {
		stx, err = w.pool.BeginTx(ctx, nil)
		return nil, stx, err
	}
	if conn, err = w.pool.Conn(ctx); err != nil {
		return nil, nil, err
	}
	if stx, err = conn.BeginTx(ctx, nil); err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	return conn, stx, nil
}

// errCommitRolledBack reports a COMMIT AND CHAIN the server answered with
// a rollback: a statement had failed that no write reported.
var errCommitRolledBack = errors.New("commit rolled back")

// statement is a statement and its arguments.
type statement struct {
	query string
	args  []any
}

// commitAndChain sends stmts and then commits the transaction on conn and
// begins the next, all in one round trip. Should a statement fail, the
// server skips the rest: nothing is committed, and the error (a
// *pgconn.PgError) says so.
func commitAndChain(ctx context.Context, conn *sql.Conn, stmts []statement) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("commit and chain: driver connection %T", dc)
		}
		pc := c.Conn()
		ps := preparedOn(pc)
		bound, err := ps.encode(ctx, pc, stmts)
		if err != nil {
			return err
		}
		if !bound {
			return sendThroughPgx(ctx, pc, stmts)
		}
		return ps.send(ctx, pc.PgConn(), len(stmts))
	})
}

// encode writes the messages that run stmts, then COMMIT AND CHAIN, then
// Sync, into ps.buf: each statement with arguments prepared on pc (once
// per connection and text) and its parameters bound here (pgbind.go).
// It reports false if a statement has a parameter it does not bind.
//
// The buffer is the writer's own and kept from batch to batch: pgx's
// batch starts each one empty and grows it to the batch's ~100 KB in
// steps, which cost the writer more than the encoding itself.
func (ps *preparedStatements) encode(ctx context.Context, pc *pgx.Conn, stmts []statement) (bool, error) {
	b := ps.buf[:0]
	for _, st := range stmts {
		var (
			name    string
			values  [][]byte
			formats []int16
		)
		if len(st.args) == 0 {
			b, _ = (&pgproto3.Parse{Query: st.query}).Encode(b)
		} else {
			if _, ok := ps.texts[st.query]; !ok && len(ps.texts) >= maxPrepared {
				// The server keeps a plan for each: start over rather
				// than let them pile up.
				if err := pc.DeallocateAll(ctx); err != nil {
					return false, fmt.Errorf("deallocate statements: %w", err)
				}
				clear(ps.texts)
			}
			sd, err := pc.Prepare(ctx, st.query, st.query)
			if err != nil {
				return false, err
			}
			ps.texts[st.query] = struct{}{}
			var ok bool
			if values, formats, ok = bindParams(st.args, sd.ParamOIDs); !ok {
				return false, nil
			}
			name = sd.Name
		}
		var err error
		if b, err = (&pgproto3.Bind{PreparedStatement: name, ParameterFormatCodes: formats, Parameters: values}).Encode(b); err != nil {
			return false, err
		}
		b, _ = (&pgproto3.Execute{}).Encode(b)
	}
	b, _ = (&pgproto3.Parse{Query: "COMMIT AND CHAIN"}).Encode(b)
	b, _ = (&pgproto3.Bind{}).Encode(b)
	b, _ = (&pgproto3.Execute{}).Encode(b)
	b, _ = (&pgproto3.Sync{}).Encode(b)
	ps.buf = b
	return true, nil
}

// send writes what encode wrote for n statements to pgc and reads the
// answers up to the server's ReadyForQuery: the first error, if any, or
// errCommitRolledBack unless the commit (the last of n+1) committed.
// Each answer is a few dozen bytes, so the server never waits on the
// writer to read them while the writer writes.
func (ps *preparedStatements) send(ctx context.Context, pgc *pgconn.PgConn, n int) error {
	if _, err := pgc.Conn().Write(ps.buf); err != nil {
		// What the server got is unknown: the connection is done.
		_ = pgc.Close(ctx)
		return fmt.Errorf("send batch: %w", err)
	}
	var (
		failed    error
		completed int
		committed bool
	)
	for {
		msg, err := pgc.ReceiveMessage(ctx)
		if err != nil {
			return err
		}
		switch m := msg.(type) {
		case *pgproto3.CommandComplete:
			completed++
			committed = string(m.CommandTag) == "COMMIT"
		case *pgproto3.ErrorResponse:
			if failed == nil {
				failed = pgconn.ErrorResponseToPgError(m)
			}
		case *pgproto3.ReadyForQuery:
			switch {
			case failed != nil:
				return failed
			case completed != n+1 || !committed:
				return errCommitRolledBack
			}
			return nil
		}
	}
}

// maxPrepared bounds the statements the writers prepare on a connection
// (a batch's INSERT differs by the number of rows of each table: a few
// dozen texts recur under a steady load).
var maxPrepared = 256

// preparedStatements are the texts prepared on a connection by encode,
// and the buffer it encodes batches in. Only the writer holding the
// connection touches them.
type preparedStatements struct {
	texts map[string]struct{}
	buf   []byte
}

// prepared holds each connection's preparedStatements, keyed weakly so
// that a closed connection is not kept.
var prepared sync.Map // weak.Pointer[pgx.Conn] → *preparedStatements

// preparedOn returns pc's preparedStatements.
func preparedOn(pc *pgx.Conn) *preparedStatements {
	key := weak.Make(pc)
	if v, ok := prepared.Load(key); ok {
		return v.(*preparedStatements)
	}
	prepared.Range(func(k, _ any) bool { // forget closed connections
		if k.(weak.Pointer[pgx.Conn]).Value() == nil {
			prepared.Delete(k)
		}
		return true
	})
	ps := &preparedStatements{texts: map[string]struct{}{}}
	prepared.Store(key, ps)
	return ps
}

// sendThroughPgx is commitAndChain through pgx's own batch.
func sendThroughPgx(ctx context.Context, pc *pgx.Conn, stmts []statement) error {
	b := &pgx.Batch{}
	for _, st := range stmts {
		b.Queue(st.query, st.args...)
	}
	b.Queue("COMMIT AND CHAIN")
	br := pc.SendBatch(ctx, b)
	for range stmts {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return err
		}
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && tag.String() != "COMMIT" {
		err = errCommitRolledBack
	}
	return err
}

// collect is an exec that keeps the statements it is given in stmts, to
// be sent later, together.
func collect(stmts *[]statement) func(context.Context, string, ...any) (sql.Result, error) {
	return func(_ context.Context, query string, args ...any) (sql.Result, error) {
		*stmts = append(*stmts, statement{query, args})
		return nil, nil
	}
}
