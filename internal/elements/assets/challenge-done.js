// The 3DS challenge is over: tell tender.js's modal (our parent frame) so it
// can close and read the outcome through its controller. The message carries
// no secret, and names its target origin.
(function () {
  'use strict';
  const me = document.currentScript;
  const intent = me.dataset.intent;
  const origin = me.dataset.origin;
  if (window.parent !== window && origin) {
    window.parent.postMessage({ type: 'tender:3ds-complete', intent: intent }, origin);
  }
})();
