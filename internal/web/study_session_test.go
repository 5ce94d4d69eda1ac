package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// sessionForm fills the session form for every member row of page:
// present and not speaking unless set says otherwise.
func sessionForm(page string, set map[string]string) url.Values {
	v := url.Values{}
	for _, m := range regexp.MustCompile(`name="member_ids" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		v.Add("member_ids", m[1])
		v.Set("attendance_"+m[1], "present")
	}
	for _, f := range []string{"csrf", "version", "department_id"} {
		if m := regexp.MustCompile(`name="` + f + `" value="([^"]*)"`).FindStringSubmatch(page); m != nil {
			v.Set(f, m[1])
		}
	}
	for k, x := range set {
		if k == "speaker_ids" {
			v.Add(k, x)
			continue
		}
		v.Set(k, x)
	}
	return v
}

func TestStudySessionPages(t *testing.T) {
	a := newApp(t)
	office, head, member := a.as(xinlu.RoleDiscipline), a.as(xinlu.RoleHead), a.as(xinlu.RoleMember)
	id := openZoneCampaign(t, office, "40")
	campaign := "/study/campaigns/" + id
	if strings.Contains(member.get(campaign).body, `id="session-new"`) {
		t.Error("a member is offered to record a session")
	}
	if !strings.Contains(head.get(campaign).body, `id="session-new"`) {
		t.Fatal("the head is not offered to record a session")
	}
	// The office picks the department first; the head records their own.
	pick := office.get(campaign + "/sessions/new").body
	if !strings.Contains(pick, `id="department-form"`) || !strings.Contains(pick, a.dept.Name) {
		t.Fatalf("the office's department picker:\n%s", pick)
	}
	if page := office.get(campaign + "/sessions/new?department_id=" + fmt.Sprint(a.dept.ID)).body; !strings.Contains(page, `id="session-form"`) {
		t.Fatal("the office's form after the pick")
	}
	form := head.get(campaign + "/sessions/new").body
	if !strings.Contains(form, `id="session-form"`) {
		t.Fatalf("the head's form:\n%s", form)
	}
	memberID := fmt.Sprint(a.users[xinlu.RoleMember].MemberID)
	headID := fmt.Sprint(a.users[xinlu.RoleHead].MemberID)
	if !strings.Contains(form, `name="member_ids" value="`+memberID+`"`) {
		t.Fatal("the member has no attendance row")
	}

	// Every error at once beside its field; what was typed is kept.
	bad := sessionForm(form, map[string]string{"held_on": "2026-12-09", "place": "", "minutes": "围绕解放思想谈体会。",
		"attendance_" + memberID: "leave", "speaker_ids": memberID})
	res := head.postForm(campaign+"/sessions", bad)
	if res.StatusCode != 422 {
		t.Fatalf("bad session: %d", res.StatusCode)
	}
	for _, f := range []string{"place", "chair_id", "reason_" + memberID, "speaker_ids"} {
		if !strings.Contains(res.body, `id="err-`+f+`"`) {
			t.Errorf("no error beside %s", f)
		}
	}
	if !strings.Contains(res.body, "围绕解放思想谈体会。</textarea>") || !strings.Contains(res.body, `value="2026-12-09"`) ||
		!regexp.MustCompile(`name="attendance_`+memberID+`" value="leave" checked`).MatchString(res.body) {
		t.Error("typed input lost")
	}
	good := sessionForm(form, map[string]string{"held_on": "2026-12-09", "place": "三楼会议室", "chair_id": headID, "minutes": "围绕解放思想谈体会。",
		"attendance_" + memberID: "leave", "reason_" + memberID: "出差", "speaker_ids": headID})
	res = head.postForm(campaign+"/sessions", good)
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/study/sessions/") {
		t.Fatalf("record: %d %s", res.StatusCode, firstError(res.body))
	}
	show := res.Header.Get("Location")
	sid, _ := strconv.ParseInt(strings.TrimPrefix(show, "/study/sessions/"), 10, 64)

	// An unchanged save writes nothing.
	page := head.get(show).body
	res = head.postForm(show, sessionForm(page, map[string]string{"held_on": "2026-12-09", "place": "三楼会议室", "chair_id": headID,
		"minutes": "围绕解放思想谈体会。", "attendance_" + memberID: "leave", "reason_" + memberID: "出差", "speaker_ids": headID}))
	if res.StatusCode != 303 {
		t.Fatalf("unchanged save: %d %s", res.StatusCode, firstError(res.body))
	}
	ss, _, err := a.store.StudySession(context.Background(), a.users[xinlu.RoleHead], sid)
	if err != nil || ss.Version != 1 || ss.Count(xinlu.AttendLeave) != 1 {
		t.Fatalf("stored: %+v %v", ss, err)
	}

	// The member reads it; may not change it.
	view := member.get(show)
	if view.StatusCode != 200 || strings.Contains(view.body, `id="session-form"`) || !strings.Contains(view.body, "出差") {
		t.Fatalf("member's view: %d", view.StatusCode)
	}
	if res := member.postForm(show, url.Values{"csrf": {member.csrfToken(show)}, "version": {"1"}, "place": {"x"}}); res.StatusCode != 403 {
		t.Fatalf("member changes: %d", res.StatusCode)
	}
	// Listed on the campaign page, and the register exports.
	if !strings.Contains(office.get(campaign).body, `id="session-`+fmt.Sprint(sid)+`"`) {
		t.Error("the session is not listed")
	}
	if x := office.get(campaign + "/sessions.xlsx"); x.StatusCode != 200 || !strings.HasPrefix(x.body, "PK") {
		t.Fatalf("register: %d", x.StatusCode)
	}

	// A session recorded by mistake: the member may not delete it; the head may.
	if res := member.postForm(show+"/delete", url.Values{"csrf": {member.csrfToken(show)}}); res.StatusCode != 403 {
		t.Fatalf("member deletes: %d", res.StatusCode)
	}
	if !strings.Contains(head.get(show).body, `id="delete-session"`) {
		t.Fatal("the head is not offered to delete")
	}
	if res := head.postForm(show+"/delete", url.Values{"csrf": {head.csrfToken(show)}}); res.StatusCode != 303 || res.Header.Get("Location") != campaign+"#sessions" {
		t.Fatalf("delete: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := head.get(show); res.StatusCode != 404 {
		t.Fatalf("deleted session: %d", res.StatusCode)
	}

	// Every role: the form is for those who may record.
	c, err := a.store.Campaign(context.Background(), a.users[xinlu.RoleDiscipline], ss.CampaignID)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range xinlu.Roles {
		u := *a.users[role]
		if u.MemberID != 0 {
			u.DepartmentID = a.dept.ID // the fixture's members are all of its department
		}
		res := a.as(role).get(campaign + "/sessions/new")
		may := xinlu.CheckSessionEdit(&u, c, u.DepartmentID) == nil
		if may != (res.StatusCode == 200) || (!may && res.StatusCode != 403 && res.StatusCode != 404) {
			t.Errorf("%s opens the session form: %d", role, res.StatusCode)
		}
		x := a.as(role).get(campaign + "/sessions.xlsx")
		sees := u.Can(xinlu.PermStudyManage) || u.MemberID != 0 || u.Can(xinlu.PermStudyReview)
		if sees != (x.StatusCode == 200) {
			t.Errorf("%s exports the register: %d", role, x.StatusCode)
		}
	}
}
