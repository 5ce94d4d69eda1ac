package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *API) teamRoutes() []Route {
	return []Route{
		{"GET", "/teams", xinlu.PermOrgView, a.handle(a.listTeams)},
		{"POST", "/teams", xinlu.PermOrgManage, a.handle(a.createTeam)},
		{"GET", "/teams/{id}", xinlu.PermOrgView, a.handle(a.getTeam)},
		{"PUT", "/teams/{id}", xinlu.PermOrgManage, a.handle(a.updateTeam)},
		{"DELETE", "/teams/{id}", xinlu.PermOrgManage, a.deleter(a.store.DeleteTeam)},
		{"GET", "/teams/{id}/members", xinlu.PermOrgView, a.handle(a.listTeamMembers)},
		{"POST", "/teams/{id}/members", xinlu.PermOrgManage, a.handle(a.addTeamMember)},
		{"PUT", "/teams/{id}/members/{member_id}", xinlu.PermOrgManage, a.handle(a.setTeamLead)},
		{"DELETE", "/teams/{id}/members/{member_id}", xinlu.PermOrgManage, a.handle(a.removeTeamMember)},
	}
}

// TeamJSON is a team as the API shows it.
type TeamJSON struct {
	ID          int64          `json:"id"`
	ZoneID      int64          `json:"zone_id"`
	Kind        xinlu.TeamKind `json:"kind"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	MemberCount int            `json:"member_count"`
	Version     int            `json:"version"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

func teamJSON(t *xinlu.Team) TeamJSON {
	return TeamJSON{ID: t.ID, ZoneID: t.ZoneID, Kind: t.Kind, Name: t.Name, Description: t.Description,
		MemberCount: t.MemberCount, Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// TeamMemberJSON is one member of a team.
type TeamMemberJSON struct {
	TeamID         int64  `json:"team_id"`
	MemberID       int64  `json:"member_id"`
	Name           string `json:"name"`
	DepartmentName string `json:"department_name"`
	IsLead         bool   `json:"is_lead"`
}

func teamMemberJSON(tm *xinlu.TeamMember) TeamMemberJSON {
	return TeamMemberJSON{TeamID: tm.TeamID, MemberID: tm.MemberID, Name: tm.Name, DepartmentName: tm.DepartmentName, IsLead: tm.IsLead}
}

// teamInput is the body of create and update.
type teamInput struct {
	Kind        xinlu.TeamKind `json:"kind"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Version     *int           `json:"version"`
}

func (a *API) listTeams(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	kind := xinlu.TeamKind(r.URL.Query().Get("kind"))
	if kind != "" && !kind.Valid() {
		return xinlu.Invalid("kind", "error.invalid_choice")
	}
	ts, total, err := a.store.ListTeams(r.Context(), store.TeamFilter{
		ZoneID: user(r).ZoneID, Query: r.URL.Query().Get("q"), Kind: kind, Page: p})
	if err != nil {
		return err
	}
	out := make([]TeamJSON, len(ts))
	for i, t := range ts {
		out[i] = teamJSON(t)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := a.store.TeamByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, teamJSON(t))
	return nil
}

func (a *API) createTeam(w http.ResponseWriter, r *http.Request) error {
	var in teamInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t := &xinlu.Team{ZoneID: user(r).ZoneID, Kind: in.Kind, Name: in.Name, Description: in.Description}
	if err := a.store.CreateTeam(r.Context(), actor(r), t); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, teamJSON(t))
	return nil
}

func (a *API) updateTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.TeamByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := teamInput{Kind: old.Kind, Name: old.Name, Description: old.Description}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	t := &xinlu.Team{ID: id, ZoneID: user(r).ZoneID, Kind: in.Kind, Name: in.Name, Description: in.Description, Version: v}
	if err := a.store.UpdateTeam(r.Context(), actor(r), t); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, teamJSON(t))
	return nil
}

// listTeamMembers returns a team's members, leads first. A team has at most
// a few dozen, so the store reads them all and the page is cut here.
func (a *API) listTeamMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	ms, err := a.store.TeamMembers(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	total := len(ms)
	from, to := min(p.Offset(), total), min(p.Offset()+p.PerPage, total)
	out := make([]TeamMemberJSON, 0, to-from)
	for _, m := range ms[from:to] {
		out = append(out, teamMemberJSON(m))
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

// teamMemberInput is the body of adding a member and of marking a lead.
type teamMemberInput struct {
	MemberID int64 `json:"member_id"`
	IsLead   *bool `json:"is_lead"`
}

func (a *API) addTeamMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in teamMemberInput
	if err := decode(r, &in); err != nil {
		return err
	}
	tm := &xinlu.TeamMember{TeamID: id, MemberID: in.MemberID, IsLead: in.IsLead != nil && *in.IsLead}
	if err := a.store.AddTeamMember(r.Context(), actor(r), user(r).ZoneID, tm); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, teamMemberJSON(tm))
	return nil
}

func (a *API) setTeamLead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	memberID, err := pathID(r, "member_id")
	if err != nil {
		return err
	}
	var in struct {
		IsLead *bool `json:"is_lead"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.IsLead == nil {
		return xinlu.Invalid("is_lead", "error.required")
	}
	tm := &xinlu.TeamMember{TeamID: id, MemberID: memberID, IsLead: *in.IsLead}
	if err := a.store.SetTeamLead(r.Context(), actor(r), user(r).ZoneID, tm); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, teamMemberJSON(tm))
	return nil
}

func (a *API) removeTeamMember(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	memberID, err := pathID(r, "member_id")
	if err != nil {
		return err
	}
	if err := a.store.RemoveTeamMember(r.Context(), actor(r), user(r).ZoneID, id, memberID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
