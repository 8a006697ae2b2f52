// The 3D Secure modal (Tender's origin), shown full-viewport over the
// merchant page by handleNextAction. It frames the hosted challenge page,
// traps focus, cancels on Esc or Cancel (failing the authentication), and
// tells the merchant-page SDK when the challenge is over. It never learns the
// outcome itself: the SDK asks the controller for the intent afterwards.
(function () {
  'use strict';
  const params = new URLSearchParams(location.hash.slice(1));
  const merchantOrigin = params.get('origin');
  const frame = document.getElementById('challengeFrame');
  const cancel = document.getElementById('m-cancel');
  let url = null;
  try {
    url = new URL(params.get('url'));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') url = null;
  } catch (e) { url = null; }

  let finished = false;
  function finish(how) {
    if (finished) return;
    finished = true;
    window.parent.postMessage({ tender: '3ds', type: 'complete', how: how }, merchantOrigin);
  }

  if (!url) {
    finish('invalid');
  } else {
    url.searchParams.set('origin', location.origin);
    frame.src = url.href;
  }

  // Cancel is a failed authentication, as with Stripe: post the challenge
  // form's "fail" outcome ourselves, then close.
  async function doCancel() {
    if (finished) return;
    cancel.disabled = true;
    try {
      if (url && url.origin === location.origin) {
        const body = new URLSearchParams({ client_secret: url.searchParams.get('client_secret') || '', outcome: 'fail', origin: location.origin });
        await fetch(url.origin + url.pathname, { method: 'POST', body: body, credentials: 'omit', redirect: 'manual' });
      }
    } catch (e) { /* the SDK reads the intent either way */ }
    finish('canceled');
  }
  cancel.addEventListener('click', doCancel);

  function onKey(ev) {
    if (ev.key === 'Escape') { ev.preventDefault(); doCancel(); }
  }
  document.addEventListener('keydown', onKey);

  // The challenge page is same-origin: give it focus, and catch Esc there too.
  frame.addEventListener('load', () => {
    try {
      const w = frame.contentWindow;
      w.addEventListener('keydown', onKey);
      const btn = w.document.querySelector('button[value="complete"]') || w.document.querySelector('button, a, input');
      if (btn) btn.focus(); else frame.focus();
    } catch (e) { frame.focus(); }
  });

  // Focus wraps around inside the dialog.
  for (const s of document.querySelectorAll('.m-Sentinel')) {
    s.addEventListener('focus', () => {
      if (s.dataset.wrap === 'start') cancel.focus();
      else {
        try {
          const btns = frame.contentWindow.document.querySelectorAll('button');
          if (btns.length) { btns[btns.length - 1].focus(); return; }
        } catch (e) { /* fall through */ }
        frame.focus();
      }
    });
  }

  window.addEventListener('message', (ev) => {
    const d = ev.data;
    if (!url || ev.source !== frame.contentWindow || ev.origin !== url.origin) return;
    if (d && d.type === 'tender:3ds-complete') finish('completed');
  });

  window.addEventListener('focus', () => { if (!document.activeElement || document.activeElement === document.body) cancel.focus(); });
})();
