package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// backends returns the databases to test on: a temp SQLite file always,
// PostgreSQL when TENDER_TEST_POSTGRES_URL is set.
func backends(t testing.TB) map[string]string {
	bs := map[string]string{"sqlite": ""}
	if pg := os.Getenv("TENDER_TEST_POSTGRES_URL"); pg != "" {
		bs["postgres"] = pg
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but TENDER_TEST_POSTGRES_URL is not set")
	}
	return bs
}

func startServer(t testing.TB, db string) *Server {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := StartServer(context.Background(), db, logger)
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
	})
	return s
}

type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func checkResult(t *testing.T, res *LoadResult) {
	t.Helper()
	if res.Requests == 0 {
		t.Fatalf("no requests completed: %+v", res)
	}
	if res.Errors != 0 {
		t.Fatalf("%d errors of %d requests: %v", res.Errors, res.Requests, res.ErrorSamples)
	}
	if !(0 < res.P50 && res.P50 <= res.P90 && res.P90 <= res.P99 && res.P99 <= res.Max) {
		t.Fatalf("percentiles out of order: p50 %v p90 %v p99 %v max %v", res.P50, res.P90, res.P99, res.Max)
	}
	if res.Throughput <= 0 {
		t.Fatalf("throughput %v", res.Throughput)
	}
}

func TestSeedAgainstTender(t *testing.T) {
	for name, db := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := startServer(t, db)
			res, err := Run(context.Background(), s.Target(), Seed(), LoadConfig{Concurrency: 4, Duration: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, res)
			if got := res.Outcomes[OutcomeSucceeded]; got != res.Requests {
				t.Fatalf("%d of %d intents succeeded: %v", got, res.Requests, res.Outcomes)
			}
			// Each request had its own idempotency key: every one stored a
			// distinct intent.
			resp := get(t, s, "/v1/payment_intents?limit=100")
			var list struct {
				Data []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"data"`
			}
			if err := json.Unmarshal(resp, &list); err != nil {
				t.Fatal(err)
			}
			if want := min(res.Requests, 100); len(list.Data) != want {
				t.Fatalf("listed %d intents, want %d", len(list.Data), want)
			}
		})
	}
}

func TestMixedScenarioOutcomes(t *testing.T) {
	for name, db := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := startServer(t, db)
			// A request cap makes the mix exact: request n is the n%20-th of
			// the pattern, and every n below the cap runs once.
			res, err := Run(context.Background(), s.Target(), Mixed(), LoadConfig{Concurrency: 8, Requests: 200, Duration: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, res)
			if res.Requests != 200 {
				t.Fatalf("requests = %d, want 200", res.Requests)
			}
			want := map[string]int{
				OutcomeSucceeded:      130,
				OutcomeRequiresAction: 20,
				OutcomeDeclined:       10,
				OutcomeCustomer:       20,
				OutcomeList:           20,
			}
			for k, v := range want {
				if res.Outcomes[k] != v {
					t.Errorf("outcome %q = %d, want %d (all: %v)", k, res.Outcomes[k], v, res.Outcomes)
				}
			}
		})
	}
}

func TestBareHandler(t *testing.T) {
	b, err := StartBare()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	res, err := Run(context.Background(), Target{URL: b.URL, Key: "sk_test_x"}, Plain(), LoadConfig{Concurrency: 8, Duration: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)

	// The body is payment-sized and parsed from the same form.
	req, _ := http.NewRequest(http.MethodPost, b.URL+"/v1/payment_intents", strings.NewReader(PaymentForm(1234, CardVisa)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := len(body); n < 1500 || n > 3000 {
		t.Errorf("bare body is %d bytes, want about 2 KB", n)
	}
	if !bytes.Contains(body, []byte(`"amount":1234`)) {
		t.Errorf("bare body does not carry the parsed amount: %.200s", body)
	}
	resp, err = http.Post(b.URL+"/", "application/x-www-form-urlencoded", strings.NewReader("a[=1"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed form: status %d, want 400", resp.StatusCode)
	}
}

func TestErrorsAreCounted(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls%2 == 0 {
			http.Error(w, `{"error":{"type":"api_error"}}`, http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(`{"object":"payment_intent","status":"succeeded"}`))
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Target{URL: srv.URL, Key: "k"}, Seed(), LoadConfig{Concurrency: 1, Requests: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 10 || res.Errors != 5 || res.Outcomes[OutcomeSucceeded] != 5 {
		t.Fatalf("requests %d errors %d outcomes %v, want 10, 5, 5 succeeded", res.Requests, res.Errors, res.Outcomes)
	}
	if len(res.ErrorSamples) == 0 || !strings.Contains(res.ErrorSamples[0], "HTTP 500") {
		t.Fatalf("error samples %v", res.ErrorSamples)
	}

	// A transport error (nothing listening) is an error too.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	res, err = Run(context.Background(), Target{URL: "http://" + addr, Key: "k"}, Seed(), LoadConfig{Concurrency: 2, Requests: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 4 {
		t.Fatalf("errors = %d, want 4", res.Errors)
	}
}

func TestIdempotencyKeysAreDistinct(t *testing.T) {
	keys := make(chan string, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys <- r.Header.Get("Idempotency-Key")
		_, _ = w.Write([]byte(`{"status":"succeeded"}`))
	}))
	defer srv.Close()
	for range 2 {
		if _, err := Run(context.Background(), Target{URL: srv.URL, Key: "k"}, Seed(), LoadConfig{Concurrency: 4, Requests: 20}); err != nil {
			t.Fatal(err)
		}
	}
	close(keys)
	seen := map[string]bool{}
	for k := range keys {
		if k == "" || seen[k] {
			t.Fatalf("idempotency key %q is empty or repeated", k)
		}
		seen[k] = true
	}
	if len(seen) != 40 {
		t.Fatalf("%d keys, want 40", len(seen))
	}
}

func TestCommitBaselines(t *testing.T) {
	dir := t.TempDir()
	res, err := SQLiteCommits(context.Background(), dir, time.Minute, 30)
	if err != nil {
		t.Fatal(err)
	}
	if res.Commits != 30 || res.PerSecond <= 0 || res.P50 <= 0 || res.P50 > res.P99 {
		t.Fatalf("sqlite baseline %+v", res)
	}
	// Each commit holds one payment's rows, in Tender's own tables.
	db, err := sql.Open("sqlite", SQLiteDSN(filepath.Join(dir, "bench-baseline.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for table, want := range map[string]int{"payment_methods": 30, "payment_intents": 30, "charges": 30, "events": 90, "idempotency_keys": 30} {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil || n != want {
			t.Errorf("%s holds %d rows (%v), want %d", table, n, err, want)
		}
	}
	pg := os.Getenv("TENDER_TEST_POSTGRES_URL")
	if pg == "" {
		t.Log("TENDER_TEST_POSTGRES_URL not set: PostgreSQL baseline skipped")
		return
	}
	rs, err := PostgresCommits(context.Background(), pg, time.Minute, 40, []int{1, 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Commits != 40 || rs[1].Commits != 40 || rs[1].Concurrency != 4 || rs[0].PerCommit != 1 || rs[0].Payments() != rs[0].PerSecond {
		t.Fatalf("postgres baselines %+v %+v", rs[0], rs[1])
	}
	c, err := PostgresRowsCeiling(context.Background(), pg, time.Minute, 10, 16, 2)
	if err != nil {
		t.Fatal(err)
	}
	if c.Commits != 10 || c.PerCommit != 16 || c.Concurrency != 2 || c.Payments() != 16*c.PerSecond || c.MachineCPU <= 0 {
		t.Fatalf("postgres ceiling %+v", c)
	}
}

// TestBatchedBaseline checks the ceiling's transactions: each holds the
// rows of as many payments as asked, in every table.
func TestBatchedBaseline(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "batched.db")
	if err := createSchema(ctx, path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	res, err := commitLoop(ctx, db, false, 1, 5, time.Minute, 3)
	if err != nil {
		t.Fatal(err)
	}
	if res.Commits != 3 || res.PerCommit != 5 || res.Payments() != 5*res.PerSecond {
		t.Fatalf("batched baseline %+v", res)
	}
	for table, want := range map[string]int{"payment_methods": 15, "payment_intents": 15, "charges": 15, "events": 45, "idempotency_keys": 15} {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil || n != want {
			t.Errorf("%s holds %d rows (%v), want %d", table, n, err, want)
		}
	}
}

// TestOneClientVerdict checks the one-client target's verdict on
// alternations: the median ratio (the higher middle) within 2x, no errors.
func TestOneClientVerdict(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		tender []time.Duration
		errs   int
		want   string
	}{
		{[]time.Duration{1900 * time.Microsecond, 2 * ms, 2100 * time.Microsecond}, 0, "Tender's p50 2.00x sqlite's commit p50 (median; lowest 1.90x, highest 2.10x), 0 errors: within 2x MET"},
		{[]time.Duration{1500 * time.Microsecond, 2500 * time.Microsecond}, 0, "Tender's p50 2.50x sqlite's commit p50 (median; lowest 1.50x, highest 2.50x), 0 errors: within 2x not met"},
		{[]time.Duration{ms}, 1, "Tender's p50 1.00x sqlite's commit p50 (median; lowest 1.00x, highest 1.00x), 1 errors: within 2x not met"},
	} {
		rep := &Report{Backend: "sqlite", Scenario: "seed",
			Tender:  []*LoadResult{{Target: "tender sqlite", Concurrency: 1, Throughput: 500, P50: ms}},
			Commits: []*CommitResult{{Database: "sqlite", Concurrency: 1, PerCommit: 1, PerSecond: 1000, P50: ms}}}
		for _, x := range c.tender {
			rep.PairedOne = append(rep.PairedOne, LatencyPair{TenderP50: x, Errors: c.errs, Database: "sqlite", CommitP50: ms})
			c.errs = 0
		}
		var out bytes.Buffer
		if err := rep.WriteTable(&out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("verdict:\n%s\nwant %q", out.String(), c.want)
		}
	}
}

// TestCeilingVerdict checks that the database's batched ceiling is shown
// against Tender's throughput and is never taken for the per-transaction
// limit Tender must beat.
func TestCeilingVerdict(t *testing.T) {
	rep := &Report{Backend: "postgres", Scenario: "seed",
		Tender: []*LoadResult{{Target: "tender postgres", Concurrency: 32, Throughput: 2000, MachineCPUPerRequest: 600 * time.Microsecond}},
		Commits: []*CommitResult{
			{Database: "postgres", Concurrency: 32, PerCommit: 1, PerSecond: 900},
			{Database: "postgres", Concurrency: 2, PerCommit: 16, PerSecond: 250, MachineCPU: 300 * time.Microsecond},
		}}
	var out bytes.Buffer
	if err := rep.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"vs postgres's best commit rate 900/s: ABOVE the per-transaction limit (2.22x)",
		"vs postgres's own ceiling for these rows, 16 payments per commit from 2 connections, 4,000 payments/s: 50% of it (machine CPU per payment: Tender with the database 600µs, the database alone 300µs)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBaselineRowsAreTenders checks that the commit baseline writes what a
// payment through Tender does: per payment, as many rows in each table and
// JSON of about the same size, so the baseline's limit stays the one
// Tender is judged against as what it stores changes.
func TestBaselineRowsAreTenders(t *testing.T) {
	s := startServer(t, "")
	res, err := Run(context.Background(), s.Target(), Seed(), LoadConfig{Concurrency: 4, Duration: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	db, err := sql.Open("sqlite", SQLiteDSN(s.DSN))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, r := range paymentRows {
		col := strings.Split(r.columns, ", ")[4] // the JSON column
		var rows int
		var size float64
		if err := db.QueryRow("SELECT COUNT(*), AVG(LENGTH(CAST("+col+" AS BLOB))) FROM "+r.table).Scan(&rows, &size); err != nil {
			t.Fatal(err)
		}
		if rows != r.rows*res.Requests {
			t.Errorf("%s: %d rows for %d payments, the baseline writes %d each", r.table, rows, res.Requests, r.rows)
		}
		if size < 0.9*float64(r.size) || size > 1.1*float64(r.size) {
			t.Errorf("%s: Tender's %s averages %.0f bytes, the baseline's %d", r.table, col, size, r.size)
		}
	}
}

func TestSuiteReport(t *testing.T) {
	var progress bytes.Buffer
	rep, err := Suite(context.Background(), Options{
		Scenario:      "seed",
		Concurrencies: []int{1, 4},
		Duration:      300 * time.Millisecond,
		Baselines:     true,
		Pairs:         2,
		Preload:       40,
		Progress:      &progress,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Before) != 2 || len(rep.Tender) != 2 || len(rep.Bare) != 2 || len(rep.Commits) != 1 {
		t.Fatalf("report has %d/%d/%d/%d rows", len(rep.Before), len(rep.Tender), len(rep.Bare), len(rep.Commits))
	}
	if len(rep.Paired) != 2 {
		t.Fatalf("%d side-by-side pairs, want 2", len(rep.Paired))
	}
	for _, p := range rep.Paired {
		if p.Concurrency != 4 || p.Database != "sqlite" || p.DBConcurrency != 1 || p.Tender <= 0 || p.Commits <= 0 || p.Errors != 0 {
			t.Errorf("pair %+v", p)
		}
	}
	// With one client among the levels, the one-client target is measured
	// side by side too.
	if len(rep.PairedOne) != 2 {
		t.Fatalf("%d one-client pairs, want 2", len(rep.PairedOne))
	}
	for _, p := range rep.PairedOne {
		if p.Database != "sqlite" || p.TenderP50 <= 0 || p.CommitP50 <= 0 || p.Errors != 0 {
			t.Errorf("one-client pair %+v", p)
		}
	}
	if rep.Preload == nil || rep.Preload.Payments != 40 || rep.Preload.Errors != 0 {
		t.Fatalf("preload %+v", rep.Preload)
	}
	for _, r := range slices.Concat(rep.Before, rep.Tender, rep.Bare) {
		if r.Requests == 0 || r.Errors != 0 {
			t.Fatalf("%s c=%d: %d requests, %d errors %v", r.Target, r.Concurrency, r.Requests, r.Errors, r.ErrorSamples)
		}
		if r.PeakRSSKB <= 0 || r.CPUPerRequest <= 0 || r.MachineCPUPerRequest <= 0 {
			t.Errorf("%s c=%d: peak RSS %d KiB, CPU/req %v, machine %v", r.Target, r.Concurrency, r.PeakRSSKB, r.CPUPerRequest, r.MachineCPUPerRequest)
		}
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tender sqlite (+40)", "bare net/http", "commits/s", "targets:", "peak RSS", "preload: 40", "side by side, 2 alternations",
		"side by side at one client, 2 alternations"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Tender) != 2 || back.Tender[1].Concurrency != 4 {
		t.Fatalf("JSON round trip lost rows: %s", js.String())
	}
}

func TestRemoteTargetRSS(t *testing.T) {
	s := startServer(t, "")
	rep, err := Suite(context.Background(), Options{
		URL: s.URL, APIKey: SecretKey, Scenario: "mixed",
		Concurrencies: []int{2}, Duration: 300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Tender[0]
	if r.Errors != 0 || r.Requests == 0 {
		t.Fatalf("%d requests, %d errors %v", r.Requests, r.Errors, r.ErrorSamples)
	}
	// The server listens in this process: found by its port.
	if r.PeakRSSKB <= 0 || !strings.Contains(r.RSSNote, "server process") {
		t.Fatalf("peak RSS %d (%s)", r.PeakRSSKB, r.RSSNote)
	}
}

func TestProcessCPU(t *testing.T) {
	self, err := ProcessCPU(os.Getpid())
	if err != nil || self <= 0 {
		t.Fatalf("self: %v %v", self, err)
	}
	// Another process's figure comes from /proc/PID/stat; the parent of a
	// test binary is a live process whose stat parses.
	if _, err := ProcessCPU(os.Getppid()); err != nil {
		t.Fatalf("parent: %v", err)
	}
	// The machine's busy time grows by at least what this process burns
	// (less a tick at each end).
	m0, err := MachineCPU()
	if err != nil {
		t.Fatal(err)
	}
	p0, _ := ProcessCPU(os.Getpid())
	for {
		if p, _ := ProcessCPU(os.Getpid()); p-p0 >= 200*time.Millisecond {
			break
		}
	}
	p1, _ := ProcessCPU(os.Getpid())
	m1, err := MachineCPU()
	if err != nil {
		t.Fatal(err)
	}
	if m1-m0 < p1-p0-20*time.Millisecond {
		t.Fatalf("machine busy %v while this process used %v", m1-m0, p1-p0)
	}
}

func TestPercentile(t *testing.T) {
	var xs []time.Duration
	for i := 1; i <= 100; i++ {
		xs = append(xs, time.Duration(i))
	}
	if Percentile(xs, 50) != 50 || Percentile(xs, 90) != 90 || Percentile(xs, 99) != 99 || Percentile(xs, 100) != 100 {
		t.Fatalf("percentiles %v %v %v", Percentile(xs, 50), Percentile(xs, 90), Percentile(xs, 99))
	}
	if Percentile(nil, 50) != 0 || Percentile(xs[:1], 99) != 1 {
		t.Fatal("edge cases")
	}
}

// TestStatelessScenario runs the seed call against a stand-in for
// stripe-mock, whose intents never succeed: the seed scenario counts each
// response as an error, the stateless one counts the PaymentIntents.
func TestStatelessScenario(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/payment_intents" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"id":"pi_1","object":"payment_intent","status":"requires_payment_method"}`))
	}))
	defer srv.Close()
	target := Target{URL: srv.URL, Key: "sk_test_x"}
	seed, err := Run(context.Background(), target, Seed(), LoadConfig{Concurrency: 2, Requests: 20})
	if err != nil {
		t.Fatal(err)
	}
	stateless, err := Run(context.Background(), target, Stateless(), LoadConfig{Concurrency: 2, Requests: 20})
	if err != nil {
		t.Fatal(err)
	}
	if seed.Errors != 20 || stateless.Errors != 0 || stateless.Outcomes[OutcomeOK] != 20 {
		t.Fatalf("seed: %d errors; stateless: %d errors, outcomes %v", seed.Errors, stateless.Errors, stateless.Outcomes)
	}
}

func TestScenarioByName(t *testing.T) {
	for _, n := range []string{"seed", "mixed", "stateless"} {
		if sc, err := ScenarioByName(n); err != nil || sc.Name != n {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if _, err := ScenarioByName("nope"); err == nil {
		t.Fatal("unknown scenario accepted")
	}
}

// TestSuiteVersus: --versus alternates another server (here a second
// Tender, answering the stateless scenario) with Tender, and the report
// gives each round and the median's verdict.
func TestSuiteVersus(t *testing.T) {
	ctx := context.Background()
	other, err := StartServer(ctx, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	rep, err := Suite(ctx, Options{
		Scenario:      "seed",
		Concurrencies: []int{2},
		Duration:      300 * time.Millisecond,
		Versus:        other.URL,
		VersusKey:     SecretKey,
		Pairs:         2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Versus) != 2 || rep.VersusURL != other.URL {
		t.Fatalf("%d alternations with %q, want 2 with %s", len(rep.Versus), rep.VersusURL, other.URL)
	}
	for _, v := range rep.Versus {
		if v.Concurrency != 2 || v.Other <= 0 || v.Tender <= 0 || v.Errors != 0 || v.OtherErrors != 0 || v.OtherCPU <= 0 || v.TenderCPU <= 0 ||
			v.OtherMachineCPU <= 0 || v.TenderMachineCPU <= 0 {
			t.Errorf("alternation %+v", v)
		}
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "side by side with "+other.URL) || !strings.Contains(table.String(), "Tender at ") {
		t.Fatalf("table lacks the alternations:\n%s", table.String())
	}
}

func TestVersusVerdict(t *testing.T) {
	for _, c := range []struct {
		tender []float64
		errs   int
		want   string
	}{
		{[]float64{90, 110, 105}, 0, "Tender at 105% of http://mock's throughput (median of 3; lowest 90%, highest 110%), 0 errors: AT LEAST its figure"},
		{[]float64{80, 120}, 0, "Tender at 80% of http://mock's throughput (median of 2; lowest 80%, highest 120%), 0 errors: below it"},
		{[]float64{110}, 1, "Tender at 110% of http://mock's throughput (median of 1; lowest 110%, highest 110%), 1 errors: below it"},
	} {
		rep := &Report{VersusURL: "http://mock", Scenario: "seed"}
		for _, x := range c.tender {
			rep.Versus = append(rep.Versus, Versus{Concurrency: 32, Other: 100, Tender: x, Errors: c.errs})
			c.errs = 0
		}
		var out bytes.Buffer
		if err := rep.writeVersus(&out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("verdict:\n%s\nwant %q", out.String(), c.want)
		}
	}
}

// TestVersusBusyShare: the side-by-side table tells how busy each run kept
// the machine — throughput times the machine's CPU per request, over its
// CPUs — so a shortfall shows as idle time or as cost per request.
func TestVersusBusyShare(t *testing.T) {
	rep := &Report{VersusURL: "http://mock", Scenario: "seed", Machine: Machine{CPUs: 2}}
	for _, tender := range []float64{800, 900, 1000} {
		rep.Versus = append(rep.Versus, Versus{Concurrency: 32, Other: 1000, Tender: tender,
			OtherMachineCPU: 1900 * time.Microsecond, TenderMachineCPU: 1600 * time.Microsecond})
	}
	var out bytes.Buffer
	if err := rep.writeVersus(&out); err != nil {
		t.Fatal(err)
	}
	// 1,000/s × 1.9 ms over 2 CPUs = 95%; 900/s × 1.6 ms over 2 = 72%.
	if want := "the machine busy (median): 95% with http://mock, 72% with Tender"; !strings.Contains(out.String(), want) {
		t.Errorf("table:\n%s\nwant %q", out.String(), want)
	}
	if !strings.Contains(out.String(), "64%") || !strings.Contains(out.String(), "80%") {
		t.Errorf("table lacks the rounds' busy shares (64%%, 80%%):\n%s", out.String())
	}
	rep.Machine.CPUs = 0 // unknown: no share claimed
	out.Reset()
	if err := rep.writeVersus(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "the machine busy") {
		t.Errorf("a busy share without the machine's CPUs:\n%s", out.String())
	}
}
