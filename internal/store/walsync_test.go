package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tenderpay/tender/internal/payments"
)

// gatedSync replaces the fsync of db's WAL with one that waits for the
// test: each call is announced on called and returns what release sends.
func gatedSync(t *testing.T, db *DB) (called chan struct{}, release chan error) {
	t.Helper()
	if db.wal == nil {
		t.Fatal("the SQLite store syncs no WAL")
	}
	called, release = make(chan struct{}, 16), make(chan error)
	// A test that fails midway must not leave an fsync waiting: the
	// store's Close would wait for it.
	t.Cleanup(func() { close(release) })
	db.wal.sync = func(path string) error {
		if !strings.HasSuffix(path, "-wal") {
			t.Errorf("synced %s, not a WAL", path)
		}
		called <- struct{}{}
		return <-release
	}
	return called, release
}

// writeBehindGate opens a store whose fsyncs wait for the test and starts
// a write of intent id, returning once it has committed and its fsync has
// begun; the write's outcome arrives on wrote.
func writeBehindGate(t *testing.T, id string) (db *DB, s payments.Scope, wrote chan error, called chan struct{}, release chan error) {
	t.Helper()
	db = openSQLiteForTest(t)
	s = payments.Scope{Account: "acct_" + id}
	called, release = gatedSync(t, db)
	wrote = make(chan error, 1)
	go func() { wrote <- putIntent(context.Background(), db, s, id) }()
	<-called
	return db, s, wrote, called, release
}

func putIntent(ctx context.Context, db *DB, s payments.Scope, id string) error {
	return db.Update(ctx, func(tx *Tx) error {
		return tx.InsertPaymentIntent(ctx, s, &payments.PaymentIntent{ID: id, Metadata: map[string]string{}})
	})
}

func getIntent(ctx context.Context, db *DB, s payments.Scope, id string) error {
	return db.View(ctx, func(tx *Tx) error {
		_, err := tx.GetPaymentIntent(ctx, s, id, false)
		return err
	})
}

// TestCommitsWaitForTheirSync: a write is acknowledged only once an fsync
// of the WAL begun after its commit has finished, and a read that could
// see it returns no sooner.
func TestCommitsWaitForTheirSync(t *testing.T) {
	ctx := context.Background()
	db, s, wrote, called, release := writeBehindGate(t, "pi_synced")
	read := make(chan error, 1)
	go func() { read <- getIntent(ctx, db, s, "pi_synced") }()
	select {
	case err := <-wrote:
		t.Fatalf("the write returned (%v) before its fsync finished", err)
	case err := <-read:
		t.Fatalf("a read of the write returned (%v) before its fsync finished", err)
	case <-time.After(150 * time.Millisecond):
	}
	release <- nil
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if err := <-read; err != nil {
		t.Fatalf("read after the fsync: %v", err)
	}

	// Nothing left to sync: a read returns at once.
	if err := getIntent(ctx, db, s, "pi_synced"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-called:
		t.Fatal("a read with nothing unsynced to see synced the WAL")
	default:
	}
}

// TestFailedSyncSticks: after an fsync fails nothing is acknowledged, the
// write whose fsync it was included, even once fsyncs work again.
func TestFailedSyncSticks(t *testing.T) {
	ctx := context.Background()
	db, s, wrote, _, release := writeBehindGate(t, "pi_lost")
	release <- errors.New("EIO")
	if err := <-wrote; err == nil || !strings.Contains(err.Error(), "EIO") {
		t.Fatalf("write whose fsync failed: %v, want the failure", err)
	}
	db.wal.sync = syncFile
	if err := putIntent(ctx, db, s, "pi_after"); err == nil || !strings.Contains(err.Error(), "EIO") {
		t.Fatalf("write after a failed fsync: %v, want the failure", err)
	}
	if err := getIntent(ctx, db, s, "pi_after"); err == nil || !strings.Contains(err.Error(), "EIO") {
		t.Fatalf("read of an unsynced write after a failed fsync: %v, want the failure", err)
	}
}

// TestWALFoundBehindALink: a database opened through a symbolic link
// finds the WAL SQLite writes, wherever SQLite put it.
func TestWALFoundBehindALink(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	real := dir + "/real.db"
	db, err := Open(ctx, real, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	link := dir + "/link.db"
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := putIntent(ctx, db, payments.Scope{Account: "acct_link"}, "pi_link"); err != nil {
		t.Fatal(err)
	}
}
