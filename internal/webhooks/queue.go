package webhooks

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// Queue is the durable job queue deliveries run on: River, over the same
// database as everything else, so that a delivery is enqueued in the
// transaction that records its event.
type Queue struct {
	client   *river.Client[*sql.Tx]
	attempts int
}

// QueueConfig configures the queue.
type QueueConfig struct {
	Postgres bool
	Worker   *Worker // nil for an insert-only queue
	// PollInterval is how often idle workers look for due jobs.
	PollInterval time.Duration
	// Register adds other workers that share the queue (such as the bank
	// debit settlements).
	Register func(*river.Workers)
	Logger   *slog.Logger
}

// NewQueue migrates River's tables in pool and returns a queue.
func NewQueue(ctx context.Context, pool *sql.DB, cfg QueueConfig) (*Queue, error) {
	var driver riverdriver.Driver[*sql.Tx]
	if cfg.Postgres {
		driver = riverdatabasesql.New(pool)
	} else {
		driver = riversqlite.New(pool)
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quiet(cfg.Logger)})
	if err != nil {
		return nil, fmt.Errorf("river migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	rc := &river.Config{Logger: quiet(cfg.Logger)}
	q := &Queue{attempts: 13}
	if w := cfg.Worker; w != nil {
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		if cfg.Register != nil {
			cfg.Register(workers)
		}
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 16}}
		rc.FetchPollInterval = cfg.PollInterval
		rc.FetchCooldown = min(cfg.PollInterval, 50*time.Millisecond)
		rc.MaxAttempts = w.Config.MaxAttempts
		rc.JobTimeout = w.Timeout(nil)
		// A job left running by a crashed process is rescued after this.
		rc.RescueStuckJobsAfter = 2*rc.JobTimeout + time.Second
		q.attempts = w.Config.MaxAttempts
	}
	q.client, err = river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return q, nil
}

// Start starts working jobs.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop stops, letting running deliveries finish until ctx ends.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// Enqueue schedules a delivery inside tx.
func (q *Queue) Enqueue(ctx context.Context, tx *sql.Tx, a DeliveryArgs) error {
	_, err := q.client.InsertTx(ctx, tx, a, &river.InsertOpts{MaxAttempts: q.attempts})
	if err != nil {
		return fmt.Errorf("enqueue delivery: %w", err)
	}
	return nil
}

// InsertTx schedules any job inside tx.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := q.client.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// quiet lowers River's own info logs to debug: they describe its internals.
func quiet(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(levelShift{l.Handler()})
}

type levelShift struct{ slog.Handler }

func (h levelShift) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		r.Level = slog.LevelDebug
	}
	if !h.Handler.Enabled(ctx, r.Level) {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h levelShift) Enabled(context.Context, slog.Level) bool { return true }
