package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// staffRoutes serve positions, members, contracts and leaders' terms. Member
// records and their contracts and terms are read within the caller's data
// scope; a record outside it is not found. Writes stay inside the caller's zone.
func (a *API) staffRoutes() []Route {
	return []Route{
		{"GET", "/positions", xinlu.PermOrgView, a.handle(a.listPositions)},
		{"POST", "/positions", xinlu.PermOrgManage, a.handle(a.createPosition)},
		{"GET", "/positions/{id}", xinlu.PermOrgView, a.handle(a.getPosition)},
		{"PUT", "/positions/{id}", xinlu.PermOrgManage, a.handle(a.updatePosition)},
		{"DELETE", "/positions/{id}", xinlu.PermOrgManage, a.deleter(a.store.DeletePosition)},

		{"GET", "/members", xinlu.PermStaffView, a.handle(a.listMembers)},
		{"POST", "/members", xinlu.PermStaffManage, a.handle(a.createMember)},
		{"GET", "/members/{id}", xinlu.PermStaffView, a.handle(a.getMember)},
		{"PUT", "/members/{id}", xinlu.PermStaffManage, a.handle(a.updateMember)},
		{"DELETE", "/members/{id}", xinlu.PermStaffManage, a.deleter(a.store.DeleteMember)},

		{"GET", "/members/{id}/contracts", xinlu.PermStaffView, a.handle(a.listMemberContracts)},
		{"POST", "/members/{id}/contracts", xinlu.PermStaffManage, a.handle(a.createContract)},
		{"PUT", "/contracts/{id}", xinlu.PermStaffManage, a.handle(a.updateContract)},
		{"DELETE", "/contracts/{id}", xinlu.PermStaffManage, a.deleter(a.store.DeleteContract)},
		{"GET", "/contracts/expiring", xinlu.PermStaffView, a.handle(a.listExpiringContracts)},

		{"GET", "/members/{id}/terms", xinlu.PermStaffView, a.handle(a.listMemberTerms)},
		{"POST", "/members/{id}/terms", xinlu.PermStaffManage, a.handle(a.createTerm)},
		{"PUT", "/terms/{id}", xinlu.PermStaffManage, a.handle(a.updateTerm)},
		{"DELETE", "/terms/{id}", xinlu.PermStaffManage, a.deleter(a.store.DeleteTerm)},
	}
}

// staffLocation is where "today" is reckoned for contract ends.
var staffLocation = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// staffToday is the zone's current date at midnight UTC.
func (a *API) staffToday() time.Time {
	y, m, d := a.store.Now().In(staffLocation).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// --- positions ---

// PositionJSON is a position as the API shows it.
type PositionJSON struct {
	ID             int64              `json:"id"`
	ZoneID         int64              `json:"zone_id"`
	DepartmentID   int64              `json:"department_id"`
	DepartmentName string             `json:"department_name"`
	Name           string             `json:"name"`
	Grade          string             `json:"grade"`
	Kind           xinlu.PositionKind `json:"kind"`
	SortOrder      int                `json:"sort_order"`
	Version        int                `json:"version"`
	CreatedAt      time.Time          `json:"created_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
}

func positionJSON(p *xinlu.Position) PositionJSON {
	return PositionJSON{ID: p.ID, ZoneID: p.ZoneID, DepartmentID: p.DepartmentID, DepartmentName: p.DepartmentName,
		Name: p.Name, Grade: p.Grade, Kind: p.Kind, SortOrder: p.SortOrder, Version: p.Version,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// positionInput is the body of create and update.
type positionInput struct {
	DepartmentID int64              `json:"department_id"`
	Name         string             `json:"name"`
	Grade        string             `json:"grade"`
	Kind         xinlu.PositionKind `json:"kind"`
	SortOrder    int                `json:"sort_order"`
	Version      *int               `json:"version"`
}

func (a *API) listPositions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	dept, err := queryInt64(r, "department_id")
	if err != nil {
		return err
	}
	kind := xinlu.PositionKind(r.URL.Query().Get("kind"))
	if kind != "" && !kind.Valid() {
		return xinlu.Invalid("kind", "error.invalid_choice")
	}
	ps, total, err := a.store.ListPositions(r.Context(), store.PositionFilter{
		ZoneID: user(r).ZoneID, Query: r.URL.Query().Get("q"), DepartmentID: dept, Kind: kind, Page: p})
	if err != nil {
		return err
	}
	out := make([]PositionJSON, len(ps))
	for i, pos := range ps {
		out[i] = positionJSON(pos)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getPosition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.PositionByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, positionJSON(p))
	return nil
}

func (a *API) createPosition(w http.ResponseWriter, r *http.Request) error {
	var in positionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p := &xinlu.Position{ZoneID: user(r).ZoneID, DepartmentID: in.DepartmentID, Name: in.Name, Grade: in.Grade,
		Kind: in.Kind, SortOrder: in.SortOrder}
	if err := a.store.CreatePosition(r.Context(), actor(r), p); err != nil {
		return err
	}
	p, err := a.store.PositionByID(r.Context(), p.ZoneID, p.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, positionJSON(p))
	return nil
}

func (a *API) updatePosition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.PositionByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	in := positionInput{DepartmentID: old.DepartmentID, Name: old.Name, Grade: old.Grade, Kind: old.Kind, SortOrder: old.SortOrder}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	p := &xinlu.Position{ID: id, ZoneID: user(r).ZoneID, DepartmentID: in.DepartmentID, Name: in.Name, Grade: in.Grade,
		Kind: in.Kind, SortOrder: in.SortOrder, Version: v}
	if err := a.store.UpdatePosition(r.Context(), actor(r), p); err != nil {
		return err
	}
	if p, err = a.store.PositionByID(r.Context(), p.ZoneID, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, positionJSON(p))
	return nil
}

// --- members ---

// MemberJSON is a member as the API shows it. Phone and ID number are
// masked (Masked is true) unless the caller is the member or manages staff.
type MemberJSON struct {
	ID             int64              `json:"id"`
	ZoneID         int64              `json:"zone_id"`
	DepartmentID   int64              `json:"department_id"`
	DepartmentName string             `json:"department_name"`
	PositionID     int64              `json:"position_id"`
	PositionName   string             `json:"position_name"`
	StaffNo        string             `json:"staff_no"`
	Name           string             `json:"name"`
	Gender         string             `json:"gender"`
	Phone          string             `json:"phone"`
	IDNumber       string             `json:"id_number"`
	Masked         bool               `json:"masked"`
	Status         xinlu.MemberStatus `json:"status"`
	JoinedOn       string             `json:"joined_on"`
	ContractEnd    string             `json:"contract_end"`
	Version        int                `json:"version"`
	CreatedAt      time.Time          `json:"created_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
}

// memberJSON renders m for u, masking personal data as u may see it.
func memberJSON(u *xinlu.User, m *xinlu.Member) MemberJSON {
	masked := m.MaskFor(u)
	return MemberJSON{ID: m.ID, ZoneID: m.ZoneID, DepartmentID: m.DepartmentID, DepartmentName: m.DepartmentName,
		PositionID: m.PositionID, PositionName: m.PositionName, StaffNo: m.StaffNo, Name: m.Name, Gender: m.Gender,
		Phone: m.Phone, IDNumber: m.IDNumber, Masked: masked, Status: m.Status, JoinedOn: m.JoinedOn,
		ContractEnd: m.ContractEnd, Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// memberInput is the body of create and update.
type memberInput struct {
	DepartmentID int64              `json:"department_id"`
	PositionID   int64              `json:"position_id"`
	StaffNo      string             `json:"staff_no"`
	Name         string             `json:"name"`
	Gender       string             `json:"gender"`
	Phone        string             `json:"phone"`
	IDNumber     string             `json:"id_number"`
	Status       xinlu.MemberStatus `json:"status"`
	JoinedOn     string             `json:"joined_on"`
	Version      *int               `json:"version"`
}

// memberInputOf is m as a body of update, for decodeOver.
func memberInputOf(m *xinlu.Member) memberInput {
	return memberInput{DepartmentID: m.DepartmentID, PositionID: m.PositionID, StaffNo: m.StaffNo, Name: m.Name,
		Gender: m.Gender, Phone: m.Phone, IDNumber: m.IDNumber, Status: m.Status, JoinedOn: m.JoinedOn}
}

func (in memberInput) member(id, zoneID int64) *xinlu.Member {
	return &xinlu.Member{ID: id, ZoneID: zoneID, DepartmentID: in.DepartmentID, PositionID: in.PositionID,
		StaffNo: in.StaffNo, Name: in.Name, Gender: in.Gender, Phone: in.Phone, IDNumber: in.IDNumber,
		Status: in.Status, JoinedOn: in.JoinedOn}
}

func (a *API) listMembers(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	dept, err := queryInt64(r, "department_id")
	if err != nil {
		return err
	}
	status := xinlu.MemberStatus(r.URL.Query().Get("status"))
	if status != "" && !status.Valid() {
		return xinlu.Invalid("status", "error.invalid_choice")
	}
	ms, total, err := a.store.ListMembers(r.Context(), store.MemberFilter{Scope: u.Filter(xinlu.PermStaffView),
		Query: r.URL.Query().Get("q"), DepartmentID: dept, Status: status, Page: p})
	if err != nil {
		return err
	}
	out := make([]MemberJSON, len(ms))
	for i, m := range ms {
		out[i] = memberJSON(u, m)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

// scopedMember reads the member named by the path within the caller's
// scope for perm.
func (a *API) scopedMember(r *http.Request, perm xinlu.Permission) (*xinlu.Member, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.store.MemberByID(r.Context(), user(r).Filter(perm), id)
}

func (a *API) getMember(w http.ResponseWriter, r *http.Request) error {
	m, err := a.scopedMember(r, xinlu.PermStaffView)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, memberJSON(user(r), m))
	return nil
}

func (a *API) createMember(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	var in memberInput
	if err := decode(r, &in); err != nil {
		return err
	}
	m := in.member(0, u.ZoneID)
	if err := a.store.CreateMember(r.Context(), actor(r), m); err != nil {
		return err
	}
	m, err := a.store.MemberByID(r.Context(), u.Filter(xinlu.PermStaffManage), m.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, memberJSON(u, m))
	return nil
}

func (a *API) updateMember(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.MemberByID(r.Context(), u.Filter(xinlu.PermStaffManage), id)
	if err != nil {
		return err
	}
	in := memberInputOf(old)
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	m := in.member(id, u.ZoneID)
	m.Version = v
	// Personal data is answered masked; a masked value sent back unchanged keeps the stored one.
	m.Phone = xinlu.KeepMasked(m.Phone, old.Phone, xinlu.MaskPhone)
	m.IDNumber = xinlu.KeepMasked(m.IDNumber, old.IDNumber, xinlu.MaskIDNumber)
	if err := a.store.UpdateMember(r.Context(), actor(r), m); err != nil {
		return err
	}
	if m, err = a.store.MemberByID(r.Context(), u.Filter(xinlu.PermStaffManage), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, memberJSON(u, m))
	return nil
}

// --- contracts ---

// ContractJSON is an employment contract as the API shows it. DaysLeft is
// given on the expiry list only.
type ContractJSON struct {
	ID             int64                `json:"id"`
	ZoneID         int64                `json:"zone_id"`
	MemberID       int64                `json:"member_id"`
	MemberName     string               `json:"member_name"`
	DepartmentName string               `json:"department_name"`
	PositionID     int64                `json:"position_id"`
	PositionName   string               `json:"position_name"`
	StartDate      string               `json:"start_date"`
	EndDate        string               `json:"end_date"`
	Status         xinlu.ContractStatus `json:"status"`
	Note           string               `json:"note"`
	DaysLeft       *int                 `json:"days_left,omitempty"`
	Version        int                  `json:"version"`
	CreatedAt      time.Time            `json:"created_at"`
	UpdatedAt      time.Time            `json:"updated_at"`
}

func contractJSON(c *xinlu.Contract) ContractJSON {
	return ContractJSON{ID: c.ID, ZoneID: c.ZoneID, MemberID: c.MemberID, MemberName: c.MemberName,
		DepartmentName: c.DepartmentName, PositionID: c.PositionID, PositionName: c.PositionName,
		StartDate: c.StartDate, EndDate: c.EndDate, Status: c.Status, Note: c.Note, Version: c.Version,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// contractInput is the body of create and update.
type contractInput struct {
	PositionID int64                `json:"position_id"`
	StartDate  string               `json:"start_date"`
	EndDate    string               `json:"end_date"`
	Status     xinlu.ContractStatus `json:"status"`
	Note       string               `json:"note"`
	Version    *int                 `json:"version"`
}

func (a *API) writeContracts(w http.ResponseWriter, r *http.Request, f store.ContractFilter, withDays bool) error {
	cs, total, err := a.store.ListContracts(r.Context(), f)
	if err != nil {
		return err
	}
	today := a.staffToday()
	out := make([]ContractJSON, len(cs))
	for i, c := range cs {
		out[i] = contractJSON(c)
		if withDays {
			d := xinlu.DaysLeft(today, c.EndDate)
			out[i].DaysLeft = &d
		}
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) listMemberContracts(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	m, err := a.scopedMember(r, xinlu.PermStaffView)
	if err != nil {
		return err
	}
	return a.writeContracts(w, r, store.ContractFilter{Scope: user(r).Filter(xinlu.PermStaffView), MemberID: m.ID, Page: p}, false)
}

// listExpiringContracts lists contracts in force that end within `days`
// (default 60, at most 366) or have already ended, by end date.
func (a *API) listExpiringContracts(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	days, err := queryInt64(r, "days")
	if err != nil || days > 366 || (r.URL.Query().Has("days") && days < 1) {
		return xinlu.Invalid("days", "contract.days_range")
	}
	if days == 0 {
		days = xinlu.ContractWarnDays
	}
	sort := r.URL.Query().Get("sort")
	switch sort {
	case "":
		sort = "end"
	case "end", "-end":
	default:
		return xinlu.Invalid("sort", "error.invalid_choice")
	}
	f := store.ContractFilter{Scope: user(r).Filter(xinlu.PermStaffView), Status: xinlu.ContractActive, Sort: sort,
		EndTo: a.staffToday().AddDate(0, 0, int(days)).Format(xinlu.DateLayout), Page: p}
	return a.writeContracts(w, r, f, true)
}

func (a *API) createContract(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	m, err := a.scopedMember(r, xinlu.PermStaffManage)
	if err != nil {
		return err
	}
	var in contractInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c := &xinlu.Contract{ZoneID: u.ZoneID, MemberID: m.ID, PositionID: in.PositionID, StartDate: in.StartDate,
		EndDate: in.EndDate, Status: in.Status, Note: in.Note}
	if err := a.store.CreateContract(r.Context(), actor(r), c); err != nil {
		return err
	}
	if c, err = a.store.ContractByID(r.Context(), u.Filter(xinlu.PermStaffManage), c.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, contractJSON(c))
	return nil
}

func (a *API) updateContract(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.ContractByID(r.Context(), u.Filter(xinlu.PermStaffManage), id)
	if err != nil {
		return err
	}
	in := contractInput{PositionID: old.PositionID, StartDate: old.StartDate, EndDate: old.EndDate, Status: old.Status, Note: old.Note}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	c := &xinlu.Contract{ID: id, ZoneID: u.ZoneID, PositionID: in.PositionID, StartDate: in.StartDate,
		EndDate: in.EndDate, Status: in.Status, Note: in.Note, Version: v}
	if err := a.store.UpdateContract(r.Context(), actor(r), c); err != nil {
		return err
	}
	if c, err = a.store.ContractByID(r.Context(), u.Filter(xinlu.PermStaffManage), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, contractJSON(c))
	return nil
}

// --- terms ---

// TermJSON is a leader's term of office as the API shows it.
type TermJSON struct {
	ID         int64     `json:"id"`
	ZoneID     int64     `json:"zone_id"`
	MemberID   int64     `json:"member_id"`
	MemberName string    `json:"member_name"`
	Title      string    `json:"title"`
	StartDate  string    `json:"start_date"`
	EndDate    string    `json:"end_date"`
	Targets    string    `json:"targets"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func termJSON(t *xinlu.Term) TermJSON {
	return TermJSON{ID: t.ID, ZoneID: t.ZoneID, MemberID: t.MemberID, MemberName: t.MemberName, Title: t.Title,
		StartDate: t.StartDate, EndDate: t.EndDate, Targets: t.Targets, Version: t.Version,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// termInput is the body of create and update; an empty end_date becomes the
// default term end.
type termInput struct {
	Title     string `json:"title"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	Targets   string `json:"targets"`
	Version   *int   `json:"version"`
}

func (a *API) listMemberTerms(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	m, err := a.scopedMember(r, xinlu.PermStaffView)
	if err != nil {
		return err
	}
	ts, total, err := a.store.ListTerms(r.Context(), store.TermFilter{Scope: user(r).Filter(xinlu.PermStaffView), MemberID: m.ID, Page: p})
	if err != nil {
		return err
	}
	out := make([]TermJSON, len(ts))
	for i, t := range ts {
		out[i] = termJSON(t)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) createTerm(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	m, err := a.scopedMember(r, xinlu.PermStaffManage)
	if err != nil {
		return err
	}
	var in termInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t := &xinlu.Term{ZoneID: u.ZoneID, MemberID: m.ID, Title: in.Title, StartDate: in.StartDate, EndDate: in.EndDate, Targets: in.Targets}
	if err := a.store.CreateTerm(r.Context(), actor(r), t); err != nil {
		return err
	}
	if t, err = a.store.TermByID(r.Context(), u.Filter(xinlu.PermStaffManage), t.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, termJSON(t))
	return nil
}

func (a *API) updateTerm(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.TermByID(r.Context(), u.Filter(xinlu.PermStaffManage), id)
	if err != nil {
		return err
	}
	in := termInput{Title: old.Title, StartDate: old.StartDate, EndDate: old.EndDate, Targets: old.Targets}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	t := &xinlu.Term{ID: id, ZoneID: u.ZoneID, Title: in.Title, StartDate: in.StartDate, EndDate: in.EndDate,
		Targets: in.Targets, Version: v}
	if err := a.store.UpdateTerm(r.Context(), actor(r), t); err != nil {
		return err
	}
	if t, err = a.store.TermByID(r.Context(), u.Filter(xinlu.PermStaffManage), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, termJSON(t))
	return nil
}
