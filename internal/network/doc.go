// Package network is Tender's card network: card parsing and identification,
// Stripe's published test cards and magic payment method ids, and the
// [Processor] that decides what happens to a charge or a setup attempt.
//
// The [Simulator] is the only processor today. It reproduces the behaviour
// Stripe documents for its test cards (approve, decline with a code, require
// 3D Secure, fail after 3D Secure, Radar blocks, CVC and address checks) and
// is deterministic: the same request always gets the same answer. A connector
// to a real acquirer would implement the same [Processor] interface.
//
// Card data rules (DESIGN.md "Card data"): the full card number and the CVC
// exist only in memory while a PaymentMethod is created. Every type in this
// package that carries a number ([Number], [Card], [CardDetails]) redacts
// itself when printed with fmt, logged with log/slog or marshalled to JSON,
// so that passing one to a logger by mistake cannot leak it. What the caller
// persists is a [Card]'s exported fields and a [Fingerprint].
//
// Where Stripe's behaviour is unknown, the simulator chooses (documented on
// the identifiers concerned):
//   - Magic ids and test tokens expire in December of the next year
//     ([MagicExpiry]) and count as having a CVC.
//   - request_three_d_secure=any authenticates pm_card_threeDSecureOptional
//     frictionlessly (Stripe has no frictionless test card); every other
//     3DS-capable card gets a challenge under "any" or "challenge".
//     Off-session payments ignore request_three_d_secure.
//   - Setups are always on-session; decline cards decline setups, except
//     chargeCustomerFail and the cards that decline only after 3DS.
//   - A failed 3DS lookup is an issuer-style processing_error decline.
//   - Country is always "US"; unknown numbers are credit cards of their
//     detected brand that succeed.
//
// Nothing here does I/O: no HTTP, no SQL.
package network
