package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// personalRoutes: revealing a member's masked personal data (with a
// reason, audited) and a person's download of their own record (PIPL
// 第四十五条), audited too.
func (s *Server) personalRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/members/{id}/reveal", Perm: xinlu.PermReveal, Handler: s.revealForm},
		{Method: "POST", Pattern: "/members/{id}/reveal", Perm: xinlu.PermReveal, Handler: s.revealSubmit},
		{Method: "GET", Pattern: "/profile/export.json", Perm: xinlu.PermSignedIn, Handler: s.selfExportJSON},
		{Method: "GET", Pattern: "/profile/export.xlsx", Perm: xinlu.PermSignedIn, Handler: s.selfExportXLSX},
	}
}

type revealView struct {
	M        *xinlu.Member
	Revealed bool     // the values are in full: shown once, after the audit row
	Fields   []string // the fields shown in full
	Reason   string
	MinLen   int
	Err      error
}

// revealForm asks for the reason; the member must be within the caller's
// reveal scope (a head: the department; the appraisal office: the zone).
func (s *Server) revealForm(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	m, err := s.store.MemberByID(r.Context(), u.Filter(xinlu.PermReveal), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.revealPage(w, r, http.StatusOK, m, revealView{})
}

func (s *Server) revealPage(w http.ResponseWriter, r *http.Request, status int, m *xinlu.Member, v revealView) {
	u := requestInfo(r.Context()).user
	if !v.Revealed {
		m.MaskFor(u)
	}
	v.M, v.MinLen = m, xinlu.MinRevealReason
	s.render(w, r, status, "reveal", s.printer(r).T("personal.reveal_title"), v)
}

// revealSubmit writes the audit row (fields and reason, never the values)
// and then shows the values in full, once: the answer is not cached and
// nothing links back to it.
func (s *Server) revealSubmit(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	reason := r.PostFormValue("reason")
	m, err := s.store.RevealMember(r.Context(), xinlu.ActorOf(u, info.ip), u.Filter(xinlu.PermReveal), id, reason)
	if err != nil {
		if xinlu.ErrorCode(err) != xinlu.EINVALID {
			s.renderError(w, r, err)
			return
		}
		shown, lerr := s.store.MemberByID(r.Context(), u.Filter(xinlu.PermReveal), id)
		if lerr != nil {
			s.renderError(w, r, lerr)
			return
		}
		s.revealPage(w, r, statusOf(err), shown, revealView{Reason: reason, Err: err})
		return
	}
	s.revealPage(w, r, http.StatusOK, m, revealView{Revealed: true, Fields: m.RevealedFields()})
}

// OwnRecord is what a person downloads about themself: their account, and
// when they have one their staff record, contracts and terms, with the
// inventory's purpose, legal basis and retention of each personal field.
type OwnRecord struct {
	ExportedAt time.Time         `json:"exported_at"`
	Account    OwnAccount        `json:"account"`
	Member     *OwnMember        `json:"member,omitempty"`
	Contracts  []OwnContract     `json:"contracts"`
	Terms      []OwnTerm         `json:"terms"`
	Inventory  []OwnPersonalNote `json:"personal_data"`
}

// OwnAccount is the account part of OwnRecord; no password hash.
type OwnAccount struct {
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Roles     []string  `json:"roles"`
	Lang      string    `json:"lang"`
	CreatedAt time.Time `json:"created_at"`
}

// OwnMember is the staff record part of OwnRecord, unmasked.
type OwnMember struct {
	StaffNo     string `json:"staff_no"`
	Name        string `json:"name"`
	Gender      string `json:"gender"`
	Phone       string `json:"phone"`
	IDNumber    string `json:"id_number"`
	Department  string `json:"department"`
	Position    string `json:"position"`
	Status      string `json:"status"`
	JoinedOn    string `json:"joined_on"`
	ContractEnd string `json:"contract_end"`
}

// OwnContract is one contract of OwnRecord.
type OwnContract struct {
	Position  string `json:"position"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	Status    string `json:"status"`
	Note      string `json:"note"`
}

// OwnTerm is one term of office of OwnRecord.
type OwnTerm struct {
	Title     string `json:"title"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	Targets   string `json:"targets"`
}

// OwnPersonalNote tells why and how long a personal field is kept.
type OwnPersonalNote struct {
	Field      string `json:"field"`
	Purpose    string `json:"purpose"`
	LegalBasis string `json:"legal_basis"`
	Retention  string `json:"retention"`
}

// ownRecord gathers the signed-in person's record: only their own, by
// the own-record scope, whatever else their roles allow.
func (s *Server) ownRecord(r *http.Request) (*OwnRecord, error) {
	u := requestInfo(r.Context()).user
	p := s.printer(r)
	rec := &OwnRecord{ExportedAt: s.store.Now(), Contracts: []OwnContract{}, Terms: []OwnTerm{},
		Account: OwnAccount{Username: u.Username, Name: u.Name, Lang: u.Lang, CreatedAt: u.CreatedAt}}
	for _, role := range u.Roles {
		rec.Account.Roles = append(rec.Account.Roles, string(role))
	}
	for _, f := range xinlu.PersonalFields {
		rec.Inventory = append(rec.Inventory, OwnPersonalNote{Field: p.T(f.Label), Purpose: p.T(f.Purpose),
			LegalBasis: p.T(f.LegalBasis), Retention: p.T("personal.retention." + string(f.Retention))})
	}
	if u.MemberID == 0 {
		return rec, nil
	}
	own := xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: u.ZoneID, MemberID: u.MemberID}
	m, err := s.store.MemberByID(r.Context(), own, u.MemberID)
	if err != nil {
		return nil, err
	}
	rec.Member = &OwnMember{StaffNo: m.StaffNo, Name: m.Name, Gender: m.Gender, Phone: m.Phone, IDNumber: m.IDNumber,
		Department: m.DepartmentName, Position: m.PositionName, Status: string(m.Status), JoinedOn: m.JoinedOn, ContractEnd: m.ContractEnd}
	all := xinlu.Page{PerPage: xinlu.MaxPerPage}
	cs, _, err := s.store.ListContracts(r.Context(), store.ContractFilter{Scope: own, MemberID: u.MemberID, Page: all})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		rec.Contracts = append(rec.Contracts, OwnContract{Position: c.PositionName, StartDate: c.StartDate, EndDate: c.EndDate,
			Status: string(c.Status), Note: c.Note})
	}
	ts, _, err := s.store.ListTerms(r.Context(), store.TermFilter{Scope: own, MemberID: u.MemberID, Page: all})
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		rec.Terms = append(rec.Terms, OwnTerm{Title: t.Title, StartDate: t.StartDate, EndDate: t.EndDate, Targets: t.Targets})
	}
	return rec, nil
}

// auditSelfExport records the download: who and in which format, with
// row counts, never the content.
func (s *Server) auditSelfExport(r *http.Request, rec *OwnRecord, format string) error {
	info := requestInfo(r.Context())
	return s.store.Audit(r.Context(), xinlu.ActorOf(info.user, info.ip), "personal.self_export", "member", info.user.MemberID,
		map[string]any{"format": format, "contracts": len(rec.Contracts), "terms": len(rec.Terms), "member": rec.Member != nil})
}

func (s *Server) selfExportJSON(w http.ResponseWriter, r *http.Request) {
	rec, err := s.ownRecord(r)
	if err == nil {
		err = s.auditSelfExport(r, rec, "json")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", httpx.Attachment("my-record-"+s.today().Format("20060102")+".json"))
	h.Set("Cache-Control", "no-store")
	w.Write(b)
}

func (s *Server) selfExportXLSX(w http.ResponseWriter, r *http.Request) {
	rec, err := s.ownRecord(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	u := requestInfo(r.Context()).user
	p := s.printer(r)
	rep := &xlsx.Report{Sheet: p.T("personal.export_sheet"), Title: p.T("personal.export_title"), By: u.Name, Date: s.today(),
		Columns: []xlsx.Column{{Header: p.T("personal.export_section"), Width: 14}, {Header: p.T("personal.export_item"), Width: 18},
			{Header: p.T("personal.export_value"), Width: 60}}}
	add := func(section, item, value string) { rep.Rows = append(rep.Rows, []any{section, item, value}) }
	acc := p.T("personal.section.account")
	add(acc, p.T("field.username"), rec.Account.Username)
	add(acc, p.T("field.name"), rec.Account.Name)
	var roles []string
	for _, role := range u.Roles {
		roles = append(roles, p.T("role."+string(role)))
	}
	add(acc, p.T("field.roles"), strings.Join(roles, "、"))
	if m := rec.Member; m != nil {
		sec := p.T("personal.section.member")
		gender := ""
		if m.Gender != "" {
			gender = p.T("gender." + m.Gender)
		}
		for _, kv := range [][2]string{
			{p.T("field.staff_no"), m.StaffNo}, {p.T("member.name"), m.Name}, {p.T("field.gender"), gender},
			{p.T("field.phone"), m.Phone}, {p.T("field.id_number"), m.IDNumber}, {p.T("field.department_id"), m.Department},
			{p.T("field.position_id"), m.Position}, {p.T("field.status"), p.T("member.status." + m.Status)},
			{p.T("field.joined_on"), m.JoinedOn}, {p.T("member.contract_end"), m.ContractEnd},
		} {
			add(sec, kv[0], kv[1])
		}
	}
	for _, c := range rec.Contracts {
		add(p.T("personal.section.contract"), c.StartDate+" — "+c.EndDate,
			strings.TrimSpace(c.Position+" "+p.T("contract.status."+c.Status)+" "+c.Note))
	}
	for _, t := range rec.Terms {
		add(p.T("personal.section.term"), t.StartDate+" — "+t.EndDate, strings.TrimSpace(t.Title+" "+t.Targets))
	}
	for _, n := range rec.Inventory {
		add(n.Field, n.Purpose, n.LegalBasis+"；"+n.Retention)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if err := s.auditSelfExport(r, rec, "xlsx"); err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", xlsx.ContentType)
	h.Set("Content-Disposition", httpx.Attachment("my-record-"+s.today().Format("20060102")+".xlsx"))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
