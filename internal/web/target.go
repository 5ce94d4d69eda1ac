package web

import (
	"net/http"
	"strconv"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) targetRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/targets", Perm: xinlu.PermLandView, Handler: s.targetsPage},
		{Method: "POST", Pattern: "/targets", Perm: xinlu.PermLandManage, Handler: s.targetCreate},
		{Method: "POST", Pattern: "/targets/{id}/target", Perm: xinlu.PermLandManage, Handler: s.targetSet},
		{Method: "POST", Pattern: "/targets/{id}/actual", Perm: xinlu.PermLandManage, Handler: s.targetActual},
	}
}

type targetSet struct {
	Set  string
	Rows []store.TargetRow
}

type targetsView struct {
	Year      int
	Years     []int
	Sets      []targetSet
	AllSets   []string
	Sources   []string
	CanManage bool
	Month     int
	Err       error
}

// Pct is a progress share as a whole percentage for the bar.
func (targetsView) Pct(share float64) int { return int(share*100 + 0.5) }

func (s *Server) targetsPage(w http.ResponseWriter, r *http.Request) {
	s.targetsRender(w, r, http.StatusOK, nil)
}

func (s *Server) targetsRender(w http.ResponseWriter, r *http.Request, status int, err error) {
	u := requestInfo(r.Context()).user
	today := s.today()
	v := targetsView{Year: today.Year(), AllSets: xinlu.TargetSets, Sources: xinlu.TargetSources, CanManage: u.Can(xinlu.PermLandManage),
		Month: int(today.Month()), Err: err}
	if y, perr := strconv.Atoi(r.URL.Query().Get("year")); perr == nil && y >= 2000 && y <= 2100 {
		v.Year = y
	}
	for y := today.Year() + 1; y >= today.Year()-3; y-- {
		v.Years = append(v.Years, y)
	}
	rows, lerr := s.store.Targets(r.Context(), u.ZoneID, v.Year)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	for _, set := range xinlu.TargetSets {
		ts := targetSet{Set: set}
		for _, row := range rows {
			if row.Set == set {
				ts.Rows = append(ts.Rows, row)
			}
		}
		if len(ts.Rows) > 0 {
			v.Sets = append(v.Sets, ts)
		}
	}
	s.render(w, r, status, "targets", s.printer(r).T("target.title"), v)
}

func (s *Server) targetsDone(w http.ResponseWriter, r *http.Request, err error, flash string) {
	back := "/targets"
	if y := r.PostFormValue("year"); y != "" {
		back += "?year=" + y
	}
	s.afterSave(w, r, err, func(status int, err error) { s.targetsRender(w, r, status, err) }, flash, back)
}

func (s *Server) targetCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	t := &xinlu.TargetIndicator{ZoneID: info.user.ZoneID, Set: r.PostFormValue("set"), Name: r.PostFormValue("name"), Unit: r.PostFormValue("unit"),
		Source: r.PostFormValue("source"), LowerGood: r.PostFormValue("lower_good") == "1", Cumulative: r.PostFormValue("cumulative") == "1"}
	s.targetsDone(w, r, s.store.CreateIndicator(r.Context(), xinlu.ActorOf(info.user, info.ip), t), "flash.created")
}

func (s *Server) targetSet(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	year, target := intField(r, &errs, "year"), floatField(r, &errs, "target")
	err = errs.Err()
	if err == nil {
		err = s.store.SetTarget(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, year, target)
	}
	s.targetsDone(w, r, err, "flash.updated")
}

func (s *Server) targetActual(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	year, month, value := intField(r, &errs, "year"), intField(r, &errs, "month"), floatField(r, &errs, "value")
	err = errs.Err()
	if err == nil {
		err = s.store.EnterActual(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, year, month, value)
	}
	s.targetsDone(w, r, err, "flash.updated")
}
