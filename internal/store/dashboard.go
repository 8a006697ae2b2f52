package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tenderpay/tender/internal/payments"
)

// Session is a dashboard login. The cookie carries a random token; only
// its hash is stored.
type Session struct {
	TokenHash string
	Account   string
	// Method is how the session logged in: "secret_key" or "password".
	Method    string
	CSRF      string
	Created   int64
	ExpiresAt int64
	// Flash is a one-time notice for the next page.
	Flash string
}

// CreateSession stores a new dashboard session and drops expired ones.
func (tx *Tx) CreateSession(ctx context.Context, s *Session) error {
	if _, err := tx.exec(ctx, `DELETE FROM dashboard_sessions WHERE expires_at <= ?`, tx.now.Unix()); err != nil {
		return fmt.Errorf("prune sessions: %w", err)
	}
	_, err := tx.exec(ctx, `INSERT INTO dashboard_sessions (token_hash, account_id, method, csrf, created, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.Account, s.Method, s.CSRF, s.Created, s.ExpiresAt)
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// GetSession returns the unexpired session with tokenHash, or
// payments.ErrNotFound.
func (tx *Tx) GetSession(ctx context.Context, tokenHash string) (*Session, error) {
	s := &Session{TokenHash: tokenHash}
	var flash sql.NullString
	err := tx.queryRow(ctx, `SELECT account_id, method, csrf, created, expires_at, flash FROM dashboard_sessions WHERE token_hash = ? AND expires_at > ?`,
		tokenHash, tx.now.Unix()).Scan(&s.Account, &s.Method, &s.CSRF, &s.Created, &s.ExpiresAt, &flash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payments.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get session: %w", err)
	}
	s.Flash = flash.String
	return s, nil
}

// SetSessionFlash sets (or, with "", clears) a session's one-time notice.
func (tx *Tx) SetSessionFlash(ctx context.Context, tokenHash, flash string) error {
	_, err := tx.exec(ctx, `UPDATE dashboard_sessions SET flash = ? WHERE token_hash = ?`, nullString(flash), tokenHash)
	return err
}

// DeleteSession ends one session.
func (tx *Tx) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := tx.exec(ctx, `DELETE FROM dashboard_sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteSessions ends an account's sessions that logged in with method,
// except the one with keep.
func (tx *Tx) DeleteSessions(ctx context.Context, account, method, keep string) error {
	_, err := tx.exec(ctx, `DELETE FROM dashboard_sessions WHERE account_id = ? AND method = ? AND token_hash <> ?`, account, method, keep)
	return err
}

// SetDashboardPassword stores the hash of an account's dashboard password.
func (tx *Tx) SetDashboardPassword(ctx context.Context, account, hash string) error {
	_, err := tx.exec(ctx, `INSERT INTO dashboard_passwords (account_id, hash, updated) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET hash = excluded.hash, updated = excluded.updated`, account, hash, tx.now.Unix())
	if err != nil {
		return fmt.Errorf("set dashboard password: %w", err)
	}
	return nil
}

// DashboardPassword returns the hash of an account's dashboard password, or
// payments.ErrNotFound when none is set.
func (tx *Tx) DashboardPassword(ctx context.Context, account string) (string, error) {
	var hash string
	err := tx.queryRow(ctx, `SELECT hash FROM dashboard_passwords WHERE account_id = ?`, account).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", payments.ErrNotFound
	}
	return hash, err
}
