package store

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Deferred values. Most of what a payment writes is JSON — the response
// kept with its idempotency key, the events' renderings — and encoding it
// is pure work that needs nothing of the transaction once the objects are
// built. A write in a batch hands it to a goroutine of its own when its
// function returns, and the writer goes on to the next write; the value is
// awaited only when the row holding it is written, at the batch's commit.
// Encoded inside the writer it would be serial work: on SQLite a fifth of
// a payment's time there.

// Deferred is a value computed after the write that made it.
type Deferred struct {
	fn    func() ([]byte, error)
	once  sync.Once
	b     []byte
	err   error
	ready atomic.Bool // computed
}

// Defer registers fn, whose result a row of the transaction holds or the
// caller reads once the transaction has committed. fn must not touch the
// transaction, nor anything the transaction's later statements change.
func (tx *Tx) Defer(fn func() ([]byte, error)) *Deferred {
	d := &Deferred{fn: fn}
	tx.deferred = append(tx.deferred, d)
	return d
}

// DeferredBytes is a Deferred whose value is known already.
func DeferredBytes(b []byte) *Deferred {
	d := &Deferred{}
	d.once.Do(func() { d.b = b })
	d.ready.Store(true)
	return d
}

// Bytes returns the value, computing it if no one has yet, or waiting for
// whoever is.
func (d *Deferred) Bytes() ([]byte, error) {
	d.once.Do(func() {
		d.b, d.err = d.fn()
		d.ready.Store(true)
	})
	return d.b, d.err
}

// computed reports whether Bytes would return without computing or
// waiting.
func (d *Deferred) computed() bool { return d.ready.Load() }

// deferredText is a Deferred held for a TEXT column.
type deferredText struct{ *Deferred }

// startDeferred computes a finished write's deferred values off the
// writer, on one of a few long-lived goroutines: encoding JSON needs a deep
// stack, and a goroutine started for each write would grow its stack
// from scratch every time (copying it, a fifth of the encoding's cost).
// When those are all busy the values get a goroutine of their own.
func startDeferred(ds []*Deferred) {
	if len(ds) == 0 {
		return
	}
	startEncoders()
	select {
	case encodeQueue <- ds:
	default:
		go computeAll(ds)
	}
}

var (
	encodeQueue   = make(chan []*Deferred, 256)
	startEncoders = sync.OnceFunc(func() {
		for range runtime.GOMAXPROCS(0) {
			go func() {
				for ds := range encodeQueue {
					computeAll(ds)
				}
			}()
		}
	})
)

func computeAll(ds []*Deferred) {
	for _, d := range ds {
		_, _ = d.Bytes() // an error is reported when the row is written
	}
}

// deferredOf returns the Deferred a column value holds, or nil.
func deferredOf(v any) *Deferred {
	switch d := v.(type) {
	case *Deferred:
		return d
	case deferredText:
		return d.Deferred
	}
	return nil
}

// rowsComputed reports whether every deferred value rows hold is computed.
func rowsComputed(rows []*pendingWrite) bool {
	for _, w := range rows {
		for _, v := range w.vals {
			if d := deferredOf(v); d != nil && !d.computed() {
				return false
			}
		}
	}
	return true
}

// resolveDeferred replaces the deferred values of rows with what they
// computed.
func resolveDeferred(rows []*pendingWrite) error {
	for _, w := range rows {
		for i, v := range w.vals {
			d := deferredOf(v)
			if d == nil {
				continue
			}
			b, err := d.Bytes()
			if err != nil {
				return err
			}
			if _, text := v.(deferredText); text {
				// The bytes are the deferred value's alone and never
				// change: a string over them needs no copy.
				w.vals[i] = unsafe.String(unsafe.SliceData(b), len(b))
			} else {
				w.vals[i] = b
			}
		}
	}
	return nil
}
