// Stripe's Node sample for finalizing payments on the server
// (docs.stripe.com/payments/finalize-payments-on-the-server), pointed at
// Tender. The payment and webhook code is Stripe's, unchanged; what differs:
//   1. the Stripe client's host, port and protocol (Tender instead of api.stripe.com),
//   2. keys, port and webhook secret come from the environment,
//   3. GET / serves the checkout page with Tender's script URL filled in.
// Run: TENDER_SECRET_KEY=sk_test_… TENDER_PUBLISHABLE_KEY=pk_test_… WEBHOOK_SECRET=whsec_… npm start
const fs = require('fs');
const path = require('path');

// --- Tender -----------------------------------------------------------------
const tender = new URL(process.env.TENDER_URL || 'http://127.0.0.1:12111');
const stripe = require('stripe')(process.env.TENDER_SECRET_KEY, {
  host: tender.hostname,
  port: Number(tender.port) || (tender.protocol === 'https:' ? 443 : 80),
  protocol: tender.protocol.replace(':', ''),
});
const publicTender = (process.env.TENDER_PUBLIC_URL || tender.origin).replace(/\/+$/, '');
const endpointSecret = process.env.WEBHOOK_SECRET;
const port = process.env.PORT || 3000;
// ---------------------------------------------------------------------------

const express = require('express');
const app = express();

// The checkout page, with tender.js's URL and the publishable key filled in.
const page = fs.readFileSync(path.join(__dirname, 'public', 'index.html'), 'utf8');
app.get('/', (req, res) => {
  res.type('html').send(page
    .replaceAll('{{TENDER_URL}}', publicTender)
    .replaceAll('{{PUBLISHABLE_KEY}}', JSON.stringify(process.env.TENDER_PUBLISHABLE_KEY || '')));
});

// Stripe's webhook sample. It needs the raw body, so it comes before express.json().
app.post('/webhook', express.raw({type: 'application/json'}), (request, response) => {
  const sig = request.headers['stripe-signature'];

  let event;

  try {
    event = stripe.webhooks.constructEvent(request.body, sig, endpointSecret);
  } catch (err) {
    response.status(400).send(`Webhook Error: ${err.message}`);
    return;
  }

  // Handle the event
  switch (event.type) {
    case 'payment_intent.succeeded':
      const paymentIntentSucceeded = event.data.object;
      // Then define and call a function to handle the event payment_intent.succeeded
      console.log(`PaymentIntent ${paymentIntentSucceeded.id} succeeded (${event.id})`);
      break;
    // ... handle other event types
    default:
      console.log(`Unhandled event type ${event.type}`);
  }

  // Return a 200 response to acknowledge receipt of the event
  response.send();
});

app.use(express.static('public'));
app.use(express.json());

app.post('/create-confirm-intent', async (req, res) => {
  try {
    const intent = await stripe.paymentIntents.create({
      confirm: true,
      amount: 1099,
      currency: 'usd',
      // In the latest version of the API, specifying the `automatic_payment_methods` parameter is optional because Stripe enables its functionality by default.
      automatic_payment_methods: {enabled: true},
      confirmation_token: req.body.confirmationTokenId, // the ConfirmationToken ID sent by your client
    });
    res.json({
      client_secret: intent.client_secret,
      status: intent.status
    });
  } catch (err) {
    res.json({
      error: err
    })
  }
});

const server = app.listen(port, () => {
  console.log(`Running on port ${server.address().port}`);
});
