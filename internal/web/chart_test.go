package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// chartSpec is the JSON a chart container carries.
type chartSpec struct {
	Kind       string
	Categories []string
	Series     []struct {
		Name   string
		Data   []*float64
		Labels []string
	}
	Lines []struct{ Name, At string }
}

// chartOf reads the chart with the element id from a page: its spec, and
// checks that it is hidden from screen readers.
func chartOf(t *testing.T, body, id string) chartSpec {
	t.Helper()
	m := regexp.MustCompile(`<div class="chart" id="` + id + `" data-chart="([^"]*)" aria-hidden="true">`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no chart %s", id)
	}
	var spec chartSpec
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &spec); err != nil {
		t.Fatalf("chart %s: %v", id, err)
	}
	return spec
}

func chartData(s []*float64) string {
	var out []string
	for _, v := range s {
		if v == nil {
			out = append(out, "null")
		} else {
			out = append(out, strconv.FormatFloat(*v, 'f', -1, 64))
		}
	}
	return strings.Join(out, ",")
}

// chartScripts reports whether a page loads ECharts and the chart code.
func chartScripts(body string) bool {
	return strings.Contains(body, "vendor/echarts.min.js") && strings.Contains(body, "js/charts.js")
}

// TestKanbanAndPerformanceCharts: the kanban charts each stage's known
// amount, with a table of counts, amounts and unknowns; the performance
// page charts the rates by industry; pages without charts do not load
// ECharts.
func TestKanbanAndPerformanceCharts(t *testing.T) {
	a := newApp(t)
	a.project("高端装备项目", xinlu.StagePromotion, 1_234_567_800)
	second := a.project("二号项目", xinlu.StagePromotion, 100_000_000)
	a.project("三号项目", xinlu.StagePackaging, 50_000_000)
	unknown := a.project("待定项目", xinlu.StagePackaging, 0)
	db := homeDB(t, a)
	if _, err := db.Exec(`UPDATE projects SET total_yuan = NULL WHERE id = ?`, unknown.ID); err != nil {
		t.Fatal(err)
	}
	member := a.as(xinlu.RoleMember)
	res := member.get("/projects/kanban")
	spec := chartOf(t, res.body, "kanban-chart")
	if spec.Kind != "bar" || strings.Join(spec.Categories, ",") != "策划包装,全力推进,全程代办,建设中,已投产,达产" && len(spec.Categories) != 6 ||
		chartData(spec.Series[0].Data) != "5000,133456.78,0,0,0,0" {
		t.Fatalf("kanban chart: %+v %s", spec, chartData(spec.Series[0].Data))
	}
	if !chartScripts(res.body) || !strings.Contains(res.body, `id="kanban-chart-table"`) ||
		!regexp.MustCompile(`<th scope="row">[^<]+</th><td class="num">2</td><td class="num">5,000.00</td><td class="num">1</td>`).MatchString(res.body) ||
		!regexp.MustCompile(`<td class="num">2</td><td class="num">133,456.78</td><td class="num">0</td>`).MatchString(res.body) {
		t.Fatalf("kanban table: %s", res.body)
	}
	if home := member.get("/"); chartScripts(home.body) {
		t.Fatalf("the home loads ECharts")
	}
	// A project put on hold still counts in its column, and its card shows
	// among the column's cards, marked, with the count of those on hold.
	director := a.users[xinlu.RoleDirector]
	if _, err := a.store.StepProject(t.Context(), xinlu.ActorOf(director, ""), director, second.ID, second.Version, xinlu.ProjectHold, store.StepInput{}); err != nil {
		t.Fatal(err)
	}
	held := member.get("/projects/kanban")
	if !strings.Contains(held.body, `<a class="kanban-held" href="/projects?stage=promotion&amp;status=on_hold">其中搁置 1 个</a>`) ||
		!regexp.MustCompile(`<a class="kanban-card held" href="/projects/\d+">二号项目<small>[^<]*</small><span class="tag tag-grey">搁置</span>`).MatchString(held.body) ||
		!strings.Contains(held.body, `<b class="kanban-count">2</b>`) {
		t.Errorf("the on-hold project is counted but not shown:\n%s", held.body)
	}

	sponsor := a.users[xinlu.RoleSponsor]
	a.signedProject("铝材项目", "materials", xinlu.ProjectActive, sponsor.MemberID,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 1_000_000, PromisedStart: "2025-03-01", PromisedProduce: "2099-01-01"}, "2025-03-01")
	a.signedProject("装备项目", "equipment", xinlu.ProjectOnHold, 0,
		xinlu.Signing{SignedOn: "2025-01-01", ContractYuan: 3_000_000, PromisedStart: "2025-02-01", PromisedProduce: "2099-01-01"}, "")
	res = member.get("/projects/performance")
	spec = chartOf(t, res.body, "performance-chart")
	if len(spec.Series) != 4 || len(spec.Categories) != 2 || !chartScripts(res.body) {
		t.Fatalf("performance chart: %+v", spec)
	}
	// Equipment then materials (the industries' order): started 0 of 1,
	// then 1 of 1; production is not due anywhere.
	if chartData(spec.Series[2].Data) != "0,100" || chartData(spec.Series[3].Data) != "null,null" {
		t.Fatalf("performance rates: %s %s", chartData(spec.Series[2].Data), chartData(spec.Series[3].Data))
	}
	if !strings.Contains(res.body, `id="performance-chart-figure"`) || !strings.Contains(res.body, "performance-table") {
		t.Fatalf("performance: no table beside the chart")
	}
}

// TestAppraisalCharts: a calculated period's page charts the score
// distribution by band with the band lines and a table of the same
// figures; once published, a member's 我的考核 charts their score and band
// and the home shows the band.
func TestAppraisalCharts(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
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
	// The head scores everyone else: 60, 64, 68 … by role order.
	head := a.as(xinlu.RoleHead)
	v := url.Values{}
	score := 60
	for _, role := range xinlu.Roles {
		u := a.users[role]
		if u.MemberID == 0 || role == xinlu.RoleHead {
			continue
		}
		v.Set(fmt.Sprintf("s_%d_%d", u.MemberID, scheme.Indicators[0].ID), strconv.Itoa(score))
		score += 4
	}
	if r := head.postForm(fmt.Sprintf("/appraisal/periods/%d/scores", pid), v); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("scores: %d %s", r.StatusCode, firstError(r.body))
	}
	apprMustStep(t, office, pid, "calculate")
	page := fmt.Sprintf("/appraisal/periods/%d", pid)
	// Finance has the period's pay pool to set.
	if n, _, _, links := homeTodo(t, a.as(xinlu.RoleFinance).get("/").body, "todo-pools"); n != 1 || links[0] != page {
		t.Fatalf("pools to set: %d %v", n, links)
	}
	res := office.get(page)
	spec := chartOf(t, res.body, "score-chart")
	if spec.Kind != "bar" || len(spec.Series) < 2 || len(spec.Lines) != 2 || !chartScripts(res.body) {
		t.Fatalf("score chart: %+v", spec)
	}
	if !strings.HasPrefix(spec.Lines[0].Name, "前 20% 线") || !strings.HasPrefix(spec.Lines[1].Name, "后 20% 线") {
		t.Fatalf("band lines: %+v", spec.Lines)
	}
	// The chart's counts add up to the period's members, as its table says.
	total := 0
	for _, s := range spec.Series {
		for _, d := range s.Data {
			total += int(*d)
		}
	}
	m := regexp.MustCompile(`得分分布：共 (\d+) 人`).FindStringSubmatch(res.body)
	if m == nil || m[1] != strconv.Itoa(total) || !strings.Contains(res.body, `id="score-chart-table"`) || !strings.Contains(res.body, "<th>得分区间</th>") {
		t.Fatalf("score table: %d %v", total, m)
	}
	// A member sees no chart of their own result alone.
	if r := a.as(xinlu.RoleMember).get(page); strings.Contains(r.body, `id="score-chart"`) || chartScripts(r.body) {
		t.Fatalf("a member sees the distribution")
	}

	apprMustStep(t, office, pid, "review")
	apprMustStep(t, office, pid, "publish")
	member := a.as(xinlu.RoleMember)
	res = member.get("/appraisal/mine")
	spec = chartOf(t, res.body, "history-chart")
	if spec.Kind != "line" || len(spec.Categories) != 1 || chartData(spec.Series[0].Data) != "60" || len(spec.Series[0].Labels) != 1 ||
		!chartScripts(res.body) || !strings.Contains(res.body, `id="my-results"`) {
		t.Fatalf("history chart: %+v", spec)
	}
	home := member.get("/")
	if !strings.Contains(home.body, `id="home-my-band"`) || !strings.Contains(home.body, spec.Series[0].Labels[0]) || !strings.Contains(home.body, "得分 60") {
		t.Fatalf("home band: %s", home.body)
	}
	// The member appeals: the appraisal office's home has it to answer.
	if r := member.postForm(page+"/appeals", url.Values{"reason": {"本人当月上报线索未计入，申请复核"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("appeal: %d %s", r.StatusCode, firstError(r.body))
	}
	n, _, _, links := homeTodo(t, office.get("/").body, "todo-appeals")
	if n != 1 || len(links) != 1 || links[0] != page+"#appeals" {
		t.Fatalf("appeals to answer: %d %v", n, links)
	}
	// Once the publication is over, the director has the period to
	// finalise.
	if n, _, _, _ := homeTodo(t, a.as(xinlu.RoleDirector).get("/").body, "todo-finalize"); n != 0 {
		t.Fatalf("finalise during the publication: %d", n)
	}
	a.clock.Advance(20 * 24 * time.Hour)
	if n, _, _, links := homeTodo(t, a.as(xinlu.RoleDirector).get("/").body, "todo-finalize"); n != 1 || links[0] != page {
		t.Fatalf("periods to finalise: %d %v", n, links)
	}
}

// TestBrowserChartRenders: the kanban's chart draws a canvas under the
// CSP, with no console error.
func TestBrowserChartRenders(t *testing.T) {
	root := browser(t)
	a := newApp(t)
	a.project("高端装备项目", xinlu.StagePromotion, 1_234_567_800)
	a.project("三号项目", xinlu.StagePackaging, 50_000_000)
	var errs []string
	listen := func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				errs = append(errs, "console error")
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				errs = append(errs, e.Entry.Text+" "+e.Entry.URL)
			}
		case *runtime.EventExceptionThrown:
			errs = append(errs, "exception: "+e.ExceptionDetails.Text)
		}
	}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithListener(listen))
	defer cancel()
	// Start the tab on ctx itself: a first run under a deadline would end
	// the tab with it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	login(t, ctx, a, "member")
	step(t, ctx, "kanban chart",
		chromedp.Navigate(a.http.URL+"/projects/kanban"),
		chromedp.WaitVisible(`#kanban-chart[data-chart-ready="1"] canvas`),
	)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#kanban-chart canvas").length`))
	if err != nil || n == 0 {
		t.Fatalf("no canvas: %d %v", n, err)
	}
	shot(t, ctx, "kanban-chart")
	if len(errs) > 0 {
		t.Fatalf("console: %v", errs)
	}
}
