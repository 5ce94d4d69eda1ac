package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

func TestAssessmentPages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	year := a.shanghaiDay(0)[:4]
	p := a.signWithSchedule("自评签约项目", a.shanghaiDay(0), 250_000_000)
	planner, head, member := a.as(xinlu.RolePlanner), a.as(xinlu.RoleHead), a.as(xinlu.RoleMember)
	if m := menuLinks(t, planner); !m["/assessment"] {
		t.Fatal("the planner's menu lacks the self-assessment")
	}
	if m := menuLinks(t, member); m["/assessment"] {
		t.Fatal("a member's menu offers the self-assessment")
	}
	if res := member.get("/assessment"); res.StatusCode != 403 {
		t.Fatalf("member: %d", res.StatusCode)
	}

	page := planner.get("/assessment?year=" + year)
	if page.StatusCode != 200 || !strings.Contains(page.body, `id="assessment-default"`) {
		t.Fatalf("empty sheet: %d", page.StatusCode)
	}
	csrf := planner.csrfToken("/assessment?year=" + year)
	if res := planner.postForm("/assessment/default", url.Values{"csrf": {csrf}, "year": {year}}); res.StatusCode != 303 {
		t.Fatalf("default: %d", res.StatusCode)
	}
	if res := planner.postForm("/assessment/category", url.Values{"csrf": {csrf}, "year": {year}, "category": {"industrial"}}); res.StatusCode != 303 {
		t.Fatalf("category: %d", res.StatusCode)
	}
	y, _ := strconv.Atoi(year)
	inds, err := a.store.AssessmentIndicators(ctx, a.zone.ID, y)
	if err != nil || len(inds) != 15 {
		t.Fatalf("%d %v", len(inds), err)
	}
	contract := inds[0]
	contract.Target = 5
	if err := a.store.SaveAssessmentIndicator(ctx, xinlu.SystemActor(a.zone.ID), contract); err != nil {
		t.Fatal(err)
	}
	// 2.5 亿 signed of a 5 亿 target: 6 of 12 points, the project linked as evidence.
	page = head.get("/assessment?year=" + year)
	if page.StatusCode != 200 {
		t.Fatalf("head: %d", page.StatusCode)
	}
	for _, want := range []string{"签约合同额", "2.5", `<td class="num score">6</td>`, `href="/projects/` + strconvFormat(p.ID) + `"`, "工业类开发区",
		"同类开发区第 1 名（共 1 个）", `id="print"`, "/assessment/export.xlsx?year=" + year} {
		if !strings.Contains(page.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "/assessment/indicators/") {
		t.Error("a head is offered to edit the sheet")
	}
	rows := openXLSX(t, head.get("/assessment/export.xlsx?year="+year))
	found := false
	for _, r := range rows {
		if len(r) > 6 && r[1] == "签约合同额" {
			found = r[5] == "2.50" && r[6] == "6.00" && strings.Contains(r[8], "自评签约项目")
		}
	}
	if !found {
		t.Fatalf("workbook rows %v", rows)
	}
	// A new entered indicator through the form; a bad one keeps what was typed.
	res := planner.postForm("/assessment/indicators", url.Values{"csrf": {csrf}, "year": {year}, "name": {"高新技术企业"}, "weight": {"abc"},
		"links": {"/enterprises"}})
	if res.StatusCode != 422 || !strings.Contains(res.body, `id="err-weight"`) || !strings.Contains(res.body, "高新技术企业") {
		t.Fatalf("bad new indicator: %d", res.StatusCode)
	}
	if res := planner.postForm("/assessment/indicators", url.Values{"csrf": {csrf}, "year": {year}, "name": {"高新技术企业数"}, "weight": {"4"},
		"target": {"10"}, "value": {"5"}, "evidence": {"科技局认定名单"}, "links": {"/enterprises"}}); res.StatusCode != 303 {
		t.Fatalf("new indicator: %d %s", res.StatusCode, res.body)
	}
	if page := head.get("/assessment?year=" + year); !strings.Contains(page.body, "科技局认定名单") || !strings.Contains(page.body, `<a href="/enterprises">`) {
		t.Fatal("the entered indicator's evidence is not shown")
	}
	if res := head.postForm("/assessment/default", url.Values{"csrf": {head.csrfToken("/assessment")}, "year": {year}}); res.StatusCode != 403 {
		t.Fatalf("head loads the default: %d", res.StatusCode)
	}
}
