package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// recordIncentive has the appraisal office record i and, when approve, the
// director approve it, through the store.
func (a *app) recordIncentive(i *xinlu.Incentive, approve bool) *xinlu.Incentive {
	a.t.Helper()
	ctx := context.Background()
	office, director := a.users[xinlu.RoleAppraiser], a.users[xinlu.RoleDirector]
	if i.EvidenceType == "" {
		i.EvidenceType, i.EvidenceText = xinlu.EvidenceEvent, "例会通报"
	}
	if err := a.store.CreateIncentive(ctx, xinlu.ActorOf(office, ""), office, i); err != nil {
		a.t.Fatal(err)
	}
	if approve {
		out, err := a.store.StepIncentive(ctx, xinlu.ActorOf(director, ""), director, i.ID, i.Version, xinlu.IncentiveApprove, "")
		if err != nil {
			a.t.Fatal(err)
		}
		return out
	}
	return i
}

// openXLSX checks that an answer is a workbook excelize can open and
// returns its first sheet's rows.
func openXLSX(t *testing.T, res response) [][]string {
	t.Helper()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestIncentivePagesByRole(t *testing.T) {
	a := newApp(t)
	for _, role := range xinlu.Roles {
		u := a.users[role]
		c := a.as(role)
		for _, tc := range []struct {
			path, title string
			perm        xinlu.Permission
		}{
			{"/incentives", "奖惩台账", xinlu.PermIncentiveView},
			{"/incentives/settings", "奖惩参数", xinlu.PermIncentiveView},
			{"/incentives/new", "新增奖惩记录", xinlu.PermIncentiveManage},
			{"/consequences", "处理建议", xinlu.PermConsequenceDecide},
		} {
			res := c.get(tc.path)
			switch {
			case u.Can(tc.perm) && (res.StatusCode != 200 || !strings.Contains(res.body, tc.title)):
				t.Errorf("%s GET %s: %d", role, tc.path, res.StatusCode)
			case !u.Can(tc.perm) && (res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "没有权限")):
				t.Errorf("%s GET %s: %d, want 403", role, tc.path, res.StatusCode)
			}
		}
	}
}

func TestIncentiveLedgerPages(t *testing.T) {
	a := newApp(t)
	office := a.as(xinlu.RoleAppraiser)
	member := a.users[xinlu.RoleMember]
	if r := office.get("/incentives"); r.StatusCode != 200 || !strings.Contains(r.body, "暂无奖惩记录") || !strings.Contains(r.body, `id="incentive-new"`) {
		t.Fatalf("empty ledger: %d", r.StatusCode)
	}
	form := office.get("/incentives/new")
	if form.StatusCode != 200 || !strings.Contains(form.body, ">"+member.Name+"<") || !strings.Contains(form.body, "处分") {
		t.Fatalf("new form: %d", form.StatusCode)
	}

	t.Run("a form error shows in Chinese and keeps the input", func(t *testing.T) {
		r := office.postForm("/incentives", url.Values{"member_id": {strconvFormat(member.MemberID)}, "kind": {"penalty"}, "points": {"2.5"},
			"reason": {"未按期报送台账"}, "evidence_type": {"event"}, "evidence_text": {"月度例会通报"}, "occurred_on": {"2026-03-10"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "惩戒只能扣分") || !strings.Contains(r.body, `value="2.5"`) ||
			!strings.Contains(r.body, "未按期报送台账</textarea>") || !strings.Contains(r.body, `value="penalty" selected`) {
			t.Fatalf("positive penalty: %d %s", r.StatusCode, r.body)
		}
		r = office.postForm("/incentives", url.Values{"kind": {"reward"}, "amount_yuan": {"500"}, "reason": {"x"}, "evidence_type": {"event"},
			"evidence_text": {"x"}, "occurred_on": {"2026-03-10"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "人员不能为空") {
			t.Fatalf("no member: %d", r.StatusCode)
		}
		r = office.postForm("/incentives", url.Values{"member_id": {strconvFormat(member.MemberID)}, "kind": {"reward"}, "points": {"两分"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "分值须为数字") {
			t.Fatalf("points not a number: %d", r.StatusCode)
		}
	})

	r := office.postForm("/incentives", url.Values{"member_id": {strconvFormat(member.MemberID)}, "kind": {"penalty"}, "points": {"-2.5"},
		"reason": {"未按期报送台账"}, "evidence_type": {"event"}, "evidence_text": {"月度例会通报"}, "occurred_on": {"2026-03-10"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	list := office.get("/incentives")
	if !strings.Contains(list.body, "新增成功") || !strings.Contains(list.body, "-2.50") || !strings.Contains(list.body, "待审批") || !strings.Contains(list.body, "共 1 条") ||
		strings.Contains(list.body, "/approve") {
		t.Fatalf("ledger after create: %s", list.body)
	}
	items, _, err := a.store.ListIncentives(context.Background(), store.IncentiveFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}})
	if err != nil || len(items) != 1 {
		t.Fatalf("stored %v %v", items, err)
	}
	id := strconvFormat(items[0].ID)

	t.Run("the director approves or rejects with a note", func(t *testing.T) {
		director := a.as(xinlu.RoleDirector)
		page := director.get("/incentives")
		if !strings.Contains(page.body, `action="/incentives/`+id+`/approve"`) || !strings.Contains(page.body, "确定批准“"+member.Name+"”的这条奖惩记录吗？") {
			t.Fatalf("no approve button: %s", page.body)
		}
		if r := director.postForm("/incentives/"+id+"/reject", url.Values{"version": {"1"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "备注不能为空") {
			t.Fatalf("reject without a note: %d", r.StatusCode)
		}
		if r := director.postForm("/incentives/"+id+"/approve", url.Values{"version": {"9"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该记录已被他人修改") {
			t.Fatalf("stale: %d", r.StatusCode)
		}
		if r := director.postForm("/incentives/"+id+"/approve", url.Values{"version": {"1"}, "back": {"kind=penalty"}}); r.StatusCode != http.StatusSeeOther ||
			r.Header.Get("Location") != "/incentives?kind=penalty" {
			t.Fatalf("approve: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if r := director.postForm("/incentives/"+id+"/reject", url.Values{"version": {"2"}, "note": {"重复"}}); r.StatusCode != http.StatusConflict ||
			!strings.Contains(r.body, "奖惩记录当前为“已批准”") {
			t.Fatalf("decide twice: %d", r.StatusCode)
		}
		if r := a.as(xinlu.RoleAppraiser).postForm("/incentives/"+id+"/approve", url.Values{"version": {"2"}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("the office approved: %d", r.StatusCode)
		}
	})
	t.Run("scope and filters", func(t *testing.T) {
		a.recordIncentive(&xinlu.Incentive{MemberID: a.users[xinlu.RolePlanner].MemberID, Kind: xinlu.IncentiveReward, AmountYuan: 3000,
			Reason: "引进重点项目", OccurredOn: "2026-03-20"}, false)
		mine := a.as(xinlu.RoleMember).get("/incentives")
		if !strings.Contains(mine.body, "未按期报送台账") || strings.Contains(mine.body, "引进重点项目") || strings.Contains(mine.body, `name="member_id"`) {
			t.Fatalf("member's ledger: %s", mine.body)
		}
		if r := office.get("/incentives?kind=reward"); !strings.Contains(r.body, "引进重点项目") || strings.Contains(r.body, "未按期报送台账") {
			t.Fatalf("kind filter")
		}
		if r := office.get("/incentives?from=2026-03-15&kind=nonsense"); !strings.Contains(r.body, "共 1 条") || !strings.Contains(r.body, "引进重点项目") {
			t.Fatalf("date filter")
		}
	})
	t.Run("export is a workbook of the filtered view", func(t *testing.T) {
		rows := openXLSX(t, office.get("/incentives/export.xlsx?kind=penalty"))
		if len(rows) != 4 || rows[0][0] != "奖惩台账" || !strings.Contains(rows[1][0], "测试开发区") || rows[3][0] != member.Name || rows[3][4] != "-2.50" || rows[3][8] != "已批准" {
			t.Fatalf("export %q", rows)
		}
		if r := a.as(xinlu.RoleSysAdmin).get("/incentives/export.xlsx"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("sysadmin export: %d", r.StatusCode)
		}
	})
	t.Run("settings", func(t *testing.T) {
		page := office.get("/incentives/settings")
		if !strings.Contains(page.body, `value="2000"`) || !strings.Contains(page.body, `name="missed_points" inputmode="decimal" value="2"`) || !strings.Contains(page.body, `id="save"`) {
			t.Fatalf("settings page: %s", page.body)
		}
		r := office.postForm("/incentives/settings", url.Values{"sign_reward_yuan": {"3000"}, "funds_permille": {"5000"}, "missed_points": {"1.5"}, "version": {"1"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "须在 0 到 1000 之间") || !strings.Contains(r.body, `value="1.5"`) {
			t.Fatalf("out of range: %d %s", r.StatusCode, r.body)
		}
		r = office.postForm("/incentives/settings", url.Values{"sign_reward_yuan": {"3000"}, "funds_permille": {"2"}, "missed_points": {"1.5"}, "version": {"1"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.StatusCode, r.body)
		}
		st, _ := a.store.AppraisalSettings(context.Background(), a.zone.ID)
		if st.SignRewardYuan != 3000 || st.FundsPermille != 2 || st.MissedPoints != 150 || st.Version != 2 {
			t.Fatalf("saved %+v", st)
		}
		ro := a.as(xinlu.RoleMember).get("/incentives/settings")
		if ro.StatusCode != 200 || !strings.Contains(ro.body, `value="3000" disabled`) || strings.Contains(ro.body, `id="save"`) {
			t.Fatalf("read-only settings: %d", ro.StatusCode)
		}
		if r := a.as(xinlu.RoleMember).postForm("/incentives/settings", url.Values{"version": {"2"}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member saved settings: %d", r.StatusCode)
		}
	})
}

func TestConsequencePages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	p := &xinlu.Period{ZoneID: a.zone.ID, Kind: xinlu.PeriodMonth, Label: "2026-03", Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
	if err := a.store.CreatePeriod(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	who := a.users[xinlu.RoleAgent]
	c := &store.Consequence{ZoneID: a.zone.ID, MemberID: who.MemberID, PeriodID: p.ID, Action: xinlu.ConsequenceAdmonitionTalk}
	if err := a.store.ProposeConsequence(ctx, sys, c); err != nil {
		t.Fatal(err)
	}
	d := a.as(xinlu.RoleDiscipline)
	page := d.get("/consequences")
	if page.StatusCode != 200 || !strings.Contains(page.body, "诫勉谈话") || !strings.Contains(page.body, "待确认") || !strings.Contains(page.body, "2026-03") ||
		!strings.Contains(page.body, "确定撤销对“"+who.Name+"”的处理建议吗？") {
		t.Fatalf("consequences: %d %s", page.StatusCode, page.body)
	}
	cid := strconvFormat(c.ID)
	if r := d.postForm("/consequences/"+cid+"/dismiss", url.Values{"version": {"1"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "理由不能为空") {
		t.Fatalf("dismiss without reason: %d", r.StatusCode)
	}
	if r := d.postForm("/consequences/"+cid+"/confirm", url.Values{"version": {"1"}, "reason": {"已安排谈话"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", r.StatusCode, r.body)
	}
	if r := d.get("/consequences?status=confirmed"); !strings.Contains(r.body, "已确认") || !strings.Contains(r.body, "已安排谈话") || strings.Contains(r.body, "/confirm\"") {
		t.Fatalf("after confirm: %s", r.body)
	}
	if r := d.postForm("/consequences/999999/confirm", url.Values{"version": {"1"}}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("missing: %d", r.StatusCode)
	}
}

// TestIncentiveEvidenceIsNamed: a reward whose evidence is a project names
// the project and links to it, instead of a bare number.
func TestIncentiveEvidenceIsNamed(t *testing.T) {
	a := newApp(t)
	p := a.project("证据命名项目", xinlu.StagePromotion, 100_000_000)
	member := a.users[xinlu.RoleMember]
	a.recordIncentive(&xinlu.Incentive{MemberID: member.MemberID, Kind: xinlu.IncentiveReward, AmountYuan: 2000, Reason: "促成签约",
		EvidenceType: xinlu.EvidenceProject, EvidenceID: p.ID, OccurredOn: "2026-11-02"}, false)
	page := a.as(xinlu.RoleAppraiser).get("/incentives")
	want := `项目：<a href="/projects/` + strconvFormat(p.ID) + `">证据命名项目</a>`
	if !strings.Contains(page.body, want) {
		t.Errorf("the evidence is not named: want %s in\n%s", want, page.body)
	}
}
