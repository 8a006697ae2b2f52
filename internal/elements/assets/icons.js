// Inline SVG icons for the Payment Element frame: card brands, the CVC
// hint and payment method tabs. Built with DOM calls, not innerHTML, so the
// frame never parses markup.
(function (T) {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';

  function svg(w, h, children) {
    const s = document.createElementNS(NS, 'svg');
    s.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    s.setAttribute('width', w);
    s.setAttribute('height', h);
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    for (const [tag, attrs, text] of children) {
      const el = document.createElementNS(NS, tag);
      for (const k of Object.keys(attrs)) el.setAttribute(k, attrs[k]);
      if (text) el.textContent = text;
      s.appendChild(el);
    }
    return s;
  }

  const BRAND_STYLE = {
    visa: ['#1a1f71', '#ffffff', 'VISA'],
    mastercard: null,
    amex: ['#2e77bb', '#ffffff', 'AMEX'],
    discover: ['#ffffff', '#e55c20', 'DISC'],
    diners: ['#0079be', '#ffffff', 'DC'],
    jcb: ['#0e4c96', '#ffffff', 'JCB'],
    unionpay: ['#d10429', '#ffffff', 'UP'],
  };

  function brand(b) {
    if (b === 'mastercard') {
      return svg(32, 20, [
        ['rect', { width: 32, height: 20, rx: 3, fill: '#252525' }],
        ['circle', { cx: 13, cy: 10, r: 6, fill: '#eb001b' }],
        ['circle', { cx: 19, cy: 10, r: 6, fill: '#f79e1b', 'fill-opacity': '0.9' }],
      ]);
    }
    const st = BRAND_STYLE[b];
    if (!st) return genericCard();
    return svg(32, 20, [
      ['rect', { width: 32, height: 20, rx: 3, fill: st[0], stroke: '#d9dce1', 'stroke-width': b === 'discover' ? 1 : 0 }],
      ['text', { x: 16, y: 13.5, 'text-anchor': 'middle', 'font-family': 'Arial, sans-serif', 'font-size': 8, 'font-weight': 700, fill: st[1] }, st[2]],
    ]);
  }

  function genericCard() {
    return svg(32, 20, [
      ['rect', { x: 0.5, y: 0.5, width: 31, height: 19, rx: 3, fill: 'none', stroke: 'currentColor', 'stroke-opacity': '0.45' }],
      ['rect', { x: 0.5, y: 5, width: 31, height: 3, fill: 'currentColor', 'fill-opacity': '0.35' }],
      ['rect', { x: 4, y: 12, width: 10, height: 2.5, rx: 1, fill: 'currentColor', 'fill-opacity': '0.35' }],
    ]);
  }

  function cvc(isAmex) {
    const kids = [['rect', { x: 0.5, y: 0.5, width: 31, height: 19, rx: 3, fill: 'none', stroke: 'currentColor', 'stroke-opacity': '0.45' }]];
    if (isAmex) {
      kids.push(['text', { x: 24, y: 9, 'text-anchor': 'middle', 'font-family': 'Arial, sans-serif', 'font-size': 5.5, fill: 'currentColor' }, '1234']);
    } else {
      kids.push(['rect', { x: 0.5, y: 4, width: 31, height: 4, fill: 'currentColor', 'fill-opacity': '0.35' }]);
      kids.push(['rect', { x: 16, y: 11, width: 12, height: 5, rx: 1, fill: 'none', stroke: 'currentColor', 'stroke-opacity': '0.6' }]);
      kids.push(['text', { x: 22, y: 15, 'text-anchor': 'middle', 'font-family': 'Arial, sans-serif', 'font-size': 4, fill: 'currentColor' }, '123']);
    }
    return svg(32, 20, kids);
  }

  // Marks for the other payment methods: coloured badges in each
  // scheme's colours (not their trademarked logos).
  const METHOD_BADGE = {
    ideal: ['#cc0066', '#ffffff', 'iD'],
    bancontact: ['#1e3764', '#ffd800', 'BC'],
    klarna: ['#ffb3c7', '#0b051d', 'K.'],
  };

  function method(type) {
    if (type === 'card') return genericCard();
    const b = METHOD_BADGE[type];
    if (b) {
      return svg(24, 20, [
        ['rect', { x: 0, y: 1, width: 24, height: 18, rx: 4, fill: b[0] }],
        ['text', { x: 12, y: 14, 'text-anchor': 'middle', 'font-family': 'Arial, sans-serif', 'font-size': 9, 'font-weight': 700, fill: b[1] }, b[2]],
      ]);
    }
    if (type === 'us_bank_account' || type === 'sepa_debit') {
      return svg(24, 20, [
        ['path', { d: 'M12 1 L23 6 L1 6 Z', fill: 'currentColor', 'fill-opacity': '0.55' }],
        ['rect', { x: 3, y: 8, width: 3, height: 8, fill: 'currentColor', 'fill-opacity': '0.55' }],
        ['rect', { x: 10.5, y: 8, width: 3, height: 8, fill: 'currentColor', 'fill-opacity': '0.55' }],
        ['rect', { x: 18, y: 8, width: 3, height: 8, fill: 'currentColor', 'fill-opacity': '0.55' }],
        ['rect', { x: 1, y: 17, width: 22, height: 2, fill: 'currentColor', 'fill-opacity': '0.55' }],
      ]);
    }
    return svg(24, 20, [
      ['rect', { x: 1, y: 2, width: 22, height: 16, rx: 3, fill: 'none', stroke: 'currentColor', 'stroke-opacity': '0.55' }],
      ['path', { d: 'M7 10 h10 M13 6 l4 4 -4 4', stroke: 'currentColor', 'stroke-opacity': '0.7', fill: 'none', 'stroke-width': 1.5 }],
    ]);
  }

  T.icons = { brand, cvc, method, genericCard };
})(window.Tender = window.Tender || {});
