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

// signWithSchedule creates a project in promotion (equipment) and signs it
// through the store as the sponsor, with a funds schedule.
func (a *app) signWithSchedule(name string, signedOn string, contract int64, items ...xinlu.Instalment) *store.ProjectRecord {
	a.t.Helper()
	p := a.project(name, xinlu.StagePromotion, contract)
	sp := a.users[xinlu.RoleSponsor]
	ctx := context.Background()
	p, err := a.store.StepProject(ctx, xinlu.ActorOf(sp, "127.0.0.1"), sp, p.ID, p.Version, xinlu.ProjectAssignSponsor, store.StepInput{SponsorID: sp.MemberID})
	if err != nil {
		a.t.Fatal(err)
	}
	p, err = a.store.StepProject(ctx, xinlu.ActorOf(sp, "127.0.0.1"), sp, p.ID, p.Version, xinlu.ProjectSign, store.StepInput{Signing: &xinlu.Signing{
		SignedOn: signedOn, ContractYuan: contract, PromisedStart: "2099-01-01", PromisedProduce: "2099-06-01", Instalments: items}})
	if err != nil {
		a.t.Fatal(err)
	}
	return p
}

func TestPerformancePageTracksFundsSchedules(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	agent := a.users[xinlu.RoleAgent]
	funds := func(p *store.ProjectRecord, day string, yuan int64) {
		t.Helper()
		if err := a.store.RecordFunds(ctx, xinlu.ActorOf(agent, "127.0.0.1"), agent, p.ID, store.Funds{OnDate: day, Yuan: yuan}); err != nil {
			t.Fatal(err)
		}
	}
	// Behind: 100 万 due 30 days ago, 40 万 in.
	behind := a.signWithSchedule("滞后项目", a.shanghaiDay(-60), 5_000_000,
		xinlu.Instalment{DueOn: a.shanghaiDay(-30), Yuan: 1_000_000}, xinlu.Instalment{DueOn: a.shanghaiDay(60), Yuan: 2_000_000})
	funds(behind, a.shanghaiDay(-5), 400_000)
	// On schedule: 200 万 due 10 days ago, all in.
	onTime := a.signWithSchedule("按期项目", a.shanghaiDay(-20), 3_000_000, xinlu.Instalment{DueOn: a.shanghaiDay(-10), Yuan: 2_000_000})
	funds(onTime, a.shanghaiDay(-9), 2_000_000)
	// Nothing due yet.
	a.signWithSchedule("新签项目", a.shanghaiDay(-1), 1_000_000, xinlu.Instalment{DueOn: a.shanghaiDay(90), Yuan: 1_000_000})

	member := a.as(xinlu.RoleMember)
	res := member.get("/projects/performance")
	if res.StatusCode != 200 {
		t.Fatalf("performance: %d", res.StatusCode)
	}
	for _, want := range []string{
		"计划到位率", "资金到位计划跟踪", "资金到位滞后项目 1 个", `href="/projects/performance?funds_lag=1#funds-schedules"`,
		// Total: (40 + 200) ÷ (100 + 200) = 80%, orange.
		"240.00 / 300.00", "80.0%", "共 3 个项目。",
		"滞后项目", "按期项目", "新签项目", "滞后（" + a.shanghaiDay(-30) + " 起）", "按计划",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The lagging project comes first.
	if i, j := strings.Index(res.body, `>滞后项目</a>`), strings.Index(res.body, `>按期项目</a>`); i < 0 || j < 0 || i > j {
		t.Errorf("lagging project not first: %d %d", i, j)
	}
	// The filter keeps the lagging ones only.
	res = member.get("/projects/performance?funds_lag=1")
	if res.StatusCode != 200 || !strings.Contains(res.body, `>滞后项目</a>`) || strings.Contains(res.body, `>按期项目</a>`) ||
		strings.Contains(res.body, `>新签项目</a>`) || !strings.Contains(res.body, "共 1 个项目。") {
		t.Fatalf("lagging filter: %d", res.StatusCode)
	}
	// By sponsor and by industry, from the groups' links.
	sponsorLag := "/projects/performance?funds_lag=1&sponsor_id=" + strconv.FormatInt(a.users[xinlu.RoleSponsor].MemberID, 10)
	if !strings.Contains(res.body, strings.ReplaceAll(sponsorLag, "&", "&amp;")) {
		t.Fatalf("no sponsor lag link")
	}
	if res := member.get(sponsorLag); !strings.Contains(res.body, "共 1 个项目。") || !strings.Contains(res.body, "清除筛选") {
		t.Fatalf("sponsor filter")
	}
	if res := member.get("/projects/performance?funds_lag=1&industry=materials"); !strings.Contains(res.body, "共 0 个项目。") || !strings.Contains(res.body, "没有符合条件的项目") {
		t.Fatalf("industry filter")
	}
}
