package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemo runs `tender demo` as a user would, reads the checkout URL from
// its first line of output, buys something in Chromium, and checks that
// the order turns paid (so the demo registered the shop's webhook endpoint
// and handed the shop its secret), then stops it with SIGTERM.
func TestDemo(t *testing.T) {
	browser.Require(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "tender")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/tender")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/tender: %v\n%s", err, out)
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "demo", "--addr", "127.0.0.1:0", "--shop-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-exited
		}
		t.Logf("tender demo stderr:\n%s", stderr.String())
	})

	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		for sc.Scan() { // drain the rest
		}
	}()
	var checkout string
	select {
	case checkout = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatal("tender demo printed nothing")
	}
	if !strings.HasPrefix(checkout, "http://127.0.0.1:") || !strings.HasSuffix(checkout, "/") {
		t.Fatalf("first line %q is not the checkout URL", checkout)
	}

	s := &goShop{t: t, URL: strings.TrimSuffix(checkout, "/")}
	email := uniqueEmail("demo")
	c := s.visit(t, email)
	c.fillCard("4242424242424242")
	if st := c.pay(); st != "succeeded" {
		t.Fatalf("state %s, message %q", st, c.message())
	}
	c.screenshot("demo-success")
	s.waitOrder(c.paymentIntent(), "paid")

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Fatalf("tender demo exited with %v after SIGTERM", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("tender demo did not stop within 20s of SIGTERM")
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "tender-demo-*")); len(left) != 0 {
		t.Fatalf("the temporary database was left behind: %v", left)
	}
}
