// Package e2e is the end-to-end suite of the seed's integration: both
// example merchants (examples/checkout-go on stripe-go, examples/node-express
// on stripe-node) driven in real headless Chromium against a real Tender,
// and `tender demo`. Everything is in the tests; run them with
//
//	go test ./examples/e2e
//
// They need /usr/bin/chromium (and node with `npm ci` in
// examples/node-express for the Node flows): without them they skip with a
// loud message, except under CI=true where they fail. Screenshots of every
// checkout and outcome land in /tmp/tender-shots/e2e-*.png.
package e2e
