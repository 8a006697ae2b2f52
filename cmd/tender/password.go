package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/tenderpay/tender/internal/app"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// minPassword is the shortest dashboard password accepted.
const minPassword = 10

// setPassword sets an account's dashboard password: from --password, or
// else from the first line of stdin. Only a bcrypt hash is stored.
func setPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("accounts set-password", stderr)
	account := fs.String("account", "", "the account's id (acct_…); empty for the default account")
	password := fs.String("password", "", "the password (visible in the process list: prefer stdin)")
	dsn := fs.String("db", envString("TENDER_DB", app.DefaultDB), "SQLite file or postgres:// URL (env TENDER_DB)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pw := *password
	if pw == "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password from stdin: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if len(pw) < minPassword {
		return fmt.Errorf("the password must be at least %d characters long (give it with --password or on stdin)", minPassword)
	}
	if len(pw) > 72 {
		return fmt.Errorf("the password must be at most 72 bytes long (bcrypt's limit)")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	id := *account
	err = db.Update(ctx, func(tx *store.Tx) error {
		if id == "" {
			a, err := tx.DefaultAccount(ctx)
			if err != nil {
				return err
			}
			id = a.ID
		} else if _, err := tx.Account(ctx, id); err != nil {
			return err
		}
		return tx.SetDashboardPassword(ctx, id, string(hash))
	})
	if errors.Is(err, payments.ErrNotFound) {
		return fmt.Errorf("no account %q in %s", *account, *dsn)
	}
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	fmt.Fprintf(stdout, "Dashboard password set for %s.\n", id)
	return nil
}

var stdinReader io.Reader = os.Stdin
