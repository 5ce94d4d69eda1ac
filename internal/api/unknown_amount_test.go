package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestUnknownAmountsAreNullInTheAPI: an unknown amount is null, in a
// project's plan and a lead; the kanban leaves it out of total_yuan and
// counts it; a plan sent with null figures keeps them unknown.
func TestUnknownAmountsAreNullInTheAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	e.user(e.zone.ID, "planner", xinlu.RolePlanner, 0)
	ctx := context.Background()
	for i, total := range []*int64{new(int64(300_000_000)), nil} {
		p := &store.ProjectRecord{}
		p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, "项目"+strconv.Itoa(i), "公司"+strconv.Itoa(i), "materials", xinlu.StagePackaging
		p.Plan.TotalYuan = total
		if err := e.st.CreateProject(ctx, xinlu.SystemActor(e.zone.ID), p); err != nil {
			t.Fatal(err)
		}
		if total != nil {
			continue
		}
		member, planner := e.login("member"), e.login("planner")
		pp := "/projects/" + strconv.FormatInt(p.ID, 10)
		if status, body := e.call(member, "GET", pp, ""); status != 200 || !strings.Contains(body, `"total_yuan":null`) ||
			!strings.Contains(body, `"output_yuan":null`) {
			t.Fatalf("project: %d %s", status, body)
		}
		if status, body := e.call(member, "GET", "/projects/kanban", ""); status != 200 ||
			!strings.Contains(body, `{"stage":"packaging","count":2,"total_yuan":300000000,"unknown_count":1}`) {
			t.Fatalf("kanban: %d %s", status, body)
		}
		plan := `{"version":1,"plan":{"content":"年产 5 万台减速机","total_yuan":null,"fixed_asset_yuan":null,"output_yuan":0,"floor_area_m2":120000.5,"energy_tce":800}}`
		if status, body := e.call(planner, "POST", pp+"/save-plan", plan); status != 200 || !strings.Contains(body, `"total_yuan":null`) ||
			!strings.Contains(body, `"output_yuan":0`) || !strings.Contains(body, `"floor_area_m2":120000.5,"energy_tce":800`) {
			t.Fatalf("save plan: %d %s", status, body)
		}
		if status, body := e.call(planner, "POST", pp+"/submit-plan", strings.Replace(plan, `"version":1`, `"version":2`, 1)); status != 422 ||
			!strings.Contains(body, `"field":"total_yuan"`) {
			t.Fatalf("submit with an unknown total: %d %s", status, body)
		}
		if status, body := e.call(member, "POST", "/leads", `{"company":"晋中待定科技有限公司","project_name":"待定项目","industry":"materials"}`); status != 201 ||
			!strings.Contains(body, `"investment_yuan":null`) {
			t.Fatalf("lead: %d %s", status, body)
		}
	}
}
