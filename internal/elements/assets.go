package elements

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

//go:embed assets
var assetFS embed.FS

// asset is one servable file. Hashed names never change content, so they
// are cached forever; the SDK's own URL is fixed (merchants hard-code it), so
// it is revalidated by ETag instead.
type asset struct {
	body        []byte
	contentType string
	etag        string
	immutable   bool
	frame       bool // an HTML page that is framed by merchant pages
}

type assets struct {
	byName map[string]*asset // served name → asset
	sdk    *asset
	urls   map[string]string // source name → served path
}

var (
	buildOnce sync.Once
	built     *assets
	buildErr  error
)

func mustBuild() *assets {
	buildOnce.Do(func() { built, buildErr = build() })
	if buildErr != nil {
		panic(buildErr)
	}
	return built
}

// Frame pages, by the name the SDK knows them by. Their served names keep
// Stripe's recognisable stems (merchant test suites match on them).
var framePages = map[string]string{
	"payment":    "elements-inner-payment.html",
	"controller": "controller.html",
	"threeDS":    "three-ds-2-challenge.html",
}

var assetRef = regexp.MustCompile(`\{\{asset:([a-z0-9.-]+)\}\}`)

// build hashes the leaf assets, then the frame pages that reference them,
// then the SDK that references the frame pages, so that a change anywhere
// changes every URL that leads to it.
func build() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, urls: map[string]string{}}
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		return nil, err
	}
	add := func(src string, body []byte, dir string, frame bool) {
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:16]
		ext := path.Ext(src)
		name := strings.TrimSuffix(src, ext) + "-" + h + ext
		served := name
		if dir != "" {
			served = dir + "/" + name
		}
		a.byName[served] = &asset{body: body, contentType: mime.TypeByExtension(ext), etag: `"` + h + `"`, immutable: true, frame: frame}
		a.urls[src] = "/v3/" + served
	}
	var pages []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case n == "sdk.js" || strings.HasSuffix(n, ".tmpl"):
		case strings.HasSuffix(n, ".html"):
			pages = append(pages, n)
		default:
			b, err := assetFS.ReadFile("assets/" + n)
			if err != nil {
				return nil, err
			}
			add(n, b, "assets", false)
		}
	}
	for _, n := range pages {
		b, err := assetFS.ReadFile("assets/" + n)
		if err != nil {
			return nil, err
		}
		var missing error
		b = assetRef.ReplaceAllFunc(b, func(m []byte) []byte {
			src := string(assetRef.FindSubmatch(m)[1])
			u, ok := a.urls[src]
			if !ok {
				missing = fmt.Errorf("elements: %s references unknown asset %s", n, src)
			}
			return []byte(u)
		})
		if missing != nil {
			return nil, missing
		}
		add(n, b, "", true)
	}
	frames := map[string]string{}
	for k, src := range framePages {
		u, ok := a.urls[src]
		if !ok {
			return nil, fmt.Errorf("elements: missing frame page %s", src)
		}
		frames[k] = u
	}
	fj, err := json.Marshal(frames)
	if err != nil {
		return nil, err
	}
	sdk, err := assetFS.ReadFile("assets/sdk.js")
	if err != nil {
		return nil, err
	}
	sdk = bytes.Replace(sdk, []byte("/*FRAMES*/{}"), fj, 1)
	sum := sha256.Sum256(sdk)
	a.sdk = &asset{body: sdk, contentType: "text/javascript; charset=utf-8", etag: `"` + hex.EncodeToString(sum[:])[:16] + `"`}
	return a, nil
}

// url is the served path of a source asset.
func (a *assets) url(src string) string { return a.urls[src] }

func (a *assets) serveSDK(w http.ResponseWriter, r *http.Request) {
	// Merchant pages load this cross-origin, sometimes with crossorigin set.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	a.serve(w, r, a.sdk)
}

func (a *assets) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/v3/")
	f, ok := a.byName[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if f.frame {
		w.Header().Set("Content-Security-Policy", frameCSP)
		w.Header().Set("Referrer-Policy", "no-referrer")
	}
	a.serve(w, r, f)
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request, f *asset) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if f.immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// frameCSP locks the frames down to their own scripts. Styles are built
// through CSSOM (constructed stylesheets), which style-src does not govern,
// so no inline style is ever needed. Fonts and font stylesheets named by the
// merchant (elements({fonts})) are fetched as data and installed with the
// FontFace API, hence the open font-src and connect-src; nothing the merchant
// supplies is ever parsed as CSS.
const frameCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src * data:; connect-src 'self' http: https:; frame-src 'self'; base-uri 'none'; form-action 'none'"
