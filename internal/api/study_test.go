package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/xinlu"
)

func TestStudyAPI(t *testing.T) {
	e := newLeadEnv(t)
	ctx := context.Background()
	office := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "OF1", Name: "组织部王"}
	peer := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "PE1", Name: "李小明"}
	for _, m := range []*xinlu.Member{office, peer} {
		if err := e.st.CreateMember(ctx, xinlu.SystemActor(e.zone.ID), m); err != nil {
			t.Fatal(err)
		}
	}
	e.user(e.zone.ID, "office", xinlu.RoleDiscipline, office.ID)
	e.user(e.zone.ID, "peer", xinlu.RoleMember, peer.ID)
	off, member, peerTok, head, admin := e.login("office"), e.login("member"), e.login("peer"), e.login("head"), e.login("admin")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	var rec struct {
		ID      int64
		Status  string
		Version int
		Late    bool
	}
	decodeRec := func(out string) {
		t.Helper()
		rec.ID, rec.Status, rec.Version = 0, "", 0
		if err := json.Unmarshal([]byte(out), &rec); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}

	// Creating: the office only; every bad field in one answer.
	if status, _ := e.call(member, "POST", "/study/campaigns", `{"campaign_title":"甲"}`); status != 403 {
		t.Fatalf("member creates: %d", status)
	}
	status, out := e.call(off, "POST", "/study/campaigns", `{"audience":"members","opens_on":"2026-13-01"}`)
	var env struct {
		Error struct {
			Errors []struct{ Field string }
		}
	}
	if json.Unmarshal([]byte(out), &env); status != 422 || len(env.Error.Errors) != 4 {
		t.Fatalf("bad campaign: %d %s", status, out)
	}
	material := "解放思想是推动开发区改革的总开关。只有把思想从条条框框中解放出来，才能在招商引资、项目建设和营商环境上闯出新路子。"
	status, out = e.call(off, "POST", "/study/campaigns", `{"campaign_title":"学习改革讲话","source_text":"`+material+`","audience":"zone",
		"opens_on":"2026-01-05","closes_on":"2099-12-31","min_length":40,"graded":true}`)
	decodeRec(out)
	if status != 201 || rec.Status != "draft" {
		t.Fatalf("create: %d %s", status, out)
	}
	cid := rec.ID
	if status, _ := e.call(member, "GET", "/study/campaigns/"+id(cid), ""); status != 404 {
		t.Fatalf("member reads a draft: %d", status)
	}
	status, out = e.call(off, "PUT", "/study/campaigns/"+id(cid), `{"version":1,"theme":"解放思想大讨论"}`)
	decodeRec(out)
	if status != 200 || rec.Version != 2 {
		t.Fatalf("update: %d %s", status, out)
	}
	if status, out = e.call(off, "POST", "/study/campaigns/"+id(cid)+"/open", `{"version":2}`); status != 200 || !strings.Contains(out, `"status":"open"`) {
		t.Fatalf("open: %d %s", status, out)
	}
	if status, out = e.call(member, "GET", "/study/campaigns", ""); status != 200 || !strings.Contains(out, `"total":1`) {
		t.Fatalf("member's list: %d %s", status, out)
	}

	// The peer copies the material; the member copies the peer.
	text := material + "我要结合本职工作，主动走出去招商。"
	status, out = e.call(peerTok, "POST", "/study/campaigns/"+id(cid)+"/reflections", `{"body":"`+text+`"}`)
	decodeRec(out)
	if status != 201 {
		t.Fatalf("peer's draft: %d %s", status, out)
	}
	if status, out = e.call(peerTok, "POST", "/study/reflections/"+id(rec.ID)+"/submit", `{"version":1}`); status != 200 {
		t.Fatalf("peer submits: %d %s", status, out)
	}
	status, out = e.call(member, "POST", "/study/campaigns/"+id(cid)+"/reflections", `{"body":"太短了"}`)
	decodeRec(out)
	mine := rec.ID
	if status, out = e.call(member, "POST", "/study/reflections/"+id(mine)+"/submit", `{"version":1}`); status != 422 || !strings.Contains(out, "study.reflection_short") {
		t.Fatalf("short submission: %d %s", status, out)
	}
	status, out = e.call(member, "POST", "/study/campaigns/"+id(cid)+"/reflections", `{"version":1,"body":"`+strings.ReplaceAll(text, "，", ",")+`"}`)
	decodeRec(out)
	if status != 200 || rec.Version != 2 {
		t.Fatalf("save: %d %s", status, out)
	}
	if status, out = e.call(member, "POST", "/study/reflections/"+id(mine)+"/submit", `{"version":2}`); status != 200 || !strings.Contains(out, `"status":"submitted"`) {
		t.Fatalf("submit: %d %s", status, out)
	}

	// The head sees the copying report; the author does not; an admin has no say.
	status, out = e.call(head, "GET", "/study/reflections/"+id(mine)+"/similar", "")
	var sim struct {
		Items []struct {
			Kind     string
			Label    string
			Percent  int
			Passages [][2]int
		}
	}
	if json.Unmarshal([]byte(out), &sim); status != 200 || len(sim.Items) != 2 || sim.Items[0].Label != "李小明" || sim.Items[0].Percent != 100 ||
		sim.Items[1].Kind != "source" || sim.Items[1].Percent < 60 || len(sim.Items[1].Passages) != 1 {
		t.Fatalf("similar: %d %s", status, out)
	}
	if status, _ := e.call(member, "GET", "/study/reflections/"+id(mine)+"/similar", ""); status != 403 {
		t.Fatalf("author's report: %d", status)
	}
	if status, _ := e.call(admin, "GET", "/study/reflections/"+id(mine)+"/similar", ""); status != 404 {
		t.Fatalf("admin's report: %d", status)
	}
	// The author cannot review; the head returns, the member resubmits, the head accepts.
	if status, _ := e.call(member, "POST", "/study/reflections/"+id(mine)+"/accept", `{"version":3,"review_grade":"good"}`); status != 403 {
		t.Fatalf("author accepts: %d", status)
	}
	if status, out = e.call(head, "POST", "/study/reflections/"+id(mine)+"/return", `{"version":3,"comment":"与他人重合过多，请重写"}`); status != 200 {
		t.Fatalf("return: %d %s", status, out)
	}
	rewrite := "我所在的招商局负责企业服务，过去一件事要跑好几个窗口。今后要并联审批，把服务做细，让投资者感受到效率。"
	if status, out = e.call(member, "POST", "/study/campaigns/"+id(cid)+"/reflections", `{"version":4,"body":"`+rewrite+`"}`); status != 200 {
		t.Fatalf("rewrite: %d %s", status, out)
	}
	if status, out = e.call(member, "POST", "/study/reflections/"+id(mine)+"/submit", `{"version":5}`); status != 200 || !strings.Contains(out, `"resubmitted"`) {
		t.Fatalf("resubmit: %d %s", status, out)
	}
	if status, out = e.call(head, "POST", "/study/reflections/"+id(mine)+"/accept", `{"version":6}`); status != 422 || !strings.Contains(out, "review_grade") {
		t.Fatalf("accept without grade: %d %s", status, out)
	}
	if status, out = e.call(head, "POST", "/study/reflections/"+id(mine)+"/accept", `{"version":6,"review_grade":"good"}`); status != 200 || !strings.Contains(out, `"accepted"`) {
		t.Fatalf("accept: %d %s", status, out)
	}

	// Completion: the office and the head see it, the member not.
	status, out = e.call(off, "GET", "/study/campaigns/"+id(cid)+"/completion", "")
	var comp struct {
		Total struct{ Asked, Accepted, Pending, Missing int }
	}
	if json.Unmarshal([]byte(out), &comp); status != 200 || comp.Total.Accepted != 1 || comp.Total.Pending != 1 || comp.Total.Asked != 5 {
		t.Fatalf("completion: %d %s", status, out)
	}
	if status, _ := e.call(head, "GET", "/study/campaigns/"+id(cid)+"/completion", ""); status != 200 {
		t.Fatalf("head's completion: %d", status)
	}
	if status, _ := e.call(member, "GET", "/study/campaigns/"+id(cid)+"/completion", ""); status != 403 {
		t.Fatalf("member's completion: %d", status)
	}
	if status, _ := e.call(off, "POST", "/study/campaigns/"+id(cid)+"/publish", `{"version":3}`); status != 404 {
		t.Fatalf("unknown action: %d", status)
	}
}

func TestStudyRoutesInOpenAPI(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if !strings.HasPrefix(rt.Pattern, "/study/") {
			continue
		}
		n++
		if d.Paths[rt.Pattern][strings.ToLower(rt.Method)] == nil {
			t.Errorf("%s %s is not documented", rt.Method, rt.Pattern)
		}
	}
	if n != 23 {
		t.Errorf("%d study routes", n)
	}
}
