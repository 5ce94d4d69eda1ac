package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// apprCST is where the zone's days and months begin (Asia/Shanghai, which
// keeps no daylight saving time).
var apprCST = time.FixedZone("CST", 8*3600)

// apprForm returns the hidden fields (csrf, version, member_id, period_id…)
// of the form on body whose action is action; with member set, of the one
// carrying that member_id. It fails when the page offers no such form.
func apprForm(t *testing.T, body, action string, member int64) url.Values {
	t.Helper()
	forms := regexp.MustCompile(`(?s)<form[^>]*action="`+regexp.QuoteMeta(action)+`"[^>]*>(.*?)</form>`).FindAllStringSubmatch(body, -1)
	hidden := regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	for _, f := range forms {
		v := url.Values{}
		for _, m := range hidden.FindAllStringSubmatch(f[1], -1) {
			v.Set(m[1], m[2])
		}
		if member == 0 || v.Get("member_id") == strconv.FormatInt(member, 10) {
			return v
		}
	}
	t.Fatalf("no form posting to %s (member %d) on the page: %s", action, member, firstError(body))
	return nil
}

// apprStep submits the step button action of the period page as c sees it,
// with the page's csrf token and version plus extra; it returns the answer.
func apprStep(t *testing.T, c *client, pid int64, action string, extra url.Values) response {
	t.Helper()
	page := fmt.Sprintf("/appraisal/periods/%d", pid)
	v := apprForm(t, c.get(page).body, page+"/step/"+action, 0)
	for k, vs := range extra {
		v[k] = vs
	}
	return c.postForm(page+"/step/"+action, v)
}

// apprMustStep is apprStep that expects the redirect back to the period.
func apprMustStep(t *testing.T, c *client, pid int64, action string) {
	t.Helper()
	r := apprStep(t, c, pid, action, nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/appraisal/periods/%d", pid) {
		t.Fatalf("step %s: %d %s", action, r.StatusCode, firstError(r.body))
	}
}

// apprState is the state label the period page shows.
func apprState(t *testing.T, c *client, pid int64) string {
	t.Helper()
	r := c.get(fmt.Sprintf("/appraisal/periods/%d", pid))
	m := regexp.MustCompile(`id="period-state">([^<]*)<`).FindStringSubmatch(r.body)
	if r.StatusCode != 200 || m == nil {
		t.Fatalf("period page: %d %s", r.StatusCode, firstError(r.body))
	}
	return m[1]
}

// apprSection is the element with id on body, up to its closing tag name.
func apprSection(t *testing.T, body, id, tag string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `".*?</` + tag + `>`).FindString(body)
	if m == "" {
		t.Fatalf("no #%s on the page: %s", id, firstError(body))
	}
	return m
}

// apprWorkbook opens a download with excelize and returns every cell of
// its first sheet, row by row.
func apprWorkbook(t *testing.T, res response) [][]string {
	t.Helper()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("download: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), firstError(res.body))
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

func apprHasCell(rows [][]string, want string) bool {
	for _, r := range rows {
		for _, c := range r {
			if c == want {
				return true
			}
		}
	}
	return false
}

// apprPeriodForm is a valid new-period form.
func apprPeriodForm(label string) url.Values {
	return url.Values{"kind": {"month"}, "label": {label}, "grouping": {"department"}, "top_ratio": {"20"}, "bottom_ratio": {"20"},
		"min_group_size": {"5"}, "coef_top": {"1.2"}, "coef_middle": {"1"}, "coef_bottom": {"0.8"}, "publication_days": {"5"}}
}

// TestAppraisalSchemePages: the appraisal office lists, creates and edits
// schemes through the form; a bad form keeps what was typed; a member may
// not open the schemes.
func TestAppraisalSchemePages(t *testing.T) {
	a := newApp(t)
	office := a.as(xinlu.RoleAppraiser)
	list := office.get("/appraisal/schemes")
	if list.StatusCode != 200 || !strings.Contains(list.body, "考核方案") || !strings.Contains(list.body, "暂无考核方案，请为每类岗位建立一个方案") {
		t.Fatalf("empty list: %d %s", list.StatusCode, firstError(list.body))
	}
	if r := a.as(xinlu.RoleMember).get("/appraisal/schemes"); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "没有权限") {
		t.Fatalf("member on schemes: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleMember).get("/appraisal/schemes/new"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member on the new scheme form: %d", r.StatusCode)
	}
	form := office.get("/appraisal/schemes/new")
	if form.StatusCode != 200 || !strings.Contains(form.body, "新建考核方案") || strings.Count(form.body, `name="ind_name"`) != 10 ||
		!strings.Contains(form.body, `value="leads_reported"`) {
		t.Fatalf("new form: %d %s", form.StatusCode, firstError(form.body))
	}
	tok := office.csrfToken("/appraisal/schemes/new")
	// Three rows, a blank one between: blank rows are skipped; the key task
	// is the radio's row index.
	scheme := func(name string, weights ...string) url.Values {
		return url.Values{"csrf": {tok}, "name": {name}, "position_kind": {"staff"},
			"ind_name":   {"上报线索", "", "领导评价", "民主测评"},
			"ind_kind":   {"computed", "computed", "assessed", "peer"},
			"ind_metric": {"leads_reported", "", "", ""},
			"ind_target": {"4", "", "", ""},
			"ind_weight": weights,
			"key_task":   {"2"}}
	}

	t.Run("weights not summing to 100 keep the form", func(t *testing.T) {
		r := office.postForm("/appraisal/schemes", scheme("一般人员考核方案", "20", "", "50", "20"))
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "各项指标权重合计须为 100，当前为 90") {
			t.Fatalf("bad weights: %d %s", r.StatusCode, firstError(r.body))
		}
		for _, want := range []string{`value="一般人员考核方案"`, `value="上报线索"`, `value="领导评价"`, `value="民主测评"`, `value="50"`, `value="4"`,
			`name="key_task" value="1" checked`, `action="/appraisal/schemes"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the re-shown form lacks %s", want)
			}
		}
		if list, _ := a.store.ListSchemes(t.Context(), a.zone.ID); len(list) != 0 {
			t.Fatalf("a bad form stored %d schemes", len(list))
		}
	})
	t.Run("a weight that is not a number keeps the rows", func(t *testing.T) {
		r := office.postForm("/appraisal/schemes", scheme("一般人员考核方案", "二十", "", "60", "20"))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad weight: %d %s", r.StatusCode, firstError(r.body))
		}
		t.Run("the message names the field for people", func(t *testing.T) {
			if msg := firstError(r.body); !strings.Contains(msg, "须为数字") || strings.Contains(msg, "indicators[") {
				t.Error("the message reads " + msg + ": web/appraisal.go schemeFromForm reports the field as indicators[i].weight / .target, and no locale has a label for it; name the row (e.g. a message key appraisal.indicator_number with the row and column) or add field labels the printer can resolve")
			}
		})
		if !strings.Contains(r.body, `value="一般人员考核方案"`) || !strings.Contains(r.body, `value="领导评价"`) || !strings.Contains(r.body, `value="民主测评"`) {
			t.Error("web/appraisal.go schemeFromForm returns on the first unparsable weight or target, so the re-shown form loses that row and every row after it")
		}
	})

	r := office.postForm("/appraisal/schemes", scheme("一般人员考核方案", "20", "", "60", "20"))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/appraisal/schemes" {
		t.Fatalf("create: %d %s", r.StatusCode, firstError(r.body))
	}
	list = office.get("/appraisal/schemes")
	if !strings.Contains(list.body, "新增成功") || !strings.Contains(list.body, "一般人员考核方案") || !strings.Contains(list.body, "上报线索数") ||
		!strings.Contains(list.body, "民主测评") || !strings.Contains(list.body, "60%") || strings.Contains(list.body, "暂无考核方案") {
		t.Fatalf("list after create: %s", firstError(list.body))
	}
	schemes, err := a.store.ListSchemes(t.Context(), a.zone.ID)
	if err != nil || len(schemes) != 1 || len(schemes[0].Indicators) != 3 {
		t.Fatalf("stored: %+v %v", schemes, err)
	}
	sc := schemes[0]
	if key, ok := sc.KeyTask(); !ok || key.Name != "领导评价" || sc.Indicators[0].Target != 4 || sc.Indicators[0].Metric != "leads_reported" {
		t.Fatalf("stored indicators: %+v", sc.Indicators)
	}
	ids := map[string]int64{}
	for _, ind := range sc.Indicators {
		ids[ind.Name] = ind.ID
	}

	t.Run("editing keeps the indicator ids", func(t *testing.T) {
		path := fmt.Sprintf("/appraisal/schemes/%d", sc.ID)
		edit := office.get(path + "/edit")
		if edit.StatusCode != 200 || !strings.Contains(edit.body, "修改考核方案") || !strings.Contains(edit.body, `value="上报线索"`) ||
			!strings.Contains(edit.body, `name="key_task" value="1" checked`) || !strings.Contains(edit.body, `action="`+path+`"`) {
			t.Fatalf("edit form: %d %s", edit.StatusCode, firstError(edit.body))
		}
		v := apprForm(t, edit.body, path, 0)
		v["ind_name"] = []string{"上报线索", "领导评价", "民主测评", "工作作风"}
		v["ind_kind"] = []string{"computed", "assessed", "peer", "peer"}
		v["ind_metric"] = []string{"leads_reported", "", "", ""}
		v["ind_target"] = []string{"5", "", "", ""}
		v["ind_weight"] = []string{"20", "50", "20", "10"}
		v.Set("key_task", "1")
		v.Set("name", "一般人员考核方案（修订）")
		v.Set("position_kind", "staff")
		if r := office.postForm(path, v); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.StatusCode, firstError(r.body))
		}
		got, err := a.store.SchemeByID(t.Context(), a.zone.ID, sc.ID)
		if err != nil || got.Name != "一般人员考核方案（修订）" || len(got.Indicators) != 4 {
			t.Fatalf("after update: %+v %v", got, err)
		}
		for _, ind := range got.Indicators {
			if want, ok := ids[ind.Name]; ok && ind.ID != want {
				t.Errorf("%s: id %d, was %d", ind.Name, ind.ID, want)
			}
		}
		if got.Indicators[0].Target != 5 || got.Indicators[1].Weight != 50 {
			t.Errorf("changes not saved: %+v", got.Indicators)
		}
		// The same version again is stale.
		if r := office.postForm(path, v); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该记录已被他人修改") {
			t.Fatalf("stale update: %d %s", r.StatusCode, firstError(r.body))
		}
	})
}

// TestAppraisalPeriodForm: the appraisal office creates a period through
// the form on the list; a bad label is named and the form keeps what was
// typed; a member sees no draft.
func TestAppraisalPeriodForm(t *testing.T) {
	a := newApp(t)
	office := a.as(xinlu.RoleAppraiser)
	list := office.get("/appraisal/periods")
	if list.StatusCode != 200 || !strings.Contains(list.body, "暂无考核周期") || !strings.Contains(list.body, `id="period-new"`) {
		t.Fatalf("empty list: %d %s", list.StatusCode, firstError(list.body))
	}
	tok := office.csrfToken("/appraisal/periods")

	bad := apprPeriodForm("2026-13")
	bad.Set("csrf", tok)
	bad.Set("coef_top", "1.5")
	r := office.postForm("/appraisal/periods", bad)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "周期格式不正确：月度如 2026-10，季度如 2026Q4，年度如 2026") {
		t.Fatalf("bad label: %d %s", r.StatusCode, firstError(r.body))
	}
	if !strings.Contains(r.body, `name="label" id="label" value="2026-13"`) || !strings.Contains(r.body, `name="coef_top" id="coef_top" inputmode="decimal" value="1.5"`) {
		t.Fatalf("the form does not keep what was typed")
	}
	t.Run("a ratio that is not a number keeps the other fields", func(t *testing.T) {
		v := apprPeriodForm("2026-10")
		v.Set("top_ratio", "二十")
		v.Set("coef_top", "1.5")
		r := office.postForm("/appraisal/periods", v)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad ratio: %d %s", r.StatusCode, firstError(r.body))
		}
		t.Run("the message names the field for people", func(t *testing.T) {
			if msg := firstError(r.body); !strings.Contains(msg, "前档比例") || strings.Contains(msg, "top_ratio") {
				t.Error("the message reads " + msg + ": i18n/locales/appraisal.*.json have no field.top_ratio, field.bottom_ratio, field.min_group_size, field.publication_days, field.coef_top/middle/bottom labels, so Printer.Field shows the raw form name; add them (前档比例, 后档比例, 最小分组人数, 公示天数, 前档/中档/后档系数)")
			}
		})
		if !strings.Contains(r.body, `value="1.5"`) || !strings.Contains(r.body, `name="publication_days" id="publication_days" inputmode="numeric" value="5"`) {
			t.Error("web/appraisal.go periodCreate returns on the first unparsable number, so the re-shown form shows 0 for every field after it (coefficients, publication days) instead of what was typed")
		}
	})

	label := a.store.Now().In(apprCST).Format("2006-01")
	good := apprPeriodForm(label)
	good.Set("csrf", tok)
	r = office.postForm("/appraisal/periods", good)
	loc := r.Header.Get("Location")
	m := regexp.MustCompile(`^/appraisal/periods/(\d+)$`).FindStringSubmatch(loc)
	if r.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q %s", r.StatusCode, loc, firstError(r.body))
	}
	page := office.get(loc)
	if page.StatusCode != 200 || !strings.Contains(page.body, label+" 绩效考核") || !strings.Contains(page.body, "新增成功") ||
		!strings.Contains(page.body, `id="period-state">草稿<`) || !strings.Contains(page.body, "前 20% · 后 20% · 不足 5 人合并") ||
		!strings.Contains(page.body, "1.2 / 1 / 0.8") || !strings.Contains(page.body, `id="step-open"`) {
		t.Fatalf("period page: %d %s", page.StatusCode, firstError(page.body))
	}
	if r := office.postForm("/appraisal/periods", good); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该考核周期已存在") {
		t.Fatalf("same label again: %d %s", r.StatusCode, firstError(r.body))
	}
	if list := office.get("/appraisal/periods"); !strings.Contains(list.body, `href="`+loc+`">`+label+`<`) || !strings.Contains(list.body, "草稿") {
		t.Fatalf("list after create: %s", firstError(list.body))
	}

	member := a.as(xinlu.RoleMember)
	if list := member.get("/appraisal/periods"); list.StatusCode != 200 || strings.Contains(list.body, label) || !strings.Contains(list.body, "暂无考核周期") ||
		strings.Contains(list.body, `id="period-new"`) {
		t.Fatalf("member's list: %d %s", list.StatusCode, firstError(list.body))
	}
	if r := member.get(loc); r.StatusCode != http.StatusNotFound {
		t.Fatalf("member on a draft: %d", r.StatusCode)
	}
	if r := member.postForm("/appraisal/periods", apprPeriodForm("2026-09")); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member creates a period: %d", r.StatusCode)
	}
}

// TestAppraisalPeriodJourney runs a period through its pages: steps with
// stale and refused moves, the scoring sheets, a result's breakdown with
// the records behind it, the publication and its downloads, an appeal
// answered in recheck, my appraisal, English, and the director's
// finalisation after the publication.
func TestAppraisalPeriodJourney(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	mid := func(r xinlu.Role) int64 { return a.users[r].MemberID }
	scheme := &xinlu.Scheme{ZoneID: a.zone.ID, Name: "一般人员考核方案", PositionKind: xinlu.PositionStaff, Indicators: []xinlu.Indicator{
		{Name: "上报线索", Kind: xinlu.IndicatorComputed, Metric: "leads_reported", Target: 2, Weight: 20},
		{Name: "领导评价", Kind: xinlu.IndicatorAssessed, Weight: 60, KeyTask: true},
		{Name: "民主测评", Kind: xinlu.IndicatorPeer, Weight: 20}}}
	if err := a.store.CreateScheme(ctx, sys, scheme); err != nil {
		t.Fatal(err)
	}
	computed, assessed, peer := scheme.Indicators[0].ID, scheme.Indicators[1].ID, scheme.Indicators[2].ID
	// The member reported three leads this month: the period covers it.
	var leads []*xinlu.Lead
	for i := range 3 {
		l := &xinlu.Lead{ZoneID: a.zone.ID, ReporterID: mid(xinlu.RoleMember), Company: fmt.Sprintf("考核测试%c公司", 'A'+i), ProjectName: "装备项目",
			Industry: "equipment", InvestmentYuan: new(int64(1e8)), Channel: "personal", ContactName: "张三", ContactPhone: "13800001111"}
		if _, err := a.store.ReportLead(ctx, sys, l); err != nil {
			t.Fatal(err)
		}
		leads = append(leads, l)
	}
	label := a.store.Now().In(apprCST).Format("2006-01")

	office := a.as(xinlu.RoleAppraiser)
	director := a.as(xinlu.RoleDirector)
	member := a.as(xinlu.RoleMember)
	finance := a.as(xinlu.RoleFinance)
	r := office.postForm("/appraisal/periods", apprPeriodForm(label))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, firstError(r.body))
	}
	pid, _ := strconv.ParseInt(strings.TrimPrefix(r.Header.Get("Location"), "/appraisal/periods/"), 10, 64)
	page := fmt.Sprintf("/appraisal/periods/%d", pid)

	// 1. Stale version: the page again with the conflict, 409.
	v := apprForm(t, office.get(page).body, page+"/step/open", 0)
	v.Set("version", "0")
	if r := office.postForm(page+"/step/open", v); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该记录已被他人修改，请刷新后重试") ||
		!strings.Contains(r.body, `id="period-state">草稿<`) || !strings.Contains(r.body, `id="step-open"`) {
		t.Fatalf("stale open: %d %s", r.StatusCode, firstError(r.body))
	}
	// A step the user may not take: 403.
	if r := director.postForm(page+"/step/open", url.Values{"version": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("director opens: %d %s", r.StatusCode, firstError(r.body))
	}
	apprMustStep(t, office, pid, "open")
	if r := office.get(page); !strings.Contains(r.body, "考核已开始评分") || !strings.Contains(r.body, `id="period-state">评分中<`) || !strings.Contains(r.body, `id="step-calculate"`) || strings.Contains(r.body, `id="step-open"`) {
		t.Fatalf("scoring page: %s", firstError(r.body))
	}

	// 2. Scoring sheets.
	scores := page + "/scores"
	others := []xinlu.Role{xinlu.RoleMember, xinlu.RoleScreener, xinlu.RolePlanner, xinlu.RoleSponsor, xinlu.RoleAgent, xinlu.RoleHead,
		xinlu.RoleAppraiser, xinlu.RoleDiscipline, xinlu.RoleFinance}
	t.Run("the director's sheet", func(t *testing.T) {
		sheet := director.get(scores)
		if sheet.StatusCode != 200 || !strings.Contains(sheet.body, label+" 评分") || !strings.Contains(sheet.body, `id="score-table"`) {
			t.Fatalf("sheet: %d %s", sheet.StatusCode, firstError(sheet.body))
		}
		for _, role := range others {
			if !strings.Contains(sheet.body, fmt.Sprintf(`name="s_%d_%d"`, mid(role), assessed)) || !strings.Contains(sheet.body, "测试"+string(role)) {
				t.Errorf("no assessed input for %s", role)
			}
			if strings.Contains(sheet.body, fmt.Sprintf(`name="s_%d_%d"`, mid(role), peer)) || strings.Contains(sheet.body, fmt.Sprintf(`name="s_%d_%d"`, mid(role), computed)) {
				t.Errorf("the director is offered a peer or computed input for %s", role)
			}
		}
		if strings.Contains(sheet.body, fmt.Sprintf(`name="s_%d_`, mid(xinlu.RoleDirector))) {
			t.Errorf("the director may score themself")
		}
		tok := director.csrfToken(scores)
		r := director.postForm(scores, url.Values{"csrf": {tok},
			fmt.Sprintf("s_%d_%d", mid(xinlu.RoleMember), assessed):   {"30"},
			fmt.Sprintf("s_%d_%d", mid(xinlu.RoleScreener), assessed): {"95.5"},
			fmt.Sprintf("s_%d_%d", mid(xinlu.RolePlanner), assessed):  {""}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != scores+"?saved=2" {
			t.Fatalf("save: %d %q %s", r.StatusCode, r.Header.Get("Location"), firstError(r.body))
		}
		again := director.get(r.Header.Get("Location"))
		if !strings.Contains(again.body, "已保存 2 项评分") ||
			!strings.Contains(again.body, fmt.Sprintf(`name="s_%[1]d_%[2]d" id="s_%[1]d_%[2]d" value="30"`, mid(xinlu.RoleMember), assessed)) ||
			!strings.Contains(again.body, fmt.Sprintf(`name="s_%[1]d_%[2]d" id="s_%[1]d_%[2]d" value="95.5"`, mid(xinlu.RoleScreener), assessed)) {
			t.Fatalf("saved scores not shown: %s", firstError(again.body))
		}
		// Two bad cells and a changed good one: all come back as typed,
		// each bad cell marked, and nothing is saved.
		bad := director.postForm(scores, url.Values{"csrf": {tok}, fmt.Sprintf("s_%d_%d", mid(xinlu.RolePlanner), assessed): {"120"},
			fmt.Sprintf("s_%d_%d", mid(xinlu.RoleMember), assessed): {"-3"}, fmt.Sprintf("s_%d_%d", mid(xinlu.RoleScreener), assessed): {"88"}})
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "分数须在 0 到 100 之间") ||
			!strings.Contains(bad.body, fmt.Sprintf(`name="s_%[1]d_%[2]d" id="s_%[1]d_%[2]d" value="120" class="w-num" inputmode="decimal" aria-invalid="true"`, mid(xinlu.RolePlanner), assessed)) ||
			!strings.Contains(bad.body, fmt.Sprintf(`name="s_%[1]d_%[2]d" id="s_%[1]d_%[2]d" value="-3" class="w-num" inputmode="decimal" aria-invalid="true"`, mid(xinlu.RoleMember), assessed)) ||
			!strings.Contains(bad.body, fmt.Sprintf(`name="s_%[1]d_%[2]d" id="s_%[1]d_%[2]d" value="88"`, mid(xinlu.RoleScreener), assessed)) {
			t.Fatalf("120: %d %s", bad.StatusCode, firstError(bad.body))
		}
		if bad := director.postForm(scores, url.Values{fmt.Sprintf("s_%d_%d", mid(xinlu.RolePlanner), assessed): {"九十"}}); bad.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(bad.body, "分数须在 0 到 100 之间") {
			t.Fatalf("not a number: %d %s", bad.StatusCode, firstError(bad.body))
		}
		if mine, _ := a.store.MyRatings(ctx, a.users[xinlu.RoleDirector], pid); len(mine) != 2 {
			t.Fatalf("refused scores were stored: %v", mine)
		}
	})
	t.Run("a member's sheet has the peer indicator only", func(t *testing.T) {
		sheet := member.get(scores)
		if sheet.StatusCode != 200 {
			t.Fatalf("member's sheet: %d %s", sheet.StatusCode, firstError(sheet.body))
		}
		for _, role := range others[1:] {
			if !strings.Contains(sheet.body, fmt.Sprintf(`name="s_%d_%d"`, mid(role), peer)) {
				t.Errorf("no peer input for %s", role)
			}
		}
		if n := strings.Count(sheet.body, fmt.Sprintf(`_%d"`, assessed)); n != 0 {
			t.Errorf("a member is offered %d assessed inputs", n)
		}
		if strings.Contains(sheet.body, fmt.Sprintf(`name="s_%d_`, mid(xinlu.RoleMember))) {
			t.Errorf("the member may score themself")
		}
		r := member.postForm(scores, url.Values{fmt.Sprintf("s_%d_%d", mid(xinlu.RoleScreener), peer): {"80"}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "saved=1") {
			t.Fatalf("peer save: %d %s", r.StatusCode, firstError(r.body))
		}
		// Forging an assessed score is refused.
		if r := member.postForm(scores, url.Values{fmt.Sprintf("s_%d_%d", mid(xinlu.RoleScreener), assessed): {"100"}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member forges an assessed score: %d %s", r.StatusCode, firstError(r.body))
		}
	})
	t.Run("nothing is published while scoring", func(t *testing.T) {
		if r := member.get(page); r.StatusCode != 200 || !strings.Contains(r.body, `id="scores-link"`) || strings.Contains(r.body, `id="step-`) {
			t.Fatalf("member's period page while scoring: %d", r.StatusCode)
		}
		for _, p := range []string{"/publication", "/publication.xlsx", fmt.Sprintf("/results/%d", mid(xinlu.RoleMember))} {
			if r := member.get(page + p); r.StatusCode != http.StatusNotFound {
				t.Errorf("member GET %s before publication: %d", p, r.StatusCode)
			}
		}
		// The auditor does not see a period in scoring at all.
		if r := a.as(xinlu.RoleAuditor).get(scores); r.StatusCode != http.StatusNotFound {
			t.Errorf("auditor's score sheet while scoring: %d", r.StatusCode)
		}
	})

	// The director's scores for the others: the member comes second last
	// (the director, unscored, is last).
	var rs []store.Rating
	score := int64(9500)
	for _, role := range others {
		s := score
		if role == xinlu.RoleMember {
			s = 3000
		}
		rs = append(rs, store.Rating{MemberID: mid(role), IndicatorID: assessed, Score: s})
		score -= 300
	}
	du := a.users[xinlu.RoleDirector]
	if _, err := a.store.SaveRatings(ctx, xinlu.ActorOf(du, ""), du, pid, rs); err != nil {
		t.Fatal(err)
	}

	// 3. Calculate, with a stale version first.
	v = apprForm(t, office.get(page).body, page+"/step/calculate", 0)
	v.Set("version", "1")
	if r := office.postForm(page+"/step/calculate", v); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该记录已被他人修改") ||
		!strings.Contains(r.body, `id="period-state">评分中<`) {
		t.Fatalf("stale calculate: %d %s", r.StatusCode, firstError(r.body))
	}
	apprMustStep(t, office, pid, "calculate")
	calc := office.get(page)
	table := apprSection(t, calc.body, "result-table", "table")
	if !strings.Contains(calc.body, `id="period-state">已计算<`) || !strings.Contains(table, "测试member") || !strings.Contains(table, "后20%") ||
		!strings.Contains(table, "前20%") || !strings.Contains(table, "中60%") || !strings.Contains(table, ">38<") {
		t.Fatalf("results: %s", table)
	}

	// 4. The breakdown with the records behind the computed indicator.
	t.Run("result breakdown", func(t *testing.T) {
		res := office.get(fmt.Sprintf("%s/results/%d", page, mid(xinlu.RoleMember)))
		if res.StatusCode != 200 {
			t.Fatalf("result: %d %s", res.StatusCode, firstError(res.body))
		}
		bd := apprSection(t, res.body, "breakdown", "table")
		for _, want := range []string{"上报线索", "领导评价", "民主测评", "系统计算 · 上报线索数", "计分依据（3 条记录）", ">38<"} {
			if !strings.Contains(bd, want) {
				t.Errorf("breakdown lacks %q", want)
			}
		}
		for _, l := range leads {
			if !strings.Contains(bd, fmt.Sprintf(`<a href="/leads/%d">%s</a>`, l.ID, l.Company)) {
				t.Errorf("breakdown lacks lead %d %s", l.ID, l.Company)
			}
		}
		if !strings.Contains(res.body, `id="result-band"`) || !strings.Contains(res.body, "后20%") {
			t.Errorf("no band on the result page")
		}
		// Another member's result is not theirs to see, and the member
		// sees nothing before publication.
		if r := member.get(fmt.Sprintf("%s/results/%d", page, mid(xinlu.RoleMember))); r.StatusCode != http.StatusNotFound {
			t.Errorf("member's result before publication: %d", r.StatusCode)
		}
	})

	// 5. Review and calibrate.
	apprMustStep(t, office, pid, "review")
	if got := apprState(t, office, pid); got != "审核校准" {
		t.Fatalf("after review: %q", got)
	}
	if r := member.get(page + "/publication"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("member on the notice in calibration: %d", r.StatusCode)
	}
	calibrate := func(role xinlu.Role, band, reason string) response {
		t.Helper()
		v := apprForm(t, office.get(page).body, page+"/step/calibrate", mid(role))
		v.Set("band", band)
		v.Set("reason", reason)
		return office.postForm(page+"/step/calibrate", v)
	}
	r = calibrate(xinlu.RoleSponsor, "top", "招商成效突出")
	if (r.StatusCode != http.StatusConflict && r.StatusCode != http.StatusUnprocessableEntity) || !strings.Contains(r.body, "前档已满（名额 2 人），不能再调入") ||
		!strings.Contains(r.body, `id="result-table"`) || !strings.Contains(r.body, `id="period-state">审核校准<`) {
		t.Fatalf("over the top quota: %d %s", r.StatusCode, firstError(r.body))
	}
	if r.StatusCode != http.StatusConflict {
		t.Errorf("over the top quota: %d, want 409", r.StatusCode)
	}
	if r := calibrate(xinlu.RoleScreener, "middle", " "); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写理由") ||
		!strings.Contains(r.body, `id="result-table"`) {
		t.Fatalf("no reason: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := calibrate(xinlu.RoleScreener, "middle", "考核委员会研究调整"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("calibrate: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := calibrate(xinlu.RoleSponsor, "top", "招商成效突出"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("calibrate into the freed place: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := office.get(page); !strings.Contains(r.body, "考核办校准：考核委员会研究调整") || !strings.Contains(r.body, "考核办校准：招商成效突出") {
		t.Fatalf("calibrations not shown: %s", firstError(r.body))
	}

	// 6. Publish: the notice and the downloads.
	apprMustStep(t, office, pid, "publish")
	pub := office.get(page)
	if !strings.Contains(pub.body, `id="period-state">公示中<`) || !strings.Contains(pub.body, `id="publication-ends"`) {
		t.Fatalf("after publish: %s", firstError(pub.body))
	}
	t.Run("publication notice and downloads", func(t *testing.T) {
		for _, c := range []*client{office, member} {
			n := c.get(page + "/publication")
			if n.StatusCode != 200 {
				t.Fatalf("notice: %d %s", n.StatusCode, firstError(n.body))
			}
			nt := apprSection(t, n.body, "notice-table", "table")
			for _, want := range []string{"名次", "测试member", "测试sponsor", "测试screener", "后20%", "前20%", "中60%"} {
				if !strings.Contains(nt, want) {
					t.Errorf("notice lacks %q", want)
				}
			}
			if !strings.Contains(n.body, "关于 "+label+" 绩效考核结果的公示") || !strings.Contains(n.body, "测试开发区") {
				t.Errorf("notice title or unit missing")
			}
		}
		rows := apprWorkbook(t, member.get(page+"/publication.xlsx"))
		if !apprHasCell(rows, "名次") || !apprHasCell(rows, "测试member") || !apprHasCell(rows, "后20%") {
			t.Fatalf("publication workbook: %q", rows)
		}
		for _, c := range []*client{finance, office} {
			res := c.get(page + "/payroll.xlsx")
			if res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(res.Header.Get("Content-Disposition"), "payroll-"+label+".xlsx") {
				t.Errorf("payroll headers: %v", res.Header)
			}
			rows := apprWorkbook(t, res)
			if !apprHasCell(rows, "工号") || !apprHasCell(rows, "SA") || !apprHasCell(rows, "测试member") {
				t.Fatalf("payroll workbook: %q", rows)
			}
		}
		if r := member.get(page + "/payroll.xlsx"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member's payroll: %d", r.StatusCode)
		}
		entries, _, _ := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "appraisal.payroll.export"})
		if len(entries) != 2 {
			t.Errorf("%d payroll exports audited, want 2", len(entries))
		}
	})

	// 7. The member appeals; the office rechecks and answers; publish again.
	mp := member.get(page)
	if mp.StatusCode != 200 || !strings.Contains(mp.body, `id="appeal-form"`) || strings.Contains(apprSection(t, mp.body, "result-table", "table"), "测试screener") {
		t.Fatalf("member's period page: %d %s", mp.StatusCode, firstError(mp.body))
	}
	tok := member.csrfToken(page)
	short := member.postForm(page+"/appeals", url.Values{"csrf": {tok}, "reason": {"不服"}})
	if short.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(short.body, "申诉理由至少 5 个字") ||
		!regexp.MustCompile(`<textarea id="appeal-reason"[^>]*>不服</textarea>`).MatchString(short.body) {
		t.Fatalf("short appeal: %d %s", short.StatusCode, firstError(short.body))
	}
	reason := "本月上报线索三条，领导评价偏低，请求复核。"
	if r := member.postForm(page+"/appeals", url.Values{"csrf": {tok}, "reason": {reason}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("appeal: %d %s", r.StatusCode, firstError(r.body))
	}
	mp = member.get(page)
	if !strings.Contains(apprSection(t, mp.body, "appeal-table", "table"), "待答复") || strings.Contains(mp.body, `id="appeal-form"`) {
		t.Fatalf("after the appeal: %s", firstError(mp.body))
	}
	t.Run("the member is told the appeal was filed", func(t *testing.T) {
		if !strings.Contains(mp.body, "申诉已提交，考核办将在复核后答复") {
			t.Error("web/appraisal.go appealFile flashes \"appraisal.appeal_filed\" but takeFlash (web/render.go) shows only keys starting with \"flash.\", so the confirmation never appears")
		}
	})
	// Open appeal: the director cannot finalise.
	if r := apprStep(t, director, pid, "finalize", nil); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "还有 1 件申诉未答复") {
		t.Fatalf("finalise with an open appeal: %d %s", r.StatusCode, firstError(r.body))
	}
	apprMustStep(t, office, pid, "recheck")
	rc := office.get(page)
	m := regexp.MustCompile(`id="appeal-reject-(\d+)"`).FindStringSubmatch(rc.body)
	if m == nil || !strings.Contains(rc.body, `id="period-state">复核中<`) {
		t.Fatalf("no answer form in recheck: %s", firstError(rc.body))
	}
	answer := apprForm(t, rc.body, "/appraisal/appeals/"+m[1]+"/uphold", 0)
	if answer.Get("period_id") != strconv.FormatInt(pid, 10) {
		t.Fatalf("answer form: %v", answer)
	}
	noResponse := office.postForm("/appraisal/appeals/"+m[1]+"/reject", answer)
	if noResponse.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(noResponse.body, `id="appeal-table"`) || !strings.Contains(noResponse.body, `id="form-error"`) {
		t.Fatalf("answer without a response: %d %s", noResponse.StatusCode, firstError(noResponse.body))
	}
	t.Run("a missing response is named for people", func(t *testing.T) {
		if msg := firstError(noResponse.body); msg != "答复不能为空" {
			t.Error("the message reads " + msg + ": store.AnswerAppeal reports field \"response\" and no locale has field.response; add field.response (答复 / Response)")
		}
	})
	answer.Set("response", "经考核委员会复核，评分依据充分，维持原结果。")
	if r := member.postForm("/appraisal/appeals/"+m[1]+"/reject", answer); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member answers: %d", r.StatusCode)
	}
	if r := office.postForm("/appraisal/appeals/"+m[1]+"/reject", answer); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != page {
		t.Fatalf("answer: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := office.postForm("/appraisal/appeals/"+m[1]+"/reject", answer); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该记录已被他人修改") {
		t.Fatalf("stale answer: %d %s", r.StatusCode, firstError(r.body))
	}
	if at := apprSection(t, office.get(page).body, "appeal-table", "table"); !strings.Contains(at, "维持原结果") || !strings.Contains(at, "评分依据充分") {
		t.Fatalf("answered appeal: %s", at)
	}
	apprMustStep(t, office, pid, "publish")
	if got := apprState(t, office, pid); got != "公示中" {
		t.Fatalf("published again: %q", got)
	}

	// 8. My appraisal.
	t.Run("my appraisal", func(t *testing.T) {
		mine := member.get("/appraisal/mine")
		if mine.StatusCode != 200 {
			t.Fatalf("mine: %d %s", mine.StatusCode, firstError(mine.body))
		}
		row := apprSection(t, mine.body, "my-results", "table")
		for _, want := range []string{label, "公示中", "后20%", "38", fmt.Sprintf(`href="%s/results/%d"`, page, mid(xinlu.RoleMember))} {
			if !strings.Contains(row, want) {
				t.Errorf("my results lack %q", want)
			}
		}
		for _, id := range []string{"my-incentives", "my-consequences", "my-appeals", "my-claims"} {
			if !strings.Contains(mine.body, `id="`+id+`"`) {
				t.Errorf("no #%s", id)
			}
		}
		ap := apprSection(t, mine.body, "my-appeals", "section")
		if !strings.Contains(ap, label) || !strings.Contains(ap, reason) || !strings.Contains(ap, "维持原结果") {
			t.Errorf("my appeals: %s", ap)
		}
		if !strings.Contains(apprSection(t, mine.body, "my-incentives", "section"), "暂无奖惩记录") {
			t.Errorf("my incentives not empty")
		}
		if r := member.get(fmt.Sprintf("%s/results/%d", page, mid(xinlu.RoleMember))); r.StatusCode != 200 || !strings.Contains(r.body, "计分依据（3 条记录）") {
			t.Errorf("member's own breakdown: %d", r.StatusCode)
		}
		if r := member.get(fmt.Sprintf("%s/results/%d", page, mid(xinlu.RoleScreener))); r.StatusCode != http.StatusNotFound {
			t.Errorf("member on another's breakdown: %d", r.StatusCode)
		}
		auditor := a.as(xinlu.RoleAuditor).get("/appraisal/mine")
		if auditor.StatusCode != 200 || !strings.Contains(auditor.body, "您的账号未关联人员档案，没有个人考核结果") || strings.Contains(auditor.body, `id="my-incentives"`) {
			t.Errorf("auditor's mine: %d %s", auditor.StatusCode, firstError(auditor.body))
		}
	})

	// 9. English.
	t.Run("English", func(t *testing.T) {
		en := a.as(xinlu.RoleFinance)
		en.lang = "en-US,en;q=0.9"
		if r := en.get(page); !strings.Contains(r.body, `id="period-state">Publication<`) || !strings.Contains(r.body, "Bottom 20%") {
			t.Errorf("Accept-Language en: no English labels: %s", firstError(r.body))
		}
		if r := member.postForm("/lang", url.Values{"lang": {"en"}, "next": {page}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("switch language: %d", r.StatusCode)
		}
		r := member.get(page)
		if !strings.Contains(r.body, `id="period-state">Publication<`) || !strings.Contains(r.body, `lang="en"`) {
			t.Errorf("member's page after switching: %s", firstError(r.body))
		}
		rows := apprWorkbook(t, member.get(page+"/publication.xlsx"))
		if apprHasCell(rows, "名次") {
			t.Errorf("the English workbook has Chinese headers: %q", rows[:min(len(rows), 4)])
		}
	})

	// 10. After the publication the director finalises.
	p, err := a.store.PeriodByID(ctx, a.zone.ID, pid)
	if err != nil {
		t.Fatal(err)
	}
	a.clock.Advance(10 * 24 * time.Hour)
	for i := 0; i < 30 && a.store.Now().In(apprCST).Format(xinlu.DateLayout) <= p.PublicationEnds; i++ {
		a.clock.Advance(24 * time.Hour) // a long holiday in the window
	}
	director = a.as(xinlu.RoleDirector)
	if r := director.get(page); !strings.Contains(r.body, `id="step-finalize"`) {
		t.Fatalf("no finalise button: %s", firstError(r.body))
	}
	apprMustStep(t, director, pid, "finalize")
	if got := apprState(t, director, pid); got != "已确认" {
		t.Fatalf("after finalising: %q", got)
	}
	// The member chose English above.
	if r := a.as(xinlu.RoleMember).get("/appraisal/mine"); !strings.Contains(apprSection(t, r.body, "my-results", "table"), "Final") {
		t.Errorf("mine after final: %s", firstError(r.body))
	}
}

// TestAppraisalBasePay: finance keeps base performance pay by staff number;
// a member may not open the page.
func TestAppraisalBasePay(t *testing.T) {
	a := newApp(t)
	finance := a.as(xinlu.RoleFinance)
	list := finance.get("/appraisal/base-pay")
	if list.StatusCode != 200 || !strings.Contains(list.body, "基础绩效工资") || !strings.Contains(list.body, `name="pay_SA"`) ||
		!strings.Contains(list.body, "测试member") || !strings.Contains(list.body, "招商局") {
		t.Fatalf("list: %d %s", list.StatusCode, firstError(list.body))
	}
	for _, m := range []*client{a.as(xinlu.RoleMember), a.as(xinlu.RoleAppraiser)} {
		if r := m.get("/appraisal/base-pay"); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET without the pool permission: %d", r.StatusCode)
		}
		if r := m.postForm("/appraisal/base-pay", url.Values{"pay_SA": {"1"}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("POST without the pool permission: %d", r.StatusCode)
		}
	}
	tok := finance.csrfToken("/appraisal/base-pay")
	r := finance.postForm("/appraisal/base-pay", url.Values{"csrf": {tok}, "pay_SA": {"5000"}, "pay_SB": {" 6200 "}, "pay_SC": {""}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/appraisal/base-pay") {
		t.Fatalf("save: %d %s", r.StatusCode, firstError(r.body))
	}
	after := finance.get("/appraisal/base-pay")
	if !strings.Contains(after.body, "修改成功") || !strings.Contains(after.body, `name="pay_SA" id="pay_SA" inputmode="numeric" value="5000"`) ||
		!strings.Contains(after.body, `name="pay_SB" id="pay_SB" inputmode="numeric" value="6200"`) ||
		!strings.Contains(after.body, `name="pay_SC" id="pay_SC" inputmode="numeric" value=""`) {
		t.Fatalf("after save: %s", firstError(after.body))
	}
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"pay_SA": {"五千"}}, "工号 SA 的基础绩效工资须为 0 到 1000000 之间的整数（元）"},
		{url.Values{"pay_SA": {"2000000"}}, "工号 SA 的基础绩效工资须为 0 到 1000000 之间的整数（元）"},
		{url.Values{"pay_ZZ": {"100"}}, "工号 ZZ 不存在"},
	} {
		tc.form.Set("csrf", tok)
		r := finance.postForm("/appraisal/base-pay", tc.form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, tc.want) || !strings.Contains(r.body, `id="base-pay-table"`) {
			t.Errorf("%v: %d %s, want 422 with %q", tc.form, r.StatusCode, firstError(r.body), tc.want)
		}
	}
	if r := finance.get("/appraisal/base-pay"); !strings.Contains(r.body, `name="pay_SA" id="pay_SA" inputmode="numeric" value="5000"`) {
		t.Fatalf("a refused save changed the pay")
	}
	// Two bad rows and a good one: every typed value comes back, each bad
	// row marked, and nothing is saved.
	r = finance.postForm("/appraisal/base-pay", url.Values{"csrf": {tok}, "pay_SA": {"五千"}, "pay_SB": {"7300"}, "pay_SC": {"-1"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="五千"`) || !strings.Contains(r.body, `value="7300"`) ||
		!strings.Contains(r.body, `value="-1"`) || !strings.Contains(r.body, `id="err-pay_SA"`) || !strings.Contains(r.body, `id="err-pay_SC"`) {
		t.Errorf("several bad rows: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := finance.get("/appraisal/base-pay"); !strings.Contains(r.body, `name="pay_SB" id="pay_SB" inputmode="numeric" value="6200"`) {
		t.Errorf("a refused save changed a good row")
	}
	if r := finance.get("/appraisal/base-pay?q=SB"); !strings.Contains(r.body, `name="pay_SB"`) || strings.Contains(r.body, `name="pay_SA"`) {
		t.Fatalf("search by staff number")
	}
}

// TestAbsenceFormKeepsInput: the absence form reports a bad staff number
// and a bad day count at once and shows both as typed.
func TestAbsenceFormKeepsInput(t *testing.T) {
	a := newApp(t)
	office := a.as(xinlu.RoleAppraiser)
	r := office.postForm("/appraisal/periods", apprPeriodForm("2026-08"))
	m := regexp.MustCompile(`^/appraisal/periods/(\d+)$`).FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("create: %d %s", r.StatusCode, firstError(r.body))
	}
	page := "/appraisal/periods/" + m[1]
	r = office.postForm(page+"/absences", url.Values{"staff_no": {"NOPE"}, "absent_days": {"三天"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="NOPE"`) || !strings.Contains(r.body, `value="三天"`) ||
		strings.Count(r.body, `aria-invalid="true"`) != 2 {
		t.Errorf("bad absence: %d %s", r.StatusCode, firstError(r.body))
	}
	if r := office.postForm(page+"/absences", url.Values{"staff_no": {"SA"}, "absent_days": {"2"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("good absence: %d %s", r.StatusCode, firstError(r.body))
	}
}
