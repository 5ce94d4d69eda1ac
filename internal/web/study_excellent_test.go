package web_test

import (
	"archive/zip"
	"html"
	"io"
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

// docxText is the text of a .docx answer's document part, its runs joined.
func docxText(t *testing.T, body string) string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a .docx: %v", err)
	}
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		b, _ := io.ReadAll(r)
		var out strings.Builder
		for _, m := range regexp.MustCompile(`<w:t[^>]*>([^<]*)</w:t>`).FindAllStringSubmatch(string(b), -1) {
			out.WriteString(html.UnescapeString(m[1]))
		}
		return out.String()
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestStudyCompilation: the office prints a campaign's compilation and
// downloads it as Word; the document reads back with the title, the
// contents and every accepted reflection, grouped by department; with
// excellent=1 only the picked ones.
func TestStudyCompilation(t *testing.T) {
	a := newDemoApp(t)
	office := a.as(xinlu.RoleDiscipline)
	list := office.get("/study/campaigns")
	var id string
	for _, m := range regexp.MustCompile(`href="/study/campaigns/(\d+)"`).FindAllStringSubmatch(list.body, -1) {
		if p := office.get("/study/campaigns/" + m[1] + "/compilation"); strings.Contains(p.body, `id="compilation-toc"`) {
			id = m[1]
			break
		}
	}
	if id == "" {
		t.Fatal("no campaign has a compilation")
	}
	page := office.get("/study/campaigns/" + id + "/compilation")
	entries := regexp.MustCompile(`<div class="entry" id="entry-(\d+)"><h2>([^<]+)</h2><p>([^<]{20})`).FindAllStringSubmatch(page.body, -1)
	if len(entries) < 5 {
		t.Fatalf("entries on the page: %d", len(entries))
	}
	doc := office.get("/study/campaigns/" + id + "/compilation.docx")
	if doc.StatusCode != 200 || doc.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
		!strings.Contains(doc.Header.Get("Content-Disposition"), ".docx") {
		t.Fatalf("docx: %d %s", doc.StatusCode, doc.Header.Get("Content-Type"))
	}
	text := docxText(t, doc.body)
	for _, e := range entries {
		if !strings.Contains(text, html.UnescapeString(e[2])) || !strings.Contains(text, html.UnescapeString(e[3])) {
			t.Errorf("the document lacks %s", e[2])
		}
	}
	if !strings.Contains(text, "心得体会汇编") || !strings.Contains(text, "目　录") {
		t.Errorf("the document has no title or contents")
	}
	// Pick one as excellent: the selected compilation holds it alone.
	r := office.postForm("/study/reflections/"+entries[0][1]+"/excellent", url.Values{"version": {versionOf(t, office, id, entries[0][1])}})
	if r.StatusCode != 303 {
		t.Fatalf("pick: %d %s", r.StatusCode, firstError(r.body))
	}
	sel := docxText(t, office.get("/study/campaigns/"+id+"/compilation.docx?excellent=1").body)
	if !strings.Contains(sel, html.UnescapeString(entries[0][2])) || strings.Contains(sel, html.UnescapeString(entries[1][2])) && entries[1][2] != entries[0][2] {
		t.Errorf("the selected compilation: %q", sel[:min(len(sel), 300)])
	}
	if r := a.as(xinlu.RoleMember).get("/study/campaigns/" + id + "/compilation.docx"); r.StatusCode != 403 {
		t.Errorf("a member downloads the compilation: %d", r.StatusCode)
	}
}

// versionOf reads reflection id's version from the pick form on the
// campaign page.
func versionOf(t *testing.T, c *client, campaign, reflection string) string {
	t.Helper()
	page := c.get("/study/campaigns/" + campaign)
	m := regexp.MustCompile(`action="/study/reflections/` + reflection + `/excellent" class="inline"><input type="hidden" name="csrf" value="[^"]*"><input type="hidden" name="version" value="(\d+)">`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no pick form for reflection %s", reflection)
	}
	return m[1]
}
