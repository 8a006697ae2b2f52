package payments

import (
	"strings"
	"testing"
	"time"
)

func TestNewIDSortsByCreationTime(t *testing.T) {
	base := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	prev := ""
	for _, d := range []time.Duration{0, time.Millisecond, time.Second, time.Hour, 24 * time.Hour, 365 * 24 * time.Hour, 50 * 365 * 24 * time.Hour} {
		p := timePrefix(base.Add(d))
		if len(p) != 7 || p <= prev {
			t.Fatalf("prefix %q after %q at +%v: want 7 characters sorting later", p, prev, d)
		}
		prev = p
	}
	id := NewID("pi")
	if !strings.HasPrefix(id, "pi_") || len(id) != len("pi_")+17 {
		t.Fatalf("id %q", id)
	}
	if a, b := NewID("pi"), NewID("pi"); a == b {
		t.Fatalf("two ids alike: %s", a)
	}
}
