// The Payment Element's forms for payment methods other than cards:
// iDEAL, Bancontact and Klarna (redirects), SEPA Direct Debit and US bank
// accounts (debits). element.js owns the state, rendering helpers and
// messaging; this file knows each method's fields, their validation, and
// the payment_method_data the controller sends (docs/browser-protocol.md).
(function (T) {
  'use strict';

  const REDIRECT = ['ideal', 'bancontact', 'klarna'];
  const DEBIT = ['sepa_debit', 'us_bank_account'];
  // The fields this file adds to the form state, with their initial values.
  const BLANK = { iban: '', bank: '', routing: '', account: '', accountType: 'individual_checking', klarnaCountry: '' };
  const FIELDS = ['iban', 'bank', 'routing', 'account'];

  // Readable names for the bank codes the elements session lists.
  const IDEAL_BANKS = {
    abn_amro: 'ABN AMRO', asn_bank: 'ASN Bank', bunq: 'bunq', handelsbanken: 'Handelsbanken', ing: 'ING', knab: 'Knab',
    moneyou: 'Moneyou', n26: 'N26', nn: 'Nationale-Nederlanden', rabobank: 'Rabobank', regiobank: 'RegioBank',
    revolut: 'Revolut', sns_bank: 'SNS Bank', triodos_bank: 'Triodos Bank', van_lanschot: 'Van Lanschot Kempen', yoursafe: 'Yoursafe',
  };
  function bankName(code) {
    return IDEAL_BANKS[code] || String(code).split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  }

  const KLARNA_COUNTRIES = ['AT', 'AU', 'BE', 'CA', 'CH', 'CZ', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB', 'GR', 'IE', 'IT', 'NL', 'NO', 'NZ', 'PL', 'PT', 'SE', 'US'];
  const CURRENCY_COUNTRY = { eur: 'DE', usd: 'US', gbp: 'GB', dkk: 'DK', sek: 'SE', nok: 'NO', chf: 'CH', czk: 'CZ', pln: 'PL', aud: 'AU', cad: 'CA', nzd: 'NZ' };

  // IBAN lengths of the SEPA countries (ISO 13616 registry).
  const IBAN_LENGTHS = {
    AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22, GI: 23,
    GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28,
    PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27, VA: 22,
  };

  function normalizeIban(v) { return String(v || '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 34); }
  function ibanMax(n) { return IBAN_LENGTHS[n.slice(0, 2)] || 34; }
  function formatIban(n) { return n.replace(/(.{4})(?=.)/g, '$1 '); }

  // ibanChecksum is ISO 7064 mod 97-10 over the rearranged IBAN.
  function ibanChecksum(n) {
    const s = n.slice(4) + n.slice(0, 4);
    let r = 0;
    for (const ch of s) {
      const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
      for (const d of v) r = (r * 10 + Number(d)) % 97;
    }
    return r === 1;
  }

  function validateIban(n) {
    if (!n) return { code: 'incomplete_iban', empty: true };
    if (!/^[A-Z]/.test(n) || (n.length >= 2 && !/^[A-Z]{2}/.test(n))) return { code: 'invalid_iban', definite: true };
    if (n.length < 2) return { code: 'incomplete_iban' };
    if (!IBAN_LENGTHS[n.slice(0, 2)]) return { code: 'invalid_iban_country_code', definite: true };
    if (n.length >= 4 && !/^[A-Z]{2}[0-9]{2}/.test(n)) return { code: 'invalid_iban', definite: true };
    if (n.length < ibanMax(n)) return { code: 'incomplete_iban' };
    return ibanChecksum(n) ? { code: null } : { code: 'invalid_iban', definite: true };
  }

  // validateRouting checks an ABA routing number: nine digits, weights 3 7 1.
  function validateRouting(d) {
    if (!d) return { code: 'incomplete_routing_number', empty: true };
    if (d.length < 9) return { code: 'incomplete_routing_number' };
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(d[i]) * [3, 7, 1][i % 3];
    return sum % 10 === 0 ? { code: null } : { code: 'invalid_routing_number', definite: true };
  }

  function validateAccount(d) {
    if (!d) return { code: 'incomplete_account_number', empty: true };
    return d.length < 4 ? { code: 'incomplete_account_number' } : { code: null };
  }

  function check(name, s) {
    switch (name) {
      case 'iban': return validateIban(s.iban);
      case 'routing': return validateRouting(s.routing);
      case 'account': return validateAccount(s.account);
      case 'bank': return s.bank ? { code: null } : { code: 'incomplete_ideal_bank', empty: true };
    }
    return null;
  }

  // The billing details each method needs: 'required' fields are shown
  // unless fields.billingDetails says 'never' (then the merchant passes
  // them); 'optional' ones only when it says 'always'.
  const NEEDS = {
    ideal: {},
    bancontact: { name: true },
    klarna: { email: true, country: true },
    sepa_debit: { name: true, email: true },
    us_bank_account: { name: true, email: true },
  };

  // shown tells which billing fields a method's form has, given the
  // element's fields.billingDetails option.
  function shown(type, mode) {
    const need = NEEDS[type] || { name: true, email: true };
    const on = (k) => (need[k] ? mode(k) !== 'never' : mode(k) === 'always');
    const addr = mode('address');
    const countryNever = addr === 'never' || (addr && typeof addr === 'object' && addr.country === 'never');
    return { name: on('name'), email: on('email'), country: !!need.country && !countryNever };
  }

  function defaultKlarnaCountry(s, groupOpts) {
    if (s.klarnaCountry && KLARNA_COUNTRIES.includes(s.klarnaCountry)) return s.klarnaCountry;
    const byCurrency = CURRENCY_COUNTRY[String(groupOpts.currency || '').toLowerCase()];
    if (s.country && KLARNA_COUNTRIES.includes(s.country) && (!byCurrency || byCurrency === 'US' || s.country !== 'US')) return s.country;
    return byCurrency || 'US';
  }

  // form draws a method's fields. ui carries element.js's helpers: h, t,
  // input, field, select, state, afterInput, mode (fields.billingDetails),
  // merchant, banks, groupOpts, opts and readOnly.
  function form(type, ui) {
    const { h, t, state } = ui;
    const f = shown(type, ui.mode);
    const grid = h('div', { class: 'p-Grid' });
    const text = (name, label, attrs, extra) => {
      const el = ui.input('Field-' + name + 'Input', name, attrs);
      el.value = state[name];
      el.addEventListener('input', () => { state[name] = el.value; ui.afterInput(name); });
      grid.append(ui.field(name, label, el, extra));
    };
    if (type === 'ideal') {
      const sel = ui.select('Field-bankInput', 'bank', [['', t('selectBank')]].concat(
        ui.banks.map((c) => [c, bankName(c)]).sort((a, b) => a[1].localeCompare(b[1]))), state.bank, (v) => { state.bank = v; ui.afterInput('bank'); });
      grid.append(ui.field('bank', t('idealBank'), sel));
    }
    if (f.name) text('name', t('name'), { autocomplete: 'name' });
    if (f.email) text('email', t('email'), { type: 'email', autocomplete: 'email', inputmode: 'email' });
    if (type === 'klarna' && f.country) {
      state.klarnaCountry = defaultKlarnaCountry(state, ui.groupOpts);
      const names = KLARNA_COUNTRIES.map((c) => [c, t.country(c)]).sort((a, b) => a[1].localeCompare(b[1]));
      const sel = ui.select('Field-countryInput', 'country', names, state.klarnaCountry, (v) => { state.klarnaCountry = v; ui.afterInput('country'); });
      sel.setAttribute('autocomplete', 'billing country');
      grid.append(ui.field('country', t('country'), sel));
    }
    if (type === 'sepa_debit') {
      const el = ui.input('Field-ibanInput', 'iban', { placeholder: 'DE00 0000 0000 0000 0000 00', maxlength: '42', autocapitalize: 'characters' });
      el.value = formatIban(state.iban);
      el.addEventListener('input', () => {
        let n = normalizeIban(el.value);
        n = n.slice(0, ibanMax(n));
        state.iban = n;
        ui.reformat(el, formatIban(n), /[A-Z0-9]/i);
        ui.afterInput('iban');
      });
      grid.append(ui.field('iban', t('iban'), el));
    }
    if (type === 'us_bank_account') {
      const digits = (name, label, max, extra) => {
        const el = ui.input('Field-' + name + 'Input', name, { inputmode: 'numeric', maxlength: String(max), autocomplete: 'off' });
        el.value = state[name];
        el.addEventListener('input', () => {
          state[name] = el.value.replace(/\D/g, '').slice(0, max);
          ui.reformat(el, state[name], /\d/);
          ui.afterInput(name);
        });
        grid.append(ui.field(name, label, el, extra));
      };
      digits('routing', t('routingNumber'), 9, 'p-Field--half');
      digits('account', t('accountNumber'), 17, 'p-Field--half');
      const kinds = ['individual_checking', 'individual_savings', 'company_checking', 'company_savings'].map((k) => [k, t('acct_' + k)]);
      const sel = ui.select('Field-accountTypeInput', 'accountType', kinds, state.accountType, (v) => { state.accountType = v; ui.afterInput('accountType'); });
      grid.append(ui.field('accountType', t('accountType'), sel));
    }
    const wrap = h('div', { class: 'p-MethodForm', 'data-type': type }, grid);
    const terms = (ui.opts.terms || {})[camel(type)];
    const merchant = ui.merchant || t('theMerchant');
    if (DEBIT.includes(type) && terms !== 'never') {
      const future = !!ui.groupOpts.setupFutureUsage || ui.groupOpts.mode === 'setup';
      const key = type === 'sepa_debit' ? 'sepaMandate' : (future ? 'achMandateFuture' : 'achMandate');
      wrap.append(h('p', { class: 'TermsText p-Mandate', id: 'Mandate-' + type, text: t(key, { merchant: merchant }) }));
    } else if (REDIRECT.includes(type)) {
      wrap.append(h('p', { class: 'RedirectText', text: t(type === 'klarna' ? 'klarnaRedirect' : 'bankRedirect', { method: t(type) }) }));
    }
    return wrap;
  }

  function camel(s) { return s.replace(/_([a-z])/g, (_, c) => c.toUpperCase()); }

  // fields lists the validated fields a method's form shows, in order.
  function fields(type, mode) {
    const f = shown(type, mode);
    const out = [];
    if (type === 'ideal') out.push('bank');
    if (f.name) out.push('name');
    if (f.email) out.push('email');
    if (type === 'sepa_debit') out.push('iban');
    if (type === 'us_bank_account') out.push('routing', 'account');
    return out;
  }

  // data is what the controller turns into payment_method_data (and, for
  // debits, mandate_data): never sent to the merchant page.
  function data(type, s, mode, groupOpts) {
    const f = shown(type, mode);
    const billing = {};
    if (f.name) billing.name = s.name.trim();
    if (f.email) billing.email = s.email.trim();
    if (type === 'klarna' && f.country) billing.address = { country: defaultKlarnaCountry(s, groupOpts) };
    const out = { type: type, billing_details: billing };
    if (type === 'ideal') out.ideal = { bank: s.bank };
    if (type === 'sepa_debit') { out.sepa_debit = { iban: s.iban }; out.mandate = true; }
    if (type === 'us_bank_account') {
      const [holder, kind] = s.accountType.split('_');
      out.us_bank_account = { routing_number: s.routing, account_number: s.account, account_holder_type: holder, account_type: kind };
      out.mandate = true;
    }
    return out;
  }

  function empty(type, s, mode) {
    const f = shown(type, mode);
    return !(f.name && s.name) && !(f.email && s.email) && !s.iban && !s.routing && !s.account && !(type === 'ideal' && s.bank);
  }

  T.methods = {
    REDIRECT: REDIRECT, DEBIT: DEBIT, BLANK: BLANK, FIELDS: FIELDS,
    form: form, fields: fields, check: check, data: data, empty: empty, bankName: bankName,
    validateIban: validateIban, normalizeIban: normalizeIban, formatIban: formatIban, validateRouting: validateRouting,
  };
})(window.Tender = window.Tender || {});
