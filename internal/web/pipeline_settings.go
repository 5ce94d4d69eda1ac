package web

import (
	"net/http"
	"strconv"
	"strings"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Pipeline settings (招商流程设置): the zone's deadlines, the thresholds of
// its lights and escalation, and its approval checklist template on one
// page. Everyone who works the pipeline may look (PermOrgView: every role
// with PermProjectView holds it, and so does the system administrator, who
// lacks PermProjectView); the system administrator changes them
// (PermOrgManage).

const pipelineSettingsPath = "/settings/pipeline"

func (s *Server) pipelineSettingsRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: pipelineSettingsPath, Perm: xinlu.PermOrgView, Handler: s.pipelineSettings},
		{Method: "POST", Pattern: pipelineSettingsPath, Perm: xinlu.PermOrgManage, Handler: s.pipelineSettingsSave},
		{Method: "POST", Pattern: pipelineSettingsPath + "/approvals", Perm: xinlu.PermOrgManage, Handler: s.approvalTemplateAdd},
		{Method: "POST", Pattern: pipelineSettingsPath + "/approvals/{id}", Perm: xinlu.PermOrgManage, Handler: s.approvalTemplateUpdate},
		{Method: "POST", Pattern: pipelineSettingsPath + "/approvals/{id}/delete", Perm: xinlu.PermOrgManage, Handler: s.approvalTemplateDelete},
		{Method: "POST", Pattern: pipelineSettingsPath + "/approvals/{id}/move", Perm: xinlu.PermOrgManage, Handler: s.approvalTemplateMove},
	}
}

// pipelineSettingsView is the page: the deadlines and light thresholds
// form (values as typed when it comes back with an error) and the template
// table, where the row (or the add form, ItemID 0) that failed keeps what
// was typed.
type pipelineSettingsView struct {
	S                                   store.PipelineSettings
	Screening, Packaging, Progress      string
	Yellow, SponsorAfter, DirectorAfter string
	Err                                 error            // of the deadlines form
	Rules                               xinlu.LightRules // as stored, for the summary

	Templates store.ApprovalTemplateList
	ItemErr   error // of a template action
	ItemID    int64 // the row ItemErr belongs to; 0 is the add form
	Name      string
	Limit     string

	CanManage bool
}

// RowName and RowLimit are a template row's values: as typed in the row
// that failed, else as stored.
func (v *pipelineSettingsView) RowName(t store.ApprovalTemplate) string {
	if v.ItemErr != nil && v.ItemID == t.ID {
		return v.Name
	}
	return t.Name
}

func (v *pipelineSettingsView) RowLimit(t store.ApprovalTemplate) string {
	if v.ItemErr != nil && v.ItemID == t.ID {
		return v.Limit
	}
	return strconv.Itoa(t.LimitDays)
}

// AddName and AddLimit are the add form's values after a failed add.
func (v *pipelineSettingsView) AddName() string {
	if v.ItemErr != nil && v.ItemID == 0 {
		return v.Name
	}
	return ""
}

func (v *pipelineSettingsView) AddLimit() string {
	if v.ItemErr != nil && v.ItemID == 0 {
		return v.Limit
	}
	return ""
}

// RowErr is the message of a field error of row id ("" for others).
func (v *pipelineSettingsView) RowErr(id int64) error {
	if v.ItemErr != nil && v.ItemID == id {
		return v.ItemErr
	}
	return nil
}

// Last is the index of the last template row, for the move buttons.
func (v *pipelineSettingsView) Last() int { return len(v.Templates.Items) - 1 }

// pipelineSettingsPage renders the page with v, reading from the store
// what the caller did not fill in.
func (s *Server) pipelineSettingsPage(w http.ResponseWriter, r *http.Request, status int, v *pipelineSettingsView) {
	u := requestInfo(r.Context()).user
	st, err := s.store.PipelineSettings(r.Context(), u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.Err == nil {
		v.S = st
		v.Screening, v.Packaging, v.Progress = strconv.Itoa(st.ScreeningDays), strconv.Itoa(st.PackagingDays), strconv.Itoa(st.ProgressDays)
		v.Yellow = strconv.Itoa(st.Light.YellowWithin)
		v.SponsorAfter, v.DirectorAfter = strconv.Itoa(st.Light.SponsorAfter), strconv.Itoa(st.Light.DirectorAfter)
	} else {
		v.S.UpdatedAt = st.UpdatedAt
	}
	if v.Templates, err = s.store.ApprovalTemplates(r.Context(), u.ZoneID); err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Rules, v.CanManage = st.Light, u.Can(xinlu.PermOrgManage)
	s.render(w, r, status, "pipeline_settings", s.printer(r).T("pipeline_settings.title"), v)
}

func (s *Server) pipelineSettings(w http.ResponseWriter, r *http.Request) {
	s.pipelineSettingsPage(w, r, http.StatusOK, &pipelineSettingsView{})
}

func (s *Server) pipelineSettingsSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	v := &pipelineSettingsView{
		Screening: strings.TrimSpace(r.PostFormValue("screening_days")),
		Packaging: strings.TrimSpace(r.PostFormValue("packaging_days")),
		Progress:  strings.TrimSpace(r.PostFormValue("progress_days")),

		Yellow:        strings.TrimSpace(r.PostFormValue("yellow_within_days")),
		SponsorAfter:  strings.TrimSpace(r.PostFormValue("sponsor_after_days")),
		DirectorAfter: strings.TrimSpace(r.PostFormValue("director_after_days")),
	}
	st := &v.S
	err := func() error {
		var errs xinlu.FieldErrors
		days := func(name string) int {
			n, err := formDays(r, name)
			errs.Add(err)
			return n
		}
		st.ScreeningDays, st.PackagingDays, st.ProgressDays = days("screening_days"), days("packaging_days"), days("progress_days")
		st.Light.YellowWithin, st.Light.SponsorAfter, st.Light.DirectorAfter = days("yellow_within_days"), days("sponsor_after_days"), days("director_after_days")
		st.Version = intField(r, &errs, "version")
		if err := withValidation(errs, func() error { c := *st; return c.Validate() }); err != nil {
			return err
		}
		return s.store.SavePipelineSettings(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, st)
	}()
	s.afterSave(w, r, err, func(status int, err error) {
		v.Err = err
		s.pipelineSettingsPage(w, r, status, v)
	}, "flash.updated", pipelineSettingsPath)
}

// formDays reads a required whole number of working days.
func formDays(r *http.Request, name string) (int, error) {
	if strings.TrimSpace(r.PostFormValue(name)) == "" {
		return 0, xinlu.Invalid(name, "error.required")
	}
	return formInt(r, name)
}

// templateFromForm reads an item's name, limit and version; v keeps them
// as typed for the page.
func templateFromForm(r *http.Request, v *pipelineSettingsView, t *store.ApprovalTemplate) error {
	v.Name, v.Limit = r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("limit_days"))
	t.Name = v.Name
	var errs xinlu.FieldErrors
	var err error
	t.LimitDays, err = formDays(r, "limit_days")
	errs.Add(err)
	t.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { return store.ValidateApprovalTemplate(*t) })
}

// afterTemplate ends a template action: back to the page with a flash, the
// page again with the error beside the row for a bad value or a conflict,
// an error page otherwise.
func (s *Server) afterTemplate(w http.ResponseWriter, r *http.Request, err error, v *pipelineSettingsView, flashKey string) {
	s.afterSave(w, r, err, func(status int, err error) {
		v.ItemErr = err
		s.pipelineSettingsPage(w, r, status, v)
	}, flashKey, pipelineSettingsPath+"#approvals")
}

func (s *Server) approvalTemplateAdd(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	v := &pipelineSettingsView{}
	t := &store.ApprovalTemplate{}
	err := templateFromForm(r, v, t)
	if err == nil {
		err = s.store.AddApprovalTemplate(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, t)
	}
	s.afterTemplate(w, r, err, v, "flash.created")
}

func (s *Server) approvalTemplateUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := &pipelineSettingsView{ItemID: id}
	t := &store.ApprovalTemplate{ID: id}
	err = templateFromForm(r, v, t)
	if err == nil {
		err = s.store.UpdateApprovalTemplate(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, t, 0)
	}
	s.afterTemplate(w, r, err, v, "flash.updated")
}

func (s *Server) approvalTemplateDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		err = s.store.DeleteApprovalTemplate(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version)
	}
	s.afterTemplate(w, r, err, &pipelineSettingsView{ItemID: -1}, "flash.deleted")
}

func (s *Server) approvalTemplateMove(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		_, err = s.store.MoveApprovalTemplate(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, r.FormValue("dir"))
	}
	s.afterTemplate(w, r, err, &pipelineSettingsView{ItemID: -1}, "flash.updated")
}
