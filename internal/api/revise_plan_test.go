package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// A signed project's plan is revised through the step route: the
// reservation follows in the same transaction, an increase the park cannot
// carry is refused in words, the agency may not revise.
func TestRevisePlanAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(e.zone.ID)
	e.user(e.zone.ID, "planner", xinlu.RolePlanner, 0)
	e.user(e.zone.ID, "sponsor", xinlu.RoleSponsor, 0)
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	park := &xinlu.Park{ZoneID: e.zone.ID, Name: "智慧装备制造产业园", Industries: []string{"equipment"}}
	if err := e.st.CreatePark(ctx, sys, park); err != nil {
		t.Fatal(err)
	}
	water := &xinlu.Utility{ZoneID: e.zone.ID, ParkID: park.ID, Kind: xinlu.UtilityWater, BaseCapacity: 1000}
	if err := e.st.CreateUtility(ctx, sys, water); err != nil {
		t.Fatal(err)
	}
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, "减速机项目", "减速机有限公司", "equipment", xinlu.StagePromotion
	p.Plan = xinlu.Plan{Content: "年产 5 万台减速机", TotalYuan: new(int64(300_000_000)), LandMu: 100, WaterTPD: 400, ProposedParkID: park.ID}
	if err := e.st.CreateProject(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	pp := "/projects/" + strconv.FormatInt(p.ID, 10)
	planner, sponsor, agent := e.login("planner"), e.login("sponsor"), e.login("agent")
	sign := `{"version":1,"signing":{"signed_on":"` + e.st.Now().Format("2006-01-02") + `","contract_yuan":250000000,"promised_start":"2099-01-01","promised_produce":"2099-12-01"}}`
	if status, body := e.call(sponsor, "POST", pp+"/sign", sign); status != 200 {
		t.Fatalf("sign: %d %s", status, body)
	}
	plan := func(version int, water, note string) string {
		return `{"version":` + strconv.Itoa(version) + `,"note":"` + note + `","plan":{"content":"年产 5 万台减速机","total_yuan":300000000,"land_mu":100,"water_tpd":` + water + `}}`
	}
	if status, body := e.call(agent, "POST", pp+"/revise-plan", plan(2, "700", "扩产")); status != 403 {
		t.Fatalf("agency revises: %d %s", status, body)
	}
	if status, body := e.call(planner, "POST", pp+"/revise-plan", plan(2, "700", "")); status != 422 || !strings.Contains(body, `"field":"note"`) {
		t.Fatalf("no reason: %d %s", status, body)
	}
	if status, body := e.call(planner, "POST", pp+"/revise-plan", plan(2, "700", "补充协议")); status != 200 || !strings.Contains(body, `"water_tpd":700`) {
		t.Fatalf("revise: %d %s", status, body)
	}
	if u, _ := e.st.UtilityByID(ctx, e.zone.ID, water.ID); u.Reserved != 700 {
		t.Fatalf("reserved %v", u.Reserved)
	}
	if status, body := e.call(sponsor, "POST", pp+"/revise-plan", plan(3, "1500", "三期")); status != 409 ||
		!strings.Contains(body, `"key":"land.revision_short"`) || !strings.Contains(body, "500") || !strings.Contains(body, "2099-12-01") {
		t.Fatalf("beyond the free water: %d %s", status, body)
	}
	rows, _, err := e.st.UtilityLedger(ctx, store.LedgerFilter{ZoneID: e.zone.ID, ProjectID: p.ID})
	if err != nil || len(rows) != 2 || rows[0].Kind != xinlu.LedgerAdjust || rows[0].Reserved != 300 || rows[0].Reason != "补充协议" {
		t.Fatalf("ledger %+v %v", rows, err)
	}
}
