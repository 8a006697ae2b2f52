package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/tenderpay/tender/internal/store"
)

// TestSetPassword: `tender accounts set-password` reads the password from
// stdin (or --password), stores only a bcrypt hash, refuses short ones and
// unknown accounts, and the password then logs in to the dashboard of a
// running server.
func TestSetPassword(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "tender.db")
	out, err := exec.Command(binary, "accounts", "create", "--name", "Shop", "--db", dsn).Output()
	if err != nil {
		t.Fatalf("accounts create: %v", err)
	}
	var acct struct{ ID string }
	if err := json.Unmarshal(out, &acct); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(binary, "accounts", "set-password", "--account", acct.ID, "--db", dsn)
	cmd.Stdin = strings.NewReader("a long enough password\n")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), acct.ID) {
		t.Fatalf("set-password: %v %s", err, out)
	}
	short := exec.Command(binary, "accounts", "set-password", "--account", acct.ID, "--db", dsn, "--password", "short")
	if out, err := short.CombinedOutput(); err == nil || !strings.Contains(string(out), "at least") {
		t.Errorf("a short password was accepted: %s", out)
	}
	unknown := exec.Command(binary, "accounts", "set-password", "--account", "acct_nope", "--db", dsn, "--password", "another long password")
	if out, err := unknown.CombinedOutput(); err == nil || !strings.Contains(string(out), "no account") {
		t.Errorf("an unknown account was accepted: %s", out)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var hash string
	err = db.View(ctx, func(tx *store.Tx) error {
		hash, err = tx.DashboardPassword(ctx, acct.ID)
		return err
	})
	db.Close()
	if err != nil || !strings.HasPrefix(hash, "$2") || bcrypt.CompareHashAndPassword([]byte(hash), []byte("a long enough password")) != nil {
		t.Fatalf("stored hash %q: %v", hash, err)
	}

	p := serveProc(t, dir, nil, "--db", dsn, "--addr", "127.0.0.1:0")
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.Get(p.URL + "/dashboard/login")
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)[1]
	resp, err = hc.PostForm(p.URL+"/dashboard/login", url.Values{"csrf": {token}, "method": {"password"}, "account": {acct.ID}, "password": {"a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, acct.ID) || !strings.Contains(body, "Payments") {
		t.Errorf("password login: %d", resp.StatusCode)
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
