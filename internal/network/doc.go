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
// Nothing here does I/O: no HTTP, no SQL.
package network
