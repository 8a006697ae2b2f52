package payments

import (
	"crypto/rand"
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

// NewID returns a Stripe-style object id such as "cus_Nf2kTQ8tX3pLbR".
func NewID(prefix string) string {
	return prefix + "_" + RandomString(14)
}
