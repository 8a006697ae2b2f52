// Saved payment methods in the Payment Element frame (CustomerSessions,
// docs/browser-protocol.md). element.js owns the state; this file draws the
// picker of saved cards (.PickerItem, client-contract §6.3), the CVC
// recollection field, the remove confirmation and the save checkbox, and
// shapes what the merchant page may learn about a saved card.
(function (T) {
  'use strict';
  const C = T.card;

  function brandOf(pm) {
    const b = pm && pm.card && pm.card.brand;
    return C.BRANDS[b] ? b : 'unknown';
  }

  function expiry(pm) {
    const c = pm.card || {};
    if (!c.exp_month || !c.exp_year) return '';
    return String(c.exp_month).padStart(2, '0') + '/' + String(c.exp_year % 100).padStart(2, '0');
  }

  // expired: a card is valid through the end of its expiry month.
  function expired(pm, now) {
    const c = pm.card || {};
    if (!c.exp_month || !c.exp_year) return false;
    now = now || new Date();
    return c.exp_year < now.getFullYear() || (c.exp_year === now.getFullYear() && c.exp_month < now.getMonth() + 1);
  }

  function label(pm) {
    const c = pm.card || {};
    return C.BRANDS[brandOf(pm)].name + ' •••• ' + (c.last4 || '');
  }

  // preview is what change and savedpaymentmethod* events carry (§3.3):
  // the id, type and billing details, never more of the card.
  function preview(pm) {
    const bd = pm.billing_details || {};
    const a = bd.address || {};
    return {
      id: pm.id, type: pm.type || 'card',
      billing_details: {
        address: { city: a.city || null, country: a.country || null, line1: a.line1 || null, line2: a.line2 || null, postal_code: a.postal_code || null, state: a.state || null },
        name: bd.name || null, email: bd.email || null, phone: bd.phone || null,
      },
    };
  }

  // picker draws the saved cards and "Use a new card". ui carries
  // element.js's helpers (h, t, field, input) and callbacks.
  function picker(ui, o) {
    const { h, t } = ui;
    const wrap = h('div', { class: 'p-Saved' },
      h('p', { class: 'p-SavedTitle Text', id: 'Saved-title', text: t('savedMethods') }));
    const group = h('div', { class: 'p-SavedList', role: 'radiogroup', 'aria-labelledby': 'Saved-title' });
    for (const pm of o.methods) {
      const sel = o.selected === pm.id;
      const dead = expired(pm);
      const id = 'Saved-' + pm.id;
      const item = h('div', {
        class: 'PickerItem' + (sel ? ' PickerItem--selected' : '') + (dead ? ' PickerItem--disabled' : ''),
        'data-pm': pm.id, onclick: (ev) => { if (!dead && !ev.target.closest('.PickerAction, .p-SavedCvc')) o.onSelect(pm.id); },
      });
      const radio = h('input', {
        type: 'radio', class: 'p-Radio', name: 'saved-payment-method', id: id, value: pm.id, checked: sel,
        disabled: dead || o.readOnly, onchange: () => o.onSelect(pm.id),
      });
      const meta = dead ? h('span', { class: 'p-PickerMeta p-PickerMeta--expired', text: t('expired') })
        : h('span', { class: 'p-PickerMeta', text: t('expires', { date: expiry(pm) }) });
      item.append(radio, h('label', { class: 'p-PickerLabel', for: id },
        h('span', { class: 'p-PickerBrand', 'data-brand': brandOf(pm) }, T.icons.brand(brandOf(pm))),
        h('span', { class: 'p-SrOnly', text: C.BRANDS[brandOf(pm)].name + ' ' }),
        h('span', { class: 'p-PickerLast4', text: '•••• ' + ((pm.card || {}).last4 || '') }), meta));
      if (o.canRemove) {
        item.append(h('button', {
          type: 'button', class: 'PickerAction', 'aria-label': t('removeCard', { card: label(pm) }), disabled: o.readOnly,
          onclick: () => o.onAskRemove(pm.id),
        }, t('remove')));
      }
      if (sel && o.cvcField) item.append(h('div', { class: 'p-SavedCvc' }, o.cvcField));
      group.append(item);
    }
    const isNew = !o.selected;
    group.append(h('div', { class: 'PickerItem PickerItem--new' + (isNew ? ' PickerItem--selected' : ''), onclick: () => o.onSelect(null) },
      h('input', { type: 'radio', class: 'p-Radio', name: 'saved-payment-method', id: 'Saved-new', value: 'new', checked: isNew,
        disabled: o.readOnly, onchange: () => o.onSelect(null) }),
      h('label', { class: 'p-PickerLabel', for: 'Saved-new' },
        h('span', { class: 'p-PickerBrand' }, T.icons.method(o.newType)),
        h('span', { class: 'p-PickerLast4', text: o.newLabel }))));
    wrap.append(group);
    return wrap;
  }

  // confirmRemove replaces the picker while the customer decides. Removing
  // detaches the card from the customer, so it warns about payments that
  // depend on it.
  function confirmRemove(ui, o) {
    const { h, t } = ui;
    const pm = o.method;
    return h('div', { class: 'p-Confirm', role: 'alertdialog', 'aria-modal': 'false', 'aria-labelledby': 'Confirm-title', 'aria-describedby': 'Confirm-text',
      onkeydown: (ev) => { if (ev.key === 'Escape') { ev.stopPropagation(); o.onCancel(); } } },
    h('p', { class: 'p-ConfirmTitle', id: 'Confirm-title', text: t('removeTitle') }),
    h('div', { class: 'PickerItem p-ConfirmItem' },
      h('span', { class: 'p-PickerBrand' }, T.icons.brand(brandOf(pm))),
      h('span', { class: 'p-PickerLast4', text: label(pm) }),
      h('span', { class: 'p-PickerMeta', text: t('expires', { date: expiry(pm) }) })),
    h('p', { class: 'p-ConfirmText Text', id: 'Confirm-text', text: t('removeWarning', { card: label(pm) }) }),
    o.error ? h('p', { class: 'Error', role: 'alert', text: o.error }) : null,
    h('div', { class: 'p-ConfirmActions' },
      h('button', { type: 'button', class: 'Button p-Button', id: 'Confirm-cancel', disabled: o.busy, onclick: o.onCancel }, t('cancel')),
      h('button', { type: 'button', class: 'Button p-Button p-Button--danger', id: 'Confirm-remove', disabled: o.busy, onclick: o.onConfirm },
        o.busy ? t('removing') : t('remove'))));
  }

  // saveBox is the consent checkbox shown under a new card's fields.
  function saveBox(ui, o) {
    const { h, t } = ui;
    const text = o.merchant ? t('saveFor', { merchant: o.merchant }) : t('save');
    return h('div', { class: 'Checkbox p-Checkbox' + (o.checked ? ' Checkbox--checked' : '') },
      h('input', { type: 'checkbox', id: 'Field-saveInput', name: 'save', class: 'CheckboxInput' + (o.checked ? ' CheckboxInput--checked' : ''),
        checked: o.checked, disabled: o.readOnly, onchange: (ev) => o.onChange(ev.target.checked) }),
      h('label', { class: 'CheckboxLabel' + (o.checked ? ' CheckboxLabel--checked' : ''), for: 'Field-saveInput', text: text }));
  }

  T.saved = { picker, confirmRemove, saveBox, preview, brandOf, expired, label };
})(window.Tender = window.Tender || {});
