package payments

import (
	"crypto/rand"
	"time"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// RandomString returns n characters drawn uniformly from [0-9A-Za-z].
func RandomString(n int) string {
	b := make([]byte, n)
	buf := make([]byte, n+n/2)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		for _, c := range buf {
			// 248 = 62*4: rejecting larger values keeps the draw unbiased.
			if c >= 248 || i == n {
				continue
			}
			b[i] = base62[c%62]
			i++
		}
	}
	return string(b)
}

// NewID returns a Stripe-style object id such as "cus_1cXk2BqN8tX3pLbRz":
// seven characters of the creation time in milliseconds, then ten random
// ones. Ids made later sort later, so a new row's id lands at the end of
// its unique index instead of on a random page: a write dirties a page or
// two, not one per index, and the commit that flushes them stays small.
func NewID(prefix string) string {
	return prefix + "_" + timePrefix(time.Now()) + RandomString(10)
}

// timePrefix encodes t's Unix milliseconds as seven base62 digits, most
// significant first (enough until the year 2081). The alphabet is in
// ASCII order, so the strings sort as the times do.
func timePrefix(t time.Time) string {
	var b [7]byte
	ms := uint64(t.UnixMilli())
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = base62[ms%62]
		ms /= 62
	}
	return string(b[:])
}
