package app

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// SettleArgs is a bank debit to settle: a River job scheduled when the
// debit starts, in the same transaction.
type SettleArgs struct {
	Account  string `json:"account"`
	Livemode bool   `json:"livemode"`
	Intent   string `json:"intent"`
}

// Kind names the job for River.
func (SettleArgs) Kind() string { return "debit_settlement" }

// settlements schedules and runs debit settlements.
type settlements struct {
	queue *webhooks.Queue
	// Set once the API server exists, before the queue starts working.
	db  *store.DB
	svc *payments.Service
	api *api.Server
}

func (s *settlements) ScheduleSettlement(ctx context.Context, tx payments.Tx, a *payments.Account, intentID string, at time.Time) error {
	st, ok := tx.(*store.Tx)
	if !ok {
		return fmt.Errorf("settlements need a store transaction")
	}
	return s.queue.InsertTx(st.Context(ctx), st.SQL(), SettleArgs{Account: a.Account, Livemode: a.Livemode, Intent: intentID},
		&river.InsertOpts{ScheduledAt: at, MaxAttempts: 25})
}

// settleWorker runs a settlement: the intent's new state and its events
// commit together.
type settleWorker struct {
	river.WorkerDefaults[SettleArgs]
	s *settlements
}

func (w *settleWorker) Work(ctx context.Context, job *river.Job[SettleArgs]) error {
	s := w.s
	return s.db.Update(ctx, func(tx *store.Tx) error {
		acct, err := tx.Account(ctx, job.Args.Account)
		if err != nil {
			return err
		}
		a := acct.Payments(job.Args.Livemode)
		if _, err := s.svc.SettleDebit(ctx, tx, a, job.Args.Intent); err != nil {
			return err
		}
		return s.api.RecordEvents(ctx, tx, api.EventSource{Account: a})
	})
}
