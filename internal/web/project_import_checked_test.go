package web_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// otherZoneLedger is a ledger from another zone as LibreOffice saves it:
// its own column names, amounts and dates typed as text, and columns
// xinlu has no field for.
func otherZoneLedger(t *testing.T, header []string, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range append([][]string{header}, rows...) {
		for j, v := range r {
			if v == "" {
				continue
			}
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr("Sheet1", c, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var otherHeader = []string{"项目名", "企业名称", "计划总投资（万元）", "进度", "签约日期", "责任领导", "累计到位资金（万元）", "用地（亩）", "备注", "责任单位"}

var otherRows = [][]string{
	{"精密轴承项目", "晋远轴承有限公司", "1,200", "已签约", "2026.3.5", "张伟", "500", "30", "总投资待定：等评估报告", "发改局"},
	{"冷链物流园", "晋鲜物流有限公司", "800", "在谈", "", "陈静", "120", "10", "", ""},
}

func carried(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, name := range []string{"data", "filename", "mapping"} {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			if name == "data" {
				t.Fatalf("no carried workbook: %s", firstError(body))
			}
			continue
		}
		v.Set(name, htmlUnescape(m[1]))
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}

func projectsByName(t *testing.T, a *app) map[string]*store.ProjectRecord {
	t.Helper()
	ps, _, err := a.store.ListProjects(t.Context(), store.ProjectFilter{ZoneID: a.zone.ID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*store.ProjectRecord{}
	for _, p := range ps {
		full, err := a.store.ProjectByID(t.Context(), a.zone.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[p.Name] = full
	}
	return out
}

// TestLedgerImportSaysEverything imports another zone's ledger through
// the pages: the dry run names the column it does not import with its
// rows, and the sponsor who is not a member as a problem of row 3; the user
// chooses to import without her; funds in place become a dated entry of
// the signed project and a timeline line of the one not signed, land goes
// into the plan and the remark onto the timeline.
func TestLedgerImportSaysEverything(t *testing.T) {
	a := newApp(t)
	addMember(t, a, "Z1", "张伟")
	planner := a.as(xinlu.RolePlanner)
	book := otherZoneLedger(t, otherHeader, otherRows)
	r := planner.upload("/projects/import", "other.xlsx", book)
	if r.StatusCode != 422 || !strings.Contains(r.body, `<td class="num">3</td><td>责任领导</td><td>「陈静」不是本区人员</td>`) {
		t.Fatalf("unknown sponsor: %d %s", r.StatusCode, firstError(r.body))
	}
	if !regexp.MustCompile(`id="not-imported"[\s\S]*责任单位」：1 行有内容`).MatchString(r.body) || !strings.Contains(r.body, `id="without-people"`) {
		t.Fatalf("not imported columns or the choice missing")
	}
	if strings.Contains(r.body, `id="import-commit"`) {
		t.Fatal("a commit is offered with problems")
	}
	form := carried(t, r.body)
	form.Set("without_people", "1")
	r = planner.postForm("/projects/import/check", form)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="import-preview"`) || !strings.Contains(r.body, "项目尚未签约，到位资金 120 万元记入项目动态") {
		t.Fatalf("without people: %d %s", r.StatusCode, firstError(r.body))
	}
	form = carried(t, r.body)
	form.Set("without_people", "1")
	if r := planner.postForm("/projects/import/commit", form); r.StatusCode != 303 {
		t.Fatalf("commit: %d %s", r.StatusCode, firstError(r.body))
	}
	ps := projectsByName(t, a)
	signed, talks := ps["精密轴承项目"], ps["冷链物流园"]
	if signed == nil || talks == nil {
		t.Fatalf("projects %v", ps)
	}
	if signed.FundsYuan != 500*10000 || signed.Plan.LandMu != 30 || signed.SponsorID == 0 {
		t.Errorf("signed: funds %d land %v sponsor %d", signed.FundsYuan, signed.Plan.LandMu, signed.SponsorID)
	}
	funds, _ := a.store.ProjectFunds(t.Context(), signed.ID)
	if len(funds) != 1 || funds[0].Note != "台账导入" || funds[0].OnDate != a.clock.Now().Format(xinlu.DateLayout) {
		t.Errorf("funds %+v", funds)
	}
	if talks.FundsYuan != 0 || talks.SponsorID != 0 || talks.Plan.LandMu != 10 {
		t.Errorf("not signed: %+v", talks)
	}
	events := func(id int64) map[string]any {
		evs, _ := a.store.ProjectEvents(t.Context(), id)
		for _, e := range evs {
			if e.Kind == "imported" {
				return e.Detail
			}
		}
		return nil
	}
	if d := events(signed.ID); d["note"] != "总投资待定：等评估报告" {
		t.Errorf("remark: %v", d)
	}
	if d := events(talks.ID); d["sponsor_unknown"] != "陈静" || d["unsigned_funds_yuan"] != float64(120*10000) {
		t.Errorf("not signed timeline: %v", d)
	}
	show := planner.get("/projects/" + itoa64(signed.ID))
	if !strings.Contains(show.body, "总投资待定：等评估报告") {
		t.Error("the remark is not on the project's page")
	}
}

// TestLedgerImportMappingStep: headers no dictionary knows get the column
// mapping step; the mapping reads the file, the commit remembers it for
// the zone, the next file of the same layout needs no mapping, and
// another zone still does.
func TestLedgerImportMappingStep(t *testing.T) {
	a := newApp(t)
	planner := a.as(xinlu.RolePlanner)
	header := []string{"工程名目", "出资方", "盘子（万元）", "眼下状况", "经办"}
	book := otherZoneLedger(t, header, [][]string{{"甲项目", "甲公司", "1,500", "在谈", "小王"}, {"乙项目", "乙公司", "300", "前期", ""}})
	r := planner.upload("/projects/import", "odd.xlsx", book)
	if r.StatusCode != 422 || !strings.Contains(r.body, `id="mapping-step"`) || !strings.Contains(r.body, `id="map-E"`) {
		t.Fatalf("mapping step: %d %s", r.StatusCode, firstError(r.body))
	}
	form := carried(t, r.body)
	for _, hf := range [][2]string{{"工程名目", "name"}, {"出资方", "company"}, {"盘子（万元）", "total"}, {"眼下状况", "stage"}, {"经办", "-"}} {
		form.Add("mh", hf[0])
		form.Add("mf", hf[1])
	}
	r = planner.postForm("/projects/import/check", form)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="import-preview"`) || !strings.Contains(r.body, "经办」：1 行有内容") {
		t.Fatalf("mapped: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := planner.postForm("/projects/import/commit", carried(t, r.body)); r.StatusCode != 303 {
		t.Fatalf("commit: %d %s", r.StatusCode, firstError(r.body))
	}
	if ps := projectsByName(t, a); ps["甲项目"] == nil || !xinlu.SameAmount(ps["甲项目"].Plan.TotalYuan, new(int64(1500*10000))) {
		t.Fatalf("projects %v", ps)
	}
	next := otherZoneLedger(t, header, [][]string{{"丙项目", "丙公司", "90", "在谈", ""}})
	r = planner.upload("/projects/import", "next.xlsx", next)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="import-preview"`) || !strings.Contains(r.body, "已使用本区上次保存的列对应") {
		t.Fatalf("remembered: %d %s", r.StatusCode, firstError(r.body))
	}
	// Another zone has its own memory.
	other := &xinlu.Zone{Code: "O", Name: "另一开发区"}
	if err := a.store.CreateZone(t.Context(), xinlu.SystemActor(0), other); err != nil {
		t.Fatal(err)
	}
	imp, err := report.CheckLedger(t.Context(), a.store, nil, xinlu.SystemActor(other.ID), other.ID, next, report.LedgerCheck{})
	if err != nil || imp.Header == nil {
		t.Fatalf("another zone read the layout: %v %+v", err, imp)
	}
}

// TestLedgerImportAPISaysEverything drives the same rules through the API:
// the mapping parameter, the explicit flag for people who are not
// members, and the columns not imported in the answer.
func TestLedgerImportAPISaysEverything(t *testing.T) {
	a := newApp(t)
	addMember(t, a, "Z1", "张伟")
	xlsxType := map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	c := a.api(xinlu.RolePlanner)
	book := otherZoneLedger(t, otherHeader, otherRows)
	var out struct {
		Created  int
		Problems []struct {
			Row             int
			Column, Message string
		}
		UnknownPeople []struct{ Row int } `json:"unknown_people"`
		NotImported   []struct {
			Column, Header string
			Rows           int
		} `json:"not_imported"`
		MappingNeeded bool `json:"mapping_needed"`
		Columns       []struct{ Column, Header, Field string }
	}
	r := c.do("POST", "/api/v1/projects/import?dry_run=1", string(book), xlsxType)
	json.Unmarshal([]byte(r.body), &out)
	if r.StatusCode != 422 || len(out.Problems) != 1 || out.Problems[0].Row != 3 || out.Problems[0].Column != "责任领导" ||
		len(out.NotImported) != 1 || out.NotImported[0].Header != "责任单位" || out.NotImported[0].Rows != 1 || out.NotImported[0].Column != "J" {
		t.Fatalf("dry run: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("POST", "/api/v1/projects/import?without_unknown_people=1", string(book), xlsxType); r.StatusCode != 200 || !strings.Contains(r.body, `"created":2`) {
		t.Fatalf("without people: %d %s", r.StatusCode, r.body)
	}
	odd := otherZoneLedger(t, []string{"工程名目", "出资方", "眼下状况"}, [][]string{{"甲项目", "甲公司", "在谈"}})
	r = c.do("POST", "/api/v1/projects/import?dry_run=1", string(odd), xlsxType)
	out.MappingNeeded, out.Columns = false, nil
	json.Unmarshal([]byte(r.body), &out)
	if r.StatusCode != 422 || !out.MappingNeeded || len(out.Columns) != 3 || out.Columns[0].Header != "工程名目" {
		t.Fatalf("mapping needed: %d %s", r.StatusCode, r.body)
	}
	mapping, _ := json.Marshal(map[string]string{"工程名目": "name", "出资方": "company", "眼下状况": "stage"})
	if r := c.do("POST", "/api/v1/projects/import?mapping="+url.QueryEscape(string(mapping)), string(odd), xlsxType); r.StatusCode != 200 || !strings.Contains(r.body, `"created":1`) {
		t.Fatalf("mapped: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("POST", "/api/v1/projects/import?dry_run=1", string(odd), xlsxType); r.StatusCode != 200 || !strings.Contains(r.body, `"mapping_remembered":true`) {
		t.Fatalf("remembered: %d %s", r.StatusCode, r.body)
	}
	bad, _ := json.Marshal(map[string]string{"工程名目": "nonsense"})
	if r := c.do("POST", "/api/v1/projects/import?dry_run=1&mapping="+url.QueryEscape(string(bad)), string(odd), xlsxType); r.StatusCode != 422 {
		t.Fatalf("bad mapping: %d %s", r.StatusCode, r.body)
	}
}

// TestCalendarImportNamesColumnsNotImported: the holiday calendar import
// shares the checked path and names the column it does not import.
func TestCalendarImportNamesColumnsNotImported(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	book := otherZoneLedger(t, []string{"日期", "类型", "名称", "备注"}, [][]string{{"2026-10-01", "放假", "国庆节", "全体放假"}, {"2026-10-02", "放假", "国庆节", ""}})
	r := c.upload("/calendar/import", "calendar.xlsx", book)
	if r.StatusCode != 200 || !regexp.MustCompile(`id="not-imported"[\s\S]*备注」：1 行有内容`).MatchString(r.body) {
		t.Fatalf("calendar: %d %s", r.StatusCode, firstError(r.body))
	}
}
