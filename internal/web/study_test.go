package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

const studyMaterialText = "解放思想是推动开发区改革的总开关。只有把思想从条条框框中解放出来，才能在招商引资、项目建设和营商环境上闯出新路子。"

func TestStudyPagesJourney(t *testing.T) {
	a := newApp(t)
	office, member, head, planner := a.as(xinlu.RoleDiscipline), a.as(xinlu.RoleMember), a.as(xinlu.RoleHead), a.as(xinlu.RolePlanner)

	// Menus: every member has 我的心得; the office and heads 学习活动.
	if m := menuLinks(t, member); !m["/study/mine"] || m["/study/campaigns"] {
		t.Fatalf("member's menu: %v", m)
	}
	if m := menuLinks(t, office); !m["/study/campaigns"] {
		t.Fatalf("office's menu lacks the campaigns")
	}
	if m := menuLinks(t, head); !m["/study/campaigns"] {
		t.Fatalf("head's menu lacks the campaigns")
	}
	if m := menuLinks(t, a.as(xinlu.RoleAuditAdmin)); m["/study/mine"] || m["/study/campaigns"] {
		t.Fatalf("audit admin's menu: %v", m)
	}

	// The form: every error at once beside its field, typed text kept.
	csrf := office.csrfToken("/study/campaigns/new")
	res := office.postForm("/study/campaigns", url.Values{"csrf": {csrf}, "campaign_title": {""}, "theme": {"解放思想大讨论"},
		"audience": {"departments"}, "opens_on": {"2026-12-01"}, "closes_on": {"2026-11-01"}, "min_length": {"八百"}})
	if res.StatusCode != 422 {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	for _, f := range []string{"campaign_title", "department_ids", "closes_on", "min_length"} {
		if !strings.Contains(res.body, `id="err-`+f+`"`) {
			t.Errorf("no error beside %s", f)
		}
	}
	if !strings.Contains(res.body, "解放思想大讨论</textarea>") || !strings.Contains(res.body, `value="八百"`) {
		t.Errorf("typed input lost")
	}
	res = office.postForm("/study/campaigns", url.Values{"csrf": {csrf}, "campaign_title": {"学习改革讲话"}, "source_text": {studyMaterialText},
		"audience": {"zone"}, "opens_on": {"2026-01-05"}, "closes_on": {"2099-12-31"}, "min_length": {"40"}, "graded": {"1"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "/study/campaigns/") {
		t.Fatalf("create: %d %s", res.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/study/campaigns/")
	if res := office.postForm("/study/campaigns/"+id+"/open", url.Values{"csrf": {csrf}, "version": {"1"}}); res.StatusCode != 303 {
		t.Fatalf("open: %d", res.StatusCode)
	}

	// The planner copies the material; the member copies the planner.
	text := studyMaterialText + "我要结合本职工作，主动走出去招商。"
	pcsrf := planner.csrfToken("/study/campaigns/" + id + "/write")
	if res := planner.postForm("/study/campaigns/"+id+"/write", url.Values{"csrf": {pcsrf}, "version": {"0"}, "body": {text}, "submit": {"1"}}); res.StatusCode != 303 {
		t.Fatalf("planner submits: %d %s", res.StatusCode, res.body)
	}
	mcsrf := member.csrfToken("/study/campaigns/" + id + "/write")
	// Autosave answers JSON with the new version.
	res = member.postForm("/study/campaigns/"+id+"/draft", url.Values{"csrf": {mcsrf}, "version": {"0"}, "body": {"草稿"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, `"version":1`) {
		t.Fatalf("autosave: %d %s", res.StatusCode, res.body)
	}
	// Too short to submit: the editor comes back with the text as typed.
	res = member.postForm("/study/campaigns/"+id+"/write", url.Values{"csrf": {mcsrf}, "version": {"1"}, "body": {"还太短的心得"}, "submit": {"1"}})
	if res.StatusCode != 422 || !strings.Contains(res.body, "还太短的心得</textarea>") || !strings.Contains(res.body, `id="err-body"`) {
		t.Fatalf("short submission: %d", res.StatusCode)
	}
	if res := member.postForm("/study/campaigns/"+id+"/write", url.Values{"csrf": {mcsrf}, "version": {"2"}, "body": {text}, "submit": {"1"}}); res.StatusCode != 303 {
		t.Fatalf("member submits: %d %s", res.StatusCode, res.body)
	}
	page := member.get("/study/mine").body
	if !strings.Contains(page, "学习改革讲话") || !strings.Contains(page, "已提交") {
		t.Fatalf("my reflections page")
	}

	// The head reads the copying report before deciding.
	camp := head.get("/study/campaigns/" + id).body
	m := regexp.MustCompile(`/study/reflections/(\d+)">测试member<`).FindStringSubmatch(camp)
	if m == nil {
		t.Fatalf("the head's list lacks the member's reflection")
	}
	rpage := head.get("/study/reflections/" + m[1]).body
	if !strings.Contains(rpage, "与测试planner的心得重合 100%") || !strings.Contains(rpage, "与学习材料原文重合") || !strings.Contains(rpage, "<mark>") {
		t.Fatalf("copying report missing: %s", rpage[strings.Index(rpage, "<main"):])
	}
	hcsrf := head.csrfToken("/study/reflections/" + m[1])
	res = head.postForm("/study/reflections/"+m[1]+"/return", url.Values{"csrf": {hcsrf}, "version": {"4"}, "comment": {""}})
	if res.StatusCode != 422 || !strings.Contains(res.body, `id="err-comment"`) {
		t.Fatalf("return without a comment: %d", res.StatusCode)
	}
	if res := head.postForm("/study/reflections/"+m[1]+"/return", url.Values{"csrf": {hcsrf}, "version": {"4"}, "comment": {"请结合本职工作重写"}}); res.StatusCode != 303 {
		t.Fatalf("return: %d", res.StatusCode)
	}
	// The author never sees the report.
	if body := member.get("/study/reflections/" + m[1]).body; strings.Contains(body, "similar-summary") || !strings.Contains(body, "请结合本职工作重写") {
		t.Fatalf("the author's view of the returned reflection")
	}
	// Completion and its Excel for the office.
	if res := office.get("/study/campaigns/" + id + "/completion.xlsx"); res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheet") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res := member.get("/study/campaigns/" + id + "/completion.xlsx"); res.StatusCode != 403 {
		t.Fatalf("member's export: %d", res.StatusCode)
	}
}

func init() {
	formCases = append(formCases, formCase{
		name: "study campaign", role: xinlu.RoleDiscipline,
		open: func(t *testing.T, a *app) (string, string, func() string) {
			u := a.users[xinlu.RoleDiscipline]
			c, err := a.store.SaveCampaign(context.Background(), xinlu.ActorOf(u, ""), u, &xinlu.Campaign{Title: "表单学习活动",
				Theme: "解放思想", SourceText: studyMaterialText, Audience: xinlu.AudienceDepartments, DepartmentIDs: []int64{a.dept.ID},
				ReviewerIDs: []int64{a.users[xinlu.RoleHead].MemberID}, OpensOn: "2026-12-01", ClosesOn: "2026-12-15", Graded: true}, 0)
			if err != nil {
				t.Fatal(err)
			}
			id := strconvFormat(c.ID)
			return "/study/campaigns/" + id + "/edit", "/study/campaigns/" + id, func() string {
				got, err := a.store.Campaign(context.Background(), u, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprintf("%+v", *got)
			}
		},
		typed: map[string]string{"theme": "解放思想大讨论"},
		bad:   map[string]string{"campaign_title": "", "closes_on": "2026-11-30", "min_length": "八百"},
	})
}
