package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestProjectAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	e.user(e.zone.ID, "sponsor", xinlu.RoleSponsor, 0)
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, "新材料项目", "新材料有限公司", "materials", xinlu.StagePromotion
	p.Plan.TotalYuan = 300_000_000
	if err := e.st.CreateProject(context.Background(), xinlu.SystemActor(e.zone.ID), p); err != nil {
		t.Fatal(err)
	}
	pp := "/projects/" + strconv.FormatInt(p.ID, 10)
	member, sponsor, agent := e.login("member"), e.login("sponsor"), e.login("agent")

	if status, body := e.call(member, "GET", "/projects?stage=promotion&industry=materials", ""); status != 200 || !strings.Contains(body, `"total":1`) || !strings.Contains(body, `"total_yuan":300000000`) {
		t.Fatalf("list: %d %s", status, body)
	}
	if status, body := e.call(member, "GET", "/projects?stage=nowhere", ""); status != 422 {
		t.Fatalf("bad stage: %d %s", status, body)
	}
	if status, body := e.call(member, "GET", "/projects/kanban", ""); status != 200 || !strings.Contains(body, `{"stage":"promotion","count":1,"total_yuan":300000000}`) {
		t.Fatalf("kanban: %d %s", status, body)
	}
	sign := `{"version":1,"signing":{"signed_on":"` + e.st.Now().Format("2006-01-02") + `","contract_yuan":250000000,"promised_start":"2099-01-01","promised_produce":"2099-12-01"}}`
	if status, body := e.call(member, "POST", pp+"/sign", sign); status != 403 {
		t.Fatalf("member sign: %d %s", status, body)
	}
	if status, body := e.call(sponsor, "POST", pp+"/sign", `{"signing":{}}`); status != 422 || !strings.Contains(body, `"field":"version"`) {
		t.Fatalf("no version: %d %s", status, body)
	}
	if status, body := e.call(sponsor, "POST", pp+"/start-construction", `{"version":1}`); status != 403 {
		t.Fatalf("sponsor start: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", pp+"/start-construction", `{"version":1}`); status != 409 || !strings.Contains(body, "领导推进") {
		t.Fatalf("start in promotion names the stage: %d %s", status, body)
	}
	// Two concurrent signs: one wins, the other 409.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() { defer wg.Done(); statuses[i], _ = e.call(sponsor, "POST", pp+"/sign", sign) }()
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 200) {
		t.Fatalf("concurrent signs: %v", statuses)
	}
	status, body := e.call(member, "GET", pp, "")
	var got api.ProjectJSON
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil || got.Stage != "agency" || got.Code != "T-"+e.st.Now().Format("2006")+"-0001" {
		t.Fatalf("signed: %d %s", status, body)
	}
	status, body = e.call(agent, "GET", pp+"/approvals", "")
	var items struct{ Items []api.ApprovalJSON }
	if status != 200 || json.Unmarshal([]byte(body), &items) != nil || len(items.Items) != 8 || items.Items[0].Light == "" {
		t.Fatalf("approvals: %d %s", status, body)
	}
	it := items.Items[0]
	ip := pp + "/approvals/" + strconv.FormatInt(it.ID, 10)
	if status, body := e.call(agent, "POST", ip+"/approve", `{"version":1}`); status != 409 {
		t.Fatalf("approve from preparing: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", ip+"/submit", `{"version":1}`); status != 200 || !strings.Contains(body, `"status":"submitted"`) {
		t.Fatalf("submit: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", ip+"/approve", `{"version":1}`); status != 409 {
		t.Fatalf("stale: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", pp+"/approvals", `{"name":"公司注册","limit_days":3}`); status != 201 {
		t.Fatalf("add item: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", pp+"/funds", `{"date":"`+e.st.Now().Format("2006-01-02")+`","amount_yuan":50000000}`); status != 200 || !strings.Contains(body, `"funds_yuan":50000000`) || !strings.Contains(body, `"funds_rate":0.2`) {
		t.Fatalf("funds: %d %s", status, body)
	}
	if status, _ := e.call(member, "GET", "/projects/999999", ""); status != 404 {
		t.Fatalf("missing: %d", status)
	}
}
