package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xinlu/internal/xinlu"
)

var (
	webPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	webPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x00IEND\xaeB`\x82")
)

// webOOXML is a minimal Office Open XML package with a part under dir.
func webOOXML(t testing.TB, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", dir + "/document.xml"} {
		w, _ := zw.Create(p)
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><x/>`))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upFile is one file part of a multipart form.
type upFile struct {
	field, name string
	r           io.Reader
}

func bytesFile(field, name string, b []byte) upFile { return upFile{field, name, bytes.NewReader(b)} }

// zeros reads n zero bytes without holding them.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), z.n)]
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

// bigPDF is a PDF header followed by zeros, n bytes in all, streamed.
func bigPDF(n int64) io.Reader {
	return io.MultiReader(bytes.NewReader(webPDF), &zeros{n - int64(len(webPDF))})
}

// uploadFiles posts a multipart form, streaming the files through a pipe so that
// a large one is never held whole.
func (c *client) uploadFiles(path string, fields url.Values, files ...upFile) response {
	c.a.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for k, vs := range fields {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		for _, f := range files {
			w, err := mw.CreateFormFile(f.field, f.name)
			if err == nil {
				_, err = io.Copy(w, f.r)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req, err := http.NewRequest("POST", c.a.http.URL+path, pr)
	if err != nil {
		c.a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	switch {
	case c.token != "":
		req.Header.Set("Authorization", "Bearer "+c.token)
	case fields.Get("csrf") == "":
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	default:
		// An old browser: no Sec-Fetch-Site, the form's token instead.
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, pr) // whatever the server left unread
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

func (a *app) auditCount(leadID int64, action string) int {
	a.t.Helper()
	_, n, err := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Entity: "lead", EntityID: leadID, Action: action})
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

func TestLeadAttachmentsOnThePages(t *testing.T) {
	a := newApp(t)
	member, screener, head, agent := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener), a.as(xinlu.RoleHead), a.as(xinlu.RoleAgent)

	// The report form takes files, from a phone too.
	form := member.get("/leads/new")
	for _, want := range []string{`enctype="multipart/form-data"`, `type="file"`, `name="files"`, "multiple", `accept=".pdf,`, "每个不超过 10 MB"} {
		if !strings.Contains(form.body, want) {
			t.Errorf("the report form lacks %s", want)
		}
	}
	// A renamed program refuses the report, in Chinese, keeping what was typed.
	bad := member.uploadFiles("/leads", reportLeadForm("山西华晋新材料股份有限公司"),
		bytesFile("files", "简介.pdf", webPDF), bytesFile("files", "setup.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")))
	if bad.StatusCode != 422 || !strings.Contains(bad.body, "仅支持 PDF、图片（JPG、PNG）和 Office 文件") || !strings.Contains(bad.body, "setup.pdf") ||
		!strings.Contains(bad.body, `value="山西华晋新材料股份有限公司"`) || !strings.Contains(bad.body, `id="files-reselect"`) {
		t.Fatalf("report with an exe: %d", bad.StatusCode)
	}
	if mine := member.get("/leads/mine"); strings.Contains(mine.body, "山西华晋新材料股份有限公司") {
		t.Fatal("a refused report left a lead")
	}
	r := member.uploadFiles("/leads", reportLeadForm("山西华晋新材料股份有限公司"),
		bytesFile("files", "项目简介.pdf", webPDF), bytesFile("files", "现场照片.png", webPNG), bytesFile("files", "", nil))
	m := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("report with files: %d %s", r.StatusCode, r.body)
	}
	id := m[1]
	leadID, _ := strconv.ParseInt(id, 10, 64)
	show := member.get("/leads/" + id)
	for _, want := range []string{`id="lead-files"`, "项目简介.pdf", "现场照片.png", "测试member", `id="file-upload"`, "共 2 个，最多 10 个", "77 B · 测试member · "} {
		if !strings.Contains(show.body, want) {
			t.Errorf("the lead page lacks %s", want)
		}
	}
	files, err := a.store.ListLeadFiles(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, leadID)
	if err != nil || len(files) != 2 {
		t.Fatalf("%d files: %v", len(files), err)
	}
	pdf, png := files[0], files[1]
	path := func(f *xinlu.LeadFile) string { return "/leads/" + id + "/files/" + strconvFormat(f.ID) }
	if !strings.Contains(show.body, `href="`+path(pdf)+`"`) {
		t.Error("no download link")
	}

	// Later uploads on the lead page.
	up := func(c *client, files ...upFile) response { return c.uploadFiles("/leads/"+id+"/files", nil, files...) }
	if r := up(member, bytesFile("files", "方案.docx", webOOXML(t, "word")), bytesFile("files", "测算.xlsx", webOOXML(t, "xl"))); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("office files: %d %s", r.StatusCode, r.body)
	}
	// An old browser, without Sec-Fetch-Site, sends the form's token inside the multipart body.
	tok := screener.csrfToken("/leads/" + id)
	if r := screener.uploadFiles("/leads/"+id+"/files", url.Values{"csrf": {tok}}, bytesFile("files", "甄别意见.pdf", webPDF)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a screener uploads: %d", r.StatusCode)
	}
	if r := screener.uploadFiles("/leads/"+id+"/files", url.Values{"csrf": {"forged"}}, bytesFile("files", "x.pdf", webPDF)); r.StatusCode != 403 {
		t.Fatalf("a forged token: %d", r.StatusCode)
	}
	// What is refused, each with its reason in Chinese.
	for _, c := range []struct {
		f    upFile
		want string
	}{
		{bytesFile("files", "setup.exe.pdf", append([]byte("MZ\x90\x00"), make([]byte, 200)...)), "仅支持 PDF、图片（JPG、PNG）和 Office 文件"},
		{bytesFile("files", "page.pdf", []byte("<html><script>alert(1)</script></html>")), "仅支持 PDF"},
		{bytesFile("files", "logo.png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)), "仅支持 PDF"},
		{bytesFile("files", "empty.pdf", nil), "是空文件"},
		{upFile{"files", "big.pdf", bigPDF(10<<20 + 1)}, "文件超过 10 MB"},
	} {
		r := up(member, c.f)
		if r.StatusCode != 422 || !strings.Contains(r.body, c.want) || !strings.Contains(r.body, `id="file-error"`) {
			t.Errorf("%s: %d, want 422 with %q", c.f.name, r.StatusCode, c.want)
		}
	}
	// Exactly 10 MB passes; then up to ten files, and no eleventh.
	if r := up(member, upFile{"files", "exact.pdf", bigPDF(10 << 20)}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a file of exactly 10 MB: %d %s", r.StatusCode, r.body)
	}
	for i := range 4 {
		if r := up(member, bytesFile("files", "p"+string(rune('0'+i))+".pdf", webPDF)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("file %d: %d", 7+i, r.StatusCode)
		}
	}
	if r := up(screener, bytesFile("files", "11.pdf", webPDF)); r.StatusCode != 422 || !strings.Contains(r.body, "每条线索最多 10 个附件") {
		t.Fatalf("the 11th file: %d", r.StatusCode)
	}
	if full := member.get("/leads/" + id); strings.Contains(full.body, `id="file-upload"`) {
		t.Error("a full lead still offers the upload form")
	}
	// Who may not upload: another member does not see the lead; the head sees it but does not work it.
	if r := up(agent, bytesFile("files", "a.pdf", webPDF)); r.StatusCode != 404 {
		t.Errorf("another member uploads: %d", r.StatusCode)
	}
	if r := up(head, bytesFile("files", "a.pdf", webPDF)); r.StatusCode != 403 {
		t.Errorf("the head uploads: %d", r.StatusCode)
	}
	if n := a.auditCount(leadID, "lead.file_upload"); n != 10 {
		t.Errorf("%d upload audit rows", n)
	}

	// Downloads: the stored type, as an attachment, never sniffed; audited.
	for _, c := range []*client{member, screener, head} {
		res := c.get(path(pdf))
		h := res.Header
		if res.StatusCode != 200 || res.body != string(webPDF) || h.Get("Content-Type") != "application/pdf" ||
			h.Get("Content-Disposition") != `attachment; filename="attachment.pdf"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E7%AE%80%E4%BB%8B.pdf` ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
			t.Fatalf("download: %d %v", res.StatusCode, h)
		}
	}
	if res := member.get(path(png)); res.Header.Get("Content-Type") != "image/png" || res.body != string(webPNG) {
		t.Fatalf("the png: %v", res.Header)
	}
	if res := agent.get(path(pdf)); res.StatusCode != 404 {
		t.Errorf("another member downloads: %d", res.StatusCode)
	}
	if res := member.get("/leads/" + id + "/files/999999"); res.StatusCode != 404 {
		t.Errorf("a file that does not exist: %d", res.StatusCode)
	}
	if n := a.auditCount(leadID, "lead.file_download"); n != 4 {
		t.Errorf("%d download audit rows", n)
	}

	// Deletes: the uploader or a screener, confirmed by name.
	show = member.get("/leads/" + id)
	if !strings.Contains(show.body, `data-confirm="确定删除附件“项目简介.pdf”吗？"`) {
		t.Error("the delete is not confirmed by name")
	}
	files, _ = a.store.ListLeadFiles(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, leadID)
	var screenerFile *xinlu.LeadFile
	for _, f := range files {
		if f.Name == "甄别意见.pdf" {
			screenerFile = f
		}
	}
	if strings.Contains(show.body, `id="delete-file-`+strconvFormat(screenerFile.ID)+`"`) {
		t.Error("the reporter is offered to delete the screener's file")
	}
	del := func(c *client, f *xinlu.LeadFile) response { return c.postForm(path(f)+"/delete", url.Values{}) }
	if r := del(agent, pdf); r.StatusCode != 404 {
		t.Errorf("another member deletes: %d", r.StatusCode)
	}
	if r := del(head, pdf); r.StatusCode != 403 {
		t.Errorf("the head deletes: %d", r.StatusCode)
	}
	if r := del(member, screenerFile); r.StatusCode != 403 {
		t.Errorf("the reporter deletes the screener's file: %d", r.StatusCode)
	}
	if r := del(member, pdf); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the reporter deletes their file: %d", r.StatusCode)
	}
	if r := del(screener, png); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a screener deletes: %d", r.StatusCode)
	}
	if r := member.get(path(pdf)); r.StatusCode != 404 {
		t.Errorf("a deleted file downloads: %d", r.StatusCode)
	}
	if n := a.auditCount(leadID, "lead.file_delete"); n != 2 {
		t.Errorf("%d delete audit rows", n)
	}
	// In English too.
	member.lang = "en"
	if r := up(member, bytesFile("files", "x.pdf", []byte("<html>"))); r.StatusCode != 422 || !strings.Contains(r.body, "only PDF, images") {
		t.Errorf("English refusal: %d %s", r.StatusCode, r.body)
	}
}

func TestLeadContactReveal(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	member, screener, head, appraiser := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener), a.as(xinlu.RoleHead), a.as(xinlu.RoleAppraiser)
	r := member.postForm("/leads", reportLeadForm("山西华晋新材料股份有限公司"))
	id := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))[1]
	leadID, _ := strconv.ParseInt(id, 10, 64)

	// A lead reported in another department.
	sys := xinlu.SystemActor(a.zone.ID)
	other := &xinlu.Department{ZoneID: a.zone.ID, Code: "FIN", Name: "财政局"}
	if err := a.store.CreateDepartment(ctx, sys, other); err != nil {
		t.Fatal(err)
	}
	om := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: other.ID, StaffNo: "F1", Name: "财政干部"}
	if err := a.store.CreateMember(ctx, sys, om); err != nil {
		t.Fatal(err)
	}
	ou := &xinlu.User{ZoneID: a.zone.ID, Username: "finmember", Name: "财政干部", Roles: []xinlu.Role{xinlu.RoleMember}, MemberID: om.ID, PasswordHash: sharedHash}
	if err := a.store.CreateUser(ctx, sys, ou); err != nil {
		t.Fatal(err)
	}
	far := &xinlu.Lead{Company: "太原重型机械集团有限公司", ProjectName: "矿山装备", Industry: "equipment", ContactPhone: "13900001111"}
	if _, err := a.store.ReportLead(ctx, xinlu.ActorOf(ou, "127.0.0.1"), far); err != nil {
		t.Fatal(err)
	}
	farID := strconvFormat(far.ID)

	// The head sees the phone masked, with the way to reveal it; the screener sees it in full.
	show := head.get("/leads/" + id)
	if show.StatusCode != 200 || !strings.Contains(show.body, "138****5678") || strings.Contains(show.body, "13812345678") ||
		!strings.Contains(show.body, `href="/leads/`+id+`/reveal"`) {
		t.Fatalf("the head's lead page: %d", show.StatusCode)
	}
	if s := screener.get("/leads/" + id); !strings.Contains(s.body, "13812345678") || strings.Contains(s.body, `id="reveal-action"`) {
		t.Error("the screener's lead page")
	}
	page := head.get("/leads/" + id + "/reveal")
	if page.StatusCode != 200 || !strings.Contains(page.body, "138****5678") || strings.Contains(page.body, "13812345678") ||
		!strings.Contains(page.body, `id="reveal-form"`) {
		t.Fatalf("reveal form: %d", page.StatusCode)
	}
	// Refused without a reason, with a short one, without the permission, outside the scope.
	if r := head.postForm("/leads/"+id+"/reveal", url.Values{"reason": {""}}); r.StatusCode != 422 || !strings.Contains(r.body, "请填写查看原因") ||
		strings.Contains(r.body, "13812345678") {
		t.Errorf("no reason: %d", r.StatusCode)
	}
	if r := head.postForm("/leads/"+id+"/reveal", url.Values{"reason": {"看看"}}); r.StatusCode != 422 || !strings.Contains(r.body, "查看原因至少 4 个字") {
		t.Errorf("short reason: %d", r.StatusCode)
	}
	if r := screener.postForm("/leads/"+id+"/reveal", url.Values{"reason": {"联系企业安排考察"}}); r.StatusCode != 403 {
		t.Errorf("without the permission: %d", r.StatusCode)
	}
	if r := member.postForm("/leads/"+id+"/reveal", url.Values{"reason": {"联系企业安排考察"}}); r.StatusCode != 403 {
		t.Errorf("the member: %d", r.StatusCode)
	}
	if r := head.get("/leads/" + farID + "/reveal"); r.StatusCode != 404 {
		t.Errorf("outside the head's department (form): %d", r.StatusCode)
	}
	if r := head.postForm("/leads/"+farID+"/reveal", url.Values{"reason": {"联系企业安排考察"}}); r.StatusCode != 404 || strings.Contains(r.body, "13900001111") {
		t.Errorf("outside the head's department: %d", r.StatusCode)
	}
	if n := a.auditCount(0, "personal.reveal"); n != 0 {
		t.Errorf("%d reveal rows before any reveal", n)
	}
	// Allowed with a reason: shown once, audited.
	res := head.postForm("/leads/"+id+"/reveal", url.Values{"reason": {"联系企业安排考察"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, `id="revealed-phone">13812345678<`) || res.Header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(res.body, "仅显示这一次") {
		t.Fatalf("reveal: %d", res.StatusCode)
	}
	rows, _, err := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "personal.reveal", Entity: "lead"})
	if err != nil || len(rows) != 1 || rows[0].ActorID != a.users[xinlu.RoleHead].ID || rows[0].EntityID != leadID ||
		!strings.Contains(rows[0].After, `"reason":"联系企业安排考察"`) || !strings.Contains(rows[0].After, `"fields":["contact_phone"]`) ||
		strings.Contains(rows[0].After, "13812345678") {
		t.Fatalf("reveal audit rows: %+v %v", rows, err)
	}
	// The next view is masked again.
	if again := head.get("/leads/" + id); !strings.Contains(again.body, "138****5678") || strings.Contains(again.body, "13812345678") {
		t.Error("the phone stays revealed")
	}
	// The appraisal office reaches the whole zone.
	if r := appraiser.postForm("/leads/"+farID+"/reveal", url.Values{"reason": {"核对线索来源"}}); r.StatusCode != 200 || !strings.Contains(r.body, "13900001111") {
		t.Errorf("the appraiser: %d", r.StatusCode)
	}
}

// TestBrowserLeadAttachmentsOnAPhone: a member reports a lead with a photo
// and a PDF from a phone, and the lead page lists them, without sideways
// scrolling.
func TestBrowserLeadAttachmentsOnAPhone(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	dir := t.TempDir()
	pdfPath, pngPath := filepath.Join(dir, "项目简介.pdf"), filepath.Join(dir, "现场照片.png")
	if os.WriteFile(pdfPath, webPDF, 0o600) != nil || os.WriteFile(pngPath, webPNG, 0o600) != nil {
		t.Fatal("write the samples")
	}
	login(t, ctx, a, "member")
	step(t, ctx, "phone viewport", phone())
	step(t, ctx, "open the report form", chromedp.Navigate(a.http.URL+"/leads/new"), chromedp.WaitVisible("#files"))
	fitsPhone(t, ctx, "the report form")
	step(t, ctx, "report with files",
		chromedp.SendKeys("#company", "晋阳新材料股份有限公司"),
		chromedp.SendKeys("#project_name", "碳纤维复合材料"),
		chromedp.SetValue("#industry", "materials"),
		chromedp.SetUploadFiles("#files", []string{pdfPath, pngPath}),
	)
	shot(t, ctx, "lead-new-files-phone")
	step(t, ctx, "submit the report",
		submit("#lead-submit"),
		chromedp.WaitVisible("#lead-files"),
	)
	shot(t, ctx, "lead-files-phone")
	mustContain(t, "the lead's files", text(t, ctx, "#lead-files"), "项目简介.pdf", "现场照片.png", "测试member")
	fitsPhone(t, ctx, "the lead page with files")
}

// After a merge, the lead merged into shows the merged lead's files with
// where they came from, and the screening task force downloads them there.
func TestMergedLeadFilesOnTheTargetPage(t *testing.T) {
	a := newApp(t)
	member, screener := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener)
	report := func(company string, files ...upFile) string {
		r := member.uploadFiles("/leads", reportLeadForm(company), files...)
		m := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))
		if r.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("report %s: %d", company, r.StatusCode)
		}
		return m[1]
	}
	first := report("汾河精密铸造有限公司", bytesFile("files", "铸件样品.png", webPNG))
	second := report("汾河精密铸造（集团）公司", bytesFile("files", "考察纪要.pdf", webPDF))
	if r := screener.postForm("/leads/"+second+"/merge", url.Values{"version": {"1"}, "merge_into": {first}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d %s", r.StatusCode, r.body)
	}
	show := screener.get("/leads/" + first)
	for _, want := range []string{"铸件样品.png", "考察纪要.pdf", "来自已合并的线索 #" + second, `href="/leads/` + second + `"`, "共 1 个，最多 10 个"} {
		if !strings.Contains(show.body, want) {
			t.Errorf("the target's page lacks %s", want)
		}
	}
	secondID, _ := strconv.ParseInt(second, 10, 64)
	files, err := a.store.ListLeadFiles(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, secondID)
	if err != nil || len(files) != 1 {
		t.Fatalf("merged lead's files: %v %d", err, len(files))
	}
	dl := screener.get("/leads/" + first + "/files/" + strconvFormat(files[0].ID))
	if dl.StatusCode != 200 || dl.body != string(webPDF) {
		t.Fatalf("download through the target: %d", dl.StatusCode)
	}
}
