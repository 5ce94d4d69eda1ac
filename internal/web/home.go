package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) homeRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/{$}", Perm: xinlu.PermSignedIn, Handler: s.home},
		{Method: "GET", Pattern: "/profile", Perm: xinlu.PermSignedIn, Handler: s.profile},
	}
}

type homeView struct {
	Summary store.ZoneSummary
	Today   string
}

// today is the current date in the zone's time.
func (s *Server) today() time.Time {
	y, m, d := s.store.Now().In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	today := s.today()
	sum, err := s.store.Summary(r.Context(), u.ZoneID, today.Format(xinlu.DateLayout), today.AddDate(0, 0, 60).Format(xinlu.DateLayout))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", s.printer(r).T("nav.home"), homeView{Summary: sum, Today: today.Format(xinlu.DateLayout)})
}

type profileView struct {
	Tokens []store.Session
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	tokens, err := s.store.ListTokens(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "profile", s.printer(r).T("nav.profile"), profileView{Tokens: tokens})
}

// healthz answers 503 (with Retry-After) when the database does not answer
// and 200 when it does. The body says why: "status" is "ok", "degraded" or
// "unavailable"; "disk" is "ok" or "low" for a SQLite database (free space
// on its filesystem under Config.DiskLowBytes, 100 MB by default, or under
// 1% of the filesystem) and "unchecked" on PostgreSQL, whose disk is the
// database server's. A low disk is "degraded" but still 200: the server
// answers, and writes will soon fail with 503; monitoring alerts on any
// status but "ok".
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		w.Header().Set("Retry-After", api.RetryAfter)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unavailable","database":"down"}` + "\n"))
		return
	}
	out := struct {
		Status     string `json:"status"`
		Database   string `json:"database"`
		Disk       string `json:"disk"`
		DiskFreeMB *int64 `json:"disk_free_mb,omitempty"`
	}{Status: "ok", Database: "up", Disk: "unchecked"}
	if free, total, ok := s.store.DiskSpace(); ok {
		mb := int64(free >> 20)
		out.Disk, out.DiskFreeMB = "ok", &mb
		if free < max(s.cfg.DiskLowBytes, total/100) {
			out.Status, out.Disk = "degraded", "low"
			s.log.Warn("health check: the database's disk is almost full", "free_mb", mb, "total_mb", total>>20)
		}
	}
	b, _ := json.Marshal(out)
	w.Write(append(b, '\n'))
}
