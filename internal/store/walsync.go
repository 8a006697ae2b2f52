package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// Durability on SQLite, pipelined. Under synchronous=FULL SQLite fsyncs the
// WAL inside every commit, and the single writer — what bounds a SQLite
// server — can do nothing else meanwhile: at 32 clients it spent a seventh
// of its time waiting for the disk. So Tender's write connection runs with
// synchronous=NORMAL, where a commit writes its frames to the WAL and
// returns, and walSync fsyncs the WAL itself on a goroutine of its own,
// while the writer goes on with the next batch (which takes in the writes
// that arrive until that fsync is done, instead of committing behind it).
//
// The guarantee is FULL's: no write is acknowledged before an fsync that
// began after its commit returned, so what a client was told is on disk.
// One fsync covers every frame written before it, and recovery after a
// power loss replays the WAL up to its last whole commit, so a batch never
// survives one committed before it.
//
// A read must not show what a power loss could still take back either:
// View waits, before returning, until every commit it could have seen is
// durable — at most until the fsync after the one under way.
//
// A failed fsync leaves the WAL's state unknown (Linux may drop the dirty
// pages and report success the next time), so the failure sticks: no write
// or read is acknowledged after it until the store is opened again.
//
// The job queue's own transactions (a delivery done, a retry scheduled)
// run on the same connection and are not waited for: the next fsync, or
// the next checkpoint, makes them durable; a power loss before that can
// only make a webhook be delivered again, which receivers must bear
// anyway (Stripe delivers at least once).

// errStoreClosed reports a commit after the store was closed.
var errStoreClosed = errors.New("store: closed")

// walSync fsyncs a SQLite database's WAL for the commits that wait on it.
type walSync struct {
	path string // the WAL file
	// sync makes the WAL durable: syncFile, but for tests.
	sync func(path string) error
	// issued counts the commits begun on the write connection (one at a
	// time: it has one connection); durable is the last known on disk.
	issued, durable atomic.Uint64

	mu       sync.Mutex
	returned uint64 // the last commit that has returned
	waiting  []syncWaiter
	failed   error
	closed   bool
	kick     chan struct{}
	done     chan struct{}
}

type syncWaiter struct {
	ticket uint64
	done   func(error)
}

// walPath finds the WAL of the SQLite database at path: beside the file
// as named, or beside the file a symbolic link names, depending on how
// SQLite resolved it.
func walPath(path string) (string, error) {
	candidates := []string{path + "-wal"}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		candidates = append(candidates, real+"-wal")
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("no write-ahead log beside %s", path)
}

func newWALSync(wal string) *walSync {
	s := &walSync{path: wal, sync: syncFile, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go s.loop()
	return s
}

// begin is called before a commit; the ticket it returns must be passed
// to after (or committed) once the commit returns, whether it succeeded or
// not.
func (s *walSync) begin() uint64 { return s.issued.Add(1) }

// after calls done once the commit with ticket t, which has returned, is
// durable, or with the error that keeps it from being known so. done runs
// on the syncing goroutine and must not block.
func (s *walSync) after(t uint64, done func(error)) {
	s.enqueue(t, true, done)
}

// committed returns once the commit with ticket t, which has returned, is
// durable. It does not give up when a context does: the write may have
// committed, and its caller must not be told otherwise.
func (s *walSync) committed(t uint64) error {
	ch := make(chan error, 1)
	s.after(t, func(err error) { ch <- err })
	return <-ch
}

// settled waits until every commit begun so far has returned and is
// durable: all that a finished read could have seen.
func (s *walSync) settled(ctx context.Context) error {
	t := s.issued.Load()
	if t <= s.durable.Load() {
		return nil
	}
	ch := make(chan error, 1)
	s.enqueue(t, false, func(err error) { ch <- err })
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *walSync) enqueue(t uint64, returned bool, done func(error)) {
	s.mu.Lock()
	if returned {
		s.returned = max(s.returned, t)
	}
	var err error
	switch {
	case s.failed != nil:
		err = s.failed
	case t <= s.durable.Load():
	case s.closed:
		err = errStoreClosed
	default:
		s.waiting = append(s.waiting, syncWaiter{t, done})
		select { // under the lock: close closes kick under it too
		case s.kick <- struct{}{}:
		default: // one is pending: the loop will see this waiter
		}
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	done(err)
}

func (s *walSync) loop() {
	defer close(s.done)
	defer func() {
		// Closed: reads waiting on commits that never returned.
		s.mu.Lock()
		rest := s.waiting
		s.waiting = nil
		s.mu.Unlock()
		for _, w := range rest {
			w.done(errStoreClosed)
		}
	}()
	for range s.kick {
		s.mu.Lock()
		// An fsync that starts now covers every commit that has
		// returned; a read waiting on one still under way waits for
		// the fsync after that commit's.
		top := s.returned
		ready := s.take(top)
		failed := s.failed
		s.mu.Unlock()
		if len(ready) == 0 {
			continue
		}
		err := failed
		if err == nil {
			err = s.sync(s.path)
			s.mu.Lock()
			if err != nil {
				s.failed = fmt.Errorf("sync WAL: %w", err)
				err = s.failed
				ready = append(ready, s.waiting...)
				s.waiting = nil
			} else {
				// Under the lock, so that enqueue never misses it;
				// those that came while the disk was busy with
				// commits this fsync covers go too.
				s.durable.Store(top)
				ready = append(ready, s.take(top)...)
			}
			s.mu.Unlock()
		}
		for _, w := range ready {
			w.done(err)
		}
	}
}

// take removes and returns the waiters for tickets up to top; s.mu is
// held.
func (s *walSync) take(top uint64) []syncWaiter {
	var ready []syncWaiter
	later := s.waiting[:0]
	for _, w := range s.waiting {
		if w.ticket <= top {
			ready = append(ready, w)
		} else {
			later = append(later, w)
		}
	}
	clear(s.waiting[len(later):])
	s.waiting = later
	return ready
}

// close ends the loop once the waiters it has are answered; later commits
// are refused.
func (s *walSync) close() {
	s.mu.Lock()
	s.closed = true
	close(s.kick)
	s.mu.Unlock()
	<-s.done
}

// syncFile fsyncs the file at path, opened afresh each time so that it is
// the file SQLite writes now.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
