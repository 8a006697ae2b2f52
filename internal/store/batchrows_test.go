package store

import "testing"

// TestTakeComputed: only the rows of the leading writes whose deferred
// values are computed are taken, in order, and only when there are
// enough of them; the rest stay, with their write boundaries.
func TestTakeComputed(t *testing.T) {
	row := func(v any) *pendingWrite { return &pendingWrite{table: "t", cols: []string{"v"}, vals: []any{v}} }
	pending := &Deferred{fn: func() ([]byte, error) { return []byte("late"), nil }}
	var b batchWrites
	b.add([]*pendingWrite{row(1), row(DeferredBytes([]byte("x")))})
	b.add([]*pendingWrite{row(deferredText{DeferredBytes([]byte("y"))})})
	b.add([]*pendingWrite{row(pending), row(4)})
	b.add([]*pendingWrite{row(5)})

	if got := b.takeComputed(3); got != nil {
		t.Fatalf("took %d rows of two computed writes, want none below three", len(got))
	}
	got := b.takeComputed(2)
	if len(got) != 3 || got[0].vals[0] != 1 || got[2].vals[0].(deferredText).Deferred == nil {
		t.Fatalf("took %d rows, want the first two writes' three, in order", len(got))
	}
	if len(b.rows) != 3 || len(b.ends) != 2 || b.ends[0] != 2 || b.ends[1] != 3 {
		t.Fatalf("left %d rows, ends %v; want 3 rows, ends [2 3]", len(b.rows), b.ends)
	}
	if got := b.takeComputed(1); got != nil {
		t.Fatalf("took %d rows behind an uncomputed value", len(got))
	}
	if _, err := pending.Bytes(); err != nil {
		t.Fatal(err)
	}
	if got := b.takeComputed(1); len(got) != 3 || got[2].vals[0] != 5 {
		t.Fatalf("took %d rows once computed, want 3", len(got))
	}
	if len(b.rows) != 0 || len(b.ends) != 0 {
		t.Fatalf("left %d rows, ends %v", len(b.rows), b.ends)
	}
}
