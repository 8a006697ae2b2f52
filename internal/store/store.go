// Package store persists Tender's objects in SQLite (the embedded default)
// or PostgreSQL. Both run the same SQL, rebound per dialect, and pass the
// same behaviour suite. Public methods own their transaction; the Tx type
// implements payments.Tx so domain operations compose inside one.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the pure-Go "sqlite" driver

	"github.com/tenderpay/tender/internal/payments"
)

// Dialect names the database behind a DB.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is an open store.
type DB struct {
	dialect Dialect
	// write is the connection pool for read-write transactions. On SQLite it
	// holds a single connection: SQLite has one writer at a time, and queuing
	// writers in Go is cheaper than letting them spin on SQLITE_BUSY.
	write *sql.DB
	// read serves read-only transactions; on PostgreSQL it is write.
	read *sql.DB
	// batches are PostgreSQL's connections for group commit (see
	// groupcommit.go); nil on SQLite.
	batches *sql.DB
	now     func() time.Time
	// group batches writes into shared commits (see groupcommit.go).
	group *groupWriter
	// stmts caches prepared statements per pool: the pure-Go SQLite driver
	// would otherwise parse every statement again on every use.
	stmts  sync.Map // stmtKey → *sql.Stmt
	wanted sync.Map // stmtKey → true: statements to prepare
	// pruneBatch bounds the rows one pruning transaction deletes.
	pruneBatch int
	// keys caches API key lookups (see keycache.go).
	keys keyCache
	// stopCheckpoints ends the background WAL checkpointer; walFrames is
	// the WAL's length it last saw (see checkpoint.go).
	stopCheckpoints func()
	walFrames       atomic.Int64
	walLimit        atomic.Int64
	// endpointsGen counts the commits that changed webhook endpoints;
	// endpoints caches them for speculative writes (see speculate.go).
	endpointsGen atomic.Int64
	endpoints    endpointCache
	// wal makes SQLite's commits durable (see walsync.go); nil on
	// PostgreSQL.
	wal *walSync
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// Options tunes Open.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PruneBatch is how many expired rows one pruning transaction deletes
	// at most; 0 means 5,000.
	PruneBatch int
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens dsn — a SQLite file path or a postgres:// URL — and applies
// any pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db := &DB{now: opts.Now, pruneBatch: opts.PruneBatch}
	if db.pruneBatch <= 0 {
		db.pruneBatch = 5000
	}
	if db.now == nil {
		db.now = time.Now
	}
	var (
		err     error
		syncWAL bool // SQLite in WAL mode: see walsync.go
	)
	if IsPostgres(dsn) {
		db.dialect = Postgres
		db.write, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.write.SetMaxOpenConns(32)
		db.write.SetMaxIdleConns(32)
		db.read = db.write
		if db.batches, err = openBatchPool(dsn); err != nil {
			db.write.Close()
			return nil, err
		}
		db.group = newGroupWriter(db, db.batches, PostgresWriters)
	} else {
		db.dialect = SQLite
		// In WAL mode — on every file system with shared memory — the
		// writer's commits are made durable by walSync (walsync.go);
		// otherwise SQLite syncs each commit itself.
		if db.write, err = openSQLite(dsn, true, "NORMAL"); err != nil {
			return nil, err
		}
		var mode string
		if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		if syncWAL = mode == "wal"; !syncWAL {
			db.write.Close()
			if db.write, err = openSQLite(dsn, true, "FULL"); err != nil {
				return nil, err
			}
		}
		if db.read, err = openSQLite(dsn, false, "FULL"); err != nil {
			db.write.Close()
			return nil, err
		}
		db.walLimit.Store(walRestartFrames)
		db.group = newGroupWriter(db, db.write, 1)
		db.stopCheckpoints = db.checkpointer()
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.dialect, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if syncWAL {
		wal, err := walPath(dsn)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		db.wal = newWALSync(wal)
	}
	return db, nil
}

// openBatchPool opens the PostgreSQL connections the group writers use:
// their lock waits time out (see batchLockTimeout).
func openBatchPool(dsn string) (*sql.DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse postgres URL: %w", err)
	}
	q := u.Query()
	q.Set("lock_timeout", batchLockTimeout)
	u.RawQuery = q.Encode()
	pool, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(PostgresWriters)
	pool.SetMaxIdleConns(PostgresWriters)
	return pool, nil
}

// SQLiteWriterDSN is the DSN of a SQLite write connection with Tender's
// settings for the database file at path, for tools (the benchmark's
// commit baseline) that measure what SQLite does alone: there SQLite
// fsyncs each commit itself (synchronous=FULL), where Tender's writer
// fsyncs each batch's (see walsync.go) — the same durability.
func SQLiteWriterDSN(path string) string { return sqliteDSN(path, true, "FULL") }

// sqliteDSN is the DSN of a connection to the database file at path. On
// Tender's write connection synchronous is NORMAL in WAL mode: its commits
// are made durable by walSync, off the writer's path. Every other
// connection keeps FULL, so that a checkpoint it runs syncs as it should.
func sqliteDSN(path string, writer bool, synchronous string) string {
	q := url.Values{}
	// busy_timeout must come first so the pragmas after it wait out another
	// process (such as `tender accounts create`) holding the lock.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+synchronous+")")
	q.Add("_pragma", "foreign_keys(1)")
	// Savepoint journals and sorts stay in memory; a larger page cache and
	// memory-mapped reads keep lookups cheap as history grows.
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", "cache_size("+cacheSize(writer)+")")
	q.Add("_pragma", "mmap_size(268435456)")
	if writer {
		// Checkpoints run in the background (see checkpointer), not in
		// the commit path of whichever write crosses the threshold.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		// Take the write lock at BEGIN, so a transaction never fails to
		// upgrade from reader to writer halfway through.
		q.Set("_txlock", "immediate")
	}
	// The path is a URI's: unescaped, '#' and '?' would end it early.
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// cacheSize is a connection's page cache, in KiB as SQLite's negative
// cache_size counts. The writer's is smaller: while a file is under 1 GiB,
// every commit that split a B-tree page scans the writer's whole page
// cache (balance_nonroot renumbers pages through the pending-byte page,
// 262145, which lifts the cache's highest key above the file's end, and
// the commit's truncation then walks every hash bucket). At 64 MiB that
// scan cost ~70 µs a commit; at 8 MiB a tenth of it, and 8 MiB still
// holds the right-hand edges of every index a payment appends to.
func cacheSize(writer bool) string {
	if writer {
		return "-8192"
	}
	return "-65536"
}

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

func openSQLite(path string, writer bool, synchronous string) (*sql.DB, error) {
	dsn := sqliteDSN(path, writer, synchronous)
	d, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if writer {
		d.SetMaxOpenConns(1)
	} else {
		d.SetMaxOpenConns(8)
	}
	d.SetMaxIdleConns(8)
	d.SetConnMaxIdleTime(0)
	return d, nil
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes every connection.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	if db.stopCheckpoints != nil {
		db.stopCheckpoints()
	}
	if db.wal != nil {
		db.wal.close()
	}
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.batches != nil {
		err = errors.Join(err, db.batches.Close())
	}
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Update runs fn in a read-write transaction and commits if fn returns
// nil. It returns only once the outcome is durable.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	if db.group != nil {
		return db.group.submit(ctx, fn)
	}
	return db.run(ctx, db.write, false, fn)
}

// UpdateKeyed is Update for a write made under an idempotency key, which
// fn claims first (ClaimIdempotencyKey). On PostgreSQL the keys of all the
// writes of a batch are claimed together, in one round trip, before any
// of them runs.
func (db *DB) UpdateKeyed(ctx context.Context, s payments.Scope, key string, fn func(*Tx) error) error {
	if db.group != nil {
		return db.group.submitKeyed(ctx, &keyClaim{s, key}, fn)
	}
	return db.run(ctx, db.write, false, fn)
}

// SpeculateKeyed is UpdateKeyed for a write that may run first
// speculatively, outside the writer (see speculate.go). fn must change
// nothing outside the transaction, and the caller must not run two writes
// with one key at once (the API does not).
func (db *DB) SpeculateKeyed(ctx context.Context, s payments.Scope, key string, fn func(*Tx) error) error {
	if db.group == nil {
		return db.UpdateKeyed(ctx, s, key, fn)
	}
	k := keyClaim{s, key}
	if eps, ok := db.endpoints.get(s, db.endpointsGen.Load(), db.group.epoch.Load()); ok && len(eps) > 0 {
		// Its events would be delivered, which takes the job queue's
		// statements: the speculation would stop there, its work lost.
		return db.group.submitKeyed(ctx, &k, fn)
	}
	return db.group.submitSpec(ctx, &k, db.speculate(ctx, k, fn), fn)
}

// View runs fn in a read-only transaction. On SQLite it returns only once
// every commit fn could have seen is durable (see walsync.go).
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

// maxAttempts bounds how often a PostgreSQL write that lost a deadlock runs.
const maxAttempts = 5

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.runOnce(ctx, pool, readOnly, fn)
		if attempt == maxAttempts || !mustRetry(err) || ctx.Err() != nil {
			return err
		}
	}
}

func (db *DB) runOnce(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) error {
	if readOnly && db.dialect == Postgres {
		// Under PostgreSQL's READ COMMITTED every statement reads its own
		// snapshot, in a transaction or not; a read-only one would only
		// add a BEGIN and a COMMIT round trip to every read.
		return call(fn, &Tx{q: pool, db: db, pool: pool, dialect: db.dialect, now: db.now().UTC()})
	}
	stx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: stx, q: stx, db: db, pool: pool, dialect: db.dialect, now: db.now().UTC(), state: &txState{}}
	if err := call(fn, tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := tx.end(ctx); err != nil {
		_ = stx.Rollback()
		return err
	}
	var ticket uint64
	durable := db.wal != nil && pool == db.write
	if durable {
		ticket = db.wal.begin()
	}
	err = stx.Commit()
	if durable {
		err = errors.Join(err, db.wal.committed(ticket))
	}
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if readOnly && db.wal != nil {
		// Nothing the read saw may be lost to a power failure.
		if err := db.wal.settled(ctx); err != nil {
			return err
		}
	}
	if tx.keysChanged {
		db.keys.gen.Add(1)
	}
	if tx.state.endpointsChanged {
		db.endpointsGen.Add(1)
	}
	if db.dialect == SQLite && pool == db.read {
		db.prepareWanted(ctx, db.read)
	}
	return nil
}

// querier runs statements: a transaction, or on PostgreSQL's reads the
// pool itself.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is one transaction. It implements payments.Tx.
type Tx struct {
	tx      *sql.Tx // nil for PostgreSQL's reads
	q       querier
	db      *DB
	pool    *sql.DB // the pool the transaction runs on, for cached statements
	dialect Dialect
	now     time.Time
	events  []payments.Event
	// shared marks a transaction other writes share (group commit): a
	// request that goes away must not interrupt its statements, since an
	// interrupted write rolls the whole transaction back.
	shared bool
	// keysChanged says the transaction wrote keys or accounts, so that
	// cached key lookups are dropped once it commits (see keycache.go).
	keysChanged bool
	// batch, for a write sharing its transaction with others, holds the
	// rows of the batch's earlier writes, written when the batch commits
	// (see pending.go). Such a write opens a savepoint (savepoint) before
	// its first statement that changes anything, so that failing
	// afterwards undoes only its own work; most writes change nothing
	// until they end, and so need none. wrote says a statement that
	// changes something has run.
	batch                    *batchWrites
	savepoint, wrote, ending bool
	// endpoints were read with an idempotency key (ClaimIdempotencyKey);
	// claimed is that key's claim when made for the whole batch.
	endpoints *scopedEndpoints
	claimed   *claimed
	// shared between the writes of a batch: what the transaction did.
	state *txState
	// deferred are the values the write computes after it returns (see
	// deferred.go).
	deferred []*Deferred
	// pending holds inserts not yet written (see pending.go).
	pending  []*pendingWrite
	flushErr error
	// spec, for a speculative write, is what it assumes (speculate.go):
	// such a transaction has no database.
	spec *speculation
}

// Now is the transaction's fixed clock.
func (tx *Tx) Now() time.Time { return tx.now }

// Dialect reports which database the transaction runs on.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// SQL exposes the transaction for libraries that enqueue work inside it.
// Pending rows are written first; an error doing so fails the transaction
// when it ends.
func (tx *Tx) SQL() *sql.Tx {
	if tx.spec != nil {
		_ = tx.spec.abort()
		return nil // the library's statement fails
	}
	if tx.state != nil {
		tx.state.foreign = true
	}
	_ = tx.flush(context.Background())
	_ = tx.beforeWrite(context.Background()) // the statement that follows fails if this did
	return tx.tx
}

// end writes what is still pending before the transaction commits. A
// write that fails here fails as a whole, so it needs no savepoint.
func (tx *Tx) end(ctx context.Context) error {
	tx.ending = true
	if tx.batch != nil && tx.flushErr == nil {
		tx.batch.add(tx.pending)
		tx.pending = nil
		return nil
	}
	return tx.flush(ctx)
}

// beforeWrite opens a batched write's savepoint before its first statement
// that changes anything.
func (tx *Tx) beforeWrite(ctx context.Context) error {
	if tx.spec != nil {
		return tx.spec.abort()
	}
	tx.wrote = true
	if tx.batch == nil || tx.savepoint || tx.ending {
		return nil
	}
	// The batch's earlier rows go first, so that the savepoint does not
	// cover them.
	if err := tx.flushBatch(ctx); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(tx.Context(ctx), "SAVEPOINT w"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	tx.savepoint = true
	return nil
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	return tx.run(ctx, query, args...)
}

// run executes a statement that changes something, without flushing
// pending rows first.
func (tx *Tx) run(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := tx.beforeWrite(ctx); err != nil {
		return nil, err
	}
	return tx.send(ctx, query, args...)
}

// send executes a statement as it is.
func (tx *Tx) send(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.spec != nil {
		return nil, tx.spec.abort()
	}
	if tx.state != nil {
		tx.state.changes++
	}
	ctx = tx.Context(ctx)
	if len(args) <= maxPreparedArgs {
		if st := tx.stmt(ctx, query); st != nil {
			return st.ExecContext(ctx, args...)
		}
	}
	return tx.q.ExecContext(ctx, tx.rebind(query), args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := tx.flush(ctx); err != nil {
		return nil, err
	}
	return tx.rawQuery(ctx, query, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	// A flush error here is reported by end, which fails the transaction.
	_ = tx.flush(ctx)
	return tx.rawQueryRow(ctx, query, args...)
}

// rawQuery and rawQueryRow run a query without writing held-back inserts.
func (tx *Tx) rawQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx.spec != nil {
		return nil, tx.spec.abort()
	}
	ctx = tx.Context(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.q.QueryContext(ctx, tx.rebind(query), args...)
}

func (tx *Tx) rawQueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.spec != nil {
		return tx.abortedRow(ctx)
	}
	ctx = tx.Context(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.q.QueryRowContext(ctx, tx.rebind(query), args...)
}

// maxPreparedArgs bounds the statements kept prepared: the inserts of many
// rows at once vary in length, and preparing each would fill the cache.
const maxPreparedArgs = 64

// txState is what a transaction — all the writes of a batch — did.
type txState struct {
	// changes counts the statements that changed something.
	changes int
	// foreign says a library ran statements of its own (SQL): the job
	// queue's insert notifies listeners, which takes a lock at commit.
	foreign bool
	// endpointsChanged says a webhook endpoint was written, which ends
	// what speculative writes read of them (see speculate.go).
	endpointsChanged bool
}

// changeCount is how many statements have changed something in the
// transaction.
func (tx *Tx) changeCount() int {
	if tx.state == nil {
		return 0
	}
	return tx.state.changes
}

// Context is ctx as the transaction's statements run with it, for
// libraries (the job queue) that run their own: without its cancellation
// when other writes share the transaction, since a cancelled statement
// fails the transaction they share.
func (tx *Tx) Context(ctx context.Context) context.Context {
	if tx.shared {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// stmt returns query prepared for this transaction from the pool's cache,
// on SQLite; nil where preparing is not worth it (PostgreSQL's driver
// caches statements itself) or not done yet. A statement is never
// prepared inside a transaction: the write pool has one connection, held by
// the transaction. Misses are queued and prepared between transactions
// (see prepareWanted).
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.dialect != SQLite || tx.db == nil || tx.pool == nil || tx.tx == nil {
		return nil
	}
	v, ok := tx.db.stmts.Load(stmtKey{tx.pool, query})
	if !ok {
		tx.db.wanted.Store(stmtKey{tx.pool, query}, true)
		return nil
	}
	// On the transaction's own connection the prepared form is reused.
	return tx.tx.StmtContext(ctx, v.(*sql.Stmt))
}

// prepareWanted prepares the statements transactions asked for; it runs
// while no transaction holds the connections.
func (db *DB) prepareWanted(ctx context.Context, pool *sql.DB) {
	db.wanted.Range(func(k, _ any) bool {
		key := k.(stmtKey)
		if key.pool != pool {
			return true
		}
		db.wanted.Delete(k)
		if _, ok := db.stmts.Load(key); ok {
			return true
		}
		if st, err := key.pool.PrepareContext(ctx, key.query); err == nil {
			db.stmts.Store(key, st)
		}
		return true
	})
}

// rebind turns the ? placeholders every query is written with into
// PostgreSQL's $n. Queries never contain a literal '?'.
func (tx *Tx) rebind(q string) string {
	if tx.dialect != Postgres {
		return q
	}
	return numberPlaceholders(q)
}

// numberPlaceholders turns ? placeholders into $1, $2, …; a text that has
// none (numbered already) is returned as it is.
func numberPlaceholders(q string) string {
	if strings.IndexByte(q, '?') < 0 {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Pool is the read-write connection pool, for libraries such as the job
// queue that run their own statements on the same database.
func (db *DB) Pool() *sql.DB { return db.write }
