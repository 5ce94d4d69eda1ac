package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The agency task force records funds in place on a signed project's page:
// an amount beyond the bound is refused stating the range; a mistaken entry
// is corrected, then reversed, each with a reason, and the reward proposed
// from it follows; the timeline shows both.
func TestFundsCorrectionOnTheProjectPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	l := &xinlu.Lead{ZoneID: a.zone.ID, ReporterID: a.users[xinlu.RoleMember].MemberID, Company: "晋中重工装备有限公司",
		ProjectName: "盾构机总装项目", Industry: "equipment", InvestmentYuan: new(int64(8e8)), Channel: "personal"}
	if _, err := a.store.ReportLead(ctx, sys, l); err != nil {
		t.Fatal(err)
	}
	p := &store.ProjectRecord{}
	p.ZoneID, p.LeadID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, l.ID, "盾构机总装项目", "晋中重工装备有限公司", "equipment", xinlu.StageAgency
	p.Plan.TotalYuan, p.Signing.SignedOn, p.Signing.ContractYuan = new(int64(8e8)), a.shanghaiDay(-30), 5e8
	if err := a.store.CreateProject(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	path := "/projects/" + strconvFormat(p.ID)
	agent := a.as(xinlu.RoleAgent)
	record := func(wan string) response {
		return agent.postForm(path+"/funds", url.Values{"csrf": {agent.csrfToken(path)}, "date": {a.shanghaiDay(-2)}, "amount_yuan": {wan}, "note": {"一期"}})
	}
	// 9×10¹⁸ and 9×10¹⁹ yuan typed in 万元, and more than an int64 holds: refused with the range.
	for _, wan := range []string{"900000000000000", "9000000000000000", "1e30"} {
		res := record(wan)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "金额须在 0 至 10 万亿元之间（即 1,000,000,000 万元，10,000,000,000,000 元）") {
			t.Errorf("funds of %s 万元: %d", wan, res.StatusCode)
		}
	}
	if funds, err := a.store.ProjectFunds(ctx, p.ID); err != nil || len(funds) != 0 {
		t.Fatalf("refused funds were recorded: %+v %v", funds, err)
	}
	// 5 亿 typed as 5,000 亿 (5,000,000 万元 too many zeros: 50,000,000 万元).
	if res := record("50000000"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("funds: %d %s", res.StatusCode, res.body)
	}
	funds, err := a.store.ProjectFunds(ctx, p.ID)
	if err != nil || len(funds) != 1 || funds[0].Yuan != 500_000_000_000 {
		t.Fatalf("funds %+v %v", funds, err)
	}
	f := funds[0]
	fp := path + "/funds/" + strconvFormat(f.ID)
	page := agent.get(path)
	for _, want := range []string{`action="` + fp + `/correct"`, `action="` + fp + `/reverse"`, `name="amount_yuan" value="50000000"`,
		`name="version" value="1"`, "更正/冲销", "原因（必填）"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the correction form lacks %s", want)
		}
	}
	for _, r := range []xinlu.Role{xinlu.RoleMember, xinlu.RoleViewer} {
		if res := a.as(r).get(path); res.StatusCode != 200 || strings.Contains(res.body, fp+"/correct") {
			t.Errorf("%s is offered the correction form: %d", r, res.StatusCode)
		}
	}

	correct := url.Values{"csrf": {agent.csrfToken(path)}, "version": {"1"}, "date": {f.OnDate}, "amount_yuan": {"50,000.00"}, "note": {"一期"}}
	res := agent.postForm(fp+"/correct", correct)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "请填写更正或冲销的原因") ||
		!strings.Contains(res.body, `<details class="funds-fix" open>`) {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	correct.Set("reason", "金额多录了三个零")
	correct.Set("amount_yuan", "900000000000000")
	if res := agent.postForm(fp+"/correct", correct); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "10 万亿元") {
		t.Fatalf("huge correction: %d", res.StatusCode)
	}
	correct.Set("amount_yuan", "50,000.00")
	if res := agent.postForm(fp+"/correct", correct); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", res.StatusCode, res.body)
	}
	page = agent.get(path)
	for _, want := range []string{"到位奖励建议已按更正后的金额调整", `id="funds-total">50,000.00`, "更正到位资金", "金额多录了三个零", `name="version" value="2"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page after the correction lacks %s", want)
		}
	}
	// A stale form is refused; a member may not.
	if res := agent.postForm(fp+"/correct", correct); res.StatusCode != http.StatusConflict {
		t.Errorf("stale correction: %d", res.StatusCode)
	}
	member := a.as(xinlu.RoleMember)
	if res := member.postForm(fp+"/reverse", url.Values{"csrf": {member.csrfToken(path)}, "version": {"2"}, "reason": {"错录"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("member reversed: %d", res.StatusCode)
	}

	reverse := url.Values{"csrf": {agent.csrfToken(path)}, "version": {"2"}, "reason": {"投资方撤回该笔资金"}}
	if res := agent.postForm(fp+"/reverse", reverse); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reverse: %d %s", res.StatusCode, res.body)
	}
	page = agent.get(path)
	for _, want := range []string{"到位奖励建议已撤回", "暂无到位资金记录", "冲销到位资金", "投资方撤回该笔资金"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page after the reversal lacks %s", want)
		}
	}
	list, _, err := a.store.ListIncentives(ctx, store.IncentiveFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, Source: store.SourceAuto,
		Page: xinlu.Page{PerPage: 10}})
	if err != nil || len(list) != 1 || list[0].Status != xinlu.IncentiveRejected || list[0].DecisionNote != "投资方撤回该笔资金" || list[0].AmountYuan != 500_000 {
		t.Fatalf("reward %+v %v", list, err)
	}
}
