// The Payment Element frame (Tender's origin). It renders the payment method
// picker and the card form, keeps the card data, and hands that data only to
// the controller frame (same origin) when asked after a successful
// submit. The merchant page (our parent) receives events that carry no card
// data: change, focus, blur, escape, ready, height.
(function (T) {
  'use strict';
  const C = T.card;
  const M = T.methods;
  const params = new URLSearchParams(location.hash.slice(1));
  const merchantOrigin = params.get('origin');
  const controllerName = params.get('controller');
  const elementId = params.get('elementId');

  let opts = {};           // create('payment') options
  let groupOpts = {};      // elements() options the frame needs (locale, mode…)
  let types = ['card'];
  let t = T.i18n.translator('auto');
  let rendered = false;
  let readOnly = false;
  let moreOpen = false;
  let customer = null;     // the elements session's saved-methods payload (CustomerSession)
  let accountName = '';
  let removing = null;     // {id, busy, error} while the remove confirmation is shown
  let detachSeq = 0;
  let banks = [];          // iDEAL bank codes from the elements session
  let tabMenuOpen = false; // the tabs' "More" menu

  // The form's state. Re-rendering (layout or locale changes) rebuilds the
  // DOM from it, so nothing typed is lost.
  const state = {
    selected: null, number: '', expiry: '', cvc: '', country: '', postal: '', name: '', email: '',
    saved: null,   // id of the selected saved PaymentMethod; null means a new payment method
    savedCvc: '',  // the CVC recollected for the selected saved card
    save: false,   // the "save payment details" box
    shown: {},     // field → error code displayed
    ...M.BLANK,    // the other payment methods' fields (methods.js)
  };
  let lastBrand = 'unknown';

  // --- messaging --------------------------------------------------------

  function controllerWindow() {
    try { return window.parent.frames[controllerName] || null; } catch (e) { return null; }
  }
  function toParent(msg) {
    msg.tender = 'element';
    msg.elementId = elementId;
    window.parent.postMessage(msg, merchantOrigin);
  }
  function toController(msg) {
    const w = controllerWindow();
    if (!w) return;
    msg.tender = 'element';
    msg.elementId = elementId;
    w.postMessage(msg, location.origin);
  }

  window.addEventListener('message', (ev) => {
    const d = ev.data;
    if (!d || typeof d !== 'object') return;
    if (ev.source === window.parent && ev.origin === merchantOrigin && d.tender === 'sdk') {
      fromSDK(d);
    } else if (ev.origin === location.origin && ev.source && ev.source === controllerWindow() && d.tender === 'controller') {
      fromController(d);
    }
  });

  function fromSDK(d) {
    switch (d.type) {
      case 'init':
        groupOpts = d.group || {};
        opts = d.options || {};
        readOnly = !!opts.readOnly;
        t = T.i18n.translator(groupOpts.locale);
        T.appearance.apply(groupOpts.appearance, warn);
        T.appearance.loadFonts(groupOpts.fonts, warn);
        if (d.session) setSession(d.session, true);
        break;
      case 'session':
        setSession(d.session, !rendered);
        break;
      case 'loaderror':
        showLoadError();
        break;
      case 'update-group':
        if ('appearance' in d.group) T.appearance.apply(d.group.appearance, warn);
        if ('fonts' in d.group) T.appearance.loadFonts(d.group.fonts, warn);
        if ('locale' in d.group) t = T.i18n.translator(d.group.locale);
        Object.assign(groupOpts, d.group);
        if (rendered) render();
        break;
      case 'update':
        Object.assign(opts, d.options || {});
        if ('readOnly' in (d.options || {})) readOnly = !!d.options.readOnly;
        if (rendered) render();
        break;
      case 'focus': focusFirst(); break;
      case 'blur': if (document.activeElement) document.activeElement.blur(); break;
      case 'clear':
        Object.assign(state, { number: '', expiry: '', cvc: '', postal: '', name: '', email: '', savedCvc: '', save: false, shown: {} }, M.BLANK);
        if (rendered) { render(); emitChange(); }
        break;
      case 'collapse':
        state.selected = null;
        state.saved = null;
        if (rendered) { render(); emitChange(); }
        break;
    }
  }

  function fromController(d) {
    switch (d.type) {
      case 'validate': {
        const result = validateAll(true);
        toController({ type: 'validated', id: d.id, result: result });
        break;
      }
      case 'restore':
        if (d.state) {
          Object.assign(state, d.state, { shown: {} });
          if (state.saved && !savedById(state.saved)) state.saved = null;
          if (rendered) { render(); emitChange(); }
        }
        break;
      case 'detached': removed(d); break;
    }
  }

  function warn(message) { toParent({ type: 'warn', message: message }); }

  // --- session and layout -----------------------------------------------

  function orderedTypes(list) {
    const order = Array.isArray(opts.paymentMethodOrder) ? opts.paymentMethodOrder : [];
    const first = order.filter((x) => list.includes(x));
    return first.concat(list.filter((x) => !first.includes(x)));
  }

  function layout() {
    const l = opts.layout;
    const o = typeof l === 'string' ? { type: l } : (l && typeof l === 'object' ? l : {});
    return {
      type: o.type === 'accordion' ? 'accordion' : 'tabs',
      defaultCollapsed: !!o.defaultCollapsed,
      radios: o.radios,
      spaced: !!o.spacedAccordionItems,
      visible: Number.isInteger(o.visibleAccordionItemsCount) ? o.visibleAccordionItemsCount : 5,
    };
  }

  function setSession(session, first) {
    const list = (session.payment_method_types || ['card']).filter((x) => typeof x === 'string');
    types = orderedTypes(list.length ? list : ['card']);
    customer = session.customer && typeof session.customer === 'object' ? session.customer : null;
    accountName = typeof session.account_name === 'string' ? session.account_name : '';
    banks = Array.isArray(session.ideal_banks) ? session.ideal_banks.filter((x) => typeof x === 'string') : [];
    if (first && !rendered) {
      const dv = ((opts.defaultValues || {}).billingDetails || {});
      state.name = state.name || dv.name || '';
      state.email = state.email || dv.email || '';
      const addr = dv.address || {};
      state.country = state.country || String(addr.country || defaultCountry()).toUpperCase();
      state.postal = state.postal || addr.postal_code || '';
      if (addr.country) state.klarnaCountry = String(addr.country).toUpperCase();
      const ideal = ((opts.defaultValues || {}).paymentMethods || {}).ideal || {};
      if (ideal.bank && banks.includes(ideal.bank)) state.bank = state.bank || ideal.bank;
      state.selected = layout().defaultCollapsed ? null : types[0];
      // Like Stripe, a returning customer starts on their most recent card.
      const usable = savedMethods().find((pm) => !T.saved.expired(pm));
      state.saved = usable && !layout().defaultCollapsed ? usable.id : null;
      toController({ type: 'restore-request' });
    }
    if (state.selected && !types.includes(state.selected)) state.selected = types[0];
    if (state.saved && !savedById(state.saved)) state.saved = null;
    if (removing && !savedById(removing.id)) removing = null;
    render();
    if (first) {
      toParent({ type: 'ready' });
      emitChange();
    } else {
      toParent({ type: 'update-end' });
    }
  }

  function defaultCountry() {
    const m = /-([A-Z]{2})$/.exec(navigator.language || '');
    return m && C.COUNTRIES.includes(m[1]) ? m[1] : 'US';
  }

  // --- DOM helpers --------------------------------------------------------

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const k of Object.keys(attrs || {})) {
      const v = attrs[k];
      if (v === false || v == null) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c != null && c !== false) el.append(c);
    return el;
  }

  const root = document.getElementById('root');
  const live = document.getElementById('live');

  // --- rendering ----------------------------------------------------------

  function render() {
    rendered = true;
    const active = document.activeElement && document.activeElement.id;
    const l = layout();
    root.replaceChildren();
    document.documentElement.lang = t.lang;
    const saved = savedMethods();
    if (removing) {
      root.append(T.saved.confirmRemove(ui(), {
        method: savedById(removing.id), busy: removing.busy, error: removing.error,
        onCancel: cancelRemove, onConfirm: confirmRemove,
      }));
    } else if (saved.length) {
      root.append(T.saved.picker(ui(), {
        methods: saved, selected: state.saved, readOnly: readOnly, canRemove: feature('payment_method_remove'),
        cvcField: state.saved && cvcRecollection() ? savedCvcField(savedById(state.saved)) : null,
        newType: types.length === 1 ? types[0] : 'other', newLabel: types.length === 1 && types[0] === 'card' ? t('newCard') : t('newMethod'),
        onSelect: selectSaved, onAskRemove: askRemove,
      }));
    }
    if (removing || state.saved) {
      // A saved card needs no form of its own.
    } else if (types.length === 1 && !l.defaultCollapsed && l.type === 'tabs') {
      state.selected = state.selected || types[0];
      root.append(panel(types[0], 'Panel-' + types[0]));
    } else if (l.type === 'accordion') {
      root.append(accordion(l));
    } else {
      root.append(tabs());
    }
    root.classList.toggle('is-readonly', readOnly);
    if (active) { const el = document.getElementById(active); if (el) el.focus(); }
    refreshFields();
  }

  // tabCapacity is how many tabs fit in a row; more types than that put
  // the rest behind a "More" button (client-contract §3.5).
  function tabCapacity() {
    const w = root.clientWidth || window.innerWidth || 400;
    return Math.max(2, Math.floor((w + 12) / 112));
  }

  function shownTabs() {
    const cap = tabCapacity();
    if (types.length <= cap) return { shown: types, hidden: [] };
    const shown = types.slice(0, cap - 1);
    if (state.selected && !shown.includes(state.selected)) shown[shown.length - 1] = state.selected;
    return { shown: shown, hidden: types.filter((x) => !shown.includes(x)) };
  }

  function tabs() {
    const { shown, hidden } = shownTabs();
    const list = h('div', { role: 'tablist', 'aria-label': t('paymentMethods'), class: 'TabList' });
    list.style.flexGrow = String(shown.length);
    for (const type of shown) {
      const sel = state.selected === type;
      list.append(h('button', {
        type: 'button', role: 'tab', id: 'Tab-' + type, class: 'Tab' + (sel ? ' Tab--selected' : ''),
        'aria-selected': sel ? 'true' : 'false', 'aria-controls': sel ? 'Panel-' + type : null,
        tabindex: sel || (!state.selected && type === types[0]) ? '0' : '-1', 'data-testid': type, value: type,
        disabled: readOnly, onclick: () => select(type, 'Tab-' + type), onkeydown: tabKeys,
      }, h('span', { class: 'TabIcon' + (sel ? ' TabIcon--selected' : '') }, T.icons.method(type)),
      h('span', { class: 'TabLabel' + (sel ? ' TabLabel--selected' : ''), text: t(type) })));
    }
    const row = h('div', { class: 'p-TabRow' }, list);
    const wrap = h('div', { class: 'p-Tabs' }, row);
    if (hidden.length) {
      const more = h('button', {
        type: 'button', class: 'Tab p-MoreTab', id: 'Tab-more', 'aria-haspopup': 'menu', 'aria-expanded': tabMenuOpen ? 'true' : 'false',
        'aria-controls': tabMenuOpen ? 'Tab-menu' : null, disabled: readOnly,
        onclick: () => { tabMenuOpen = !tabMenuOpen; render(); focusId(tabMenuOpen ? 'Menu-' + hidden[0] : 'Tab-more'); },
      }, h('span', { class: 'TabIcon p-MoreDots', text: '•••' }), h('span', { class: 'TabLabel', text: t('more') }));
      row.append(more);
      if (tabMenuOpen) {
        const menu = h('div', { role: 'menu', id: 'Tab-menu', class: 'p-TabMenu', 'aria-labelledby': 'Tab-more', onkeydown: menuKeys });
        for (const type of hidden) {
          menu.append(h('button', { type: 'button', role: 'menuitem', class: 'p-TabMenuItem', id: 'Menu-' + type, value: type, 'data-testid': type,
            tabindex: '-1', onclick: () => { tabMenuOpen = false; select(type, 'Tab-' + type); } },
          h('span', { class: 'TabIcon' }, T.icons.method(type)), h('span', { class: 'TabLabel', text: t(type) })));
        }
        wrap.append(menu);
      }
    }
    if (state.selected) {
      const p = panel(state.selected, 'Panel-' + state.selected);
      p.setAttribute('role', 'tabpanel');
      p.setAttribute('aria-labelledby', 'Tab-' + state.selected);
      wrap.append(p);
    }
    return wrap;
  }

  function menuKeys(ev) {
    const items = Array.from(document.querySelectorAll('.p-TabMenuItem'));
    const i = items.indexOf(document.activeElement);
    let j = -1;
    if (ev.key === 'ArrowDown') j = (i + 1) % items.length;
    else if (ev.key === 'ArrowUp') j = (i - 1 + items.length) % items.length;
    else if (ev.key === 'Escape') { ev.preventDefault(); ev.stopPropagation(); tabMenuOpen = false; render(); focusId('Tab-more'); return; }
    if (j < 0) return;
    ev.preventDefault();
    items[j].focus();
  }

  function tabKeys(ev) {
    const i = types.indexOf(ev.currentTarget.value);
    let j = -1;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') j = (i + 1) % types.length;
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') j = (i - 1 + types.length) % types.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = types.length - 1;
    if (j < 0) return;
    ev.preventDefault();
    tabMenuOpen = false;
    select(types[j], 'Tab-' + types[j]);
  }

  function accordion(l) {
    const radios = l.radios === true || l.radios === 'always' || (l.radios === 'if_multiple' && types.length > 1);
    const wrap = h('div', {
      class: 'p-Accordion' + (l.spaced ? ' p-Accordion--spaced' : ''),
      role: radios ? 'radiogroup' : null, 'aria-label': radios ? t('paymentMethods') : null,
    });
    const limit = l.visible > 0 && !moreOpen ? l.visible : types.length;
    types.forEach((type, i) => {
      if (i >= limit && state.selected !== type) return;
      const sel = state.selected === type;
      const label = [h('span', { class: 'TabIcon' }, T.icons.method(type)), h('span', { class: 'p-AccordionLabel', text: t(type) })];
      const head = radios
        ? h('label', { class: 'p-AccordionHeader', for: 'Radio-' + type },
          h('input', { type: 'radio', class: 'p-Radio', name: 'payment-method', id: 'Radio-' + type, value: type,
            checked: sel, disabled: readOnly, 'aria-controls': 'Panel-' + type, onchange: () => select(type, 'Radio-' + type) }), label)
        : h('button', { type: 'button', class: 'p-AccordionHeader', id: 'Accordion-' + type, 'data-testid': type, value: type,
          'aria-expanded': sel ? 'true' : 'false', 'aria-controls': 'Panel-' + type, disabled: readOnly,
          onclick: () => select(type, 'Accordion-' + type) }, label);
      const item = h('div', { class: 'AccordionItem' + (sel ? ' AccordionItem--selected' : '') }, head);
      if (sel) {
        const p = panel(type, 'Panel-' + type);
        p.setAttribute('role', 'region');
        p.setAttribute('aria-labelledby', radios ? 'Radio-' + type : 'Accordion-' + type);
        item.append(p);
      }
      wrap.append(item);
    });
    if (limit < types.length && types.filter((x, i) => i >= limit && x !== state.selected).length) {
      wrap.append(h('button', { type: 'button', class: 'p-More', 'aria-expanded': 'false',
        onclick: () => { moreOpen = true; render(); } }, t('more')));
    }
    return wrap;
  }

  function select(type, focusId) {
    if (readOnly) return;
    state.selected = type;
    tabMenuOpen = false;
    render();
    const el = document.getElementById(focusId);
    if (el) el.focus();
    emitChange();
  }

  // field lays out a label, a control (the input, or a wrapper holding it
  // and an icon) and the field's error, which doubles as a live region.
  function field(name, label, input, extra, control) {
    const err = h('div', { class: 'Error', id: input.id.replace(/Input$/, 'Error'), 'aria-live': 'polite' });
    return h('div', { class: 'p-Field p-Field--' + name + (extra ? ' ' + extra : '') },
      h('label', { class: 'Label', for: input.id, id: input.id + 'Label', text: label }), control || input, err);
  }

  function input(id, name, attrs) {
    const el = h('input', Object.assign({
      id: id, name: name, type: 'text', class: 'Input', spellcheck: 'false', autocorrect: 'off',
      autocapitalize: 'off', readonly: readOnly, 'aria-invalid': 'false',
    }, attrs));
    el.addEventListener('blur', () => onBlur(name));
    el.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') toParent({ type: 'escape' }); });
    return el;
  }

  function billingFields() {
    const bd = (opts.fields || {}).billingDetails;
    const get = (k) => (bd === 'never' ? 'never' : (bd && typeof bd === 'object' ? bd[k] : 'auto') || 'auto');
    const addr = get('address');
    return {
      name: get('name') === 'always', email: get('email') === 'always',
      country: !(addr === 'never' || (typeof addr === 'object' && addr.country === 'never')),
      postal: !(addr === 'never' || (typeof addr === 'object' && addr.postalCode === 'never')),
    };
  }

  // billingMode is fields.billingDetails' setting for one field.
  function billingMode(k) {
    const bd = (opts.fields || {}).billingDetails;
    if (bd === 'never') return 'never';
    return (bd && typeof bd === 'object' ? bd[k] : 'auto') || 'auto';
  }

  function selectField(id, name, options, value, onChange) {
    const sel = h('select', { id: id, name: name, class: 'Input p-Select', disabled: readOnly, 'aria-invalid': 'false' });
    for (const [v, label] of options) sel.append(h('option', { value: v, selected: v === value, disabled: v === '' && value !== '' ? true : null }, label));
    sel.addEventListener('change', () => onChange(sel.value));
    sel.addEventListener('blur', () => onBlur(name));
    sel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') toParent({ type: 'escape' }); });
    return sel;
  }

  function methodUI() {
    return {
      h: h, t: t, state: state, input: input, field: field, select: selectField, reformat: reformat, afterInput: afterInput,
      mode: billingMode, merchant: merchantName(), banks: banks, groupOpts: groupOpts, opts: opts, readOnly: readOnly,
    };
  }

  function panel(type, id) {
    const p = h('div', { id: id, class: 'p-Panel' });
    if (type === 'card') p.append(cardForm());
    else p.append(M.form(type, methodUI()));
    return p;
  }

  function cardForm() {
    const bf = billingFields();
    const brand = C.detectBrand(state.number);
    const grid = h('div', { class: 'p-Grid' });
    const num = input('Field-numberInput', 'number', {
      inputmode: 'numeric', autocomplete: 'cc-number', placeholder: t('numberPlaceholder'),
      maxlength: String(C.maxLength(brand) + 4),
    });
    num.value = C.formatNumber(state.number, brand);
    num.addEventListener('input', onNumberInput);
    const brandIcon = h('span', { class: 'p-CardBrand', id: 'Field-brandIcon', 'data-brand': brand }, brandIconFor(brand));
    const numWrap = h('div', { class: 'p-InputWrap' }, num, brandIcon);
    grid.append(field('number', t('number'), num, '', numWrap));

    const exp = input('Field-expiryInput', 'expiry', { inputmode: 'numeric', autocomplete: 'cc-exp', placeholder: t('expiryPlaceholder'), maxlength: '7' });
    exp.value = C.formatExpiry(state.expiry);
    exp.addEventListener('input', onExpiryInput);
    grid.append(field('expiry', t('expiry'), exp, 'p-Field--half'));

    const cvc = input('Field-cvcInput', 'cvc', { inputmode: 'numeric', autocomplete: 'cc-csc', placeholder: t('cvcPlaceholder'), maxlength: String(C.BRANDS[brand].cvc) });
    cvc.value = state.cvc;
    cvc.addEventListener('input', onCvcInput);
    const cvcWrap = h('div', { class: 'p-InputWrap' }, cvc, h('span', { class: 'p-CardBrand p-CvcIcon', id: 'Field-cvcIcon' }, T.icons.cvc(brand === 'amex')));
    grid.append(field('cvc', t('cvc'), cvc, 'p-Field--half', cvcWrap));

    if (bf.name) {
      const nm = input('Field-nameInput', 'name', { autocomplete: 'cc-name' });
      nm.value = state.name;
      nm.addEventListener('input', () => { state.name = nm.value; afterInput('name'); });
      grid.append(field('name', t('name'), nm));
    }
    if (bf.country) {
      const sel = h('select', { id: 'Field-countryInput', name: 'country', class: 'Input p-Select', autocomplete: 'billing country', disabled: readOnly });
      const names = C.COUNTRIES.map((c) => [c, t.country(c)]).sort((a, b) => a[1].localeCompare(b[1]));
      for (const [code, label] of names) sel.append(h('option', { value: code, selected: code === state.country }, label));
      sel.addEventListener('change', () => { state.country = sel.value; delete state.shown.postal; render(); afterInput('country'); });
      sel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') toParent({ type: 'escape' }); });
      const rule = C.postalRule(state.country);
      grid.append(field('country', t('country'), sel, bf.postal && rule ? 'p-Field--half' : ''));
      if (bf.postal && rule) {
        const pc = input('Field-postalCodeInput', 'postalCode', {
          autocomplete: 'billing postal-code', maxlength: String(rule.max), inputmode: rule.numeric ? 'numeric' : null,
          placeholder: state.country === 'US' ? '12345' : '',
        });
        pc.value = state.postal;
        pc.addEventListener('input', () => { state.postal = pc.value; afterInput('postal'); });
        grid.append(field('postal', rule.label === 'zip' ? t('zip') : t('postal'), pc, 'p-Field--half'));
      }
    }
    const wrap = h('div', { class: 'p-CardForm' }, grid);
    if (saveOffered()) {
      wrap.append(T.saved.saveBox(ui(), {
        checked: state.save, merchant: merchantName(), readOnly: readOnly,
        onChange: (v) => { state.save = v; render(); emitChange(); stash(); },
      }));
    }
    const terms = (opts.terms || {}).card;
    if (terms === 'always' || (terms !== 'never' && (groupOpts.setupFutureUsage || (saveOffered() && state.save)))) {
      const merchant = merchantName() || 'the merchant';
      wrap.append(h('p', { class: 'TermsText', text: t('cardTerms', { merchant: merchant }) }));
    }
    return wrap;
  }

  function brandIconFor(brand) { return T.icons.brand(brand); }

  // --- input handling -----------------------------------------------------

  // reformat rewrites an input's value and keeps the caret after the same
  // number of digits, so editing mid-string does not jump to the end.
  function reformat(el, formatted, counted) {
    const re = counted || /\d/;
    const caret = el.selectionStart == null ? el.value.length : el.selectionStart;
    const digitsBefore = Array.from(el.value.slice(0, caret)).filter((c) => re.test(c)).length;
    const atEnd = caret >= el.value.length;
    el.value = formatted;
    let pos = formatted.length;
    if (!atEnd) {
      let seen = 0;
      pos = 0;
      while (pos < formatted.length && seen < digitsBefore) { if (re.test(formatted[pos])) seen++; pos++; }
    }
    el.setSelectionRange(pos, pos);
    return atEnd;
  }

  function onNumberInput(ev) {
    const el = ev.target;
    let d = C.digitsOf(el.value);
    const brand = C.detectBrand(d);
    d = d.slice(0, C.maxLength(brand));
    state.number = d;
    const atEnd = reformat(el, C.formatNumber(d, brand));
    updateBrand(brand);
    afterInput('number');
    const v = C.validateNumber(d);
    // Move on once the number is complete at its brand's usual length.
    if (!v.code && atEnd && (d.length >= 16 || d.length === C.maxLength(brand) || (brand === 'diners' && d.length === 14))) advance('Field-expiryInput');
  }

  function onExpiryInput(ev) {
    const el = ev.target;
    const deleting = (ev.inputType || '').startsWith('delete');
    let d = C.expiryDigits(el.value);
    // Backspace over the " / " separator takes the month digit before it.
    if (deleting && d.length === 2 && state.expiry.length === 2) d = d.slice(0, 1);
    state.expiry = d;
    const atEnd = reformat(el, C.formatExpiry(d));
    afterInput('expiry');
    if (atEnd && d.length === 4 && !C.validateExpiry(d).code) advance('Field-cvcInput');
  }

  function onCvcInput(ev) {
    const el = ev.target;
    const max = C.BRANDS[C.detectBrand(state.number)].cvc;
    const d = C.digitsOf(el.value).slice(0, max);
    state.cvc = d;
    reformat(el, d);
    afterInput('cvc');
  }

  function advance(id) {
    const el = document.getElementById(id);
    if (el && !state.shown[id]) el.focus();
  }

  function updateBrand(brand) {
    if (brand === lastBrand) return;
    lastBrand = brand;
    const icon = document.getElementById('Field-brandIcon');
    if (icon) { icon.replaceChildren(brandIconFor(brand)); icon.dataset.brand = brand; }
    const cvcIcon = document.getElementById('Field-cvcIcon');
    if (cvcIcon) cvcIcon.replaceChildren(T.icons.cvc(brand === 'amex'));
    const cvc = document.getElementById('Field-cvcInput');
    if (cvc) {
      const max = C.BRANDS[brand].cvc;
      cvc.maxLength = max;
      if (state.cvc.length > max) { state.cvc = state.cvc.slice(0, max); cvc.value = state.cvc; }
    }
    const num = document.getElementById('Field-numberInput');
    if (num) num.maxLength = C.maxLength(brand) + 4;
    toParent({ type: 'carddetailschange', details: { brands: [brand], funding: null } });
  }

  // Field validation. Errors appear on blur and submit, or while typing only
  // when the value can no longer become valid; they clear once it is valid.
  function check(name) {
    switch (name) {
      case 'number': return C.validateNumber(state.number);
      case 'expiry': return C.validateExpiry(state.expiry);
      case 'cvc': return C.validateCvc(state.cvc, C.detectBrand(state.number));
      case 'savedCvc': return C.validateCvc(state.savedCvc, T.saved.brandOf(savedById(state.saved)));
      case 'postal': {
        const r = C.validatePostal(state.country, state.postal);
        if (r.code === 'incomplete_zip' && state.country === 'US') r.msg = 'incomplete_zip_us';
        return r;
      }
      case 'name': return state.name.trim() ? { code: null } : { code: 'incomplete_name', empty: true };
      case 'email':
        if (!state.email.trim()) return { code: 'incomplete_email', empty: true };
        return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(state.email.trim()) ? { code: null } : { code: 'invalid_email' };
    }
    return M.check(name, state) || { code: null };
  }

  function visibleFields() {
    if (state.selected && state.selected !== 'card') {
      return M.fields(state.selected, billingMode).filter((id) => document.getElementById(fieldId(id) + 'Input'));
    }
    const out = [];
    for (const id of ['number', 'expiry', 'cvc', 'name', 'email', 'postal']) {
      const el = document.getElementById(fieldId(id) + 'Input');
      if (el) out.push(id);
    }
    return out;
  }

  function afterInput(name) {
    const r = check(name);
    if (!r.code) delete state.shown[name];
    else if (state.shown[name] || r.definite) state.shown[name] = r.msg || r.code;
    refreshFields();
    emitChange();
    stash();
  }

  function onBlur(name) {
    const r = check(name);
    if (r.code && !r.empty) state.shown[name] = r.msg || r.code;
    else if (!r.code) delete state.shown[name];
    refreshFields();
  }

  function refreshFields() {
    for (const name of ['number', 'expiry', 'cvc', 'name', 'email', 'postal', 'savedCvc'].concat(M.FIELDS)) {
      const base = fieldId(name);
      const el = document.getElementById(base + 'Input');
      if (!el) continue;
      const err = document.getElementById(base + 'Error');
      const label = document.getElementById(base + 'InputLabel');
      const code = state.shown[name];
      el.classList.toggle('Input--invalid', !!code);
      el.classList.toggle('Input--empty', !el.value);
      if (label) { label.classList.toggle('Label--invalid', !!code); label.classList.toggle('Label--empty', !el.value); }
      el.setAttribute('aria-invalid', code ? 'true' : 'false');
      if (code) el.setAttribute('aria-describedby', err.id); else el.removeAttribute('aria-describedby');
      const text = code ? t(code) : '';
      if (err.textContent !== text) err.textContent = text;
    }
  }

  // validateAll backs elements.submit(): it shows every error, focuses the
  // first invalid field and, when the form is valid, returns the data the
  // controller needs to create a PaymentMethod or ConfirmationToken.
  function validateAll(show) {
    if (!state.selected) {
      return { error: { type: 'validation_error', code: 'incomplete_payment_method', message: 'Please select a payment method.' } };
    }
    if (state.saved && !savedById(state.saved)) state.saved = null;
    let first = null;
    // A saved card asks only for its CVC, and only under CVC recollection.
    const names = state.saved ? (cvcRecollection() ? ['savedCvc'] : []) : visibleFields();
    for (const name of names) {
      const r = check(name);
      if (r.code) {
        if (show) state.shown[name] = r.msg || r.code;
        if (!first) first = { name: name, code: r.code, msg: r.msg || r.code };
      } else delete state.shown[name];
    }
    if (show) refreshFields();
    if (first) {
      const el = document.getElementById(fieldId(first.name) + 'Input');
      if (show && el) el.focus();
      if (show) live.textContent = t(first.msg);
      return { error: { type: 'validation_error', code: first.code, message: t(first.msg) } };
    }
    return { selectedPaymentMethod: state.selected, data: paymentData() };
  }

  function paymentData() {
    if (state.saved) {
      const d = { type: 'card', payment_method: state.saved, billing_details: {} };
      if (cvcRecollection()) d.cvc = state.savedCvc;
      return d;
    }
    const bf = billingFields();
    const billing = {};
    if (bf.name && state.name) billing.name = state.name.trim();
    if (state.selected !== 'card') return M.data(state.selected, state, billingMode, groupOpts);
    const address = {};
    if (bf.country && state.country) address.country = state.country;
    if (bf.postal && C.postalRule(state.country) && state.postal) address.postal_code = state.postal.trim();
    if (Object.keys(address).length) billing.address = address;
    const e = C.validateExpiry(state.expiry);
    const out = {
      type: 'card',
      card: { number: state.number, exp_month: e.month, exp_year: e.year, cvc: state.cvc },
      billing_details: billing,
    };
    if (saveOffered() && state.save) out.save = { usage: customer.features.payment_method_save_usage || 'off_session' };
    return out;
  }

  function isEmpty() {
    if (state.saved) return false;
    return !state.number && !state.expiry && !state.cvc && !(billingFields().name && state.name) &&
      !(state.selected && state.selected !== 'card' && !M.empty(state.selected, state, billingMode));
  }

  let lastChange = '';
  function emitChange() {
    const pm = state.saved && savedById(state.saved);
    const v = state.selected || pm ? validateAll(false) : null;
    const value = { type: pm ? 'card' : state.selected || types[0] };
    if (pm) value.payment_method = T.saved.preview(pm);
    else if (saveOffered()) value.savePaymentMethod = !!state.save;
    const msg = {
      elementType: 'payment', empty: isEmpty(), complete: !!(v && !v.error), collapsed: !state.selected && !pm,
      value: value,
    };
    const key = JSON.stringify(msg);
    // Every keystroke is a change for Stripe too, but identical consecutive
    // payloads (focus moves, re-renders) carry no news.
    if (key === lastChange && !msg.empty) return;
    lastChange = key;
    toParent({ type: 'change', event: msg, invalid: Object.keys(state.shown).length > 0 });
  }

  let stashTimer = 0;
  function stash() {
    clearTimeout(stashTimer);
    stashTimer = setTimeout(() => {
      const s = Object.assign({}, state);
      delete s.shown;
      toController({ type: 'stash', state: s });
    }, 0);
  }

  function focusFirst() {
    const el = document.getElementById('Field-savedCvcInput') || (state.saved && document.getElementById('Saved-' + state.saved)) ||
      document.getElementById('Field-numberInput') || root.querySelector('input, select, button');
    if (el) el.focus();
  }

  function showLoadError() {
    root.replaceChildren(h('p', { class: 'Error p-LoadError', role: 'alert', text: t('loadError') }));
  }

  // --- saved payment methods (drawn by saved.js) ---------------------------

  function ui() { return { h: h, t: t }; }
  function fieldId(name) { return 'Field-' + (name === 'postal' ? 'postalCode' : name); }
  function savedMethods() {
    const list = customer && Array.isArray(customer.payment_methods) ? customer.payment_methods : [];
    return list.filter((pm) => pm && typeof pm.id === 'string' && pm.type === 'card' && pm.card);
  }
  function savedById(id) { return savedMethods().find((pm) => pm.id === id) || null; }
  function feature(name) { return !!(customer && customer.features && customer.features[name] === 'enabled'); }
  function saveOffered() { return feature('payment_method_save') && state.selected === 'card' && !state.saved; }
  function merchantName() { return (opts.business && opts.business.name) || accountName; }
  // CVC recollection is Elements' paymentMethodOptions.card.require_cvc_recollection;
  // the intent must ask for it too, or the server ignores the CVC.
  function cvcRecollection() {
    const o = groupOpts.paymentMethodOptions || {};
    const c = (o && o.card) || {};
    return !!(c.require_cvc_recollection || c.requireCvcRecollection);
  }

  function savedCvcField(pm) {
    const brand = T.saved.brandOf(pm);
    const max = C.BRANDS[brand].cvc;
    const el = input('Field-savedCvcInput', 'savedCvc', { inputmode: 'numeric', autocomplete: 'cc-csc', placeholder: t('cvcPlaceholder'), maxlength: String(max) });
    el.name = 'cvc';
    el.value = state.savedCvc;
    el.addEventListener('input', () => {
      state.savedCvc = C.digitsOf(el.value).slice(0, max);
      reformat(el, state.savedCvc);
      afterInput('savedCvc');
    });
    const wrap = h('div', { class: 'p-InputWrap' }, el, h('span', { class: 'p-CardBrand p-CvcIcon' }, T.icons.cvc(brand === 'amex')));
    return field('savedCvc', t('cvc'), el, '', wrap);
  }

  function focusId(id) { const el = id && document.getElementById(id); if (el) el.focus(); }

  function selectSaved(id) {
    if (readOnly || state.saved === id) return;
    state.saved = id;
    if (!id && !state.selected) state.selected = types[0];
    delete state.shown.savedCvc;
    render();
    focusId(id ? (document.getElementById('Field-savedCvcInput') ? 'Field-savedCvcInput' : 'Saved-' + id) : 'Saved-new');
    emitChange();
    stash();
  }

  function askRemove(id) {
    if (readOnly || !feature('payment_method_remove')) return;
    removing = { id: id, busy: false, error: '' };
    render();
    focusId('Confirm-cancel');
  }

  function cancelRemove() {
    const id = removing && removing.id;
    removing = null;
    render();
    focusId('Saved-' + id);
  }

  // confirmRemove asks the controller to detach the card with the
  // CustomerSession's secret; the answer arrives as 'detached'.
  function confirmRemove() {
    if (!removing || removing.busy) return;
    removing.busy = true;
    removing.error = '';
    render();
    toController({ type: 'detach', id: 'd' + (++detachSeq), paymentMethod: removing.id, customerSessionClientSecret: groupOpts.customerSessionClientSecret || '' });
  }

  function removed(d) {
    const pm = savedById(d.paymentMethod);
    if (!pm || !removing || removing.id !== pm.id) return;
    const event = { type: 'savedpaymentmethodremove', success: !d.error, payment_method: T.saved.preview(pm) };
    if (d.error) {
      removing = { id: pm.id, busy: false, error: d.error.message || t('removeFailed') };
      event.error = removing.error;
      render();
      focusId('Confirm-cancel');
    } else {
      customer.payment_methods = customer.payment_methods.filter((x) => x.id !== pm.id);
      removing = null;
      if (state.saved === pm.id) {
        const next = savedMethods().find((x) => !T.saved.expired(x));
        state.saved = next ? next.id : null;
        state.savedCvc = '';
      }
      render();
      focusId(state.saved ? 'Saved-' + state.saved : 'Saved-new');
      live.textContent = t('removed', { card: T.saved.label(pm) });
      emitChange();
      stash();
    }
    toParent(event);
  }

  // --- frame-level events -------------------------------------------------

  window.addEventListener('focus', () => toParent({ type: 'focus' }));
  window.addEventListener('blur', () => toParent({ type: 'blur' }));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !(ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement)) toParent({ type: 'escape' });
  });
  document.addEventListener('submit', (ev) => ev.preventDefault());

  // A narrower or wider frame fits a different number of tabs.
  let lastCapacity = 0;
  window.addEventListener('resize', () => {
    const cap = tabCapacity();
    if (cap === lastCapacity) return;
    const before = lastCapacity;
    lastCapacity = cap;
    if (rendered && layout().type === 'tabs' && types.length > Math.min(before, cap)) render();
  });

  let lastHeight = 0;
  new ResizeObserver(() => {
    const hgt = Math.ceil(document.getElementById('frame').getBoundingClientRect().height);
    if (hgt !== lastHeight) { lastHeight = hgt; toParent({ type: 'height', height: hgt }); }
  }).observe(document.getElementById('frame'));

  toParent({ type: 'hello' });
})(window.Tender = window.Tender || {});
