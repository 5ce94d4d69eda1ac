package api_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/testfix"
)

func TestBriefingAPI(t *testing.T) {
	st := testfix.SQLite(t)
	z := testfix.NewZone(t, st)
	srv := newAPIServer(t, st, nil)
	login := func(username string) string { return fixLogin(t, z, srv.URL, username) }
	month := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")

	runScenarios(t, srv.URL, login, []scenario{
		{as: "member", method: "GET", path: "/briefings", status: 403},
		{as: "member", method: "GET", path: "/briefings/draft?month=" + month, status: 403},
		{as: "head", method: "GET", path: "/briefings/draft?month=" + month, status: 200, contains: `"month":"` + month + `"`},
		{as: "appraiser", method: "GET", path: "/briefings", status: 200, contains: `"total":0`},
		{as: "director", method: "GET", path: "/briefings/draft?month=11月", status: 422, code: "invalid", field: "month", key: "briefing.month_format"},
		{as: "director", method: "GET", path: "/briefings/draft?month=2099-01", status: 422, field: "month", key: "briefing.month_future"},
		{as: "head", method: "POST", path: "/briefings", body: `{"month":"` + month + `","comment":"好"}`, status: 403},
		{as: "director", method: "POST", path: "/briefings", body: `{"month":"` + month + `","comment":" "}`, status: 422, field: "comment"},
	})
	tok := login("director")
	status, body := apiCall(t, srv.URL, tok, "POST", "/briefings", `{"month":"`+month+`","comment":"抓紧推进红灯事项。"}`)
	var b struct {
		ID      int64 `json:"id"`
		Figures struct {
			Month string `json:"month"`
		} `json:"figures"`
	}
	if status != 201 || json.Unmarshal([]byte(body), &b) != nil || b.ID == 0 || b.Figures.Month != month {
		t.Fatalf("issue: %d %s", status, body)
	}
	path := "/briefings/" + strconv.FormatInt(b.ID, 10)
	runScenarios(t, srv.URL, login, []scenario{
		{as: "director", method: "POST", path: "/briefings", body: `{"month":"` + month + `","comment":"再发"}`, status: 409, key: "briefing.issued_already"},
		{as: "head", method: "GET", path: path, status: 200, contains: "抓紧推进红灯事项。"},
		{as: "auditor", method: "GET", path: "/briefings", status: 200, contains: `"total":1`},
		{as: "member", method: "GET", path: path, status: 403},
		{as: "head", method: "GET", path: "/briefings/99999", status: 404},
	})
	status, body = apiCall(t, srv.URL, login("head"), "GET", path+"/docx", "")
	if status != 200 || !strings.HasPrefix(body, "PK") || !strings.Contains(body, "word/document.xml") {
		t.Fatalf("docx: %d %.100q", status, body)
	}
}
