package web

import (
	"net/http"
	"strings"

	"xinlu/internal/api"
	"xinlu/internal/i18n"
	"xinlu/internal/xinlu"
)

// Route is one entry of the route table: the only place that says who may
// call what. The router is built from it and a test walks it as every role.
type Route struct {
	Method  string
	Pattern string
	Perm    xinlu.Permission
	Handler http.HandlerFunc
	API     bool // an /api/v1 route (listed by Routes; served by package api)
}

// mountAPI builds the JSON API, a sibling of the pages, and keeps what the
// server needs to mount it: its route table and its error envelope, for
// the answers the server gives under /api/ itself (no such route, not
// signed in, refused).
func (s *Server) mountAPI(cat *i18n.Catalog) {
	a := api.New(s.store, cat, api.Config{
		Sessions: s.cfg.Sessions, LoginLimit: s.cfg.LoginLimit, LoginWindow: s.cfg.LoginWindow,
		Logger: s.cfg.Logger, RequestID: func(r *http.Request) string { return requestInfo(r.Context()).id },
	})
	for _, rt := range a.Routes() {
		s.apiRoutes = append(s.apiRoutes, Route{Method: rt.Method, Pattern: rt.Pattern, Perm: rt.Perm, Handler: rt.Handler, API: true})
	}
	s.apiError = a.WriteError
}

// pageRoutes is the table of HTML routes, area by area.
func (s *Server) pageRoutes() []Route {
	var rs []Route
	for _, area := range [][]Route{
		s.authRoutes(),
		s.homeRoutes(),
		s.cockpitRoutes(),
		s.departmentRoutes(),
		s.staffRoutes(),
		s.personalRoutes(),
		s.teamRoutes(),
		s.parkRoutes(),
		s.landRoutes(),
		s.parcelImportRoutes(),
		s.castingRoutes(),
		s.enterpriseRoutes(),
		s.targetRoutes(),
		s.calendarRoutes(),
		s.userRoutes(),
		s.auditRoutes(),
		s.securityRoutes(),
		s.identityRoutes(),
		s.leadRoutes(),
		s.projectRoutes(),
		s.projectImportRoutes(),
		s.notificationRoutes(),
		s.performanceRoutes(),
		s.appraisalRoutes(),
		s.incentiveRoutes(),
		s.toleranceRoutes(),
		s.studyRoutes(),
		s.briefingRoutes(),
		s.assessmentRoutes(),
		s.pipelineSettingsRoutes(),
		s.searchRoutes(),
		s.helpRoutes(),
	} {
		rs = append(rs, area...)
	}
	return rs
}

// allowedWhilePasswordExpired are the routes a user who must change the
// password can still reach.
var allowedWhilePasswordExpired = map[string]bool{
	"GET /password": true, "POST /password": true, "POST /logout": true, "POST /lang": true,
	"POST /api/v1/me/password": true, "GET /api/v1/me": true, "POST /api/v1/auth/logout": true,
}

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.guard(rt.Method+" "+rt.Pattern, rt.Perm, false, rt.Handler))
	}
	for _, rt := range s.apiRoutes {
		key := rt.Method + " /api/v1" + rt.Pattern
		mux.Handle(key, s.guard(key, rt.Perm, true, rt.Handler))
	}
	mux.Handle("GET /static/", s.static)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.metrics.serve(s.store))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, xinlu.NotFound("error.not_found"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, xinlu.NotFound("error.page_not_found"))
	})
	var h http.Handler = mux
	h = s.csrf(h)
	h = s.authenticate(h)
	h = s.admit(h)
	h = s.limitBody(h)
	h = securityHeaders(h, s.cfg.SecureCookies)
	h = s.recoverPanics(h)
	h = s.observe(h)
	return h
}

// guard enforces a route's permission before its handler runs.
func (s *Server) guard(key string, perm xinlu.Permission, isAPI bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := requestInfo(r.Context())
		info.route = key
		if perm == xinlu.PermPublic {
			h(w, r)
			return
		}
		u := xinlu.UserFromContext(r.Context())
		if u == nil {
			if isAPI {
				s.apiError(w, r, &xinlu.Error{Code: xinlu.EUNAUTHORIZED, Key: "auth.required"})
				return
			}
			next := r.URL.RequestURI()
			if r.Method != http.MethodGet || strings.HasPrefix(next, "/login") {
				next = "/"
			}
			http.Redirect(w, r, "/login?next="+urlQueryEscape(next), http.StatusSeeOther)
			return
		}
		if u.MustChangePassword && !allowedWhilePasswordExpired[key] {
			if isAPI {
				s.apiError(w, r, &xinlu.Error{Code: xinlu.EFORBIDDEN, Key: "auth.must_change_password"})
				return
			}
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		if !u.Can(perm) {
			_ = s.store.Audit(r.Context(), xinlu.ActorOf(u, info.ip), "access.denied", "route", 0,
				map[string]any{"route": key, "path": r.URL.Path})
			if isAPI {
				s.apiError(w, r, xinlu.Forbidden())
				return
			}
			s.renderError(w, r, xinlu.Forbidden())
			return
		}
		if s.rateLimited(w, r, key, u) {
			return
		}
		h(w, r)
	})
}

// navItem is one entry of the left menu.
type navItem struct {
	Key  string // i18n key of the label
	Path string
	Perm xinlu.Permission
	Icon string
	// Show, when set, also decides: the item appears only where the
	// user can do something useful there.
	Show func(u *xinlu.User) bool
}

// seesOthers: the user sees more people than themselves (a member's
// organisation pages would show only their own record).
func seesOthers(u *xinlu.User) bool {
	return u.Filter(xinlu.PermStaffView).Scope > xinlu.ScopeOwn || u.Can(xinlu.PermOrgManage)
}

// hasMember: the account has a staff record of its own.
func hasMember(u *xinlu.User) bool { return u.MemberID != 0 }

type navGroup struct {
	Key   string
	Items []navItem
}

// navigation is the whole menu; each user sees the items their roles allow.
var navigation = []navGroup{
	{Key: "nav.group.workbench", Items: []navItem{
		{Key: "nav.home", Path: "/", Perm: xinlu.PermSignedIn, Icon: "home"},
		{Key: "nav.profile", Path: "/profile", Perm: xinlu.PermSignedIn, Icon: "user"},
		{Key: "notifications.nav", Path: "/notifications", Perm: xinlu.PermSignedIn, Icon: "bell"},
		{Key: "help.nav", Path: "/help", Perm: xinlu.PermSignedIn, Icon: "help"},
	}},
	{Key: "cockpit.nav_group", Items: []navItem{
		{Key: "cockpit.nav", Path: "/cockpit", Perm: xinlu.PermCockpitView, Icon: "chart"},
		{Key: "cockpit.nav_screen", Path: "/cockpit/screen", Perm: xinlu.PermCockpitView, Icon: "monitor"},
		{Key: "cockpit.nav_zones", Path: "/cockpit/zones", Perm: xinlu.PermCockpitView, Icon: "columns", Show: rollsUp},
	}},
	{Key: "leads.nav_group", Items: []navItem{
		{Key: "leads.nav_report", Path: "/leads/new", Perm: xinlu.PermLeadReport, Icon: "plus"},
		{Key: "leads.nav_mine", Path: "/leads/mine", Perm: xinlu.PermLeadReport, Icon: "list"},
		{Key: "leads.nav_screen", Path: "/leads", Perm: xinlu.PermLeadScreen, Icon: "flag"},
		{Key: "projects.nav_kanban", Path: "/projects/kanban", Perm: xinlu.PermProjectView, Icon: "columns"},
		{Key: "projects.nav_ledger", Path: "/projects", Perm: xinlu.PermProjectView, Icon: "table"},
		{Key: "performance.title", Path: "/projects/performance", Perm: xinlu.PermProjectView, Icon: "chart"},
	}},
	{Key: "appraisal.nav_group", Items: []navItem{
		{Key: "appraisal.nav_mine", Path: "/appraisal/mine", Perm: xinlu.PermAppraisalView, Icon: "star", Show: hasMember},
		{Key: "appraisal.nav_periods", Path: "/appraisal/periods", Perm: xinlu.PermAppraisalView, Icon: "calendar"},
		{Key: "appraisal.nav_schemes", Path: "/appraisal/schemes", Perm: xinlu.PermAppraisalManage, Icon: "scale"},
		{Key: "appraisal.base_pay_title", Path: "/appraisal/base-pay", Perm: xinlu.PermAppraisalPool, Icon: "money"},
		{Key: "incentives.nav", Path: "/incentives", Perm: xinlu.PermIncentiveView, Icon: "award"},
		{Key: "consequences.nav", Path: "/consequences", Perm: xinlu.PermConsequenceDecide, Icon: "gavel"},
		{Key: "tolerance.nav_mine", Path: "/tolerance/mine", Perm: xinlu.PermToleranceFile, Icon: "shield"},
		{Key: "tolerance.nav_register", Path: "/tolerance", Perm: xinlu.PermToleranceHandle, Icon: "shield"},
	}},
	{Key: "land.nav_group", Items: []navItem{
		{Key: "land.nav_parks", Path: "/land", Perm: xinlu.PermLandView, Icon: "map"},
		{Key: "land.nav_parcels", Path: "/land/parcels", Perm: xinlu.PermLandView, Icon: "table"},
		{Key: "land.nav_capacity", Path: "/land/capacity", Perm: xinlu.PermLandView, Icon: "chart"},
		{Key: "land.nav_demand", Path: "/land/demand", Perm: xinlu.PermLandView, Icon: "list"},
		{Key: "enterprise.nav", Path: "/enterprises", Perm: xinlu.PermLandView, Icon: "badge"},
		{Key: "efficiency.nav", Path: "/efficiency", Perm: xinlu.PermLandView, Icon: "award"},
		{Key: "casting.nav", Path: "/casting", Perm: xinlu.PermLandView, Icon: "scale"},
		{Key: "target.nav", Path: "/targets", Perm: xinlu.PermLandView, Icon: "target"},
	}},
	{Key: "briefing.nav_group", Items: []navItem{
		{Key: "briefing.nav", Path: "/briefings", Perm: xinlu.PermBriefingView, Icon: "list"},
		{Key: "assessment.nav", Path: "/assessment", Perm: xinlu.PermAssessmentView, Icon: "award"},
	}},
	{Key: "study.nav_group", Items: []navItem{
		{Key: "study.nav_mine", Path: "/study/mine", Perm: xinlu.PermStudyWrite, Icon: "pen", Show: hasMember},
		{Key: "study.nav_campaigns", Path: "/study/campaigns", Perm: xinlu.PermSignedIn, Icon: "list", Show: studyReviews},
		{Key: "study.nav_settings", Path: "/study/settings", Perm: xinlu.PermStudySettings, Icon: "sliders"},
	}},
	{Key: "nav.group.organisation", Items: []navItem{
		{Key: "nav.departments", Path: "/departments", Perm: xinlu.PermOrgView, Icon: "tree", Show: seesOthers},
		{Key: "nav.positions", Path: "/positions", Perm: xinlu.PermOrgView, Icon: "badge", Show: seesOthers},
		{Key: "nav.members", Path: "/members", Perm: xinlu.PermStaffView, Icon: "people", Show: seesOthers},
		{Key: "nav.contracts_expiring", Path: "/contracts/expiring", Perm: xinlu.PermStaffView, Icon: "hourglass", Show: seesOthers},
		{Key: "nav.teams", Path: "/teams", Perm: xinlu.PermOrgView, Icon: "target"},
		{Key: "nav.parks", Path: "/parks", Perm: xinlu.PermOrgView, Icon: "map", Show: seesOthers},
	}},
	{Key: "nav.group.security", Items: []navItem{
		{Key: "nav.alarms", Path: "/security/alarms", Perm: xinlu.PermSecurityManage, Icon: "alert"},
		{Key: "nav.sessions", Path: "/security/sessions", Perm: xinlu.PermSecurityManage, Icon: "swap"},
		{Key: "identity.nav_accounts", Path: "/security/accounts", Perm: xinlu.PermSecurityManage, Icon: "lock"},
	}},
	{Key: "nav.group.system", Items: []navItem{
		{Key: "nav.users", Path: "/users", Perm: xinlu.PermUserView, Icon: "gear"},
		{Key: "nav.calendar", Path: "/calendar", Perm: xinlu.PermCalendarView, Icon: "calendar"},
		{Key: "pipeline_settings.nav", Path: "/settings/pipeline", Perm: xinlu.PermOrgManage, Icon: "sliders"},
		{Key: "nav.audit", Path: "/audit", Perm: xinlu.PermAuditView, Icon: "pen"},
	}},
}

// navFor returns the menu groups u may see, with empty groups left out.
func navFor(u *xinlu.User) []navGroup {
	var out []navGroup
	for _, g := range navigation {
		var items []navItem
		for _, it := range g.Items {
			if u.Can(it.Perm) && (it.Show == nil || it.Show(u)) {
				items = append(items, it)
			}
		}
		if len(items) > 0 {
			out = append(out, navGroup{Key: g.Key, Items: items})
		}
	}
	return out
}
