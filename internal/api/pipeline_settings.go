package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Pipeline settings (招商流程设置): the zone's deadlines in working days, the
// thresholds of its deadline lights and escalation, and its approval
// checklist template. Reading needs PermOrgView, which every role with
// PermProjectView holds and so does the system administrator (who lacks
// PermProjectView); changing needs PermOrgManage.
func (a *API) pipelineSettingsRoutes() []Route {
	return []Route{
		{"GET", "/settings/pipeline", xinlu.PermOrgView, a.handle(a.getPipelineSettings)},
		{"PUT", "/settings/pipeline", xinlu.PermOrgManage, a.handle(a.savePipelineSettings)},
		{"GET", "/settings/pipeline/approvals", xinlu.PermOrgView, a.handle(a.listApprovalTemplates)},
		{"POST", "/settings/pipeline/approvals", xinlu.PermOrgManage, a.handle(a.createApprovalTemplate)},
		{"PUT", "/settings/pipeline/approvals/{id}", xinlu.PermOrgManage, a.handle(a.updateApprovalTemplate)},
		{"DELETE", "/settings/pipeline/approvals/{id}", xinlu.PermOrgManage, a.handle(a.deleteApprovalTemplate)},
	}
}

// PipelineSettingsJSON is a zone's pipeline deadlines and the thresholds
// of its lights and escalation, in working days; Custom is false while the
// zone uses the defaults.
type PipelineSettingsJSON struct {
	ScreeningDays     int        `json:"screening_days"`
	PackagingDays     int        `json:"packaging_days"`
	ProgressDays      int        `json:"progress_days"`
	YellowWithinDays  int        `json:"yellow_within_days"`
	SponsorAfterDays  int        `json:"sponsor_after_days"`
	DirectorAfterDays int        `json:"director_after_days"`
	Custom            bool       `json:"custom"`
	Version           int        `json:"version"`
	UpdatedAt         *time.Time `json:"updated_at"`
}

func pipelineSettingsJSON(st store.PipelineSettings) PipelineSettingsJSON {
	out := PipelineSettingsJSON{ScreeningDays: st.ScreeningDays, PackagingDays: st.PackagingDays, ProgressDays: st.ProgressDays,
		YellowWithinDays: st.Light.YellowWithin, SponsorAfterDays: st.Light.SponsorAfter, DirectorAfterDays: st.Light.DirectorAfter,
		Custom: !st.UpdatedAt.IsZero(), Version: st.Version}
	if out.Custom {
		out.UpdatedAt = &st.UpdatedAt
	}
	return out
}

// pipelineSettingsInput is a save. The three light thresholds may be left
// out (clients written before they could be changed send only the
// deadlines): each one left out keeps the zone's current value.
type pipelineSettingsInput struct {
	ScreeningDays     int  `json:"screening_days"`
	PackagingDays     int  `json:"packaging_days"`
	ProgressDays      int  `json:"progress_days"`
	YellowWithinDays  *int `json:"yellow_within_days"`
	SponsorAfterDays  *int `json:"sponsor_after_days"`
	DirectorAfterDays *int `json:"director_after_days"`
	Version           *int `json:"version"`
}

func (a *API) getPipelineSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := a.store.PipelineSettings(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pipelineSettingsJSON(st))
	return nil
}

func (a *API) savePipelineSettings(w http.ResponseWriter, r *http.Request) error {
	// What the body leaves out keeps its value. A version that is not
	// current fails the save below, so the values kept are those of the
	// version the client sent.
	old, err := a.store.PipelineSettings(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	in := pipelineSettingsInput{ScreeningDays: old.ScreeningDays, PackagingDays: old.PackagingDays, ProgressDays: old.ProgressDays,
		YellowWithinDays: &old.Light.YellowWithin, SponsorAfterDays: &old.Light.SponsorAfter, DirectorAfterDays: &old.Light.DirectorAfter}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	st := &store.PipelineSettings{ScreeningDays: in.ScreeningDays, PackagingDays: in.PackagingDays, ProgressDays: in.ProgressDays, Version: v,
		Light: old.Light}
	st.Light.YellowWithin, st.Light.SponsorAfter, st.Light.DirectorAfter = *in.YellowWithinDays, *in.SponsorAfterDays, *in.DirectorAfterDays
	if err := a.store.SavePipelineSettings(r.Context(), actor(r), user(r), st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pipelineSettingsJSON(*st))
	return nil
}

// ApprovalTemplateJSON is one item of a zone's approval checklist
// template. Position is its place in the list, from 1.
type ApprovalTemplateJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	LimitDays int    `json:"limit_days"`
	Position  int    `json:"position"`
	Version   int    `json:"version"`
}

// ApprovalTemplateListJSON is the template: while Custom is false the zone
// uses the built-in template and ids are positions; the first change copies
// it into the zone and the items get ids of their own.
type ApprovalTemplateListJSON struct {
	Custom bool                   `json:"custom"`
	Items  []ApprovalTemplateJSON `json:"items"`
	Total  int                    `json:"total"`
}

func approvalTemplateListJSON(l store.ApprovalTemplateList) ApprovalTemplateListJSON {
	out := ApprovalTemplateListJSON{Custom: l.Custom, Items: make([]ApprovalTemplateJSON, len(l.Items)), Total: len(l.Items)}
	for i, t := range l.Items {
		out.Items[i] = ApprovalTemplateJSON{ID: t.ID, Name: t.Name, LimitDays: t.LimitDays, Position: i + 1, Version: t.Version}
	}
	return out
}

// approvalTemplateAt answers with item id as it now stands in the zone's
// template, its position included.
func (a *API) approvalTemplateAt(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	l, err := a.store.ApprovalTemplates(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	for _, it := range approvalTemplateListJSON(l).Items {
		if it.ID == id {
			writeJSON(w, status, it)
			return nil
		}
	}
	return xinlu.NotFound("error.not_found") // deleted meanwhile
}

type approvalTemplateInput struct {
	Name      string `json:"name"`
	LimitDays int    `json:"limit_days"`
	Position  int    `json:"position"` // update only; 0 keeps the place
	Version   *int   `json:"version"`
}

func (a *API) listApprovalTemplates(w http.ResponseWriter, r *http.Request) error {
	l, err := a.store.ApprovalTemplates(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, approvalTemplateListJSON(l))
	return nil
}

func (a *API) createApprovalTemplate(w http.ResponseWriter, r *http.Request) error {
	var in approvalTemplateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Position != 0 || in.Version != nil {
		field := "position"
		if in.Version != nil {
			field = "version"
		}
		return xinlu.Invalid(field, "error.json_unknown_field")
	}
	t := &store.ApprovalTemplate{Name: in.Name, LimitDays: in.LimitDays}
	if err := a.store.AddApprovalTemplate(r.Context(), actor(r), user(r), t); err != nil {
		return err
	}
	return a.approvalTemplateAt(w, r, http.StatusCreated, t.ID)
}

func (a *API) updateApprovalTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := a.store.ApprovalTemplates(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	var in approvalTemplateInput // a position left out keeps the item's place
	found := false
	for _, it := range approvalTemplateListJSON(l).Items {
		if it.ID == id {
			in.Name, in.LimitDays, found = it.Name, it.LimitDays, true
		}
	}
	if !found {
		return xinlu.NotFound("error.not_found")
	}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	t := &store.ApprovalTemplate{ID: id, Name: in.Name, LimitDays: in.LimitDays, Version: v}
	if err := a.store.UpdateApprovalTemplate(r.Context(), actor(r), user(r), t, in.Position); err != nil {
		return err
	}
	return a.approvalTemplateAt(w, r, http.StatusOK, t.ID)
}

func (a *API) deleteApprovalTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := queryInt64(r, "version")
	if err != nil {
		return err
	}
	if err := a.store.DeleteApprovalTemplate(r.Context(), actor(r), user(r), id, int(version)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
