package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Signature returns the Stripe-Signature header for payload sent at t:
// "t=<unix>,v1=<hex HMAC-SHA256 of "<unix>.<payload>" keyed with the whole
// whsec_ secret>". No spaces and no other '=': stripe-go rejects both.
func Signature(secret string, t time.Time, payload []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(payload)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}
