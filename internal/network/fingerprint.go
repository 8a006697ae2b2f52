package network

import (
	"crypto/hmac"
	"crypto/sha256"
	"math/big"
)

// fingerprintLen is the length of Stripe's card fingerprints
// ("Xt5EWLLDS7FJjR1c").
const fingerprintLen = 16

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// fingerprintDomain separates card fingerprints from anything else that
// might one day be MACed with the same account secret, and versions the
// scheme.
const fingerprintDomain = "tender card fingerprint v1\x00"

// Fingerprint identifies a card number within one account without revealing
// it: HMAC-SHA256 keyed with the account's secret over the normalised number
// (spaces and dashes removed), encoded as 16 base62 characters like
// payment_method.card.fingerprint. The same number always gives the same
// fingerprint for the same key; another account's key gives an unrelated
// one, so fingerprints cannot be correlated across accounts. With the key
// secret, a fingerprint cannot be brute-forced back to the number, which an
// unkeyed hash of a 16-digit number could.
//
// accountSecret should be at least 32 random bytes kept with the account.
func Fingerprint(accountSecret []byte, number string) string {
	mac := hmac.New(sha256.New, accountSecret)
	mac.Write([]byte(fingerprintDomain))
	mac.Write([]byte(NormalizeNumber(number)))
	sum := mac.Sum(nil)

	// 16 base62 digits hold 95 bits; reducing the 256-bit MAC modulo 62^16
	// keeps them all uniformly distributed.
	v := new(big.Int).SetBytes(sum)
	base := big.NewInt(62)
	rem := new(big.Int)
	out := make([]byte, fingerprintLen)
	for i := fingerprintLen - 1; i >= 0; i-- {
		v.DivMod(v, base, rem)
		out[i] = base62[rem.Int64()]
	}
	return string(out)
}
