package api

import (
	"net/http"

	"xinlu/internal/xinlu"
)

func (a *API) castingRoutes() []Route {
	return []Route{
		{"GET", "/casting/capacity", xinlu.PermLandView, a.handle(a.listCasting)},
		{"POST", "/casting/capacity", xinlu.PermLandManage, a.handle(a.createCasting)},
		{"PUT", "/casting/capacity/{id}", xinlu.PermLandManage, a.handle(a.updateCasting)},
		{"GET", "/casting/plans", xinlu.PermLandView, a.handle(a.listCastingPlans)},
		{"POST", "/casting/plans", xinlu.PermLandManage, a.handle(a.createCastingPlan)},
		{"POST", "/casting/plans/{id}/claim", xinlu.PermLandManage, a.handle(a.claimCasting)},
		{"POST", "/casting/plans/{id}/move", xinlu.PermLandManage, a.handle(a.moveCastingPlan)},
		{"GET", "/casting/settings", xinlu.PermLandView, a.handle(a.getCastingSettings)},
		{"PUT", "/casting/settings", xinlu.PermLandManage, a.handle(a.putCastingSettings)},
	}
}

// CastingJSON is a casting capacity register entry.
type CastingJSON struct {
	ID         int64   `json:"id"`
	Enterprise string  `json:"enterprise"`
	Process    string  `json:"process"`
	Tonnes     float64 `json:"tonnes"`
	Status     string  `json:"status"`
	RetiredOn  string  `json:"retired_on"`
	Verified   bool    `json:"verified"`
	VerifyNote string  `json:"verify_note"`
	PlanID     int64   `json:"plan_id"`
	Version    int     `json:"version"`
}

func castingJSON(c xinlu.CastingCapacity) CastingJSON {
	return CastingJSON{ID: c.ID, Enterprise: c.Enterprise, Process: c.Process, Tonnes: c.Tonnes, Status: string(c.Status), RetiredOn: c.RetiredOn,
		Verified: c.Verified, VerifyNote: c.VerifyNote, PlanID: c.PlanID, Version: c.Version}
}

func (a *API) listCasting(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.store.CastingRegister(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	out := make([]CastingJSON, len(cs))
	for i, c := range cs {
		out[i] = castingJSON(c)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

type castingInput struct {
	Enterprise string  `json:"enterprise"`
	Process    string  `json:"process"`
	Tonnes     float64 `json:"tonnes"`
	Status     string  `json:"status"`
	RetiredOn  string  `json:"retired_on"`
	Verified   bool    `json:"verified"`
	VerifyNote string  `json:"verify_note"`
	Version    *int    `json:"version"`
}

func (in castingInput) record(zone int64) *xinlu.CastingCapacity {
	return &xinlu.CastingCapacity{ZoneID: zone, Enterprise: in.Enterprise, Process: in.Process, Tonnes: in.Tonnes, Status: xinlu.CastingStatus(in.Status),
		RetiredOn: in.RetiredOn, Verified: in.Verified, VerifyNote: in.VerifyNote}
}

func (a *API) createCasting(w http.ResponseWriter, r *http.Request) error {
	var in castingInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c := in.record(user(r).ZoneID)
	if err := a.store.CreateCasting(r.Context(), actor(r), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, castingJSON(*c))
	return nil
}

func (a *API) updateCasting(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.CastingByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := castingInput{Enterprise: old.Enterprise, Process: old.Process, Tonnes: old.Tonnes, Status: string(old.Status), RetiredOn: old.RetiredOn,
		Verified: old.Verified, VerifyNote: old.VerifyNote}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	c := in.record(old.ZoneID)
	c.ID, c.Version = id, v
	if err := a.store.UpdateCasting(r.Context(), actor(r), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, castingJSON(*c))
	return nil
}

// CastingPlanJSON is a replacement plan with the capacity it counts.
type CastingPlanJSON struct {
	ID             int64         `json:"id"`
	ProjectID      int64         `json:"project_id"`
	ProjectName    string        `json:"project_name"`
	NewTonnes      float64       `json:"new_tonnes"`
	Ratio          float64       `json:"ratio"`
	RequiredTonnes float64       `json:"required_tonnes"`
	ClaimedTonnes  float64       `json:"claimed_tonnes"`
	RatioHolds     bool          `json:"ratio_holds"`
	Status         string        `json:"status"`
	Note           string        `json:"note"`
	Claimed        []CastingJSON `json:"claimed"`
	Version        int           `json:"version"`
}

func castingPlanJSON(p *xinlu.ReplacementPlan) CastingPlanJSON {
	out := CastingPlanJSON{ID: p.ID, ProjectID: p.ProjectID, ProjectName: p.ProjectName, NewTonnes: p.NewTonnes, Ratio: p.Ratio,
		RequiredTonnes: p.RequiredTonnes(), ClaimedTonnes: p.ClaimedTonnes(), RatioHolds: p.RatioHolds(), Status: string(p.Status), Note: p.Note,
		Claimed: []CastingJSON{}, Version: p.Version}
	for _, c := range p.Claimed {
		out.Claimed = append(out.Claimed, castingJSON(c))
	}
	return out
}

func (a *API) writePlan(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	plans, err := a.store.CastingPlans(r.Context(), user(r).ZoneID, 0)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.ID == id {
			writeJSON(w, status, castingPlanJSON(p))
			return nil
		}
	}
	return xinlu.NotFound("error.not_found")
}

func (a *API) listCastingPlans(w http.ResponseWriter, r *http.Request) error {
	plans, err := a.store.CastingPlans(r.Context(), user(r).ZoneID, 0)
	if err != nil {
		return err
	}
	out := make([]CastingPlanJSON, len(plans))
	for i, p := range plans {
		out[i] = castingPlanJSON(p)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) createCastingPlan(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		ProjectID int64   `json:"project_id"`
		NewTonnes float64 `json:"new_tonnes"`
		Note      string  `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	p := &xinlu.ReplacementPlan{ZoneID: user(r).ZoneID, ProjectID: in.ProjectID, NewTonnes: in.NewTonnes, Note: in.Note}
	if err := a.store.CreateCastingPlan(r.Context(), actor(r), p); err != nil {
		return err
	}
	return a.writePlan(w, r, http.StatusCreated, p.ID)
}

func (a *API) claimCasting(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Version     *int    `json:"version"`
		CapacityIDs []int64 `json:"capacity_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	if _, err := a.store.ClaimCapacity(r.Context(), actor(r), user(r).ZoneID, id, v, in.CapacityIDs); err != nil {
		return err
	}
	return a.writePlan(w, r, http.StatusOK, id)
}

func (a *API) moveCastingPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Version *int   `json:"version"`
		Status  string `json:"status"`
		Note    string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	if _, err := a.store.MoveCastingPlan(r.Context(), actor(r), user(r).ZoneID, id, v, xinlu.PlanStatus(in.Status), in.Note); err != nil {
		return err
	}
	return a.writePlan(w, r, http.StatusOK, id)
}

type castingSettingsJSON struct {
	Ratio float64 `json:"ratio"`
}

func (a *API) getCastingSettings(w http.ResponseWriter, r *http.Request) error {
	ratio, err := a.store.CastingRatio(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, castingSettingsJSON{Ratio: ratio})
	return nil
}

func (a *API) putCastingSettings(w http.ResponseWriter, r *http.Request) error {
	var in castingSettingsJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.store.SetCastingRatio(r.Context(), actor(r), user(r).ZoneID, in.Ratio); err != nil {
		return err
	}
	return a.getCastingSettings(w, r)
}
