package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) homeRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/{$}", Perm: xinlu.PermSignedIn, Handler: s.home},
		{Method: "GET", Pattern: "/profile", Perm: xinlu.PermSignedIn, Handler: s.profile},
	}
}

// homeTodoLimit is how many records each to-do on the home lists; its
// count and the link to the full list tell the rest.
const homeTodoLimit = 5

// today is the current date in the zone's time.
func (s *Server) today() time.Time {
	y, m, d := s.store.Now().In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// todoRow is one record of a to-do as the home lists it.
type todoRow struct {
	Href     string
	Name, Of string
	Who      string
	Status   string // an i18n key, "" for none
	Due      string
	Light    xinlu.Light
	Tone     string // the tag colour of Light or of a contract's days left
	DaysLeft int    // a contract's days left
	Contract bool
}

// todoView is one to-do: a label, the count with its red and yellow ones,
// the full list's link and the first records, most urgent first.
type todoView struct {
	ID                 string // the element id, for tests and anchors
	Key                string // i18n key of the label
	Count, Red, Yellow int
	RedKey, YellowKey  string // the labels of Red and Yellow, "" for overdue and due soon
	Link               string
	Rows               []todoRow
}

// homeFigure is one figure a role cares about, with where it comes from.
type homeFigure struct {
	Key   string // i18n key of the label
	Label string // the label as it is, when Key is ""
	Value string
	Href  string
}

// homeSection is what one role (or "mine", the user as a member) sees.
type homeSection struct {
	ID      string
	Key     string // i18n key of the heading
	Todos   []todoView
	Figures []homeFigure
	Links   []homeFigure // Key and Href only
	Leads   *homeLeads   // "mine": the fate of the leads the user reported
	Band    *store.LatestBand
}

// homeLeads are the leads the user reported: counts by status and the
// latest few.
type homeLeads struct {
	Total  int
	Counts []store.LeadCount
	Rows   []leadRow
}

type homeView struct {
	Today    string
	Sections []homeSection
}

func todoOf(id, key, link string, t store.Todos, href func(store.TodoItem) string, status func(store.TodoItem) string) todoView {
	v := todoView{ID: id, Key: key, Count: t.Count, Red: t.Red, Yellow: t.Yellow, Link: link}
	for _, it := range t.Items {
		row := todoRow{Href: href(it), Name: it.Name, Of: it.Of, Who: it.Who, Due: it.Due, Light: it.Light, Tone: lightTone(it.Light)}
		if status != nil {
			row.Status = status(it)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// periodTodo lists the zone's periods in states that keep passes: each a
// row linked to its page, with its state.
func (s *Server) periodTodo(r *http.Request, u *xinlu.User, id, key string, states []xinlu.PeriodState, keep func(*xinlu.Period) bool) (todoView, error) {
	t := todoView{ID: id, Key: key, Link: "/appraisal/periods"}
	periods, _, err := s.store.ListPeriods(r.Context(), store.PeriodFilter{ZoneID: u.ZoneID, States: states, Page: xinlu.Page{PerPage: 20}})
	if err != nil {
		return t, err
	}
	for _, per := range periods {
		if !keep(per) {
			continue
		}
		t.Count++
		if len(t.Rows) < homeTodoLimit {
			t.Rows = append(t.Rows, todoRow{Href: "/appraisal/periods/" + strconv.FormatInt(per.ID, 10), Name: per.Label,
				Status: "appraisal.state." + string(per.State)})
		}
	}
	return t, nil
}

func projectHref(it store.TodoItem) string { return "/projects/" + strconv.FormatInt(it.LinkID, 10) }

// home is the workbench (工作台): for each of the user's roles what waits
// for them, red and yellow first, each record a click away; then the few
// figures the role looks at.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	v, err := s.workbench(r, u)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", s.printer(r).T("nav.home"), v)
}

func (s *Server) workbench(r *http.Request, u *xinlu.User) (homeView, error) {
	ctx := r.Context()
	v := homeView{Today: s.today().Format(xinlu.DateLayout)}
	lt, err := s.store.ZoneLights(ctx, u.ZoneID)
	if err != nil {
		return v, err
	}
	has := func(role xinlu.Role) bool { return slices.Contains(u.Roles, role) }
	var firstErr error
	keep := func(t store.Todos, err error) store.Todos {
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return t
	}
	leadHref := func(it store.TodoItem) string { return "/leads/" + strconv.FormatInt(it.ID, 10) }
	orderHref := func(it store.TodoItem) string {
		return "/projects/" + strconv.FormatInt(it.LinkID, 10) + "#supervision-orders"
	}
	approvalHref := func(it store.TodoItem) string { return "/projects/" + strconv.FormatInt(it.LinkID, 10) + "#approvals" }
	stageKey := func(it store.TodoItem) string { return "stage." + it.Status }
	approvalKey := func(it store.TodoItem) string { return "projects.approval." + it.Status }

	if u.MemberID != 0 && u.Can(xinlu.PermLeadReport) {
		sec := homeSection{ID: "home-mine", Key: "workbench.section.mine"}
		counts, total, err := s.store.ReportedLeadCounts(ctx, u.ZoneID, u.MemberID)
		if err != nil {
			return v, err
		}
		mine, _, err := s.store.ListLeads(ctx, store.LeadFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: u.ZoneID, MemberID: u.MemberID},
			Page: xinlu.Page{PerPage: homeTodoLimit}})
		if err != nil {
			return v, err
		}
		sec.Leads = &homeLeads{Total: total, Counts: counts, Rows: s.leadRows(r, u.ZoneID, mine)}
		if orders := keep(s.store.OrdersAssigned(ctx, lt, u.MemberID, homeTodoLimit)); orders.Count > 0 {
			sec.Todos = append(sec.Todos, todoOf("todo-orders-mine", "workbench.todo.orders_assigned", "", orders, orderHref, nil))
		}
		if u.Can(xinlu.PermAppraisalView) {
			if sec.Band, err = s.store.MemberLatestBand(ctx, u.ZoneID, u.MemberID); err != nil {
				return v, err
			}
		}
		v.Sections = append(v.Sections, sec)
	}
	if has(xinlu.RoleScreener) {
		v.Sections = append(v.Sections, homeSection{ID: "home-screener", Key: "role.screener", Todos: []todoView{
			todoOf("todo-leads", "workbench.todo.leads_to_screen", "/leads", keep(s.store.LeadsToScreen(ctx, lt, homeTodoLimit)),
				leadHref, func(it store.TodoItem) string { return "lead.status." + it.Status }),
		}})
	}
	if has(xinlu.RolePlanner) {
		v.Sections = append(v.Sections, homeSection{ID: "home-planner", Key: "role.planner", Todos: []todoView{
			todoOf("todo-plans", "workbench.todo.plans_due", "/projects?stage=packaging&status=active",
				keep(s.store.PlansDue(ctx, lt, homeTodoLimit)), projectHref, nil),
		}})
	}
	if has(xinlu.RoleSponsor) {
		sec := homeSection{ID: "home-sponsor", Key: "role.sponsor"}
		if u.MemberID != 0 {
			sec.Todos = append(sec.Todos,
				todoOf("todo-sponsored", "workbench.todo.projects_sponsored", "/projects?status=active&sponsor_id="+strconv.FormatInt(u.MemberID, 10),
					keep(s.store.SponsoredProjects(ctx, lt, u.MemberID, homeTodoLimit)), projectHref, stageKey),
				todoOf("todo-orders", "workbench.todo.orders_to_push", "",
					keep(s.store.OrdersToPush(ctx, lt, u.MemberID, homeTodoLimit)), orderHref, nil))
		}
		sec.Todos = append(sec.Todos, todoOf("todo-unsponsored", "workbench.todo.projects_unsponsored", "/projects?stage=promotion&status=active",
			keep(s.store.UnsponsoredProjects(ctx, lt, homeTodoLimit)), projectHref, nil))
		v.Sections = append(v.Sections, sec)
	}
	if has(xinlu.RoleAgent) {
		v.Sections = append(v.Sections, homeSection{ID: "home-agent", Key: "role.agent", Todos: []todoView{
			todoOf("todo-approvals", "workbench.todo.approvals_due", "/projects?stage=agency&status=active",
				keep(s.store.ApprovalsDue(ctx, lt, u.MemberID, homeTodoLimit)), approvalHref, approvalKey),
		}})
	}
	if has(xinlu.RoleHead) && u.Can(xinlu.PermAppraisalScore) {
		scores, err := s.store.ScoresToEnter(ctx, u, u.Filter(xinlu.PermAppraisalScore))
		if err != nil {
			return v, err
		}
		t := todoView{ID: "todo-scores", Key: "workbench.todo.scores_to_enter", Link: "/appraisal/periods"}
		for _, sc := range scores {
			t.Count += sc.Members
			if sc.Members > 0 {
				t.Rows = append(t.Rows, todoRow{Href: "/appraisal/periods/" + strconv.FormatInt(sc.PeriodID, 10) + "/scores",
					Name: sc.Label, Of: s.printer(r).T("workbench.members_to_score", sc.Members), Status: "appraisal.state." + string(sc.State)})
			}
		}
		v.Sections = append(v.Sections, homeSection{ID: "home-head", Key: "role.head", Todos: []todoView{t}})
	}
	if has(xinlu.RoleAppraiser) {
		sec := homeSection{ID: "home-appraiser", Key: "role.appraiser", Todos: []todoView{
			todoOf("todo-appeals", "workbench.todo.appeals_to_answer", "/appraisal/periods",
				keep(s.store.AppealsToAnswer(ctx, lt, homeTodoLimit)),
				func(it store.TodoItem) string {
					return "/appraisal/periods/" + strconv.FormatInt(it.LinkID, 10) + "#appeals"
				}, nil),
		}}
		// The periods still running, each with its state: what the office
		// moves on next.
		periods, _, err := s.store.ListPeriods(ctx, store.PeriodFilter{ZoneID: u.ZoneID, States: []xinlu.PeriodState{xinlu.PeriodDraft,
			xinlu.PeriodScoring, xinlu.PeriodCalculated, xinlu.PeriodCalibration, xinlu.PeriodPublication, xinlu.PeriodRecheck, xinlu.PeriodFinal},
			Page: xinlu.Page{PerPage: 4}})
		if err != nil {
			return v, err
		}
		for _, per := range periods {
			sec.Figures = append(sec.Figures, homeFigure{Label: per.Label, Value: s.printer(r).T("appraisal.state." + string(per.State)),
				Href: "/appraisal/periods/" + strconv.FormatInt(per.ID, 10)})
		}
		v.Sections = append(v.Sections, sec)
	}
	if has(xinlu.RoleDiscipline) {
		v.Sections = append(v.Sections, homeSection{ID: "home-discipline", Key: "role.discipline", Todos: []todoView{
			todoOf("todo-claims", "workbench.todo.claims_to_decide", "/tolerance", keep(s.store.ClaimsToDecide(ctx, lt, u, homeTodoLimit)),
				func(it store.TodoItem) string { return "/tolerance/" + strconv.FormatInt(it.ID, 10) },
				func(it store.TodoItem) string { return "tolerance.status." + it.Status }),
		}})
	}
	// Contracts ending: the organisation office (HR) and whoever manages
	// staff records. The count is the contracts-expiring page's own, with
	// its default window and the same scope.
	if has(xinlu.RoleDiscipline) || u.Can(xinlu.PermStaffManage) {
		f := store.ContractFilter{Scope: u.Filter(xinlu.PermStaffView), Status: xinlu.ContractActive, Sort: "end",
			EndTo: s.today().AddDate(0, 0, xinlu.ContractWarnDays).Format(xinlu.DateLayout), Page: xinlu.Page{PerPage: homeTodoLimit}}
		items, total, err := s.store.ListContracts(ctx, f)
		if err != nil {
			return v, err
		}
		// Red within ContractUrgentDays (or past), yellow within
		// ContractWarnDays, as the page colours them.
		f.EndTo, f.Page = s.today().AddDate(0, 0, xinlu.ContractUrgentDays).Format(xinlu.DateLayout), xinlu.Page{PerPage: 1}
		_, red, err := s.store.ListContracts(ctx, f)
		if err != nil {
			return v, err
		}
		t := todoView{ID: "todo-contracts", Key: "workbench.todo.contracts_ending", Count: total, Red: red, Yellow: total - red,
			RedKey: "workbench.contracts_urgent", YellowKey: "workbench.contracts_soon", Link: "/contracts/expiring"}
		today := s.today()
		for _, c := range items {
			d := xinlu.DaysLeft(today, c.EndDate)
			t.Rows = append(t.Rows, todoRow{Href: "/members/" + strconv.FormatInt(c.MemberID, 10), Name: c.MemberName,
				Of: c.DepartmentName, Due: c.EndDate, Tone: xinlu.ExpiryTone(d), DaysLeft: d, Contract: true})
		}
		v.Sections = append(v.Sections, homeSection{ID: "home-hr", Key: "workbench.section.hr", Todos: []todoView{t}})
	}
	if has(xinlu.RoleFinance) && u.Can(xinlu.PermAppraisalPool) {
		// The pay pool is set before a period is final.
		t, err := s.periodTodo(r, u, "todo-pools", "workbench.todo.pools_to_set", []xinlu.PeriodState{xinlu.PeriodCalculated,
			xinlu.PeriodCalibration, xinlu.PeriodPublication, xinlu.PeriodRecheck}, func(p *xinlu.Period) bool { return p.PoolYuan == 0 })
		if err != nil {
			return v, err
		}
		v.Sections = append(v.Sections, homeSection{ID: "home-finance", Key: "role.finance", Todos: []todoView{t}})
	}
	if has(xinlu.RoleDirector) {
		sec := homeSection{ID: "home-director", Key: "role.director", Todos: []todoView{
			todoOf("todo-red-projects", "workbench.todo.red_projects", "/projects?light=red",
				keep(s.store.RedProjects(ctx, lt, homeTodoLimit)), projectHref, stageKey),
			todoOf("todo-red-approvals", "workbench.todo.red_approvals", "",
				keep(s.store.RedApprovals(ctx, lt, homeTodoLimit)), approvalHref, approvalKey),
		}}
		if u.Can(xinlu.PermAppraisalFinalize) {
			// Published periods whose publication is over wait for the
			// director to finalise them.
			today := s.today().Format(xinlu.DateLayout)
			t, err := s.periodTodo(r, u, "todo-finalize", "workbench.todo.periods_to_finalize", []xinlu.PeriodState{xinlu.PeriodPublication},
				func(p *xinlu.Period) bool { return p.PublicationEnds != "" && p.PublicationEnds < today })
			if err != nil {
				return v, err
			}
			sec.Todos = append(sec.Todos, t)
		}
		if u.Can(xinlu.PermIncentiveApprove) {
			n, err := s.store.ProposedIncentives(ctx, u.ZoneID)
			if err != nil {
				return v, err
			}
			sec.Todos = append(sec.Todos, todoView{ID: "todo-incentives", Key: "workbench.todo.incentives_to_approve", Count: n,
				Link: "/incentives?status=proposed"})
		}
		cols, err := s.store.Kanban(ctx, u.ZoneID)
		if err != nil {
			return v, err
		}
		var count, unknown int
		var yuan int64
		for _, c := range cols {
			count, yuan, unknown = count+c.Count, yuan+c.Yuan, unknown+c.Unknown
		}
		p := s.printer(r)
		amount := formatMoney(p, yuan)
		if unknown > 0 {
			amount += "（" + p.T("amount.unknown_count", unknown) + "）"
		}
		sec.Figures = []homeFigure{
			{Key: "workbench.figure.pipeline_projects", Value: strconv.Itoa(count), Href: "/projects/kanban"},
			{Key: "workbench.figure.pipeline_amount", Value: amount, Href: "/projects/kanban"},
		}
		// The cockpit (驾驶舱) is not built yet: the director's home links to
		// the kanban and the contract-performance page in its place.
		sec.Links = []homeFigure{
			{Key: "projects.kanban_title", Href: "/projects/kanban"},
			{Key: "performance.title", Href: "/projects/performance"},
		}
		v.Sections = append(v.Sections, sec)
	}
	return v, firstErr
}

type profileView struct {
	Tokens []store.Session
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	tokens, err := s.store.ListTokens(r.Context(), u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "profile", s.printer(r).T("nav.profile"), profileView{Tokens: tokens})
}

// healthz answers 503 (with Retry-After) when the database does not answer
// and 200 when it does. The body says why: "status" is "ok", "degraded" or
// "unavailable"; "disk" is "ok" or "low" for a SQLite database (free space
// on its filesystem under Config.DiskLowBytes, 100 MB by default, or under
// 1% of the filesystem) and "unchecked" on PostgreSQL, whose disk is the
// database server's. A low disk is "degraded" but still 200: the server
// answers, and writes will soon fail with 503; monitoring alerts on any
// status but "ok".
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		w.Header().Set("Retry-After", httpx.RetryAfter)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unavailable","database":"down"}` + "\n"))
		return
	}
	out := struct {
		Status     string `json:"status"`
		Database   string `json:"database"`
		Disk       string `json:"disk"`
		DiskFreeMB *int64 `json:"disk_free_mb,omitempty"`
	}{Status: "ok", Database: "up", Disk: "unchecked"}
	if free, total, ok := s.store.DiskSpace(); ok {
		mb := int64(free >> 20)
		out.Disk, out.DiskFreeMB = "ok", &mb
		if free < max(s.cfg.DiskLowBytes, total/100) {
			out.Status, out.Disk = "degraded", "low"
			s.log.Warn("health check: the database's disk is almost full", "free_mb", mb, "total_mb", total>>20)
		}
	}
	b, _ := json.Marshal(out)
	w.Write(append(b, '\n'))
}
