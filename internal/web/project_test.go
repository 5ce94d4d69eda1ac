package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *app) project(name string, stage xinlu.Stage, total int64) *store.ProjectRecord {
	a.t.Helper()
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, name, name+"有限公司", "equipment", stage
	p.Plan.TotalYuan = &total
	if err := a.store.CreateProject(context.Background(), xinlu.SystemActor(a.zone.ID), p); err != nil {
		a.t.Fatal(err)
	}
	return p
}

func TestProjectPages(t *testing.T) {
	a := newApp(t)
	p := a.project("高端装备项目", xinlu.StagePromotion, 1_234_567_800)
	a.project("二号项目", xinlu.StagePromotion, 100_000_000)
	a.project("三号项目", xinlu.StagePackaging, 50_000_000)
	member := a.as(xinlu.RoleMember)

	res := member.get("/projects/kanban")
	if res.StatusCode != 200 || !strings.Contains(res.body, "133,456.78") || !strings.Contains(res.body, "高端装备项目") {
		t.Fatalf("kanban: %d %s", res.StatusCode, res.body)
	}
	res = member.get("/projects?stage=promotion")
	if res.StatusCode != 200 || !strings.Contains(res.body, "123,456.78") || strings.Contains(res.body, "三号项目") {
		t.Fatalf("ledger: %d", res.StatusCode)
	}
	res = member.get("/projects/" + strconvFormat(p.ID))
	if res.StatusCode != 200 || !strings.Contains(res.body, "高端装备项目") || strings.Contains(res.body, `id="sign-form"`) {
		t.Fatalf("project page as member: %d", res.StatusCode)
	}
	if res := member.get("/projects/" + strconvFormat(p.ID) + "/proposal"); res.StatusCode != 200 || !strings.Contains(res.body, "@page") {
		t.Fatalf("proposal: %d", res.StatusCode)
	}

	// A member cannot sign: 403, in Chinese.
	tok := member.csrfToken("/projects/" + strconvFormat(p.ID))
	sign := url.Values{"csrf": {tok}, "version": {"1"}, "signed_on": {a.store.Now().Format("2006-01-02")}, "contract_yuan": {"100000"},
		"promised_start": {"2099-01-01"}, "promised_produce": {"2099-06-01"}}
	if res := member.postForm("/projects/"+strconvFormat(p.ID)+"/sign", sign); res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "没有权限") {
		t.Fatalf("member sign: %d", res.StatusCode)
	}
	// A sponsor signs; the project gets a code and its checklist.
	sponsor := a.as(xinlu.RoleSponsor)
	sign.Set("csrf", sponsor.csrfToken("/projects/"+strconvFormat(p.ID)))
	if res := sponsor.postForm("/projects/"+strconvFormat(p.ID)+"/sign", sign); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sponsor sign: %d %s", res.StatusCode, res.body)
	}
	// Signing again is refused, naming the stage.
	if res := sponsor.postForm("/projects/"+strconvFormat(p.ID)+"/sign", sign); res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "全程代办") {
		t.Fatalf("second sign: %d", res.StatusCode)
	}
	res = sponsor.get("/projects/" + strconvFormat(p.ID))
	if !strings.Contains(res.body, "T-") || !strings.Contains(res.body, "立项备案") || !strings.Contains(res.body, "light-green") {
		t.Fatalf("signed page lacks code or checklist")
	}

	// Export of the filtered view opens in excelize with a sum row.
	res = member.get("/projects/export.xlsx?industry=equipment")
	if res.StatusCode != 200 {
		t.Fatalf("export: %d", res.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3+3+1 || rows[0][0] != "项目台账" || rows[len(rows)-1][0] != "合计" {
		t.Fatalf("export rows %q", rows)
	}
	if total := rows[len(rows)-1][6]; total != "138,456.78" {
		t.Fatalf("sum %q", total)
	}
	entries, _, _ := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "project.export"})
	if len(entries) != 1 || !strings.Contains(entries[0].After, `"rows":3`) {
		t.Fatalf("export audit %+v", entries)
	}
}

// shanghaiDay is the pages' today (Asia/Shanghai) moved by days, as YYYY-MM-DD.
func (a *app) shanghaiDay(days int) string {
	y, m, d := a.store.Now().In(time.FixedZone("CST", 8*3600)).Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

func TestSignFormTakesAFundsSchedule(t *testing.T) {
	a := newApp(t)
	p := a.project("碳纤维项目", xinlu.StagePromotion, 500_000_000)
	path := "/projects/" + strconvFormat(p.ID)
	sponsor := a.as(xinlu.RoleSponsor)
	page := sponsor.get(path)
	for i := 1; i <= 6; i++ {
		for _, name := range []string{"schedule_due_on_", "schedule_amount_", "schedule_note_"} {
			if !strings.Contains(page.body, `name="`+name+strconvFormat(int64(i))+`"`) {
				t.Fatalf("the sign form lacks %s%d", name, i)
			}
		}
	}
	if strings.Contains(page.body, `name="schedule_due_on_7"`) {
		t.Fatalf("more than 6 rows")
	}
	sign := url.Values{"csrf": {sponsor.csrfToken(path)}, "version": {"1"}, "signed_on": {a.shanghaiDay(-100)}, "contract_yuan": {"200"},
		"promised_start": {a.shanghaiDay(100)}, "promised_produce": {a.shanghaiDay(400)}, "funds_schedule": {"分两期到位"},
		// Row 1 blank: instalments are numbered as filled in.
		"schedule_due_on_2": {a.shanghaiDay(30)}, "schedule_amount_2": {"100"}, "schedule_note_2": {"二期"},
		"schedule_due_on_4": {a.shanghaiDay(-60)}, "schedule_amount_4": {"5O"}}
	// A bad amount names its instalment; nothing is signed.
	res := sponsor.postForm(path+"/sign", sign)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "资金到位计划第 2 笔：金额须为数字") {
		t.Fatalf("bad amount: %d %s", res.StatusCode, res.body)
	}
	// Before the signing date, and above the contract: refused, naming the row.
	sign.Set("schedule_amount_4", "50")
	sign.Set("schedule_due_on_4", a.shanghaiDay(-101))
	if res := sponsor.postForm(path+"/sign", sign); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "资金到位计划第 2 笔：计划到位日期不能早于签约日期") {
		t.Fatalf("before signing: %d", res.StatusCode)
	}
	sign.Set("schedule_due_on_4", a.shanghaiDay(-60))
	sign.Set("schedule_amount_4", "100.01")
	if res := sponsor.postForm(path+"/sign", sign); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "资金到位计划累计到第 2 笔已超过签约金额") {
		t.Fatalf("over the contract: %d", res.StatusCode)
	}
	if items, err := a.store.FundsSchedule(context.Background(), p.ID); err != nil || len(items) != 0 {
		t.Fatalf("refused signings wrote %+v %v", items, err)
	}
	sign.Set("schedule_amount_4", "50")
	if res := sponsor.postForm(path+"/sign", sign); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %d %s", res.StatusCode, res.body)
	}
	items, err := a.store.FundsSchedule(context.Background(), p.ID)
	if err != nil || len(items) != 2 || items[0].DueOn != a.shanghaiDay(-60) || items[0].Yuan != 500_000 || items[1].Yuan != 1_000_000 || items[1].Note != "二期" {
		t.Fatalf("schedule %+v %v", items, err)
	}

	// 20 万 of the 50 万 due 60 days ago are in: behind schedule.
	agent := a.users[xinlu.RoleAgent]
	if err := a.store.RecordFunds(context.Background(), xinlu.ActorOf(agent, "127.0.0.1"), agent, p.ID, store.Funds{OnDate: a.shanghaiDay(-10), Yuan: 200_000}); err != nil {
		t.Fatal(err)
	}
	res = a.as(xinlu.RoleMember).get(path)
	for _, want := range []string{
		`id="funds-lag-mark"`, "资金到位滞后（" + a.shanghaiDay(-60) + " 起）", `id="schedule-table"`,
		"分两期到位", "资金计划说明", // the free text stays as a note
		`<dd id="schedule-shortfall">30.00</dd>`, "40.0%", // 20 of 50 due
		a.shanghaiDay(30) + "，100.00 万元", "逾期未到位", "未到期", `id="schedule-total">150.00</th>`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("project page lacks %q", want)
		}
	}
	// The rest comes in: the mark goes.
	if err := a.store.RecordFunds(context.Background(), xinlu.ActorOf(agent, "127.0.0.1"), agent, p.ID, store.Funds{OnDate: a.shanghaiDay(0), Yuan: 300_000}); err != nil {
		t.Fatal(err)
	}
	res = a.as(xinlu.RoleMember).get(path)
	if strings.Contains(res.body, `id="funds-lag-mark"`) || !strings.Contains(res.body, "100.0%") || !strings.Contains(res.body, "已到位") {
		t.Fatalf("paid up: the page still lags")
	}

	// A project signed with the free text only shows the text, no table, no mark.
	q := a.signedProject("老项目", "equipment", xinlu.ProjectActive, 0,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 1_000_000, PromisedStart: "2025-03-01", PromisedProduce: "2099-01-01", FundsSchedule: "签约后一年内全部到位"}, "")
	res = a.as(xinlu.RoleMember).get("/projects/" + strconvFormat(q.ID))
	if !strings.Contains(res.body, `<dd id="funds-schedule-text">签约后一年内全部到位</dd>`) || strings.Contains(res.body, `id="schedule-table"`) ||
		strings.Contains(res.body, `id="funds-lag-mark"`) {
		t.Fatalf("legacy project page")
	}
}

// The leadership group revises a signed project's funds schedule on its
// page: the form holds the schedule as it is, a reason is required, and the
// page and timeline show the revision.
func TestReviseFundsScheduleOnTheProjectPage(t *testing.T) {
	a := newApp(t)
	p := a.project("镁合金项目", xinlu.StagePromotion, 200_000_000)
	su := a.users[xinlu.RoleSponsor]
	q, err := a.store.StepProject(context.Background(), xinlu.ActorOf(su, "127.0.0.1"), su, p.ID, p.Version, xinlu.ProjectSign, store.StepInput{Signing: &xinlu.Signing{
		SignedOn: a.shanghaiDay(-100), ContractYuan: 200_000_000, PromisedStart: a.shanghaiDay(30), PromisedProduce: a.shanghaiDay(300),
		Instalments: []xinlu.Instalment{{DueOn: a.shanghaiDay(-50), Yuan: 12_345_678, Note: "首期"}, {DueOn: a.shanghaiDay(60), Yuan: 50_000_000}}}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/projects/" + strconvFormat(q.ID)
	sponsor := a.as(xinlu.RoleSponsor)
	page := sponsor.get(path)
	for _, want := range []string{`id="revise-schedule-form"`, `name="schedule_amount_1" value="1234.5678"`, `name="schedule_note_1" value="首期"`,
		`name="schedule_due_on_2" value="` + a.shanghaiDay(60) + `"`, `name="schedule_due_on_6"`, "调整原因（必填）"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the revision form lacks %s", want)
		}
	}
	if res := a.as(xinlu.RoleAgent).get(path); strings.Contains(res.body, `id="revise-schedule-form"`) {
		t.Error("the agent is offered the revision form")
	}
	form := url.Values{"csrf": {sponsor.csrfToken(path)}, "version": {strconvFormat(int64(q.Version))},
		"schedule_due_on_1": {a.shanghaiDay(-50)}, "schedule_amount_1": {"1234.5678"}, "schedule_note_1": {"首期"},
		"schedule_due_on_2": {a.shanghaiDay(200)}, "schedule_amount_2": {"5000"}, "schedule_note_2": {"推迟"}}
	res := sponsor.postForm(path+"/revise-schedule", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "请填写调整资金到位计划的原因") ||
		!strings.Contains(res.body, `<details id="revise-schedule" open>`) {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	if !strings.Contains(res.body, `name="schedule_due_on_2" value="`+a.shanghaiDay(200)+`"`) || !strings.Contains(res.body, `name="schedule_note_2" value="推迟"`) ||
		!strings.Contains(res.body, `name="schedule_amount_2" value="5000"`) {
		t.Errorf("the refused revision lost the typed schedule")
	}
	form.Set("note", "补充协议：二期推迟")
	if res := sponsor.postForm(path+"/revise-schedule", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revise: %d %s", res.StatusCode, res.body)
	}
	items, err := a.store.FundsSchedule(context.Background(), q.ID)
	if err != nil || len(items) != 2 || items[0].Yuan != 12_345_678 || items[1].DueOn != a.shanghaiDay(200) || items[1].Note != "推迟" {
		t.Fatalf("schedule %+v %v", items, err)
	}
	page = sponsor.get(path)
	for _, want := range []string{"调整资金到位计划", "补充协议：二期推迟", a.shanghaiDay(200)} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page after the revision lacks %s", want)
		}
	}
}

// TestProjectStepFormsKeepInput: a refused signing or supervision order
// shows its form again with everything typed and each error at its field.
func TestProjectStepFormsKeepInput(t *testing.T) {
	a := newApp(t)
	p := a.project("保留输入项目", xinlu.StagePromotion, 100_000_000)
	sponsor := a.as(xinlu.RoleSponsor)
	path := "/projects/" + strconvFormat(p.ID)
	sign := url.Values{"version": {"1"}, "signed_on": {"2026-11-30"}, "contract_yuan": {"一千万"},
		"promised_start": {"2027-02-30"}, "promised_produce": {"2027-12-01"}, "funds_schedule": {"签约后一年内到位"},
		"schedule_due_on_1": {"2027-06-30"}, "schedule_amount_1": {"3000"}, "schedule_note_1": {"首期"}}
	r := sponsor.postForm(path+"/sign", sign)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad signing: %d", r.StatusCode)
	}
	for _, want := range []string{`value="一千万"`, `value="2027-02-30"`, `value="2027-12-01"`, `value="签约后一年内到位"`,
		`value="2027-06-30"`, `value="3000"`, `value="首期"`, `value="2026-11-30"`, `id="err-contract_yuan"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the signing form lost %s", want)
		}
	}
	sup := url.Values{"task": {"协调用地指标"}, "assignee_id": {strconvFormat(a.users[xinlu.RoleAgent].MemberID)}, "due": {"2026-02-30"}}
	r = sponsor.postForm(path+"/supervision", sup)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="协调用地指标"`) || !strings.Contains(r.body, `id="err-due"`) ||
		!strings.Contains(r.body, `<option value="`+strconvFormat(a.users[xinlu.RoleAgent].MemberID)+`" selected>`) {
		t.Errorf("the supervision form lost what was typed: %d", r.StatusCode)
	}
}

// TestFundsAndApprovalFormsKeepInput: a refused funds entry or approval
// item comes back as typed, each error at its field.
func TestFundsAndApprovalFormsKeepInput(t *testing.T) {
	a := newApp(t)
	p := a.project("资金表单项目", xinlu.StagePromotion, 100_000_000)
	sponsor := a.as(xinlu.RoleSponsor)
	path := "/projects/" + strconvFormat(p.ID)
	sign := url.Values{"version": {"1"}, "signed_on": {"2026-11-30"}, "contract_yuan": {"10000"},
		"promised_start": {"2099-01-01"}, "promised_produce": {"2099-06-01"}}
	if r := sponsor.postForm(path+"/sign", sign); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %d %s", r.StatusCode, firstError(r.body))
	}
	r := sponsor.postForm(path+"/funds", url.Values{"date": {"2026-12-01"}, "amount_yuan": {"九百万"}, "note": {"首笔注资"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="九百万"`) || !strings.Contains(r.body, `value="首笔注资"`) ||
		!strings.Contains(r.body, `value="2026-12-01"`) || !strings.Contains(r.body, `id="err-amount_yuan"`) {
		t.Errorf("the funds form lost what was typed: %d %s", r.StatusCode, firstError(r.body))
	}
	agent := a.as(xinlu.RoleAgent)
	r = agent.postForm(path+"/approvals", url.Values{"name": {"环评批复"}, "limit_days": {"三十"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="环评批复"`) || !strings.Contains(r.body, `value="三十"`) ||
		!strings.Contains(r.body, `id="err-limit_days"`) {
		t.Errorf("the approval form lost what was typed: %d %s", r.StatusCode, firstError(r.body))
	}
}
