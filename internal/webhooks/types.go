package webhooks

// Types are the event types Tender emits.
var Types = []string{
	"payment_intent.created", "payment_intent.requires_action", "payment_intent.processing", "payment_intent.succeeded",
	"payment_intent.payment_failed", "payment_intent.canceled", "payment_intent.amount_capturable_updated",
	"charge.succeeded", "charge.failed", "charge.pending", "charge.captured", "charge.refunded", "charge.updated",
	"setup_intent.created", "setup_intent.requires_action", "setup_intent.succeeded", "setup_intent.setup_failed", "setup_intent.canceled",
	"payment_method.attached", "payment_method.detached", "payment_method.updated", "payment_method.automatically_updated",
	"customer.created", "customer.updated", "customer.deleted",
	"refund.created", "refund.updated",
}
