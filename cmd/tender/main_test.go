package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// binary is the tender command built once for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tender-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "tender")
	// The subprocess servers are built without the race detector: it would
	// slow them tenfold, and the same code runs under -race in-process in
	// the other packages' tests.
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build tender: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running `tender serve`.
type proc struct {
	cmd    *exec.Cmd
	URL    string
	banner string
	done   chan error
}

// serveProc starts `tender serve args...` in dir and waits for its banner.
func serveProc(t *testing.T, dir string, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan error, 1)}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	exited := make(chan struct{})
	go func() {
		p.done <- cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-lines
		<-exited
		if t.Failed() {
			// The server's log says what a failing request met.
			log := stderr.String()
			if len(log) > 20000 {
				log = "…" + log[len(log)-20000:]
			}
			t.Logf("tender serve %s, its log:\n%s", strings.Join(args, " "), log)
		}
	})
	deadline := time.After(30 * time.Second)
	var banner strings.Builder
	for p.URL == "" || !strings.Contains(banner.String(), "publishable key") {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("tender exited before its banner; stderr:\n%s", stderr.String())
			}
			banner.WriteString(line + "\n")
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "API base URL"); ok {
				p.URL = strings.TrimSpace(rest)
			}
		case <-deadline:
			t.Fatalf("no banner after 30s; stderr:\n%s", stderr.String())
		}
	}
	p.banner = banner.String()
	go func() {
		for range lines {
		}
	}()
	return p
}

func (p *proc) client(key string) *stripe.Client {
	return stripe.NewClient(key, stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL: stripe.String(p.URL), MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	})))
}

func (p *proc) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("tender did not exit within 30s")
		return nil
	}
}

func eachDB(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, b := range apitest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.NewDSN(t)) })
	}
}

func TestServeDefaults(t *testing.T) {
	if c, err := net.DialTimeout("tcp", "127.0.0.1:12111", time.Second); err == nil {
		c.Close()
		t.Fatal("port 12111 is in use; this test checks tender's default address")
	}
	dir := t.TempDir()
	p := serveProc(t, dir, nil)
	if p.URL != "http://127.0.0.1:12111" {
		t.Fatalf("default address: %q", p.URL)
	}
	for _, want := range []string{"sk_test_", "pk_test_", "http://127.0.0.1:12111/v3", "/dashboard"} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, p.banner)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tender.db")); err != nil {
		t.Fatalf("./tender.db not created: %v", err)
	}
	resp, err := http.Get(p.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	// The printed secret key works.
	var sk string
	for _, f := range strings.Fields(p.banner) {
		if strings.HasPrefix(f, "sk_test_") {
			sk = f
		}
	}
	if _, err := p.client(sk).V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{}); err != nil {
		t.Fatalf("printed key refused: %v", err)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.wait(t); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

func TestServeFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	p := serveProc(t, dir, []string{
		"TENDER_ADDR=127.0.0.1:0", "TENDER_DB=" + filepath.Join(dir, "env.db"),
		"TENDER_SECRET_KEY=sk_test_fromenvironment", "TENDER_PUBLISHABLE_KEY=pk_test_fromenvironment",
	})
	if _, err := p.client("sk_test_fromenvironment").V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{}); err != nil {
		t.Fatalf("pinned key from the environment refused: %v", err)
	}
	if !strings.Contains(p.banner, "pk_test_fromenvironment") {
		t.Fatalf("banner: %s", p.banner)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Fatal(err)
	}
	// Bad pinned keys are refused at start.
	out, err := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "x.db"), "--secret-key", "pk_test_wrongkind").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "secret-key") {
		t.Fatalf("wrong-kind pinned key accepted: %v %s", err, out)
	}
}

func TestAccountsCreateWhileServing(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		p := serveProc(t, t.TempDir(), nil, "--addr", "127.0.0.1:0", "--db", dsn, "--secret-key", "sk_test_defaultaccount")
		out, err := exec.Command(binary, "accounts", "create", "--name", "Shop Two", "--db", dsn).Output()
		if err != nil {
			t.Fatalf("accounts create: %v", err)
		}
		var acct struct {
			ID             string `json:"id"`
			SecretKey      string `json:"secret_key"`
			PublishableKey string `json:"publishable_key"`
		}
		if err := json.Unmarshal(out, &acct); err != nil || !strings.HasPrefix(acct.ID, "acct_") ||
			!strings.HasPrefix(acct.SecretKey, "sk_test_") || !strings.HasPrefix(acct.PublishableKey, "pk_test_") {
			t.Fatalf("accounts create printed %s (%v)", out, err)
		}
		ctx := context.Background()
		c, err := p.client(acct.SecretKey).V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		if err != nil {
			t.Fatalf("the running server refused the new account's key: %v", err)
		}
		if _, err := p.client("sk_test_defaultaccount").V1Customers.Retrieve(ctx, c.ID, nil); err == nil {
			t.Fatal("the default account sees the new account's customer")
		}
		// The secret key is stored only as a hash.
		if strings.HasSuffix(dsn, ".db") {
			raw, err := os.ReadFile(dsn)
			if err != nil {
				t.Fatal(err)
			}
			wal, _ := os.ReadFile(dsn + "-wal")
			if strings.Contains(string(raw)+string(wal), acct.SecretKey) || strings.Contains(string(raw)+string(wal), "sk_test_defaultaccount") {
				t.Fatal("a secret key is stored in clear in the database")
			}
		}
	})
}

// TestKill9KeepsAcknowledgedWrites kills the server without warning while
// clients write, restarts it, and requires every acknowledged customer.
func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		args := []string{"--addr", "127.0.0.1:0", "--db", dsn, "--secret-key", "sk_test_durability"}
		p := serveProc(t, dir, nil, args...)
		sc := p.client("sk_test_durability")
		ctx := context.Background()
		var (
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
		)
		stop := make(chan struct{})
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					c, err := sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String(fmt.Sprintf("w%d-%d@example.com", w, i))})
					if err != nil {
						return // the server died under us: unacknowledged, may be lost
					}
					mu.Lock()
					acked = append(acked, c.ID)
					mu.Unlock()
				}
			}()
		}
		waitUntil(t, 30*time.Second, "20 acknowledged writes", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(acked) >= 20
		})
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.wait(t)
		close(stop)
		wg.Wait()
		if len(acked) < 10 {
			t.Fatalf("only %d writes acknowledged before the kill; the test needs more", len(acked))
		}
		p2 := serveProc(t, dir, nil, args...)
		sc2 := p2.client("sk_test_durability")
		for _, id := range acked {
			if _, err := sc2.V1Customers.Retrieve(ctx, id, nil); err != nil {
				t.Fatalf("acknowledged customer %s lost after kill -9: %v", id, err)
			}
		}
		t.Logf("%d acknowledged customers all present after kill -9", len(acked))
	})
}

// TestSIGTERMDrainsInFlight starts a request, sends SIGTERM before the
// request body is complete, and requires the request to finish and the
// process to exit cleanly.
func TestSIGTERMDrainsInFlight(t *testing.T) {
	p := serveProc(t, t.TempDir(), nil, "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "t.db"), "--secret-key", "sk_test_drainingkey")
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=drain%40example.com"
	fmt.Fprintf(conn, "POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_drainingkey\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:5])
	time.Sleep(200 * time.Millisecond) // the server is now reading the body
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if _, err := io.WriteString(conn, body[5:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request cut off by SIGTERM: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "drain@example.com") {
		t.Fatalf("in-flight request: %d %s", resp.StatusCode, b)
	}
	conn.Close()
	if err := p.wait(t); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

func TestVersionAndUsage(t *testing.T) {
	out, err := exec.Command(binary, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "tender ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if err := exec.Command(binary, "frobnicate").Run(); err == nil {
		t.Fatal("an unknown command exited 0")
	}
}
