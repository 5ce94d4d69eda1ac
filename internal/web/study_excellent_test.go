package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// TestPickExcellentOnTheCampaignPage: the organisation office picks an
// accepted reflection of the demo's closed campaign as excellent from the
// campaign's list, and takes it back.
func TestPickExcellentOnTheCampaignPage(t *testing.T) {
	a := newDemoApp(t)
	office := a.as(xinlu.RoleDiscipline)
	list := office.get("/study/campaigns")
	m := regexp.MustCompile(`href="/study/campaigns/(\d+)"`).FindAllStringSubmatch(list.body, -1)
	if len(m) == 0 {
		t.Fatalf("no campaigns:\n%s", list.body)
	}
	var page, pick string
	for _, c := range m {
		page = office.get("/study/campaigns/" + c[1]).body
		if f := regexp.MustCompile(`<form method="post" action="(/study/reflections/\d+/excellent)" class="inline"><input type="hidden" name="csrf" value="[^"]*"><input type="hidden" name="version" value="(\d+)">`).FindStringSubmatch(page); f != nil {
			pick = f[1]
			r := office.postForm(pick, url.Values{"version": {f[2]}})
			if r.StatusCode != 303 {
				t.Fatalf("pick: %d %s", r.StatusCode, firstError(r.body))
			}
			after := office.get(r.Header.Get("Location"))
			id := strings.TrimSuffix(strings.TrimPrefix(pick, "/study/reflections/"), "/excellent")
			if !strings.Contains(after.body, `id="excellent-`+id+`"`) || !strings.Contains(after.body, "已评为优秀心得") ||
				!strings.Contains(after.body, `action="/study/reflections/`+id+`/ordinary"`) {
				t.Fatalf("after the pick:\n%s", after.body)
			}
			break
		}
	}
	if pick == "" {
		t.Fatal("the office is offered no pick on any campaign")
	}
	if r := a.as(xinlu.RoleMember).postForm(pick, url.Values{"version": {"1"}}); r.StatusCode != 403 && r.StatusCode != 404 {
		t.Errorf("a member picks: %d", r.StatusCode)
	}
}
