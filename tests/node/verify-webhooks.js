// Verifies deliveries captured by internal/api/webhooks_test.go with
// stripe-node's webhooks.constructEvent. Usage: node verify-webhooks.js FILE
const fs = require('node:fs');
const Stripe = require('stripe');

const stripe = new Stripe('sk_test_unused');
const deliveries = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let verified = 0;
for (const d of deliveries) {
  const event = stripe.webhooks.constructEvent(d.body, d.signature, d.secret);
  if (event.object !== 'event' || !event.id.startsWith('evt_')) {
    throw new Error(`not an event: ${d.body}`);
  }
  verified++;
}
console.log(`verified ${verified}`);
