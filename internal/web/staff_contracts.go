package web

import (
	"bytes"
	"net/http"
	"strconv"

	"xinlu/internal/httpx"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// --- contracts (全员聘用) ---

type contractFormView struct {
	C         *xinlu.Contract
	Member    *xinlu.Member
	Positions []*xinlu.Position
	Statuses  []xinlu.ContractStatus
	Err       error
}

// contractForm shows the form for a contract of member m.
func (s *Server) contractForm(w http.ResponseWriter, r *http.Request, status int, m *xinlu.Member, c *xinlu.Contract, err error) {
	positions, lerr := s.store.AllPositions(r.Context(), m.ZoneID)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	title := "contract.new"
	if c.ID != 0 {
		title = "contract.edit"
	}
	s.render(w, r, status, "contract_form", s.printer(r).T(title), contractFormView{C: c, Member: m, Positions: positions,
		Statuses: xinlu.ContractStatuses, Err: err})
}

// managedMember loads the member named by the path within the viewer's
// staff.manage scope; anyone else's is not found.
func (s *Server) managedMember(r *http.Request, id int64) (*xinlu.Member, error) {
	u := requestInfo(r.Context()).user
	return s.store.MemberByID(r.Context(), u.Filter(xinlu.PermStaffManage), id)
}

func (s *Server) contractNew(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m, err := s.managedMember(r, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// A new contract usually runs three years for the post held, starting
	// the day after the current one ends (a renewal) or else today.
	start := s.today()
	if end, err := xinlu.ParseDate(m.ContractEnd); err == nil {
		start = end.AddDate(0, 0, 1)
	}
	c := &xinlu.Contract{ZoneID: m.ZoneID, MemberID: m.ID, PositionID: m.PositionID, Status: xinlu.ContractActive,
		StartDate: start.Format(xinlu.DateLayout), EndDate: xinlu.DefaultTermEnd(start).Format(xinlu.DateLayout)}
	s.contractForm(w, r, http.StatusOK, m, c, nil)
}

func contractFromForm(r *http.Request, c *xinlu.Contract) error {
	c.StartDate, c.EndDate = r.PostFormValue("start_date"), r.PostFormValue("end_date")
	c.Status, c.Note = xinlu.ContractStatus(r.PostFormValue("status")), r.PostFormValue("note")
	var errs xinlu.FieldErrors
	c.PositionID = int64Field(r, &errs, "position_id")
	c.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { v := *c; return v.Validate() })
}

func (s *Server) contractCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m, err := s.managedMember(r, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c := &xinlu.Contract{ZoneID: info.user.ZoneID, MemberID: m.ID}
	err = contractFromForm(r, c)
	if err == nil {
		err = s.store.CreateContract(r.Context(), xinlu.ActorOf(info.user, info.ip), c)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		c.ID = 0
		s.contractForm(w, r, status, m, c, err)
	}, "flash.created", staffMemberPath(m.ID)+"#contracts")
}

// managedContract loads the contract named by the path and its member,
// within the viewer's staff.manage scope.
func (s *Server) managedContract(r *http.Request) (*xinlu.Contract, *xinlu.Member, error) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.ContractByID(r.Context(), u.Filter(xinlu.PermStaffManage), id)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.managedMember(r, c.MemberID)
	return c, m, err
}

func (s *Server) contractEdit(w http.ResponseWriter, r *http.Request) {
	c, m, err := s.managedContract(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.contractForm(w, r, http.StatusOK, m, c, nil)
}

func (s *Server) contractUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	old, m, err := s.managedContract(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c := &xinlu.Contract{ID: old.ID, ZoneID: info.user.ZoneID, MemberID: old.MemberID}
	err = contractFromForm(r, c)
	if err == nil {
		err = s.store.UpdateContract(r.Context(), xinlu.ActorOf(info.user, info.ip), c)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.contractForm(w, r, status, m, c, err)
	}, "flash.updated", staffMemberPath(m.ID)+"#contracts")
}

func (s *Server) contractDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	c, _, err := s.managedContract(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		err = s.store.DeleteContract(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, c.ID, version)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, staffMemberPath(c.MemberID)+"#contracts")
}

// --- contracts ending soon (合同到期提醒) ---

// expiringRow is a contract with the days left to its end.
type expiringRow struct {
	*xinlu.Contract
	DaysLeft int
	Tone     string
}

// Overdue reports an active contract whose end has passed.
func (e expiringRow) Overdue() int { return -e.DaysLeft }

type expiringView struct {
	Days      int
	DayChoice []int
	Sort      string
	Items     []expiringRow
	Pager     pager
	CanExport bool
	Query     string // the filter, for the export link and the sort toggle
}

// expiringFilter reads the window (days ahead, default 60) and the sort from
// the query string. Active contracts already past their end are included:
// they are the most urgent.
func (s *Server) expiringFilter(r *http.Request, scope xinlu.ScopeFilter) (store.ContractFilter, int) {
	days, err := strconv.Atoi(r.URL.Query().Get("days"))
	if err != nil || days < 1 || days > 366 {
		days = xinlu.ContractWarnDays
	}
	f := store.ContractFilter{Scope: scope, Status: xinlu.ContractActive, Sort: "end",
		EndTo: s.today().AddDate(0, 0, days).Format(xinlu.DateLayout), Page: pageFrom(r)}
	if r.URL.Query().Get("sort") == "-end" {
		f.Sort = "-end"
	}
	return f, days
}

func (s *Server) contractsExpiring(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	f, days := s.expiringFilter(r, u.Filter(xinlu.PermStaffView))
	items, total, err := s.store.ListContracts(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	today := s.today()
	v := expiringView{Days: days, DayChoice: []int{30, 60, 90, 180}, Sort: f.Sort, Pager: newPager(r, f.Page, total),
		CanExport: u.Can(xinlu.PermStaffExport), Query: "days=" + strconv.Itoa(days)}
	for _, c := range items {
		d := xinlu.DaysLeft(today, c.EndDate)
		v.Items = append(v.Items, expiringRow{Contract: c, DaysLeft: d, Tone: xinlu.ExpiryTone(d)})
	}
	s.render(w, r, http.StatusOK, "contracts_expiring", s.printer(r).T("nav.contracts_expiring"), v)
}

// maxExpiringExport bounds one export of the expiry list.
const maxExpiringExport = 20000

func (s *Server) contractsExpiringExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	f, days := s.expiringFilter(r, u.Filter(xinlu.PermStaffExport))
	p := s.printer(r)
	today := s.today()
	rep := &xlsx.Report{Sheet: p.T("contract.export_sheet"), Title: p.T("contract.export_title", days), By: u.Name, Date: today,
		Columns: []xlsx.Column{
			{Header: p.T("staff.seq"), Width: 6, Kind: xlsx.Int}, {Header: p.T("member.name"), Width: 10},
			{Header: p.T("field.department_id"), Width: 22}, {Header: p.T("field.position_id"), Width: 16},
			{Header: p.T("field.start_date"), Width: 12, Kind: xlsx.Date}, {Header: p.T("field.end_date"), Width: 12, Kind: xlsx.Date},
			{Header: p.T("contract.days_left_header"), Width: 10, Kind: xlsx.Int}, {Header: p.T("field.note"), Width: 30},
		}}
	if z, err := s.store.ZoneByID(r.Context(), u.ZoneID); err == nil {
		rep.Unit = z.Name
	}
	for page := 1; len(rep.Rows) < maxExpiringExport; page++ {
		f.Page = xinlu.Page{Page: page, PerPage: xinlu.MaxPerPage}
		items, _, err := s.store.ListContracts(r.Context(), f)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, c := range items {
			rep.Rows = append(rep.Rows, []any{len(rep.Rows) + 1, c.MemberName, c.DepartmentName, c.PositionName,
				c.StartDate, c.EndDate, xinlu.DaysLeft(today, c.EndDate), c.Note})
		}
		if len(items) < xinlu.MaxPerPage {
			break
		}
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if err := s.store.Audit(r.Context(), xinlu.ActorOf(u, info.ip), "contract.export", "contract", 0, map[string]any{
		"filter": map[string]any{"days": days, "end_to": f.EndTo, "sort": f.Sort},
		"scope":  f.Scope.Scope.String(), "rows": len(rep.Rows)}); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", httpx.Attachment("contracts-expiring-"+today.Format("20060102")+".xlsx"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// --- leaders' terms (任期) ---

type termFormView struct {
	T      *xinlu.Term
	Member *xinlu.Member
	Err    error
}

func (s *Server) termForm(w http.ResponseWriter, r *http.Request, status int, m *xinlu.Member, t *xinlu.Term, err error) {
	title := "term.new"
	if t.ID != 0 {
		title = "term.edit"
	}
	s.render(w, r, status, "term_form", s.printer(r).T(title), termFormView{T: t, Member: m, Err: err})
}

func (s *Server) termNew(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m, err := s.managedMember(r, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	start := s.today()
	t := &xinlu.Term{ZoneID: m.ZoneID, MemberID: m.ID, Title: m.PositionName,
		StartDate: start.Format(xinlu.DateLayout), EndDate: xinlu.DefaultTermEnd(start).Format(xinlu.DateLayout)}
	s.termForm(w, r, http.StatusOK, m, t, nil)
}

func termFromForm(r *http.Request, t *xinlu.Term) error {
	t.Title, t.Targets = r.PostFormValue("title"), r.PostFormValue("targets")
	t.StartDate, t.EndDate = r.PostFormValue("start_date"), r.PostFormValue("end_date")
	var errs xinlu.FieldErrors
	t.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { v := *t; return v.Validate() })
}

func (s *Server) termCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m, err := s.managedMember(r, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	t := &xinlu.Term{ZoneID: info.user.ZoneID, MemberID: m.ID}
	err = termFromForm(r, t)
	if err == nil {
		err = s.store.CreateTerm(r.Context(), xinlu.ActorOf(info.user, info.ip), t)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		t.ID = 0
		s.termForm(w, r, status, m, t, err)
	}, "flash.created", staffMemberPath(m.ID)+"#terms")
}

// managedTerm loads the term named by the path and its member, within the
// viewer's staff.manage scope.
func (s *Server) managedTerm(r *http.Request) (*xinlu.Term, *xinlu.Member, error) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	t, err := s.store.TermByID(r.Context(), u.Filter(xinlu.PermStaffManage), id)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.managedMember(r, t.MemberID)
	return t, m, err
}

func (s *Server) termEdit(w http.ResponseWriter, r *http.Request) {
	t, m, err := s.managedTerm(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.termForm(w, r, http.StatusOK, m, t, nil)
}

func (s *Server) termUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	old, m, err := s.managedTerm(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	t := &xinlu.Term{ID: old.ID, ZoneID: info.user.ZoneID, MemberID: old.MemberID}
	err = termFromForm(r, t)
	if err == nil {
		err = s.store.UpdateTerm(r.Context(), xinlu.ActorOf(info.user, info.ip), t)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.termForm(w, r, status, m, t, err)
	}, "flash.updated", staffMemberPath(m.ID)+"#terms")
}

func (s *Server) termDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	t, _, err := s.managedTerm(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		err = s.store.DeleteTerm(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, t.ID, version)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, staffMemberPath(t.MemberID)+"#terms")
}
