package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/xinlu"
)

const (
	sessionCookie = "xinlu_session"
	csrfCookie    = "xinlu_csrf" // anonymous forms (login) only
)

// reqInfo travels with each request so that outer middleware learn what
// inner layers found out (the matched route, the user).
type reqInfo struct {
	id      string
	ip      string
	route   string
	lang    string
	csrf    string // the token forms must carry
	session string // the session secret from the cookie, if any
	bearer  bool
	user    *xinlu.User
}

type infoKey struct{}

func requestInfo(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(infoKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

var requestSeq atomic.Uint64

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, then logs and measures it.
func (s *Server) observe(next http.Handler) http.Handler {
	bootID := xinlu.RandomToken(3)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{id: fmt.Sprintf("%s-%d", bootID, requestSeq.Add(1)), ip: clientIP(r)}
		w.Header().Set("X-Request-Id", info.id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		route := info.route
		if route == "" {
			route = "unmatched"
			if strings.HasPrefix(r.URL.Path, "/static/") {
				route = "GET /static/"
			} else if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
				route = r.Method + " " + r.URL.Path
			}
		}
		s.metrics.observe(route, sw.status, d)
		if route == "GET /static/" || route == "GET /healthz" || route == "GET /metrics" {
			return
		}
		user := ""
		if info.user != nil {
			user = info.user.Username
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("id", info.id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("route", route), slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", d), slog.String("user", user), slog.String("ip", info.ip))
	})
}

// clientIP is the peer address; xinlu does not trust forwarding headers
// unless it is told to sit behind a proxy.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recoverPanics turns a panic into a 500 page with the request id.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "id", requestInfo(r.Context()).id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.fail(w, r, xinlu.Internalf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler, tls bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-UA-Compatible", "IE=edge")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// admit lets at most cfg.MaxInFlight reads (GET, HEAD) work at once and
// queues the others in the order they came. Without it, a burst has every
// request competing for the processors and the database's connections,
// which are handed to waiters at random: the mean answer is as fast, but
// the slowest ones wait many times longer. Writes do not take a turn here:
// they queue for the one database writer, in order, and reports of leads
// share its commits, which needs many of them at once. Health checks,
// metrics, static files and downloads (workbooks, *.xlsx, and attachments,
// …/files/…: sent at the reader's pace, and not to hold a turn that many
// page views wait for) skip the queue; a request whose client leaves while
// queued is dropped.
func (s *Server) admit(next http.Handler) http.Handler {
	if s.cfg.MaxInFlight <= 0 {
		return next
	}
	slots := make(chan struct{}, s.cfg.MaxInFlight)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method != http.MethodGet && r.Method != http.MethodHead,
			r.URL.Path == "/healthz", r.URL.Path == "/metrics", strings.HasPrefix(r.URL.Path, "/static/"),
			strings.HasSuffix(r.URL.Path, ".xlsx"), strings.Contains(r.URL.Path, "/files/"):
			next.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		default:
			s.metrics.waiting.Add(1)
			select {
			case slots <- struct{}{}:
				s.metrics.waiting.Add(-1)
			case <-r.Context().Done():
				s.metrics.waiting.Add(-1)
				return
			}
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}

// limitBody answers 413 to bodies over the limit; multipart uploads get the
// larger upload limit.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBodyBytes
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit = s.cfg.MaxUploadSize
		}
		if r.ContentLength > limit {
			s.fail(w, r, httpx.TooLarge())
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate finds the user from a bearer token (API) or the session
// cookie, and the language of the response.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			next.ServeHTTP(w, r)
			return
		}
		info := requestInfo(r.Context())
		ctx := r.Context()
		var u *xinlu.User
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") && strings.HasPrefix(r.URL.Path, "/api/") {
			info.bearer = true
			user, _, err := s.store.SessionUser(ctx, strings.TrimPrefix(auth, "Bearer "), "api", s.cfg.Sessions.TokenLimits)
			if xinlu.ErrorCode(err) == xinlu.EINTERNAL {
				s.fail(w, r, err)
				return
			}
			u = user
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			info.session = c.Value
			user, sess, err := s.store.SessionUser(ctx, c.Value, "web", s.cfg.Sessions.WebLimits)
			switch {
			case err == nil:
				u, info.csrf = user, sess.CSRFToken
			case xinlu.ErrorCode(err) == xinlu.EINTERNAL:
				// The database failed: say so rather than signing the user out.
				info.csrf = s.anonymousCSRF(w, r)
				s.fail(w, r, err)
				return
			default:
				s.clearSessionCookie(w)
			}
		}
		if info.csrf == "" && !info.bearer {
			info.csrf = s.anonymousCSRF(w, r)
		}
		info.user = u
		if u != nil {
			// Nothing a signed-in user sees is kept by browsers or proxies.
			w.Header().Set("Cache-Control", "no-store")
		}
		info.lang = s.catalog.Match(r.Header.Get("Accept-Language"))
		if c, err := r.Cookie(langCookie); err == nil && s.catalog.Has(c.Value, "app.name") {
			info.lang = c.Value
		}
		if u != nil {
			if u.Lang != "" {
				info.lang = u.Lang
			}
			ctx = xinlu.NewContextWithUser(ctx, u)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// anonymousCSRF returns the double-submit token of a visitor without a
// session, setting its cookie when missing.
func (s *Server) anonymousCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 16 {
		return c.Value
	}
	tok := xinlu.RandomToken(24)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	return tok
}

// csrf refuses cross-origin writes. Modern browsers say where a request
// comes from (Sec-Fetch-Site, Origin) and http.CrossOriginProtection checks
// that; a write that carries neither header (older browsers) must instead
// carry the token of its page in the form or X-CSRF-Token: the session's,
// or for a visitor without one the anonymous token of the login page. This
// holds for every page write, with or without cookies, so that no other
// site can sign a visitor in to an account of its choosing (login CSRF).
// Only the API accepts a cookieless write without a token: it sets no
// cookie and answers its token in the body, which another site cannot read.
func (s *Server) csrf(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &xinlu.Error{Code: xinlu.EFORBIDDEN, Key: "error.csrf"})
	}))
	check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := requestInfo(r.Context())
		unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
		_, errSession := r.Cookie(sessionCookie)
		_, errAnon := r.Cookie(csrfCookie)
		hasCookie := errSession == nil || errAnon == nil
		if unsafe && !info.bearer && (hasCookie || !strings.HasPrefix(r.URL.Path, "/api/")) &&
			r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Origin") == "" {
			got := r.Header.Get("X-CSRF-Token")
			if got == "" {
				got = r.PostFormValue("csrf")
			}
			if info.csrf == "" || subtle.ConstantTimeCompare([]byte(got), []byte(info.csrf)) != 1 {
				s.fail(w, r, &xinlu.Error{Code: xinlu.EFORBIDDEN, Key: "error.csrf"})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
	return cop.Handler(check)
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.Sessions.Lifetime.Seconds())})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-login redirect on this site. It reads next as a
// browser would, dropping the tabs and line breaks that browsers strip from
// URLs (so "/\t/host" is "//host"), and accepts only a path of this site:
// it parses (net/url) with neither scheme nor host, holds no other control
// character, and starts with a single "/" followed by neither "/" nor a backslash
// (browsers read a backslash as "/"). Anything else goes home.
func safeNext(next string) string {
	next = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, next)
	if len(next) == 0 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return "/"
	}
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}
