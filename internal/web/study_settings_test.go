package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// TestStudySettingsAndThresholds: the settings page is for the
// organisation office, the appraisal office and the director, in the menu
// for them; the reviewer's copying report marks matches by the zone's
// thresholds.
func TestStudySettingsAndThresholds(t *testing.T) {
	a := newApp(t)
	for _, role := range xinlu.Roles {
		u := a.users[role]
		c := a.as(role)
		may := xinlu.CheckStudySettingsEdit(u) == nil
		res := c.get("/study/settings")
		if may != (res.StatusCode == 200) || (!may && res.StatusCode != 403) {
			t.Errorf("%s opens the study settings: %d", role, res.StatusCode)
		}
		if m := menuLinks(t, c); m["/study/settings"] != may {
			t.Errorf("%s's menu has the study settings: %v", role, m["/study/settings"])
		}
		if !may {
			if res := c.postForm("/study/settings", url.Values{"version": {"1"}, "warn_percent": {"10"}, "flag_percent": {"20"}, "excellent_points": {"1"}}); res.StatusCode != 403 {
				t.Errorf("%s saves the study settings: %d", role, res.StatusCode)
			}
		}
	}

	office, head, planner, member := a.as(xinlu.RoleDiscipline), a.as(xinlu.RoleHead), a.as(xinlu.RolePlanner), a.as(xinlu.RoleMember)
	id := openZoneCampaign(t, office, "40")
	// The planner writes; the member repeats the planner's text and adds as much of their own.
	plannerText := "我深刻认识到开发区改革的紧迫性，必须把招商引资作为第一要务，敢闯敢试，主动服务企业，把每一个项目都盯到落地投产为止。"
	own := "我所在的综合部门要改进作风，压缩公文会议，把更多时间用在基层一线，帮助项目单位协调水电路气，做到有求必应、无事不扰、服务到位。"
	for _, w := range []struct {
		c    *client
		text string
	}{{planner, plannerText}, {member, plannerText + own}} {
		path := "/study/campaigns/" + id + "/write"
		if res := w.c.postForm(path, url.Values{"csrf": {w.c.csrfToken(path)}, "version": {"0"}, "body": {w.text}, "submit": {"1"}}); res.StatusCode != 303 {
			t.Fatalf("submit: %d %s", res.StatusCode, firstError(res.body))
		}
	}
	list := head.get("/study/campaigns/" + id).body
	var reflection string
	for _, m := range regexp.MustCompile(`<a href="(/study/reflections/\d+)">([^<]+)</a>`).FindAllStringSubmatch(list, -1) {
		if m[2] == a.users[xinlu.RoleMember].Name {
			reflection = m[1]
		}
	}
	if reflection == "" {
		t.Fatalf("the member's reflection is not listed:\n%s", list)
	}
	page := head.get(reflection).body
	if !strings.Contains(page, `id="level-0"`) || !strings.Contains(page, "重合较多") || strings.Contains(page, `id="similar-flag"`) ||
		!strings.Contains(page, "重合 30% 以上提示，60% 以上标为疑似抄袭") {
		t.Fatalf("at the default thresholds:\n%s", between(page, `id="similar-summary"`, "</section>"))
	}
	// The office lowers the flag threshold: the same match is marked as copied.
	csrf := office.csrfToken("/study/settings")
	if res := office.postForm("/study/settings", url.Values{"csrf": {csrf}, "version": {"1"}, "warn_percent": {"20"}, "flag_percent": {"40"},
		"excellent_points": {"2"}}); res.StatusCode != 303 {
		t.Fatalf("save: %d %s", res.StatusCode, firstError(res.body))
	}
	page = head.get(reflection).body
	if !strings.Contains(page, `id="similar-flag"`) || !strings.Contains(page, "疑似抄袭") || !strings.Contains(page, "重合 20% 以上提示，40% 以上标为疑似抄袭") {
		t.Fatalf("at the lowered thresholds:\n%s", between(page, `id="similar-summary"`, "</section>"))
	}
	// In English too.
	head.lang = "en"
	if page := head.get(reflection).body; !strings.Contains(page, "Suspected copying") {
		t.Error("no English mark")
	}
}
