package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// TestOtherZoneIsOutOfReach signs in as the administrator of a second zone
// and tries this zone's records by id, through pages and the API.
func TestOtherZoneIsOutOfReach(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	z2 := &xinlu.Zone{Code: "Z2", Name: "另一开发区", Demo: true}
	if err := a.store.CreateZone(ctx, xinlu.SystemActor(0), z2); err != nil {
		t.Fatal(err)
	}
	intruder := &xinlu.User{ZoneID: z2.ID, Username: "admin2", Name: "外区管理员", Roles: []xinlu.Role{xinlu.RoleAdmin}, PasswordHash: sharedHash}
	if err := a.store.CreateUser(ctx, xinlu.SystemActor(z2.ID), intruder); err != nil {
		t.Fatal(err)
	}
	c := a.anon()
	if r := c.postForm("/login", url.Values{"username": {"admin2"}, "password": {testPassword}}); r.StatusCode != 303 {
		t.Fatalf("login: %d", r.StatusCode)
	}
	dept := itoa64(a.dept.ID)
	victim := itoa64(a.users[xinlu.RoleMember].ID)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/departments/" + dept + "/edit"},
		{"POST", "/departments/" + dept},
		{"POST", "/departments/" + dept + "/delete"},
		{"GET", "/users/" + victim + "/edit"},
		{"POST", "/users/" + victim + "/password"},
	} {
		var r response
		if tc.method == "GET" {
			r = c.get(tc.path)
		} else {
			r = c.postForm(tc.path, url.Values{"code": {"HACK"}, "name": {"x"}, "roles": {"admin"}, "version": {"1"}})
		}
		if r.StatusCode != 404 {
			t.Errorf("%s %s: %d, want 404", tc.method, tc.path, r.StatusCode)
		}
	}
	api := a.anon()
	res := api.do("POST", "/api/v1/auth/login", `{"username":"admin2","password":"`+testPassword+`"}`, nil)
	api.token = strings.Split(strings.Split(res.body, `"token":"`)[1], `"`)[0]
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/api/v1/departments/" + dept, ""},
		{"PUT", "/api/v1/departments/" + dept, `{"code":"HACK","name":"x","version":1}`},
		{"DELETE", "/api/v1/departments/" + dept, ""},
		{"GET", "/api/v1/users/" + victim, ""},
		{"POST", "/api/v1/users/" + victim + "/reset-password", ""},
	} {
		if r := api.do(tc.method, tc.path, tc.body, nil); r.StatusCode != 404 {
			t.Errorf("%s %s: %d, want 404", tc.method, tc.path, r.StatusCode)
		}
	}
	if r := api.get("/api/v1/departments"); !strings.Contains(r.body, `"total":0`) {
		t.Errorf("the other zone's list shows this zone's departments: %s", r.body)
	}
	d, err := a.store.DepartmentByID(ctx, a.zone.ID, a.dept.ID)
	if err != nil || d.Code != "INVEST" || d.Version != 1 {
		t.Fatalf("department changed: %+v %v", d, err)
	}
	if u, _ := a.store.UserByUsername(ctx, "member"); u.MustChangePassword || !xinlu.CheckPassword(u.PasswordHash, testPassword) {
		t.Fatal("the other zone reset this zone's password")
	}
}

// TestDatabaseDownGivesGenericErrors: 503 from the health check, and a 503
// page with a request id that tells nothing of the cause.
func TestDatabaseDownGivesGenericErrors(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	a.store.Close()
	if r := a.anon().get("/healthz"); r.StatusCode != 503 {
		t.Fatalf("healthz with the database closed: %d", r.StatusCode)
	}
	r := c.get("/departments")
	if r.StatusCode != 503 || !strings.Contains(r.body, "系统暂时无法使用") || !strings.Contains(r.body, r.Header.Get("X-Request-Id")) {
		t.Fatalf("page with the database closed: %d", r.StatusCode)
	}
	if strings.Contains(r.body, "sql") || strings.Contains(r.body, "closed") {
		t.Fatalf("internal cause leaked: %s", r.body)
	}
	api := a.anon()
	api.token = "whatever"
	r = api.get("/api/v1/me")
	if code, _, msg := jsonError(t, r.body); r.StatusCode != 503 || code != "unavailable" || strings.Contains(msg, "sql") {
		t.Fatalf("api: %d %s", r.StatusCode, r.body)
	}
}
