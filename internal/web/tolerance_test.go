package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

const toleranceFacts = "为抢抓项目落地窗口期，经班子会研究先行开展场地平整，手续后补"

func TestTolerancePagesByRole(t *testing.T) {
	a := newApp(t)
	for _, role := range xinlu.Roles {
		u := a.users[role]
		c := a.as(role)
		for _, tc := range []struct {
			path, title string
			perm        xinlu.Permission
		}{
			{"/tolerance/mine", "我的容错申请", xinlu.PermToleranceFile},
			{"/tolerance", "容错登记", xinlu.PermToleranceHandle},
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

func TestToleranceClaimPages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	member := a.users[xinlu.RoleMember]
	pen := a.recordIncentive(&xinlu.Incentive{MemberID: member.MemberID, Kind: xinlu.IncentivePenalty, Points: -300,
		Reason: "开工手续不全", OccurredOn: "2026-03-10"}, true)
	mc := a.as(xinlu.RoleMember)
	mine := mc.get("/tolerance/mine")
	if mine.StatusCode != 200 || !strings.Contains(mine.body, "暂无容错申请") || !strings.Contains(mine.body, "开工手续不全") ||
		!strings.Contains(mine.body, "三个区分开来") || !strings.Contains(mine.body, "缺乏经验、先行先试出现的失误") {
		t.Fatalf("my claims: %d %s", mine.StatusCode, mine.body)
	}
	if r := a.as(xinlu.RolePlanner).get("/tolerance/mine"); strings.Contains(r.body, "开工手续不全") {
		t.Fatalf("a colleague may claim against the member's penalty")
	}

	t.Run("a form error shows in Chinese and keeps the input", func(t *testing.T) {
		r := mc.postForm("/tolerance", url.Values{"incentive_id": {strconvFormat(pen.ID)}, "distinction": {"exploration"}, "facts": {"太短了"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "情况说明至少 10 个字") || !strings.Contains(r.body, "太短了</textarea>") ||
			!strings.Contains(r.body, `value="exploration" checked`) || !strings.Contains(r.body, `value="`+strconvFormat(pen.ID)+`" selected`) {
			t.Fatalf("short facts: %d %s", r.StatusCode, r.body)
		}
		r = mc.postForm("/tolerance", url.Values{"distinction": {"exploration"}, "facts": {toleranceFacts}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "惩戒记录不能为空") || !strings.Contains(r.body, toleranceFacts+"</textarea>") {
			t.Fatalf("no penalty: %d", r.StatusCode)
		}
	})

	r := mc.postForm("/tolerance", url.Values{"incentive_id": {strconvFormat(pen.ID)}, "distinction": {"exploration"}, "facts": {toleranceFacts}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/tolerance/") {
		t.Fatalf("file: %d %s", r.StatusCode, r.body)
	}
	claimPath := r.Header.Get("Location")
	show := mc.get(claimPath)
	if show.StatusCode != 200 || !strings.Contains(show.body, "新增成功") || !strings.Contains(show.body, "已提交") || !strings.Contains(show.body, "开工手续不全") ||
		strings.Contains(show.body, `id="accept-form"`) || !strings.Contains(show.body, "提交申请") {
		t.Fatalf("the claimant's page: %d %s", show.StatusCode, show.body)
	}
	if r := a.as(xinlu.RolePlanner).get(claimPath); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a colleague reads the claim: %d", r.StatusCode)
	}
	if r := mc.postForm(claimPath+"/accept", url.Values{"version": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("the claimant accepted: %d", r.StatusCode)
	}

	d := a.as(xinlu.RoleDiscipline)
	reg := d.get("/tolerance")
	if reg.StatusCode != 200 || !strings.Contains(reg.body, member.Name) || !strings.Contains(reg.body, `href="`+claimPath+`"`) {
		t.Fatalf("register: %d %s", reg.StatusCode, reg.body)
	}
	if r := d.get("/tolerance?member_id=" + strconvFormat(a.users[xinlu.RolePlanner].MemberID)); strings.Contains(r.body, `href="`+claimPath+`"`) {
		t.Fatalf("member filter shows another's claim")
	}
	page := d.get(claimPath)
	if !strings.Contains(page.body, `id="accept-form"`) || !strings.Contains(page.body, "负面清单") || !strings.Contains(page.body, "谋取私利") ||
		!strings.Contains(page.body, `id="not-accept-form"`) || strings.Contains(page.body, `id="decide-form"`) || strings.Contains(page.body, `id="appeal-form"`) {
		t.Fatalf("handler's page: %s", page.body)
	}
	if r := d.postForm(claimPath+"/notify", url.Values{"version": {"1"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "容错申请当前为“已提交”") {
		t.Fatalf("notify a submitted claim: %d", r.StatusCode)
	}
	if r := d.postForm(claimPath+"/not-accept", url.Values{"version": {"1"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "备注不能为空") {
		t.Fatalf("not-accept without a note: %d", r.StatusCode)
	}
	for _, step := range []struct {
		action string
		form   url.Values
	}{
		{"accept", url.Values{"version": {"1"}, "note": {"材料齐全"}}},
		{"investigate", url.Values{"version": {"2"}}},
	} {
		if r := d.postForm(claimPath+"/"+step.action, step.form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step.action, r.StatusCode, r.body)
		}
	}
	future := time.Now().AddDate(0, 1, 0).Format(xinlu.DateLayout)
	r = d.postForm(claimPath+"/decide", url.Values{"version": {"3"}, "decision": {"exempt"}, "deciding_body": {"党工委会议"}, "meeting_on": {future}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "会议日期不能晚于今天") || !strings.Contains(r.body, `value="党工委会议"`) ||
		!strings.Contains(r.body, `value="exempt" checked`) {
		t.Fatalf("meeting in the future: %d %s", r.StatusCode, r.body)
	}
	yesterday := time.Now().AddDate(0, 0, -1).Format(xinlu.DateLayout)
	if r := d.postForm(claimPath+"/decide", url.Values{"version": {"3"}, "decision": {"exempt"}, "deciding_body": {"党工委会议"}, "meeting_on": {yesterday},
		"note": {"经集体研究"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d %s", r.StatusCode, r.body)
	}
	if r := d.postForm(claimPath+"/notify", url.Values{"version": {"4"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("notify: %d", r.StatusCode)
	}
	after := mc.get(claimPath)
	if !strings.Contains(after.body, "已反馈") || !strings.Contains(after.body, "免责") || !strings.Contains(after.body, "认定机构") ||
		!strings.Contains(after.body, "已免责") || strings.Contains(after.body, `id="appeal-form"`) {
		t.Fatalf("after the decision: %s", after.body)
	}
	for _, step := range []string{"受理", "调查核实", "作出认定", "反馈结果"} {
		if !strings.Contains(after.body, "<td>"+step+"</td>") {
			t.Errorf("history lacks %s", step)
		}
	}
	got, err := a.store.IncentiveByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, pen.ID)
	if err != nil || got.NeutralisedBy == 0 {
		t.Fatalf("penalty not neutralised: %+v %v", got, err)
	}
	if r := d.get("/incentives"); !strings.Contains(r.body, "已免责") {
		t.Fatalf("the ledger does not show the exemption")
	}

	t.Run("appeal after a refusal to tolerate", func(t *testing.T) {
		second := a.recordIncentive(&xinlu.Incentive{MemberID: member.MemberID, Kind: xinlu.IncentivePenalty, Points: -100,
			Reason: "台账不全", OccurredOn: "2026-03-12"}, true)
		c := &xinlu.ToleranceClaim{MemberID: member.MemberID, IncentiveID: second.ID, Distinction: "inexperience", Facts: toleranceFacts}
		if err := a.store.FileClaim(ctx, xinlu.ActorOf(member, ""), member, c); err != nil {
			t.Fatal(err)
		}
		disc := a.users[xinlu.RoleDiscipline]
		for _, s := range []struct {
			action xinlu.ClaimAction
			in     xinlu.ClaimInput
		}{
			{xinlu.ClaimAccept, xinlu.ClaimInput{}},
			{xinlu.ClaimInvestigate, xinlu.ClaimInput{}},
			{xinlu.ClaimDecide, xinlu.ClaimInput{Decision: xinlu.ClaimNotTolerated, DecidingBody: "党工委会议", MeetingOn: yesterday}},
			{xinlu.ClaimNotify, xinlu.ClaimInput{}},
		} {
			var err error
			if c, err = a.store.StepClaim(ctx, xinlu.ActorOf(disc, ""), disc, c.ID, c.Version, s.action, s.in); err != nil {
				t.Fatalf("%s: %v", s.action, err)
			}
		}
		p := "/tolerance/" + strconvFormat(c.ID)
		page := mc.get(p)
		if !strings.Contains(page.body, `id="appeal-form"`) || !strings.Contains(page.body, "不予容错") {
			t.Fatalf("no appeal form: %s", page.body)
		}
		if r := mc.postForm(p+"/appeal", url.Values{"version": {strconvFormat(int64(c.Version))}}); r.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "理由不能为空") {
			t.Fatalf("appeal without a reason: %d", r.StatusCode)
		}
		if r := mc.postForm(p+"/appeal", url.Values{"version": {strconvFormat(int64(c.Version))}, "reason": {"有会议纪要为证"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("appeal: %d %s", r.StatusCode, r.body)
		}
		if page := mc.get(p); !strings.Contains(page.body, "申请复核") || strings.Contains(page.body, `id="appeal-form"`) || !strings.Contains(page.body, "有会议纪要为证") {
			t.Fatalf("after the appeal: %s", page.body)
		}
		if page := d.get(p); !strings.Contains(page.body, `id="investigate-form"`) {
			t.Fatalf("the handler cannot recheck: %s", page.body)
		}
	})
	t.Run("export is a workbook", func(t *testing.T) {
		rows := openXLSX(t, d.get("/tolerance/export.xlsx?decision=exempt"))
		if len(rows) != 4 || rows[0][0] != "容错登记台账" || rows[3][1] != member.Name || rows[3][7] != "免责" || rows[3][9] != yesterday {
			t.Fatalf("export %q", rows)
		}
		if r := mc.get("/tolerance/export.xlsx"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member export: %d", r.StatusCode)
		}
		entries, _, err := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "tolerance.export"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("export not audited: %v %v", entries, err)
		}
	})
	t.Run("a head files for the department", func(t *testing.T) {
		third := a.recordIncentive(&xinlu.Incentive{MemberID: a.users[xinlu.RoleAgent].MemberID, Kind: xinlu.IncentiveDisciplinary,
			Reason: "违规审批", OccurredOn: "2026-03-15"}, true)
		hc := a.as(xinlu.RoleHead)
		if page := hc.get("/tolerance/mine"); !strings.Contains(page.body, "违规审批") {
			t.Fatalf("the head cannot pick a department member's penalty: %s", page.body)
		}
		if r := hc.postForm("/tolerance", url.Values{"incentive_id": {strconvFormat(third.ID)}, "distinction": {"public_interest"}, "facts": {toleranceFacts}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("head files: %d %s", r.StatusCode, r.body)
		}
		claims, _, err := a.store.ListClaims(ctx, a.users[xinlu.RoleDiscipline], store.ClaimFilter{MemberID: a.users[xinlu.RoleAgent].MemberID})
		if err != nil || len(claims) != 1 || claims[0].FiledBy != a.users[xinlu.RoleHead].ID {
			t.Fatalf("head's claim %v %v", claims, err)
		}
	})
}
