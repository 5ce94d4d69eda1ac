package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// signedProject creates a signed project directly in the store.
func (a *app) signedProject(name, industry string, status xinlu.ProjectStatus, sponsor int64, sg xinlu.Signing, started string) *store.ProjectRecord {
	a.t.Helper()
	p := &store.ProjectRecord{StartedOn: started}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Status, p.SponsorID, p.Signing = a.zone.ID, name, name+"有限公司", industry, status, sponsor, sg
	p.Stage = xinlu.StageAgency
	if started != "" {
		p.Stage = xinlu.StageConstruction
	}
	if err := a.store.CreateProject(context.Background(), xinlu.SystemActor(a.zone.ID), p); err != nil {
		a.t.Fatal(err)
	}
	return p
}

func TestPerformancePage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sponsor := a.users[xinlu.RoleSponsor]
	// Started on time, funds 150% of the contract: performing.
	p := a.signedProject("铝材项目", "materials", xinlu.ProjectActive, sponsor.MemberID,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 1_000_000, PromisedStart: "2025-03-01", PromisedProduce: "2099-01-01"}, "2025-03-01")
	agent := a.users[xinlu.RoleAgent]
	if err := a.store.RecordFunds(ctx, xinlu.ActorOf(agent, "127.0.0.1"), agent, p.ID, store.Funds{OnDate: "2025-06-01", Yuan: 1_500_000}); err != nil {
		t.Fatal(err)
	}
	// On hold, start overdue, no funds: not performing.
	a.signedProject("装备项目", "equipment", xinlu.ProjectOnHold, 0,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 3_000_000, PromisedStart: "2025-02-01", PromisedProduce: "2099-01-01"}, "")
	// Not signed: left out.
	a.project("未签项目", xinlu.StagePromotion, 1)

	member := a.as(xinlu.RoleMember)
	if res := member.get("/projects"); !strings.Contains(res.body, `href="/projects/performance"`) {
		t.Fatalf("ledger lacks the performance link")
	}
	res := member.get("/projects/performance")
	if res.StatusCode != 200 {
		t.Fatalf("performance: %d %s", res.StatusCode, res.body)
	}
	for _, want := range []string{
		"履约情况", "全区合计", "按产业", "按包联领导",
		// Total: 1 of 2 performing, funds 150 / 400 万元, 1 of 2 started, production not due.
		`<a href="/projects">50.0%</a>`, "1 / 2", "37.5%", "150.00 / 400.00", "无数据", "偏低",
		// Materials: capped at 100% with the raw ratio, green, linked to the filtered ledger.
		`<a href="/projects?industry=materials" title="实际 150.0%">100.0%</a>`, "tag-green", "良好",
		"智慧装备制造", `href="/projects?sponsor_id=` + strconv.FormatInt(sponsor.MemberID, 10) + `"`, "未指定包联领导",
		"开工 1 · 投产 0",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(res.body, "未签项目") {
		t.Errorf("an unsigned project shows")
	}
	// The viewer role sees every zone's figures.
	if res := a.as(xinlu.RoleViewer).get("/projects/performance"); res.StatusCode != 200 || !strings.Contains(res.body, "50.0%") {
		t.Fatalf("viewer: %d", res.StatusCode)
	}
}
