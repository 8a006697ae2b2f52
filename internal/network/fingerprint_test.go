package network

import (
	"regexp"
	"testing"
)

var fingerprintRE = regexp.MustCompile(`^[0-9A-Za-z]{16}$`)

func TestFingerprint(t *testing.T) {
	t.Parallel()
	keyA := []byte("account A secret, 32 bytes long!")
	keyB := []byte("account B secret, 32 bytes long!")

	fa := Fingerprint(keyA, "4242424242424242")
	if !fingerprintRE.MatchString(fa) {
		t.Fatalf("Fingerprint = %q, want 16 alphanumerics", fa)
	}
	// Stable, and independent of how the number was typed.
	for _, typed := range []string{"4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242"} {
		if got := Fingerprint(keyA, typed); got != fa {
			t.Errorf("Fingerprint(%q) = %q, want %q", typed, got, fa)
		}
	}
	// Separate per account and per number.
	if fb := Fingerprint(keyB, "4242424242424242"); fb == fa {
		t.Error("two accounts share a fingerprint")
	}
	if f := Fingerprint(keyA, "5555555555554444"); f == fa {
		t.Error("two numbers share a fingerprint")
	}
	// A pinned value: changing the scheme would split every stored card
	// from its past fingerprints.
	if got, want := Fingerprint([]byte("tender-test-key"), "4242424242424242"), "6yi0p09jVasVK9rz"; got != want {
		t.Errorf("Fingerprint changed: %q, want %q", got, want)
	}
}

func TestFingerprintDistribution(t *testing.T) {
	t.Parallel()
	key := []byte("k")
	seen := map[string]bool{}
	chars := map[byte]bool{}
	for _, tc := range testCards {
		f := Fingerprint(key, tc.number)
		if !fingerprintRE.MatchString(f) {
			t.Fatalf("Fingerprint = %q", f)
		}
		if seen[f] {
			t.Errorf("collision on %s", f)
		}
		seen[f] = true
		for i := range len(f) {
			chars[f[i]] = true
		}
	}
	// 52 fingerprints × 16 characters should use most of the alphabet.
	if len(chars) < 50 {
		t.Errorf("fingerprints use only %d distinct characters", len(chars))
	}
}
