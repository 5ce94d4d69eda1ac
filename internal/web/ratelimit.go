package web

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Per-user rate limits on the expensive or data-revealing kinds of request:
// searches, imports and exports (等保: resource control; mass export).
type limitClass int

const (
	limitNone limitClass = iota
	limitSearch
	limitImport
	limitExport
)

// Limits per class: a bucket of burst requests refilled at rate per minute.
type limitRule struct {
	burst   float64
	perMin  float64
	keyName string
}

var limitRules = map[limitClass]limitRule{
	limitSearch: {burst: 60, perMin: 120, keyName: "search"},
	limitImport: {burst: 20, perMin: 10, keyName: "import"},
	limitExport: {burst: 10, perMin: 10, keyName: "export"},
}

// classify puts a request in a class from its route and query.
func classify(route string, r *http.Request) limitClass {
	switch {
	case strings.Contains(route, ".xlsx") || strings.Contains(route, "/export"):
		if strings.Contains(route, "template.xlsx") {
			return limitNone
		}
		return limitExport
	case r.Method == http.MethodPost && strings.Contains(route, "/import"):
		return limitImport
	case r.Method == http.MethodGet && r.URL.Query().Get("q") != "":
		return limitSearch
	}
	return limitNone
}

type bucket struct {
	tokens float64
	last   time.Time
}

// limiter keeps one token bucket per user and class: in this process on
// SQLite (one server per database), in the database on PostgreSQL, where
// several servers share the database and so must share the buckets.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
	shared  *store.Store // PostgreSQL: the buckets live here
	log     *slog.Logger
}

func newLimiter() *limiter {
	return &limiter{buckets: map[string]*bucket{}, now: time.Now}
}

// allow takes a token for user u in class c, or says how long to wait.
func (l *limiter) allow(ctx context.Context, userID int64, c limitClass) (bool, time.Duration) {
	rule, ok := limitRules[c]
	if !ok {
		return true, 0
	}
	key := rule.keyName + ":" + strconv.FormatInt(userID, 10)
	if l.shared != nil {
		ok, wait, err := l.shared.TakeToken(ctx, key, rule.burst, rule.perMin)
		if err == nil {
			return ok, wait
		}
		// The database did not answer: this process's bucket stands in.
		if l.log != nil {
			l.log.Warn("shared rate limit unavailable", "err", err)
		}
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) > 10000 {
		// Forget buckets idle for long enough to be full again.
		for k, b := range l.buckets {
			if now.Sub(b.last) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: rule.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(rule.burst, b.tokens+now.Sub(b.last).Minutes()*rule.perMin)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / rule.perMin * float64(time.Minute))
	return false, wait
}

// rateLimited answers 429 when u has used up a class's requests.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, route string, u *xinlu.User) bool {
	c := classify(route, r)
	if c == limitNone {
		return false
	}
	ok, wait := s.limiter.allow(r.Context(), u.ID, c)
	if ok {
		return false
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.fail(w, r, &xinlu.Error{Code: xinlu.ETOOMANYREQUESTS, Key: "error.rate_limited", Args: []any{secs}})
	return true
}
