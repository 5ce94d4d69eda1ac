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
		for _, tc := range []struct{ body, field string }{
			{`{"name":"园","industries":["steel"]}`, "industries"},
			{`{"name":"园","industries":[]}`, "industries"},
			{`{"name":"园"}`, "industries"},
			{`{"name":"园","industries":"equipment"}`, "industries"},
			{`{"name":"园","industries":[1]}`, "industries"},
			{`{"name":"园","area_mu":-1,"industries":["other"]}`, "area_mu"},
			{`{"name":"园","area_mu":1.5,"industries":["other"]}`, "area_mu"},
			{`{"name":"","industries":["other"]}`, "name"},
		} {
			status, body := e.call(admin, "POST", "/parks", tc.body)
			if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != tc.field {
				t.Errorf("%s: %d %s, want 422 on %s", tc.body, status, body, tc.field)
			}
		}
		status, body := e.call(admin, "POST", "/parks", `{"name":"智能装备产业园","industries":["other"]}`)
		if code, field, _ := teamParkError(t, body); status != 409 || code != "conflict" || field != "name" {
			t.Errorf("duplicate: %d %s", status, body)
		}
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
	t.Run("a member may read but not write", func(t *testing.T) {
		member := e.login("member")
		if status, _ := e.call(member, "GET", pp, ""); status != 200 {
			t.Fatalf("member get: %d", status)
		}
		for _, rq := range []struct{ method, path, body string }{
			{"POST", "/parks", `{"name":"越权园","industries":["other"]}`},
			{"PUT", pp, `{"name":"越权园","industries":["other"],"version":2}`},
			{"DELETE", pp, ""},
		} {
			if status, _ := e.call(member, rq.method, rq.path, rq.body); status != 403 {
				t.Errorf("member %s %s: %d", rq.method, rq.path, status)
			}
		}
	})
	t.Run("another zone's admin gets 404", func(t *testing.T) {
		e.user(e.secondZone(), "admin2", "admin", 0)
		other := e.login("admin2")
		for _, rq := range []struct{ method, path, body string }{
			{"GET", pp, ""},
			{"PUT", pp, `{"name":"x","industries":["other"],"version":2}`},
			{"DELETE", pp, ""},
		} {
			if status, body := e.call(other, rq.method, rq.path, rq.body); status != 404 {
				t.Errorf("%s %s from another zone: %d %s", rq.method, rq.path, status, body)
			}
		}
		if _, body := e.call(other, "GET", "/parks", ""); !strings.Contains(body, `"total":0`) {
			t.Errorf("another zone lists this zone's parks: %s", body)
		}
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
