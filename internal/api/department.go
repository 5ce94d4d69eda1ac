package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *API) departmentRoutes() []Route {
	return []Route{
		{"GET", "/departments", xinlu.PermOrgView, a.handle(a.listDepartments)},
		{"POST", "/departments", xinlu.PermOrgManage, a.handle(a.createDepartment)},
		{"GET", "/departments/{id}", xinlu.PermOrgView, a.handle(a.getDepartment)},
		{"PUT", "/departments/{id}", xinlu.PermOrgManage, a.handle(a.updateDepartment)},
		{"DELETE", "/departments/{id}", xinlu.PermOrgManage, a.deleter(a.store.DeleteDepartment)},
	}
}

// DepartmentJSON is a department as the API shows it.
type DepartmentJSON struct {
	ID          int64     `json:"id"`
	ZoneID      int64     `json:"zone_id"`
	ParentID    int64     `json:"parent_id"`
	ParentName  string    `json:"parent_name"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	SortOrder   int       `json:"sort_order"`
	MemberCount int       `json:"member_count"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func departmentJSON(d *xinlu.Department) DepartmentJSON {
	return DepartmentJSON{ID: d.ID, ZoneID: d.ZoneID, ParentID: d.ParentID, ParentName: d.ParentName, Code: d.Code,
		Name: d.Name, SortOrder: d.SortOrder, MemberCount: d.MemberCount, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// departmentInput is the body of create and update.
type departmentInput struct {
	ParentID  int64  `json:"parent_id"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	SortOrder int    `json:"sort_order"`
	Version   *int   `json:"version"`
}

func (a *API) listDepartments(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	parent, err := queryInt64(r, "parent_id")
	if err != nil {
		return err
	}
	ds, total, err := a.store.ListDepartments(r.Context(), store.DepartmentFilter{
		ZoneID: user(r).ZoneID, Query: r.URL.Query().Get("q"), ParentID: parent, Page: p})
	if err != nil {
		return err
	}
	out := make([]DepartmentJSON, len(ds))
	for i, d := range ds {
		out[i] = departmentJSON(d)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.store.DepartmentByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, departmentJSON(d))
	return nil
}

func (a *API) createDepartment(w http.ResponseWriter, r *http.Request) error {
	var in departmentInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d := &xinlu.Department{ZoneID: user(r).ZoneID, ParentID: in.ParentID, Code: in.Code, Name: in.Name, SortOrder: in.SortOrder}
	if err := a.store.CreateDepartment(r.Context(), actor(r), d); err != nil {
		return err
	}
	d, err := a.store.DepartmentByID(r.Context(), d.ZoneID, d.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, departmentJSON(d))
	return nil
}

func (a *API) updateDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.DepartmentByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := departmentInput{ParentID: old.ParentID, Code: old.Code, Name: old.Name, SortOrder: old.SortOrder}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	d := &xinlu.Department{ID: id, ZoneID: user(r).ZoneID, ParentID: in.ParentID, Code: in.Code, Name: in.Name,
		SortOrder: in.SortOrder, Version: v}
	if err := a.store.UpdateDepartment(r.Context(), actor(r), d); err != nil {
		return err
	}
	d, err = a.store.DepartmentByID(r.Context(), d.ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, departmentJSON(d))
	return nil
}
