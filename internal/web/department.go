package web

import (
	"net/http"
	"strconv"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) departmentRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/departments", Perm: xinlu.PermOrgView, Handler: s.departmentList},
		{Method: "GET", Pattern: "/departments/new", Perm: xinlu.PermOrgManage, Handler: s.departmentNew},
		{Method: "POST", Pattern: "/departments", Perm: xinlu.PermOrgManage, Handler: s.departmentCreate},
		{Method: "GET", Pattern: "/departments/{id}/edit", Perm: xinlu.PermOrgManage, Handler: s.departmentEdit},
		{Method: "POST", Pattern: "/departments/{id}", Perm: xinlu.PermOrgManage, Handler: s.departmentUpdate},
		{Method: "POST", Pattern: "/departments/{id}/delete", Perm: xinlu.PermOrgManage, Handler: s.deleter(s.store.DeleteDepartment, "/departments")},
	}
}

type departmentListView struct {
	Query   string
	Items   []*xinlu.Department
	Pager   pager
	CanEdit bool
}

func (s *Server) departmentList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	q := r.URL.Query().Get("q")
	items, total, err := s.store.ListDepartments(r.Context(), store.DepartmentFilter{ZoneID: u.ZoneID, Query: q, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "departments", s.printer(r).T("nav.departments"), departmentListView{
		Query: q, Items: items, Pager: newPager(r, p, total), CanEdit: u.Can(xinlu.PermOrgManage)})
}

type departmentFormView struct {
	D       *xinlu.Department
	Parents []*xinlu.Department
	Err     error
}

func (s *Server) departmentForm(w http.ResponseWriter, r *http.Request, status int, d *xinlu.Department, err error) {
	parents, lerr := s.store.AllDepartments(r.Context(), d.ZoneID)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	// A department cannot sit under itself.
	var opts []*xinlu.Department
	for _, p := range parents {
		if p.ID != d.ID {
			opts = append(opts, p)
		}
	}
	title := "department.new"
	if d.ID != 0 {
		title = "department.edit"
	}
	s.render(w, r, status, "department_form", s.printer(r).T(title), departmentFormView{D: d, Parents: opts, Err: err})
}

func (s *Server) departmentNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	parent, _ := strconv.ParseInt(r.URL.Query().Get("parent_id"), 10, 64)
	s.departmentForm(w, r, http.StatusOK, &xinlu.Department{ZoneID: u.ZoneID, ParentID: parent}, nil)
}

// departmentFromForm parses the form; bad numbers come back as field errors.
func departmentFromForm(r *http.Request, d *xinlu.Department) error {
	d.Code, d.Name = r.PostFormValue("code"), r.PostFormValue("name")
	var errs xinlu.FieldErrors
	d.ParentID = int64Field(r, &errs, "parent_id")
	d.SortOrder = intField(r, &errs, "sort_order")
	d.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *d; return c.Validate() })
}

func (s *Server) departmentCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	d := &xinlu.Department{ZoneID: info.user.ZoneID}
	err := departmentFromForm(r, d)
	if err == nil {
		err = s.store.CreateDepartment(r.Context(), xinlu.ActorOf(info.user, info.ip), d)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		d.ID = 0
		s.departmentForm(w, r, status, d, err)
	}, "flash.created", "/departments")
}

func (s *Server) departmentEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d, err := s.store.DepartmentByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.departmentForm(w, r, http.StatusOK, d, nil)
}

func (s *Server) departmentUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := &xinlu.Department{ID: id, ZoneID: info.user.ZoneID}
	err = departmentFromForm(r, d)
	if err == nil {
		err = s.store.UpdateDepartment(r.Context(), xinlu.ActorOf(info.user, info.ip), d)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.departmentForm(w, r, status, d, err)
	}, "flash.updated", "/departments")
}
