package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// fill replaces path wildcards with an id no record has, so that allowed
// calls end in 404 or 422 and change nothing.
var wildcard = regexp.MustCompile(`\{[^}]+\}`)

func fill(pattern string) string {
	p := strings.TrimSuffix(pattern, "{$}")
	return wildcard.ReplaceAllString(p, "999999")
}

// TestEveryRouteAsEveryRole walks the whole route table as anonymous and as
// every role, checking that the server allows exactly what the table says.
func TestEveryRouteAsEveryRole(t *testing.T) {
	a := newApp(t)
	routes := a.srv.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		if rt.Perm == "" {
			t.Errorf("%s %s has no permission in the route table", rt.Method, rt.Pattern)
		}
	}
	anon := a.anon()
	for _, rt := range routes {
		path := fill(rt.Pattern)
		res := anon.do(rt.Method, path, "", nil)
		switch {
		case rt.Perm == xinlu.PermPublic:
			if res.StatusCode == 401 || res.StatusCode == 403 {
				t.Errorf("anonymous %s %s: public route answered %d", rt.Method, path, res.StatusCode)
			}
		case rt.API:
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous %s %s: %d, want 401", rt.Method, path, res.StatusCode)
			}
		default:
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("anonymous %s %s: %d %s, want redirect to login", rt.Method, path, res.StatusCode, res.Header.Get("Location"))
			}
		}
	}
	for _, role := range xinlu.Roles {
		u := a.users[role]
		page, tok := a.as(role), a.api(role)
		for _, rt := range routes {
			c := page
			if rt.API {
				c = tok
			}
			if strings.HasSuffix(rt.Pattern, "/logout") || rt.Pattern == "/login" {
				continue // ends or replaces the session; covered by TestLoginLogoutAndSessions
			}
			path := fill(rt.Pattern)
			res := c.do(rt.Method, path, "", nil)
			// Every answer to a signed-in user is kept by no cache and carries the security headers.
			h := res.Header
			if h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("Referrer-Policy") == "" {
				t.Errorf("%s %s %s: missing security headers or no-store: %v", role, rt.Method, path, h)
			}
			allowed := u.Can(rt.Perm)
			if allowed && res.StatusCode == http.StatusForbidden {
				t.Errorf("%s %s %s: 403 but the table allows %s", role, rt.Method, path, rt.Perm)
			}
			if !allowed {
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s %s: %d, want 403 (needs %s)", role, rt.Method, path, res.StatusCode, rt.Perm)
				} else if rt.API {
					if code, _, _ := jsonError(t, res.body); code != "forbidden" {
						t.Errorf("%s %s %s: error code %q", role, rt.Method, path, code)
					}
				} else if !strings.Contains(res.body, "没有权限") {
					t.Errorf("%s %s %s: 403 page is not in Chinese", role, rt.Method, path)
				}
			}
		}
	}
}

// TestPermissionMatrix pins who may do the sensitive things, independently
// of the grants table, so that a change to the table is a visible decision.
func TestPermissionMatrix(t *testing.T) {
	want := map[xinlu.Permission][]xinlu.Role{
		xinlu.PermUserView:       {xinlu.RoleSysAdmin, xinlu.RoleSecAdmin, xinlu.RoleAdmin},
		xinlu.PermUserManage:     {xinlu.RoleSysAdmin, xinlu.RoleAdmin},
		xinlu.PermRoleManage:     {xinlu.RoleSecAdmin, xinlu.RoleAdmin},
		xinlu.PermSecurityManage: {xinlu.RoleSecAdmin, xinlu.RoleAdmin},
		xinlu.PermAuditView:      {xinlu.RoleAuditAdmin, xinlu.RoleAdmin},
		xinlu.PermOrgManage:      {xinlu.RoleSysAdmin, xinlu.RoleAdmin},
		xinlu.PermStaffManage:    {xinlu.RoleSysAdmin, xinlu.RoleAdmin},
		xinlu.PermCalendarManage: {xinlu.RoleSysAdmin, xinlu.RoleAdmin},
		xinlu.PermStaffExport:    {xinlu.RoleHead, xinlu.RoleAppraiser, xinlu.RoleFinance, xinlu.RoleDirector, xinlu.RoleSysAdmin, xinlu.RoleAdmin},
	}
	// The audit administrator reads the audit log and nothing else.
	for _, p := range xinlu.Permissions {
		if p != xinlu.PermAuditView && xinlu.ScopeOf([]xinlu.Role{xinlu.RoleAuditAdmin}, p) != xinlu.ScopeNone {
			t.Errorf("auditadmin holds %s", p)
		}
	}
	for perm, roles := range want {
		var got []xinlu.Role
		for _, r := range xinlu.Roles {
			if xinlu.ScopeOf([]xinlu.Role{r}, perm) > xinlu.ScopeNone {
				got = append(got, r)
			}
		}
		sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
		sort.Slice(roles, func(i, j int) bool { return roles[i] < roles[j] })
		if fmtRoles(got) != fmtRoles(roles) {
			t.Errorf("%s: held by %v, want %v", perm, got, roles)
		}
	}
	scopes := []struct {
		role xinlu.Role
		perm xinlu.Permission
		want xinlu.Scope
	}{
		{xinlu.RoleMember, xinlu.PermStaffView, xinlu.ScopeOwn},
		{xinlu.RoleHead, xinlu.PermStaffView, xinlu.ScopeDepartment},
		{xinlu.RoleDirector, xinlu.PermStaffView, xinlu.ScopeZone},
		{xinlu.RoleViewer, xinlu.PermStaffView, xinlu.ScopeAllZones},
		{xinlu.RoleViewer, xinlu.PermOrgManage, xinlu.ScopeNone},
	}
	for _, s := range scopes {
		if got := xinlu.ScopeOf([]xinlu.Role{s.role}, s.perm); got != s.want {
			t.Errorf("%s %s: scope %s, want %s", s.role, s.perm, got, s.want)
		}
	}
}

func fmtRoles(rs []xinlu.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, " ")
}

// TestOpenAPIDescribesEveryRoute fails when an API route is missing from
// the OpenAPI document or the document names an endpoint that does not exist.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	a := newApp(t)
	res := a.anon().get("/api/v1/openapi.json")
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, rt := range a.srv.Routes() {
		if !rt.API {
			continue
		}
		key := strings.ToLower(rt.Method) + " " + strings.TrimPrefix(rt.Pattern, "/api/v1")
		routes[key] = true
		raw := doc.Paths[strings.TrimPrefix(rt.Pattern, "/api/v1")][strings.ToLower(rt.Method)]
		var op map[string]any
		if raw == nil || json.Unmarshal(raw, &op) != nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Pattern)
			continue
		}
		if op["summary"] == nil || op["responses"] == nil {
			t.Errorf("%s %s: no summary or responses", rt.Method, rt.Pattern)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			if !routes[m+" "+p] {
				t.Errorf("the OpenAPI document describes %s %s, which no route serves", strings.ToUpper(m), p)
			}
		}
	}
}

// TestThreeAdministrators: none of the three can do another's job.
func TestThreeAdministrators(t *testing.T) {
	a := newApp(t)
	form := url.Values{"username": {"newbie"}, "name": {"新人"}, "code": {"X1"}}
	for _, tc := range []struct {
		role         xinlu.Role
		method, path string
		want         int
	}{
		{xinlu.RoleAuditAdmin, "POST", "/users", 403},
		{xinlu.RoleAuditAdmin, "GET", "/members", 403},
		{xinlu.RoleAuditAdmin, "GET", "/audit", 200},
		{xinlu.RoleSysAdmin, "GET", "/audit", 403},
		{xinlu.RoleSysAdmin, "GET", "/audit/export.xlsx", 403},
		{xinlu.RoleSysAdmin, "POST", "/departments", 303},
		{xinlu.RoleSecAdmin, "POST", "/departments", 403},
		{xinlu.RoleSecAdmin, "POST", "/users", 403},
		{xinlu.RoleSecAdmin, "GET", "/users", 200},
		{xinlu.RoleSecAdmin, "GET", "/audit", 403},
	} {
		c := a.as(tc.role)
		var res response
		if tc.method == "GET" {
			res = c.get(tc.path)
		} else {
			res = c.postForm(tc.path, form)
		}
		if res.StatusCode != tc.want {
			t.Errorf("%s %s %s: %d, want %d", tc.role, tc.method, tc.path, res.StatusCode, tc.want)
		}
	}
}
