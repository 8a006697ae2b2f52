// The seed's server call, made with stripe-node exactly as the Stripe docs
// write it, against a Tender whose address and keys come from the
// environment (set by internal/api/node_test.go).
const test = require('node:test');
const assert = require('node:assert/strict');
const Stripe = require('stripe');

const base = new URL(process.env.TENDER_URL);
const stripe = new Stripe(process.env.TENDER_SECRET_KEY, {
  host: base.hostname,
  port: Number(base.port),
  protocol: base.protocol.replace(':', ''),
  maxNetworkRetries: 0,
});

// browserToken makes a ConfirmationToken the way tender.js does: raw card
// data and a return_url, authenticated with the publishable key.
async function browserToken(number) {
  const body = new URLSearchParams({
    key: process.env.TENDER_PUBLISHABLE_KEY,
    'payment_method_data[type]': 'card',
    'payment_method_data[card][number]': number,
    'payment_method_data[card][exp_month]': '12',
    'payment_method_data[card][exp_year]': String(new Date().getFullYear() + 3),
    'payment_method_data[card][cvc]': '123',
    'payment_method_data[billing_details][address][postal_code]': '94107',
    return_url: 'https://shop.example/complete',
  });
  const res = await fetch(`${process.env.TENDER_URL}/v1/confirmation_tokens`, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body,
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json.id;
}

test('the seed call succeeds with a browser ConfirmationToken', async () => {
  const confirmationToken = await browserToken('4242424242424242');
  const intent = await stripe.paymentIntents.create({
    confirm: true,
    amount: 1099,
    currency: 'usd',
    automatic_payment_methods: {enabled: true},
    confirmation_token: confirmationToken,
  });
  assert.equal(intent.status, 'succeeded');
  assert.equal(intent.amount_received, 1099);
  assert.match(intent.client_secret, /^pi_[^_]+_secret_[^_]+$/);

  const token = await stripe.confirmationTokens.retrieve(confirmationToken);
  assert.equal(token.payment_intent, intent.id);
  assert.equal(token.expires_at, null);
});

test('the seed call with a test-helper token', async () => {
  const token = await stripe.testHelpers.confirmationTokens.create({
    payment_method: 'pm_card_visa',
    return_url: 'https://shop.example/complete',
  });
  const intent = await stripe.paymentIntents.create({
    confirm: true,
    amount: 1099,
    currency: 'usd',
    automatic_payment_methods: {enabled: true},
    confirmation_token: token.id,
  });
  assert.equal(intent.status, 'succeeded');
});

test('a decline is a StripeCardError with the decline code', async () => {
  const confirmationToken = await browserToken('4000000000000002');
  await assert.rejects(
    stripe.paymentIntents.create({
      confirm: true, amount: 1099, currency: 'usd',
      automatic_payment_methods: {enabled: true}, confirmation_token: confirmationToken,
    }),
    (err) => {
      assert.equal(err.type, 'StripeCardError');
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, 'card_declined');
      assert.equal(err.decline_code, 'generic_decline');
      assert.equal(err.raw.payment_intent.status, 'requires_payment_method');
      return true;
    },
  );
});

test('3D Secure needs the browser: requires_action with use_stripe_sdk', async () => {
  const confirmationToken = await browserToken('4000000000003220');
  const intent = await stripe.paymentIntents.create({
    confirm: true, amount: 1099, currency: 'usd',
    automatic_payment_methods: {enabled: true}, confirmation_token: confirmationToken,
  });
  assert.equal(intent.status, 'requires_action');
  assert.equal(intent.next_action.type, 'use_stripe_sdk');
});

test('idempotent retries replay', async () => {
  const key = `node-${Date.now()}`;
  const a = await stripe.customers.create({email: 'node@example.com'}, {idempotencyKey: key});
  const b = await stripe.customers.create({email: 'node@example.com'}, {idempotencyKey: key});
  assert.equal(a.id, b.id);
  await assert.rejects(
    stripe.customers.create({email: 'other@example.com'}, {idempotencyKey: key}),
    (err) => err.type === 'StripeIdempotencyError',
  );
});
