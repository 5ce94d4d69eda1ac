package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

var disputeIDRE = regexp.MustCompile(`id="dispute-(\d+)"`)

func TestLeadCreditDisputePages(t *testing.T) {
	a := newApp(t)
	member, agent, screener, head := a.as(xinlu.RoleMember), a.as(xinlu.RoleAgent), a.as(xinlu.RoleScreener), a.as(xinlu.RoleHead)
	report := func(c *client, company string) string {
		t.Helper()
		r := c.postForm("/leads", reportLeadForm(company))
		m := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))
		if r.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("report: %d", r.StatusCode)
		}
		return m[1]
	}
	first := report(member, "山西华晋新材料股份有限公司")
	second := report(agent, "华晋新材料（太原）有限公司")
	if r := screener.postForm("/leads/"+second+"/merge", url.Values{"version": {"1"}, "merge_into": {first}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d %s", r.StatusCode, r.body)
	}

	// The co-reporter disputes from the lead they reported, merged into the survivor.
	page := agent.get("/leads/" + second)
	for _, want := range []string{`id="lead-disputes"`, `id="disputes-of"`, "本线索已并入线索 #" + first, `id="dispute-raise"`,
		`action="/leads/` + first + `/disputes"`, `name="from" value="` + second + `"`, "首报认定争议"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the co-reporter's page lacks %s", want)
		}
	}
	// The reporter, and a screener before any dispute, see no section;
	// the agent cannot open the survivor.
	for name, c := range map[string]*client{"reporter": member, "screener": screener} {
		if p := c.get("/leads/" + first); p.StatusCode != 200 || strings.Contains(p.body, `id="dispute-raise"`) || strings.Contains(p.body, `id="lead-disputes"`) {
			t.Errorf("%s: %d, dispute section shown", name, p.StatusCode)
		}
	}
	if r := agent.get("/leads/" + first); r.StatusCode != 404 {
		t.Fatalf("the co-reporter opens the survivor: %d", r.StatusCode)
	}
	// A stranger who may see the lead is refused, in Chinese.
	if r := head.postForm("/leads/"+first+"/disputes", url.Values{"reason": {"该线索最早由我接触，请认定为我"}}); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "共同上报人") {
		t.Fatalf("a head raises: %d", r.StatusCode)
	}

	// A short reason: 422 on the same page, in Chinese, the text kept.
	r := agent.postForm("/leads/"+first+"/disputes", url.Values{"reason": {"是我先报的"}, "from": {second}})
	if r.StatusCode != 422 || !strings.Contains(r.body, "理由至少 10 个字") || !strings.Contains(r.body, "是我先报的</textarea>") ||
		!strings.Contains(r.body, `id="dispute-reason-error"`) || !strings.Contains(r.body, `id="disputes-of"`) {
		t.Fatalf("short reason: %d", r.StatusCode)
	}
	reason := "三月中博会上由我最早接触该企业，有会谈纪要为证"
	r = agent.postForm("/leads/"+first+"/disputes", url.Values{"reason": {reason}, "from": {second}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/leads/"+second+"#lead-disputes" {
		t.Fatalf("raise: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	page = agent.get("/leads/" + second)
	if !strings.Contains(page.body, reason) || !strings.Contains(page.body, "待认定") || strings.Contains(page.body, `id="dispute-raise"`) ||
		!strings.Contains(page.body, "异议已提交") {
		t.Fatalf("after raising, the co-reporter's page")
	}
	// Twice: 409, named.
	if r := agent.postForm("/leads/"+first+"/disputes", url.Values{"reason": {reason}, "from": {second}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "尚在认定中") {
		t.Fatalf("raise twice: %d", r.StatusCode)
	}

	// The screener sees the dispute with the decide form; the reporter sees it without.
	page = screener.get("/leads/" + first)
	m := disputeIDRE.FindStringSubmatch(page.body)
	if m == nil || !strings.Contains(page.body, reason) || !strings.Contains(page.body, `id="decide-`+m[1]+`"`) ||
		!strings.Contains(page.body, `id="do-uphold-`+m[1]+`"`) || !strings.Contains(page.body, `id="do-reject-`+m[1]+`"`) {
		t.Fatalf("the screener's page lacks the dispute or its form")
	}
	did := m[1]
	page = member.get("/leads/" + first)
	if !strings.Contains(page.body, reason) || strings.Contains(page.body, `id="decide-`+did+`"`) || strings.Contains(page.body, `id="dispute-raise"`) {
		t.Fatalf("the reporter's page")
	}
	if r := member.postForm("/leads/"+first+"/disputes/"+did+"/reject", url.Values{"version": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("the reporter decides: %d", r.StatusCode)
	}

	// A decision without a note: 422, Chinese, the typed body and date kept.
	decide := "/leads/" + first + "/disputes/" + did + "/uphold"
	today := a.store.LeadToday().Format(xinlu.DateLayout)
	r = screener.postForm(decide, url.Values{"version": {"1"}, "deciding_body": {"甄别专班第三次会议"}, "decided_on": {today}, "from": {first}})
	if r.StatusCode != 422 || !strings.Contains(r.body, "请填写认定意见") || !strings.Contains(r.body, `value="甄别专班第三次会议"`) {
		t.Fatalf("no note: %d", r.StatusCode)
	}
	if r := screener.postForm(decide, url.Values{"version": {"1"}, "note": {"异议成立"}, "deciding_body": {"甄别专班会议"}, "decided_on": {"2099-01-01"}, "from": {first}}); r.StatusCode != 422 || !strings.Contains(r.body, "认定日期不能晚于今天") {
		t.Fatalf("a date in the future: %d", r.StatusCode)
	}
	r = screener.postForm(decide, url.Values{"version": {"1"}, "note": {"经核实，异议人最早接触企业"}, "deciding_body": {"甄别专班会议"}, "decided_on": {today}, "from": {first}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("uphold: %d %s", r.StatusCode, r.body)
	}
	// The decision and the new reporter show on the lead page; the form is gone.
	page = screener.get("/leads/" + first)
	for _, want := range []string{"异议成立", "上报人由 测试member 改为 测试agent", "经核实，异议人最早接触企业", "甄别专班会议",
		`<dd id="lead-reporter">测试agent</dd>`, "认定已记录"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("after uphold the page lacks %s", want)
		}
	}
	if strings.Contains(page.body, `id="decide-`+did+`"`) {
		t.Error("a decided dispute still offers the decide form")
	}
	// Decided again: 409 naming the state.
	if r := screener.postForm("/leads/"+first+"/disputes/"+did+"/reject", url.Values{"version": {"2"}, "note": {"再议"}, "deciding_body": {"甄别专班会议"}, "decided_on": {today}, "from": {first}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该异议当前为“异议成立”") {
		t.Fatalf("decide twice: %d %s", r.StatusCode, r.body)
	}
	// The new reporter now opens the lead.
	if r := agent.get("/leads/" + first); r.StatusCode != 200 {
		t.Fatalf("the new reporter opens the lead: %d", r.StatusCode)
	}
}

// TestLeadDisputeReporterScreenerCannotDecide: a screener who holds the
// credit sees the dispute against them but no decide form.
func TestLeadDisputeReporterScreenerCannotDecide(t *testing.T) {
	a := newApp(t)
	member, screener := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener)
	r := screener.postForm("/leads", reportLeadForm("太原重型机械集团有限公司"))
	first := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))[1]
	r = member.postForm("/leads", reportLeadForm("太原重型机械集团"))
	second := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))[1]
	if r := screener.postForm("/leads/"+second+"/merge", url.Values{"version": {"1"}, "merge_into": {first}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d", r.StatusCode)
	}
	if r := member.postForm("/leads/"+first+"/disputes", url.Values{"reason": {"该企业是我在外出拜访时首先接触的"}, "from": {second}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("raise: %d %s", r.StatusCode, r.body)
	}
	page := screener.get("/leads/" + first)
	if !strings.Contains(page.body, "该企业是我在外出拜访时首先接触的") || strings.Contains(page.body, `id="decide-`) {
		t.Fatal("the credited screener is offered to decide, or does not see the dispute")
	}
	m := disputeIDRE.FindStringSubmatch(page.body)
	r = screener.postForm("/leads/"+first+"/disputes/"+m[1]+"/reject", url.Values{"version": {"1"}, "note": {"不成立"}, "deciding_body": {"甄别专班会议"},
		"decided_on": {a.store.LeadToday().Format(xinlu.DateLayout)}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "异议人和现上报人不能参与认定") {
		t.Fatalf("the credited screener decides: %d", r.StatusCode)
	}
}
