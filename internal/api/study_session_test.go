package api_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

func TestStudySessionsAPI(t *testing.T) {
	e := newLeadEnv(t)
	e.user(e.zone.ID, "office", xinlu.RoleDiscipline, 0)
	off, head, member, admin := e.login("office"), e.login("head"), e.login("member"), e.login("admin")
	cid := openStudyCampaign(t, e, off)
	_, out := e.call(off, "GET", "/study/campaigns/"+cid+"/completion", "")
	var comp struct {
		Members []struct {
			MemberID int64 `json:"member_id"`
			Name     string
		}
	}
	json.Unmarshal([]byte(out), &comp)
	ids := map[string]int64{}
	for _, m := range comp.Members {
		ids[m.Name] = m.MemberID
	}
	headID, screenerID := ids["成员head"], ids["成员screener"]
	if headID == 0 || screenerID == 0 {
		t.Fatalf("audience: %s", out)
	}
	path := "/study/campaigns/" + cid + "/sessions"
	body := fmt.Sprintf(`{"department_id":%d,"held_on":"2026-12-09","place":"三楼会议室","chair_id":%d,"minutes":"围绕解放思想谈体会。",
		"speaker_ids":[%d],"attendance":[{"member_id":%d,"status":"present"},{"member_id":%d,"status":"leave","reason":"出差"}]}`,
		e.dept.ID, headID, headID, headID, screenerID)

	// Every bad field in one answer.
	status, out := e.call(head, "POST", path, fmt.Sprintf(`{"department_id":%d,"held_on":"12/09","attendance":[{"member_id":%d,"status":"leave"}]}`, e.dept.ID, screenerID))
	var env struct {
		Error struct {
			Errors []struct{ Field string }
		}
	}
	if json.Unmarshal([]byte(out), &env); status != 422 || len(env.Error.Errors) != 4 {
		t.Fatalf("bad session: %d %s", status, out)
	}
	for who, tok := range map[string]string{"member": member, "admin": admin} {
		if status, _ := e.call(tok, "POST", path, body); status != 403 && status != 404 {
			t.Errorf("%s records: %d", who, status)
		}
	}
	status, out = e.call(head, "POST", path, body)
	var ss struct {
		ID      int64
		Version int
		Present int
		Leave   int
		Absent  int
	}
	json.Unmarshal([]byte(out), &ss)
	if status != 201 || ss.Present != 1 || ss.Leave != 1 || ss.Absent < 1 {
		t.Fatalf("record: %d %s", status, out)
	}
	if status, out := e.call(member, "GET", path, ""); status != 200 || !strings.Contains(out, `"total":1`) || !strings.Contains(out, "出差") {
		t.Fatalf("member's list: %d %s", status, out)
	}
	one := "/study/sessions/" + strconv.FormatInt(ss.ID, 10)
	if status, _ := e.call(off, "PUT", one, `{"version":7,"place":"党员活动室"}`); status != 409 {
		t.Fatalf("stale: %d", status)
	}
	if status, _ := e.call(member, "PUT", one, `{"version":1,"place":"党员活动室"}`); status != 403 {
		t.Fatalf("member changes: %d", status)
	}
	status, out = e.call(off, "PUT", one, `{"version":1,"place":"党员活动室"}`)
	if status != 200 || !strings.Contains(out, `"place":"党员活动室"`) || !strings.Contains(out, `"version":2`) || !strings.Contains(out, "出差") {
		t.Fatalf("change: %d %s", status, out)
	}
	if status, _ := e.call(off, "GET", one, ""); status != 200 {
		t.Fatalf("get: %d", status)
	}
	if status, _ := e.call(member, "DELETE", one, ""); status != 403 {
		t.Fatalf("member deletes: %d", status)
	}
	if status, _ := e.call(head, "DELETE", one, ""); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := e.call(off, "GET", one, ""); status != 404 {
		t.Fatalf("deleted: %d", status)
	}
}
