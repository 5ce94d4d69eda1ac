package web

import (
	"bytes"
	"net/http"
	"net/url"

	"xinlu/internal/httpx"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// memberFilterFrom reads the members query bar; unknown values are ignored.
func memberFilterFrom(r *http.Request, scope xinlu.ScopeFilter) store.MemberFilter {
	q := r.URL.Query()
	f := store.MemberFilter{Scope: scope, Query: q.Get("q"), DepartmentID: staffQueryID(r, "department_id"), Page: pageFrom(r)}
	if st := xinlu.MemberStatus(q.Get("status")); st.Valid() {
		f.Status = st
	}
	return f
}

// memberExportQuery is the list's filter without its page, for the export link.
func memberExportQuery(r *http.Request) string {
	q := url.Values{}
	for _, k := range []string{"q", "department_id", "status"} {
		if v := r.URL.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

type memberListView struct {
	Query        string
	DepartmentID int64
	Status       xinlu.MemberStatus
	Departments  []staffOption
	Statuses     []xinlu.MemberStatus
	Items        []*xinlu.Member
	Masked       bool // some personal data on the page is masked
	Pager        pager
	CanEdit      bool
	CanExport    bool
	ExportQuery  string
}

func (s *Server) memberList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	f := memberFilterFrom(r, u.Filter(xinlu.PermStaffView))
	items, total, err := s.store.ListMembers(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := memberListView{Query: f.Query, DepartmentID: f.DepartmentID, Status: f.Status, Statuses: xinlu.MemberStatuses,
		Items: items, Pager: newPager(r, f.Page, total), CanEdit: u.Can(xinlu.PermStaffManage),
		CanExport: u.Can(xinlu.PermStaffExport), ExportQuery: memberExportQuery(r)}
	for _, m := range items {
		if m.MaskFor(u) {
			v.Masked = true
		}
	}
	if v.Departments, err = s.staffDepartmentOptions(r, u.ZoneID); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "members", s.printer(r).T("nav.members"), v)
}

type memberShowView struct {
	M         *xinlu.Member
	Masked    bool
	Contracts []*xinlu.Contract
	Terms     []*xinlu.Term
	CanEdit   bool
	CanReveal bool // masked, and within the viewer's reveal scope
	Self      bool // the viewer's own record: offer its download
}

func (s *Server) memberShow(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	scope := u.Filter(xinlu.PermStaffView)
	m, err := s.store.MemberByID(r.Context(), scope, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := memberShowView{M: m, Masked: m.MaskFor(u), CanEdit: u.Can(xinlu.PermStaffManage), Self: u.MemberID == m.ID}
	if v.Masked && u.Can(xinlu.PermReveal) {
		_, rerr := s.store.MemberByID(r.Context(), u.Filter(xinlu.PermReveal), id)
		v.CanReveal = rerr == nil
	}
	all := xinlu.Page{PerPage: xinlu.MaxPerPage}
	if v.Contracts, _, err = s.store.ListContracts(r.Context(), store.ContractFilter{Scope: scope, MemberID: id, Page: all}); err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.Terms, _, err = s.store.ListTerms(r.Context(), store.TermFilter{Scope: scope, MemberID: id, Page: all}); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "member_show", m.Name, v)
}

type memberFormView struct {
	M           *xinlu.Member
	Departments []staffOption
	Positions   []*xinlu.Position
	Statuses    []xinlu.MemberStatus
	Err         error
}

func (s *Server) memberForm(w http.ResponseWriter, r *http.Request, status int, m *xinlu.Member, err error) {
	v := memberFormView{M: m, Statuses: xinlu.MemberStatuses, Err: err}
	var lerr error
	if v.Departments, lerr = s.staffDepartmentOptions(r, m.ZoneID); lerr == nil {
		v.Positions, lerr = s.store.AllPositions(r.Context(), m.ZoneID)
	}
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	title := "member.new"
	if m.ID != 0 {
		title = "member.edit"
	}
	s.render(w, r, status, "member_form", s.printer(r).T(title), v)
}

func (s *Server) memberNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	s.memberForm(w, r, http.StatusOK, &xinlu.Member{ZoneID: u.ZoneID, DepartmentID: staffQueryID(r, "department_id"),
		Status: xinlu.MemberActive}, nil)
}

func memberFromForm(r *http.Request, m *xinlu.Member) error {
	m.StaffNo, m.Name, m.Gender = r.PostFormValue("staff_no"), r.PostFormValue("name"), r.PostFormValue("gender")
	m.Phone, m.IDNumber = r.PostFormValue("phone"), r.PostFormValue("id_number")
	m.Status, m.JoinedOn = xinlu.MemberStatus(r.PostFormValue("status")), r.PostFormValue("joined_on")
	var errs xinlu.FieldErrors
	m.DepartmentID = int64Field(r, &errs, "department_id")
	m.PositionID = int64Field(r, &errs, "position_id")
	m.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *m; return c.Validate() })
}

func (s *Server) memberCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	m := &xinlu.Member{ZoneID: info.user.ZoneID}
	err := memberFromForm(r, m)
	if err == nil {
		err = s.store.CreateMember(r.Context(), xinlu.ActorOf(info.user, info.ip), m)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		m.ID = 0
		s.memberForm(w, r, status, m, err)
	}, "flash.created", staffMemberPath(m.ID))
}

func (s *Server) memberEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m, err := s.store.MemberByID(r.Context(), u.Filter(xinlu.PermStaffManage), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m.MaskFor(u) // personal fields stay masked; sent back unchanged they keep their stored values
	s.memberForm(w, r, http.StatusOK, m, nil)
}

func (s *Server) memberUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old, err := s.store.MemberByID(r.Context(), info.user.Filter(xinlu.PermStaffManage), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m := &xinlu.Member{ID: id, ZoneID: info.user.ZoneID}
	err = memberFromForm(r, m)
	// The form shows personal data masked; a masked value sent back unchanged keeps the stored one.
	m.Phone = xinlu.KeepMasked(m.Phone, old.Phone, xinlu.MaskPhone)
	m.IDNumber = xinlu.KeepMasked(m.IDNumber, old.IDNumber, xinlu.MaskIDNumber)
	if err == nil {
		err = s.store.UpdateMember(r.Context(), xinlu.ActorOf(info.user, info.ip), m)
	}
	if err != nil {
		m.MaskFor(info.user)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.memberForm(w, r, status, m, err)
	}, "flash.updated", staffMemberPath(id))
}

// memberExport writes the filtered roster (人员花名册) within the viewer's
// export scope, masked as on screen, and audits the export.
func (s *Server) memberExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	f := memberFilterFrom(r, u.Filter(xinlu.PermStaffExport))
	items, err := s.store.RosterMembers(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	today := s.today()
	rep := &xlsx.Report{Sheet: p.T("member.roster_sheet"), Title: p.T("member.roster_title"), By: u.Name, Date: today,
		Columns: []xlsx.Column{
			{Header: p.T("staff.seq"), Width: 6, Kind: xlsx.Int}, {Header: p.T("field.staff_no"), Width: 10},
			{Header: p.T("member.name"), Width: 10}, {Header: p.T("field.gender"), Width: 6},
			{Header: p.T("field.department_id"), Width: 22}, {Header: p.T("field.position_id"), Width: 16},
			{Header: p.T("field.phone"), Width: 14}, {Header: p.T("field.id_number"), Width: 22},
			{Header: p.T("field.status"), Width: 10}, {Header: p.T("field.joined_on"), Width: 12, Kind: xlsx.Date},
			{Header: p.T("member.contract_end"), Width: 12, Kind: xlsx.Date},
		}}
	if z, err := s.store.ZoneByID(r.Context(), u.ZoneID); err == nil {
		rep.Unit = z.Name
	}
	masked := false
	for i, m := range items {
		if m.MaskFor(u) {
			masked = true
		}
		gender := ""
		if m.Gender != "" {
			gender = p.T("gender." + m.Gender)
		}
		rep.Rows = append(rep.Rows, []any{i + 1, m.StaffNo, m.Name, gender, m.DepartmentName, m.PositionName,
			m.Phone, m.IDNumber, p.T("member.status." + string(m.Status)), m.JoinedOn, m.ContractEnd})
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if err := s.store.Audit(r.Context(), xinlu.ActorOf(u, info.ip), "member.export", "member", 0, map[string]any{
		"filter": map[string]any{"q": f.Query, "department_id": f.DepartmentID, "status": f.Status},
		"scope":  f.Scope.Scope.String(), "rows": len(rep.Rows), "masked": masked}); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", httpx.Attachment("members-"+today.Format("20060102")+".xlsx"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
