// Strings of the Payment Element frame. English is Stripe's wording
// (client-contract §5.2, §10.1); other locales fall back to English key by key.
(function (T) {
  'use strict';

  const en = {
    number: 'Card number', expiry: 'Expiration date', cvc: 'Security code', country: 'Country',
    zip: 'ZIP code', postal: 'Postal code', name: 'Full name', email: 'Email',
    numberPlaceholder: '1234 1234 1234 1234', expiryPlaceholder: 'MM / YY', cvcPlaceholder: 'CVC',
    paymentMethods: 'Payment Methods', more: 'More', loading: 'Loading payment form…',
    loadError: 'The payment form could not be loaded.',
    incomplete_number: 'Your card number is incomplete.',
    invalid_number: 'Your card number is invalid.',
    incomplete_expiry: "Your card's expiration date is incomplete.",
    invalid_expiry_month_past: "Your card's expiration date is in the past.",
    invalid_expiry_year_past: "Your card's expiration year is in the past.",
    invalid_expiry_year: "Your card's expiration year is invalid.",
    invalid_expiry_month: "Your card's expiration month is invalid.",
    incomplete_cvc: "Your card's security code is incomplete.",
    incomplete_zip: 'Your postal code is incomplete.',
    incomplete_zip_us: 'Your ZIP is incomplete.',
    invalid_zip: 'Your ZIP is invalid.',
    incomplete_name: 'Your name is incomplete.',
    incomplete_email: 'Your email address is incomplete.',
    invalid_email: 'Your email address is invalid.',
    cardTerms: 'By providing your card information, you allow {merchant} to charge your card for future payments in accordance with their terms.',
    redirectNote: 'After submitting, you will be redirected to complete your payment securely.',
    secure: 'Card details are sent securely to {host}.',
    savedMethods: 'Saved payment methods', newCard: 'Use a new card', newMethod: 'Use a new payment method',
    expires: 'Expires {date}', expired: 'Expired', remove: 'Remove', removing: 'Removing…', cancel: 'Cancel',
    removeCard: 'Remove {card}', removeTitle: 'Remove this card?',
    removeWarning: '{card} will be removed from your saved payment methods. Payments that depend on it, such as subscriptions, may be affected.',
    removeFailed: 'The card could not be removed. Please try again.', removed: '{card} was removed.',
    save: 'Save payment details for future purchases', saveFor: 'Save payment details to {merchant} for future purchases',
    card: 'Card', us_bank_account: 'US bank account', sepa_debit: 'SEPA Direct Debit', ideal: 'iDEAL',
    bancontact: 'Bancontact', klarna: 'Klarna', affirm: 'Affirm', afterpay_clearpay: 'Afterpay', link: 'Link',
    cashapp: 'Cash App Pay', paypal: 'PayPal', alipay: 'Alipay', giropay: 'giropay', eps: 'EPS', p24: 'Przelewy24',
    // Other payment methods (methods.js).
    idealBank: 'iDEAL Bank', selectBank: 'Select bank', iban: 'IBAN', routingNumber: 'Routing number',
    accountNumber: 'Account number', accountType: 'Account type', theMerchant: 'the merchant',
    acct_individual_checking: 'Personal checking', acct_individual_savings: 'Personal savings',
    acct_company_checking: 'Business checking', acct_company_savings: 'Business savings',
    incomplete_iban: 'Your IBAN is incomplete.', invalid_iban: 'Your IBAN is invalid.',
    invalid_iban_country_code: "Your IBAN's country code is invalid.",
    incomplete_ideal_bank: 'Select your bank.',
    incomplete_routing_number: 'Your routing number is incomplete.', invalid_routing_number: 'Your routing number is invalid.',
    incomplete_account_number: 'Your account number is incomplete.',
    bankRedirect: 'After submitting, you will be redirected to your bank to authorize the payment securely with {method}.',
    klarnaRedirect: 'After submitting, you will be redirected to Klarna to complete your purchase securely.',
    sepaMandate: 'By providing your payment information and confirming this payment, you authorise (A) {merchant} and Tender, the payment service provider {merchant} uses, to send instructions to your bank to debit your account and (B) your bank to debit your account in accordance with those instructions. As part of your rights, you are entitled to a refund from your bank under the terms and conditions of your agreement with your bank. A refund must be claimed within 8 weeks starting from the date on which your account was debited. Your rights are explained in a statement that you can obtain from your bank. You agree to receive notifications for future debits up to 2 days before they occur.',
    achMandate: 'By confirming this payment, you authorize {merchant} to debit the bank account above for the amount of this payment, through Tender, the payment service provider {merchant} uses. If the debit is returned, {merchant} may debit it again. You can revoke this authorization by contacting {merchant} before the payment is initiated.',
    achMandateFuture: 'By confirming, you authorize {merchant} to debit the bank account above, through Tender, the payment service provider {merchant} uses, for this payment and for future payments in accordance with {merchant}\'s terms, until this authorization is revoked. You may amend or cancel this authorization at any time by giving {merchant} 30 (thirty) days notice.',
  };

  const fr = {
    number: 'Numéro de carte', expiry: "Date d'expiration", cvc: 'Code de sécurité', country: 'Pays',
    zip: 'Code postal', postal: 'Code postal', name: 'Nom complet', email: 'E-mail',
    numberPlaceholder: '1234 1234 1234 1234', expiryPlaceholder: 'MM / AA', cvcPlaceholder: 'CVC',
    paymentMethods: 'Moyens de paiement', more: 'Plus', loading: 'Chargement du formulaire de paiement…',
    loadError: "Le formulaire de paiement n'a pas pu être chargé.",
    incomplete_number: 'Le numéro de carte est incomplet.',
    invalid_number: "Le numéro de carte n'est pas valide.",
    incomplete_expiry: "La date d'expiration de votre carte est incomplète.",
    invalid_expiry_month_past: "La date d'expiration de votre carte est dépassée.",
    invalid_expiry_year_past: "L'année d'expiration de votre carte est dépassée.",
    invalid_expiry_year: "L'année d'expiration de votre carte n'est pas valide.",
    invalid_expiry_month: "Le mois d'expiration de votre carte n'est pas valide.",
    incomplete_cvc: 'Le code de sécurité de votre carte est incomplet.',
    incomplete_zip: 'Votre code postal est incomplet.',
    incomplete_zip_us: 'Votre code postal est incomplet.',
    invalid_zip: "Votre code postal n'est pas valide.",
    incomplete_name: 'Votre nom est incomplet.',
    incomplete_email: 'Votre adresse e-mail est incomplète.',
    invalid_email: "Votre adresse e-mail n'est pas valide.",
    redirectNote: 'Après validation, vous serez redirigé pour finaliser votre paiement en toute sécurité.',
    secure: 'Les données de carte sont envoyées de façon sécurisée à {host}.',
    savedMethods: 'Moyens de paiement enregistrés', newCard: 'Utiliser une nouvelle carte', newMethod: 'Utiliser un nouveau moyen de paiement',
    expires: 'Expire le {date}', expired: 'Expirée', remove: 'Supprimer', removing: 'Suppression…', cancel: 'Annuler',
    removeCard: 'Supprimer {card}', removeTitle: 'Supprimer cette carte ?',
    removeWarning: '{card} sera supprimée de vos moyens de paiement enregistrés. Les paiements qui en dépendent, comme les abonnements, pourraient être affectés.',
    removeFailed: "La carte n'a pas pu être supprimée. Veuillez réessayer.", removed: '{card} a été supprimée.',
    save: 'Enregistrer mes informations de paiement pour mes prochains achats',
    saveFor: 'Enregistrer mes informations de paiement auprès de {merchant} pour mes prochains achats',
    card: 'Carte', us_bank_account: 'Compte bancaire américain', sepa_debit: 'Prélèvement SEPA',
    idealBank: 'Banque iDEAL', selectBank: 'Sélectionnez votre banque', routingNumber: "Numéro d'acheminement",
    accountNumber: 'Numéro de compte', accountType: 'Type de compte', theMerchant: 'le marchand',
    incomplete_iban: 'Votre IBAN est incomplet.', invalid_iban: "Votre IBAN n'est pas valide.",
    incomplete_ideal_bank: 'Sélectionnez votre banque.',
    bankRedirect: 'Après validation, vous serez redirigé vers votre banque pour autoriser le paiement avec {method}.',
    klarnaRedirect: 'Après validation, vous serez redirigé vers Klarna pour finaliser votre achat en toute sécurité.',
    sepaMandate: "En fournissant vos informations de paiement et en confirmant ce paiement, vous autorisez (A) {merchant} et Tender, le prestataire de services de paiement utilisé par {merchant}, à envoyer des instructions à votre banque pour débiter votre compte, et (B) votre banque à débiter votre compte conformément à ces instructions. Vous bénéficiez d'un droit à remboursement par votre banque selon les conditions décrites dans la convention que vous avez passée avec elle. Toute demande de remboursement doit être présentée dans les 8 semaines suivant la date de débit de votre compte. Vos droits sont expliqués dans un document que vous pouvez obtenir auprès de votre banque. Vous acceptez de recevoir des notifications des débits à venir jusqu'à 2 jours avant leur réalisation.",
  };

  const de = {
    number: 'Kartennummer', expiry: 'Ablaufdatum', cvc: 'Sicherheitscode', country: 'Land', zip: 'PLZ',
    postal: 'Postleitzahl', expiryPlaceholder: 'MM / JJ', card: 'Karte', paymentMethods: 'Zahlungsmethoden',
    incomplete_number: 'Ihre Kartennummer ist unvollständig.',
    invalid_number: 'Ihre Kartennummer ist ungültig.',
    incomplete_expiry: 'Das Ablaufdatum Ihrer Karte ist unvollständig.',
    incomplete_cvc: 'Der Sicherheitscode Ihrer Karte ist unvollständig.',
  };

  const tables = { en, fr, de };

  // resolveLocale turns 'auto' or a tag such as 'fr-CA' into a table key.
  function resolveLocale(locale) {
    let tag = locale && locale !== 'auto' ? locale : (navigator.language || 'en');
    tag = String(tag);
    const base = tag.toLowerCase().split('-')[0];
    return { tag: tag, key: tables[base] ? base : 'en' };
  }

  function translator(locale) {
    const r = resolveLocale(locale);
    const t = tables[r.key];
    let names = null;
    try { names = new Intl.DisplayNames([r.tag, 'en'], { type: 'region' }); } catch (e) { names = null; }
    function s(key, vars) {
      let v = t[key] || en[key] || key;
      if (vars) v = v.replace(/\{(\w+)\}/g, (_, k) => (vars[k] != null ? String(vars[k]) : ''));
      return v;
    }
    s.country = (code) => (names ? names.of(code) : code) || code;
    s.lang = r.key;
    return s;
  }

  T.i18n = { translator, resolveLocale };
})(window.Tender = window.Tender || {});
