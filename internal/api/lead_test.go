package api_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/xinlu"
)

// newLeadEnv is the team-and-park environment with a screener and a
// department head, both staff members, beside its admin and member.
func newLeadEnv(t *testing.T) *teamParkEnv {
	t.Helper()
	e := newTeamParkEnv(t)
	for i, a := range []struct {
		name string
		role xinlu.Role
	}{{"screener", xinlu.RoleScreener}, {"head", xinlu.RoleHead}} {
		m := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "LS" + strconv.Itoa(i), Name: "成员" + a.name}
		if err := e.st.CreateMember(context.Background(), xinlu.SystemActor(e.zone.ID), m); err != nil {
			t.Fatal(err)
		}
		e.user(e.zone.ID, a.name, a.role, m.ID)
	}
	return e
}

type leadCreatedJSON struct {
	ID                 int64
	Version            int
	Status             string
	ContactPhone       string `json:"contact_phone"`
	PossibleDuplicates []struct {
		Kind     string
		ID       int64
		Score    float64
		Relation string
	} `json:"possible_duplicates"`
}

func TestLeadAPIEndToEnd(t *testing.T) {
	e := newLeadEnv(t)
	member, screener, admin := e.login("member"), e.login("screener"), e.login("admin")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	body := `{"company":"山西华晋新材料股份有限公司","project_name":"碳纤维","industry":"materials","investment_yuan":500000000,"channel":"expo","contact_name":"王经理","contact_phone":"13812345678"}`

	status, out := e.call(member, "POST", "/leads", body)
	var first leadCreatedJSON
	if status != 201 || json.Unmarshal([]byte(out), &first) != nil || first.ID == 0 || first.Status != "reported" ||
		first.PossibleDuplicates == nil || len(first.PossibleDuplicates) != 0 || first.ContactPhone != "13812345678" {
		t.Fatalf("create: %d %s", status, out)
	}
	status, out = e.call(screener, "POST", "/leads", strings.Replace(body, "山西华晋新材料股份有限公司", "华晋新材料（太原）有限公司", 1))
	var second leadCreatedJSON
	if json.Unmarshal([]byte(out), &second); status != 201 || len(second.PossibleDuplicates) != 1 ||
		second.PossibleDuplicates[0].ID != first.ID || second.PossibleDuplicates[0].Kind != "lead" || second.PossibleDuplicates[0].Score != 1 ||
		second.PossibleDuplicates[0].Relation != "same" {
		t.Fatalf("create a duplicate: %d %s", status, out)
	}
	// Bad input names the field; an account without a member record cannot report.
	status, out = e.call(member, "POST", "/leads", `{"company":"","project_name":"x","industry":"materials"}`)
	if code, field, msg := teamParkError(t, out); status != 422 || code != "invalid" || field != "company" || !strings.Contains(msg, "投资主体") {
		t.Fatalf("bad create: %d %s", status, out)
	}
	if status, out = e.call(admin, "POST", "/leads", body); status != 403 {
		t.Fatalf("admin reports: %d %s", status, out)
	}

	// Lists: the member sees their own, the screener filters the zone's.
	var page struct {
		Items []struct {
			ID           int64
			ContactPhone string `json:"contact_phone"`
		}
		Total int
	}
	status, out = e.call(member, "GET", "/leads", "")
	if json.Unmarshal([]byte(out), &page); status != 200 || page.Total != 1 || page.Items[0].ID != first.ID || page.Items[0].ContactPhone != "" {
		t.Fatalf("member list: %d %s", status, out)
	}
	status, out = e.call(screener, "GET", "/leads?status=reported&industry=materials&per_page=1", "")
	if json.Unmarshal([]byte(out), &page); status != 200 || page.Total != 2 || len(page.Items) != 1 || page.Items[0].ID != second.ID {
		t.Fatalf("screener list: %d %s", status, out)
	}
	status, out = e.call(screener, "GET", "/leads?industry=casting", "")
	if json.Unmarshal([]byte(out), &page); status != 200 || page.Total != 0 {
		t.Fatalf("industry filter: %d %s", status, out)
	}
	status, out = e.call(screener, "GET", "/leads?q="+url.QueryEscape("太原"), "")
	if json.Unmarshal([]byte(out), &page); page.Total != 1 || page.Items[0].ID != second.ID {
		t.Fatalf("keyword: %s", out)
	}
	if status, _ = e.call(screener, "GET", "/leads?status=bogus", ""); status != 422 {
		t.Fatalf("bad status filter: %d", status)
	}
	if status, _ = e.call(admin, "GET", "/leads", ""); status != 403 {
		t.Fatalf("admin lists leads: %d", status)
	}

	// Reading: masked for a department head, not found for another member.
	status, out = e.call(e.login("head"), "GET", "/leads/"+id(first.ID), "")
	var got leadCreatedJSON
	if json.Unmarshal([]byte(out), &got); status != 200 || got.ContactPhone != "138****5678" {
		t.Fatalf("head reads: %d %s", status, out)
	}
	if status, _ = e.call(member, "GET", "/leads/"+id(second.ID), ""); status != 404 {
		t.Fatalf("member reads another's lead: %d", status)
	}

	// Steps.
	path := "/leads/" + id(first.ID)
	if status, _ = e.call(member, "POST", path+"/accept", `{"version":1}`); status != 403 {
		t.Fatalf("member accepts: %d", status)
	}
	if status, _ = e.call(screener, "POST", path+"/accept", `{}`); status != 422 {
		t.Fatalf("no version: %d", status)
	}
	status, out = e.call(screener, "POST", "/leads/"+id(second.ID)+"/merge", `{"version":1,"merge_into":`+id(first.ID)+`}`)
	if status != 200 || !strings.Contains(out, `"status":"merged"`) {
		t.Fatalf("merge: %d %s", status, out)
	}
	// The merge credited the surviving lead, so its version moved on.
	if status, _ = e.call(screener, "POST", path+"/accept", `{"version":1}`); status != 409 {
		t.Fatalf("stale accept: %d", status)
	}
	status, out = e.call(screener, "POST", path+"/accept", `{"version":2}`)
	var accepted struct {
		ProjectID int64 `json:"project_id"`
		Version   int
	}
	if json.Unmarshal([]byte(out), &accepted); status != 200 || accepted.ProjectID == 0 || accepted.Version != 3 {
		t.Fatalf("accept: %d %s", status, out)
	}
	status, out = e.call(screener, "POST", path+"/reject", `{"version":3,"reason":"不符合定位"}`)
	if code, _, msg := teamParkError(t, out); status != 409 || code != "conflict" || !strings.Contains(msg, "已立项") {
		t.Fatalf("reject an accepted lead: %d %s", status, out)
	}
	if status, _ = e.call(screener, "POST", path+"/fly", `{"version":3}`); status != 404 {
		t.Fatalf("unknown action: %d", status)
	}
}

func TestLeadRoutesInOpenAPI(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if !strings.HasPrefix(rt.Pattern, "/leads") {
			continue
		}
		n++
		if d.Paths[rt.Pattern][strings.ToLower(rt.Method)] == nil {
			t.Errorf("%s %s is not documented", rt.Method, rt.Pattern)
		}
	}
	if n != 12 { // report, list, read, step; files: list, upload, download, delete; reveal; disputes: list, raise, decide
		t.Errorf("%d lead routes", n)
	}
}
