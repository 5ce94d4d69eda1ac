package web

import (
	"context"
	"net/http"
	"time"

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

// healthz answers 200 when the database answers, 503 when it does not.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unavailable","database":"down"}` + "\n"))
		return
	}
	w.Write([]byte(`{"status":"ok","database":"up"}` + "\n"))
}
