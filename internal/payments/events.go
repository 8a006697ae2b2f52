package payments

// Event is a state change that the event log records in the same
// transaction as the change. The API layer renders Object for the log.
type Event struct {
	Type string
	// Object is the domain object after the change (*PaymentIntent, …).
	Object any
	// Before is the object before the change, for *.updated events, whose
	// previous_attributes are the rendered fields that differ.
	Before any
}

// EventSink receives the events of a transaction.
type EventSink interface {
	Emit(e Event)
}
