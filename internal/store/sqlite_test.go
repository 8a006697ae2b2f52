package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tenderpay/tender/internal/payments"
)

func openSQLiteForTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func walFrames(t *testing.T, db *DB) int64 {
	t.Helper()
	var busy, frames, copied int64
	if err := db.read.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	return frames
}

// TestLongWALStartsOver checks that once the log is longer than the limit,
// the writer lets the next commit write it from the start, instead of it
// growing for as long as writes keep coming. A reader holding an old
// snapshot while the writes happen keeps checkpoints from copying them all,
// as a steady stream of readers and writers does.
func TestLongWALStartsOver(t *testing.T) {
	db := openSQLiteForTest(t)
	ctx := context.Background()
	reader, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRow("SELECT COUNT(*) FROM charges").Scan(&n); err != nil {
		t.Fatal(err)
	}
	scope := payments.Scope{Account: "acct_wal"}
	write := func(i int) {
		err := db.Update(ctx, func(tx *Tx) error {
			return tx.InsertCharge(ctx, scope, &payments.Charge{ID: fmt.Sprintf("ch_wal%04d", i), Description: strings.Repeat("x", 3000), Metadata: map[string]string{}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 200 {
		write(i)
	}
	long := walFrames(t, db)
	if long < 200 {
		t.Fatalf("log holds %d frames after 200 commits", long)
	}
	if err := reader.Rollback(); err != nil {
		t.Fatal(err)
	}
	db.walLimit.Store(100)
	db.walFrames.Store(long)
	db.restartLongWAL(ctx)
	write(200)
	if n := walFrames(t, db); n >= long || n > 20 {
		t.Fatalf("log holds %d frames after the restart, %d before", n, long)
	}
}

// TestGoneRequestKeepsSharedTransaction cancels a write's context while it
// runs inside a batch of others: its statements must not be interrupted,
// since an interrupted write rolls back the transaction the others share.
func TestGoneRequestKeepsSharedTransaction(t *testing.T) {
	db := openSQLiteForTest(t)
	scope := payments.Scope{Account: "acct_gone"}
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errs[i] = db.Update(ctx, func(tx *Tx) error {
				if i%4 == 0 {
					cancel() // the client went away mid-write
				}
				return tx.InsertCustomer(ctx, scope, &payments.Customer{ID: fmt.Sprintf("cus_gone%02d", i), Metadata: map[string]string{}})
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	err := db.View(context.Background(), func(tx *Tx) error {
		for i := range errs {
			if _, err := tx.GetCustomer(context.Background(), scope, fmt.Sprintf("cus_gone%02d", i)); err != nil {
				t.Errorf("customer %d: %v", i, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFileNamesAsGiven: the database is the file named, even when its name
// holds characters that mean something in a URI ('#', '?', '%'): SQLite
// once opened "db" for "db#1.db", and its WAL was not where Tender looked.
func TestFileNamesAsGiven(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "t#1?x=%41 y.db")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := putIntent(ctx, db, payments.Scope{Account: "acct_name"}, "pi_name"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != filepath.Base(path) {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("files %q, want only %q", names, filepath.Base(path))
	}
}

// TestWriterCacheIsSmall checks the page caches the connections get: the
// writer's small (its commits scan it, see cacheSize), the readers' large.
func TestWriterCacheIsSmall(t *testing.T) {
	db := openSQLiteForTest(t)
	for _, c := range []struct {
		name string
		conn interface {
			QueryRow(string, ...any) *sql.Row
		}
		want int
	}{{"writer", db.write, -8192}, {"reader", db.read, -65536}} {
		var got int
		if err := c.conn.QueryRow("PRAGMA cache_size").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s's cache_size = %d, want %d", c.name, got, c.want)
		}
	}
}
