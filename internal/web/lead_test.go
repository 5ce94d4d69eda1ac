package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// reportLeadForm is what a member types on a phone.
func reportLeadForm(company string) url.Values {
	return url.Values{"company": {company}, "project_name": {"碳纤维复合材料"}, "industry": {"materials"},
		"investment": {"50000"}, "channel": {"expo"}, "contact_name": {"王经理"}, "contact_phone": {"13812345678"},
		"description": {"展会上认识"}}
}

var leadPathRE = regexp.MustCompile(`^/leads/(\d+)`)

func TestMemberReportsLeadFromThePhoneForm(t *testing.T) {
	a := newApp(t)
	member := a.as(xinlu.RoleMember)

	form := member.get("/leads/new")
	if form.StatusCode != 200 || !strings.Contains(form.body, `id="lead-form"`) || !strings.Contains(form.body, "投资主体") ||
		!strings.Contains(form.body, `inputmode="tel"`) {
		t.Fatalf("form: %d", form.StatusCode)
	}
	if !strings.Contains(form.body, "招商引资") || !strings.Contains(form.body, `href="/leads/mine"`) {
		t.Error("the menu lacks the investment group")
	}
	if strings.Contains(form.body, `href="/leads"`) {
		t.Error("a member's menu offers lead screening")
	}

	// Bad input: 422 naming the field in Chinese, the typed values kept.
	bad := reportLeadForm("")
	if r := member.postForm("/leads", bad); r.StatusCode != 422 || !strings.Contains(r.body, "投资主体不能为空") || !strings.Contains(r.body, "13812345678") {
		t.Fatalf("empty company: %d", r.StatusCode)
	}
	bad = reportLeadForm("山西华晋新材料股份有限公司")
	bad.Set("contact_phone", "abc")
	if r := member.postForm("/leads", bad); r.StatusCode != 422 || !strings.Contains(r.body, "联系电话须为手机号或座机号") {
		t.Fatalf("bad phone: %d", r.StatusCode)
	}

	r := member.postForm("/leads", reportLeadForm("山西华晋新材料股份有限公司"))
	m := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("report: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	show := member.get(r.Header.Get("Location"))
	if show.StatusCode != 200 || !strings.Contains(show.body, "山西华晋新材料股份有限公司") || !strings.Contains(show.body, "13812345678") ||
		!strings.Contains(show.body, `id="no-duplicates"`) || !strings.Contains(show.body, "新增成功") {
		t.Fatalf("the reported lead: %d", show.StatusCode)
	}
	if strings.Contains(show.body, `id="do-accept"`) {
		t.Error("the member is offered accept")
	}

	// A second report of the same company shows the first as a duplicate.
	peer := a.as(xinlu.RoleAgent)
	r = peer.postForm("/leads", reportLeadForm("华晋新材料（太原）有限公司"))
	second := peer.get(r.Header.Get("Location"))
	if !strings.Contains(second.body, `id="dup-warning"`) || !strings.Contains(second.body, `href="/leads/`+m[1]+`"`) {
		t.Fatalf("the duplicate is not shown: %d", second.StatusCode)
	}
	// The agent cannot read the member's lead; the member sees it in 我的线索.
	if r := peer.get("/leads/" + m[1]); r.StatusCode != 404 {
		t.Errorf("another member reads the lead: %d", r.StatusCode)
	}
	mine := member.get("/leads/mine")
	if mine.StatusCode != 200 || !strings.Contains(mine.body, "山西华晋新材料股份有限公司") || !strings.Contains(mine.body, "已上报") ||
		strings.Contains(mine.body, "华晋新材料（太原）") {
		t.Fatalf("my leads: %d", mine.StatusCode)
	}
	if r := member.get("/leads"); r.StatusCode != http.StatusForbidden {
		t.Errorf("member opens the screening list: %d", r.StatusCode)
	}
	if r := member.postForm("/leads/"+m[1]+"/accept", url.Values{"version": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("member accepts: %d", r.StatusCode)
	}
}

func TestScreenerAcceptsAndRejects(t *testing.T) {
	a := newApp(t)
	member, screener := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener)
	r := member.postForm("/leads", reportLeadForm("太原重型机械集团有限公司"))
	id := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))[1]
	r = member.postForm("/leads", reportLeadForm("某某贸易有限公司"))
	other := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))[1]

	list := screener.get("/leads?status=reported&industry=materials&q=" + url.QueryEscape("太原重型"))
	if list.StatusCode != 200 || !strings.Contains(list.body, `id="lead-row-`+id+`"`) || strings.Contains(list.body, `id="lead-row-`+other+`"`) ||
		!strings.Contains(list.body, "共 1 条") || !strings.Contains(list.body, "正常") {
		t.Fatalf("screening list: %d", list.StatusCode)
	}
	show := screener.get("/leads/" + id)
	for _, want := range []string{`id="do-accept"`, `id="do-reject"`, `id="do-request-info"`, `id="do-veto"`, `id="do-merge"`, "13812345678", `data-confirm="确定对“太原重型机械集团有限公司”执行“通过并立项”吗？"`} {
		if !strings.Contains(show.body, want) {
			t.Errorf("the lead page lacks %s", want)
		}
	}
	if strings.Contains(show.body, `id="do-override-veto"`) {
		t.Error("a screener is offered to override a veto")
	}
	// A stale version: 409 in the user's language.
	if r := screener.postForm("/leads/"+id+"/accept", url.Values{"version": {"7"}}); r.StatusCode != http.StatusConflict {
		t.Fatalf("stale accept: %d", r.StatusCode)
	}
	// Reject without a reason: 422 naming the field.
	if r := screener.postForm("/leads/"+other+"/reject", url.Values{"version": {"1"}}); r.StatusCode != 422 || !strings.Contains(r.body, "理由不能为空") {
		t.Fatalf("reject without reason: %d", r.StatusCode)
	}
	if r := screener.postForm("/leads/"+other+"/reject", url.Values{"version": {"1"}, "reason": {"不符合园区产业定位"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d %s", r.StatusCode, r.body)
	}
	if r := screener.postForm("/leads/"+id+"/accept", url.Values{"version": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.StatusCode, r.body)
	}
	// Accept again: the status is named.
	if r := screener.postForm("/leads/"+id+"/accept", url.Values{"version": {"2"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "线索当前为“已立项”") {
		t.Fatalf("accept twice: %d", r.StatusCode)
	}
	mine := member.get("/leads/mine")
	if !strings.Contains(mine.body, "已立项") || !strings.Contains(mine.body, `class="project-link"`) || !strings.Contains(mine.body, "不符合园区产业定位") {
		t.Fatalf("the member does not see the fates")
	}
	// The same refusal in English.
	screener.lang = "en"
	if r := screener.postForm("/leads/"+id+"/accept", url.Values{"version": {"2"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "Accepted") {
		t.Fatalf("accept twice in English: %d", r.StatusCode)
	}
}

// TestScreeningListOpensOnWaitingLeads: the screener's list opens on the
// leads waiting for screening; 全部 lists every lead.
func TestScreeningListOpensOnWaitingLeads(t *testing.T) {
	a := newApp(t)
	member, screener := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener)
	var paths []string
	for _, company := range []string{"等待甄别甲公司", "已在甄别乙公司"} {
		r := member.postForm("/leads", reportLeadForm(company))
		if r.StatusCode != 303 {
			t.Fatalf("report %s: %d", company, r.StatusCode)
		}
		paths = append(paths, leadPathRE.FindString(r.Header.Get("Location")))
	}
	if r := screener.postForm(paths[1]+"/start-screening", url.Values{"version": {"1"}}); r.StatusCode != 303 {
		t.Fatalf("start screening: %d %s", r.StatusCode, r.body)
	}
	list := screener.get("/leads")
	if !strings.Contains(list.body, "等待甄别甲公司") || strings.Contains(list.body, "已在甄别乙公司") ||
		!strings.Contains(list.body, `<option value="reported" selected>`) {
		t.Errorf("the list does not open on the waiting leads:\n%s", list.body)
	}
	all := screener.get("/leads?status=")
	if !strings.Contains(all.body, "等待甄别甲公司") || !strings.Contains(all.body, "已在甄别乙公司") {
		t.Errorf("全部 does not list every lead")
	}
}

// TestLeadStepSaysWhatItDid: after a decision the flash names it (线索已转
// 立项) instead of a generic 修改成功.
func TestLeadStepSaysWhatItDid(t *testing.T) {
	a := newApp(t)
	member, screener := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener)
	r := member.postForm("/leads", reportLeadForm("立项提示科技有限公司"))
	path := leadPathRE.FindString(r.Header.Get("Location"))
	if r := screener.postForm(path+"/start-screening", url.Values{"version": {"1"}}); r.StatusCode != 303 {
		t.Fatalf("start: %d", r.StatusCode)
	}
	if page := screener.get(path); !strings.Contains(page.body, "已开始研判，请在时限内作出决定") {
		t.Errorf("no flash after starting screening")
	}
	if r := screener.postForm(path+"/accept", url.Values{"version": {"2"}}); r.StatusCode != 303 {
		t.Fatalf("accept: %d %s", r.StatusCode, r.body)
	}
	page := screener.get(path)
	if !strings.Contains(page.body, "线索已转立项，已生成项目并进入策划包装") || strings.Contains(page.body, "修改成功") {
		t.Errorf("the flash after accepting does not say what happened")
	}
	if !regexp.MustCompile(`<a href="/projects/\d+" id="lead-project">碳纤维复合材料</a>`).MatchString(page.body) {
		t.Errorf("the lead does not name the project it became")
	}
	if mine := a.as(xinlu.RoleMember).get("/leads/mine"); !strings.Contains(mine.body, "已立项：碳纤维复合材料") {
		t.Errorf("my leads do not name the project")
	}
}

// TestLeadDecisionKeepsTypedReason: a refused decision shows its reason
// again, as typed, with the error at the field, in that form only.
func TestLeadDecisionKeepsTypedReason(t *testing.T) {
	a := newApp(t)
	r := a.as(xinlu.RoleMember).postForm("/leads", reportLeadForm("理由保留科技有限公司"))
	path := leadPathRE.FindString(r.Header.Get("Location"))
	screener := a.as(xinlu.RoleScreener)
	if r := screener.postForm(path+"/start-screening", url.Values{"version": {"1"}}); r.StatusCode != 303 {
		t.Fatalf("start: %d", r.StatusCode)
	}
	long := strings.Repeat("需要补充用地、能耗和投资来源的说明。", 40)
	r = screener.postForm(path+"/request-info", url.Values{"version": {"2"}, "reason": {long}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a reason too long: %d", r.StatusCode)
	}
	if !strings.Contains(r.body, `aria-invalid="true" aria-describedby="err-reason">`+long+`</textarea>`) || strings.Count(r.body, long) != 1 {
		t.Errorf("the reason is not kept in its own form, marked")
	}
}
