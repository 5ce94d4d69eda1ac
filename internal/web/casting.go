package web

import (
	"net/http"
	"strconv"
	"strings"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) castingRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/casting", Perm: xinlu.PermLandView, Handler: s.castingPage},
		{Method: "POST", Pattern: "/casting/settings", Perm: xinlu.PermLandManage, Handler: s.castingRatioSave},
		{Method: "POST", Pattern: "/casting/capacity", Perm: xinlu.PermLandManage, Handler: s.castingCreate},
		{Method: "POST", Pattern: "/casting/capacity/{id}", Perm: xinlu.PermLandManage, Handler: s.castingUpdate},
		{Method: "POST", Pattern: "/casting/plans", Perm: xinlu.PermLandManage, Handler: s.castingPlanCreate},
		{Method: "POST", Pattern: "/casting/plans/{id}/claim", Perm: xinlu.PermLandManage, Handler: s.castingPlanClaim},
		{Method: "POST", Pattern: "/casting/plans/{id}/move", Perm: xinlu.PermLandManage, Handler: s.castingPlanMove},
	}
}

type castingView struct {
	Ratio     float64
	Register  []xinlu.CastingCapacity
	Free      []xinlu.CastingCapacity // not counted by any plan
	Plans     []*xinlu.ReplacementPlan
	Projects  []*store.ProjectRecord // casting projects, for a new plan
	Processes []string
	CanManage bool
	Today     string
	Err       error
}

// Next is the status a plan moves to next, "" at the end.
func (v castingView) Next(p *xinlu.ReplacementPlan) string {
	next := map[xinlu.PlanStatus]xinlu.PlanStatus{xinlu.PlanDraft: xinlu.PlanSubmitted, xinlu.PlanSubmitted: xinlu.PlanPublicity,
		xinlu.PlanPublicity: xinlu.PlanAnnounced, xinlu.PlanAnnounced: xinlu.PlanVerified, xinlu.PlanVerified: xinlu.PlanDone}
	return string(next[p.Status])
}

func (s *Server) castingPage(w http.ResponseWriter, r *http.Request) {
	s.castingRender(w, r, http.StatusOK, nil)
}

func (s *Server) castingRender(w http.ResponseWriter, r *http.Request, status int, err error) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	v := castingView{Processes: xinlu.CastingProcesses, CanManage: u.Can(xinlu.PermLandManage), Today: s.todayString(), Err: err}
	var lerr error
	if v.Ratio, lerr = s.store.CastingRatio(ctx, u.ZoneID); lerr == nil {
		if v.Register, lerr = s.store.CastingRegister(ctx, u.ZoneID); lerr == nil {
			if v.Plans, lerr = s.store.CastingPlans(ctx, u.ZoneID, 0); lerr == nil {
				v.Projects, _, lerr = s.store.ListProjects(ctx, store.ProjectFilter{ZoneID: u.ZoneID, Industry: "casting", Status: xinlu.ProjectActive,
					Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
			}
		}
	}
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	for _, c := range v.Register {
		if c.PlanID == 0 {
			v.Free = append(v.Free, c)
		}
	}
	s.render(w, r, status, "casting", s.printer(r).T("casting.title"), v)
}

func (s *Server) castingDone(w http.ResponseWriter, r *http.Request, err error, flash string) {
	s.afterSave(w, r, err, func(status int, err error) { s.castingRender(w, r, status, err) }, flash, "/casting")
}

func (s *Server) castingRatioSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	ratio := floatField(r, &errs, "ratio")
	err := errs.Err()
	if err == nil {
		err = s.store.SetCastingRatio(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, ratio)
	}
	s.castingDone(w, r, err, "flash.updated")
}

func castingFromForm(r *http.Request, errs *xinlu.FieldErrors, c *xinlu.CastingCapacity) {
	c.Enterprise, c.Process = r.PostFormValue("enterprise"), r.PostFormValue("process")
	c.Tonnes = floatField(r, errs, "tonnes")
	c.Status, c.RetiredOn = xinlu.CastingStatus(r.PostFormValue("status")), strings.TrimSpace(r.PostFormValue("retired_on"))
	c.Verified, c.VerifyNote = r.PostFormValue("verified") == "1", r.PostFormValue("verify_note")
}

func (s *Server) castingCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	c := &xinlu.CastingCapacity{ZoneID: info.user.ZoneID}
	castingFromForm(r, &errs, c)
	err := errs.Err()
	if err == nil {
		err = s.store.CreateCasting(r.Context(), xinlu.ActorOf(info.user, info.ip), c)
	}
	s.castingDone(w, r, err, "flash.created")
}

func (s *Server) castingUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old, err := s.store.CastingByID(r.Context(), info.user.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	c := *old
	c.Status, c.RetiredOn = xinlu.CastingStatus(r.PostFormValue("status")), strings.TrimSpace(r.PostFormValue("retired_on"))
	c.Verified, c.VerifyNote = r.PostFormValue("verified") == "1", r.PostFormValue("verify_note")
	if c.Status == xinlu.CastingActive {
		c.RetiredOn, c.Verified = "", false
	}
	c.Version = intField(r, &errs, "version")
	err = errs.Err()
	if err == nil {
		err = s.store.UpdateCasting(r.Context(), xinlu.ActorOf(info.user, info.ip), &c)
	}
	s.castingDone(w, r, err, "flash.updated")
}

func (s *Server) castingPlanCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	p := &xinlu.ReplacementPlan{ZoneID: info.user.ZoneID, ProjectID: int64Field(r, &errs, "project_id"), NewTonnes: floatField(r, &errs, "new_tonnes"),
		Note: r.PostFormValue("note")}
	err := errs.Err()
	if err == nil {
		err = s.store.CreateCastingPlan(r.Context(), xinlu.ActorOf(info.user, info.ip), p)
	}
	s.castingDone(w, r, err, "flash.created")
}

func (s *Server) castingPlanClaim(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	version := intField(r, &errs, "version")
	var ids []int64
	for _, v := range r.PostForm["capacity_ids"] {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			errs.Invalid("capacity_ids", "error.invalid_choice")
			break
		}
		ids = append(ids, n)
	}
	if len(ids) == 0 && errs.Err() == nil {
		errs.Invalid("capacity_ids", "error.required")
	}
	err = errs.Err()
	if err == nil {
		_, err = s.store.ClaimCapacity(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, version, ids)
	}
	s.castingDone(w, r, err, "flash.updated")
}

func (s *Server) castingPlanMove(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	version := intField(r, &errs, "version")
	err = errs.Err()
	if err == nil {
		_, err = s.store.MoveCastingPlan(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, version,
			xinlu.PlanStatus(r.PostFormValue("status")), r.PostFormValue("note"))
	}
	s.castingDone(w, r, err, "flash.updated")
}
