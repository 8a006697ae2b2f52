package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
)

// specWrite is a keyed write as the API makes one: it claims its key,
// reads the scope's endpoints, holds an insert and records its outcome.
// It counts its runs and keeps what its last run saw.
type specWrite struct {
	runs, ids atomic.Int32
	endpoints int
	replayed  bool
	inUse     bool
}

// errKeyInUse is a specWrite's error when another transaction holds its key.
var errKeyInUse = errors.New("key in use")

func (w *specWrite) fn(ctx context.Context, s payments.Scope, key string) func(*Tx) error {
	return func(tx *Tx) error {
		w.runs.Add(1)
		locked, rec, err := tx.ClaimIdempotencyKey(ctx, s, key)
		if err != nil {
			return err
		}
		if w.inUse = !locked; w.inUse {
			return errKeyInUse
		}
		w.replayed = rec != nil
		if rec != nil {
			return nil
		}
		eps, err := tx.EnabledEndpoints(ctx, s)
		if err != nil {
			return err
		}
		w.endpoints = len(eps)
		id := fmt.Sprintf("pi_%s_%d", key, w.ids.Add(1)) // a new id each run
		if err := tx.InsertPaymentIntent(ctx, s, &payments.PaymentIntent{ID: id, Metadata: map[string]string{}}); err != nil {
			return err
		}
		return tx.PutIdempotency(ctx, s, key, &IdempotencyRecord{Fingerprint: "f", Status: 200, Body: []byte("{}"), RequestID: "req_" + key})
	}
}

func (w *specWrite) run(t *testing.T, db *DB, s payments.Scope, key string) {
	t.Helper()
	w.runs.Store(0)
	ctx := context.Background()
	if err := db.SpeculateKeyed(ctx, s, key, w.fn(ctx, s, key)); err != nil {
		t.Fatal(err)
	}
}

// intentCount counts the scope's stored payment intents.
func intentCount(t *testing.T, db *DB, s payments.Scope) int {
	t.Helper()
	var n int
	err := db.View(context.Background(), func(tx *Tx) error {
		return tx.rawQueryRow(context.Background(), `SELECT count(*) FROM payment_intents WHERE account_id = ?`, s.Account).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// twoProcesses runs fn on each backend with two stores opened on one fresh
// database, as two Tender processes would.
func twoProcesses(t *testing.T, fn func(t *testing.T, db, other *DB)) {
	dsns := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "t.db") },
	}
	switch pg := os.Getenv("TENDER_TEST_POSTGRES_URL"); {
	case pg != "":
		dsns["postgres"] = func(t *testing.T) string { return postgresSchema(t, pg) }
	case os.Getenv("CI") == "true":
		t.Fatal("CI=true but TENDER_TEST_POSTGRES_URL is not set")
	}
	backends(t, dsns, fn)
}

// twoPostgresProcesses is twoProcesses on PostgreSQL alone, for behaviour
// only PostgreSQL has.
func twoPostgresProcesses(t *testing.T, fn func(t *testing.T, db, other *DB)) {
	pg := postgresURL(t)
	backends(t, map[string]func(t *testing.T) string{
		"postgres": func(t *testing.T) string { return postgresSchema(t, pg) },
	}, fn)
}

// postgresURL is the PostgreSQL database of tests for behaviour only
// PostgreSQL has; without one the test is skipped, or under CI fails.
func postgresURL(t *testing.T) string {
	pg := os.Getenv("TENDER_TEST_POSTGRES_URL")
	switch {
	case pg == "" && os.Getenv("CI") == "true":
		t.Fatal("CI=true but TENDER_TEST_POSTGRES_URL is not set")
	case pg == "":
		t.Skip("no PostgreSQL: TENDER_TEST_POSTGRES_URL is not set")
	}
	return pg
}

// backends runs fn with two stores on one fresh database of each of dsns.
func backends(t *testing.T, dsns map[string]func(t *testing.T) string, fn func(t *testing.T, db, other *DB)) {
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			path := dsn(t)
			db, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			other, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			fn(t, db, other)
		})
	}
}

// postgresSchema returns a URL of the PostgreSQL database at base that
// uses a schema of its own, dropped when the test ends.
func postgresSchema(t *testing.T, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema := "t_" + strings.ToLower(payments.RandomString(12))
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// speculated runs w's write of key speculatively and returns it as a
// request for the writer.
func speculated(t *testing.T, db *DB, w *specWrite, s payments.Scope, key string) *writeReq {
	t.Helper()
	ctx := context.Background()
	k := keyClaim{s, key}
	fn := w.fn(ctx, s, key)
	sp := db.speculate(ctx, k, fn)
	if sp == nil {
		t.Fatalf("speculation of %s did not get through", key)
	}
	return &writeReq{ctx: ctx, fn: fn, key: &k, spec: sp, done: make(chan error, 1)}
}

// speculateAsync returns a function that starts a speculative write of
// key by w on a goroutine of its own, and the channel each outcome comes
// on (buffered for n).
func speculateAsync(db *DB, s payments.Scope, n int) (submit func(w *specWrite, key string), done chan error) {
	ctx := context.Background()
	done = make(chan error, n)
	submit = func(w *specWrite, key string) {
		go func() { done <- db.SpeculateKeyed(ctx, s, key, w.fn(ctx, s, key)) }()
	}
	return submit, done
}

func addEndpoint(t *testing.T, db *DB, s payments.Scope, id string) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *Tx) error {
		return tx.InsertEndpoint(ctx, s, &webhooks.Endpoint{ID: id, URL: "https://example.com/" + id, EnabledEvents: []string{"*"}, Metadata: map[string]string{}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSpeculativeWrites: a keyed write run speculatively is written as it
// ran when its assumptions hold, and runs again in the writer — seeing the
// truth — when they do not: its key was used already, an endpoint was
// added by this process, or by another. On SQLite the writer sees another
// process's change by the database's data version; on PostgreSQL by the
// endpoints its claim of the key reads.
func TestSpeculativeWrites(t *testing.T) {
	twoProcesses(t, testSpeculativeWrites)
}

func testSpeculativeWrites(t *testing.T, db, other *DB) {
	ctx := context.Background()
	s := payments.Scope{Account: "acct_spec"}
	var w specWrite

	w.run(t, db, s, "k1") // the writer learns the data version; the cache fills
	w.run(t, db, s, "k2")
	if w.runs.Load() != 1 || w.endpoints != 0 || w.replayed {
		t.Fatalf("plain write: %d runs, %d endpoints, replayed %v; want 1 run", w.runs.Load(), w.endpoints, w.replayed)
	}
	if n := intentCount(t, db, s); n != 2 {
		t.Fatalf("%d intents written, want 2", n)
	}

	w.run(t, db, s, "k2") // the same key again
	if w.runs.Load() != 2 || !w.replayed {
		t.Fatalf("used key: %d runs, replayed %v; want 2 runs, the last replaying", w.runs.Load(), w.replayed)
	}
	if n := intentCount(t, db, s); n != 2 {
		t.Fatalf("%d intents after a replay, want 2", n)
	}

	// A key another process used.
	w.run(t, other, s, "k_theirs")
	w.run(t, db, s, "k_theirs")
	if w.runs.Load() != 2 || !w.replayed {
		t.Fatalf("key used by another process: %d runs, replayed %v; want 2 runs, the last replaying", w.runs.Load(), w.replayed)
	}
	if n := intentCount(t, db, s); n != 3 {
		t.Fatalf("%d intents after another process's write and its replay, want 3", n)
	}

	// An endpoint added between the speculation and the writer's batch.
	b := payments.Scope{Account: "acct_spec_b"}
	w.run(t, db, b, "kb1") // the scope's endpoints are cached: none
	w.runs.Store(0)
	k := keyClaim{b, "kb2"}
	sp := db.speculate(ctx, k, w.fn(ctx, b, k.key))
	if sp == nil || w.endpoints != 0 {
		t.Fatalf("speculation: %v, saw %d endpoints", sp, w.endpoints)
	}
	addEndpoint(t, db, b, "we_meanwhile")
	if err := db.group.submitSpec(ctx, &k, sp, w.fn(ctx, b, k.key)); err != nil {
		t.Fatal(err)
	}
	if w.runs.Load() != 2 || w.endpoints != 1 {
		t.Fatalf("endpoint added meanwhile: %d runs, %d endpoints; want 2 runs seeing 1", w.runs.Load(), w.endpoints)
	}

	// An endpoint added before, by this process.
	c := payments.Scope{Account: "acct_spec_c"}
	w.run(t, db, c, "kc1")
	addEndpoint(t, db, c, "we_ours")
	w.run(t, db, c, "kc2")
	if w.endpoints != 1 {
		t.Fatalf("after this process added an endpoint the write saw %d", w.endpoints)
	}

	// An endpoint added by another process: no generation of this one
	// moves, but the writer sees the database changed (SQLite) or the
	// endpoint (PostgreSQL).
	d := payments.Scope{Account: "acct_spec_d"}
	w.run(t, db, d, "kd1")
	addEndpoint(t, other, d, "we_theirs")
	w.run(t, db, d, "kd2")
	if w.runs.Load() != 2 || w.endpoints != 1 {
		t.Fatalf("after another process added an endpoint: %d runs, %d endpoints; want 2 runs seeing 1", w.runs.Load(), w.endpoints)
	}
	w.run(t, db, d, "kd3")
	if w.runs.Load() != 1 || w.endpoints != 1 {
		t.Fatalf("next write: %d runs, %d endpoints; want 1 run seeing 1", w.runs.Load(), w.endpoints)
	}
}

// TestSpeculationNeedingTheDatabase: a write that reads anything else
// stops speculating and runs in the writer, once more, from the start.
func TestSpeculationNeedingTheDatabase(t *testing.T) {
	twoProcesses(t, func(t *testing.T, db, _ *DB) {
		ctx := context.Background()
		s := payments.Scope{Account: "acct_spec"}
		var warm specWrite
		warm.run(t, db, s, "k_warm") // the writer learns the data version
		var runs int
		var sawIntent bool
		fn := func(tx *Tx) error {
			runs++
			_, err := tx.GetPaymentIntent(ctx, s, "pi_missing", false)
			sawIntent = err == nil
			if err != nil && err != payments.ErrNotFound {
				return err
			}
			return tx.InsertPaymentIntent(ctx, s, &payments.PaymentIntent{ID: fmt.Sprintf("pi_run%d", runs), Metadata: map[string]string{}})
		}
		if err := db.SpeculateKeyed(ctx, s, "k_read", fn); err != nil {
			t.Fatal(err)
		}
		if runs != 2 || sawIntent {
			t.Fatalf("%d runs, saw intent %v; want 2 runs", runs, sawIntent)
		}
		var id string
		err := db.View(ctx, func(tx *Tx) error {
			return tx.rawQueryRow(ctx, `SELECT id FROM payment_intents WHERE account_id = ? AND id LIKE 'pi_run%'`, s.Account).Scan(&id)
		})
		if err != nil || id != "pi_run2" {
			t.Fatalf("written %q (%v), want only the writer's run, pi_run2", id, err)
		}
	})
}

// TestSpeculationsSharingABatch: the writer checks a batch's keys in one
// read, so a key claimed earlier in the same batch — by a speculation, or
// by a write run in the writer — must still make a speculation run again
// and replay, not write a second time.
func TestSpeculationsSharingABatch(t *testing.T) {
	ctx := context.Background()
	db := openSQLiteForTest(t)
	s := payments.Scope{Account: "acct_batch"}
	var w specWrite
	w.run(t, db, s, "warm") // the writer learns the data version; the cache fills

	batch := func(reqs ...*writeReq) {
		t.Helper()
		db.group.run(reqs, nil)
		for i, r := range reqs {
			if err := <-r.done; err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
	}
	specReq := func(w *specWrite, key string) *writeReq { return speculated(t, db, w, s, key) }
	count := func() int { return intentCount(t, db, s) }

	var a, b specWrite
	batch(specReq(&a, "same"), specReq(&b, "same"))
	if a.runs.Load() != 1 || a.replayed || b.runs.Load() != 2 || !b.replayed {
		t.Fatalf("two speculations of one key: runs %d/%d, replayed %v/%v; want the second to run again and replay",
			a.runs.Load(), b.runs.Load(), a.replayed, b.replayed)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d intents, want 2 (warm, same)", n)
	}

	// The write in the writer is followed by one that reads, which
	// writes the batch's held rows into the transaction first.
	var c, d specWrite
	k := keyClaim{s, "mixed"}
	plain := &writeReq{ctx: ctx, fn: c.fn(ctx, s, k.key), key: &k, done: make(chan error, 1)}
	reads := &writeReq{ctx: ctx, done: make(chan error, 1), fn: func(tx *Tx) error {
		if _, err := tx.GetPaymentIntent(ctx, s, "pi_none", false); !errors.Is(err, payments.ErrNotFound) {
			return fmt.Errorf("read: %v", err)
		}
		return nil
	}}
	batch(plain, reads, specReq(&d, "mixed"))
	if c.runs.Load() != 1 || c.replayed || d.runs.Load() != 2 || !d.replayed {
		t.Fatalf("a write then a speculation of one key: runs %d/%d, replayed %v/%v; want the speculation to run again and replay",
			c.runs.Load(), d.runs.Load(), c.replayed, d.replayed)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d intents, want 3", n)
	}
}

// TestSpeculationJoiningABatch: a speculation that joins a batch while the
// previous batch's fsync runs is taken as new like the others; a used key
// is found so by the insert of its record, and replays.
func TestSpeculationJoiningABatch(t *testing.T) {
	db := openSQLiteForTest(t)
	s := payments.Scope{Account: "acct_join"}
	var w specWrite
	w.run(t, db, s, "used") // the key has a record; the endpoint cache fills

	called, release := gatedSync(t, db)
	submit, done := speculateAsync(db, s, 3)
	var first, second, again specWrite
	submit(&first, "first")
	<-called // the first batch committed; its fsync waits
	submit(&second, "second")
	time.Sleep(100 * time.Millisecond) // the writer runs the second batch and waits for the fsync
	submit(&again, "used")
	time.Sleep(100 * time.Millisecond) // and takes the third write in
	release <- nil                     // the first batch's fsync
	// The second batch, or each of its writes run again alone, commits.
	for finished := 0; finished < 3; {
		select {
		case <-called:
			release <- nil
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished++
		}
	}
	if again.runs.Load() != 2 || !again.replayed {
		t.Fatalf("a used key joining a batch: %d runs, replayed %v; want it to run again and replay", again.runs.Load(), again.replayed)
	}
	if n := intentCount(t, db, s); n != 3 {
		t.Fatalf("%d intents, want 3: used, first, second", n)
	}
}

// TestUsedKeyFoundByItsInsert: the SQLite writer takes a batch's keys as
// new without reading them. A used one is found by the insert of its
// record, which changes no row: nothing of the batch is kept, each write
// runs again alone, and the used key replays. For keysReadFor after that
// the writer reads a batch's keys first, so that a client repeating a
// used key costs one batch its company, not every batch: the used key
// replays and the others commit as they ran. An expired record is
// replaced, and counts as the new key's.
func TestUsedKeyFoundByItsInsert(t *testing.T) {
	now := time.Now()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := payments.Scope{Account: "acct_used"}
	var w specWrite
	w.run(t, db, s, "used")
	w.run(t, db, s, "old")
	batch := func(reqs ...*writeReq) {
		t.Helper()
		db.group.run(reqs, nil)
		for i, r := range reqs {
			err := <-r.done
			if errors.Is(err, errRunAlone) { // as submit does
				err = db.run(r.ctx, db.write, false, r.fn)
			}
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
		}
	}
	specReq := func(w *specWrite, key string) *writeReq { return speculated(t, db, w, s, key) }

	var a, b specWrite
	batch(specReq(&a, "used"), specReq(&b, "new1"))
	if a.runs.Load() != 2 || !a.replayed || b.runs.Load() != 2 || b.replayed {
		t.Fatalf("a used key taken as new: runs %d/%d, replayed %v/%v; want both to run again, the used key replaying",
			a.runs.Load(), b.runs.Load(), a.replayed, b.replayed)
	}
	if db.group.liveKeyFound.Load() == 0 {
		t.Fatal("the writer did not note the used key")
	}
	if n := intentCount(t, db, s); n != 3 {
		t.Fatalf("%d intents, want 3: used, old, new1", n)
	}

	var c, d specWrite
	batch(specReq(&c, "used"), specReq(&d, "new2"))
	if c.runs.Load() != 2 || !c.replayed || d.runs.Load() != 1 || d.replayed {
		t.Fatalf("a used key just after one was found: runs %d/%d, replayed %v/%v; want the used key to run again and replay, the new one once",
			c.runs.Load(), d.runs.Load(), c.replayed, d.replayed)
	}

	db.group.liveKeyFound.Store(0) // long ago: keys are taken as new again
	now = now.Add(IdempotencyRetention + time.Minute)
	var e, f specWrite
	batch(specReq(&e, "old"), specReq(&f, "new3"))
	if e.runs.Load() != 1 || e.replayed || f.runs.Load() != 1 || f.replayed {
		t.Fatalf("an expired key: runs %d/%d, replayed %v/%v; want each to run once, new", e.runs.Load(), f.runs.Load(), e.replayed, f.replayed)
	}
	if n := intentCount(t, db, s); n != 6 {
		t.Fatalf("%d intents, want 6: used, old, new1, new2, old again, new3", n)
	}
	var created int64
	err = db.View(context.Background(), func(tx *Tx) error {
		rec, err := tx.GetIdempotency(context.Background(), s, "old")
		if err == nil {
			created = rec.Created
		}
		return err
	})
	if err != nil || created != now.Unix() {
		t.Fatalf("the expired key's record: created %d (%v); want the new one's, %d", created, err, now.Unix())
	}
}

// TestRowsWrittenWhileTheDiskIsBusy: while the last batch's fsync runs, the
// writer writes the rows of the writes it has taken in into the
// transaction; a speculation of one of their keys that joins afterwards
// finds the key used, runs again and replays, and every write commits.
func TestRowsWrittenWhileTheDiskIsBusy(t *testing.T) {
	db := openSQLiteForTest(t)
	s := payments.Scope{Account: "acct_early"}
	var warm specWrite
	warm.run(t, db, s, "warm")

	flushed := make(chan int, 8)
	db.group.earlyFlush = func(rows int) { flushed <- rows }
	called, release := gatedSync(t, db)
	submit, done := speculateAsync(db, s, earlyFlushWrites+3)
	var first specWrite
	submit(&first, "first")
	<-called // the first batch committed; its fsync waits

	writes := make([]specWrite, earlyFlushWrites)
	for i := range writes {
		submit(&writes[i], fmt.Sprintf("k%d", i))
	}
	select {
	case rows := <-flushed:
		if rows != 2*earlyFlushWrites { // an intent and a key record each
			t.Fatalf("%d rows written early, want %d", rows, 2*earlyFlushWrites)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no rows written while the fsync ran")
	}
	var again, later specWrite
	submit(&again, "k3")
	submit(&later, "later")
	time.Sleep(100 * time.Millisecond) // the writer takes both in
	release <- nil                     // the first batch's fsync
	<-called
	release <- nil // the second batch's
	for range earlyFlushWrites + 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if again.runs.Load() != 2 || !again.replayed {
		t.Fatalf("a key written early, used again: %d runs, replayed %v; want it to run again and replay", again.runs.Load(), again.replayed)
	}
	for i := range writes {
		if writes[i].runs.Load() != 1 || writes[i].replayed {
			t.Fatalf("write %d: %d runs, replayed %v; want one run, new", i, writes[i].runs.Load(), writes[i].replayed)
		}
	}
	if n := intentCount(t, db, s); n != earlyFlushWrites+3 {
		t.Fatalf("%d intents, want %d: warm, first, k0…k%d, later", n, earlyFlushWrites+3, earlyFlushWrites-1)
	}
}

// TestOneRoundBatches: on PostgreSQL a batch of speculations, each under a
// key of its own and with no endpoints, commits in one round trip: its
// keys' claim, its rows and its commit together. When an assumption
// fails — a key used, a key another process holds, an endpoint another
// process added — nothing of it commits and the batch runs as any other:
// the used key replays, the held one is reported in use, the endpoint is
// seen, and the batch's other writes commit once. A batch with a value that
// fails to encode is handed on: each write runs again alone.
func TestOneRoundBatches(t *testing.T) {
	twoPostgresProcesses(t, func(t *testing.T, db, other *DB) {
		ctx := context.Background()
		s := payments.Scope{Account: "acct_one"}
		var warm specWrite
		warm.run(t, db, s, "warm") // the scope's endpoints are cached: none
		run := func(reqs ...*writeReq) []error {
			t.Helper()
			db.group.run(reqs, nil).end() // the transaction it chained, if any
			errs := make([]error, len(reqs))
			for i, r := range reqs {
				errs[i] = <-r.done
			}
			return errs
		}
		specReq := func(w *specWrite, s payments.Scope, key string) *writeReq { return speculated(t, db, w, s, key) }
		rounds := func() int64 { return db.group.oneRounds.Load() }
		noErrors := func(errs []error) {
			t.Helper()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("write %d: %v", i, err)
				}
			}
		}

		before := rounds()
		var a, b specWrite
		noErrors(run(specReq(&a, s, "a"), specReq(&b, s, "b")))
		if rounds() != before+1 || a.runs.Load() != 1 || b.runs.Load() != 1 {
			t.Fatalf("fresh batch: %d one-round commits, runs %d/%d; want 1, each run once", rounds()-before, a.runs.Load(), b.runs.Load())
		}
		if n := intentCount(t, db, s); n != 3 {
			t.Fatalf("%d intents, want 3", n)
		}

		// A used key: refused, and the batch runs as any other.
		before = rounds()
		var c, d specWrite
		c.ids.Store(1) // a new id: the key alone must refuse the batch
		noErrors(run(specReq(&c, s, "a"), specReq(&d, s, "d")))
		if rounds() != before || c.runs.Load() != 2 || !c.replayed || d.runs.Load() != 1 {
			t.Fatalf("a used key: %d one-round commits, runs %d/%d, replayed %v; want none, the used key's write to run again and replay, the other's speculation to hold",
				rounds()-before, c.runs.Load(), d.runs.Load(), c.replayed)
		}
		if n := intentCount(t, db, s); n != 4 {
			t.Fatalf("%d intents, want 4", n)
		}

		// An expired record not yet pruned: the new record's plain INSERT
		// fails on it, nothing commits, and the batch runs as any other —
		// its claim finds the record expired, and the new one replaces it.
		var aged int64
		err := db.Update(ctx, func(tx *Tx) error {
			return tx.rawQueryRow(ctx, `UPDATE idempotency_keys SET created = created - ? WHERE account_id = ? AND key = 'a' RETURNING created`,
				int64(2*IdempotencyRetention/time.Second), s.Account).Scan(&aged)
		})
		if err != nil {
			t.Fatal(err)
		}
		before = rounds()
		var x, y specWrite
		x.ids.Store(2) // ids of its own, as above
		noErrors(run(specReq(&x, s, "a"), specReq(&y, s, "y")))
		if rounds() != before || x.runs.Load() != 1 || x.replayed || y.runs.Load() != 1 {
			t.Fatalf("an expired key: %d one-round commits, runs %d/%d, replayed %v; want none, each speculation to hold, nothing replayed",
				rounds()-before, x.runs.Load(), y.runs.Load(), x.replayed)
		}
		if n := intentCount(t, db, s); n != 6 {
			t.Fatalf("%d intents, want 6", n)
		}
		var created int64
		err = db.View(ctx, func(tx *Tx) error {
			rec, err := tx.GetIdempotency(ctx, s, "a")
			if err == nil {
				created = rec.Created
			}
			return err
		})
		if err != nil || created <= aged {
			t.Fatalf("the expired key's record: created %d (%v); want the new one's, after %d", created, err, aged)
		}

		// A key another process's transaction holds.
		held, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- other.UpdateKeyed(ctx, s, "held", func(tx *Tx) error {
				if _, _, err := tx.ClaimIdempotencyKey(ctx, s, "held"); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		before = rounds()
		var e, f specWrite
		errs := run(specReq(&e, s, "held"), specReq(&f, s, "f"))
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if rounds() != before || !errors.Is(errs[0], errKeyInUse) || errs[1] != nil || !e.inUse || f.runs.Load() != 1 {
			t.Fatalf("a key held elsewhere: %d one-round commits, errors %v, in use %v, runs %d; want none, the held key in use, the other committed from its speculation",
				rounds()-before, errs, e.inUse, f.runs.Load())
		}

		// An endpoint another process added after this one cached none.
		p := payments.Scope{Account: "acct_one_p"}
		var g specWrite
		g.run(t, db, p, "p1")
		addEndpoint(t, other, p, "we_elsewhere")
		before = rounds()
		var h specWrite
		noErrors(run(specReq(&h, p, "p2")))
		if rounds() != before || h.runs.Load() != 2 || h.endpoints != 1 {
			t.Fatalf("an endpoint added elsewhere: %d one-round commits, %d runs seeing %d endpoints; want none, 2 runs seeing 1",
				rounds()-before, h.runs.Load(), h.endpoints)
		}
		if n := intentCount(t, db, s) + intentCount(t, db, p); n != 9 {
			t.Fatalf("%d intents in all, want 9", n)
		}

		// A value that fails to encode: the round trip is not made, and
		// the write fails alone.
		before = rounds()
		var good specWrite
		k := keyClaim{s, "bad"}
		badFn := func(tx *Tx) error {
			if _, _, err := tx.ClaimIdempotencyKey(ctx, s, k.key); err != nil {
				return err
			}
			if err := tx.InsertPaymentIntent(ctx, s, &payments.PaymentIntent{ID: "pi_bad", Metadata: map[string]string{}}); err != nil {
				return err
			}
			body := tx.Defer(func() ([]byte, error) { return nil, errors.New("cannot encode") })
			return tx.PutIdempotency(ctx, s, k.key, &IdempotencyRecord{Fingerprint: "f", Status: 200, BodyFrom: body, RequestID: "req_bad"})
		}
		sp := db.speculate(ctx, k, badFn)
		if sp == nil {
			t.Fatal("the failing write's speculation did not get through")
		}
		errs = run(specReq(&good, s, "good"), &writeReq{ctx: ctx, fn: badFn, key: &k, spec: sp, done: make(chan error, 1)})
		if rounds() != before || !errors.Is(errs[0], errRunAlone) || !errors.Is(errs[1], errRunAlone) {
			t.Fatalf("a value failing to encode: %d one-round commits, errors %v; want none, and each write sent to run alone", rounds()-before, errs)
		}
		if n := intentCount(t, db, s); n != 7 {
			t.Fatalf("%d intents, want 7: nothing of the batch", n)
		}
		if err := db.run(ctx, db.write, false, badFn); err == nil {
			t.Fatal("the failing write, alone: no error")
		}
		if err := db.run(ctx, db.write, false, good.fn(ctx, s, "good")); err != nil {
			t.Fatalf("the other write, alone: %v", err)
		}
		if n := intentCount(t, db, s); n != 8 {
			t.Fatalf("%d intents, want 8: the good write's, not the failed one's", n)
		}
	})
}
