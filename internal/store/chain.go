package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Chained commits. On PostgreSQL a batch costs round trips — begin, the
// key claim, its rows, commit — and under load each waits for both
// processes to be scheduled. While writes are waiting, a writer's commit
// therefore carries the batch's rows and begins the next batch's
// transaction (COMMIT AND CHAIN), all in one round trip, and the next
// batch starts on it.

// next returns the next queued write, waiting for one. A transaction
// begun by the last commit (*ch) is ended first if the writer would wait:
// it is for writes already queued, and a session idle in a transaction is
// a burden on the server.
func (w *groupWriter) next(ch **chained) (*writeReq, bool) {
	select {
	case req, ok := <-w.queue:
		return req, ok
	default:
	}
	(*ch).end()
	*ch = nil
	req, ok := <-w.queue
	return req, ok
}

// chained is the transaction a PostgreSQL writer's last commit began
// (COMMIT AND CHAIN), on the connection it holds, for the next batch:
// with writes waiting, the batch that takes them starts without a round
// trip of its own to begin — under load a round trip waits for both
// processes to be scheduled, half a millisecond of a 4 ms cycle.
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
		b := &pgx.Batch{}
		for _, st := range stmts {
			b.Queue(st.query, st.args...)
		}
		b.Queue("COMMIT AND CHAIN")
		br := c.Conn().SendBatch(ctx, b)
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
	})
}
