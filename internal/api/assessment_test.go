package api_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/testfix"
)

func TestAssessmentAPI(t *testing.T) {
	st := testfix.SQLite(t)
	z := testfix.NewZone(t, st)
	srv := newAPIServer(t, st, nil)
	login := func(username string) string { return fixLogin(t, z, srv.URL, username) }

	runScenarios(t, srv.URL, login, []scenario{
		{as: "member", method: "GET", path: "/assessments/2026", status: 403},
		{as: "head", method: "GET", path: "/assessments/2026", status: 200, contains: `"indicators":[]`},
		{as: "head", method: "POST", path: "/assessments/2026/default", status: 403},
		{as: "planner", method: "GET", path: "/assessments/1999", status: 422, field: "year"},
		{as: "planner", method: "PUT", path: "/assessments/category", body: `{"category":"mining"}`, status: 422, field: "category"},
		{as: "planner", method: "PUT", path: "/assessments/category", body: `{"category":"industrial"}`, status: 204},
		{as: "planner", method: "POST", path: "/assessments/2026/default", status: 201, contains: `"total":15`},
		{as: "planner", method: "POST", path: "/assessments/2026/default", status: 409, key: "assessment.sheet_exists"},
		{as: "planner", method: "POST", path: "/assessments/2026/indicators", body: `{"name":"","weight":0,"links":["https://x"]}`, status: 422, code: "invalid"},
	})
	tok := login("director")
	status, body := apiCall(t, srv.URL, tok, "POST", "/assessments/2026/indicators", `{"name":"高新技术企业","unit":"家","weight":10,"target":8,"value":4,"evidence":"认定名单","links":["/enterprises"]}`)
	var ind struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
	}
	if status != 201 || json.Unmarshal([]byte(body), &ind) != nil || ind.ID == 0 {
		t.Fatalf("create: %d %s", status, body)
	}
	path := "/assessments/indicators/" + strconv.FormatInt(ind.ID, 10)
	runScenarios(t, srv.URL, login, []scenario{
		{as: "director", method: "PUT", path: path, body: `{"value":6}`, status: 422, field: "version"},
		{as: "director", method: "PUT", path: path, body: `{"value":6,"version":1}`, status: 200, contains: `"evidence":"认定名单"`},
		{as: "director", method: "PUT", path: path, body: `{"value":7,"version":1}`, status: 409},
		{as: "head", method: "GET", path: "/assessments/2026", status: 200, contains: `"score":7.5`},
		{as: "head", method: "GET", path: "/assessments/2026/zones", status: 200, contains: `"rank":1`},
		{as: "director", method: "DELETE", path: path + "?version=2", status: 204},
		{as: "director", method: "DELETE", path: path + "?version=2", status: 404},
	})
	status, body = apiCall(t, srv.URL, login("head"), "GET", "/assessments/2026/export.xlsx", "")
	if status != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("export: %d", status)
	}
	var sheet struct {
		Category string `json:"category"`
		Full     float64
	}
	_, body = apiCall(t, srv.URL, login("head"), "GET", "/assessments/2026", "")
	if json.Unmarshal([]byte(body), &sheet) != nil || sheet.Category != "industrial" || sheet.Full != 100 {
		t.Fatalf("sheet %s", body)
	}
}
