// tender.js: window.Stripe for pages written against Stripe.js v3, served
// by Tender at /v3. This file runs on the merchant's page and never sees card
// data: card fields live in frames on Tender's origin, and a hidden
// controller frame (also Tender's origin) makes the API calls. Every message
// names its target origin; every listener checks origin and source.
(function () {
  'use strict';

  const script = document.currentScript;
  // Tender's origin is wherever this script came from, so switching from
  // Stripe is a one-line <script src> change.
  const ORIGIN = new URL(script && script.src ? script.src : location.href).origin;
  const FRAMES = /*FRAMES*/{};
  let uid = 0;
  const nextId = () => String(++uid) + Math.random().toString(36).slice(2, 8);

  class IntegrationError extends Error {
    constructor(message) { super(message); this.name = 'IntegrationError'; }
  }

  const has = (o, k) => o != null && Object.prototype.hasOwnProperty.call(o, k);
  // pick reads an option under its camelCase or snake_case spelling.
  function pick(o, camel, snake) {
    if (has(o, camel)) return o[camel];
    if (snake && has(o, snake)) return o[snake];
    return undefined;
  }
  function oneOf(name, v, allowed) {
    if (v !== undefined && v !== null && !allowed.includes(v)) {
      throw new IntegrationError('Invalid value for ' + name + ': ' + JSON.stringify(v) + ' should be one of the following strings: ' + allowed.join(', ') + '.');
    }
  }
  // plain strips what postMessage cannot clone (functions, DOM nodes).
  function plain(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }

  function onReady(fn) {
    if (document.body) fn();
    else document.addEventListener('DOMContentLoaded', fn, { once: true });
  }

  function frameStyle(el, css) { for (const k of Object.keys(css)) el.style.setProperty(k, css[k], 'important'); }

  // --- events ----------------------------------------------------------------

  class Emitter {
    constructor() { this._h = {}; }
    on(ev, fn) {
      if (typeof fn !== 'function') throw new IntegrationError('on(): the handler for "' + ev + '" must be a function.');
      (this._h[ev] = this._h[ev] || []).push({ fn: fn, once: false });
      return this;
    }
    once(ev, fn) { this.on(ev, fn); this._h[ev][this._h[ev].length - 1].once = true; return this; }
    off(ev, fn) {
      if (!this._h[ev]) return this;
      if (!fn) delete this._h[ev];
      else {
        const i = this._h[ev].findIndex((x) => x.fn === fn);
        if (i >= 0) this._h[ev].splice(i, 1);
      }
      return this;
    }
    _emit(ev, payload) {
      for (const x of (this._h[ev] || []).slice()) {
        if (x.once) this.off(ev, x.fn);
        try { x.fn(payload); } catch (e) { setTimeout(() => { throw e; }); }
      }
    }
  }

  // --- controller channel -------------------------------------------------

  class Controller {
    constructor(key, opts) {
      this.name = '__privateStripeController' + nextId();
      this.pending = new Map();
      const frag = new URLSearchParams({ apiKey: key, origin: location.origin, controllerId: this.name });
      if (opts.stripeAccount) frag.set('stripeAccount', opts.stripeAccount);
      if (opts.locale) frag.set('locale', opts.locale);
      this.ready = new Promise((resolve) => {
        onReady(() => {
          const f = document.createElement('iframe');
          f.name = this.name;
          f.title = 'Tender controller';
          f.setAttribute('aria-hidden', 'true');
          f.tabIndex = -1;
          f.src = ORIGIN + FRAMES.controller + '#' + frag.toString();
          frameStyle(f, { border: '0', position: 'fixed', width: '1px', height: '1px', top: '0', left: '0', visibility: 'hidden', 'pointer-events': 'none' });
          f.addEventListener('load', () => resolve(f), { once: true });
          document.body.appendChild(f);
          this.frame = f;
        });
      });
      window.addEventListener('message', (ev) => {
        if (!this.frame || ev.source !== this.frame.contentWindow || ev.origin !== ORIGIN) return;
        const d = ev.data;
        if (!d || d.tender !== 'controller' || !this.pending.has(d.id)) return;
        const p = this.pending.get(d.id);
        this.pending.delete(d.id);
        if (d.integrationError) p.reject(new IntegrationError(d.integrationError));
        else p.resolve(d.result || {});
      });
    }
    async call(method, params) {
      const f = await this.ready;
      const id = nextId();
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve: resolve, reject: reject });
        f.contentWindow.postMessage({ tender: 'sdk', id: id, method: method, params: plain(params) }, ORIGIN);
      });
    }
  }

  // --- Elements group ------------------------------------------------------

  const MODES = ['payment', 'setup', 'subscription'];

  function normaliseGroup(o, updating) {
    if (o != null && typeof o !== 'object') throw new IntegrationError('Invalid value for elements(): options should be an object.');
    o = o || {};
    const g = {};
    const set = (k, v) => { if (v !== undefined) g[k] = v; };
    set('mode', o.mode);
    set('amount', o.amount);
    set('currency', typeof o.currency === 'string' ? o.currency.toLowerCase() : o.currency);
    set('setupFutureUsage', pick(o, 'setupFutureUsage', 'setup_future_usage'));
    set('captureMethod', pick(o, 'captureMethod', 'capture_method'));
    set('paymentMethodTypes', pick(o, 'paymentMethodTypes', 'payment_method_types') || pick(o, 'allowedPaymentMethodTypes', 'allowed_payment_method_types'));
    set('excludedPaymentMethodTypes', pick(o, 'excludedPaymentMethodTypes', 'excluded_payment_method_types'));
    set('paymentMethodCreation', pick(o, 'paymentMethodCreation', 'payment_method_creation'));
    set('onBehalfOf', pick(o, 'onBehalfOf', 'on_behalf_of'));
    set('customerSessionClientSecret', pick(o, 'customerSessionClientSecret', 'customer_session_client_secret'));
    set('paymentMethodOptions', pick(o, 'paymentMethodOptions', 'payment_method_options'));
    set('appearance', o.appearance);
    set('fonts', o.fonts);
    set('locale', o.locale);
    set('loader', o.loader);
    oneOf('mode', g.mode, MODES);
    oneOf('setupFutureUsage', g.setupFutureUsage, ['off_session', 'on_session']);
    oneOf('captureMethod', g.captureMethod, ['manual', 'automatic', 'automatic_async']);
    oneOf('paymentMethodCreation', g.paymentMethodCreation, ['manual']);
    oneOf('loader', g.loader, ['auto', 'always', 'never']);
    for (const k of ['paymentMethodTypes', 'excludedPaymentMethodTypes']) {
      if (g[k] !== undefined && !(Array.isArray(g[k]) && g[k].every((x) => typeof x === 'string'))) {
        throw new IntegrationError('Invalid value for elements(): ' + k + ' should be an array of strings.');
      }
    }
    if (g.amount !== undefined && !(Number.isInteger(g.amount) && g.amount >= 0)) {
      throw new IntegrationError('Invalid value for elements(): amount should be a positive integer. You specified: ' + JSON.stringify(g.amount) + '.');
    }
    if (g.currency !== undefined && !(typeof g.currency === 'string' && /^[a-z]{3}$/.test(g.currency))) {
      throw new IntegrationError('Invalid value for elements(): currency should be a three-letter ISO currency code. You specified: ' + JSON.stringify(g.currency) + '.');
    }
    if (g.appearance !== undefined && (typeof g.appearance !== 'object' || g.appearance === null)) {
      throw new IntegrationError('Invalid value for elements(): appearance should be an object.');
    }
    if (g.customerSessionClientSecret !== undefined && typeof g.customerSessionClientSecret !== 'string') {
      throw new IntegrationError('Invalid value for elements(): customerSessionClientSecret should be a string (the client_secret of a CustomerSession).');
    }
    if (g.paymentMethodOptions !== undefined && (typeof g.paymentMethodOptions !== 'object' || g.paymentMethodOptions === null)) {
      throw new IntegrationError('Invalid value for elements(): paymentMethodOptions should be an object.');
    }
    if (g.fonts !== undefined && !Array.isArray(g.fonts)) throw new IntegrationError('Invalid value for elements(): fonts should be an array.');
    if (!updating) {
      if (has(o, 'clientSecret') && g.mode) {
        throw new IntegrationError('Invalid value for elements(): mode and clientSecret cannot both be specified. Pass mode, amount and currency for the deferred-intent flow, or a clientSecret.');
      }
      if (g.mode === 'payment' || g.mode === 'subscription') {
        if (g.amount === undefined || (g.mode === 'payment' && g.amount <= 0)) {
          throw new IntegrationError('Invalid value for elements(): amount is required when mode is "' + g.mode + '" and should be a positive integer.');
        }
        if (!g.currency) throw new IntegrationError('Invalid value for elements(): currency is required when mode is "' + g.mode + '".');
      }
    }
    return g;
  }

  class Elements extends Emitter {
    constructor(stripe, options) {
      super();
      const g = normaliseGroup(options, false);
      this._stripe = stripe;
      this._opts = g;
      this._clientSecret = options && options.clientSecret;
      this._payment = null;
      this._session = null;
    }
    _frameOptions() {
      const g = this._opts;
      return plain({
        mode: g.mode, amount: g.amount, currency: g.currency, setupFutureUsage: g.setupFutureUsage,
        captureMethod: g.captureMethod, paymentMethodTypes: g.paymentMethodTypes, locale: g.locale || this._stripe._opts.locale,
        appearance: g.appearance, fonts: g.fonts, customerSessionClientSecret: g.customerSessionClientSecret,
        paymentMethodOptions: g.paymentMethodOptions, excludedPaymentMethodTypes: g.excludedPaymentMethodTypes,
        clientSecret: typeof this._clientSecret === 'string' ? this._clientSecret : undefined,
      });
    }
    _loadSession() {
      if (!this._session) {
        this._session = this._stripe._controller.call('session', { group: this._frameOptions() }).then((r) => {
          if (r.warning) console.warn('[tender.js] ' + r.warning);
          return r;
        });
      }
      return this._session;
    }
    create(type, options) {
      if (type === 'payment') {
        if (!this._opts.mode && !this._clientSecret) {
          throw new IntegrationError('In order to create a payment element, you must pass mode, amount and currency (or a clientSecret) when creating the Elements group.\n\n  e.g. stripe.elements({mode: "payment", amount: 1099, currency: "usd"})');
        }
        if (this._payment && !this._payment._destroyed) throw new IntegrationError('Can only create one Element of type payment.');
        this._payment = new PaymentElement(this, options);
        return this._payment;
      }
      throw new IntegrationError('elements.create(): "' + type + '" elements are not supported by this version of tender.js; use "payment".');
    }
    getElement(type) {
      if (type === 'payment' && this._payment && !this._payment._destroyed) return this._payment;
      return null;
    }
    update(options) {
      const g = normaliseGroup(options, true);
      if (options && has(options, 'clientSecret')) console.warn('[tender.js] elements.update(): clientSecret cannot be changed.');
      Object.assign(this._opts, g);
      const el = this.getElement('payment');
      const visual = {};
      for (const k of ['appearance', 'fonts', 'locale', 'paymentMethodOptions', 'customerSessionClientSecret']) if (has(g, k)) visual[k] = plain(g[k]);
      const refetch = ['mode', 'amount', 'currency', 'setupFutureUsage', 'captureMethod', 'paymentMethodTypes', 'excludedPaymentMethodTypes', 'customerSessionClientSecret', 'onBehalfOf'].some((k) => has(g, k));
      if (has(g, 'setupFutureUsage')) visual.setupFutureUsage = g.setupFutureUsage;
      if (el && Object.keys(visual).length) el._post({ type: 'update-group', group: visual });
      if (!refetch) {
        return Promise.resolve().then(() => { this._emit('update-end'); });
      }
      this._session = null;
      return this._loadSession().then((r) => {
        if (el && !r.error) el._session(r.session);
        this._emit('update-end');
      });
    }
    fetchUpdates() { return Promise.resolve({}); }
    async submit() {
      const el = this.getElement('payment');
      if (!el || !el._mounted) {
        throw new IntegrationError('elements.submit(): there is no mounted Payment Element to submit.');
      }
      await el._loaded;
      const r = await this._stripe._controller.call('submit', { elementId: el._name });
      if (r.error) return { error: r.error };
      return { selectedPaymentMethod: r.selectedPaymentMethod };
    }
  }

  // --- Payment Element -----------------------------------------------------

  const LAYOUTS = ['tabs', 'accordion', 'auto'];

  function checkElementOptions(o) {
    if (o == null) return {};
    if (typeof o !== 'object') throw new IntegrationError('Invalid value for create(\'payment\'): options should be an object.');
    const l = o.layout;
    if (l !== undefined) {
      const type = typeof l === 'string' ? l : l && l.type;
      oneOf('layout.type', type, LAYOUTS);
      if (typeof l === 'object' && l.radios !== undefined && typeof l.radios !== 'boolean') oneOf('layout.radios', l.radios, ['auto', 'never', 'always', 'if_multiple']);
    }
    if (o.readOnly !== undefined && typeof o.readOnly !== 'boolean') throw new IntegrationError('Invalid value for readOnly: it should be a boolean.');
    return o;
  }

  class PaymentElement extends Emitter {
    constructor(group, options) {
      super();
      this._group = group;
      this._opts = plain(checkElementOptions(options)) || {};
      this._name = '__privateStripeFrame' + nextId();
      this._mounted = false;
      this._destroyed = false;
      this._onMessage = this._onMessage.bind(this);
      this._onLabelClick = () => this.focus();
    }
    mount(target) {
      if (this._destroyed) throw new IntegrationError('This Element has already been destroyed. Please create a new one.');
      let el = target;
      if (typeof target === 'string') {
        el = document.querySelector(target);
        if (!el) throw new IntegrationError('The selector you specified (' + target + ') applies to no DOM elements that are currently on the page.\nMake sure the element exists on the page before calling mount().');
      }
      if (!(el instanceof HTMLElement)) throw new IntegrationError('Invalid DOM element. Make sure to call mount() with a valid DOM element or selector.');
      if (this._mounted) {
        if (this._container === el) return;
        throw new IntegrationError('This Element is already mounted. Use unmount() to unmount the Element before re-mounting.');
      }
      const stripe = this._group._stripe;
      const frag = new URLSearchParams({
        componentName: 'payment', origin: location.origin, controller: stripe._controller.name,
        elementId: this._name, locale: this._group._opts.locale || stripe._opts.locale || 'auto', keyMode: stripe._key.startsWith('pk_live') ? 'live' : 'test',
      });
      const f = document.createElement('iframe');
      f.name = this._name;
      f.title = 'Secure payment input frame';
      f.setAttribute('frameborder', '0');
      f.setAttribute('allowtransparency', 'true');
      f.setAttribute('scrolling', 'no');
      f.setAttribute('allow', 'payment *; publickey-credentials-get *');
      f.src = ORIGIN + FRAMES.payment + '#' + frag.toString();
      // The negative margin and wider frame keep focus rings from being clipped.
      frameStyle(f, {
        border: '0', margin: '-4px', padding: '0', width: 'calc(100% + 8px)', 'min-width': '100%', overflow: 'hidden',
        display: 'block', 'user-select': 'none', 'color-scheme': 'normal', height: '0px',
      });
      if (!matchMedia('(prefers-reduced-motion: reduce)').matches) f.style.transition = 'height 0.35s';
      this._frame = f;
      this._container = el;
      this._mounted = true;
      this._loaded = new Promise((resolve) => { this._resolveLoaded = resolve; });
      window.addEventListener('message', this._onMessage);
      el.classList.add('StripeElement', 'StripeElement--empty');
      el.appendChild(f);
      this._labels().forEach((l) => l.addEventListener('click', this._onLabelClick));
    }
    _labels() {
      const el = this._container;
      const out = [];
      if (el.id) out.push(...document.querySelectorAll('label[for="' + CSS.escape(el.id) + '"]'));
      const wrap = el.closest('label');
      if (wrap) out.push(wrap);
      return out;
    }
    unmount() {
      if (!this._mounted) return this;
      window.removeEventListener('message', this._onMessage);
      this._labels().forEach((l) => l.removeEventListener('click', this._onLabelClick));
      this._frame.remove();
      this._container.classList.remove('StripeElement', 'StripeElement--empty', 'StripeElement--complete', 'StripeElement--focus', 'StripeElement--invalid');
      this._mounted = false;
      this._frame = null;
      return this;
    }
    destroy() {
      this.unmount();
      this._destroyed = true;
      this._group._stripe._controller.call('forget', { elementId: this._name });
      return this;
    }
    focus() { if (this._frame) { this._frame.focus(); this._post({ type: 'focus' }); } return this; }
    blur() { this._post({ type: 'blur' }); return this; }
    clear() { this._post({ type: 'clear' }); return this; }
    collapse() { this._post({ type: 'collapse' }); return this; }
    update(options) {
      const o = plain(checkElementOptions(options)) || {};
      Object.assign(this._opts, o);
      this._post({ type: 'update', options: o });
      return this;
    }
    _post(msg) {
      if (!this._frame || !this._frame.contentWindow) return;
      msg.tender = 'sdk';
      this._frame.contentWindow.postMessage(msg, ORIGIN);
    }
    _session(session) {
      this._post({ type: 'session', session: session });
      const pms = {};
      const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
      for (const t of (session.payment_method_types || []).slice().sort()) pms[camel(t)] = { available: true };
      this._emit('availablepaymentmethodschange', { elementType: 'payment', paymentMethods: pms });
    }
    _onMessage(ev) {
      if (!this._frame || ev.source !== this._frame.contentWindow || ev.origin !== ORIGIN) return;
      const d = ev.data;
      if (!d || d.tender !== 'element' || d.elementId !== this._name) return;
      const c = this._container.classList;
      switch (d.type) {
        case 'hello':
          this._emit('loaderstart', { elementType: 'payment' });
          this._post({ type: 'init', group: this._group._frameOptions(), options: this._opts });
          this._group._loadSession().then((r) => {
            if (!this._frame) return;
            if (r.error) {
              this._post({ type: 'loaderror' });
              this._emit('loaderror', { elementType: 'payment', error: r.error });
            } else this._session(r.session);
          });
          break;
        case 'ready':
          this._resolveLoaded();
          this._emit('ready', { elementType: 'payment' });
          break;
        case 'change': {
          const e = d.event;
          c.toggle('StripeElement--empty', !!e.empty);
          c.toggle('StripeElement--complete', !!e.complete);
          c.toggle('StripeElement--invalid', !!d.invalid);
          const v = e.value || {};
          const value = { type: String(v.type || 'card') };
          if (typeof v.savePaymentMethod === 'boolean') value.savePaymentMethod = v.savePaymentMethod;
          if (v.payment_method && typeof v.payment_method === 'object') value.payment_method = plain(v.payment_method);
          this._emit('change', {
            elementType: 'payment', empty: !!e.empty, complete: !!e.complete, collapsed: !!e.collapsed, value: value,
          });
          break;
        }
        case 'savedpaymentmethodremove': {
          const ev = { elementType: 'payment', success: !!d.success, payment_method: plain(d.payment_method) };
          if (!d.success) ev.error = String(d.error || 'The payment method could not be removed.');
          this._emit('savedpaymentmethodremove', ev);
          break;
        }
        case 'focus': c.add('StripeElement--focus'); this._emit('focus', { elementType: 'payment' }); break;
        case 'blur': c.remove('StripeElement--focus'); this._emit('blur', { elementType: 'payment' }); break;
        case 'escape': this._emit('escape', { elementType: 'payment' }); break;
        case 'height': this._frame.style.setProperty('height', Math.max(0, Number(d.height) || 0) + 'px', 'important'); break;
        case 'carddetailschange': this._emit('carddetailschange', { elementType: 'payment', loading: false, details: d.details }); break;
        case 'warn': console.warn('[tender.js] ' + d.message); break;
      }
    }
  }

  // --- 3D Secure modal -----------------------------------------------------

  function showChallenge(url) {
    return new Promise((resolve) => {
      const restore = document.activeElement;
      const f = document.createElement('iframe');
      f.name = '__privateStripeChallenge' + nextId();
      f.title = '3D Secure authentication';
      f.setAttribute('allowtransparency', 'true');
      f.src = ORIGIN + FRAMES.threeDS + '#' + new URLSearchParams({ url: url, origin: location.origin }).toString();
      frameStyle(f, { position: 'fixed', inset: '0', width: '100%', height: '100%', border: '0', margin: '0', padding: '0', 'z-index': '2147483647', background: 'transparent', 'color-scheme': 'normal' });
      // Everything else on the page is inert while the dialog is open, so
      // neither pointer nor keyboard can reach it.
      const inerted = Array.from(document.body.children).filter((el) => !el.inert);
      inerted.forEach((el) => { el.inert = true; });
      const onMessage = (ev) => {
        if (ev.source !== f.contentWindow || ev.origin !== ORIGIN) return;
        const d = ev.data;
        if (!d || d.tender !== '3ds' || d.type !== 'complete') return;
        window.removeEventListener('message', onMessage);
        f.remove();
        inerted.forEach((el) => { el.inert = false; });
        if (restore && typeof restore.focus === 'function') restore.focus();
        resolve(d.how);
      };
      window.addEventListener('message', onMessage);
      f.addEventListener('load', () => f.focus(), { once: true });
      document.body.appendChild(f);
    });
  }

  // --- Stripe --------------------------------------------------------------

  const AUTH_FAILED = 'We are unable to authenticate your payment method. Please choose a different payment method and try again.';

  function intentKind(secret) {
    if (typeof secret !== 'string') return null;
    if (/^pi_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/.test(secret)) return 'payment_intent';
    if (/^seti_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/.test(secret)) return 'setup_intent';
    return null;
  }
  const resultKey = (kind) => (kind === 'setup_intent' ? 'setupIntent' : 'paymentIntent');

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (typeof publishableKey !== 'string' || !publishableKey) {
      throw new IntegrationError('Please call Stripe() with your publishable key. You used an empty string.');
    }
    if (/^(sk|rk)_/.test(publishableKey)) {
      throw new IntegrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
    }
    if (options != null && typeof options !== 'object') throw new IntegrationError('Invalid value for Stripe(): options should be an object.');
    this._key = publishableKey;
    this._opts = Object.assign({}, options || {});
    this._controller = new Controller(publishableKey, this._opts);
  }

  Stripe.version = 3;

  Object.assign(Stripe.prototype, {
    elements(options) { return new Elements(this, options); },

    _paymentElement(elements, caller) {
      if (!(elements instanceof Elements)) throw new IntegrationError('Invalid value for ' + caller + '(): elements should be an Elements group. You specified: ' + typeof elements + '.');
      const el = elements.getElement('payment');
      if (!el || !el._mounted) throw new IntegrationError('Invalid value for ' + caller + '(): elements should have a mounted Payment Element.');
      return el;
    },

    async createConfirmationToken(o) {
      o = o || {};
      const el = this._paymentElement(o.elements, 'stripe.createConfirmationToken');
      const params = o.params || {};
      checkNeverFields(el, (params.payment_method_data || {}).billing_details, 'params.payment_method_data.billing_details', 'stripe.createConfirmationToken()');
      const r = await this._controller.call('createConfirmationToken', { elementId: el._name, params: params, group: o.elements._frameOptions() });
      return r.error ? { error: r.error } : { confirmationToken: r.confirmationToken };
    },

    async createPaymentMethod(o) {
      o = o || {};
      if (!o.elements) throw new IntegrationError('stripe.createPaymentMethod(): tender.js supports createPaymentMethod({elements, params}) with a Payment Element.');
      const el = this._paymentElement(o.elements, 'stripe.createPaymentMethod');
      if (o.elements._opts.paymentMethodCreation !== 'manual') {
        throw new IntegrationError('stripe.createPaymentMethod(): the Elements group must be created with paymentMethodCreation: "manual".');
      }
      const params = o.params || {};
      checkNeverFields(el, params.billing_details, 'params.billing_details', 'stripe.createPaymentMethod()');
      const r = await this._controller.call('createPaymentMethod', { elementId: el._name, params: params });
      return r.error ? { error: r.error } : { paymentMethod: r.paymentMethod };
    },

    async _retrieve(secret, want, caller) {
      const kind = intentKind(secret);
      if (!kind || (want && kind !== want)) throw new IntegrationError('Invalid value for ' + caller + ': ' + JSON.stringify(secret) + ' is not a valid client secret.');
      const r = await this._controller.call('retrieveIntent', { clientSecret: secret });
      return r.error ? { error: r.error } : { [resultKey(kind)]: r.intent };
    },
    retrievePaymentIntent(secret) { return this._retrieve(secret, 'payment_intent', 'stripe.retrievePaymentIntent()'); },
    retrieveSetupIntent(secret) { return this._retrieve(secret, 'setup_intent', 'stripe.retrieveSetupIntent()'); },

    async handleNextAction(o) {
      o = o || {};
      const secret = o.clientSecret;
      const kind = intentKind(secret);
      if (!kind) throw new IntegrationError('Invalid value for stripe.handleNextAction(): clientSecret should be a PaymentIntent or SetupIntent client secret.');
      const r = await this._controller.call('retrieveIntent', { clientSecret: secret });
      if (r.error) return { error: r.error };
      // A bank debit confirmed by the merchant's server is processing: there
      // is nothing left for the customer to do, which is the success
      // outcome (client-contract §4.2), not a misuse.
      if (r.intent.status === 'processing') return { [resultKey(kind)]: r.intent };
      if (r.intent.status !== 'requires_action') {
        throw new IntegrationError('stripe.handleNextAction(): the ' + (kind === 'setup_intent' ? 'SetupIntent' : 'PaymentIntent') +
          ' has status "' + r.intent.status + '"; handleNextAction only handles intents with status "requires_action".');
      }
      return this._nextAction(r.intent, kind, secret, null);
    },
    handleCardAction(secret) { return this.handleNextAction({ clientSecret: secret }); },
    handleCardSetup(secret) { return this.handleNextAction({ clientSecret: secret }); },

    // _nextAction performs an intent's next_action and settles with the
    // intent's resulting state.
    async _nextAction(intent, kind, secret, returnURL) {
      const na = intent.next_action || {};
      if (na.type === 'redirect_to_url' && na.redirect_to_url && na.redirect_to_url.url) {
        window.location.assign(na.redirect_to_url.url);
        return new Promise(() => {});
      }
      if (na.type !== 'use_stripe_sdk' || !na.use_stripe_sdk || typeof na.use_stripe_sdk.stripe_js !== 'string') {
        return { error: { type: 'invalid_request_error', message: 'tender.js cannot handle the next action "' + na.type + '".', [kind]: intent } };
      }
      await showChallenge(na.use_stripe_sdk.stripe_js);
      const r = await this._controller.call('retrieveIntent', { clientSecret: secret });
      if (r.error) return { error: r.error };
      const it = r.intent;
      if (['succeeded', 'processing', 'requires_capture'].includes(it.status) || (kind === 'setup_intent' && it.status === 'succeeded')) {
        if (returnURL) { redirectTo(returnURL, kind, it.id, secret, it.status === 'processing' ? 'processing' : 'succeeded'); return new Promise(() => {}); }
        return { [resultKey(kind)]: it };
      }
      const lpe = it.last_payment_error || it.last_setup_error || {};
      return {
        error: {
          type: lpe.type || 'invalid_request_error',
          code: lpe.code || (kind === 'setup_intent' ? 'setup_intent_authentication_failure' : 'payment_intent_authentication_failure'),
          message: lpe.message || AUTH_FAILED, [kind]: it,
        },
      };
    },

    confirmPayment(o) { return this._confirm(o, 'payment_intent', 'stripe.confirmPayment'); },
    confirmSetup(o) { return this._confirm(o, 'setup_intent', 'stripe.confirmSetup'); },

    _confirm(o, kind, caller) {
      o = o || {};
      const redirect = o.redirect === undefined ? 'always' : o.redirect;
      oneOf(caller + '(): redirect', redirect, ['always', 'if_required']);
      const cp = Object.assign({}, o.confirmParams || {});
      if (redirect === 'always' && !cp.return_url) {
        throw new IntegrationError(caller + "(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`.");
      }
      if (!intentKind(o.clientSecret) || intentKind(o.clientSecret) !== kind) {
        throw new IntegrationError(caller + '(): clientSecret is required and should be a ' + (kind === 'setup_intent' ? 'SetupIntent' : 'PaymentIntent') + ' client secret.');
      }
      let el = null;
      if (!cp.payment_method && !cp.confirmation_token) {
        el = this._paymentElement(o.elements, caller);
        checkNeverFields(el, (cp.payment_method_data || {}).billing_details, 'confirmParams.payment_method_data.billing_details', caller + '()');
      }
      return (async () => {
        const r = await this._controller.call('confirmIntent', { clientSecret: o.clientSecret, confirmParams: cp, elementId: el && el._name, caller: caller });
        if (r.error) return { error: r.error };
        const it = r.intent;
        const ret = redirect === 'always' ? cp.return_url : null;
        if (it.status === 'requires_action') {
          if (redirect === 'if_required' || (it.next_action && it.next_action.type !== 'redirect_to_url')) {
            return this._nextAction(it, kind, o.clientSecret, ret);
          }
          return this._nextAction(it, kind, o.clientSecret, null);
        }
        if (ret && ['succeeded', 'processing', 'requires_capture'].includes(it.status)) {
          redirectTo(ret, kind, it.id, o.clientSecret, it.status === 'processing' ? 'processing' : 'succeeded');
          return new Promise(() => {});
        }
        return { [resultKey(kind)]: it };
      })();
    },

    // Legacy methods react-stripe-js checks for; the deferred flow does not use them.
    createToken() { return Promise.reject(new IntegrationError('stripe.createToken() is not supported by tender.js; use stripe.createConfirmationToken() or stripe.createPaymentMethod().')); },
    confirmCardPayment(secret, data) {
      if (data) return Promise.reject(new IntegrationError('stripe.confirmCardPayment() with payment data is not supported by tender.js; use stripe.confirmPayment().'));
      return this.handleNextAction({ clientSecret: secret });
    },
    confirmCardSetup(secret, data) {
      if (data) return Promise.reject(new IntegrationError('stripe.confirmCardSetup() with payment data is not supported by tender.js; use stripe.confirmSetup().'));
      return this.handleNextAction({ clientSecret: secret });
    },
    paymentRequest() { throw new IntegrationError('stripe.paymentRequest() is not supported by tender.js.'); },
    registerAppInfo() {},
    _registerWrapper() {},
  });

  function redirectTo(base, kind, id, secret, status) {
    const u = new URL(base, location.href);
    u.searchParams.set(kind, id);
    u.searchParams.set(kind + '_client_secret', secret);
    u.searchParams.set('redirect_status', status);
    window.location.assign(u.href);
  }

  // checkNeverFields enforces the contract of fields: 'never': data the
  // element did not collect must be passed in by the merchant.
  function checkNeverFields(el, given, where, caller) {
    const bd = (el._opts.fields || {}).billingDetails;
    const never = (k) => bd === 'never' || (bd && typeof bd === 'object' && bd[k] === 'never');
    given = given || {};
    for (const k of ['name', 'email', 'phone']) {
      if (never(k) && given[k] === undefined) {
        throw new IntegrationError('You specified "never" for fields.billing_details.' + k + ' when creating the payment Element, but did not pass ' + where + '.' + k + ' when calling ' + caller + '. If you opt out of collecting data via the payment Element using the fields option, the data must be passed in when calling ' + caller + '.');
      }
    }
    if (never('address')) {
      const a = given.address;
      const keys = ['line1', 'line2', 'city', 'state', 'country', 'postal_code'];
      if (!a || typeof a !== 'object' || keys.some((k) => a[k] === undefined)) {
        throw new IntegrationError('You specified "never" for fields.billing_details.address when creating the payment Element, but did not pass ' + where + '.address (with line1, line2, city, state, country and postal_code) when calling ' + caller + '. If you opt out of collecting data via the payment Element using the fields option, the data must be passed in when calling ' + caller + '.');
      }
    }
  }

  Stripe.IntegrationError = IntegrationError;
  window.Stripe = Stripe;
})();
