// Package bench measures Tender: a load generator that drives the seed's
// create+confirm call shape over real HTTP on loopback, the baselines it is
// judged against (the database's own commit rate for one payment's rows, and
// a bare net/http handler that parses the same form), and the report that
// puts them side by side. `tender bench` is a thin wrapper around it.
package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Target is an HTTP server speaking the Stripe API (or the bare handler).
type Target struct {
	URL string // base URL, for example http://127.0.0.1:12111
	Key string // secret key sent as Bearer auth
}

// LoadConfig bounds one load run. The run stops at Duration or after
// Requests requests, whichever comes first; at least one must be set.
type LoadConfig struct {
	Concurrency int
	Duration    time.Duration
	Requests    int // 0: no cap
	// Client overrides the tuned keep-alive client NewClient builds.
	Client *http.Client
	// Completed, when set, counts finished requests as they finish, for
	// progress reports during long runs.
	Completed *atomic.Int64
}

// LoadResult is what one run at one concurrency measured.
type LoadResult struct {
	Target      string         `json:"target"`
	Scenario    string         `json:"scenario"`
	Concurrency int            `json:"concurrency"`
	Requests    int            `json:"requests"`
	Errors      int            `json:"errors"`
	Elapsed     time.Duration  `json:"elapsed_ns"`
	Throughput  float64        `json:"throughput_per_s"`
	P50         time.Duration  `json:"p50_ns"`
	P90         time.Duration  `json:"p90_ns"`
	P99         time.Duration  `json:"p99_ns"`
	Max         time.Duration  `json:"max_ns"`
	Outcomes    map[string]int `json:"outcomes"`
	// ErrorSamples holds the first few errors, for diagnosis.
	ErrorSamples []string `json:"error_samples,omitempty"`
	// PeakRSSKB is the server's peak resident set during the run, in KiB;
	// 0 when unknown. RSSNote says what it covers.
	PeakRSSKB int64  `json:"peak_rss_kb,omitempty"`
	RSSNote   string `json:"rss_note,omitempty"`
	// CPUPerRequest is the server process's CPU time (user+system) over
	// the run divided by the requests: unlike throughput, it barely moves
	// when other work shares the machine. In-process it includes the load
	// generator's share. 0 when unknown.
	CPUPerRequest time.Duration `json:"cpu_per_request_ns,omitempty"`
	// MachineCPUPerRequest is the whole machine's busy CPU time over the
	// run divided by the requests: the server's, the load generator's and
	// a database server's on this machine. 0 when unknown.
	MachineCPUPerRequest time.Duration `json:"machine_cpu_per_request_ns,omitempty"`
}

// NewClient returns an HTTP client tuned for load on loopback: keep-alive,
// enough idle connections per host for every worker, no compression, HTTP/1.1.
func NewClient(concurrency int) *http.Client {
	if concurrency < 1 {
		concurrency = 1
	}
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext:         d.DialContext,
		MaxIdleConns:        2 * concurrency,
		MaxIdleConnsPerHost: 2 * concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
		WriteBufferSize:     8 << 10,
		ReadBufferSize:      16 << 10,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// NewRunID returns a random prefix that keeps this run's idempotency keys
// apart from every other run's.
func NewRunID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Run drives target with scenario at cfg.Concurrency until the duration or
// request cap is reached. Every request is counted: a transport error, an
// unexpected status or an unexpected body is an error.
func Run(ctx context.Context, target Target, sc *Scenario, cfg LoadConfig) (*LoadResult, error) {
	if cfg.Concurrency < 1 {
		return nil, fmt.Errorf("concurrency must be at least 1")
	}
	if cfg.Duration <= 0 && cfg.Requests <= 0 {
		return nil, fmt.Errorf("set a duration or a request cap")
	}
	client := cfg.Client
	if client == nil {
		client = NewClient(cfg.Concurrency)
		defer client.CloseIdleConnections()
	}
	base := strings.TrimRight(target.URL, "/")
	auth := "Bearer " + target.Key
	runID := NewRunID()

	runCtx := ctx
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}

	var next atomic.Int64
	type workerResult struct {
		lat      []time.Duration
		errors   int
		outcomes map[string]int
		samples  []string
	}
	results := make([]workerResult, cfg.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range cfg.Concurrency {
		wg.Add(1)
		go func(wr *workerResult) {
			defer wg.Done()
			wr.outcomes = map[string]int{}
			wr.lat = make([]time.Duration, 0, 4096)
			var buf bytes.Buffer
			for runCtx.Err() == nil {
				n := next.Add(1) - 1
				if cfg.Requests > 0 && n >= int64(cfg.Requests) {
					return
				}
				op := sc.next(n)
				var body io.Reader
				if op.body != "" {
					body = strings.NewReader(op.body)
				}
				// The request context is the parent, not runCtx: a request
				// in flight when the duration ends completes and counts.
				req, err := http.NewRequestWithContext(ctx, op.method, base+op.path, body)
				if err != nil {
					wr.errors++
					continue
				}
				req.Header.Set("Authorization", auth)
				if op.body != "" {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				if op.method == http.MethodPost {
					req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%s-%d", runID, n))
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					buf.Reset()
					_, err = buf.ReadFrom(resp.Body)
					resp.Body.Close()
				}
				lat := time.Since(t0)
				if cfg.Completed != nil {
					cfg.Completed.Add(1)
				}
				if err != nil {
					if ctx.Err() != nil {
						return // interrupted: not the server's error
					}
					wr.errors++
					if len(wr.samples) < 3 {
						wr.samples = append(wr.samples, fmt.Sprintf("%s %s: %v", op.method, op.path, err))
					}
					wr.lat = append(wr.lat, lat)
					continue
				}
				wr.lat = append(wr.lat, lat)
				outcome, ok := op.check(resp.StatusCode, buf.Bytes())
				if !ok {
					wr.errors++
					if len(wr.samples) < 3 {
						wr.samples = append(wr.samples, fmt.Sprintf("%s %s (%s): HTTP %d %s", op.method, op.path, op.kind, resp.StatusCode, snippet(buf.Bytes())))
					}
					continue
				}
				wr.outcomes[outcome]++
			}
		}(&results[w])
	}
	wg.Wait()
	elapsed := time.Since(start)

	res := &LoadResult{Scenario: sc.Name, Concurrency: cfg.Concurrency, Elapsed: elapsed, Outcomes: map[string]int{}}
	var all []time.Duration
	for _, wr := range results {
		all = append(all, wr.lat...)
		res.Errors += wr.errors
		for k, v := range wr.outcomes {
			res.Outcomes[k] += v
		}
		for _, s := range wr.samples {
			if len(res.ErrorSamples) < 5 {
				res.ErrorSamples = append(res.ErrorSamples, s)
			}
		}
	}
	res.Requests = len(all)
	if elapsed > 0 {
		res.Throughput = float64(res.Requests) / elapsed.Seconds()
	}
	slices.Sort(all)
	res.P50, res.P90, res.P99 = Percentile(all, 50), Percentile(all, 90), Percentile(all, 99)
	if len(all) > 0 {
		res.Max = all[len(all)-1]
	}
	return res, nil
}

// Percentile returns the p-th percentile (nearest rank) of sorted.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.5) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return sorted[rank]
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
