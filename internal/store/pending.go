package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/tenderpay/tender/internal/payments"
)

// Writes held back. A request's inserts — its objects, its events, its
// idempotency record — are not sent as they are made but queued, and
// written in order just before a statement that could read them, or when
// the transaction ends. An object inserted and then updated in the same
// transaction is written once, with its final state. Rows of one table
// and shape go in one multi-row INSERT, and on PostgreSQL the INSERTs of
// different tables go as one statement (each but the last a
// data-modifying WITH clause), so a payment costs one round trip for all
// its rows instead of one per row.
//
// In a batch (see groupcommit.go) a write's rows wait longer: until the
// batch commits, when the rows of every write in it go together — one
// multi-row INSERT per table, so a batch of payments costs a handful of
// statements instead of a handful per payment — or until a later write of
// the batch reads what they could change. The writes of one batch are
// concurrent requests, none of which has been told the others' ids, so
// that read is rare.

// pendingWrite is one held-back row: an object, or a plain row whose
// outcome nothing inspects.
type pendingWrite struct {
	table string
	row   *pendingRow // an object; nil for a plain row
	cols  []string    // a plain row's columns and values
	vals  []any
	// suffix follows the VALUES list (an ON CONFLICT clause); key names
	// a plain row for lookups (an idempotency key), in scope.
	suffix string
	key    string
	scope  payments.Scope
	// mustChange marks a row whose suffix may leave it unwritten (an
	// upsert's WHERE): on SQLite an insert that changes fewer rows than it
	// holds of these fails with errLiveKey; a one-round batch on
	// PostgreSQL sends it as a plain INSERT instead (asNew).
	mustChange bool
	// shapeKey caches shape.
	shapeKey string
}

// asNew returns w as a plain INSERT if its suffix may leave it unwritten
// (mustChange), with its shape worked out: where every key of a batch is
// taken as new (a one-round batch on PostgreSQL), a key's record that
// meets any other — live, or expired and not yet pruned — then fails the
// statement, and the batch runs as any other, reading its keys first.
func (w *pendingWrite) asNew() *pendingWrite {
	if !w.mustChange {
		return w
	}
	c := *w
	c.suffix, c.mustChange, c.shapeKey = "", false, ""
	c.shape()
	return &c
}

// pendingRow is an object inserted but not yet written. Reads of it by id
// are answered from memory.
type pendingRow struct {
	scope   payments.Scope
	id      string
	created int64
	data    []byte
	cols    []column
}

// objectColumns come first in every object row, before its own columns.
var objectColumns = []string{"id", "account_id", "livemode", "created", "data"}

// names returns w's column names (values gives their values).
func (w *pendingWrite) names() []string {
	if w.row == nil {
		return w.cols
	}
	names := append(make([]string, 0, len(objectColumns)+len(w.row.cols)), objectColumns...)
	for _, c := range w.row.cols {
		names = append(names, c.name)
	}
	return names
}

// columnCount is how many columns w has, without building them.
func (w *pendingWrite) columnCount() int {
	if w.row == nil {
		return len(w.cols)
	}
	return len(objectColumns) + len(w.row.cols)
}

// shape identifies the INSERT a row belongs to: rows of one shape share
// a statement. It is worked out once, when the row is final: by the
// request that made it if it ran speculatively, so not by the writer.
func (w *pendingWrite) shape() string {
	if w.shapeKey != "" {
		return w.shapeKey
	}
	var b strings.Builder
	b.WriteString(w.table)
	if w.row == nil {
		b.WriteString("(" + strings.Join(w.cols, ",") + ")" + w.suffix)
	} else {
		for _, c := range w.row.cols {
			b.WriteString(",")
			b.WriteString(c.name)
		}
	}
	w.shapeKey = b.String()
	return w.shapeKey
}

// values appends w's column values to args.
func (w *pendingWrite) values(args []any) []any {
	if w.row == nil {
		return append(args, w.vals...)
	}
	p := w.row
	args = append(args, p.id, p.scope.Account, p.scope.Livemode, p.created, p.data)
	for _, c := range p.cols {
		args = append(args, c.value)
	}
	return args
}

// hold queues a plain row of table.
func (tx *Tx) hold(w *pendingWrite) {
	tx.pending = append(tx.pending, w)
}

func (tx *Tx) pendingRow(table string, s payments.Scope, id string) *pendingRow {
	for _, w := range tx.pending {
		if p := w.row; p != nil && p.id == id && w.table == table && p.scope == s {
			return p
		}
	}
	return nil
}

// holds reports whether a write to table is queued, by this write or an
// earlier one of its batch.
func (tx *Tx) holds(table string) bool {
	for _, w := range tx.pending {
		if w.table == table {
			return true
		}
	}
	return tx.batch != nil && tx.batch.tables[table]
}

// holdsKey reports whether a plain row of table named key in scope is
// queued, by this write or an earlier one of its batch.
func (tx *Tx) holdsKey(table string, s payments.Scope, key string) bool {
	match := func(w *pendingWrite) bool { return w.table == table && w.key == key && w.scope == s }
	for _, w := range tx.pending {
		if match(w) {
			return true
		}
	}
	return tx.batch != nil && tx.batch.keys[heldKey{table, s, key}]
}

// mergeColumns sets the values of update over those of base, by name.
func mergeColumns(base, update []column) []column {
	out := append([]column(nil), base...)
next:
	for _, u := range update {
		for i := range out {
			if out[i].name == u.name {
				out[i].value = u.value
				continue next
			}
		}
		out = append(out, u)
	}
	return out
}

// batchWrites holds the rows of a batch's finished writes, with the
// tables and keys they write, so that a later write of the batch learns
// whether its read needs them without going through them all.
type batchWrites struct {
	rows   []*pendingWrite
	tables map[string]bool
	keys   map[heldKey]bool
	// ends marks where each write's rows end in rows.
	ends []int
}

// heldKey names a plain row by its key (an idempotency key).
type heldKey struct {
	table string
	scope payments.Scope
	key   string
}

// add takes a finished write's rows.
func (b *batchWrites) add(rows []*pendingWrite) {
	if b.tables == nil {
		b.tables, b.keys = map[string]bool{}, map[heldKey]bool{}
	}
	for _, w := range rows {
		b.tables[w.table] = true
		if w.key != "" {
			b.keys[heldKey{w.table, w.scope, w.key}] = true
		}
	}
	b.rows = append(b.rows, rows...)
	b.ends = append(b.ends, len(b.rows))
}

// take returns the rows and forgets them.
func (b *batchWrites) take() []*pendingWrite {
	rows := b.rows
	b.rows, b.tables, b.keys, b.ends = nil, nil, nil, nil
	return rows
}

// takeComputed returns the rows of the leading writes whose deferred
// values are all computed, if there are at least least of them, and
// forgets those rows. What it leaves is still noted as held (tables,
// keys): a read that checks finds more to flush than there is, which
// costs nothing but a flush.
func (b *batchWrites) takeComputed(least int) []*pendingWrite {
	n, w := 0, 0
	for w < len(b.ends) && rowsComputed(b.rows[n:b.ends[w]]) {
		n = b.ends[w]
		w++
	}
	if n == 0 || w < least {
		return nil
	}
	rows := b.rows[:n:n]
	b.rows = b.rows[n:]
	b.ends = b.ends[w:]
	for i := range b.ends {
		b.ends[i] -= n
	}
	return rows
}

// flush writes the queued inserts: first those of earlier writes of the
// batch, then this write's own. An error is kept and reported when the
// transaction ends as well, because a query that flushed first has no
// other way to report it.
func (tx *Tx) flush(ctx context.Context) error {
	if tx.flushErr != nil {
		return tx.flushErr
	}
	if err := tx.flushBatch(ctx); err != nil {
		tx.flushErr = err
		return err
	}
	if len(tx.pending) == 0 {
		return nil
	}
	writes := tx.pending
	tx.pending = nil
	if err := tx.writeRows(ctx, writes, tx.run); err != nil {
		tx.flushErr = err
		return err
	}
	return nil
}

// flushBatch writes the rows of the batch's earlier writes. They are not
// this write's own: they go outside its savepoint, which comes after them.
func (tx *Tx) flushBatch(ctx context.Context) error {
	if tx.batch == nil || len(tx.batch.rows) == 0 {
		return nil
	}
	return tx.writeRows(ctx, tx.batch.take(), tx.send)
}

// flushComputed writes the rows of the batch's leading writes whose
// values are encoded, without waiting for any, if there are at least
// least of them (see groupWriter.run). It returns how many rows it wrote.
func (tx *Tx) flushComputed(ctx context.Context, least int) (int, error) {
	if tx.batch == nil {
		return 0, nil
	}
	rows := tx.batch.takeComputed(least)
	if len(rows) == 0 {
		return 0, nil
	}
	return len(rows), tx.writeRows(ctx, rows, tx.send)
}

// writeRows sends rows as INSERTs through exec, one per run of a table's
// rows of one shape; on PostgreSQL as few statements as possible.
func (tx *Tx) writeRows(ctx context.Context, rows []*pendingWrite, exec func(context.Context, string, ...any) (sql.Result, error)) error {
	runs := shapeRuns(rows)
	if tx.dialect != Postgres {
		for _, r := range runs {
			for len(r) > 0 {
				n := chunkSize(r)
				// Values encoded off the writer are awaited only when
				// their rows go in: the tables written first (objects)
				// give the encoders of the later ones (events, responses)
				// time to finish.
				if err := resolveDeferred(r[:n]); err != nil {
					return fmt.Errorf("encode held-back rows: %w", err)
				}
				q, args := insertStatement(sqliteInsert, r[:n])
				res, err := exec(ctx, q, args...)
				if err != nil {
					return fmt.Errorf("insert into %s: %w", r[0].table, err)
				}
				if r[0].mustChange {
					if changed, err := res.RowsAffected(); err == nil && changed < int64(n) {
						return errLiveKey
					}
				}
				r = r[n:]
			}
		}
		return nil
	}
	if err := resolveDeferred(rows); err != nil {
		return fmt.Errorf("encode held-back rows: %w", err)
	}
	for len(runs) > 0 {
		n := together(runs)
		if err := writeTogether(ctx, runs[:n], exec); err != nil {
			return err
		}
		runs = runs[n:]
	}
	return nil
}

// shapeRuns groups rows by table and shape, keeping each table's rows in
// the order they were made: a row joins its table's latest run if it has
// that run's shape, and starts a new run otherwise.
func shapeRuns(rows []*pendingWrite) [][]*pendingWrite {
	var (
		runs   [][]*pendingWrite
		shapes []string
	)
	latest := map[string]int{} // table → index of its latest run
	for _, w := range rows {
		shape := w.shape()
		if i, ok := latest[w.table]; ok && shapes[i] == shape {
			runs[i] = append(runs[i], w)
			continue
		}
		latest[w.table] = len(runs)
		runs = append(runs, []*pendingWrite{w})
		shapes = append(shapes, shape)
	}
	return runs
}

// chunkSize is how many of run's rows one SQLite INSERT takes: the largest
// power of two that fits, so that a handful of statement lengths recur and
// each is parsed once and kept prepared, instead of once per batch.
func chunkSize(run []*pendingWrite) int {
	cols := run[0].columnCount()
	n := 1
	for n*2 <= len(run) && n*2*cols <= maxPreparedArgs {
		n *= 2
	}
	return n
}

// maxParams keeps one statement under PostgreSQL's 65,535 parameters.
const maxParams = 30000

// together counts the leading runs that can share one statement: runs of
// different tables, since PostgreSQL runs the parts of one statement in
// no promised order and a table's rows (and their sequence numbers) must
// go in the order they were made.
func together(runs [][]*pendingWrite) int {
	seen := map[string]bool{}
	params := 0
	for i, r := range runs {
		params += r[0].columnCount() * len(r)
		if seen[r[0].table] || (i > 0 && params > maxParams) {
			return i
		}
		seen[r[0].table] = true
	}
	return len(runs)
}

// sqliteInsert begins SQLite's INSERTs of held-back rows. OR FAIL spares
// each multi-row statement the statement journal SQLite otherwise keeps to
// undo its own rows should one of them break a constraint: a failed
// statement here always ends its whole transaction (the batch runs again,
// each write alone), so undoing the statement alone would be wasted work —
// a copy of every page it touched, 1.5% of the throughput.
const sqliteInsert = "INSERT OR FAIL"

// insertStatement is the INSERT of a run of rows of one shape, and its
// arguments; verb is "INSERT" or sqliteInsert.
func insertStatement(verb string, run []*pendingWrite) (string, []any) {
	args := make([]any, 0, run[0].columnCount()*len(run))
	for _, w := range run {
		args = w.values(args)
	}
	return insertText(verb, run), args
}

// insertText is the text of insertStatement, with ? placeholders.
func insertText(verb string, run []*pendingWrite) string {
	key := insertKey{verb, run[0].shape(), len(run)}
	if q, ok := insertTexts.Load(key); ok {
		return q.(string)
	}
	cols := run[0].names()
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var q strings.Builder
	q.WriteString(verb + " INTO " + run[0].table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range run {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(tuple)
	}
	if run[0].suffix != "" {
		q.WriteString(" " + run[0].suffix)
	}
	text := q.String()
	// The writer sends the same few statements over and over (SQLite's
	// runs come in powers of two): their text is built once.
	if len(run) <= maxCachedRun {
		insertTexts.Store(key, text)
	}
	return text
}

// insertTexts caches the text of INSERT statements by shape and row count.
var insertTexts sync.Map // insertKey → string

type insertKey struct {
	verb, shape string
	rows        int
}

// maxCachedRun keeps the cache to the run lengths that recur: SQLite's
// powers of two up to its prepared statements' size, and PostgreSQL's
// batches, which rarely exceed a few dozen writes — but a payment writes
// three events, so a batch of 22 payments already makes a run of 66 (with
// 64, such batches built their statement anew each time, on the writer).
const maxCachedRun = 256

// writeTogether sends runs as one statement: each but the last in a WITH
// clause of the last.
func writeTogether(ctx context.Context, runs [][]*pendingWrite, exec func(context.Context, string, ...any) (sql.Result, error)) error {
	n := 0
	for _, r := range runs {
		n += r[0].columnCount() * len(r)
	}
	args := make([]any, 0, n)
	for _, r := range runs {
		for _, w := range r {
			args = w.values(args)
		}
	}
	if _, err := exec(ctx, togetherText(runs), args...); err != nil {
		return fmt.Errorf("insert into %s: %w", runs[0][0].table, err)
	}
	return nil
}

// togetherText is the text of writeTogether's statement, with PostgreSQL's
// numbered placeholders. A batch of payments sends the same few over and
// over (one per batch size): they are built once.
func togetherText(runs [][]*pendingWrite) string {
	var key strings.Builder
	cache := true
	for _, r := range runs {
		key.WriteString(r[0].shape())
		key.WriteString("#")
		key.WriteString(strconv.Itoa(len(r)))
		key.WriteString(";")
		cache = cache && len(r) <= maxCachedRun
	}
	if q, ok := togetherTexts.Load(key.String()); ok {
		return q.(string)
	}
	var q strings.Builder
	for i, r := range runs {
		stmt := insertText("INSERT", r)
		last := i == len(runs)-1
		switch {
		case i == 0 && !last:
			q.WriteString("WITH ")
		case i > 0 && !last:
			q.WriteString(", ")
		case i > 0:
			q.WriteString(" ")
		}
		if last {
			q.WriteString(stmt)
		} else {
			fmt.Fprintf(&q, "w%d AS (%s)", i, stmt)
		}
	}
	text := numberPlaceholders(q.String())
	if cache {
		togetherTexts.Store(key.String(), text)
	}
	return text
}

// togetherTexts caches togetherText by the runs' shapes and lengths.
var togetherTexts sync.Map // string → string

// queryOnly runs a query that reads table alone, writing held-back
// inserts first only if one is into that table.
func (tx *Tx) queryOnly(ctx context.Context, table, query string, args ...any) (*sql.Rows, error) {
	if tx.holds(table) {
		if err := tx.flush(ctx); err != nil {
			return nil, err
		}
	}
	return tx.rawQuery(ctx, query, args...)
}
