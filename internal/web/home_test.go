package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// homeTodo returns the to-do block with the element id from a home page:
// its count, red and yellow tags and the records' links in order.
func homeTodo(t *testing.T, body, id string) (count int, red, yellow string, links []string) {
	t.Helper()
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("home lacks %s", id)
	}
	block := body[start:]
	if end := strings.Index(block[1:], `class="workbench-todo"`); end >= 0 {
		block = block[:end]
	}
	if end := strings.Index(block, "</section>"); end >= 0 {
		block = block[:end]
	}
	m := regexp.MustCompile(`todo-count">(\d+)<`).FindStringSubmatch(block)
	if m == nil {
		t.Fatalf("%s has no count: %s", id, block)
	}
	count, _ = strconv.Atoi(m[1])
	if m := regexp.MustCompile(`todo-red">([^<]+)<`).FindStringSubmatch(block); m != nil {
		red = m[1]
	}
	if m := regexp.MustCompile(`todo-yellow">([^<]+)<`).FindStringSubmatch(block); m != nil {
		yellow = m[1]
	}
	for _, m := range regexp.MustCompile(`<li><a href="([^"]+)"`).FindAllStringSubmatch(block, -1) {
		links = append(links, m[1])
	}
	return
}

// homeDB opens the test database directly, to set deadlines.
func homeDB(t *testing.T, a *app) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+a.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func homeDay(a *app, days int) string {
	return a.store.Now().In(apprCST).AddDate(0, 0, days).Format(xinlu.DateLayout)
}

// TestHomeEmptyWorkbench: every role's to-dos say 暂无待办 with a count of
// zero when nothing waits, and a user without roles of work sees their own
// section only.
func TestHomeEmptyWorkbench(t *testing.T) {
	a := newApp(t)
	for role, todos := range map[xinlu.Role][]string{
		xinlu.RoleScreener:   {"todo-leads"},
		xinlu.RolePlanner:    {"todo-plans"},
		xinlu.RoleSponsor:    {"todo-sponsored", "todo-orders", "todo-unsponsored"},
		xinlu.RoleAgent:      {"todo-approvals"},
		xinlu.RoleHead:       {"todo-scores"},
		xinlu.RoleAppraiser:  {"todo-appeals"},
		xinlu.RoleDiscipline: {"todo-claims", "todo-contracts"},
		xinlu.RoleSysAdmin:   {"todo-contracts"},
		xinlu.RoleDirector:   {"todo-red-projects", "todo-red-approvals", "todo-finalize", "todo-incentives"},
		xinlu.RoleFinance:    {"todo-pools"},
	} {
		res := a.as(role).get("/")
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", role, res.StatusCode)
		}
		for _, id := range todos {
			if n, _, _, links := homeTodo(t, res.body, id); n != 0 || len(links) != 0 {
				t.Errorf("%s %s: %d %v", role, id, n, links)
			}
		}
		if !strings.Contains(res.body, "暂无待办") {
			t.Errorf("%s: no empty state", role)
		}
	}
	res := a.as(xinlu.RoleMember).get("/")
	if !strings.Contains(res.body, `id="home-mine"`) || !strings.Contains(res.body, "还没有报送线索") || strings.Contains(res.body, `id="home-screener"`) ||
		strings.Contains(res.body, `id="home-my-band"`) {
		t.Fatalf("member's empty home: %s", res.body)
	}
	// The director's home leads to the kanban and the performance page.
	res = a.as(xinlu.RoleDirector).get("/")
	if !strings.Contains(res.body, `href="/projects/kanban"`) || !strings.Contains(res.body, `href="/projects/performance"`) {
		t.Fatalf("director's links: %s", res.body)
	}
}

// TestHomePipelineTodos: the screener, planner, sponsor, agent and
// director see what waits for them, counted, red before yellow before
// green, each linked to its record; the member sees the fate of their
// leads and the supervision orders given them.
func TestHomePipelineTodos(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	db := homeDB(t, a)
	member := a.users[xinlu.RoleMember]

	// Four leads, three open: red, yellow (due today) and green; one
	// rejected is no longer the screener's.
	var leads []*xinlu.Lead
	for i, due := range []string{homeDay(a, 30), homeDay(a, -3), homeDay(a, 0), homeDay(a, 30)} {
		l := &xinlu.Lead{ZoneID: a.zone.ID, ReporterID: member.MemberID, Company: fmt.Sprintf("工作台%c公司", 'A'+i), ProjectName: fmt.Sprintf("工作台项目%d", i),
			Industry: "equipment", Channel: "personal"}
		if _, err := a.store.ReportLead(ctx, sys, l); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE leads SET screening_due = ? WHERE id = ?`, due, l.ID); err != nil {
			t.Fatal(err)
		}
		leads = append(leads, l)
	}
	if _, err := db.Exec(`UPDATE leads SET status = 'rejected', reason = '不符合产业定位' WHERE id = ?`, leads[3].ID); err != nil {
		t.Fatal(err)
	}
	res := a.as(xinlu.RoleScreener).get("/")
	n, red, yellow, links := homeTodo(t, res.body, "todo-leads")
	want := []string{"/leads/" + strconvFormat(leads[1].ID), "/leads/" + strconvFormat(leads[2].ID), "/leads/" + strconvFormat(leads[0].ID)}
	if n != 3 || red != "逾期 1" || yellow != "临期 1" || strings.Join(links, " ") != strings.Join(want, " ") {
		t.Fatalf("screener: %d %q %q %v", n, red, yellow, links)
	}
	if !strings.Contains(res.body, `href="/leads"`) {
		t.Fatalf("screener: no link to the list")
	}

	// The member's own section: four leads by status.
	res = a.as(xinlu.RoleMember).get("/")
	if !strings.Contains(res.body, `id="home-my-leads"`) || !strings.Contains(res.body, "已上报 3") || !strings.Contains(res.body, "未通过 1") ||
		!strings.Contains(res.body, `href="/leads/`+strconvFormat(leads[3].ID)+`"`) {
		t.Fatalf("member's leads: %s", res.body)
	}

	// Planning: one plan overdue, one in promotion is not the planner's.
	plan := a.project("包装中项目", xinlu.StagePackaging, 10_000_000)
	if err := a.store.SetProjectDue(ctx, plan.ID, homeDay(a, -1)); err != nil {
		t.Fatal(err)
	}
	pushed := a.project("推进中项目", xinlu.StagePromotion, 20_000_000)
	res = a.as(xinlu.RolePlanner).get("/")
	if n, red, _, links := homeTodo(t, res.body, "todo-plans"); n != 1 || red != "逾期 1" || len(links) != 1 || links[0] != "/projects/"+strconvFormat(plan.ID) {
		t.Fatalf("planner: %d %q %v", n, red, links)
	}
	if !strings.Contains(res.body, `href="/projects?stage=packaging&amp;status=active"`) {
		t.Fatalf("planner: no link to the ledger")
	}

	// Promotion: the project has no sponsor yet; then the sponsor takes it
	// and gives the member a supervision order.
	sponsorU := a.users[xinlu.RoleSponsor]
	res = a.as(xinlu.RoleSponsor).get("/")
	if n, _, _, links := homeTodo(t, res.body, "todo-unsponsored"); n != 1 || links[0] != "/projects/"+strconvFormat(pushed.ID) {
		t.Fatalf("unsponsored: %d %v", n, links)
	}
	if _, err := db.Exec(`UPDATE projects SET sponsor_id = ? WHERE id = ?`, sponsorU.MemberID, pushed.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.store.AddSupervisionOrder(ctx, xinlu.ActorOf(sponsorU, "127.0.0.1"), sponsorU, pushed.ID,
		store.SupervisionOrder{Task: "约谈企业负责人", AssigneeID: member.MemberID, Due: homeDay(a, -2)}); err != nil {
		t.Fatal(err)
	}
	res = a.as(xinlu.RoleSponsor).get("/")
	if n, _, _, links := homeTodo(t, res.body, "todo-sponsored"); n != 1 || links[0] != "/projects/"+strconvFormat(pushed.ID) {
		t.Fatalf("sponsored: %d %v", n, links)
	}
	if n, red, _, links := homeTodo(t, res.body, "todo-orders"); n != 1 || red != "逾期 1" || links[0] != "/projects/"+strconvFormat(pushed.ID)+"#supervision-orders" {
		t.Fatalf("orders to push: %d %q %v", n, red, links)
	}
	if n, _, _, _ := homeTodo(t, res.body, "todo-unsponsored"); n != 0 {
		t.Fatalf("still unsponsored: %d", n)
	}
	res = a.as(xinlu.RoleMember).get("/")
	if n, red, _, links := homeTodo(t, res.body, "todo-orders-mine"); n != 1 || red != "逾期 1" || !strings.Contains(res.body, "约谈企业负责人") ||
		links[0] != "/projects/"+strconvFormat(pushed.ID)+"#supervision-orders" {
		t.Fatalf("member's orders: %d %q %v", n, red, links)
	}

	// Agency: a signed project's checklist is the agents' while nobody
	// holds its items; an item given to another agent is not.
	signed := a.signWithSchedule("已签约项目", homeDay(a, 0), 30_000_000)
	var items int
	if err := db.QueryRow(`SELECT COUNT(*) FROM approval_items WHERE project_id = ?`, signed.ID).Scan(&items); err != nil || items == 0 {
		t.Fatalf("checklist: %d %v", items, err)
	}
	if _, err := db.Exec(`UPDATE approval_items SET due_on = ? WHERE id = (SELECT MIN(id) FROM approval_items WHERE project_id = ?)`, homeDay(a, -1), signed.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE approval_items SET agent_id = ? WHERE id = (SELECT MAX(id) FROM approval_items WHERE project_id = ?)`, sponsorU.MemberID, signed.ID); err != nil {
		t.Fatal(err)
	}
	res = a.as(xinlu.RoleAgent).get("/")
	n, red, _, links = homeTodo(t, res.body, "todo-approvals")
	if n != items-1 || red != "逾期 1" || len(links) != 5 || links[0] != "/projects/"+strconvFormat(signed.ID)+"#approvals" {
		t.Fatalf("agent: %d of %d %q %v", n, items, red, links)
	}

	// The director: the red projects and approval items, most late first.
	res = a.as(xinlu.RoleDirector).get("/")
	if n, _, _, links := homeTodo(t, res.body, "todo-red-projects"); n != 1 || links[0] != "/projects/"+strconvFormat(plan.ID) {
		t.Fatalf("director's red projects: %d %v", n, links)
	}
	if n, _, _, _ := homeTodo(t, res.body, "todo-red-approvals"); n != 1 {
		t.Fatalf("director's red approvals: %d", n)
	}
	// The ledger behind the link counts the same.
	if r := a.as(xinlu.RoleDirector).get("/projects?light=red"); !strings.Contains(r.body, "共 1 条") {
		t.Fatalf("red ledger: %s", r.body)
	}
}

// TestHomePeopleTodos: the head's scores to enter, the discipline office's
// claims, the contracts ending (agreeing with the expiry page), and a user
// with several roles seeing each role's section.
func TestHomePeopleTodos(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)

	// Scores: a period in scoring with an assessed indicator; the head
	// scores everyone in the department but themself.
	scheme := &xinlu.Scheme{ZoneID: a.zone.ID, Name: "一般人员考核方案", PositionKind: xinlu.PositionStaff, Indicators: []xinlu.Indicator{
		{Name: "领导评价", Kind: xinlu.IndicatorAssessed, Weight: 100, KeyTask: true}}}
	if err := a.store.CreateScheme(ctx, sys, scheme); err != nil {
		t.Fatal(err)
	}
	office := a.as(xinlu.RoleAppraiser)
	r := office.postForm("/appraisal/periods", apprPeriodForm(a.store.Now().In(apprCST).Format("2006-01")))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("period: %d", r.StatusCode)
	}
	pid, _ := strconv.ParseInt(strings.TrimPrefix(r.Header.Get("Location"), "/appraisal/periods/"), 10, 64)
	apprMustStep(t, office, pid, "open")
	_, members, err := a.store.ListMembers(ctx, store.MemberFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, Status: xinlu.MemberActive})
	if err != nil {
		t.Fatal(err)
	}
	hc := a.as(xinlu.RoleHead)
	scores := fmt.Sprintf("/appraisal/periods/%d/scores", pid)
	if r := hc.postForm(scores, url.Values{fmt.Sprintf("s_%d_%d", a.users[xinlu.RoleMember].MemberID, scheme.Indicators[0].ID): {"90"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("score: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := office.get("/"); !strings.Contains(r.body, `id="home-appraiser-figures"`) || !strings.Contains(r.body, fmt.Sprintf(`href="/appraisal/periods/%d"`, pid)) ||
		!strings.Contains(r.body, "评分中") {
		t.Fatalf("office's periods: %s", r.body)
	}
	res := hc.get("/")
	n, _, _, links := homeTodo(t, res.body, "todo-scores")
	if n != members-2 || len(links) != 1 || links[0] != fmt.Sprintf("/appraisal/periods/%d/scores", pid) ||
		!strings.Contains(res.body, fmt.Sprintf("%d 人待评分", members-2)) {
		t.Fatalf("head: %d of %d %v", n, members, links)
	}

	// A claim filed by the member waits for the discipline office.
	mu := a.users[xinlu.RoleMember]
	pen := a.recordIncentive(&xinlu.Incentive{MemberID: mu.MemberID, Kind: xinlu.IncentivePenalty, Points: -300,
		Reason: "开工手续不全", OccurredOn: "2026-03-10"}, true)
	r = a.as(xinlu.RoleMember).postForm("/tolerance", url.Values{"incentive_id": {strconvFormat(pen.ID)}, "distinction": {"exploration"}, "facts": {toleranceFacts}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	// A reward proposed waits for the director's approval.
	a.recordIncentive(&xinlu.Incentive{MemberID: mu.MemberID, Kind: xinlu.IncentiveReward, AmountYuan: 500,
		Reason: "引进项目签约", OccurredOn: "2026-03-12"}, false)
	if n, _, _, _ := homeTodo(t, a.as(xinlu.RoleDirector).get("/").body, "todo-incentives"); n != 1 {
		t.Fatalf("incentives to approve: %d", n)
	}
	res = a.as(xinlu.RoleDiscipline).get("/")
	if n, _, _, links := homeTodo(t, res.body, "todo-claims"); n != 1 || links[0] != r.Header.Get("Location") || !strings.Contains(res.body, "已提交") {
		t.Fatalf("claims: %d %v", n, links)
	}

	// Contracts: one ends in 10 days (red), one in 45 (yellow), one in 200
	// (not yet); the count is the expiry page's.
	for i, days := range []int{10, 45, 200} {
		m := a.users[[]xinlu.Role{xinlu.RoleMember, xinlu.RolePlanner, xinlu.RoleAgent}[i]]
		c := &xinlu.Contract{ZoneID: a.zone.ID, MemberID: m.MemberID, StartDate: homeDay(a, -300), EndDate: homeDay(a, days), Status: xinlu.ContractActive}
		if err := a.store.CreateContract(ctx, sys, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range []xinlu.Role{xinlu.RoleSysAdmin, xinlu.RoleDiscipline} {
		c := a.as(role)
		res = c.get("/")
		n, red, yellow, links := homeTodo(t, res.body, "todo-contracts")
		if n != 2 || red != "30天内 1" || yellow != "31–60天 1" || len(links) != 2 ||
			links[0] != "/members/"+strconvFormat(a.users[xinlu.RoleMember].MemberID) {
			t.Fatalf("%s contracts: %d %q %q %v", role, n, red, yellow, links)
		}
		if page := c.get("/contracts/expiring"); !strings.Contains(page.body, "共 2 条") {
			t.Fatalf("%s: the expiry page disagrees: %s", role, page.body)
		}
	}

	// Several roles: a sponsor who heads a department sees both sections.
	bm := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, StaffNo: "BOTH", Name: "兼职领导"}
	if err := a.store.CreateMember(ctx, sys, bm); err != nil {
		t.Fatal(err)
	}
	both := &xinlu.User{ZoneID: a.zone.ID, Username: "both", Name: "兼职领导", Roles: []xinlu.Role{xinlu.RoleSponsor, xinlu.RoleHead}, PasswordHash: sharedHash,
		MemberID: bm.ID}
	if err := a.store.CreateUser(ctx, sys, both); err != nil {
		t.Fatal(err)
	}
	a.users["both"] = both
	res = a.as("both").get("/")
	for _, id := range []string{`id="home-mine"`, `id="home-sponsor"`, `id="home-head"`} {
		if !strings.Contains(res.body, id) {
			t.Errorf("several roles: no %s", id)
		}
	}
	if strings.Contains(res.body, `id="home-screener"`) {
		t.Errorf("several roles: a role not held shows")
	}
}
