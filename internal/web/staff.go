package web

import (
	"net/http"
	"strconv"
	"strings"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// staffRoutes are positions, members, contracts and leaders' terms. Member
// records are read within the viewer's data scope (store.MemberFilter);
// writes are confined to the viewer's zone by the store.
func (s *Server) staffRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/positions", Perm: xinlu.PermOrgView, Handler: s.positionList},
		{Method: "GET", Pattern: "/positions/new", Perm: xinlu.PermOrgManage, Handler: s.positionNew},
		{Method: "POST", Pattern: "/positions", Perm: xinlu.PermOrgManage, Handler: s.positionCreate},
		{Method: "GET", Pattern: "/positions/{id}/edit", Perm: xinlu.PermOrgManage, Handler: s.positionEdit},
		{Method: "POST", Pattern: "/positions/{id}", Perm: xinlu.PermOrgManage, Handler: s.positionUpdate},
		{Method: "POST", Pattern: "/positions/{id}/delete", Perm: xinlu.PermOrgManage, Handler: s.deleter(s.store.DeletePosition, "/positions")},

		{Method: "GET", Pattern: "/members", Perm: xinlu.PermStaffView, Handler: s.memberList},
		{Method: "GET", Pattern: "/members/export.xlsx", Perm: xinlu.PermStaffExport, Handler: s.memberExport},
		{Method: "GET", Pattern: "/members/new", Perm: xinlu.PermStaffManage, Handler: s.memberNew},
		{Method: "POST", Pattern: "/members", Perm: xinlu.PermStaffManage, Handler: s.memberCreate},
		{Method: "GET", Pattern: "/members/{id}", Perm: xinlu.PermStaffView, Handler: s.memberShow},
		{Method: "GET", Pattern: "/members/{id}/edit", Perm: xinlu.PermStaffManage, Handler: s.memberEdit},
		{Method: "POST", Pattern: "/members/{id}", Perm: xinlu.PermStaffManage, Handler: s.memberUpdate},
		{Method: "POST", Pattern: "/members/{id}/delete", Perm: xinlu.PermStaffManage, Handler: s.deleter(s.store.DeleteMember, "/members")},

		{Method: "GET", Pattern: "/members/{id}/contracts/new", Perm: xinlu.PermStaffManage, Handler: s.contractNew},
		{Method: "POST", Pattern: "/members/{id}/contracts", Perm: xinlu.PermStaffManage, Handler: s.contractCreate},
		{Method: "GET", Pattern: "/contracts/{id}/edit", Perm: xinlu.PermStaffManage, Handler: s.contractEdit},
		{Method: "POST", Pattern: "/contracts/{id}", Perm: xinlu.PermStaffManage, Handler: s.contractUpdate},
		{Method: "POST", Pattern: "/contracts/{id}/delete", Perm: xinlu.PermStaffManage, Handler: s.contractDelete},
		{Method: "GET", Pattern: "/contracts/expiring", Perm: xinlu.PermStaffView, Handler: s.contractsExpiring},
		{Method: "GET", Pattern: "/contracts/expiring.xlsx", Perm: xinlu.PermStaffExport, Handler: s.contractsExpiringExport},

		{Method: "GET", Pattern: "/members/{id}/terms/new", Perm: xinlu.PermStaffManage, Handler: s.termNew},
		{Method: "POST", Pattern: "/members/{id}/terms", Perm: xinlu.PermStaffManage, Handler: s.termCreate},
		{Method: "GET", Pattern: "/terms/{id}/edit", Perm: xinlu.PermStaffManage, Handler: s.termEdit},
		{Method: "POST", Pattern: "/terms/{id}", Perm: xinlu.PermStaffManage, Handler: s.termUpdate},
		{Method: "POST", Pattern: "/terms/{id}/delete", Perm: xinlu.PermStaffManage, Handler: s.termDelete},
	}
}

// staffOption is one entry of a select: departments indented by depth.
type staffOption struct {
	ID    int64
	Label string // the name indented by the depth, for a select
	Name  string
	Depth int
}

// staffDepartmentOptions lists a zone's departments as a tree, each under
// its parent and indented by its depth.
func (s *Server) staffDepartmentOptions(r *http.Request, zoneID int64) ([]staffOption, error) {
	all, err := s.store.AllDepartments(r.Context(), zoneID)
	if err != nil {
		return nil, err
	}
	known := map[int64]bool{}
	children := map[int64][]*xinlu.Department{}
	for _, d := range all {
		known[d.ID] = true
	}
	for _, d := range all {
		parent := d.ParentID
		if !known[parent] {
			parent = 0
		}
		children[parent] = append(children[parent], d)
	}
	var out []staffOption
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, d := range children[parent] {
			out = append(out, staffOption{ID: d.ID, Label: strings.Repeat("\u3000", depth) + d.Name, Name: d.Name, Depth: depth})
			if depth < 16 {
				walk(d.ID, depth+1)
			}
		}
	}
	walk(0, 0)
	return out, nil
}

// staffQueryID reads an optional id from the query string; anything else is 0.
func staffQueryID(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func staffMemberPath(id int64) string { return "/members/" + strconv.FormatInt(id, 10) }

// --- positions (岗位) ---

type positionListView struct {
	Query        string
	DepartmentID int64
	Kind         xinlu.PositionKind
	Departments  []staffOption
	Kinds        []xinlu.PositionKind
	Items        []*xinlu.Position
	Pager        pager
	CanEdit      bool
}

func (s *Server) positionList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	f := store.PositionFilter{ZoneID: u.ZoneID, Query: r.URL.Query().Get("q"), DepartmentID: staffQueryID(r, "department_id"), Page: p}
	if k := xinlu.PositionKind(r.URL.Query().Get("kind")); k.Valid() {
		f.Kind = k
	}
	items, total, err := s.store.ListPositions(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	depts, err := s.staffDepartmentOptions(r, u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "positions", s.printer(r).T("nav.positions"), positionListView{
		Query: f.Query, DepartmentID: f.DepartmentID, Kind: f.Kind, Departments: depts, Kinds: xinlu.PositionKinds,
		Items: items, Pager: newPager(r, p, total), CanEdit: u.Can(xinlu.PermOrgManage)})
}

type positionFormView struct {
	P           *xinlu.Position
	Departments []staffOption
	Kinds       []xinlu.PositionKind
	Err         error
}

func (s *Server) positionForm(w http.ResponseWriter, r *http.Request, status int, p *xinlu.Position, err error) {
	depts, lerr := s.staffDepartmentOptions(r, p.ZoneID)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	title := "position.new"
	if p.ID != 0 {
		title = "position.edit"
	}
	s.render(w, r, status, "position_form", s.printer(r).T(title), positionFormView{P: p, Departments: depts, Kinds: xinlu.PositionKinds, Err: err})
}

func (s *Server) positionNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	s.positionForm(w, r, http.StatusOK, &xinlu.Position{ZoneID: u.ZoneID, DepartmentID: staffQueryID(r, "department_id"), Kind: xinlu.PositionStaff}, nil)
}

func positionFromForm(r *http.Request, p *xinlu.Position) error {
	p.Name, p.Grade, p.Kind = r.PostFormValue("name"), r.PostFormValue("grade"), xinlu.PositionKind(r.PostFormValue("kind"))
	var errs xinlu.FieldErrors
	p.DepartmentID = int64Field(r, &errs, "department_id")
	p.SortOrder = intField(r, &errs, "sort_order")
	p.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *p; return c.Validate() })
}

func (s *Server) positionCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	p := &xinlu.Position{ZoneID: info.user.ZoneID}
	err := positionFromForm(r, p)
	if err == nil {
		err = s.store.CreatePosition(r.Context(), xinlu.ActorOf(info.user, info.ip), p)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		p.ID = 0
		s.positionForm(w, r, status, p, err)
	}, "flash.created", "/positions")
}

func (s *Server) positionEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p, err := s.store.PositionByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.positionForm(w, r, http.StatusOK, p, nil)
}

func (s *Server) positionUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := &xinlu.Position{ID: id, ZoneID: info.user.ZoneID}
	err = positionFromForm(r, p)
	if err == nil {
		err = s.store.UpdatePosition(r.Context(), xinlu.ActorOf(info.user, info.ip), p)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.positionForm(w, r, status, p, err)
	}, "flash.updated", "/positions")
}
