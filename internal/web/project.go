package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Project pages. Every POST route is open to whoever may view projects;
// the store decides by role and stage (xinlu.CheckProjectStep), so that a
// refusal names the stage and a missing project is a 404 for everyone.
func (s *Server) projectRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/projects", Perm: xinlu.PermProjectView, Handler: s.projectList},
		{Method: "GET", Pattern: "/projects/kanban", Perm: xinlu.PermProjectView, Handler: s.projectKanban},
		{Method: "GET", Pattern: "/projects/export.xlsx", Perm: xinlu.PermProjectView, Handler: s.projectExport},
		{Method: "POST", Pattern: "/projects/views", Perm: xinlu.PermProjectView, Handler: s.projectViewCreate},
		{Method: "POST", Pattern: "/projects/views/{id}/delete", Perm: xinlu.PermProjectView, Handler: s.deleter(s.store.DeleteSavedView, "/projects")},
		{Method: "GET", Pattern: "/projects/{id}", Perm: xinlu.PermProjectView, Handler: s.projectShow},
		{Method: "GET", Pattern: "/projects/{id}/proposal", Perm: xinlu.PermProjectView, Handler: s.projectProposal},
		{Method: "POST", Pattern: "/projects/{id}/{action}", Perm: xinlu.PermProjectView, Handler: s.projectStep},
		{Method: "POST", Pattern: "/projects/{id}/approvals/{item}/{action}", Perm: xinlu.PermProjectView, Handler: s.projectApprovalStep},
		{Method: "POST", Pattern: "/projects/{id}/funds/{funds}/{action}", Perm: xinlu.PermProjectView, Handler: s.fundsChange},
		{Method: "POST", Pattern: "/projects/{id}/supervision/{order}/close", Perm: xinlu.PermProjectView, Handler: s.supervisionClose},
	}
}

// projectQuery echoes the ledger's query bar.
type projectQuery struct {
	Stage, Status, Industry, Light, SixNew, Q string
	Signed, SignedFrom, SignedTo              string
	ParkID, SponsorID                         int64
	Reached                                   string
	ReachedYear                               int
}

func (q projectQuery) Encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"stage": q.Stage, "status": q.Status, "industry": q.Industry, "light": q.Light, "six_new": q.SixNew, "q": q.Q,
		"signed": q.Signed, "signed_from": q.SignedFrom, "signed_to": q.SignedTo} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.ParkID != 0 {
		v.Set("park_id", strconv.FormatInt(q.ParkID, 10))
	}
	if q.SponsorID != 0 {
		v.Set("sponsor_id", strconv.FormatInt(q.SponsorID, 10))
	}
	if q.Reached != "" {
		v.Set("reached", q.Reached)
		v.Set("reached_year", strconv.Itoa(q.ReachedYear))
	}
	return v.Encode()
}

// projectFilter reads the query bar by the API's rules, leniently
// (store.ReadProjectFilter): unknown codes read as "all", the signing
// dates are passed on as typed and the store refuses a bad one naming the
// field, and the page shows why.
func projectFilter(r *http.Request, u *xinlu.User) (store.ProjectFilter, projectQuery) {
	f := store.ReadProjectFilter(r.URL.Query())
	f.ZoneID = xinlu.ProjectZone(u)
	q := projectQuery{Stage: string(f.Stage), Status: string(f.Status), Industry: f.Industry, Light: string(f.Light),
		SixNew: f.SixNew, Q: f.Query, Signed: f.Signed, SignedFrom: f.SignedFrom, SignedTo: f.SignedTo,
		ParkID: f.ParkID, SponsorID: f.SponsorID, Reached: f.Reached, ReachedYear: f.ReachedYear}
	return f, q
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// choice is an option of a select.
type choice struct {
	ID    int64
	Name  string
	Group string // a person's department: pickers group people by it
}

// pickerView is a people picker's options and the chosen one.
type pickerView struct {
	List     []choice
	Selected any
}

type projectListView struct {
	Q          projectQuery
	Items      []*store.ProjectRecord
	Pager      pager
	Err        error
	Stages     []xinlu.Stage
	Industries []string
	SixNew     []string
	Parks      []choice
	Sponsors   []choice
	CanImport  bool
	ExportURL  string
	Statuses   []string
	Lights     []string
	// Saved views (保存的查询): the user's and the zone's shared ones, and
	// the form that saves the current filters.
	Views     []savedViewItem
	SaveQuery string
	CanShare  bool
	Save      savedViewForm
	// The 合计 line over every page: Σ the known total investments, and
	// how many projects have theirs unknown (待定).
	TotalYuan    int64
	TotalUnknown int
}

// savedViewItem is one entry of the saved-views dropdown: Href applies it.
type savedViewItem struct {
	*store.SavedView
	Href string
	Mine bool
}

// savedViewForm is what the save form shows again after a refused save.
type savedViewForm struct {
	Name   string
	Shared bool
	Err    error
}

// choices lists the zone's parks and members for the query bar and forms.
func (s *Server) projectChoices(r *http.Request, zoneID int64) (parks, members []choice) {
	if zoneID == 0 {
		return nil, nil
	}
	if ps, _, err := s.store.ListParks(r.Context(), store.ParkFilter{ZoneID: zoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}}); err == nil {
		for _, p := range ps {
			parks = append(parks, choice{ID: p.ID, Name: p.Name})
		}
	}
	if ms, err := s.store.RosterMembers(r.Context(), store.MemberFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zoneID}}); err == nil {
		for _, m := range ms {
			members = append(members, choice{m.ID, m.Name, m.DepartmentName})
		}
	}
	return parks, members
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request) {
	s.projectLedger(w, r, http.StatusOK, savedViewForm{})
}

// projectLedger renders the ledger of r's filters with the saved views;
// save carries a refused save back to its form, answered with status.
func (s *Server) projectLedger(w http.ResponseWriter, r *http.Request, status int, save savedViewForm) {
	u := requestInfo(r.Context()).user
	f, q := projectFilter(r, u)
	f.Page = pageFrom(r)
	items, total, err := s.store.ListProjects(r.Context(), f)
	if err != nil {
		if !isFormError(err) {
			s.renderError(w, r, err)
			return
		}
		if status == http.StatusOK {
			status = statusOf(err)
		}
	}
	views, verr := s.store.SavedViews(r.Context(), u.ZoneID, u.ID, store.SavedViewProjects)
	if verr != nil {
		s.renderError(w, r, verr)
		return
	}
	saved := make([]savedViewItem, len(views))
	for i, v := range views {
		saved[i] = savedViewItem{SavedView: v, Href: "/projects", Mine: v.UserID == u.ID}
		if v.Query != "" {
			saved[i].Href += "?" + v.Query
		}
	}
	var sum int64
	var unknown int
	if err == nil && total > 0 {
		if sum, unknown, err = s.store.ProjectTotals(r.Context(), f); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	parks, members := s.projectChoices(r, xinlu.ProjectZone(u))
	s.render(w, r, status, "projects", s.printer(r).T("projects.ledger_title"), projectListView{
		TotalYuan: sum, TotalUnknown: unknown,
		Q: q, Items: items, Pager: newPager(r, f.Page, total), Err: err, Stages: xinlu.Stages, Industries: xinlu.Industries,
		SixNew: xinlu.SixNewTags, Parks: parks, Sponsors: members, CanImport: u.Can(xinlu.PermProjectPlan),
		ExportURL: "/projects/export.xlsx?" + q.Encode(), Statuses: []string{"active", "on_hold", "lost"},
		Lights: []string{"green", "yellow", "red"}, Views: saved, SaveQuery: q.Encode(),
		CanShare: u.Can(xinlu.PermProjectPromote), Save: save})
}

// projectViewCreate saves the ledger's filters (the form's query, as the
// page encoded them) under a name: then the ledger with them. A refused
// save shows the ledger of those filters again with the form and its
// error; sharing without the leadership's right is refused (403), not
// quietly saved unshared.
func (s *Server) projectViewCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	v := &store.SavedView{Kind: store.SavedViewProjects, Name: r.PostFormValue("name"), Query: r.PostFormValue("query"),
		Shared: r.PostFormValue("shared") != ""}
	raw := strings.TrimPrefix(v.Query, "?")
	err := s.store.CreateSavedView(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, v)
	s.afterSave(w, r, err, func(status int, err error) {
		back := r.Clone(r.Context())
		back.Method, back.Form, back.PostForm = http.MethodGet, nil, nil
		back.URL = &url.URL{Path: "/projects"}
		if _, perr := url.ParseQuery(raw); perr == nil {
			back.URL.RawQuery = raw
		}
		s.projectLedger(w, back, status, savedViewForm{Name: v.Name, Shared: v.Shared, Err: err})
	}, "flash.view_saved", strings.TrimSuffix("/projects?"+v.Query, "?"))
}

// kanbanView is the kanban's columns and the chart of their amounts.
type kanbanView struct {
	Columns []kanbanColumnView
	Chart   *chartView
}

type kanbanColumnView struct {
	store.KanbanColumn
	Cards  []*store.ProjectRecord // moving projects first, then those on hold
	OnHold int                    // of Count, the projects on hold (搁置)
}

// kanbanCards is how many cards a column shows; the column links to the
// ledger filtered by its stage for the rest.
const kanbanCards = 12

func (s *Server) projectKanban(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	zone := xinlu.ProjectZone(u)
	cols, err := s.store.Kanban(r.Context(), zone)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	view := make([]kanbanColumnView, len(cols))
	for i, c := range cols {
		view[i].KanbanColumn = c
		if c.Count == 0 {
			continue
		}
		// The column counts moving and on-hold projects; its cards show the
		// moving ones first and the on-hold ones after them, marked.
		cards, active, err := s.store.ListProjects(r.Context(), store.ProjectFilter{ZoneID: zone, Stage: c.Stage,
			Status: xinlu.ProjectActive, Page: xinlu.Page{PerPage: kanbanCards}})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		view[i].OnHold = max(c.Count-active, 0)
		if view[i].OnHold > 0 && len(cards) < kanbanCards {
			held, _, err := s.store.ListProjects(r.Context(), store.ProjectFilter{ZoneID: zone, Stage: c.Stage,
				Status: xinlu.ProjectOnHold, Page: xinlu.Page{PerPage: kanbanCards - len(cards)}})
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			cards = append(cards, held...)
		}
		view[i].Cards = cards
	}
	s.render(w, r, http.StatusOK, "kanban", s.printer(r).T("projects.kanban_title"), kanbanView{Columns: view, Chart: kanbanChart(s.printer(r), view)})
}

func (s *Server) projectExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	f, q := projectFilter(r, info.user)
	rep, err := report.ProjectLedger(r.Context(), s.store, s.printer(r), info.user, f, s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendReport(w, r, rep, "project.export", "project", 0, map[string]any{"filter": q.Encode()}, "projects-"+s.today().Format("20060102")+".xlsx")
}

type projectShowView struct {
	typed      url.Values // what was typed into the form that failed
	P          *store.ProjectRecord
	Approvals  []*store.ApprovalItem
	Funds      []fundsRow // with the amount as the correction form fills it in
	Events     []store.ProjectEvent
	Orders     []*store.SupervisionOrder
	MemberID   int64 // the viewer's member record: assignees close their orders
	Err        error
	ErrAction  string
	Parks      []choice
	Members    []choice
	Industries []string
	SixNew     []string
	Chain      []string
	Lost       []string
	Today      string
	CanPlan    bool
	CanPromote bool
	CanAgency  bool
	// The funds schedule of a signed project as of today, its 计划到位率
	// as the performance page shows rates, and the sign form's rows.
	Schedule     xinlu.ScheduleTrack
	ScheduleRate perfCell
	ScheduleRows []int
	// The revision form: the schedule's instalments in 万元 and blank rows.
	ReviseRows []reviseRow
	CanRevise  bool
	// The plan form revises a signed plan (the planning or the leadership group).
	CanRevisePlan bool
	// Matching (要素匹配) and the parcels and utility ledger of the project;
	// nil for those who do not see land.
	Matches     *matchView
	CanOverride bool // the director may sign over a utility shortfall
}

// reviseRow is one row of the funds schedule revision form.
type reviseRow struct {
	N                   int
	DueOn, Amount, Note string
}

// Has reports whether the plan carries a 六新 tag, for the form's
// checkboxes: as ticked when the plan form failed.
func (v projectShowView) Has(tag string) bool {
	if v.PlanErr() != nil {
		return contains(v.typed["six_new"], tag)
	}
	return contains(v.P.Plan.SixNew, tag)
}

// PlanErr is the error of the plan form when saving or submitting it failed.
func (v projectShowView) PlanErr() error {
	if v.ErrAction == string(xinlu.ProjectSavePlan) || v.ErrAction == string(xinlu.ProjectSubmitPlan) || v.ErrAction == string(xinlu.ProjectRevisePlan) {
		return v.Err
	}
	return nil
}

// PlanValue is what the plan form shows in field name: as typed when the
// plan form failed, else the stored value.
func (v projectShowView) PlanValue(name string, stored any) string {
	if vs, ok := v.typed[name]; ok && v.PlanErr() != nil && len(vs) > 0 {
		return vs[0]
	}
	return fmt.Sprint(stored)
}

// Kept is what field name of the form of action shows: as typed when that
// form failed, else def. The project page's step forms never lose input.
func (v projectShowView) Kept(action, name, def string) string {
	if vs, ok := v.typed[name]; ok && v.ErrAction == action && len(vs) > 0 {
		return vs[0]
	}
	return def
}

// ErrFor is the error of the form of action, when that form failed.
func (v projectShowView) ErrFor(action string) error {
	if v.ErrAction == action {
		return v.Err
	}
	return nil
}

// Num is a figure as a form fills it in: exactly, without an exponent
// (1200000, not 1.2e+06).
func (v projectShowView) Num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WanInput is a plan figure as the plan form fills it in: exactly, in 万元
// with its decimals, so that saving the form unchanged keeps it; "" when
// unknown, which the form reads back as unknown (a known 0 is "0").
func (v projectShowView) WanInput(yuan *int64) string {
	if yuan == nil {
		return ""
	}
	return wanInput(*yuan)
}

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request, status int, name string, id int64, err error, errAction string) {
	u := requestInfo(r.Context()).user
	p, lerr := s.store.ProjectByID(r.Context(), xinlu.ProjectZone(u), id)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	v := projectShowView{P: p, Err: err, ErrAction: errAction, Industries: xinlu.Industries, SixNew: xinlu.SixNewTags,
		Chain: xinlu.ChainPositions, Lost: xinlu.LostReasons, Today: s.today().Format(xinlu.DateLayout),
		CanPlan:    u.Can(xinlu.PermProjectPlan) && p.ZoneID == u.ZoneID,
		CanPromote: u.Can(xinlu.PermProjectPromote) && p.ZoneID == u.ZoneID, CanAgency: u.Can(xinlu.PermProjectAgency) && p.ZoneID == u.ZoneID,
		MemberID: u.MemberID}
	if r.Method == http.MethodPost {
		v.typed = r.PostForm
	}
	for i := 1; i <= signScheduleRows; i++ {
		v.ScheduleRows = append(v.ScheduleRows, i)
	}
	if p.Signing.SignedOn != "" {
		if v.Schedule, lerr = s.store.FundsTracking(r.Context(), p, s.today()); lerr != nil {
			s.renderError(w, r, lerr)
			return
		}
		v.ScheduleRate = newPerfCell(v.Schedule.Rate, true)
		_, _, stepErr := xinlu.CheckProjectStep(u, &p.Project, xinlu.ProjectReviseSchedule)
		v.CanRevise = v.CanPromote && stepErr == nil
		_, _, stepErr = xinlu.CheckProjectStep(u, &p.Project, xinlu.ProjectRevisePlan)
		v.CanRevisePlan = p.ZoneID == u.ZoneID && stepErr == nil
		if v.CanRevise {
			for i, it := range v.Schedule.Items {
				v.ReviseRows = append(v.ReviseRows, reviseRow{N: i + 1, DueOn: it.DueOn, Amount: wanInput(it.Yuan), Note: it.Note})
			}
			for n := len(v.ReviseRows) + 1; n <= min(xinlu.MaxInstalments, max(signScheduleRows, len(v.ReviseRows)+2)); n++ {
				v.ReviseRows = append(v.ReviseRows, reviseRow{N: n})
			}
		}
	}
	if v.Approvals, lerr = s.store.Approvals(r.Context(), p.ZoneID, p.ID); lerr == nil {
		var funds []store.Funds
		if funds, lerr = s.store.ProjectFunds(r.Context(), p.ID); lerr == nil {
			v.Funds = fundsRows(funds)
			if v.Events, lerr = s.store.ProjectEvents(r.Context(), p.ID); lerr == nil {
				v.Orders, lerr = s.store.SupervisionOrders(r.Context(), p.ZoneID, p.ID)
			}
		}
	}
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	if u.Can(xinlu.PermLandView) && p.ZoneID == u.ZoneID && name == "project_show" {
		if v.Matches, lerr = s.projectMatches(r, p, v.CanPlan); lerr != nil {
			s.renderError(w, r, lerr)
			return
		}
	}
	v.CanOverride = v.CanPromote && u.Can(xinlu.PermFactorOverride)
	if v.CanPlan || v.CanPromote || v.CanAgency || v.CanRevisePlan {
		v.Parks, v.Members = s.projectChoices(r, p.ZoneID)
	} else if name == "project_proposal" {
		v.Parks, _ = s.projectChoices(r, p.ZoneID)
	}
	title := p.Name
	if name == "project_proposal" {
		title = s.printer(r).T("projects.proposal_title") + " · " + p.Name
	}
	s.render(w, r, status, name, title, v)
}

func (s *Server) projectShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.projectPage(w, r, http.StatusOK, "project_show", id, nil, "")
}

func (s *Server) projectProposal(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.projectPage(w, r, http.StatusOK, "project_proposal", id, nil, "")
}

func formFloat(r *http.Request, name string) (float64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, xinlu.Invalid(name, "error.number")
	}
	return f, nil
}

// formWan reads an amount typed in 万元 (two decimals) as yuan. Thousands
// separators are allowed: the forms fill amounts in as the pages show them
// ("52,000.50"). An amount too large for yuan in an int64 is read as the
// largest one, so that the domain refuses it stating the field's range.
func formWan(r *http.Request, name string) (int64, error) {
	return wanText(name, r.PostFormValue(name))
}

// formMaybeWan reads an amount typed in 万元 that may be unknown
// (xinlu.ParseAmountText): empty or a placeholder (待定, 未定, 面议, —, TBD
// …) is nil; an approximation keeps its figure (约 5000 is 5000, 3000-5000
// its lower bound 3000); a number as formWan reads it. Other text is
// refused, naming it.
func formMaybeWan(r *http.Request, name string) (*int64, error) {
	raw := r.PostFormValue(name)
	at, err := xinlu.ParseAmountText(raw)
	switch {
	case err != nil:
		return nil, xinlu.Invalid(name, "amount.not_a_number", strings.TrimSpace(raw))
	case at.Unknown:
		return nil, nil
	}
	yuan, err := wanText(name, at.Number)
	if err != nil {
		return nil, err
	}
	return &yuan, nil
}

// wanText is formWan of the text v typed in field name.
func wanText(name, v string) (int64, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), ",", "")
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(f) {
		return 0, xinlu.Invalid(name, "error.number")
	}
	switch yuan := f*10000 + 0.5; {
	case yuan >= math.MaxInt64:
		return math.MaxInt64, nil
	case yuan <= math.MinInt64:
		return math.MinInt64, nil
	default:
		return int64(yuan), nil
	}
}

// signScheduleRows is how many instalment rows the sign form offers (the
// API takes up to xinlu.MaxInstalments); the revision form offers the
// schedule's instalments and two blank rows, at least this many.
const signScheduleRows = 6

// scheduleFromForm reads the sign or revision form's instalment rows
// (schedule_due_on_N, schedule_amount_N in 万元, schedule_note_N for N = 1
// up to xinlu.MaxInstalments); blank rows are skipped, so instalments are
// numbered as filled in. An amount that is not a number is refused naming
// its instalment (第 n 笔).
func scheduleFromForm(r *http.Request) ([]xinlu.Instalment, error) {
	var items []xinlu.Instalment
	for row := 1; row <= xinlu.MaxInstalments; row++ {
		n := strconv.Itoa(row)
		due := strings.TrimSpace(r.PostFormValue("schedule_due_on_" + n))
		amount := strings.TrimSpace(r.PostFormValue("schedule_amount_" + n))
		note := strings.TrimSpace(r.PostFormValue("schedule_note_" + n))
		if due == "" && amount == "" && note == "" {
			continue
		}
		yuan, err := formWan(r, "schedule_amount_"+n)
		if err != nil {
			i := len(items)
			return nil, &xinlu.Error{Code: xinlu.EINVALID, Field: "funds_schedule_items[" + strconv.Itoa(i) + "].amount_yuan",
				Key: "project.schedule_amount_number", Args: []any{i + 1}}
		}
		items = append(items, xinlu.Instalment{DueOn: due, Yuan: yuan, Note: note})
	}
	return items, nil
}

// planFromForm reads the plan form; amounts are typed in 万元, and may be
// left unknown (empty or 待定). A figure that is no number is refused with
// every other error of the plan (a draft's when saved, the full plan's when
// submitted), so that the form shows them all at once.
func planFromForm(r *http.Request, submit bool) (*xinlu.Plan, error) {
	p := &xinlu.Plan{Content: r.PostFormValue("content"), ChainPosition: r.PostFormValue("chain_position"), SixNew: r.PostForm["six_new"]}
	var errs xinlu.FieldErrors
	for _, m := range []struct {
		name string
		dst  **int64
	}{{"total_yuan", &p.TotalYuan}, {"fixed_asset_yuan", &p.FixedAssetYuan}, {"output_yuan", &p.OutputYuan}, {"tax_yuan", &p.TaxYuan}} {
		v, err := formMaybeWan(r, m.name)
		*m.dst = v
		errs.Add(err)
	}
	for _, m := range []struct {
		name string
		dst  *float64
	}{{"land_mu", &p.LandMu}, {"water_tpd", &p.WaterTPD}, {"power_kva", &p.PowerKVA}, {"gas_m3pd", &p.GasM3PD}, {"heat_tph", &p.HeatTPH},
		{"floor_area_m2", &p.FloorAreaM2}, {"energy_tce", &p.EnergyTce}} {
		v, err := formFloat(r, m.name)
		*m.dst = v
		errs.Add(err)
	}
	p.Jobs = intField(r, &errs, "jobs")
	p.ProposedParkID = int64Field(r, &errs, "proposed_park_id")
	if err := withValidation(errs, func() error {
		c := *p
		if submit {
			return c.Validate()
		}
		return c.ValidateDraft()
	}); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) projectStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// A project the user cannot see is not found, whatever the action.
	if _, err := s.store.ProjectByID(r.Context(), u.ZoneID, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	action := r.PathValue("action")
	a := xinlu.ActorOf(u, info.ip)
	ctx := r.Context()
	err = func() error {
		version, err := formInt(r, "version")
		if err != nil {
			return err
		}
		switch action {
		case "negotiation":
			return s.store.AddNegotiation(ctx, a, u, id, store.Negotiation{Date: r.PostFormValue("date"),
				Participants: r.PostFormValue("participants"), Outcome: r.PostFormValue("outcome")})
		case "supervision":
			assignee, err := formInt64(r, "assignee_id")
			if err != nil {
				return err
			}
			return s.store.AddSupervisionOrder(ctx, a, u, id, store.SupervisionOrder{Task: r.PostFormValue("task"),
				AssigneeID: assignee, Due: r.PostFormValue("due")})
		case "funds":
			amount, err := formWan(r, "amount_yuan")
			if err != nil {
				return err
			}
			return s.store.RecordFunds(ctx, a, u, id, store.Funds{OnDate: r.PostFormValue("date"), Yuan: amount, Note: r.PostFormValue("note")})
		case "approvals":
			limit, err := formInt(r, "limit_days")
			if err != nil {
				return err
			}
			agent, err := formInt64(r, "agent_id")
			if err != nil {
				return err
			}
			return s.store.AddApproval(ctx, a, u, id, &store.ApprovalItem{Name: r.PostFormValue("name"), LimitDays: limit, AgentID: agent})
		}
		in := store.StepInput{Date: r.PostFormValue("date"), Reason: r.PostFormValue("lost_reason"), Note: r.PostFormValue("note")}
		switch xinlu.ProjectAction(action) {
		case xinlu.ProjectSavePlan, xinlu.ProjectSubmitPlan:
			if in.Plan, err = planFromForm(r, xinlu.ProjectAction(action) == xinlu.ProjectSubmitPlan); err != nil {
				return err
			}
		case xinlu.ProjectSign:
			contract, err := formWan(r, "contract_yuan")
			if err != nil {
				return err
			}
			items, err := scheduleFromForm(r)
			if err != nil {
				return err
			}
			in.Signing = &xinlu.Signing{SignedOn: r.PostFormValue("signed_on"), ContractYuan: contract,
				PromisedStart: r.PostFormValue("promised_start"), PromisedProduce: r.PostFormValue("promised_produce"),
				FundsSchedule: strings.TrimSpace(r.PostFormValue("funds_schedule")), Instalments: items}
			in.Override = store.Override{Yes: r.PostFormValue("override") == "1", Reason: r.PostFormValue("override_reason")}
		case xinlu.ProjectRevisePlan:
			in.Override = store.Override{Yes: r.PostFormValue("override") == "1", Reason: r.PostFormValue("override_reason")}
			if in.Plan, err = planFromForm(r, true); err != nil {
				if strings.TrimSpace(in.Note) != "" {
					return err
				}
				// A figure that is no number is a change: ask for its reason with it.
				errs := xinlu.FieldErrors(xinlu.ErrorsOf(err))
				errs.Invalid("note", "project.plan_reason_required")
				return errs.Err()
			}
		case xinlu.ProjectAssignSponsor:
			if in.SponsorID, err = formInt64(r, "sponsor_id"); err != nil {
				return err
			}
		case xinlu.ProjectReviseSchedule:
			if in.Schedule, err = scheduleFromForm(r); err != nil {
				return err
			}
		}
		_, err = s.store.StepProject(ctx, a, u, id, version, xinlu.ProjectAction(action), in)
		return err
	}()
	s.afterStep(w, r, id, action, err)
}

// afterStep ends a step: back to the project page with a flash, or the
// page again with the error beside the form that caused it.
func (s *Server) afterStep(w http.ResponseWriter, r *http.Request, id int64, action string, err error) {
	if err != nil {
		if isFormError(err) {
			s.projectPage(w, r, statusOf(err), "project_show", id, err, action)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flashStep(w, r, "project", action)
	redirect(w, r, "/projects/"+strconv.FormatInt(id, 10))
}

func (s *Server) projectApprovalStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	item, err := pathID(r, "item")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := s.store.ProjectByID(r.Context(), info.user.ZoneID, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	err = func() error {
		version, err := formInt(r, "version")
		if err != nil {
			return err
		}
		agent, err := formInt64(r, "agent_id")
		if err != nil {
			return err
		}
		_, err = s.store.StepApproval(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, item, version, r.PathValue("action"),
			store.ApprovalInput{AgentID: agent, Note: r.PostFormValue("note")})
		return err
	}()
	s.afterStep(w, r, id, "approval", err)
}

// supervisionClose closes a supervision order with its evidence.
func (s *Server) supervisionClose(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	order, err := pathID(r, "order")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		err = s.store.CloseSupervisionOrder(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, order,
			r.PostFormValue("closed_on"), r.PostFormValue("evidence"), version)
	}
	s.afterStep(w, r, id, "supervision_close", err)
}

// wanInput writes an amount in 万元 for a form field, exactly and without
// separators, so that saving the form unchanged keeps the amount: 12345678
// yuan is "1234.5678", 50000000 is "5000".
func wanInput(yuan int64) string {
	s := strconv.FormatInt(yuan/10000, 10)
	if frac := yuan % 10000; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%04d", frac), "0")
	}
	return s
}
