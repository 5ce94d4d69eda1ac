package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/docx"
	"xinlu/internal/xinlu"
)

func apiDocx(t *testing.T, paras ...string) string {
	t.Helper()
	d := &docx.Document{Title: "心得"}
	for _, p := range paras {
		d.Blocks = append(d.Blocks, docx.Block{Text: p})
	}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// openStudyCampaign creates and opens a campaign asking the whole zone as
// the office and answers its id.
func openStudyCampaign(t *testing.T, e *teamParkEnv, off string) string {
	t.Helper()
	status, out := e.call(off, "POST", "/study/campaigns", `{"campaign_title":"学习全会精神","theme":"解放思想","audience":"zone",
		"opens_on":"2026-01-05","closes_on":"2099-12-31","min_length":20}`)
	var c struct{ ID int64 }
	json.Unmarshal([]byte(out), &c)
	if status != 201 {
		t.Fatalf("create: %d %s", status, out)
	}
	id := strconv.FormatInt(c.ID, 10)
	if status, out := e.call(off, "POST", "/study/campaigns/"+id+"/open", `{"version":1}`); status != 200 {
		t.Fatalf("open: %d %s", status, out)
	}
	return id
}

func TestStudyFilesAPI(t *testing.T) {
	e := newLeadEnv(t)
	e.user(e.zone.ID, "office", xinlu.RoleDiscipline, 0)
	off, member, screener := e.login("office"), e.login("member"), e.login("screener")
	cid := openStudyCampaign(t, e, off)
	speech := "营商环境就是生产力。开发区要把审批时限压到最短，把服务企业的链条拉到最长。"

	// Materials: the office's; a workbook refused; not multipart refused.
	if status, _ := apiUpload(t, e, member, "/study/campaigns/"+cid+"/materials", [3]string{"file", "讲话.docx", apiDocx(t, speech)}); status != 403 {
		t.Fatalf("member adds material: %d", status)
	}
	if status, out := apiUpload(t, e, off, "/study/campaigns/"+cid+"/materials", [3]string{"file", "台账.xlsx", apiXLSX(t)}); status != 422 || !strings.Contains(out, "study.file_type") {
		t.Fatalf("workbook: %d %s", status, out)
	}
	if status, out := e.call(off, "POST", "/study/campaigns/"+cid+"/materials", `{"file":"x"}`); status != 422 || !strings.Contains(out, "multipart") {
		t.Fatalf("json body: %d %s", status, out)
	}
	status, out := apiUpload(t, e, off, "/study/campaigns/"+cid+"/materials", [3]string{"file", "讲话.docx", apiDocx(t, speech)})
	var mat struct {
		ID         int64
		TextLength int `json:"text_length"`
	}
	json.Unmarshal([]byte(out), &mat)
	if status != 201 || mat.TextLength == 0 {
		t.Fatalf("material: %d %s", status, out)
	}
	if status, out := e.call(member, "GET", "/study/campaigns/"+cid+"/materials", ""); status != 200 || !strings.Contains(out, `"total":1`) {
		t.Fatalf("member's materials: %d %s", status, out)
	}

	// The member hands in a Word document.
	doc := apiDocx(t, "学习心得", speech, "我要把服务窗口合并起来，让企业少跑腿。")
	status, out = apiUpload(t, e, member, "/study/campaigns/"+cid+"/reflections/file", [3]string{"file", "心得.docx", doc})
	var up struct {
		Reflection struct {
			ID     int64
			Body   string
			Status string
		}
		File struct {
			ID         int64
			Name       string
			TextLength int `json:"text_length"`
		}
	}
	json.Unmarshal([]byte(out), &up)
	if status != 200 || !strings.Contains(up.Reflection.Body, "让企业少跑腿") || up.File.Name != "心得.docx" || up.Reflection.Status != "draft" {
		t.Fatalf("upload: %d %s", status, out)
	}
	if status, out := e.call(member, "GET", "/study/reflections/"+strconv.FormatInt(up.Reflection.ID, 10), ""); status != 200 ||
		!strings.Contains(out, `"file":{"id":`+strconv.FormatInt(up.File.ID, 10)) {
		t.Fatalf("the reflection names its file: %d %s", status, out)
	}
	file := "/study/files/" + strconv.FormatInt(up.File.ID, 10)
	if status, body := e.call(member, "GET", file, ""); status != 200 || body != doc {
		t.Fatalf("own download: %d", status)
	}
	if status, _ := e.call(screener, "GET", file, ""); status != 404 {
		t.Fatalf("another member downloads a draft's file: %d", status)
	}
	if status, _ := e.call(member, "GET", "/study/files/"+strconv.FormatInt(mat.ID, 10), ""); status != 200 {
		t.Fatalf("material download: %d", status)
	}

	// Deleting a material: the office's.
	del := "/study/campaigns/" + cid + "/materials/" + strconv.FormatInt(mat.ID, 10)
	if status, _ := e.call(member, "DELETE", del, ""); status != 403 {
		t.Fatalf("member deletes: %d", status)
	}
	if status, out := e.call(off, "DELETE", del, ""); status != 204 {
		t.Fatalf("delete: %d %s", status, out)
	}
	if status, _ := e.call(off, "DELETE", del, ""); status != 404 {
		t.Fatalf("deleted twice: %d", status)
	}
}

// A campaign may ask a team: the team's members, and no one else, write.
func TestStudyTeamAudienceAPI(t *testing.T) {
	e := newLeadEnv(t)
	e.user(e.zone.ID, "office", xinlu.RoleDiscipline, 0)
	off, admin, head, screener := e.login("office"), e.login("admin"), e.login("head"), e.login("screener")
	status, out := e.call(admin, "POST", "/teams", `{"kind":"taskforce","name":"招商专班"}`)
	var team struct{ ID int64 }
	json.Unmarshal([]byte(out), &team)
	if status != 201 {
		t.Fatalf("team: %d %s", status, out)
	}
	body := `{"campaign_title":"专班学习","theme":"解放思想","audience":"teams","opens_on":"2026-01-05","closes_on":"2099-12-31","min_length":20`
	if status, out := e.call(off, "POST", "/study/campaigns", body+`}`); status != 422 || !strings.Contains(out, `"field":"team_ids"`) {
		t.Fatalf("no team: %d %s", status, out)
	}
	status, out = e.call(off, "POST", "/study/campaigns", body+`,"team_ids":[`+strconv.FormatInt(team.ID, 10)+`]}`)
	var c struct {
		ID      int64
		TeamIDs []int64 `json:"team_ids"`
	}
	json.Unmarshal([]byte(out), &c)
	if status != 201 || len(c.TeamIDs) != 1 {
		t.Fatalf("create: %d %s", status, out)
	}
	cid := strconv.FormatInt(c.ID, 10)
	if status, out := e.call(off, "POST", "/study/campaigns/"+cid+"/open", `{"version":1}`); status != 200 {
		t.Fatalf("open: %d %s", status, out)
	}
	// Nobody is in the team yet: the head is not asked.
	if status, _ := e.call(head, "POST", "/study/campaigns/"+cid+"/reflections", `{"body":"草稿"}`); status != 404 {
		t.Fatalf("a member outside the team writes: %d", status)
	}
	_, out = e.call(off, "GET", "/study/campaigns/"+cid+"/completion", "")
	if !strings.Contains(out, `"asked":0`) {
		t.Fatalf("completion of an empty team: %s", out)
	}
	// The screener joins the team and is asked from then on.
	sc, err := e.st.UserByUsername(context.Background(), "screener")
	if err != nil {
		t.Fatal(err)
	}
	tp := "/teams/" + strconv.FormatInt(team.ID, 10) + "/members"
	if status, out := e.call(admin, "POST", tp, `{"member_id":`+strconv.FormatInt(sc.MemberID, 10)+`}`); status != 201 && status != 200 {
		t.Fatalf("join: %d %s", status, out)
	}
	if status, out := e.call(screener, "POST", "/study/campaigns/"+cid+"/reflections", `{"body":"草稿"}`); status != 201 {
		t.Fatalf("a team member writes: %d %s", status, out)
	}
	if _, out := e.call(off, "GET", "/study/campaigns/"+cid+"/completion", ""); !strings.Contains(out, `"asked":1`) {
		t.Fatalf("completion of the team: %s", out)
	}
}
