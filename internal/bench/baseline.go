package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver

	"github.com/tenderpay/tender/internal/wire"
)

// CommitResult is the database's own rate for one durable transaction
// holding the rows one payment writes.
type CommitResult struct {
	Database    string        `json:"database"`
	Concurrency int           `json:"concurrency"`
	Commits     int           `json:"commits"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	PerSecond   float64       `json:"commits_per_s"`
	P50         time.Duration `json:"p50_ns"`
	P99         time.Duration `json:"p99_ns"`
	Settings    string        `json:"settings"`
}

// The scratch tables mirror Tender's shape for the rows of one payment: an
// indexed id, the scope columns and the object as JSON text.
var scratchTables = []string{"bench_payment_intents", "bench_charges", "bench_events"}

func scratchDDL(pg bool) []string {
	seq := "seq INTEGER PRIMARY KEY AUTOINCREMENT"
	if pg {
		seq = "seq BIGSERIAL PRIMARY KEY"
	}
	var out []string
	for _, t := range scratchTables {
		out = append(out, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
	%s,
	id TEXT NOT NULL UNIQUE,
	account_id TEXT NOT NULL,
	livemode INTEGER NOT NULL,
	created INTEGER NOT NULL,
	data TEXT NOT NULL)`, t, seq))
		out = append(out, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s_scope ON %s (account_id, livemode, seq)", t, t))
	}
	return out
}

// payloads are three payment-sized JSON documents (≈1.2–2 KB each): an
// intent, its charge and an event.
func payloads() [3]string {
	pad := strings.Repeat("x", 900)
	pi, _ := json.Marshal(map[string]any{"object": "payment_intent", "amount": 2000, "currency": "usd", "status": "succeeded",
		"payment_method_types": []string{"card"}, "automatic_payment_methods": map[string]any{"enabled": true, "allow_redirects": "never"},
		"client_secret": "pi_secret_0123456789abcdefghijklmnop", "metadata": map[string]string{}, "description": pad})
	ch, _ := json.Marshal(map[string]any{"object": "charge", "amount": 2000, "currency": "usd", "status": "succeeded", "paid": true, "captured": true,
		"payment_method_details": map[string]any{"card": map[string]any{"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2034,
			"checks": map[string]any{"cvc_check": "pass"}, "network": "visa"}}, "outcome": map[string]any{"network_status": "approved_by_network",
			"risk_level": "normal", "seller_message": "Payment complete.", "type": "authorized"}, "description": pad + pad[:300]})
	ev, _ := json.Marshal(map[string]any{"object": "event", "type": "payment_intent.succeeded", "api_version": "2025-01-01",
		"data": map[string]any{"object": json.RawMessage(pi)}})
	return [3]string{string(pi), string(ch), string(ev)}
}

// SQLiteDSN is the DSN internal/store's openSQLite builds for its writer
// pool: the same _pragma parameters in the same order.
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// SQLiteCommits runs BEGIN IMMEDIATE; three inserts; COMMIT serially on a
// fresh file in dir, with Tender's settings (WAL, synchronous=FULL), until
// d passes or n transactions are done.
func SQLiteCommits(ctx context.Context, dir string, d time.Duration, n int) (*CommitResult, error) {
	db, err := sql.Open("sqlite", SQLiteDSN(filepath.Join(dir, "bench-baseline.db")))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range scratchDDL(false) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("sqlite baseline: %w", err)
		}
	}
	res, err := commitLoop(ctx, db, "?", 1, d, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite baseline: %w", err)
	}
	res.Database = "sqlite"
	res.Settings = "WAL, synchronous=FULL, busy_timeout=10000, _txlock=immediate"
	return res, nil
}

// PostgresCommits runs the same three-insert transaction on PostgreSQL
// (pgx via database/sql) at each concurrency, in a scratch schema created
// for the run and dropped afterwards.
func PostgresCommits(ctx context.Context, base string, d time.Duration, n int, concurrencies []int) ([]*CommitResult, error) {
	dsn, drop, err := scratchSchema(ctx, base, "bench_baseline_")
	if err != nil {
		return nil, err
	}
	defer drop()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	maxC := slices.Max(concurrencies)
	db.SetMaxOpenConns(maxC)
	db.SetMaxIdleConns(maxC)
	for _, s := range scratchDDL(true) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("postgres baseline: %w", err)
		}
	}
	var sc string
	_ = db.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&sc)
	var out []*CommitResult
	for _, c := range concurrencies {
		res, err := commitLoop(ctx, db, "$", c, d, n)
		if err != nil {
			return nil, fmt.Errorf("postgres baseline: %w", err)
		}
		res.Database = "postgres"
		res.Settings = "synchronous_commit=" + sc
		out = append(out, res)
	}
	return out, nil
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

func commitLoop(ctx context.Context, db *sql.DB, ph string, concurrency int, d time.Duration, n int) (*CommitResult, error) {
	bodies := payloads()
	p := func(i int) string {
		if ph == "$" {
			return fmt.Sprintf("$%d", i)
		}
		return "?"
	}
	insert := make([]string, len(scratchTables))
	for i, t := range scratchTables {
		insert[i] = fmt.Sprintf("INSERT INTO %s (id, account_id, livemode, created, data) VALUES (%s, %s, %s, %s, %s)",
			t, p(1), p(2), p(3), p(4), p(5))
	}
	runID := NewRunID()
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
				if err := oneCommit(ctx, db, insert, bodies, fmt.Sprintf("%s_%d", runID, i)); err != nil {
					errs[w] = err
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	all := slices.Concat(lats...)
	slices.Sort(all)
	res := &CommitResult{Concurrency: concurrency, Commits: len(all), Elapsed: elapsed,
		P50: Percentile(all, 50), P99: Percentile(all, 99)}
	if elapsed > 0 {
		res.PerSecond = float64(len(all)) / elapsed.Seconds()
	}
	return res, nil
}

func oneCommit(ctx context.Context, db *sql.DB, insert []string, bodies [3]string, id string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	now := time.Now().Unix()
	for i, q := range insert {
		if _, err := tx.ExecContext(ctx, q, id, "acct_bench", 0, now, bodies[i]); err != nil {
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
