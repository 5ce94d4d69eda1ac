package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *API) parkRoutes() []Route {
	return []Route{
		{"GET", "/parks", xinlu.PermOrgView, a.handle(a.listParks)},
		{"POST", "/parks", xinlu.PermOrgManage, a.handle(a.createPark)},
		{"GET", "/parks/{id}", xinlu.PermOrgView, a.handle(a.getPark)},
		{"PUT", "/parks/{id}", xinlu.PermOrgManage, a.handle(a.updatePark)},
		{"DELETE", "/parks/{id}", xinlu.PermOrgManage, a.deleter(a.store.DeletePark)},
	}
}

// ParkJSON is a park as the API shows it; industries are codes.
type ParkJSON struct {
	ID          int64     `json:"id"`
	ZoneID      int64     `json:"zone_id"`
	Name        string    `json:"name"`
	AreaMu      int64     `json:"area_mu"`
	Industries  []string  `json:"industries"`
	Description string    `json:"description"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func parkJSON(p *xinlu.Park) ParkJSON {
	industries := p.Industries
	if industries == nil {
		industries = []string{}
	}
	return ParkJSON{ID: p.ID, ZoneID: p.ZoneID, Name: p.Name, AreaMu: p.AreaMu, Industries: industries,
		Description: p.Description, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// parkInput is the body of create and update.
type parkInput struct {
	Name        string   `json:"name"`
	AreaMu      int64    `json:"area_mu"`
	Industries  []string `json:"industries"`
	Description string   `json:"description"`
	Version     *int     `json:"version"`
}

func (a *API) listParks(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	industry := r.URL.Query().Get("industry")
	if industry != "" && !xinlu.ValidIndustry(industry) {
		return xinlu.Invalid("industry", "park.industry_unknown", industry)
	}
	ps, total, err := a.store.ListParks(r.Context(), store.ParkFilter{
		ZoneID: user(r).ZoneID, Query: r.URL.Query().Get("q"), Industry: industry, Page: p})
	if err != nil {
		return err
	}
	out := make([]ParkJSON, len(ps))
	for i, pk := range ps {
		out[i] = parkJSON(pk)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getPark(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.ParkByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, parkJSON(p))
	return nil
}

func (a *API) createPark(w http.ResponseWriter, r *http.Request) error {
	var in parkInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p := &xinlu.Park{ZoneID: user(r).ZoneID, Name: in.Name, AreaMu: in.AreaMu, Industries: in.Industries, Description: in.Description}
	if err := a.store.CreatePark(r.Context(), actor(r), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, parkJSON(p))
	return nil
}

func (a *API) updatePark(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.ParkByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := parkInput{Name: old.Name, AreaMu: old.AreaMu, Industries: old.Industries, Description: old.Description}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	p := &xinlu.Park{ID: id, ZoneID: user(r).ZoneID, Name: in.Name, AreaMu: in.AreaMu, Industries: in.Industries,
		Description: in.Description, Version: v}
	if err := a.store.UpdatePark(r.Context(), actor(r), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, parkJSON(p))
	return nil
}
