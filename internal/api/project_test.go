package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

func TestProjectAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	e.user(e.zone.ID, "sponsor", xinlu.RoleSponsor, 0)
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, "新材料项目", "新材料有限公司", "materials", xinlu.StagePromotion
	p.Plan.TotalYuan = new(int64(300_000_000))
	if err := e.st.CreateProject(context.Background(), xinlu.SystemActor(e.zone.ID), p); err != nil {
		t.Fatal(err)
	}
	pp := "/projects/" + strconv.FormatInt(p.ID, 10)
	member, sponsor, agent := e.login("member"), e.login("sponsor"), e.login("agent")

	if status, body := e.call(member, "GET", "/projects?stage=promotion&industry=materials", ""); status != 200 || !strings.Contains(body, `"total":1`) || !strings.Contains(body, `"total_yuan":300000000`) {
		t.Fatalf("list: %d %s", status, body)
	}
	if status, body := e.call(member, "GET", "/projects?stage=nowhere", ""); status != 422 {
		t.Fatalf("bad stage: %d %s", status, body)
	}
	if status, body := e.call(member, "GET", "/projects/kanban", ""); status != 200 || !strings.Contains(body, `{"stage":"promotion","count":1,"total_yuan":300000000,"unknown_count":0}`) {
		t.Fatalf("kanban: %d %s", status, body)
	}
	sign := `{"version":1,"signing":{"signed_on":"` + e.st.Now().Format("2006-01-02") + `","contract_yuan":250000000,"promised_start":"2099-01-01","promised_produce":"2099-12-01"}}`
	if status, body := e.call(member, "POST", pp+"/sign", sign); status != 403 {
		t.Fatalf("member sign: %d %s", status, body)
	}
	if status, body := e.call(sponsor, "POST", pp+"/sign", `{"signing":{}}`); status != 422 || !strings.Contains(body, `"field":"version"`) {
		t.Fatalf("no version: %d %s", status, body)
	}
	if status, body := e.call(sponsor, "POST", pp+"/start-construction", `{"version":1}`); status != 403 {
		t.Fatalf("sponsor start: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", pp+"/start-construction", `{"version":1}`); status != 409 || !strings.Contains(body, "领导推进") {
		t.Fatalf("start in promotion names the stage: %d %s", status, body)
	}
	// Two concurrent signs: one wins, the other 409.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() { defer wg.Done(); statuses[i], _ = e.call(sponsor, "POST", pp+"/sign", sign) }()
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 200) {
		t.Fatalf("concurrent signs: %v", statuses)
	}
	status, body := e.call(member, "GET", pp, "")
	var got api.ProjectJSON
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil || got.Stage != "agency" || got.Code != "T-"+e.st.Now().Format("2006")+"-0001" {
		t.Fatalf("signed: %d %s", status, body)
	}
	status, body = e.call(agent, "GET", pp+"/approvals", "")
	var items struct{ Items []api.ApprovalJSON }
	if status != 200 || json.Unmarshal([]byte(body), &items) != nil || len(items.Items) != 8 || items.Items[0].Light == "" {
		t.Fatalf("approvals: %d %s", status, body)
	}
	it := items.Items[0]
	ip := pp + "/approvals/" + strconv.FormatInt(it.ID, 10)
	if status, body := e.call(agent, "POST", ip+"/approve", `{"version":1}`); status != 409 {
		t.Fatalf("approve from preparing: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", ip+"/submit", `{"version":1}`); status != 200 || !strings.Contains(body, `"status":"submitted"`) {
		t.Fatalf("submit: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", ip+"/approve", `{"version":1}`); status != 409 {
		t.Fatalf("stale: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", pp+"/approvals", `{"name":"公司注册","limit_days":3}`); status != 201 {
		t.Fatalf("add item: %d %s", status, body)
	}
	if status, body := e.call(agent, "POST", pp+"/funds", `{"date":"`+e.st.Now().Format("2006-01-02")+`","amount_yuan":50000000}`); status != 200 || !strings.Contains(body, `"funds_yuan":50000000`) || !strings.Contains(body, `"funds_rate":0.2`) {
		t.Fatalf("funds: %d %s", status, body)
	}
	if status, _ := e.call(member, "GET", "/projects/999999", ""); status != 404 {
		t.Fatalf("missing: %d", status)
	}
}

// TestProjectExportAPI: the ledger export of the API is the pages'
// workbook: title, 万元 headers, the filtered rows, a 合计 row; audited
// with the filter and the row count; described in the OpenAPI document.
func TestProjectExportAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	ctx := context.Background()
	for _, p := range []struct {
		name, company, industry string
		stage                   xinlu.Stage
		total                   int64
	}{
		{"新材料一期", "新材料有限公司", "materials", xinlu.StagePromotion, 300_000_000},
		{"=新材料二期", "材料二公司", "materials", xinlu.StagePackaging, 12_345_678},
		{"装备项目", "装备有限公司", "equipment", xinlu.StagePromotion, 50_000_000},
	} {
		r := &store.ProjectRecord{}
		r.ZoneID, r.Name, r.Company, r.Industry, r.Stage, r.Plan.TotalYuan = e.zone.ID, p.name, p.company, p.industry, p.stage, &p.total
		if err := e.st.CreateProject(ctx, xinlu.SystemActor(e.zone.ID), r); err != nil {
			t.Fatal(err)
		}
	}
	member := e.login("member")
	get := func(token, path string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1"+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}

	res, body := get(member, "/projects/export.xlsx?industry=materials")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsx.ContentType ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="projects-`) {
		t.Fatalf("export: %d %v %.200s", res.StatusCode, res.Header, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	// Title, unit line, header, two materials projects, 合计.
	if len(rows) != 3+2+1 || rows[0][0] != "项目台账" || !strings.Contains(rows[1][0], "测试开发区") || !strings.Contains(rows[1][0], "测试member") {
		t.Fatalf("export rows %q", rows)
	}
	if h := rows[2]; len(h) < 16 || h[6] != "总投资（万元）" || !strings.Contains(h[7], "万元") || !strings.Contains(h[8], "万元") {
		t.Fatalf("header %q", rows[2])
	}
	names := rows[3][1] + "|" + rows[4][1]
	if !strings.Contains(names, "新材料一期") || !strings.Contains(names, "'=新材料二期") || strings.Contains(names, "装备") {
		t.Fatalf("rows as filtered: %q", names)
	}
	for _, r := range rows[3:5] {
		if r[3] == "materials" || r[4] == "promotion" || r[4] == "packaging" { // labels, not codes
			t.Fatalf("codes in %q", r)
		}
	}
	if sum := rows[5]; sum[0] != "合计" || sum[6] != "31,234.57" {
		t.Fatalf("sum row %q", sum)
	}
	entries, _, err := e.st.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "project.export"})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].After, `"rows":2`) || !strings.Contains(entries[0].After, `"filter":"industry=materials"`) {
		t.Fatalf("export audit %+v %v", entries, err)
	}

	// The stage filter narrows across industries.
	_, body = get(member, "/projects/export.xlsx?stage=promotion")
	f2, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if rows, _ = f2.GetRows(f2.GetSheetName(0)); len(rows) != 3+2+1 || rows[5][6] != "35,000.00" {
		t.Fatalf("promotion export %q", rows)
	}
	if res, body := get(member, "/projects/export.xlsx?stage=nowhere"); res.StatusCode != 422 || !strings.Contains(string(body), `"field":"stage"`) {
		t.Fatalf("bad stage: %d %s", res.StatusCode, body)
	}
	if res, _ := get("", "/projects/export.xlsx"); res.StatusCode != 401 {
		t.Fatalf("anonymous export: %d", res.StatusCode)
	}

	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	var op struct {
		Responses map[string]struct {
			Content map[string]json.RawMessage `json:"content"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(d.Paths["/projects/export.xlsx"]["get"], &op); err != nil || op.Responses["200"].Content[xlsx.ContentType] == nil {
		t.Fatal("GET /projects/export.xlsx is not described as a workbook")
	}
}

// scheduleError decodes the API error envelope: field and message.
func scheduleError(t *testing.T, body string) (field, message string) {
	t.Helper()
	var e struct {
		Error struct{ Field, Message string }
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an error envelope: %s", body)
	}
	return e.Error.Field, e.Error.Message
}

// cstDay is the API's today (Asia/Shanghai) moved by days, as YYYY-MM-DD.
func cstDay(st *store.Store, days int) string {
	y, m, d := st.Now().In(time.FixedZone("CST", 8*3600)).Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// newSigningEnv is a zone with a sponsor, an agent and a project in
// promotion, whose path it returns.
func newSigningEnv(t *testing.T) (*teamParkEnv, string) {
	t.Helper()
	e := newTeamParkEnv(t)
	e.user(e.zone.ID, "sponsor", xinlu.RoleSponsor, 0)
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, "新材料项目", "新材料有限公司", "materials", xinlu.StagePromotion
	if err := e.st.CreateProject(context.Background(), xinlu.SystemActor(e.zone.ID), p); err != nil {
		t.Fatal(err)
	}
	pp := "/projects/" + strconv.FormatInt(p.ID, 10)
	return e, pp
}

func TestSignWithFundsScheduleAPI(t *testing.T) {
	e, pp := newSigningEnv(t)
	sponsor, agent, member := e.login("sponsor"), e.login("agent"), e.login("member")
	sign := func(items string) (int, string) {
		return e.call(sponsor, "POST", pp+"/sign", `{"version":1,"signing":{"signed_on":"`+cstDay(e.st, -90)+`","contract_yuan":10000000,`+
			`"promised_start":"2099-01-01","promised_produce":"2099-12-01","funds_schedule":"分两期","funds_schedule_items":`+items+`}}`)
	}
	// A bad instalment is refused naming it; nothing is signed.
	status, body := sign(`[{"due_on":"` + cstDay(e.st, -30) + `","amount_yuan":4000000},{"due_on":"` + cstDay(e.st, 30) + `","amount_yuan":6000001}]`)
	if field, msg := scheduleError(t, body); status != 422 || field != "funds_schedule_items[1].amount_yuan" || msg != "资金到位计划累计到第 2 笔已超过签约金额" {
		t.Fatalf("over the contract: %d %s", status, body)
	}
	status, body = sign(`[{"due_on":"` + cstDay(e.st, -91) + `","amount_yuan":1}]`)
	if field, msg := scheduleError(t, body); status != 422 || field != "funds_schedule_items[0].due_on" || !strings.Contains(msg, "第 1 笔") {
		t.Fatalf("before signing: %d %s", status, body)
	}
	if status, body := e.call(member, "GET", pp, ""); status != 200 || !strings.Contains(body, `"stage":"promotion"`) || strings.Contains(body, "funds_tracking") {
		t.Fatalf("refused signs changed the project: %s", body)
	}
	// Signed with two instalments, out of order: answered by date with the tracking.
	status, body = sign(`[{"due_on":"` + cstDay(e.st, 30) + `","amount_yuan":6000000,"note":"二期"},{"due_on":"` + cstDay(e.st, -30) + `","amount_yuan":4000000,"note":"首期"}]`)
	var got api.ProjectJSON
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("sign: %d %s", status, body)
	}
	items := got.Signing.FundsScheduleItems
	if got.Signing.FundsSchedule != "分两期" || len(items) != 2 || items[0].DueOn != cstDay(e.st, -30) || items[0].Note != "首期" || items[1].AmountYuan != 6_000_000 {
		t.Fatalf("schedule: %s", body)
	}
	tr := got.FundsTracking
	if tr == nil || !tr.HasSchedule || tr.DueYuan != 4_000_000 || tr.FundsYuan != 0 || tr.ShortfallYuan != 4_000_000 || *tr.ScheduleRate != 0 ||
		!tr.Lagging || tr.OverdueSince != cstDay(e.st, -30) || tr.NextDueOn != cstDay(e.st, 30) || tr.NextAmountYuan != 6_000_000 ||
		len(tr.Items) != 2 || tr.Items[0].State != "overdue" || tr.Items[1].State != "pending" {
		t.Fatalf("tracking: %s", body)
	}
	// Overpaid: capped and raw rates, the next instalment partly covered ahead of time.
	if status, body := e.call(agent, "POST", pp+"/funds", `{"date":"`+cstDay(e.st, -1)+`","amount_yuan":5000000}`); status != 200 {
		t.Fatalf("funds: %d %s", status, body)
	}
	status, body = e.call(member, "GET", pp, "")
	got = api.ProjectJSON{}
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("get: %d %s", status, body)
	}
	if tr := got.FundsTracking; tr.Lagging || *tr.ScheduleRate != 1 || *tr.ScheduleRateRaw != 1.25 || tr.ShortfallYuan != 0 ||
		tr.Items[0].State != "paid" || tr.Items[1].CoveredYuan != 1_000_000 || tr.Items[1].State != "pending" {
		t.Fatalf("overpaid: %s", body)
	}
	// The list leaves the schedule out.
	if status, body := e.call(member, "GET", "/projects", ""); status != 200 || strings.Contains(body, "funds_tracking") || strings.Contains(body, "funds_schedule_items") {
		t.Fatalf("list: %d %s", status, body)
	}
}

func TestReviseFundsScheduleAPI(t *testing.T) {
	e, pp := newSigningEnv(t)
	sponsor, agent := e.login("sponsor"), e.login("agent")
	// Not before signing: the answer names the stage.
	if status, body := e.call(sponsor, "POST", pp+"/revise-schedule", `{"version":1,"note":"补充协议","funds_schedule_items":[]}`); status != 409 {
		t.Fatalf("before signing: %d %s", status, body)
	}
	if status, body := e.call(sponsor, "POST", pp+"/sign", `{"version":1,"signing":{"signed_on":"`+cstDay(e.st, -90)+`","contract_yuan":10000000,`+
		`"promised_start":"2099-01-01","promised_produce":"2099-12-01","funds_schedule_items":[{"due_on":"`+cstDay(e.st, 30)+`","amount_yuan":10000000}]}}`); status != 200 {
		t.Fatalf("sign: %d %s", status, body)
	}
	revise := func(who, version, note, items string) (int, string) {
		return e.call(who, "POST", pp+"/revise-schedule", `{"version":`+version+`,"note":"`+note+`","funds_schedule_items":`+items+`}`)
	}
	two := `[{"due_on":"` + cstDay(e.st, 30) + `","amount_yuan":4000000,"note":"首期"},{"due_on":"` + cstDay(e.st, 200) + `","amount_yuan":6000000,"note":"推迟"}]`
	if status, body := revise(sponsor, "2", "", two); status != 422 {
		t.Fatalf("no reason: %d %s", status, body)
	} else if field, msg := scheduleError(t, body); field != "note" || msg != "请填写调整资金到位计划的原因" {
		t.Fatalf("no reason: %s", body)
	}
	if status, body := revise(agent, "2", "补充协议", two); status != 403 {
		t.Fatalf("the agent: %d %s", status, body)
	}
	if status, body := revise(sponsor, "1", "补充协议", two); status != 409 {
		t.Fatalf("stale: %d %s", status, body)
	}
	status, body := revise(sponsor, "2", "补充协议", two)
	var got api.ProjectJSON
	if status != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("revise: %d %s", status, body)
	}
	if items := got.Signing.FundsScheduleItems; len(items) != 2 || items[1].DueOn != cstDay(e.st, 200) || items[1].Note != "推迟" || got.Version != 3 {
		t.Fatalf("revised: %s", body)
	}
}
