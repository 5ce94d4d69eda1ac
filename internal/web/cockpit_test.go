package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// seedCockpitPipeline loads a small pipeline into the app's zone and stops
// the clock on Monday
// 2026-09-28 (clients sign in before: their second factor is of the real
// time): three leads reported this year (two accepted), one last
// year; project A signed 2026-03-02 and started, red (5 working days past
// its stage's deadline) with the sponsor; B signed 2026-06-01, yellow; C
// signed last year, started and producing this year. Funds: A 20,000,000
// this year, C 5,000,000 this year and 10,000,000 last; A's approval items
// 环评 (red) and 能评 (yellow). It returns A's id.
func seedCockpitPipeline(t *testing.T, a *app) int64 {
	t.Helper()
	ctx := context.Background()
	a.clock.Set(time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC))
	at := func(s string) time.Time {
		d, err := xinlu.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(3 * time.Hour)
	}
	reporter, sponsor := a.users[xinlu.RoleMember].MemberID, a.users[xinlu.RoleSponsor].MemberID
	lead := func(reported string, st xinlu.LeadStatus) *xinlu.Lead {
		return &xinlu.Lead{Company: "公司" + reported, ProjectName: "项目" + reported, Industry: "materials", ReporterID: reporter,
			Channel: "expo", Status: st, ReportedAt: at(reported), Version: 1}
	}
	b := &store.BulkBatch{Leads: []*xinlu.Lead{lead("2026-01-05", xinlu.LeadAccepted), lead("2026-02-02", xinlu.LeadAccepted),
		lead("2026-03-10", xinlu.LeadRejected), lead("2025-05-05", xinlu.LeadRejected)}}
	pa := &store.BulkProject{LeadIndex: 0, Funds: []store.Funds{{OnDate: "2026-05-10", Yuan: 20_000_000}},
		Approvals: []store.ApprovalItem{{Name: "环评", AgentID: sponsor, LimitDays: 20, DueOn: "2026-09-22"},
			{Name: "能评", AgentID: sponsor, LimitDays: 20, DueOn: "2026-09-29"}}}
	pa.Name, pa.Company, pa.Industry, pa.Stage, pa.Status = "碳纤维项目", "公司2026-01-05", "materials", xinlu.StageAgency, xinlu.ProjectActive
	pa.CreatedAt, pa.SponsorID = at("2026-01-12"), sponsor
	pa.Signing.SignedOn, pa.Signing.ContractYuan, pa.StartedOn, pa.StageDue = "2026-03-02", 100_000_000, "2026-04-01", "2026-09-21"
	pb := &store.BulkProject{LeadIndex: 1}
	pb.Name, pb.Company, pb.Industry, pb.Stage, pb.Status = "智能装备项目", "公司2026-02-02", "equipment", xinlu.StageAgency, xinlu.ProjectActive
	pb.CreatedAt, pb.SponsorID = at("2026-02-09"), sponsor
	pb.Signing.SignedOn, pb.Signing.ContractYuan, pb.StageDue = "2026-06-01", 50_000_000, "2026-09-29"
	pc := &store.BulkProject{LeadIndex: -1, Funds: []store.Funds{{OnDate: "2025-12-20", Yuan: 10_000_000}, {OnDate: "2026-03-01", Yuan: 5_000_000}}}
	pc.Name, pc.Company, pc.Industry, pc.Stage, pc.Status = "轻工项目", "轻工公司", "light_industry", xinlu.StageAgency, xinlu.ProjectActive
	pc.CreatedAt, pc.Signing.SignedOn, pc.Signing.ContractYuan = at("2025-11-03"), "2025-12-01", 30_000_000
	pc.StartedOn, pc.ProducedOn = "2026-02-02", "2026-08-03"
	b.Projects = []*store.BulkProject{pa, pb, pc}
	if _, err := a.store.BulkLoad(ctx, xinlu.SystemActor(a.zone.ID), a.zone.ID, b); err != nil {
		t.Fatal(err)
	}
	return pa.ID
}

var pagerTotal = regexp.MustCompile(`<span class="total">共 (\d+) 条</span>`)

// TestCockpitDrillsDown: every figure of the cockpit that links to a list
// opens a list whose total is the figure.
func TestCockpitDrillsDown(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleDirector)
	en := a.as(xinlu.RoleDirector)
	en.lang = "en"
	red := seedCockpitPipeline(t, a)
	if err := a.store.AddSupervisionOrder(context.Background(), xinlu.SystemActor(a.zone.ID), a.users[xinlu.RoleDirector], red,
		store.SupervisionOrder{Task: "推进开工", AssigneeID: a.users[xinlu.RoleSponsor].MemberID, Due: "2026-09-25"}); err != nil {
		t.Fatal(err)
	}
	rd := &xinlu.TargetIndicator{ZoneID: a.zone.ID, Set: "high_level_rise", Name: "研发投入强度", Unit: "%"}
	sys := xinlu.SystemActor(a.zone.ID)
	if err := a.store.CreateIndicator(context.Background(), sys, rd); err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetTarget(context.Background(), sys, a.zone.ID, rd.ID, 2026, 3); err != nil {
		t.Fatal(err)
	}
	if err := a.store.EnterActual(context.Background(), sys, a.zone.ID, rd.ID, 2026, 8, 2.4); err != nil {
		t.Fatal(err)
	}
	res := c.get("/cockpit?year=2026")
	if res.StatusCode != 200 {
		t.Fatalf("cockpit: %d %s", res.StatusCode, res.body)
	}
	// The funnel's table: each step's count and the link of its list.
	step := regexp.MustCompile(`<tr id="funnel-(\w+)"><th scope="row"><a href="([^"]+)">[^<]*</a></th>\s*<td class="num funnel-count">(\d+)</td>`)
	want := map[string]string{"lead": "3", "created": "2", "signed": "2", "started": "2", "produced": "1"}
	found := 0
	for _, m := range step.FindAllStringSubmatch(res.body, -1) {
		found++
		if want[m[1]] != m[3] {
			t.Errorf("funnel %s: %s, want %s", m[1], m[3], want[m[1]])
		}
		list := c.get(html.UnescapeString(m[2]))
		tot := pagerTotal.FindStringSubmatch(list.body)
		if list.StatusCode != 200 || tot == nil || tot[1] != m[3] {
			t.Errorf("funnel %s opens %s: %d %v, figure %s", m[1], m[2], list.StatusCode, tot, m[3])
		}
	}
	if found != 5 {
		t.Fatalf("funnel rows with links: %d\n%s", found, res.body)
	}
	// The breakdown by industry: each row opens the ledger of its signings.
	row := regexp.MustCompile(`<tr><th scope="row"><a href="([^"]+)">[^<]*</a></th>\s*<td class="num">(\d+)</td>`)
	rows := row.FindAllStringSubmatch(res.body[strings.Index(res.body, `id="breakdown-industry"`):], 2)
	if len(rows) != 2 {
		t.Fatalf("industry rows: %v", rows)
	}
	for _, m := range rows {
		list := c.get(html.UnescapeString(m[1]))
		if tot := pagerTotal.FindStringSubmatch(list.body); tot == nil || tot[1] != m[2] {
			t.Errorf("breakdown opens %s: %v, figure %s", m[1], tot, m[2])
		}
	}
	// The red projects: one, and the ledger of red projects counts one.
	if !strings.Contains(res.body, `<span class="tag tag-red">红灯 1</span> <span class="tag tag-orange">黄灯 1</span> <a href="/projects?light=red"`) {
		t.Fatalf("red and yellow projects\n%s", res.body)
	}
	if tot := pagerTotal.FindStringSubmatch(c.get("/projects?light=red").body); tot == nil || tot[1] != "1" {
		t.Errorf("red projects' ledger: %v", tot)
	}
	// Funds in place: the figure opens the year's payments, as many and
	// summing to it.
	kpi := regexp.MustCompile(`<a class="ck-kpi" id="kpi-funds_yuan" href="([^"]+)">\s*<small>[^<]*</small>\s*<b class="kpi-actual">([^<]+)</b>`).FindStringSubmatch(res.body)
	if kpi == nil {
		t.Fatalf("funds figure with its link\n%s", res.body)
	}
	list := c.get(html.UnescapeString(kpi[1]))
	if tot := pagerTotal.FindStringSubmatch(list.body); list.StatusCode != 200 || tot == nil || tot[1] != "2" ||
		!strings.Contains(list.body, `<span id="records-sum">合计 `+kpi[2]+`</span>`) || !strings.Contains(list.body, "轻工项目") {
		t.Errorf("funds figure %s opens %s: %d %v\n%s", kpi[2], kpi[1], list.StatusCode, tot, list.body)
	}
	// The sponsor's funds in place: A's 20,000,000 (C has no sponsor),
	// opening A's payment; the department's likewise.
	fund := regexp.MustCompile(`<td class="num member-funds"><a href="([^"]+)">([^<]+)</a></td>`).FindAllStringSubmatch(res.body, -1)
	if len(fund) != 1 || fund[0][2] != "2,000.00 万元" {
		t.Fatalf("members' funds in place: %v", fund)
	}
	list = c.get(html.UnescapeString(fund[0][1]))
	if tot := pagerTotal.FindStringSubmatch(list.body); tot == nil || tot[1] != "1" || !strings.Contains(list.body, `<span id="records-sum">合计 `+fund[0][2]+`</span>`) {
		t.Errorf("the sponsor's funds open %s: %v", fund[0][1], tot)
	}
	// Red approval items and supervision orders: each kind's red count
	// opens the list of those, as long (the order issued above is a day
	// late).
	for kind, want := range map[string]string{"approval": "1", "supervision": "1"} {
		m := regexp.MustCompile(`id="alerts-` + kind + `">\s*<h3>[^<]*<span class="tag tag-red">红灯 (\d+)</span> <span class="tag tag-orange">黄灯 \d+</span> <a href="([^"]+)" class="alerts-link">`).FindStringSubmatch(res.body)
		if m == nil || m[1] != want {
			t.Errorf("red %s: %v", kind, m)
			continue
		}
		list := c.get(html.UnescapeString(m[2]))
		if tot := pagerTotal.FindStringSubmatch(list.body); list.StatusCode != 200 || tot == nil || tot[1] != m[1] {
			t.Errorf("red %s %s opens %s: %d %v", kind, m[1], m[2], list.StatusCode, tot)
		}
	}
	if body := c.get("/cockpit/records/approval").body; !strings.Contains(body, "环评") || !strings.Contains(body, "能评") {
		t.Error("red and yellow approval items together")
	}
	if res := c.get("/cockpit/records/bogus"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown list: %d", res.StatusCode)
	}
	// 四高 progress: each indicator's latest actual against its target.
	if m := regexp.MustCompile(`<tr id="indicator-\d+"><td>高水平崛起</td><th scope="row">研发投入强度[^<]*<span class="hint">（%）</span></th><td class="num">3</td>\s*<td class="num">2.4 <span class="hint">8 月</span></td>\s*<td><div class="ck-bar behind"><span style="width: 80%"></span></div><span class="indicator-share">80%</span>`).FindString(res.body); m == "" {
		t.Errorf("entered indicator on the cockpit\n%s", res.body[strings.Index(res.body, `id="cockpit-factors"`):])
	}
	if !strings.Contains(res.body, `<a href="/targets?year=2026">“四高”与产业结构目标进度 →</a>`) {
		t.Error("the targets page is linked")
	}
	// In English too.
	if res := en.get("/cockpit/records/funds?year=2026"); res.StatusCode != 200 || !strings.Contains(res.body, "Funds in place in 2026") {
		t.Fatalf("English funds list: %d", res.StatusCode)
	}
	if res := en.get("/cockpit?year=2026"); res.StatusCode != 200 || !strings.Contains(res.body, "The five-step funnel") {
		t.Fatalf("English cockpit: %d", res.StatusCode)
	}
	// Leads past their screening deadline: reported on 1 and 2 September,
	// still waiting; the red count opens the list of those two, and a
	// report is counted at once.
	for _, d := range []int{1, 2} {
		l := &xinlu.Lead{Company: fmt.Sprintf("九月%d日公司", d), ProjectName: "待筛项目", Industry: "materials", Channel: "expo",
			ReporterID: a.users[xinlu.RoleMember].MemberID, ReportedAt: time.Date(2026, 9, d, 3, 0, 0, 0, time.UTC)}
		if _, err := a.store.ReportLead(context.Background(), xinlu.SystemActor(a.zone.ID), l); err != nil {
			t.Fatal(err)
		}
	}
	res = c.get("/cockpit?year=2026")
	m := regexp.MustCompile(`id="alerts-lead">\s*<h3>[^<]*<span class="tag tag-red">红灯 (\d+)</span> <span class="tag tag-orange">黄灯 \d+</span> <a href="([^"]+)" class="alerts-link">`).FindStringSubmatch(res.body)
	if m == nil || m[1] != "2" {
		t.Fatalf("red leads: %v", m)
	}
	list = c.get(html.UnescapeString(m[2]))
	if tot := pagerTotal.FindStringSubmatch(list.body); list.StatusCode != 200 || tot == nil || tot[1] != "2" ||
		!strings.Contains(list.body, "九月1日公司") || !strings.Contains(list.body, `id="lead-cockpit-filter"`) {
		t.Errorf("red leads open %s: %d %v", m[2], list.StatusCode, tot)
	}
}

// TestCockpitSupervision: the red project's 督办 issues a supervision order
// to its sponsor in one click, pre-filled; it appears on the project and
// in the sponsor's notifications, and is audited.
func TestCockpitSupervision(t *testing.T) {
	a := newApp(t)
	c, sp, aud := a.as(xinlu.RoleDirector), a.as(xinlu.RoleSponsor), a.as(xinlu.RoleAuditor)
	red := seedCockpitPipeline(t, a)
	page := c.get("/cockpit?year=2026").body
	form := regexp.MustCompile(`<form method="post" action="/cockpit/supervise/(\d+)" class="inline supervise-form"><input type="hidden" name="csrf" value="([^"]+)"><input type="hidden" name="task" value="([^"]+)"><input type="hidden" name="due" value="([^"]+)">`).
		FindStringSubmatch(page)
	if form == nil || form[1] != strconv.FormatInt(red, 10) {
		t.Fatalf("督办 on the red project only: %v", form)
	}
	if strings.Count(page, "supervise-form") != 1 {
		t.Fatal("the yellow project has no 督办")
	}
	task := html.UnescapeString(form[3])
	if !strings.Contains(task, "碳纤维项目") || !strings.Contains(task, "5 个工作日") || form[4] != "2026-10-05" {
		t.Fatalf("pre-filled task %q due %s (five working days on)", task, form[4])
	}
	res := c.postForm("/cockpit/supervise/"+form[1], url.Values{"csrf": {form[2]}, "task": {task}, "due": {form[4]}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/projects/"+form[1]) {
		t.Fatalf("督办: %d %s", res.StatusCode, res.body)
	}
	if body := c.get("/projects/" + form[1]).body; !strings.Contains(body, "碳纤维项目”当前阶段已逾期 5 个工作日") {
		t.Fatal("the order is on the project")
	}
	if body := sp.get("/notifications").body; !strings.Contains(body, "督办") || !strings.Contains(body, "碳纤维项目") {
		t.Fatalf("the sponsor is told\n%s", body)
	}
	if n := auditCount(t, a, "supervision.create"); n != 1 {
		t.Fatalf("audited: %d", n)
	}
	// Who may not issue orders has no button, and the route refuses.
	if body := aud.get("/cockpit?year=2026").body; strings.Contains(body, "supervise-form") {
		t.Fatal("the auditor reads only")
	}
	if res := aud.postForm("/cockpit/supervise/"+form[1], url.Values{"csrf": {aud.csrfToken("/cockpit")}, "task": {task}, "due": {form[4]}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("auditor's 督办: %d", res.StatusCode)
	}
}

// TestCockpitTargetsForm follows the forms rule: saved unchanged nothing
// is written; bad fields come back each marked, with what was typed.
func TestCockpitTargetsForm(t *testing.T) {
	a := newApp(t)
	c, sp := a.as(xinlu.RoleDirector), a.as(xinlu.RoleSponsor)
	seedCockpitPipeline(t, a)
	csrf := c.csrfToken("/cockpit?year=2026")
	audits := func() int { return auditCount(t, a, "cockpit.targets") }
	good := url.Values{"csrf": {csrf}, "year": {"2026"}, "contract_yuan": {"30000"}, "signed": {"4"}}
	if res := c.postForm("/cockpit/targets", good); res.StatusCode != http.StatusSeeOther || audits() != 1 {
		t.Fatalf("save: %d, %d audit rows", res.StatusCode, audits())
	}
	page := c.get("/cockpit?year=2026").body
	for _, want := range []string{`name="contract_yuan" id="contract_yuan" inputmode="decimal" value="30000.00"`, `name="signed" id="signed" inputmode="decimal" value="4"`,
		`<small>完成 50%，目标 3.00 亿元`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the form shows what is stored, the cockpit the share: %q\n%s", want, page)
		}
	}
	// Saved again as shown: nothing changes.
	if res := c.postForm("/cockpit/targets", url.Values{"csrf": {csrf}, "year": {"2026"}, "contract_yuan": {"30000.00"}, "signed": {"4"}}); res.StatusCode != http.StatusSeeOther || audits() != 1 {
		t.Fatalf("unchanged save: %d, %d audit rows", res.StatusCode, audits())
	}
	bad := url.Values{"csrf": {csrf}, "year": {"2026"}, "contract_yuan": {"三万"}, "signed": {"-2"}, "leads": {"120"}}
	res := c.postForm("/cockpit/targets", bad)
	if res.StatusCode != 422 {
		t.Fatalf("bad: %d", res.StatusCode)
	}
	for _, want := range []string{`id="err-contract_yuan"`, `id="err-signed"`, `value="三万"`, `value="-2"`, `value="120"`, `href="#contract_yuan"`, `href="#signed"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("bad form: no %s", want)
		}
	}
	if audits() != 1 {
		t.Fatal("a bad form writes nothing")
	}
	if res := sp.postForm("/cockpit/targets", good); res.StatusCode != http.StatusForbidden {
		t.Fatalf("the sponsor does not set targets: %d", res.StatusCode)
	}
}

// TestCockpitZonesAndScreen: the viewer compares the zones and reads any
// zone's cockpit without forms; a zone's users stay in their zone; the
// meeting-room screen refreshes itself and has nothing to submit.
func TestCockpitZonesAndScreen(t *testing.T) {
	a := newApp(t)
	clients := map[xinlu.Role]*client{}
	for _, r := range []xinlu.Role{xinlu.RoleViewer, xinlu.RoleDirector, xinlu.RoleSponsor, xinlu.RoleAuditor} {
		clients[r] = a.as(r)
	}
	seedCockpitPipeline(t, a)
	other := a.fix.Sibling(&xinlu.Zone{Code: "Z2", Name: "第二开发区", Demo: true})
	oid := strconv.FormatInt(other.Zone.ID, 10)
	v := clients[xinlu.RoleViewer]
	// The first zone keeps a self-assessment for the year; the roll-up
	// shows its score and rank beside the figures, the other zone a dash.
	if _, err := a.store.LoadDefaultAssessment(context.Background(), xinlu.SystemActor(a.zone.ID), a.zone.ID, 2026); err != nil {
		t.Fatal(err)
	}
	if res := v.get("/cockpit/zones?year=2026&sort=assessment"); res.StatusCode != 200 || !strings.Contains(res.body, "同类开发区第 1 名（共 1 个）") ||
		strings.Index(res.body, "测试开发区") > strings.Index(res.body, "第二开发区") {
		t.Fatalf("roll-up with the self-assessment: %d\n%s", res.StatusCode, res.body)
	}
	res := v.get("/cockpit/zones?year=2026&sort=contract_yuan")
	if res.StatusCode != 200 || strings.Index(res.body, "测试开发区") > strings.Index(res.body, "第二开发区") || !strings.Contains(res.body, `href="/cockpit?year=2026&amp;zone_id=`+oid+`"`) {
		t.Fatalf("roll-up: %d\n%s", res.StatusCode, res.body)
	}
	if !strings.Contains(v.get("/").body, `href="/cockpit/zones"`) || strings.Contains(clients[xinlu.RoleDirector].get("/").body, `href="/cockpit/zones"`) {
		t.Fatal("the roll-up is in the viewer's menu only")
	}
	res = v.get("/cockpit?year=2026&zone_id=" + oid)
	if res.StatusCode != 200 || !strings.Contains(res.body, "第二开发区") || !strings.Contains(res.body, `id="cockpit-readonly"`) ||
		strings.Contains(res.body, "targets-form") || strings.Contains(res.body, "supervise-form") {
		t.Fatalf("another zone's cockpit, read-only: %d", res.StatusCode)
	}
	for _, r := range []xinlu.Role{xinlu.RoleDirector, xinlu.RoleSponsor, xinlu.RoleAuditor} {
		if res := clients[r].get("/cockpit?zone_id=" + oid); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s asking for another zone's cockpit: %d", r, res.StatusCode)
		}
		if res := clients[r].get("/cockpit/screen?zone_id=" + oid); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s asking for another zone's screen: %d", r, res.StatusCode)
		}
	}
	res = v.get("/cockpit/screen?year=2026")
	if res.StatusCode != 200 || !strings.Contains(res.body, `<meta http-equiv="refresh" content="300">`) || strings.Contains(res.body, "<form") ||
		!strings.Contains(res.body, `data-fit="1920x1080"`) || !strings.Contains(res.body, `data-theme="dark"`) {
		t.Fatalf("screen: %d\n%s", res.StatusCode, res.body)
	}
}
