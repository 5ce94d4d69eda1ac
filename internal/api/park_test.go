package api_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/api"
)

func TestParkAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	admin := e.login("admin")

	status, body := e.call(admin, "POST", "/parks", `{"name":"智能装备产业园","area_mu":3200,"industries":["materials","equipment"],"description":"东区"}`)
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	var park api.ParkJSON
	if err := json.Unmarshal([]byte(body), &park); err != nil || park.ID == 0 || park.Version != 1 || park.AreaMu != 3200 ||
		!slices.Equal(park.Industries, []string{"equipment", "materials"}) {
		t.Fatalf("created %s", body)
	}
	pp := "/parks/" + strconv.FormatInt(park.ID, 10)

	t.Run("bad input names the field", func(t *testing.T) {
		bad := func(body, field string) scenario {
			return scenario{as: "admin", method: "POST", path: "/parks", body: body, status: 422, code: "invalid", field: field}
		}
		runScenarios(t, e.srv.URL, e.login, []scenario{
			bad(`{"name":"园","industries":["steel"]}`, "industries"),
			bad(`{"name":"园","industries":[]}`, "industries"),
			bad(`{"name":"园"}`, "industries"),
			bad(`{"name":"园","industries":"equipment"}`, "industries"),
			bad(`{"name":"园","industries":[1]}`, "industries"),
			bad(`{"name":"园","area_mu":-1,"industries":["other"]}`, "area_mu"),
			bad(`{"name":"园","area_mu":1.5,"industries":["other"]}`, "area_mu"),
			bad(`{"name":"","industries":["other"]}`, "name"),
			{as: "admin", method: "POST", path: "/parks", body: `{"name":"智能装备产业园","industries":["other"]}`, status: 409, code: "conflict", field: "name"},
		})
	})
	t.Run("list searches, filters and pages", func(t *testing.T) {
		e.call(admin, "POST", "/parks", `{"name":"生物医药产业园","area_mu":1500,"industries":["biomedicine"]}`)
		status, body := e.call(admin, "GET", "/parks?per_page=1&page=2", "")
		if status != 200 || !strings.Contains(body, `"total":2`) || strings.Count(body, `"id":`) != 1 {
			t.Fatalf("page: %d %s", status, body)
		}
		if _, body := e.call(admin, "GET", "/parks?industry=biomedicine", ""); !strings.Contains(body, "生物医药产业园") || strings.Contains(body, "智能装备产业园") {
			t.Fatalf("industry filter: %s", body)
		}
		if _, body := e.call(admin, "GET", "/parks?q=装备", ""); !strings.Contains(body, `"total":1`) || !strings.Contains(body, `"industries":["equipment","materials"]`) {
			t.Fatalf("search: %s", body)
		}
		if status, body := e.call(admin, "GET", "/parks?industry=steel", ""); status != 422 {
			t.Fatalf("unknown industry filter: %d %s", status, body)
		}
	})
	t.Run("update needs the current version", func(t *testing.T) {
		if status, _ := e.call(admin, "PUT", pp, `{"name":"智能装备产业园","industries":["equipment"]}`); status != 422 {
			t.Fatalf("no version: %d", status)
		}
		status, body := e.call(admin, "PUT", pp, `{"name":"智能装备产业园","area_mu":4000,"industries":["equipment"],"version":1}`)
		if status != 200 || !strings.Contains(body, `"version":2`) || !strings.Contains(body, `"industries":["equipment"]`) {
			t.Fatalf("update: %d %s", status, body)
		}
		status, body = e.call(admin, "PUT", pp, `{"name":"过期","industries":["other"],"version":1}`)
		if code, _, _ := teamParkError(t, body); status != 409 || code != "conflict" {
			t.Fatalf("stale: %d %s", status, body)
		}
		if _, body := e.call(admin, "GET", pp, ""); !strings.Contains(body, `"area_mu":4000`) {
			t.Fatalf("stale write landed: %s", body)
		}
	})
	t.Run("a member may read but not write; another zone's admin gets 404", func(t *testing.T) {
		e.user(e.secondZone(), "admin2", "admin", 0)
		runScenarios(t, e.srv.URL, e.login, []scenario{
			{as: "member", method: "GET", path: pp, status: 200},
			{as: "member", method: "POST", path: "/parks", body: `{"name":"越权园","industries":["other"]}`, status: 403},
			{as: "member", method: "PUT", path: pp, body: `{"name":"越权园","industries":["other"],"version":2}`, status: 403},
			{as: "member", method: "DELETE", path: pp, status: 403},
			{as: "admin2", method: "GET", path: pp, status: 404},
			{as: "admin2", method: "PUT", path: pp, body: `{"name":"x","industries":["other"],"version":2}`, status: 404},
			{as: "admin2", method: "DELETE", path: pp, status: 404},
			{as: "admin2", method: "GET", path: "/parks", status: 200, contains: `"total":0`},
			{method: "GET", path: pp, status: 401},
		})
	})
	t.Run("delete", func(t *testing.T) {
		if status, _ := e.call(admin, "DELETE", pp+"?version=1", ""); status != 409 {
			t.Fatalf("stale delete: %d", status)
		}
		if status, _ := e.call(admin, "DELETE", pp+"?version=2", ""); status != 204 {
			t.Fatalf("delete: %d", status)
		}
		if status, _ := e.call(admin, "GET", pp, ""); status != 404 {
			t.Fatalf("deleted park: %d", status)
		}
	})
}
