// The Appearance API inside the Payment Element frame (client-contract §6,
// §7.5). A hostile merchant page controls `appearance`, and CSS can read an
// input's value (input[value^="4"] { background: url(...) }), so nothing the
// merchant sends is parsed as CSS: variables and rules are data, checked
// against allowlists of names, selectors, properties and value shapes, and
// this file writes every byte of CSS itself.
(function (T) {
  'use strict';

  const SYSTEM_FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Ubuntu, sans-serif';

  const THEMES = {
    stripe: {
      colorPrimary: '#0570de', colorBackground: '#ffffff', colorText: '#30313d', colorDanger: '#df1b41',
      colorSuccess: '#30b130', colorWarning: '#f6a700',
      colorTextSecondary: '#6d6e78', colorTextPlaceholder: '#87888f', colorInputBackground: '#ffffff',
      colorInputBorder: '#e6e6e6', colorTabBackground: '#ffffff', fontFamily: SYSTEM_FONT, fontSizeBase: '16px',
      spacingUnit: '4px', borderRadius: '5px', inputBoxShadow: '0px 1px 1px rgba(0, 0, 0, 0.03), 0px 3px 6px rgba(0, 0, 0, 0.02)',
    },
    night: {
      colorPrimary: '#0085ff', colorBackground: '#30313d', colorText: '#ffffff', colorDanger: '#fe87a1',
      colorSuccess: '#2dd881', colorWarning: '#ffcc33',
      colorTextSecondary: '#b9bac0', colorTextPlaceholder: '#8b8c93', colorInputBackground: '#424353',
      colorInputBorder: '#424353', colorTabBackground: '#424353', fontFamily: SYSTEM_FONT, fontSizeBase: '16px',
      spacingUnit: '4px', borderRadius: '5px', inputBoxShadow: '0px 2px 4px rgba(0, 0, 0, 0.5), 0px 1px 6px rgba(0, 0, 0, 0.25)',
    },
    flat: {
      colorPrimary: '#0570de', colorBackground: '#ffffff', colorText: '#30313d', colorDanger: '#df1b41',
      colorSuccess: '#30b130', colorWarning: '#f6a700',
      colorTextSecondary: '#6d6e78', colorTextPlaceholder: '#87888f', colorInputBackground: '#f1f1f1',
      colorInputBorder: '#f1f1f1', colorTabBackground: '#f1f1f1', fontFamily: SYSTEM_FONT, fontSizeBase: '16px',
      spacingUnit: '4px', borderRadius: '5px', inputBoxShadow: 'none',
    },
  };

  // Variables merchants may set (10.x typings); everything else is ignored.
  const VARIABLES = new Set(('fontFamily fontSizeBase spacingUnit borderRadius colorPrimary colorBackground colorText ' +
    'colorDanger fontSmooth fontVariantLigatures fontVariationSettings fontLineHeight fontSizeSm fontSizeXs ' +
    'fontSize2Xs fontSize3Xs fontSizeLg fontSizeXl fontSize2Xl fontWeightLight fontWeightNormal fontWeightMedium ' +
    'fontWeightBold gridRowSpacing gridColumnSpacing tabSpacing accordionItemSpacing pickerItemSpacing ' +
    'spacingGridRow spacingGridColumn spacingTab spacingAccordionItem colorSuccess colorWarning colorTextSecondary ' +
    'colorTextPlaceholder accessibleColorOnColorPrimary accessibleColorOnColorBackground ' +
    'accessibleColorOnColorSuccess accessibleColorOnColorDanger accessibleColorOnColorWarning colorPrimaryText ' +
    'colorBackgroundText colorSuccessText colorDangerText colorWarningText iconColor iconHoverColor ' +
    'iconCardErrorColor iconCardCvcColor iconCardCvcErrorColor iconCheckmarkColor iconChevronDownColor ' +
    'tabIconColor tabIconHoverColor tabIconSelectedColor focusBoxShadow focusOutline inputBoxShadow ' +
    'inputColorBorder inputFocusBoxShadow inputFocusColorBorder labelColorText labelFontSize labelFontWeight ' +
    'labelSpacing accordionItemLabelColorText accordionItemLabelFontSize accordionItemLabelFontWeight ' +
    'buttonColorBackground buttonColorText buttonBorderRadius').split(/\s+/));

  // Base colours feed derived shades, so like Stripe they take plain colours only.
  const PLAIN_COLORS = new Set(['colorPrimary', 'colorBackground', 'colorText', 'colorSuccess', 'colorDanger', 'colorWarning']);

  const SAFE_FUNCTIONS = new Set(['rgb', 'rgba', 'hsl', 'hsla', 'calc', 'min', 'max', 'clamp', 'var',
    'color-mix', 'cubic-bezier', 'steps']);

  // safeValue accepts a CSS value only if it cannot end the declaration or
  // rule, import anything, or name a resource: no ; { } < > \ @ ! or
  // comments, and only colour/arithmetic functions (so no url(), image-set(),
  // expression(), src()).
  function safeValue(v, opts) {
    if (typeof v === 'number') v = String(v);
    if (typeof v !== 'string' || v.length === 0 || v.length > 300) return false;
    if (/[;{}<>\\@!]|\/\*|\*\/|[\u0000-\u001f\u007f]/.test(v)) return false;
    const fns = v.match(/[a-zA-Z_-][\w-]*\s*\(/g) || [];
    for (const f of fns) {
      const name = f.replace(/\s*\($/, '').toLowerCase();
      if (!SAFE_FUNCTIONS.has(name)) return false;
      if (name === 'var' && opts && opts.noVar) return false;
    }
    if ((v.match(/\(/g) || []).length !== (v.match(/\)/g) || []).length) return false;
    return true;
  }

  const PSEUDO_INTERACTIVE = ['hover', 'focus', 'active'];
  const CLASSES = {
    Tab: { states: ['selected'], pseudo: PSEUDO_INTERACTIVE.concat('disabled') },
    TabIcon: { states: ['selected'], pseudo: PSEUDO_INTERACTIVE.concat('disabled') },
    TabLabel: { states: ['selected'], pseudo: PSEUDO_INTERACTIVE.concat('disabled') },
    Label: { states: ['empty', 'invalid', 'floating', 'resting'] },
    Input: { states: ['empty', 'invalid'], pseudo: ['hover', 'focus', 'disabled', 'autofill'], elements: ['placeholder', 'selection'] },
    Error: {}, Block: {}, BlockDivider: {},
    BlockAction: { states: ['negative'], pseudo: PSEUDO_INTERACTIVE },
    CodeInput: { pseudo: ['hover', 'focus', 'disabled'] },
    Checkbox: { states: ['checked'] },
    CheckboxLabel: { states: ['checked'], pseudo: ['hover', 'focus', 'focus-visible'] },
    CheckboxInput: { states: ['checked'], pseudo: ['hover', 'focus', 'focus-visible'] },
    Dropdown: {}, DropdownItem: { states: ['highlight'], pseudo: ['active'] },
    Switch: { states: ['active'], pseudo: ['hover'] }, SwitchControl: { pseudo: ['hover'] },
    PickerItem: { states: ['selected', 'highlight', 'new', 'disabled'], pseudo: PSEUDO_INTERACTIVE },
    PickerAction: { pseudo: PSEUDO_INTERACTIVE },
    Menu: {}, MenuIcon: { states: ['open'], pseudo: ['hover'] },
    MenuAction: { states: ['negative'], pseudo: PSEUDO_INTERACTIVE },
    AccordionItem: { states: ['selected'], pseudo: ['hover', 'focus-visible'] },
    Action: {}, Button: {}, Link: {}, SecondaryLink: {}, RedirectText: {}, TermsText: {}, TermsLink: {}, Text: {},
    InputDivider: {}, InputCloseIcon: {}, PasscodeCloseIcon: {}, PasscodeShowIcon: {}, Icon: {},
  };

  const SIDES = ['Top', 'Right', 'Bottom', 'Left'];
  const PROPERTIES = new Set(['color', 'backgroundColor', 'boxShadow', 'outline', 'outlineColor', 'outlineStyle',
    'outlineWidth', 'outlineOffset', 'fill', 'fontFamily', 'fontSize', 'fontVariant', 'fontWeight', 'fontStyle',
    'letterSpacing', 'lineHeight', 'textDecoration', 'textShadow', 'textTransform', 'transition',
    'WebkitFontSmoothing', 'MozOsxFontSmoothing', 'WebkitTextFillColor', 'opacity',
    'border', 'borderColor', 'borderStyle', 'borderWidth', 'borderRadius', 'margin', 'padding',
    'borderTopLeftRadius', 'borderTopRightRadius', 'borderBottomLeftRadius', 'borderBottomRightRadius']);
  for (const s of SIDES) {
    ['border' + s, 'border' + s + 'Color', 'border' + s + 'Style', 'border' + s + 'Width', 'margin' + s, 'padding' + s]
      .forEach((p) => PROPERTIES.add(p));
  }

  const SELECTOR = /^\.([A-Za-z]+)(?:--([a-z]+))?(?::([a-z-]+))?(?:::([a-z-]+))?$/;

  // checkSelector returns the CSS selector for one public selector, or a reason.
  function checkSelector(sel) {
    const m = SELECTOR.exec(sel.trim());
    if (!m) return { why: 'only a public class name, optionally with a state, a pseudo-class and a pseudo-element, can be targeted' };
    const c = CLASSES[m[1]];
    if (!c) return { why: '".' + m[1] + '" is not a public class name' };
    if (m[2] && !(c.states || []).includes(m[2])) return { why: '"--' + m[2] + '" is not a state of .' + m[1] };
    if (m[3] && !(c.pseudo || []).includes(m[3])) return { why: '":' + m[3] + '" is not supported on .' + m[1] };
    if (m[4] && !(c.elements || []).includes(m[4])) return { why: '"::' + m[4] + '" is not supported on .' + m[1] };
    return { css: '.' + m[1] + (m[2] ? '--' + m[2] : '') + (m[3] ? ':' + m[3] : '') + (m[4] ? '::' + m[4] : ''), cls: m[1], pseudo: m[3] || m[4] };
  }

  function kebab(p) {
    return p.replace(/^(Webkit|Moz)/, (x) => '-' + x.toLowerCase()).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  }

  // compileRules turns appearance.rules into CSS text, dropping (and
  // reporting) anything off the allowlist.
  function compileRules(rules, warn) {
    const out = [];
    if (!rules || typeof rules !== 'object') return '';
    for (const key of Object.keys(rules)) {
      const decls = rules[key];
      const sels = [];
      let bad = null;
      for (const part of key.split(',')) {
        const r = checkSelector(part);
        if (r.why) { bad = r.why; break; }
        sels.push(r);
      }
      if (bad) { warn('appearance.rules["' + key + '"] was ignored: ' + bad + '.'); continue; }
      if (!decls || typeof decls !== 'object') continue;
      const body = [];
      for (const prop of Object.keys(decls)) {
        const v = decls[prop];
        if (!PROPERTIES.has(prop) || (prop === 'opacity' && sels.some((s) => s.cls !== 'Label')) ||
            (prop === 'WebkitTextFillColor' && sels.some((s) => s.pseudo))) {
          warn('appearance.rules["' + key + '"].' + prop + ' was ignored: the property is not supported there.');
          continue;
        }
        if (!safeValue(v)) {
          warn('appearance.rules["' + key + '"].' + prop + ' was ignored: the value is not allowed.');
          continue;
        }
        body.push(kebab(prop) + ': ' + v + ';');
      }
      if (body.length) out.push(sels.map((s) => s.css).join(', ') + ' { ' + body.join(' ') + ' }');
    }
    return out.join('\n');
  }

  // translucent derives the focus ring colour from a plain base colour.
  function translucent(c, alpha) {
    let m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c.trim());
    if (m) {
      let h = m[1];
      if (h.length === 3) h = h.replace(/./g, (x) => x + x);
      const n = parseInt(h, 16);
      return 'rgba(' + (n >> 16) + ', ' + ((n >> 8) & 255) + ', ' + (n & 255) + ', ' + alpha + ')';
    }
    m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(c.trim());
    if (m) return 'rgba(' + m[1] + ', ' + m[2] + ', ' + m[3] + ', ' + alpha + ')';
    return 'color-mix(in srgb, ' + c + ' 25%, transparent)';
  }

  let sheet = null;

  // apply themes the frame from an appearance object. It can run any number
  // of times (elements.update) without touching the form's state.
  function apply(appearance, warn) {
    appearance = appearance || {};
    const theme = THEMES[appearance.theme] ? appearance.theme : 'stripe';
    if (appearance.theme && !THEMES[appearance.theme]) warn('appearance.theme "' + appearance.theme + '" is not supported; using "stripe".');
    const vars = Object.assign({}, THEMES[theme]);
    const given = appearance.variables || {};
    for (const k of Object.keys(given)) {
      if (!VARIABLES.has(k)) { warn('appearance.variables.' + k + ' is not a supported variable and was ignored.'); continue; }
      if (!safeValue(given[k], { noVar: PLAIN_COLORS.has(k) })) { warn('appearance.variables.' + k + ' has a value that is not allowed and was ignored.'); continue; }
      vars[k] = String(given[k]);
    }
    if (given.colorBackground && !given.colorInputBackground) vars.colorInputBackground = given.colorBackground;
    if (given.colorBackground) vars.colorTabBackground = given.colorBackground;
    if (given.inputColorBorder) vars.colorInputBorder = given.inputColorBorder;
    const root = document.documentElement;
    for (const k of Object.keys(vars)) root.style.setProperty('--' + k, vars[k]);
    root.style.setProperty('--p-focusColor', translucent(vars.colorPrimary, 0.25));
    root.dataset.theme = theme;
    root.dataset.labels = appearance.labels === 'floating' ? 'floating' : 'above';
    root.dataset.inputs = appearance.inputs === 'condensed' ? 'condensed' : 'spaced';
    root.classList.toggle('no-motion', !!appearance.disableAnimations);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      document.adoptedStyleSheets = [sheet];
    }
    sheet.replaceSync(compileRules(appearance.rules, warn));
  }

  // loadFonts installs elements({fonts}) with the FontFace API. A cssSrc
  // stylesheet is fetched as text and only its @font-face blocks are read.
  async function loadFonts(fonts, warn) {
    if (!Array.isArray(fonts)) return;
    for (const f of fonts) {
      try {
        if (f && typeof f.cssSrc === 'string') {
          const base = new URL(f.cssSrc);
          if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('cssSrc must be an http(s) URL');
          const res = await fetch(base.href, { mode: 'cors', credentials: 'omit' });
          const text = await res.text();
          const blocks = text.match(/@font-face\s*\{[^}]*\}/g) || [];
          for (const b of blocks) {
            const d = {};
            b.replace(/([a-z-]+)\s*:\s*([^;}]+)/g, (_, k, v) => { d[k.trim()] = v.trim(); });
            await addFace({ family: d['font-family'], src: d.src, weight: d['font-weight'], style: d['font-style'],
              display: d['font-display'], unicodeRange: d['unicode-range'] }, base, warn);
          }
        } else if (f && f.family && f.src) {
          await addFace(f, new URL(document.baseURI), warn);
        }
      } catch (e) {
        warn('A font in elements({fonts}) could not be loaded: ' + e.message);
      }
    }
  }

  async function addFace(f, base, warn) {
    const family = String(f.family || '').replace(/^['"]|['"]$/g, '');
    if (!family || !f.src || !/^[\w \-]+$/.test(family)) return;
    const srcs = [];
    String(f.src).replace(/url\(\s*['"]?([^'")]+)['"]?\s*\)(\s*format\(\s*['"]?([\w-]+)['"]?\s*\))?/g, (_, u, __, fmt) => {
      const abs = new URL(u, base);
      if (abs.protocol === 'https:' || abs.protocol === 'http:') {
        srcs.push('url(' + JSON.stringify(abs.href) + ')' + (fmt ? ' format(' + JSON.stringify(fmt) + ')' : ''));
      }
      return '';
    });
    if (!srcs.length) { warn('Font "' + family + '" has no usable http(s) src.'); return; }
    const desc = {};
    if (f.weight && /^[\w ]+$/.test(f.weight)) desc.weight = f.weight;
    if (f.style && /^(normal|italic|oblique)$/.test(f.style)) desc.style = f.style;
    if (f.display && /^(auto|block|swap|fallback|optional)$/.test(f.display)) desc.display = f.display;
    if (f.unicodeRange && /^[uU+0-9a-fA-F?, -]+$/.test(f.unicodeRange)) desc.unicodeRange = f.unicodeRange;
    const face = new FontFace(family, srcs.join(', '), desc);
    document.fonts.add(face);
    await face.load();
  }

  T.appearance = { apply, loadFonts, compileRules, safeValue, THEMES };
})(window.Tender = window.Tender || {});
