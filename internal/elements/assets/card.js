// Card number, expiry, CVC and postal code rules for the Payment Element
// frame: brand detection, formatting with caret preservation, and
// validation returning Stripe's validation_error codes (client-contract
// §5.2, §10.2). Brand ranges match the server's (internal/network/brand.go)
// so that what the form accepts the API accepts.
(function (T) {
  'use strict';

  const BRANDS = {
    visa: { name: 'Visa', lengths: [13, 16, 19], cvc: 3 },
    mastercard: { name: 'Mastercard', lengths: [16], cvc: 3 },
    amex: { name: 'American Express', lengths: [15], cvc: 4, gaps: [4, 10] },
    discover: { name: 'Discover', lengths: [16, 17, 18, 19], cvc: 3 },
    diners: { name: 'Diners Club', lengths: [14, 15, 16, 17, 18, 19], cvc: 3 },
    jcb: { name: 'JCB', lengths: [16, 17, 18, 19], cvc: 3 },
    unionpay: { name: 'UnionPay', lengths: [16, 17, 18, 19], cvc: 3 },
    unknown: { name: 'Card', lengths: [12, 13, 14, 15, 16, 17, 18, 19], cvc: 3 },
  };

  function prefix(d, k) { return d.length >= k ? Number(d.slice(0, k)) : -1; }

  // detectBrand mirrors network.DetectBrand; longer ranges come first.
  function detectBrand(d) {
    const p1 = prefix(d, 1), p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4);
    if (p1 === 4) return 'visa';
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return 'mastercard';
    if (p2 === 34 || p2 === 37) return 'amex';
    if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) return 'discover';
    if (p4 >= 3528 && p4 <= 3589) return 'jcb';
    if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return 'diners';
    if (p2 === 62) return 'unionpay';
    return 'unknown';
  }

  function maxLength(brand) { const l = BRANDS[brand].lengths; return l[l.length - 1]; }

  function gaps(brand, len) {
    if (BRANDS[brand].gaps) return BRANDS[brand].gaps;
    if (brand === 'diners' && len <= 14) return [4, 10];
    return [4, 8, 12, 16];
  }

  function formatNumber(d, brand) {
    const g = gaps(brand, d.length);
    let out = '';
    for (let i = 0; i < d.length; i++) {
      if (i > 0 && g.indexOf(i) >= 0) out += ' ';
      out += d[i];
    }
    return out;
  }

  function luhn(d) {
    let sum = 0, dbl = false;
    for (let i = d.length - 1; i >= 0; i--) {
      let n = d.charCodeAt(i) - 48;
      if (dbl) { n *= 2; if (n > 9) n -= 9; }
      sum += n; dbl = !dbl;
    }
    return d.length > 0 && sum % 10 === 0;
  }

  function digitsOf(s) { return String(s || '').replace(/\D/g, ''); }

  // validateNumber returns {code, definite}: definite errors are shown while
  // typing (the value can no longer become valid by typing more).
  function validateNumber(d) {
    const brand = detectBrand(d);
    if (!d) return { code: 'incomplete_number', empty: true };
    const b = BRANDS[brand];
    if (b.lengths.indexOf(d.length) >= 0 && luhn(d)) return { code: null };
    if (d.length >= maxLength(brand)) return { code: 'invalid_number', definite: true };
    if (b.lengths.indexOf(d.length) >= 0) {
      // A Luhn failure at a brand's usual full length (16 for Visa, 14 for
      // Diners) is shown at once; at shorter valid lengths the customer is
      // probably still typing.
      const full = brand !== 'unknown' && (d.length >= 15 || (brand === 'diners' && d.length === 14));
      return { code: 'invalid_number', definite: full };
    }
    return { code: 'incomplete_number' };
  }

  // parseExpiry reads what was typed or pasted and returns the digits MMYY
  // (possibly partial), normalising "2" to "02" and "12/2030" to "1230".
  function expiryDigits(raw) {
    const m = /^\s*(\d{1,2})\s*[/\-. ]\s*(\d{2}|\d{4})\s*$/.exec(raw);
    if (m) {
      const yy = m[2].length === 4 ? m[2].slice(2) : m[2];
      return m[1].padStart(2, '0') + yy;
    }
    let d = digitsOf(raw);
    if (/^[2-9]/.test(d)) d = '0' + d;
    if (/^1[3-9]/.test(d)) d = '0' + d;
    if (d.startsWith('00')) d = '0' + d.slice(2); // month 00 does not exist
    return d.slice(0, 4);
  }

  function formatExpiry(d) {
    if (d.length < 2) return d;
    if (d.length === 2) return d + ' / ';
    return d.slice(0, 2) + ' / ' + d.slice(2);
  }

  function validateExpiry(d, now) {
    if (!d) return { code: 'incomplete_expiry', empty: true };
    if (d.length < 4) return { code: 'incomplete_expiry' };
    const mm = Number(d.slice(0, 2)), yy = 2000 + Number(d.slice(2, 4));
    now = now || new Date();
    const y = now.getFullYear(), m = now.getMonth() + 1;
    if (mm < 1 || mm > 12) return { code: 'invalid_expiry_month', definite: true };
    if (yy < y) return { code: 'invalid_expiry_year_past', definite: true };
    if (yy === y && mm < m) return { code: 'invalid_expiry_month_past', definite: true };
    if (yy > y + 50) return { code: 'invalid_expiry_year', definite: true };
    return { code: null, month: mm, year: yy };
  }

  function validateCvc(c, brand) {
    if (!c) return { code: 'incomplete_cvc', empty: true };
    const want = BRANDS[brand || 'unknown'].cvc;
    if (c.length < want) return { code: 'incomplete_cvc' };
    return { code: null };
  }

  // Countries whose cards are checked against a postal code (as Stripe asks).
  const POSTAL = {
    US: { label: 'zip', re: /^\d{5}(-?\d{4})?$/, max: 10, numeric: true },
    CA: { label: 'postal', re: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, max: 7 },
    GB: { label: 'postal', re: /^[A-Za-z0-9 ]{5,8}$/, max: 8 },
  };

  function postalRule(country) { return POSTAL[country] || null; }

  function validatePostal(country, v) {
    const r = POSTAL[country];
    if (!r) return { code: null };
    v = String(v || '').trim();
    if (!v) return { code: 'incomplete_zip', empty: true };
    if (!r.re.test(v)) return { code: country === 'US' && v.replace(/\D/g, '').length >= 5 ? 'invalid_zip' : 'incomplete_zip' };
    return { code: null };
  }

  const COUNTRIES = ['AR', 'AT', 'AU', 'BE', 'BG', 'BR', 'CA', 'CH', 'CL', 'CN', 'CO', 'CY', 'CZ', 'DE', 'DK', 'EE',
    'ES', 'FI', 'FR', 'GB', 'GR', 'HK', 'HR', 'HU', 'IE', 'IL', 'IN', 'IS', 'IT', 'JP', 'KR', 'LT', 'LU', 'LV', 'MT',
    'MX', 'MY', 'NL', 'NO', 'NZ', 'PH', 'PL', 'PT', 'RO', 'SE', 'SG', 'SI', 'SK', 'TH', 'TR', 'AE', 'US', 'ZA'];

  T.card = {
    BRANDS, detectBrand, formatNumber, maxLength, luhn, digitsOf, validateNumber,
    expiryDigits, formatExpiry, validateExpiry, validateCvc, postalRule, validatePostal, COUNTRIES,
  };
})(window.Tender = window.Tender || {});
