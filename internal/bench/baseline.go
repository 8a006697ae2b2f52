package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/wire"
)

// CommitResult is the database's own rate for durable transactions each
// holding the rows one payment writes (or, for the ceiling, several
// payments' rows).
type CommitResult struct {
	Database    string `json:"database"`
	Concurrency int    `json:"concurrency"`
	// PerCommit is how many payments' rows each transaction holds: 1 for
	// the per-transaction limit, more for the database's batched ceiling
	// (PostgresRowsCeiling).
	PerCommit int           `json:"payments_per_commit"`
	Commits   int           `json:"commits"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	PerSecond float64       `json:"commits_per_s"`
	P50       time.Duration `json:"p50_ns"`
	P99       time.Duration `json:"p99_ns"`
	// MachineCPU is the whole machine's busy CPU time per payment during
	// the loop (MachineCPU): with the database on this machine, its
	// server's work for a payment's rows plus the loop's own. 0 if unknown.
	MachineCPU time.Duration `json:"machine_cpu_per_payment_ns,omitempty"`
	Settings   string        `json:"settings"`
}

// Payments is the payments written per second.
func (c *CommitResult) Payments() float64 { return c.PerSecond * float64(max(c.PerCommit, 1)) }

// paymentRows is what one create+confirm of a card PaymentIntent writes,
// table by table, in Tender's own schema, with rows of the sizes it
// stores; the baseline sends one INSERT per table (the three events in one
// multi-row INSERT) and commits, so the comparison is with the database
// making the same writes and nothing else.
//
// Every table's first five columns are an id, the scope, the creation time
// and the JSON; extra holds the values of the rest.
var paymentRows = []struct {
	table   string
	columns string
	rows    int
	size    int // bytes of JSON per row
	extra   []any
}{
	{"payment_methods", "id, account_id, livemode, created, data, type, allow_redisplay", 1, 517, []any{"card", "unspecified"}},
	{"payment_intents", "id, account_id, livemode, created, data", 1, 495, nil},
	{"charges", "id, account_id, livemode, created, data, payment_intent", 1, 969, []any{"pi_bench"}},
	{"events", "id, account_id, livemode, created, snapshot, type, default_version, renderings", 3, 675, []any{"payment_intent.succeeded", "2026-10-28.endive", ""}},
	{"idempotency_keys", "key, account_id, livemode, created, body, fingerprint, status, request_id", 1, 1235, []any{"fingerprint", 200, "req_bench"}},
}

// baselineStatement is one INSERT of paymentRows, with its placeholders.
type baselineStatement struct {
	query string
	rows  int
	body  any // string, or []byte for a BLOB column
	extra []any
}

// baselineStatements are the INSERTs of the rows of perCommit payments,
// one per table.
func baselineStatements(pg bool, perCommit int) []baselineStatement {
	var out []baselineStatement
	for _, t := range paymentRows {
		cols := strings.Split(t.columns, ", ")
		var q strings.Builder
		fmt.Fprintf(&q, "INSERT INTO %s (%s) VALUES ", t.table, t.columns)
		n := 0
		for r := range t.rows * perCommit {
			if r > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for c := range cols {
				if c > 0 {
					q.WriteString(", ")
				}
				n++
				if pg {
					fmt.Fprintf(&q, "$%d", n)
				} else {
					q.WriteString("?")
				}
			}
			q.WriteString(")")
		}
		js, _ := json.Marshal(map[string]string{"object": t.table, "pad": strings.Repeat("x", max(0, t.size-40))})
		var body any = string(js)
		if t.table == "idempotency_keys" {
			body = js
		}
		out = append(out, baselineStatement{query: q.String(), rows: t.rows * perCommit, body: body, extra: t.extra})
	}
	return out
}

// SQLiteDSN is the DSN of a SQLite writer with Tender's settings for the
// file at path, SQLite syncing each commit itself (synchronous=FULL).
func SQLiteDSN(path string) string { return store.SQLiteWriterDSN(path) }

// SQLiteCommits runs BEGIN IMMEDIATE; the inserts of one payment; COMMIT
// serially on a fresh database in dir with Tender's schema and settings
// (WAL, checkpoints in the background as Tender does), each commit synced
// by SQLite (synchronous=FULL) — the database's own durable rate, where
// Tender syncs once per batch — until d passes or n transactions are
// done.
func SQLiteCommits(ctx context.Context, dir string, d time.Duration, n int) (*CommitResult, error) {
	path := filepath.Join(dir, "bench-baseline.db")
	if err := createSchema(ctx, path); err != nil {
		return nil, fmt.Errorf("sqlite baseline: %w", err)
	}
	db, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	stop, err := store.SQLiteCheckpoints(path)
	if err != nil {
		return nil, err
	}
	defer stop()
	res, err := commitLoop(ctx, db, false, 1, 1, d, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite baseline: %w", err)
	}
	res.Database = "sqlite"
	res.Settings = "Tender's schema and settings, each commit synced: WAL, synchronous=FULL, background checkpoints"
	return res, nil
}

// createSchema applies Tender's migrations to the database at dsn.
func createSchema(ctx context.Context, dsn string) error {
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	return db.Close()
}

// PostgresCommits runs the same transaction on PostgreSQL (pgx via
// database/sql) at each concurrency, in a scratch schema with Tender's
// tables, created for the run and dropped afterwards.
func PostgresCommits(ctx context.Context, base string, d time.Duration, n int, concurrencies []int) ([]*CommitResult, error) {
	db, done, err := scratchDB(ctx, base, slices.Max(concurrencies))
	if err != nil {
		return nil, fmt.Errorf("postgres baseline: %w", err)
	}
	defer done()
	var sc string
	_ = db.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&sc)
	var out []*CommitResult
	for _, c := range concurrencies {
		res, err := commitLoop(ctx, db, true, c, 1, d, n)
		if err != nil {
			return nil, fmt.Errorf("postgres baseline: %w", err)
		}
		res.Database = "postgres"
		res.Settings = "Tender's schema, synchronous_commit=" + sc
		out = append(out, res)
	}
	return out, nil
}

// PostgresRowsCeiling writes the rows of perCommit payments per
// transaction from concurrency connections, with nothing else running: the
// database's own ceiling for what one payment stores, had a server no work
// of its own and batches always full. With the database on this machine,
// its MachineCPU says what PostgreSQL's share of a payment costs.
func PostgresRowsCeiling(ctx context.Context, base string, d time.Duration, n, perCommit, concurrency int) (*CommitResult, error) {
	db, done, err := scratchDB(ctx, base, concurrency)
	if err != nil {
		return nil, fmt.Errorf("postgres ceiling: %w", err)
	}
	defer done()
	res, err := commitLoop(ctx, db, true, concurrency, perCommit, d, n)
	if err != nil {
		return nil, fmt.Errorf("postgres ceiling: %w", err)
	}
	res.Database = "postgres"
	res.Settings = fmt.Sprintf("the rows of %d payments per transaction, one INSERT per table", perCommit)
	return res, nil
}

// scratchDB opens a pool of conns connections to a scratch schema with
// Tender's tables in the database at base; done closes it and drops the
// schema.
func scratchDB(ctx context.Context, base string, conns int) (db *sql.DB, done func(), err error) {
	dsn, drop, err := scratchSchema(ctx, base, "bench_baseline_")
	if err != nil {
		return nil, nil, err
	}
	if err := createSchema(ctx, dsn); err != nil {
		drop()
		return nil, nil, err
	}
	if db, err = sql.Open("pgx", dsn); err != nil {
		drop()
		return nil, nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, func() { db.Close(); drop() }, nil
}

// scratchSchema creates a schema named prefix+random in the database at
// base and returns a URL that uses it and a function that drops it.
func scratchSchema(ctx context.Context, base, prefix string) (string, func(), error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema := prefix + NewRunID()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create scratch schema: %w", err)
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = admin.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, drop, nil
}

// commitLoop commits the rows of perCommit payments per transaction from
// concurrency goroutines until d passes or n transactions are done.
func commitLoop(ctx context.Context, db *sql.DB, pg bool, concurrency, perCommit int, d time.Duration, n int) (*CommitResult, error) {
	stmts := baselineStatements(pg, perCommit)
	runCtx := ctx
	if d > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	var next atomic.Int64
	lats := make([][]time.Duration, concurrency)
	errs := make([]error, concurrency)
	var wg sync.WaitGroup
	cpu0, cpuErr := MachineCPU()
	start := time.Now()
	for w := range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for runCtx.Err() == nil {
				i := next.Add(1) - 1
				if n > 0 && i >= int64(n) {
					return
				}
				t0 := time.Now()
				if err := oneCommit(ctx, db, pg, stmts); err != nil {
					errs[w] = err
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, cpuErr1 := MachineCPU()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	all := slices.Concat(lats...)
	slices.Sort(all)
	res := &CommitResult{Concurrency: concurrency, PerCommit: perCommit, Commits: len(all), Elapsed: elapsed,
		P50: Percentile(all, 50), P99: Percentile(all, 99)}
	if cpuErr == nil && cpuErr1 == nil && len(all) > 0 {
		res.MachineCPU = (cpu1 - cpu0) / time.Duration(len(all)*perCommit)
	}
	if elapsed > 0 {
		res.PerSecond = float64(len(all)) / elapsed.Seconds()
	}
	return res, nil
}

// oneCommit writes the rows of stmts in one transaction, with ids that
// sort by time as Tender's do.
func oneCommit(ctx context.Context, db *sql.DB, pg bool, stmts []baselineStatement) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	now := time.Now().Unix()
	var live any = 0
	if pg {
		live = false
	}
	for _, st := range stmts {
		var args []any
		for range st.rows {
			args = append(args, payments.NewID("bench"), "acct_bench", live, now, st.body)
			args = append(args, st.extra...)
		}
		if _, err := tx.ExecContext(ctx, st.query, args...); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// bareBody is a payment-sized (~2 KB) response, encoded per request.
type bareBody struct {
	ID                 string            `json:"id"`
	Object             string            `json:"object"`
	Amount             int64             `json:"amount"`
	AmountReceived     int64             `json:"amount_received"`
	Currency           string            `json:"currency"`
	Status             string            `json:"status"`
	ClientSecret       string            `json:"client_secret"`
	CaptureMethod      string            `json:"capture_method"`
	ConfirmationMethod string            `json:"confirmation_method"`
	Created            int64             `json:"created"`
	LatestCharge       string            `json:"latest_charge"`
	Livemode           bool              `json:"livemode"`
	Metadata           map[string]string `json:"metadata"`
	PaymentMethod      string            `json:"payment_method"`
	PaymentMethodTypes []string          `json:"payment_method_types"`
	AutomaticPM        map[string]any    `json:"automatic_payment_methods"`
	Description        string            `json:"description"`
}

// BareHandler parses the request's form with internal/wire.ParseForm, as
// Tender does, and returns a payment-sized JSON body. It stores nothing:
// it is the ceiling of HTTP alone on this machine.
func BareHandler() http.Handler {
	pad := strings.Repeat("d", 1400)
	var seq atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		params, err := wire.ParseForm(string(raw))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var amount int64
		if v, ok := params["amount"].(string); ok {
			amount, _ = strconv.ParseInt(v, 10, 64)
		}
		id := fmt.Sprintf("pi_bare%09d", seq.Add(1))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(bareBody{ID: id, Object: "payment_intent", Amount: amount, AmountReceived: amount,
			Currency: "usd", Status: "succeeded", ClientSecret: id + "_secret_abcdefghijklmnopqrstuvwx", CaptureMethod: "automatic",
			ConfirmationMethod: "automatic", Created: time.Now().Unix(), LatestCharge: "ch_bare0000000000", Metadata: map[string]string{},
			PaymentMethod: "pm_bare000000000", PaymentMethodTypes: []string{"card"},
			AutomaticPM: map[string]any{"enabled": true, "allow_redirects": "never"}, Description: pad})
	})
}

// BareServer serves BareHandler on a free loopback port until closed.
type BareServer struct {
	URL string
	srv *http.Server
}

// StartBare starts the bare handler on 127.0.0.1.
func StartBare() (*BareServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: BareHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &BareServer{URL: "http://" + ln.Addr().String(), srv: srv}, nil
}

// Close stops the bare server.
func (b *BareServer) Close() error { return b.srv.Close() }
