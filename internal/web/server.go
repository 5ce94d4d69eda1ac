// Package web serves xinlu's HTML pages and mounts the JSON API beside them
// on one handler with one set of middleware: request id, logging, metrics,
// recovery, security headers, sessions, language and CSRF.
package web

import (
	"context"
	"embed"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
)

//go:embed templates static
var assets embed.FS

// Config is how the server behaves; the zero value is not usable, use
// DefaultConfig.
type Config struct {
	SecureCookies bool // set behind TLS
	Sessions      store.SessionPolicy
	LoginLimit    int           // failed logins per username and address before 429
	LoginWindow   time.Duration // window over which they are counted
	MaxBodyBytes  int64         // request bodies beyond this get 413 (uploads have their own limit)
	MaxUploadSize int64
	MaxInFlight   int    // reads worked on at once, the others queue; 0 is no limit
	DiskLowBytes  uint64 // /healthz calls the disk low under this much free space (or under 1% of it)
	Logger        *slog.Logger
}

// DefaultConfig returns the defaults the README documents.
func DefaultConfig() Config {
	return Config{
		Sessions:      store.DefaultSessionPolicy,
		LoginLimit:    5,
		LoginWindow:   15 * time.Minute,
		MaxBodyBytes:  10 << 20,
		MaxUploadSize: 20 << 20,
		MaxInFlight:   max(4, 2*runtime.GOMAXPROCS(0)),
		DiskLowBytes:  100 << 20,
		Logger:        slog.Default(),
	}
}

// Server is the whole HTTP side of xinlu.
type Server struct {
	cfg     Config
	store   *store.Store
	catalog *i18n.Catalog
	views   *views
	static  *staticFiles
	metrics *metrics
	limiter *limiter
	routes  []Route
	// apiRoutes and apiError are what the server holds of the JSON API it
	// mounts (routes.go): its routes, relative to /api/v1, and its error
	// envelope.
	apiRoutes []Route
	apiError  func(w http.ResponseWriter, r *http.Request, err error)
	handler   http.Handler
	log       *slog.Logger
}

// New builds a server; it fails when a template or locale does not parse.
func New(st *store.Store, cfg Config) (*Server, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, store: st, catalog: cat, metrics: newMetrics(), limiter: newLimiter(), log: cfg.Logger}
	if st.Dialect() == store.Postgres {
		s.limiter.shared, s.limiter.log = st, cfg.Logger
	}
	if s.static, err = loadStatic(assets); err != nil {
		return nil, err
	}
	if s.views, err = loadViews(assets, cat, s.static); err != nil {
		return nil, err
	}
	s.mountAPI(cat)
	s.routes = s.pageRoutes()
	s.handler = s.buildHandler()
	return s, nil
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns every page route and every API route, for tests and docs.
func (s *Server) Routes() []Route {
	out := append([]Route(nil), s.routes...)
	for _, r := range s.apiRoutes {
		out = append(out, Route{Method: r.Method, Pattern: "/api/v1" + r.Pattern, Perm: r.Perm, API: true})
	}
	return out
}

// Run serves on addr until ctx ends, then shuts down gracefully.
func (s *Server) Run(ctx context.Context, srv *http.Server, tlsCert, tlsKey string) error {
	srv.Handler = s
	errc := make(chan error, 1)
	go func() {
		var err error
		if tlsCert != "" {
			err = srv.ListenAndServeTLS(tlsCert, tlsKey)
		} else {
			err = srv.ListenAndServe()
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
