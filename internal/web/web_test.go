package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

func TestLoginLogoutAndSessions(t *testing.T) {
	a := newApp(t)
	c := a.anon()
	if res := c.get("/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous home: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res := c.postForm("/login", url.Values{"username": {"admin"}, "password": {"wrong"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.body, "用户名或密码错误") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	unknown := c.postForm("/login", url.Values{"username": {"nobody"}, "password": {"wrong"}})
	if unknown.StatusCode != res.StatusCode || !strings.Contains(unknown.body, "用户名或密码错误") {
		t.Fatalf("unknown user answered differently: %d", unknown.StatusCode)
	}
	c = a.as(xinlu.RoleAdmin)
	home := c.get("/")
	if home.StatusCode != 200 || !strings.Contains(home.body, "测试admin") || home.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("home: %d %q", home.StatusCode, home.Header.Get("Cache-Control"))
	}
	if r := c.postForm("/logout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if r := c.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout: %d", r.StatusCode)
	}
}

func TestLoginThrottle(t *testing.T) {
	a := newApp(t)
	c := a.anon()
	for i := 0; i < 5; i++ {
		if r := c.postForm("/login", url.Values{"username": {"member"}, "password": {"nope"}}); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
		}
	}
	r := c.postForm("/login", url.Values{"username": {"member"}, "password": {testPassword}})
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(r.body, "登录失败次数过多") {
		t.Fatalf("6th attempt: %d", r.StatusCode)
	}
	api := a.anon().do("POST", "/api/v1/auth/login", `{"username":"member","password":"x"}`, nil)
	if code, _, _ := jsonError(t, api.body); api.StatusCode != 429 || code != "too_many_requests" {
		t.Fatalf("api: %d %s", api.StatusCode, api.body)
	}
	// Another user from the same address is not held back.
	a.as(xinlu.RoleAdmin)
}

func TestCSRF(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	form := url.Values{"code": {"NEW"}, "name": {"新部门"}}
	cross := c.do("POST", "/departments", form.Encode(), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"})
	if cross.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", cross.StatusCode)
	}
	noHeaders := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": ""}
	if r := c.do("POST", "/departments", form.Encode(), noHeaders); r.StatusCode != http.StatusForbidden {
		t.Fatalf("old-browser post without token: %d", r.StatusCode)
	}
	form.Set("csrf", c.csrfToken("/departments/new"))
	if r := c.do("POST", "/departments", form.Encode(), noHeaders); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("old-browser post with token: %d %s", r.StatusCode, r.body)
	}
}

func TestDepartmentPages(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	if r := c.get("/departments"); r.StatusCode != 200 || !strings.Contains(r.body, "招商局") || !strings.Contains(r.body, "共 1 条") {
		t.Fatalf("list: %d", r.StatusCode)
	}
	bad := c.postForm("/departments", url.Values{"code": {"has space"}, "name": {""}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "编码只能包含") {
		t.Fatalf("bad form: %d", bad.StatusCode)
	}
	if r := c.postForm("/departments", url.Values{"code": {"PARK"}, "name": {"园区建设部"}, "parent_id": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	list := c.get("/departments?q=园区")
	if !strings.Contains(list.body, "园区建设部") || !strings.Contains(list.body, "新增成功") {
		t.Fatalf("created department not listed with flash")
	}
	dup := c.postForm("/departments", url.Values{"code": {"PARK"}, "name": {"重复"}})
	if dup.StatusCode != http.StatusConflict || !strings.Contains(dup.body, "部门编码已存在") {
		t.Fatalf("duplicate: %d", dup.StatusCode)
	}
	c.lang = "en"
	en := a.as(xinlu.RoleMember)
	en.lang = "en-US,en;q=0.9"
	if r := en.get("/departments/new"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member on new department: %d", r.StatusCode)
	}
}

func TestAPIErrorsAndVersions(t *testing.T) {
	a := newApp(t)
	c := a.api(xinlu.RoleAdmin)
	r := c.do("POST", "/api/v1/departments", `{"code":"A1","name":"一部"}`, nil)
	if r.StatusCode != 201 {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("POST", "/api/v1/departments", `{"code":"A2","name":"二部","bogus":1}`, nil); r.StatusCode != 422 {
		t.Fatalf("unknown field: %d", r.StatusCode)
	} else if code, field, _ := jsonError(t, r.body); code != "invalid" || field != "bogus" {
		t.Fatalf("unknown field: %s", r.body)
	}
	if r := c.do("POST", "/api/v1/departments", `{"code":"A2",`, nil); r.StatusCode != 422 {
		t.Fatalf("bad json: %d", r.StatusCode)
	}
	var id string
	if m := strings.Split(strings.Split(r.body, `"id":`)[1], ","); len(m) > 0 {
		id = m[0]
	}
	if r := c.do("PUT", "/api/v1/departments/"+id, `{"code":"A1","name":"改名","version":1}`, nil); r.StatusCode != 200 {
		t.Fatalf("update: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("PUT", "/api/v1/departments/"+id, `{"code":"A1","name":"再改","version":1}`, nil); r.StatusCode != 409 {
		t.Fatalf("stale update: %d %s", r.StatusCode, r.body)
	}
	if r := c.get("/api/v1/departments?per_page=500"); r.StatusCode != 422 {
		t.Fatalf("per_page 500: %d", r.StatusCode)
	}
	if r := c.get("/api/v1/departments?per_page=1"); r.StatusCode != 200 || !strings.Contains(r.body, `"total":2`) {
		t.Fatalf("list: %s", r.body)
	}
	big := strings.Repeat("x", 11<<20)
	if r := c.do("POST", "/api/v1/departments", `{"code":"B","name":"`+big+`"}`, nil); r.StatusCode != 413 {
		t.Fatalf("oversized body: %d", r.StatusCode)
	}
	if r := a.anon().get("/api/v1/me"); r.StatusCode != 401 {
		t.Fatalf("anonymous me: %d", r.StatusCode)
	}
	// Tokens can be revoked.
	if r := c.do("POST", "/api/v1/auth/logout", "", nil); r.StatusCode != 204 {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if r := c.get("/api/v1/me"); r.StatusCode != 401 {
		t.Fatalf("revoked token still works: %d", r.StatusCode)
	}
}
