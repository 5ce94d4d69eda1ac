package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/xinlu"
)

var apiPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// apiUpload posts the parts (field name → file name → bytes, in order) as
// multipart/form-data and returns the status and body.
func apiUpload(t *testing.T, e *teamParkEnv, token, path string, parts ...[3]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		w, err := mw.CreateFormFile(p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[2]))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1"+path, &buf)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func apiXLSX(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(p)
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	return buf.String()
}

func TestLeadFilesAPI(t *testing.T) {
	e := newLeadEnv(t)
	ctx := context.Background()
	other := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "LO", Name: "另一成员"}
	if err := e.st.CreateMember(ctx, xinlu.SystemActor(e.zone.ID), other); err != nil {
		t.Fatal(err)
	}
	e.user(e.zone.ID, "other", xinlu.RoleMember, other.ID)
	member, screener, head, peer, admin := e.login("member"), e.login("screener"), e.login("head"), e.login("other"), e.login("admin")
	status, out := e.call(member, "POST", "/leads", `{"company":"山西华晋新材料股份有限公司","project_name":"碳纤维","industry":"materials","contact_phone":"13812345678"}`)
	var lead struct{ ID int64 }
	if status != 201 || json.Unmarshal([]byte(out), &lead) != nil {
		t.Fatalf("create: %d %s", status, out)
	}
	files := "/leads/" + strconv.FormatInt(lead.ID, 10) + "/files"

	status, out = apiUpload(t, e, member, files, [3]string{"file", "../项目 简介.pdf", string(apiPDF)})
	var f api.LeadFileJSON
	if status != 201 || json.Unmarshal([]byte(out), &f) != nil || f.ID == 0 || f.Name != "项目 简介.pdf" || f.ContentType != "application/pdf" ||
		f.Size != int64(len(apiPDF)) || len(f.SHA256) != 64 || f.UploaderName != "测试member" || f.LeadID != lead.ID {
		t.Fatalf("upload: %d %s", status, out)
	}
	if status, out = apiUpload(t, e, screener, files, [3]string{"file", "测算", apiXLSX(t)}); status != 201 || !strings.Contains(out, `"name":"测算.xlsx"`) {
		t.Fatalf("screener uploads: %d %s", status, out)
	}
	// Refusals.
	for _, c := range []struct {
		token string
		parts [][3]string
		want  int
		msg   string
	}{
		{member, [][3]string{{"file", "setup.pdf", "MZ\x90\x00\x03\x00"}}, 422, "仅支持 PDF"},
		{member, [][3]string{{"file", "a.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`}}, 422, "仅支持 PDF"},
		{member, [][3]string{{"file", "empty.pdf", ""}}, 422, "是空文件"},
		{member, [][3]string{{"file", "a.pdf", string(apiPDF)}, {"file", "b.pdf", string(apiPDF)}}, 422, "每次上传一个文件"},
		{member, [][3]string{{"other", "a.pdf", string(apiPDF)}}, 422, "文件不能为空"},
		{head, [][3]string{{"file", "a.pdf", string(apiPDF)}}, 403, ""},
		{peer, [][3]string{{"file", "a.pdf", string(apiPDF)}}, 404, ""},
		{admin, [][3]string{{"file", "a.pdf", string(apiPDF)}}, 403, ""},
	} {
		status, out := apiUpload(t, e, c.token, files, c.parts...)
		if status != c.want || (c.msg != "" && !strings.Contains(out, c.msg)) {
			t.Errorf("%v: %d %s, want %d %s", c.parts[0][1], status, out, c.want, c.msg)
		}
	}
	if status, out := e.call(member, "POST", files, `{"file":"x"}`); status != 422 || !strings.Contains(out, "multipart") {
		t.Errorf("a JSON body: %d %s", status, out)
	}

	// The list, for whoever sees the lead.
	var list struct {
		Items []api.LeadFileJSON
		Total int
	}
	status, out = e.call(head, "GET", files, "")
	if status != 200 || json.Unmarshal([]byte(out), &list) != nil || list.Total != 2 || list.Items[0].ID != f.ID {
		t.Fatalf("list: %d %s", status, out)
	}
	if status, _ := e.call(peer, "GET", files, ""); status != 404 {
		t.Errorf("peer lists: %d", status)
	}

	// The download, with its headers.
	one := files + "/" + strconv.FormatInt(f.ID, 10)
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1"+one, nil)
	req.Header.Set("Authorization", "Bearer "+head)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	h := res.Header
	if res.StatusCode != 200 || !bytes.Equal(body, apiPDF) || h.Get("Content-Type") != "application/pdf" ||
		h.Get("Content-Disposition") != `attachment; filename="attachment.pdf"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%20%E7%AE%80%E4%BB%8B.pdf` ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("download: %d %v", res.StatusCode, h)
	}
	if status, _ := e.call(peer, "GET", one, ""); status != 404 {
		t.Errorf("peer downloads: %d", status)
	}

	// Deletes.
	if status, _ := e.call(head, "DELETE", one, ""); status != 403 {
		t.Errorf("head deletes: %d", status)
	}
	if status, _ := e.call(peer, "DELETE", one, ""); status != 404 {
		t.Errorf("peer deletes: %d", status)
	}
	if status, out := e.call(member, "DELETE", one, ""); status != 204 {
		t.Errorf("the uploader deletes: %d %s", status, out)
	}
	if status, _ := e.call(member, "GET", one, ""); status != 404 {
		t.Errorf("a deleted file: %d", status)
	}
	for action, want := range map[string]int{"lead.file_upload": 2, "lead.file_download": 1, "lead.file_delete": 1} {
		if _, n, _ := e.st.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Entity: "lead", EntityID: lead.ID, Action: action}); n != want {
			t.Errorf("%s: %d audit rows, want %d", action, n, want)
		}
	}
}

func TestLeadRevealAPI(t *testing.T) {
	e := newLeadEnv(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(e.zone.ID)
	fin := &xinlu.Department{ZoneID: e.zone.ID, Code: "FIN", Name: "财政局"}
	if err := e.st.CreateDepartment(ctx, sys, fin); err != nil {
		t.Fatal(err)
	}
	fm := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: fin.ID, StaffNo: "F1", Name: "财政干部"}
	if err := e.st.CreateMember(ctx, sys, fm); err != nil {
		t.Fatal(err)
	}
	e.user(e.zone.ID, "fin", xinlu.RoleMember, fm.ID)
	e.user(e.zone.ID, "appraiser", xinlu.RoleAppraiser, 0)
	member, screener, head, fin2, appraiser := e.login("member"), e.login("screener"), e.login("head"), e.login("fin"), e.login("appraiser")
	report := func(token string) string {
		status, out := e.call(token, "POST", "/leads", `{"company":"某某新材料有限公司","project_name":"碳纤维","industry":"materials","contact_phone":"13812345678"}`)
		var l struct{ ID int64 }
		if status != 201 || json.Unmarshal([]byte(out), &l) != nil {
			t.Fatalf("create: %d %s", status, out)
		}
		return "/leads/" + strconv.FormatInt(l.ID, 10)
	}
	ours, theirs := report(member), report(fin2)

	if _, out := e.call(head, "GET", ours, ""); !strings.Contains(out, `"contact_phone":"138****5678"`) {
		t.Fatalf("the head's view: %s", out)
	}
	for _, c := range []struct {
		token, path, body string
		want              int
	}{
		{head, ours, `{}`, 422},
		{head, ours, `{"reason":"看看"}`, 422},
		{head, ours, `{"reason":"联系企业安排考察","phone":"x"}`, 422},
		{screener, ours, `{"reason":"联系企业安排考察"}`, 403},
		{member, ours, `{"reason":"联系企业安排考察"}`, 403},
		{head, theirs, `{"reason":"联系企业安排考察"}`, 404},
	} {
		if status, out := e.call(c.token, "POST", c.path+"/reveal", c.body); status != c.want || strings.Contains(out, "13812345678") {
			t.Errorf("%s %s: %d %s, want %d", c.path, c.body, status, out, c.want)
		}
	}
	status, out := e.call(head, "POST", ours+"/reveal", `{"reason":"联系企业安排考察"}`)
	var rv api.LeadRevealJSON
	if status != 200 || json.Unmarshal([]byte(out), &rv) != nil || rv.ContactPhone != "13812345678" || len(rv.Fields) != 1 {
		t.Fatalf("reveal: %d %s", status, out)
	}
	if _, out := e.call(head, "GET", ours, ""); !strings.Contains(out, `"contact_phone":"138****5678"`) {
		t.Fatalf("masked again: %s", out)
	}
	if status, out := e.call(appraiser, "POST", theirs+"/reveal", `{"reason":"核对线索来源"}`); status != 200 || !strings.Contains(out, "13812345678") {
		t.Fatalf("the appraiser: %d %s", status, out)
	}
	if _, n, _ := e.st.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Entity: "lead", Action: "personal.reveal"}); n != 2 {
		t.Errorf("%d reveal audit rows", n)
	}
}
