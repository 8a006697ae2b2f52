package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/app"
	"github.com/tenderpay/tender/internal/store"
)

// createAccount adds an isolated account to the database, which may be in
// use by a running server: that server accepts the new keys at once,
// because keys are looked up in the database on every request.
func createAccount(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("accounts create", stderr)
	name := fs.String("name", "", "the account's name")
	dsn := fs.String("db", envString("TENDER_DB", app.DefaultDB), "SQLite file or postgres:// URL (env TENDER_DB)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	var acct *accounts.Account
	keys := accounts.NewTestKeys()
	err = db.Update(ctx, func(tx *store.Tx) error {
		acct = accounts.New(*name, tx.Now().Unix())
		if acct.Name == "" {
			acct.Name = acct.ID
		}
		return tx.CreateAccount(ctx, acct, keys)
	})
	if err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	enc := json.NewEncoder(stdout)
	return enc.Encode(map[string]string{
		"id":              acct.ID,
		"secret_key":      keys.Secret,
		"publishable_key": keys.Publishable,
	})
}
