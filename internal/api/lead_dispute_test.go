package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

type disputeJSON struct {
	ID               int64
	LeadID           int64  `json:"lead_id"`
	DisputantID      int64  `json:"disputant_id"`
	Status           string `json:"status"`
	ReporterID       int64  `json:"reporter_id"`
	FormerReporterID int64  `json:"former_reporter_id"`
	DecidingBody     string `json:"deciding_body"`
	DecidedOn        string `json:"decided_on"`
	Version          int
}

func TestLeadDisputeAPI(t *testing.T) {
	e := newLeadEnv(t)
	agentMember := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "LD1", Name: "王强"}
	if err := e.st.CreateMember(context.Background(), xinlu.SystemActor(e.zone.ID), agentMember); err != nil {
		t.Fatal(err)
	}
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, agentMember.ID)
	member, agent, screener, head, admin := e.login("member"), e.login("agent"), e.login("screener"), e.login("head"), e.login("admin")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	report := func(tok, company string) int64 {
		t.Helper()
		status, out := e.call(tok, "POST", "/leads", `{"company":"`+company+`","project_name":"碳纤维","industry":"materials"}`)
		var l struct{ ID int64 }
		if status != 201 || json.Unmarshal([]byte(out), &l) != nil {
			t.Fatalf("report: %d %s", status, out)
		}
		return l.ID
	}
	first := report(member, "山西华晋新材料股份有限公司")
	second := report(agent, "华晋新材料（太原）有限公司")
	if status, out := e.call(screener, "POST", "/leads/"+id(second)+"/merge", `{"version":1,"merge_into":`+id(first)+`}`); status != 200 {
		t.Fatalf("merge: %d %s", status, out)
	}
	path := "/leads/" + id(first) + "/disputes"

	// Listing: the co-reporter (who cannot read the lead) and the head do; an admin has no lead rights.
	if status, _ := e.call(agent, "GET", "/leads/"+id(first), ""); status != 404 {
		t.Fatalf("the co-reporter reads the survivor: %d", status)
	}
	for _, tok := range []string{agent, head, screener} {
		if status, out := e.call(tok, "GET", path, ""); status != 200 || !strings.Contains(out, `"total":0`) {
			t.Fatalf("list: %d %s", status, out)
		}
	}
	if status, _ := e.call(admin, "GET", path, ""); status != 403 {
		t.Fatalf("admin lists: %d", status)
	}
	if status, _ := e.call(agent, "GET", "/leads/999999/disputes", ""); status != 404 {
		t.Fatalf("missing lead: %d", status)
	}

	// Raising: 422 for a short reason, 403 for the reporter and a stranger, 201, then 409.
	status, out := e.call(agent, "POST", path, `{"reason":"我先报的"}`)
	if code, field, msg := teamParkError(t, out); status != 422 || code != "invalid" || field != "reason" || !strings.Contains(msg, "至少 10 个字") {
		t.Fatalf("short reason: %d %s", status, out)
	}
	if status, out := e.call(agent, "POST", path, `{"reason":"x","extra":1}`); status != 422 {
		t.Fatalf("unknown field: %d %s", status, out)
	}
	reason := `{"reason":"三月中博会上由我最早接触该企业，有会谈纪要为证"}`
	if status, out := e.call(member, "POST", path, reason); status != 403 {
		t.Fatalf("the reporter raises: %d %s", status, out)
	}
	if status, out := e.call(head, "POST", path, reason); status != 403 || !strings.Contains(out, "共同上报人") {
		t.Fatalf("a stranger raises: %d %s", status, out)
	}
	if status, _ := e.call(admin, "POST", path, reason); status != 403 {
		t.Fatalf("admin raises: %d", status)
	}
	status, out = e.call(agent, "POST", path, reason)
	var d disputeJSON
	if json.Unmarshal([]byte(out), &d); status != 201 || d.ID == 0 || d.Status != "open" || d.Version != 1 || d.LeadID != first ||
		d.DisputantID != agentMember.ID || d.ReporterID != e.member.ID {
		t.Fatalf("raise: %d %s", status, out)
	}
	status, out = e.call(agent, "POST", path, reason)
	if code, _, msg := teamParkError(t, out); status != 409 || code != "conflict" || !strings.Contains(msg, "尚在认定中") {
		t.Fatalf("raise twice: %d %s", status, out)
	}
	if status, out := e.call(agent, "GET", path, ""); status != 200 || !strings.Contains(out, `"total":1`) {
		t.Fatalf("list after raise: %d %s", status, out)
	}

	// Deciding.
	decide := path + "/" + id(d.ID) + "/"
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(xinlu.DateLayout)
	body := func(version int, note, on string) string {
		return `{"version":` + strconv.Itoa(version) + `,"note":"` + note + `","deciding_body":"甄别专班会议","decided_on":"` + on + `"}`
	}
	if status, _ := e.call(agent, "POST", decide+"uphold", body(1, "成立", today)); status != 403 {
		t.Fatalf("the disputant decides through the route: %d", status)
	}
	if status, _ := e.call(head, "POST", decide+"uphold", body(1, "成立", today)); status != 403 {
		t.Fatalf("a head decides: %d", status)
	}
	if status, out := e.call(screener, "POST", decide+"uphold", `{"note":"成立","deciding_body":"甄别专班会议","decided_on":"`+today+`"}`); status != 422 {
		t.Fatalf("no version: %d %s", status, out)
	}
	if status, out := e.call(screener, "POST", decide+"uphold", body(9, "成立", today)); status != 409 {
		t.Fatalf("stale: %d %s", status, out)
	}
	status, out = e.call(screener, "POST", decide+"uphold", body(1, "", today))
	if code, field, msg := teamParkError(t, out); status != 422 || code != "invalid" || field != "note" || !strings.Contains(msg, "认定意见") {
		t.Fatalf("no note: %d %s", status, out)
	}
	status, out = e.call(screener, "POST", decide+"uphold", body(1, "成立", "2099-01-01"))
	if _, field, msg := teamParkError(t, out); status != 422 || field != "decided_on" || !strings.Contains(msg, "认定日期不能晚于今天") {
		t.Fatalf("in the future: %d %s", status, out)
	}
	if status, out := e.call(screener, "POST", decide+"fly", body(1, "成立", today)); status != 404 {
		t.Fatalf("unknown action: %d %s", status, out)
	}
	if status, out := e.call(screener, "POST", "/leads/"+id(second)+"/disputes/"+id(d.ID)+"/uphold", body(1, "成立", today)); status != 404 {
		t.Fatalf("through another lead: %d %s", status, out)
	}
	status, out = e.call(screener, "POST", decide+"uphold", body(1, "经核实，异议人最早接触企业", today))
	var up disputeJSON
	if json.Unmarshal([]byte(out), &up); status != 200 || up.Status != "upheld" || up.Version != 2 || up.FormerReporterID != e.member.ID ||
		up.DecidingBody != "甄别专班会议" || up.DecidedOn != today {
		t.Fatalf("uphold: %d %s", status, out)
	}
	// The credit moved: the disputant reads the lead as its reporter.
	status, out = e.call(agent, "GET", "/leads/"+id(first), "")
	var l struct {
		ReporterID int64 `json:"reporter_id"`
		Version    int
	}
	if json.Unmarshal([]byte(out), &l); status != 200 || l.ReporterID != agentMember.ID || l.Version != 3 {
		t.Fatalf("the lead after uphold: %d %s", status, out)
	}
	// Final: a second decision names the state; the former reporter cannot dispute back.
	status, out = e.call(screener, "POST", decide+"reject", body(2, "再议", today))
	if code, _, msg := teamParkError(t, out); status != 409 || code != "conflict" || !strings.Contains(msg, "异议成立") {
		t.Fatalf("decide twice: %d %s", status, out)
	}
	if status, out := e.call(member, "POST", path, reason); status != 409 {
		t.Fatalf("the former reporter disputes back: %d %s", status, out)
	}
	if status, out := e.call(member, "GET", path, ""); status != 200 || !strings.Contains(out, `"status":"upheld"`) {
		t.Fatalf("the former reporter lists: %d %s", status, out)
	}
	// Audited on the lead.
	for _, action := range []string{"lead.dispute_raise", "lead.dispute_uphold", "lead.credit_move"} {
		_, n, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Entity: "lead", EntityID: first, Action: action})
		if err != nil || n != 1 {
			t.Errorf("%s: %d rows %v", action, n, err)
		}
	}
}
