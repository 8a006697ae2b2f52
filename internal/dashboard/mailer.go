package dashboard

import (
	"crypto/tls"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// mailer sends receipts over SMTP, configured by a URL:
// smtp://user:password@host:587?from=receipts@example.com (STARTTLS when the
// server offers it) or smtps://… (TLS from the first byte).
type mailer struct {
	addr, host, from string
	auth             smtp.Auth
	implicitTLS      bool
	timeout          time.Duration
}

func newMailer(raw string) (*mailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	if u.Scheme != "smtp" && u.Scheme != "smtps" {
		return nil, fmt.Errorf("SMTP URL must start with smtp:// or smtps://")
	}
	m := &mailer{host: u.Hostname(), from: u.Query().Get("from"), implicitTLS: u.Scheme == "smtps", timeout: 20 * time.Second}
	port := u.Port()
	if port == "" {
		port = "587"
		if m.implicitTLS {
			port = "465"
		}
	}
	m.addr = net.JoinHostPort(m.host, port)
	if m.from == "" {
		m.from = "receipts@" + m.host
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pw, m.host)
	}
	return m, nil
}

// send delivers one HTML message.
func (m *mailer) send(to, subject, html string) error {
	var (
		conn net.Conn
		err  error
	)
	d := &net.Dialer{Timeout: m.timeout}
	if m.implicitTLS {
		conn, err = tls.DialWithDialer(d, "tcp", m.addr, &tls.Config{ServerName: m.host})
	} else {
		conn, err = d.Dial("tcp", m.addr)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(m.timeout))
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !m.implicitTLS {
		if err := c.StartTLS(&tls.Config{ServerName: m.host}); err != nil {
			return err
		}
	}
	if m.auth != nil {
		if err := c.Auth(m.auth); err != nil {
			return err
		}
	}
	if err := c.Mail(m.from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	msg := "From: " + m.from + "\r\nTo: " + to + "\r\nSubject: " + mime.QEncoding.Encode("utf-8", subject) +
		"\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + strings.ReplaceAll(html, "\n", "\r\n")
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
