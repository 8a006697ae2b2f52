// Tender dashboard: a few progressive enhancements; every page works
// without JavaScript.
(function () {
  'use strict';

  // Times: the server writes UTC; show them in the viewer's time zone.
  const fmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const el of document.querySelectorAll('time[datetime]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (!isNaN(d)) {
      el.textContent = fmt.format(d);
      el.title = el.getAttribute('datetime') + (zone ? ' (shown in ' + zone + ')' : '');
    }
  }

  // Date filters are days in the viewer's zone.
  for (const el of document.querySelectorAll('input[data-tz]')) el.value = String(new Date().getTimezoneOffset());

  // Whole table rows open their object.
  for (const tr of document.querySelectorAll('tr[data-href]')) {
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a, button, input, select, label')) return;
      window.location.href = tr.dataset.href;
    });
  }

  // Confirm destructive actions.
  for (const b of document.querySelectorAll('[data-confirm]')) {
    b.addEventListener('click', (e) => { if (!window.confirm(b.dataset.confirm)) e.preventDefault(); });
  }

  // Copy buttons.
  for (const b of document.querySelectorAll('[data-copy]')) {
    b.addEventListener('click', async () => {
      const src = document.querySelector(b.dataset.copy);
      if (!src) return;
      try { await navigator.clipboard.writeText(src.textContent.trim()); b.textContent = 'Copied'; } catch (_) {
        const r = document.createRange(); r.selectNodeContents(src);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
      }
      setTimeout(() => { b.textContent = 'Copy'; }, 1500);
    });
  }

  // Login tabs.
  const tabs = document.querySelectorAll('[data-tab]');
  for (const t of tabs) {
    t.addEventListener('click', (e) => {
      e.preventDefault();
      for (const o of tabs) {
        const on = o === t;
        o.setAttribute('aria-selected', on ? 'true' : 'false');
        document.getElementById(o.dataset.tab).hidden = !on;
      }
      const first = document.querySelector('#' + t.dataset.tab + ' input:not([type=hidden])');
      if (first) first.focus();
    });
  }

  // "All events" switches the per-type boxes off.
  const all = document.querySelector('input[data-all]');
  const types = document.querySelector('[data-types]');
  if (all && types) {
    const sync = () => {
      types.setAttribute('aria-disabled', all.checked ? 'true' : 'false');
      for (const c of types.querySelectorAll('input')) c.disabled = all.checked;
    };
    all.addEventListener('change', sync);
    sync();
  }
})();
