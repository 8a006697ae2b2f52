package dashboard

import (
	"sync"
	"time"
)

// limiter slows down password guessing: after maxFailures failed logins
// from one address within window, that address is refused until the window
// passes. It is per process — each node of a cluster counts on its own,
// which bounds guessing per node; keys are long random strings and
// passwords are bcrypt hashes, so this is a brake, not the lock.
type limiter struct {
	mu     sync.Mutex
	clock  func() time.Time
	counts map[string]*window
}

type window struct {
	start    time.Time
	failures int
}

const (
	maxFailures   = 10
	failureWindow = 10 * time.Minute
)

func newLimiter() *limiter { return &limiter{clock: time.Now, counts: map[string]*window{}} }

func (l *limiter) allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.counts[client]
	if w == nil || l.clock().Sub(w.start) > failureWindow {
		delete(l.counts, client)
		return true
	}
	return w.failures < maxFailures
}

func (l *limiter) fail(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	if len(l.counts) > 10000 { // forget old windows rather than grow
		for k, w := range l.counts {
			if now.Sub(w.start) > failureWindow {
				delete(l.counts, k)
			}
		}
	}
	w := l.counts[client]
	if w == nil || now.Sub(w.start) > failureWindow {
		w = &window{start: now}
		l.counts[client] = w
	}
	w.failures++
}
