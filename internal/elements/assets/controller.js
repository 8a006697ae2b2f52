// The controller frame: one hidden frame per Stripe() instance, on Tender's
// origin. It makes every API call with the publishable key, receives card
// data from the Payment Element frames (same origin) and sends it only to
// Tender's API. The merchant page gets back tokens, intents and errors.
(function () {
  'use strict';
  const params = new URLSearchParams(location.hash.slice(1));
  const apiKey = params.get('apiKey');
  const merchantOrigin = params.get('origin');
  const stripeAccount = params.get('stripeAccount');
  const API = location.origin;

  const stashes = new Map();      // elementId → form state, so unmount/mount keeps what was typed
  const submitted = new Map();    // elementId → data validated by the last successful submit()
  const pending = new Map();      // request id → resolve, for questions to element frames
  let seq = 0;

  class IntegrationError extends Error {}

  function reply(id, body) {
    window.parent.postMessage(Object.assign({ tender: 'controller', id: id }, body), merchantOrigin);
  }

  // elementWindow finds a Payment Element frame by name. Frames are looked
  // up through our common parent, and only same-origin ones are trusted.
  function elementWindow(name) {
    try {
      const w = window.parent.frames[name];
      return w && w !== window ? w : null;
    } catch (e) { return null; }
  }

  window.addEventListener('message', async (ev) => {
    const d = ev.data;
    if (!d || typeof d !== 'object') return;
    if (ev.source === window.parent && ev.origin === merchantOrigin && d.tender === 'sdk') {
      try {
        const result = await handle(d.method, d.params || {});
        reply(d.id, { result: result });
      } catch (e) {
        if (e instanceof IntegrationError) reply(d.id, { integrationError: e.message });
        else reply(d.id, { error: { type: 'api_connection_error', message: String(e && e.message || e) } });
      }
      return;
    }
    if (ev.origin !== location.origin || d.tender !== 'element' || !d.elementId) return;
    // Only the element frame this message claims to be may speak for it.
    if (!ev.source || ev.source !== elementWindow(d.elementId)) return;
    switch (d.type) {
      case 'stash': stashes.set(d.elementId, d.state); submitted.delete(d.elementId); break;
      case 'restore-request':
        if (stashes.has(d.elementId)) ev.source.postMessage({ tender: 'controller', type: 'restore', state: stashes.get(d.elementId) }, location.origin);
        break;
      case 'validated': {
        const p = pending.get(d.id);
        if (p && p.elementId === d.elementId) { pending.delete(d.id); p.resolve(d.result); }
        break;
      }
      case 'detach': detach(ev.source, d); break;
    }
  });

  // detach is the Payment Element's remove action for a saved card: the
  // CustomerSession's secret authorises it, for that customer's cards only.
  async function detach(source, d) {
    const id = String(d.paymentMethod || '');
    const answer = { tender: 'controller', type: 'detached', id: d.id, paymentMethod: id };
    if (!/^pm_[A-Za-z0-9_]+$/.test(id) || !d.customerSessionClientSecret) {
      answer.error = { type: 'invalid_request_error', message: 'No saved payment method to remove.' };
    } else {
      const r = await api('POST', '/v1/elements/payment_methods/' + id + '/detach', { customer_session_client_secret: d.customerSessionClientSecret });
      if (r.error) answer.error = { type: r.error.type, code: r.error.code, message: r.error.message };
    }
    source.postMessage(answer, location.origin);
  }

  function ask(elementId, msg) {
    const w = elementWindow(elementId);
    if (!w) return Promise.reject(new IntegrationError('The Payment Element is not mounted.'));
    const id = 'q' + (++seq);
    return new Promise((resolve) => {
      pending.set(id, { resolve: resolve, elementId: elementId });
      w.postMessage(Object.assign({ tender: 'controller', id: id }, msg), location.origin);
    });
  }

  async function handle(method, p) {
    switch (method) {
      case 'session': return session(p);
      case 'submit': return submit(p);
      case 'createConfirmationToken': return createConfirmationToken(p);
      case 'createPaymentMethod': return createPaymentMethod(p);
      case 'retrieveIntent': return retrieveIntent(p.clientSecret);
      case 'confirmIntent': return confirmIntent(p);
      case 'forget': stashes.delete(p.elementId); submitted.delete(p.elementId); return {};
    }
    throw new IntegrationError('Unknown method ' + method);
  }

  // --- HTTP ----------------------------------------------------------------

  function encode(obj, prefix, out) {
    out = out || [];
    if (obj == null) return out;
    if (Array.isArray(obj)) {
      obj.forEach((v, i) => encode(v, prefix + '[' + i + ']', out));
    } else if (typeof obj === 'object') {
      for (const k of Object.keys(obj)) encode(obj[k], prefix ? prefix + '[' + k + ']' : k, out);
    } else {
      out.push(encodeURIComponent(prefix) + '=' + encodeURIComponent(String(obj)));
    }
    return out;
  }

  async function api(method, path, body) {
    const q = Object.assign({ key: apiKey }, body || {});
    const data = encode(q).join('&');
    const headers = {};
    if (stripeAccount) headers['Stripe-Account'] = stripeAccount;
    let res;
    try {
      if (method === 'GET') res = await fetch(API + path + '?' + data, { headers: headers, credentials: 'omit', cache: 'no-store' });
      else {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        res = await fetch(API + path, { method: method, headers: headers, body: data, credentials: 'omit' });
      }
    } catch (e) {
      return { error: { type: 'api_connection_error', message: 'An error occurred with our connection to Tender.' }, status: 0 };
    }
    let json = null;
    try { json = await res.json(); } catch (e) { json = null; }
    if (!res.ok || !json || json.error) {
      const err = (json && json.error) || { type: 'api_error', message: 'Unexpected response from Tender (HTTP ' + res.status + ').' };
      return { error: err, status: res.status };
    }
    return { body: json, status: res.status };
  }

  // --- methods -----------------------------------------------------------

  function deferredParams(g) {
    const di = { mode: g.mode };
    if (g.amount != null) di.amount = g.amount;
    if (g.currency) di.currency = g.currency;
    if (g.setupFutureUsage) di.setup_future_usage = g.setupFutureUsage;
    if (g.captureMethod) di.capture_method = g.captureMethod;
    if (g.paymentMethodTypes) di.payment_method_types = g.paymentMethodTypes;
    return di;
  }

  async function session(p) {
    const r = await loadSession(p.group || {});
    const excluded = (p.group || {}).excludedPaymentMethodTypes;
    if (r.session && Array.isArray(r.session.payment_method_types) && Array.isArray(excluded) && excluded.length) {
      const left = r.session.payment_method_types.filter((x) => !excluded.includes(x));
      r.session.payment_method_types = left.length ? left : ['card'];
    }
    return r;
  }

  async function loadSession(g) {
    const q = { type: 'deferred_intent', deferred_intent: deferredParams(g) };
    let intentTypes = null;
    const ip = !g.mode && g.clientSecret ? intentPath(g.clientSecret) : null;
    if (ip) {
      // Intent-first (elements({clientSecret})): offer what the intent
      // accepts. The server already filtered its payment_method_types by
      // currency, amount, setup_future_usage and
      // automatic_payment_methods[allow_redirects].
      const it = await api('GET', ip.path + ip.id, { client_secret: g.clientSecret });
      if (it.error) return { error: it.error };
      const i = it.body;
      intentTypes = Array.isArray(i.payment_method_types) ? i.payment_method_types : null;
      q.deferred_intent = { mode: ip.kind === 'setup_intent' ? 'setup' : 'payment' };
      if (i.amount != null) q.deferred_intent.amount = i.amount;
      if (i.currency) q.deferred_intent.currency = i.currency;
      if (i.setup_future_usage) q.deferred_intent.setup_future_usage = i.setup_future_usage;
      if (intentTypes && intentTypes.length) q.deferred_intent.payment_method_types = intentTypes;
    }
    if (g.locale) q.locale = g.locale;
    if (g.customerSessionClientSecret) q.customer_session_client_secret = g.customerSessionClientSecret;
    const r = await api('GET', '/v1/elements/sessions', q);
    if (r.status === 404 && r.error && /Unrecognized request URL/.test(r.error.message || '')) {
      // A server without the elements-session endpoint: every Tender
      // account accepts cards, and that is all we can assume.
      return { session: { object: 'elements_session', payment_method_types: ['card'] }, warning: 'This Tender server has no /v1/elements/sessions endpoint; offering cards only.' };
    }
    if (r.error && q.customer_session_client_secret && r.error.param === 'customer_session_client_secret') {
      // An expired or unknown CustomerSession costs the customer their
      // saved cards, not the checkout: load without it and warn.
      delete q.customer_session_client_secret;
      const again = await api('GET', '/v1/elements/sessions', q);
      if (again.error) return { error: again.error };
      return {
        session: again.body,
        warning: 'customerSessionClientSecret was refused (' + (r.error.code || r.error.type) + '): ' + r.error.message +
          ' The Payment Element shows no saved payment methods. Create a new CustomerSession for each page load.',
      };
    }
    if (r.error) return { error: r.error };
    return { session: r.body };
  }

  async function submit(p) {
    submitted.delete(p.elementId);
    const res = await ask(p.elementId, { type: 'validate' });
    if (res.error) return { error: res.error };
    submitted.set(p.elementId, res.data);
    return { selectedPaymentMethod: res.selectedPaymentMethod };
  }

  function takeSubmitted(elementId, caller) {
    const data = submitted.get(elementId);
    if (!data) {
      throw new IntegrationError('elements.submit() must be called before ' + caller + '(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work.');
    }
    return data;
  }

  function merge(base, over) {
    const out = Object.assign({}, base || {});
    for (const k of Object.keys(over || {})) {
      const v = over[k];
      out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? merge(out[k], v) : v;
    }
    return out;
  }

  // The type-specific hashes of payment_method_data (methods.js).
  const METHOD_KEYS = ['card', 'ideal', 'sepa_debit', 'us_bank_account'];

  function methodData(data) {
    const pm = { type: data.type };
    for (const k of METHOD_KEYS) if (data[k]) pm[k] = data[k];
    return pm;
  }

  // mandateData records that the customer accepted the debit mandate shown
  // in the element, online, from this browser. The frame cannot know the
  // customer's public IP address; infer_from_client asks the server to
  // take it from the request, as Stripe.js does.
  function mandateData() {
    return { customer_acceptance: { type: 'online', online: { infer_from_client: true, user_agent: navigator.userAgent } } };
  }

  async function createConfirmationToken(p) {
    const data = takeSubmitted(p.elementId, 'stripe.createConfirmationToken');
    const params = p.params || {};
    const g = p.group || {};
    let body;
    if (data.payment_method) {
      // A saved card: the CustomerSession proves the customer owns it.
      body = savedMethodBody(data, g);
      const given = params.payment_method_data || {};
      if (given.billing_details) body.payment_method_data = { billing_details: given.billing_details };
    } else {
      const pmd = Object.assign(methodData(data), params.payment_method_data || {});
      Object.assign(pmd, methodData(data));
      // For tokens, params override what Elements collected (client-contract §4.1).
      pmd.billing_details = merge(data.billing_details, (params.payment_method_data || {}).billing_details);
      if (data.save && !pmd.allow_redisplay) pmd.allow_redisplay = 'always';
      body = { payment_method_data: pmd };
      if (data.mandate) body.mandate_data = params.mandate_data || mandateData();
    }
    if (params.return_url) body.return_url = params.return_url;
    if (params.shipping) body.shipping = params.shipping;
    if (params.metadata) body.metadata = params.metadata;
    if (g.setupFutureUsage) body.setup_future_usage = g.setupFutureUsage;
    else if (data.save) body.setup_future_usage = data.save.usage;
    body.client_context = deferredParams(g);
    const r = await api('POST', '/v1/confirmation_tokens', body);
    if (r.error) return { error: r.error };
    submitted.delete(p.elementId);
    return { confirmationToken: r.body };
  }

  // savedMethodBody names a saved card, with its recollected CVC.
  function savedMethodBody(data, g) {
    const body = { payment_method: data.payment_method };
    if (g.customerSessionClientSecret) body.customer_session_client_secret = g.customerSessionClientSecret;
    if (data.cvc) body.payment_method_options = { card: { cvc: data.cvc } };
    return body;
  }

  async function createPaymentMethod(p) {
    const data = takeSubmitted(p.elementId, 'stripe.createPaymentMethod');
    if (data.payment_method) {
      throw new IntegrationError('stripe.createPaymentMethod(): the customer selected a saved payment method (' + data.payment_method + '), which already exists. Use stripe.createConfirmationToken() to pay with it.');
    }
    const params = p.params || {};
    const body = Object.assign({}, params, methodData(data));
    body.billing_details = merge(data.billing_details, params.billing_details);
    const r = await api('POST', '/v1/payment_methods', body);
    if (r.error) return { error: r.error };
    submitted.delete(p.elementId);
    return { paymentMethod: r.body };
  }

  function intentPath(secret) {
    const m = /^((pi|seti)_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(String(secret || ''));
    if (!m) return null;
    return { id: m[1], kind: m[2] === 'pi' ? 'payment_intent' : 'setup_intent', path: m[2] === 'pi' ? '/v1/payment_intents/' : '/v1/setup_intents/' };
  }

  async function retrieveIntent(secret) {
    const ip = intentPath(secret);
    if (!ip) throw new IntegrationError('Invalid value for clientSecret: it should be a client secret of the form ${id}_secret_${secret}.');
    const r = await api('GET', ip.path + ip.id, { client_secret: secret });
    if (r.error) return { error: r.error };
    return { intent: r.body, kind: ip.kind };
  }

  // confirmIntent backs confirmPayment/confirmSetup: create the
  // PaymentMethod from the submitted form, then confirm the intent with it.
  async function confirmIntent(p) {
    const ip = intentPath(p.clientSecret);
    if (!ip) throw new IntegrationError('Invalid value for clientSecret: it should be a client secret of the form ${id}_secret_${secret}.');
    const cp = Object.assign({}, p.confirmParams || {});
    const body = { client_secret: p.clientSecret };
    if (!cp.payment_method && !cp.confirmation_token) {
      const data = takeSubmitted(p.elementId, p.caller);
      if (data.payment_method) {
        // A saved card of the intent's customer: the intent's client secret
        // authorises it.
        body.payment_method = data.payment_method;
        if (data.cvc) body.payment_method_options = { card: { cvc: data.cvc } };
      } else {
        const pmBody = methodData(data);
        // For confirmation, what Elements collected overrides confirmParams.
        pmBody.billing_details = merge((cp.payment_method_data || {}).billing_details, data.billing_details);
        if (cp.payment_method_data && cp.payment_method_data.metadata) pmBody.metadata = cp.payment_method_data.metadata;
        if (data.save) { pmBody.allow_redisplay = 'always'; body.setup_future_usage = data.save.usage; }
        const pm = await api('POST', '/v1/payment_methods', pmBody);
        if (pm.error) return { error: pm.error, kind: ip.kind };
        body.payment_method = pm.body.id;
        if (data.mandate && !cp.mandate_data) body.mandate_data = mandateData();
      }
      submitted.delete(p.elementId);
    }
    delete cp.payment_method_data;
    Object.assign(body, cp);
    const r = await api('POST', ip.path + ip.id + '/confirm', body);
    if (r.error) {
      if (!r.error.payment_intent && !r.error.setup_intent) {
        const again = await api('GET', ip.path + ip.id, { client_secret: p.clientSecret });
        if (again.body) r.error[ip.kind] = again.body;
      }
      return { error: r.error, kind: ip.kind };
    }
    return { intent: r.body, kind: ip.kind };
  }
})();
