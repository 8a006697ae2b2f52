package elements

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSDKServedWithETag(t *testing.T) {
	h := NewHandler(Config{PublicURL: "http://127.0.0.1:1"})
	for _, path := range []string{"/v3", "/v3/", "/v3/stripe.js"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "window.Stripe = Stripe") {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "/*FRAMES*/") {
			t.Fatalf("GET %s: frame URLs were not filled in", path)
		}
		etag := rec.Header().Get("ETag")
		if etag == "" || rec.Header().Get("Cache-Control") != "no-cache" {
			t.Fatalf("GET %s: ETag %q, Cache-Control %q", path, etag, rec.Header().Get("Cache-Control"))
		}
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Fatalf("GET %s with If-None-Match: %d, want 304", path, rec.Code)
		}
	}
}
