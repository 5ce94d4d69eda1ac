package store_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// leadFixture is a zone with encryption on, two departments (the second
// beneath the first), and accounts: reporter and peer (members of the
// first and second department), screener, sponsor, head (of the first
// department) and admin (no member record).
type leadFixture struct {
	s     *store.Store
	zone  *xinlu.Zone
	sys   xinlu.Actor
	users map[string]*xinlu.User
}

func (f *leadFixture) actor(name string) xinlu.Actor {
	return xinlu.ActorOf(f.users[name], "127.0.0.1")
}

func seedLeads(t *testing.T, s *store.Store) *leadFixture {
	t.Helper()
	ctx := context.Background()
	keys, err := seal.NewKeys(seal.AES)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseKeys(ctx, keys); err != nil {
		t.Fatal(err)
	}
	z, sys := seedZone(t, s, "LD")
	f := &leadFixture{s: s, zone: z, sys: sys, users: map[string]*xinlu.User{}}
	top := &xinlu.Department{ZoneID: z.ID, Code: "INV", Name: "招商局"}
	if err := s.CreateDepartment(ctx, sys, top); err != nil {
		t.Fatal(err)
	}
	sub := &xinlu.Department{ZoneID: z.ID, Code: "INV2", Name: "招商二科", ParentID: top.ID}
	if err := s.CreateDepartment(ctx, sys, sub); err != nil {
		t.Fatal(err)
	}
	other := &xinlu.Department{ZoneID: z.ID, Code: "FIN", Name: "财政局"}
	if err := s.CreateDepartment(ctx, sys, other); err != nil {
		t.Fatal(err)
	}
	for i, a := range []struct {
		name string
		role xinlu.Role
		dept int64
	}{
		{"reporter", xinlu.RoleMember, sub.ID}, {"peer", xinlu.RoleMember, other.ID}, {"screener", xinlu.RoleScreener, top.ID},
		{"sponsor", xinlu.RoleSponsor, top.ID}, {"head", xinlu.RoleHead, top.ID}, {"admin", xinlu.RoleSysAdmin, 0},
	} {
		u := &xinlu.User{ZoneID: z.ID, Username: a.name, Name: "用户" + a.name, Roles: []xinlu.Role{a.role}, PasswordHash: "x"}
		if a.dept != 0 {
			m := &xinlu.Member{ZoneID: z.ID, DepartmentID: a.dept, StaffNo: "L" + string(rune('A'+i)), Name: "成员" + a.name}
			if err := s.CreateMember(ctx, sys, m); err != nil {
				t.Fatal(err)
			}
			u.MemberID, u.DepartmentID = m.ID, a.dept
		}
		if err := s.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		f.users[a.name] = u
	}
	return f
}

func (f *leadFixture) report(t *testing.T, who, company, project string) (*xinlu.Lead, []xinlu.Match) {
	t.Helper()
	l := &xinlu.Lead{Company: company, ProjectName: project, Industry: "materials", InvestmentYuan: new(int64(500_000_000)),
		Channel: "expo", ContactName: "王经理", ContactPhone: "13812345678", Description: "参加展会时接触"}
	dups, err := f.s.ReportLead(context.Background(), f.actor(who), l)
	if err != nil {
		t.Fatalf("report %s: %v", company, err)
	}
	return l, dups
}

func (f *leadFixture) step(who string, l *xinlu.Lead, step xinlu.LeadStep) (*xinlu.Lead, error) {
	out, err := f.s.StepLead(context.Background(), f.actor(who), f.users[who], l.ID, l.Version, step)
	if err == nil {
		*l = *out
	}
	return out, err
}

func TestReportLeadFindsDuplicates(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		first, dups := f.report(t, "reporter", "山西华晋新材料股份有限公司", "高性能碳纤维项目")
		if len(dups) != 0 {
			t.Fatalf("first report has duplicates %v", dups)
		}
		if first.ReporterID != f.users["reporter"].MemberID || first.Status != xinlu.LeadReported || first.Version != 1 {
			t.Fatalf("reported lead %+v", first)
		}
		if first.ScreeningDue == "" || first.ScreeningDue <= time.Now().Format(xinlu.DateLayout) {
			t.Fatalf("screening due %q", first.ScreeningDue)
		}
		_, dups = f.report(t, "peer", "华晋新材料（太原）有限公司", "碳纤维")
		if len(dups) != 1 || dups[0].ID != first.ID || dups[0].Kind != "lead" || dups[0].Score != 1 || dups[0].ReportedBy != "成员reporter" {
			t.Fatalf("duplicates of the tricky pair: %+v", dups)
		}
		// A fuzzy match: a longer name that shares the key's start.
		_, dups = f.report(t, "peer", "华晋新材料科技有限公司", "高性能碳纤维项目二期")
		found := false
		for _, d := range dups {
			if d.ID == first.ID && d.Score < 1 && d.Score >= xinlu.DuplicateThreshold {
				found = true
			}
		}
		if !found {
			t.Fatalf("fuzzy duplicate not found: %+v", dups)
		}
		// Different companies are not duplicates.
		if _, dups = f.report(t, "peer", "太原重型机械集团有限公司", "智能矿山装备"); len(dups) != 0 {
			t.Fatalf("unrelated company has duplicates %+v", dups)
		}
	})
}

func TestReportLeadNeedsMemberAndValidInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		_, err := s.ReportLead(ctx, f.actor("admin"), &xinlu.Lead{Company: "某公司", ProjectName: "某项目", Industry: "other"})
		if xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("report without member record: %v", err)
		}
		_, err = s.ReportLead(ctx, f.actor("reporter"), &xinlu.Lead{Company: "", ProjectName: "某项目", Industry: "other"})
		if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "company" {
			t.Fatalf("empty company: %v", err)
		}
		_, err = s.ReportLead(ctx, f.actor("reporter"), &xinlu.Lead{Company: "某公司", ProjectName: "某项目", Industry: "other", ContactPhone: "abc"})
		if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "contact_phone" {
			t.Fatalf("bad phone: %v", err)
		}
	})
}

func TestLeadScopeAndMasking(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		mine, _ := f.report(t, "reporter", "晋能控股装备制造有限公司", "煤机再制造")
		theirs, _ := f.report(t, "peer", "山西药业股份有限公司", "原料药基地")

		list := func(who string, lf store.LeadFilter) []int64 {
			lf.Scope = f.users[who].Filter(xinlu.PermLeadView)
			items, total, err := s.ListLeads(ctx, lf)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(items) {
				t.Fatalf("total %d for %d items", total, len(items))
			}
			var ids []int64
			for _, l := range items {
				if l.ContactPhone != "" {
					t.Errorf("the list carries a contact phone %q", l.ContactPhone)
				}
				ids = append(ids, l.ID)
			}
			return ids
		}
		if ids := list("reporter", store.LeadFilter{}); len(ids) != 1 || ids[0] != mine.ID {
			t.Fatalf("own scope: %v", ids)
		}
		if ids := list("screener", store.LeadFilter{}); len(ids) != 2 || ids[0] != theirs.ID {
			t.Fatalf("zone scope (newest first): %v", ids)
		}
		if ids := list("head", store.LeadFilter{}); len(ids) != 1 || ids[0] != mine.ID {
			t.Fatalf("department scope reaches sub-departments only: %v", ids)
		}
		if ids := list("screener", store.LeadFilter{Industry: "materials", Status: xinlu.LeadReported, Query: "药业"}); len(ids) != 1 || ids[0] != theirs.ID {
			t.Fatalf("filters: %v", ids)
		}
		if ids := list("screener", store.LeadFilter{Status: xinlu.LeadAccepted}); len(ids) != 0 {
			t.Fatalf("status filter: %v", ids)
		}
		if _, err := s.LeadFor(ctx, f.users["reporter"], theirs.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("a member reads another's lead: %v", err)
		}
		// Clear for the reporter, screeners and leaders; masked for a head.
		for who, want := range map[string]string{"reporter": "13812345678", "screener": "13812345678", "sponsor": "13812345678", "head": "138****5678"} {
			l, err := s.LeadFor(ctx, f.users[who], mine.ID)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			if l.ContactPhone != want {
				t.Errorf("%s sees %q, want %q", who, l.ContactPhone, want)
			}
		}
		// A plain member allowed to see a lead (co-reporter scope aside) sees it masked.
		plain := *f.users["peer"]
		plain.Roles = []xinlu.Role{xinlu.RoleMember, xinlu.RoleAppraiser}
		if l, err := s.LeadFor(ctx, &plain, mine.ID); err != nil || l.ContactPhone != "138****5678" {
			t.Fatalf("plain member sees %v %v", l, err)
		}
		// Unreadable at rest.
		var raw, hash string
		if err := rawRow(s, `SELECT contact_phone, contact_phone_hash FROM leads WHERE id = `+itoa(mine.ID), &raw, &hash); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, "13812345678") || strings.Contains(raw, "5678") || hash == "" || !seal.IsSealed(raw) {
			t.Fatalf("contact phone at rest: %q hash %q", raw, hash)
		}
	})
}

func TestLeadStepsAndVersions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		l, _ := f.report(t, "reporter", "中煤科工集团", "智能综采装备")

		// A member cannot screen; a stale version is a conflict.
		if _, err := f.step("reporter", l, xinlu.LeadStep{Action: xinlu.LeadStartScreening}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("member screens: %v", err)
		}
		stale := *l
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadStartScreening}); err != nil || l.Status != xinlu.LeadScreening || l.Version != 2 {
			t.Fatalf("start screening: %v %+v", err, l)
		}
		if _, err := f.step("screener", &stale, xinlu.LeadStep{Action: xinlu.LeadRequestInfo, Reason: "请补充投资方资质"}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("stale version: %v", err)
		}
		// Request info; the reporter answers.
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadRequestInfo, Reason: "请补充投资方资质"}); err != nil || l.Status != xinlu.LeadInfoRequested || l.Reason != "请补充投资方资质" {
			t.Fatalf("request info: %v %+v", err, l)
		}
		if _, err := f.step("peer", l, xinlu.LeadStep{Action: xinlu.LeadProvideInfo, Reason: "已补充"}); err == nil {
			t.Fatal("another member provided the information")
		}
		if _, err := f.step("reporter", l, xinlu.LeadStep{Action: xinlu.LeadProvideInfo, Reason: "投资方为央企二级子公司"}); err != nil || l.Status != xinlu.LeadScreening || !strings.Contains(l.Description, "央企") {
			t.Fatalf("provide info: %v %+v", err, l)
		}
		// Accept in the wrong status names the status.
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadReopen}); err == nil {
			t.Fatal("reopened a lead in screening")
		} else if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Key != "lead.step_not_allowed" {
			t.Fatalf("reopen: %v", err)
		}
		// Veto, refused accept, override by a leader, accept.
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadVeto, VetoGround: "energy", Reason: "能耗指标不足"}); err != nil || l.VetoGround != "energy" {
			t.Fatalf("veto: %v", err)
		}
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadAccept}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("accept vetoed: %v", err)
		}
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadOverrideVeto, Reason: "已落实能耗替代"}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("screener overrides: %v", err)
		}
		if _, err := f.step("sponsor", l, xinlu.LeadStep{Action: xinlu.LeadOverrideVeto, Reason: "已落实能耗替代"}); err != nil || l.VetoGround != "" {
			t.Fatalf("override: %v", err)
		}
		if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadAccept}); err != nil || l.Status != xinlu.LeadAccepted || l.ProjectID == 0 {
			t.Fatalf("accept: %v %+v", err, l)
		}
		var stage, status, due, kind string
		var total int64
		if err := rawRow(s, `SELECT p.stage, p.status, p.stage_due, p.total_yuan, e.kind FROM projects p JOIN project_events e ON e.project_id = p.id WHERE p.id = `+itoa(l.ProjectID),
			&stage, &status, &due, &total, &kind); err != nil {
			t.Fatal(err)
		}
		if stage != "packaging" || status != "active" || due <= time.Now().AddDate(0, 0, 14).Format(xinlu.DateLayout) || total != 500_000_000 || kind != "created" {
			t.Fatalf("project %s %s %s %d %s", stage, status, due, total, kind)
		}
		// Reject, shelve and reopen on another lead.
		r, _ := f.report(t, "peer", "某某贸易有限公司", "仓储物流")
		if _, err := f.step("screener", r, xinlu.LeadStep{Action: xinlu.LeadReject, Reason: "x"}); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("reject without a reason: %v", err)
		}
		if _, err := f.step("screener", r, xinlu.LeadStep{Action: xinlu.LeadShelve, Reason: "投资方暂缓"}); err != nil || r.Status != xinlu.LeadDormant {
			t.Fatalf("shelve: %v", err)
		}
		if _, err := f.step("screener", r, xinlu.LeadStep{Action: xinlu.LeadReopen}); err != nil || r.Status != xinlu.LeadScreening {
			t.Fatalf("reopen: %v", err)
		}
		if _, err := f.step("screener", r, xinlu.LeadStep{Action: xinlu.LeadReject, Reason: "不符合园区产业定位"}); err != nil || r.Status != xinlu.LeadRejected {
			t.Fatalf("reject: %v", err)
		}
		seen, err := s.LeadFor(ctx, f.users["peer"], r.ID)
		if err != nil || seen.Reason != "不符合园区产业定位" {
			t.Fatalf("the reporter sees %+v %v", seen, err)
		}
		// Every step wrote an audit row.
		entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Entity: "lead", EntityID: l.ID, Page: xinlu.Page{PerPage: 50}})
		if err != nil || len(entries) != 7 {
			t.Fatalf("%d audit rows of the lead: %v", len(entries), err)
		}
	})
}

func TestConcurrentAcceptsMakeOneProject(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		l, _ := f.report(t, "reporter", "太钢不锈钢股份有限公司", "精密带钢")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = s.StepLead(context.Background(), f.actor("screener"), f.users["screener"], l.ID, 1, xinlu.LeadStep{Action: xinlu.LeadAccept})
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch xinlu.ErrorCode(err) {
			case "":
				ok++
			case xinlu.ECONFLICT:
			default:
				t.Errorf("accept: %v", err)
			}
		}
		var n int
		if err := rawRow(s, `SELECT COUNT(*) FROM projects WHERE lead_id = `+itoa(l.ID), &n); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || n != 1 {
			t.Fatalf("%d accepts won, %d projects", ok, n)
		}
	})
}

func TestMergeKeepsEarlierReporter(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		early, _ := f.report(t, "reporter", "山西华晋新材料股份有限公司", "碳纤维")
		late, dups := f.report(t, "peer", "华晋新材料（太原）有限公司", "碳纤维")
		if len(dups) != 1 {
			t.Fatalf("dups %v", dups)
		}
		// Merging into itself or a missing lead is refused.
		if _, err := f.step("screener", late, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: late.ID}); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("merge into itself: %v", err)
		}
		if _, err := f.step("screener", late, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: 999999}); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("merge into nothing: %v", err)
		}
		// The screener merges the earlier lead into the later one: the credit
		// still goes to the earlier reporter.
		if _, err := f.step("screener", early, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: late.ID}); err != nil || early.Status != xinlu.LeadMerged || early.MergedInto != late.ID {
			t.Fatalf("merge: %v %+v", err, early)
		}
		survivor, err := s.LeadFor(ctx, f.users["screener"], late.ID)
		if err != nil {
			t.Fatal(err)
		}
		if survivor.ReporterID != f.users["reporter"].MemberID || !survivor.ReportedAt.Equal(early.ReportedAt) || survivor.Version != 2 {
			t.Fatalf("survivor %+v", survivor)
		}
		cos, err := s.LeadCoReporters(ctx, f.zone.ID, late.ID)
		if err != nil || len(cos) != 1 || cos[0].MemberID != f.users["peer"].MemberID || cos[0].MergedLeadID != early.ID {
			t.Fatalf("co-reporters %+v %v", cos, err)
		}
		// A third report merged in later: the earlier credit stays.
		third, _ := f.report(t, "screener", "华晋新材料有限公司", "碳纤维")
		if _, err := f.step("screener", third, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: late.ID}); err != nil {
			t.Fatal(err)
		}
		survivor, _ = s.LeadFor(ctx, f.users["screener"], late.ID)
		cos, _ = s.LeadCoReporters(ctx, f.zone.ID, late.ID)
		if survivor.ReporterID != f.users["reporter"].MemberID || len(cos) != 2 {
			t.Fatalf("after the third: %+v %+v", survivor, cos)
		}
		// Merged leads are no longer offered as duplicates.
		_, dups = f.report(t, "peer", "华晋新材料股份公司", "碳纤维")
		if len(dups) != 1 || dups[0].ID != late.ID {
			t.Fatalf("dups after merge %+v", dups)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// rawRow reads one row straight from the database, past the store's methods.
func rawRow(s *store.Store, q string, dest ...any) error {
	return s.RawQueryRowForTest(context.Background(), q).Scan(dest...)
}

// Reports made at the same moment share commits: every good report is
// saved with its audit row, one that fails is undone alone with its caller
// told, and the audit chain still verifies.
func TestConcurrentReportsCommitTogether(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		ctx := context.Background()
		scope := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.zone.ID}
		_, before, err := s.ListLeads(ctx, store.LeadFilter{Scope: scope})
		if err != nil {
			t.Fatal(err)
		}
		const n = 40
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := "reporter"
				if i%10 == 3 {
					who = "admin" // no member record: refused
				}
				l := &xinlu.Lead{Company: "并发" + strconv.Itoa(i) + "号机械有限公司", ProjectName: "并发项目", Industry: "equipment",
					Channel: "expo", ContactPhone: "13812345678"}
				_, errs[i] = s.ReportLead(ctx, f.actor(who), l)
			}()
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		_, cancelErr := s.ReportLead(cancelled, f.actor("reporter"), &xinlu.Lead{Company: "取消的公司", ProjectName: "项目", Industry: "other"})
		wg.Wait()
		refused := 0
		for i, err := range errs {
			switch {
			case i%10 == 3 && xinlu.ErrorCode(err) == xinlu.EFORBIDDEN:
				refused++
			case i%10 != 3 && err != nil:
				t.Fatalf("report %d: %v", i, err)
			case i%10 == 3:
				t.Fatalf("report %d by an account without a member record: %v", i, err)
			}
		}
		if cancelErr == nil {
			t.Fatal("a report whose request ended was saved")
		}
		_, after, err := s.ListLeads(ctx, store.LeadFilter{Scope: scope})
		if err != nil {
			t.Fatal(err)
		}
		if after-before != n-refused {
			t.Fatalf("%d leads saved, want %d", after-before, n-refused)
		}
		_, audited, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Action: "lead.report"})
		if err != nil {
			t.Fatal(err)
		}
		if audited != n-refused {
			t.Fatalf("%d lead.report audit rows, want %d", audited, n-refused)
		}
		if _, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
			t.Fatalf("audit chain: %v %+v", err, brk)
		}
	})
}

// Many merged reports of one company do not hide the live lead they were
// merged into from the next report's duplicates.
func TestDuplicatesSeePastMergedReports(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		var early []*xinlu.Lead
		for i := range 25 {
			l, _ := f.report(t, "peer", "宏达精密机械（晋城）有限公司", "精密齿轮"+strconv.Itoa(i))
			early = append(early, l)
		}
		// The lead the others are merged into came last: it sorts after them.
		live, _ := f.report(t, "reporter", "晋城宏达精密机械有限公司", "精密齿轮")
		for _, l := range early {
			if _, err := f.step("screener", l, xinlu.LeadStep{Action: xinlu.LeadMerge, MergeInto: live.ID}); err != nil {
				t.Fatal(err)
			}
		}
		_, dups := f.report(t, "peer", "宏达精密机械有限公司", "精密齿轮")
		if len(dups) != 1 || dups[0].ID != live.ID {
			t.Fatalf("duplicates after 25 merged reports: %+v", dups)
		}
	})
}
