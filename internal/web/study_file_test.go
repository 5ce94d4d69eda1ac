package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/docx"
	"xinlu/internal/xinlu"
)

func wordDoc(t *testing.T, paras ...string) []byte {
	t.Helper()
	d := &docx.Document{Title: "心得"}
	for _, p := range paras {
		d.Blocks = append(d.Blocks, docx.Block{Text: p})
	}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const scanPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream\nendobj\n%%EOF\n"

// openZoneCampaign creates and opens a campaign asking the whole zone, and
// answers its id.
func openZoneCampaign(t *testing.T, office *client, minLength string) string {
	t.Helper()
	csrf := office.csrfToken("/study/campaigns/new")
	res := office.postForm("/study/campaigns", url.Values{"csrf": {csrf}, "campaign_title": {"学习全会精神"}, "source_text": {studyMaterialText},
		"audience": {"zone"}, "opens_on": {"2026-01-05"}, "closes_on": {"2099-12-31"}, "min_length": {minLength}})
	id := strings.TrimPrefix(res.Header.Get("Location"), "/study/campaigns/")
	if res.StatusCode != 303 || id == "" {
		t.Fatalf("create: %d %s", res.StatusCode, firstError(res.body))
	}
	if res := office.postForm("/study/campaigns/"+id+"/open", url.Values{"csrf": {csrf}, "version": {"1"}}); res.StatusCode != 303 {
		t.Fatalf("open: %d", res.StatusCode)
	}
	return id
}

func TestStudyFilesOnThePages(t *testing.T) {
	a := newApp(t)
	office, member, planner := a.as(xinlu.RoleDiscipline), a.as(xinlu.RoleMember), a.as(xinlu.RolePlanner)
	id := openZoneCampaign(t, office, "40")
	campaign := "/study/campaigns/" + id

	// The office attaches the speech; a spreadsheet is refused beside the field.
	speech := "营商环境就是生产力。开发区要把审批时限压到最短，把服务企业的链条拉到最长，让每一个投资者都感受到真心实意的支持。"
	csrf := office.csrfToken(campaign)
	var book bytes.Buffer
	zw := zip.NewWriter(&book)
	for _, n := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(n)
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	res := office.uploadFiles(campaign+"/materials", url.Values{"csrf": {csrf}}, bytesFile("file", "台账.xlsx", book.Bytes()))
	if res.StatusCode != 422 || !strings.Contains(res.body, `id="err-file"`) || !strings.Contains(res.body, "不是 Word 文档") {
		t.Fatalf("a workbook as material: %d %s", res.StatusCode, firstError(res.body))
	}
	res = office.uploadFiles(campaign+"/materials", url.Values{"csrf": {csrf}}, bytesFile("file", "讲话原文.docx", wordDoc(t, speech)))
	if res.StatusCode != 303 {
		t.Fatalf("material: %d %s", res.StatusCode, firstError(res.body))
	}
	page := member.get(campaign).body
	mat := regexp.MustCompile(`href="(/study/files/\d+)" id="material-\d+">讲话原文.docx</a>`).FindStringSubmatch(page)
	if mat == nil {
		t.Fatalf("the member does not see the material:\n%s", page)
	}
	if strings.Contains(page, `id="material-upload"`) {
		t.Error("the member is offered the material upload")
	}
	if got := member.get(mat[1]); got.StatusCode != 200 || got.Header.Get("Content-Type") != xinlu.TypeDOCX {
		t.Fatalf("material download: %d %s", got.StatusCode, got.Header.Get("Content-Type"))
	}

	// The member hands in a Word document: its text is the reflection's.
	write := campaign + "/write"
	mcsrf := member.csrfToken(write)
	own := "这次学习让我下决心把服务窗口合并起来，让企业少跑腿。"
	doc := wordDoc(t, "学习心得", speech, own)
	res = member.uploadFiles(campaign+"/upload", url.Values{"csrf": {mcsrf}, "version": {"0"}}, bytesFile("file", "我的心得.docx", doc))
	if res.StatusCode != 303 || res.Header.Get("Location") != write {
		t.Fatalf("upload: %d %s %s", res.StatusCode, res.Header.Get("Location"), firstError(res.body))
	}
	page = member.get(write).body
	if !strings.Contains(page, own) || !strings.Contains(page, `id="kept-file"`) {
		t.Fatalf("the editor does not show the file's text:\n%s", page)
	}
	file := regexp.MustCompile(`href="(/study/files/\d+)" id="file-download"`).FindStringSubmatch(page)
	if got := member.get(file[1]); got.StatusCode != 200 || got.body != string(doc) {
		t.Fatalf("own download: %d", got.StatusCode)
	}
	if got := planner.get(file[1]); got.StatusCode != 404 {
		t.Fatalf("another member downloads the draft's file: %d", got.StatusCode)
	}
	// A scan is kept, and the member is told to paste the text.
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	res = member.uploadFiles(campaign+"/upload", url.Values{"csrf": {mcsrf}, "version": {version}}, bytesFile("file", "扫描件.pdf", []byte(scanPDF)))
	if res.StatusCode != 303 || !strings.HasSuffix(res.Header.Get("Location"), "?notext=1") {
		t.Fatalf("scan: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page = member.get(res.Header.Get("Location")).body
	if !strings.Contains(page, `id="no-text"`) || !strings.Contains(page, "扫描件.pdf") || !strings.Contains(page, own) {
		t.Fatalf("after the scan:\n%s", page)
	}
	// A PDF with Chinese text, submitted from the editor afterwards.
	pdf, err := os.ReadFile("../pdftext/testdata/chromium.pdf")
	if err != nil {
		t.Fatal(err)
	}
	res = member.uploadFiles(campaign+"/upload", url.Values{"csrf": {mcsrf}, "version": {version}}, bytesFile("file", "心得.pdf", pdf))
	if res.StatusCode != 303 {
		t.Fatalf("pdf: %d %s", res.StatusCode, firstError(res.body))
	}
	page = member.get(write).body
	if !strings.Contains(page, "解放思想是推动改革的先导") {
		t.Fatalf("the PDF's text is not in the editor")
	}

	// In English, the refusal is in English.
	en := a.as(xinlu.RoleMember)
	en.lang = "en"
	res = en.uploadFiles(campaign+"/upload", url.Values{"csrf": {en.csrfToken(write)}, "version": {"0"}}, bytesFile("file", "a.xlsx", book.Bytes()))
	if res.StatusCode != 422 || !strings.Contains(res.body, "is not a Word document") {
		t.Fatalf("english refusal: %d %s", res.StatusCode, firstError(res.body))
	}
}

// TestStudyFileRoutesAsEveryRole: the material upload and delete are the
// office's; the download of a material is for whoever sees the campaign.
func TestStudyFileRoutesAsEveryRole(t *testing.T) {
	a := newApp(t)
	office := a.as(xinlu.RoleDiscipline)
	id := openZoneCampaign(t, office, "40")
	campaign := "/study/campaigns/" + id
	res := office.uploadFiles(campaign+"/materials", url.Values{"csrf": {office.csrfToken(campaign)}}, bytesFile("file", "材料.docx", wordDoc(t, studyMaterialText)))
	if res.StatusCode != 303 {
		t.Fatalf("material: %d", res.StatusCode)
	}
	file := regexp.MustCompile(`href="(/study/files/(\d+))" id="material-`).FindStringSubmatch(office.get(campaign).body)
	for _, role := range xinlu.Roles {
		c, u := a.as(role), a.users[role]
		manage := u.Can(xinlu.PermStudyManage)
		up := c.uploadFiles(campaign+"/materials", url.Values{}, bytesFile("file", "x.docx", wordDoc(t, "x")))
		if manage != (up.StatusCode == 303) || (!manage && up.StatusCode != 403) {
			t.Errorf("%s adds material: %d", role, up.StatusCode)
		}
		got := c.get(file[1])
		sees := manage || u.MemberID != 0 || u.Can(xinlu.PermStudyReview)
		if sees != (got.StatusCode == 200) {
			t.Errorf("%s downloads the material: %d", role, got.StatusCode)
		}
	}
}

// TestStudyTeamAudienceForm: the campaign form offers the zone's teams,
// asks for one when the audience is teams, and keeps the choice.
func TestStudyTeamAudienceForm(t *testing.T) {
	a := newApp(t)
	office := a.as(xinlu.RoleDiscipline)
	team := &xinlu.Team{ZoneID: a.zone.ID, Kind: xinlu.TeamTaskforce, Name: "招商专班"}
	if err := a.store.CreateTeam(context.Background(), xinlu.SystemActor(a.zone.ID), team); err != nil {
		t.Fatal(err)
	}
	page := office.get("/study/campaigns/new").body
	if !strings.Contains(page, `name="team_ids"`) || !strings.Contains(page, "招商专班") || !strings.Contains(page, `value="teams"`) {
		t.Fatalf("the form offers no teams")
	}
	csrf := office.csrfToken("/study/campaigns/new")
	form := url.Values{"csrf": {csrf}, "campaign_title": {"专班学习"}, "theme": {"解放思想"}, "audience": {"teams"},
		"opens_on": {"2026-01-05"}, "closes_on": {"2099-12-31"}, "min_length": {"40"}}
	res := office.postForm("/study/campaigns", form)
	if res.StatusCode != 422 || !strings.Contains(res.body, `id="err-team_ids"`) || !strings.Contains(res.body, "请至少选择一个专班") {
		t.Fatalf("no team: %d %s", res.StatusCode, firstError(res.body))
	}
	form.Set("team_ids", fmt.Sprint(team.ID))
	res = office.postForm("/study/campaigns", form)
	if res.StatusCode != 303 {
		t.Fatalf("create: %d %s", res.StatusCode, firstError(res.body))
	}
	page = office.get(res.Header.Get("Location") + "/edit").body
	if !regexp.MustCompile(`<option value="` + fmt.Sprint(team.ID) + `" selected>招商专班</option>`).MatchString(page) {
		t.Fatalf("the team is not kept")
	}
}
