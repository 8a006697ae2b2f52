package api_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tenderpay/tender/internal/apitest"
)

// TestStripeNode runs tests/node (stripe-node, the seed's exact calls)
// against a real Tender on each store. It needs `npm ci` in tests/node,
// which .ci/run does.
func TestStripeNode(t *testing.T) {
	dir, err := filepath.Abs("../../tests/node")
	if err != nil {
		t.Fatal(err)
	}
	_, nodeErr := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", "stripe"))
	if nodeErr != nil || modErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but node or tests/node/node_modules is missing (run npm ci in tests/node): %v %v", nodeErr, modErr)
		}
		t.Skipf("SKIPPING stripe-node tests: node or tests/node/node_modules missing (npm ci in tests/node): %v %v", nodeErr, modErr)
	}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		cmd := exec.Command("node", "--test", "--test-reporter=spec", dir)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TENDER_URL="+e.URL, "TENDER_SECRET_KEY="+apitest.SecretKey, "TENDER_PUBLISHABLE_KEY="+apitest.PublishableKey)
		out, err := cmd.CombinedOutput()
		t.Logf("stripe-node:\n%s", out)
		if err != nil {
			t.Fatalf("stripe-node tests failed: %v", err)
		}
	})
}
