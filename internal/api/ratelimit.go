package api

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/tenderpay/tender/internal/wire"
)

// Limits bound how fast one client may call the API. Each node keeps its
// own counts, as rate limiters in front of a cluster usually do.
type Limits struct {
	// PerKey is the sustained requests per second one API key may make;
	// zero means no limit. The burst is twice the rate.
	PerKey float64
	// PerIP is the same for one client address, across keys.
	PerIP float64
	// FailedAuthPerIP bounds requests with missing or invalid keys from one
	// address, per minute: a flood of guessed keys is refused before it
	// reaches the database.
	FailedAuthPerIP float64
}

// DefaultLimits leave honest load tests alone and stop key guessing.
var DefaultLimits = Limits{FailedAuthPerIP: 120}

// limiter holds one token bucket per key and per address.
type limiter struct {
	limits Limits
	mu     sync.Mutex
	byKey  map[string]*bucket
	byIP   map[string]*bucket
	failed map[string]*bucket
}

type bucket struct {
	*rate.Limiter
	seen time.Time
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, byKey: map[string]*bucket{}, byIP: map[string]*bucket{}, failed: map[string]*bucket{}}
}

func (l *limiter) take(m map[string]*bucket, id string, perSecond float64, burst int) bool {
	if perSecond <= 0 {
		return true
	}
	now := time.Now()
	l.mu.Lock()
	b, ok := m[id]
	if !ok {
		if len(m) > 100000 {
			// Forget idle clients rather than grow without bound.
			for k, v := range m {
				if now.Sub(v.seen) > time.Minute {
					delete(m, k)
				}
			}
		}
		b = &bucket{Limiter: rate.NewLimiter(rate.Limit(perSecond), burst)}
		m[id] = b
	}
	b.seen = now
	l.mu.Unlock()
	return b.Allow()
}

// allowIP is checked before authentication.
func (l *limiter) allowIP(ip string) bool {
	return l.take(l.byIP, ip, l.limits.PerIP, max(1, int(2*l.limits.PerIP)))
}

// allowKey is checked once the key is known.
func (l *limiter) allowKey(keyHash string) bool {
	return l.take(l.byKey, keyHash, l.limits.PerKey, max(1, int(2*l.limits.PerKey)))
}

// failedAuth records a failed authentication and reports whether the
// address may still try.
func (l *limiter) failedAuth(ip string) bool {
	perMinute := l.limits.FailedAuthPerIP
	return l.take(l.failed, ip, perMinute/60, max(1, int(perMinute/4)))
}

// blockedAuth reports whether an address has exhausted its failed
// attempts, without spending one.
func (l *limiter) blockedAuth(ip string) bool {
	if l.limits.FailedAuthPerIP <= 0 {
		return false
	}
	l.mu.Lock()
	b, ok := l.failed[ip]
	l.mu.Unlock()
	return ok && b.Tokens() < 1
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// rateLimited is Stripe's 429 envelope.
func rateLimited() error {
	return &wire.Error{Status: http.StatusTooManyRequests, Type: wire.TypeInvalidRequest, Code: "rate_limit", DocURL: wire.DocURL("rate_limit"),
		Message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests."}
}
