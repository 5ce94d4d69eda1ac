package web_test

import (
	"bytes"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestLedgerImport takes the zone's real-shaped ledger: a dry run shows its
// eight projects, the commit creates them, and the same file again creates
// nothing; a bad row imports nothing and names its row.
func TestLedgerImport(t *testing.T) {
	a := newApp(t)
	sample, err := os.ReadFile("../xlsx/testdata/招商项目台账-样例.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if r := a.as(xinlu.RoleMember).upload("/projects/import", "ledger.xlsx", sample); r.StatusCode != 403 {
		t.Fatalf("member import: %d", r.StatusCode)
	}
	sampleSponsors(t, a)
	planner := a.as(xinlu.RolePlanner)
	preview := planner.upload("/projects/import", "招商项目台账-样例.xlsx", sample)
	if preview.StatusCode != 200 || !strings.Contains(preview.body, `id="import-preview"`) || strings.Count(preview.body, "<tr><td class=\"num\">") != 8 {
		t.Fatalf("preview: %d %s", preview.StatusCode, firstError(preview.body))
	}
	if n := projectCount(t, a); n != 0 {
		t.Fatalf("the dry run wrote %d projects", n)
	}
	data := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(preview.body)
	if data == nil {
		t.Fatal("no carried workbook")
	}
	form := url.Values{"data": {data[1]}, "filename": {"ledger.xlsx"}}
	if r := planner.postForm("/projects/import/commit", form); r.StatusCode != 303 {
		t.Fatalf("commit: %d %s", r.StatusCode, firstError(r.body))
	}
	if n := projectCount(t, a); n != 8 {
		t.Fatalf("%d projects after the import", n)
	}
	again := planner.upload("/projects/import", "again.xlsx", sample)
	if !strings.Contains(again.body, "可新增 0 个，已存在 8 个") {
		t.Fatalf("re-import preview: %s", firstError(again.body))
	}
	planner.postForm("/projects/import/commit", form)
	if n := projectCount(t, a); n != 8 {
		t.Fatalf("the same file again made %d projects", n)
	}

	// One bad date: nothing is written and the row is named.
	f, err := excelize.OpenReader(bytes.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	target := -1
	for i, row := range rows {
		if len(row) > 2 && strings.Contains(strings.Join(row, ""), "项目") && i > 4 {
			target = i + 1
			break
		}
	}
	header := rows[2]
	col := -1
	for i, h := range header {
		if strings.Contains(h, "签约") {
			col = i
		}
	}
	if target < 0 || col < 0 {
		t.Fatalf("sample layout: row %d col %d", target, col)
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, target)
	f.SetCellStr(f.GetSheetName(0), cell, "去年秋天")
	var bad bytes.Buffer
	f.Write(&bad)
	r := planner.upload("/projects/import", "bad.xlsx", bad.Bytes())
	if r.StatusCode != 422 || !strings.Contains(r.body, `id="problem-table"`) || !strings.Contains(r.body, `<td class="num">`+itoa(target)+`</td>`) {
		t.Fatalf("bad row: %d %s", r.StatusCode, firstError(r.body))
	}
	carried := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)
	marked := planner.postForm("/projects/import/errors.xlsx", url.Values{"data": {carried[1]}, "filename": {"bad.xlsx"}})
	mf, err := excelize.OpenReader(bytes.NewReader([]byte(marked.body)))
	if err != nil {
		t.Fatalf("marked workbook: %v", err)
	}
	mrows, _ := mf.GetRows(mf.GetSheetName(0))
	if !strings.Contains(strings.Join(mrows[2], "|"), "错误原因") || !strings.Contains(strings.Join(mrows[target-1], "|"), "日期") {
		t.Fatalf("marked rows: %q / %q", mrows[2], mrows[target-1])
	}
	if n := projectCount(t, a); n != 8 {
		t.Fatalf("a bad file changed the projects: %d", n)
	}
}

// sampleSponsors makes the sample ledger's 包联领导 members of the zone:
// a name that is not a member is a problem of the import.
func sampleSponsors(t *testing.T, a *app) {
	t.Helper()
	for i, name := range []string{"张建国", "李卫东", "王志强", "赵立新", "孙明", "周涛"} {
		addMember(t, a, "L"+itoa(i), name)
	}
}

func addMember(t *testing.T, a *app, staffNo, name string) *xinlu.Member {
	t.Helper()
	m := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, StaffNo: staffNo, Name: name}
	if err := a.store.CreateMember(t.Context(), xinlu.SystemActor(a.zone.ID), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func projectCount(t *testing.T, a *app) int {
	t.Helper()
	_, total, err := a.store.ListProjects(t.Context(), store.ProjectFilter{ZoneID: a.zone.ID})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func firstError(body string) string {
	// The banner's text: a message, or the summary of several with links to their fields.
	if m := regexp.MustCompile(`(?s)id="(?:form-error|error-message)"[^>]*>(.*?)</(?:div|p)>`).FindStringSubmatch(body); m != nil {
		return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")
	}
	if len(body) > 400 {
		return body[:400]
	}
	return body
}

func TestLedgerImportAPI(t *testing.T) {
	a := newApp(t)
	sample, err := os.ReadFile("../xlsx/testdata/招商项目台账-样例.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	xlsxType := map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	sampleSponsors(t, a)
	c := a.api(xinlu.RolePlanner)
	if r := c.do("POST", "/api/v1/projects/import?dry_run=1", string(sample), xlsxType); r.StatusCode != 200 || !strings.Contains(r.body, `"created":8`) || !strings.Contains(r.body, `"dry_run":true`) {
		t.Fatalf("dry run: %d %s", r.StatusCode, r.body)
	}
	if n := projectCount(t, a); n != 0 {
		t.Fatalf("dry run wrote %d", n)
	}
	if r := c.do("POST", "/api/v1/projects/import", string(sample), xlsxType); r.StatusCode != 200 || !strings.Contains(r.body, `"created":8`) {
		t.Fatalf("import: %d %s", r.StatusCode, r.body)
	}
	if r := c.do("POST", "/api/v1/projects/import", string(sample), xlsxType); !strings.Contains(r.body, `"created":0,"skipped":8`) {
		t.Fatalf("again: %s", r.body)
	}
	if r := c.do("POST", "/api/v1/projects/import", "not a workbook", xlsxType); r.StatusCode != 422 {
		t.Fatalf("garbage: %d %s", r.StatusCode, r.body)
	}
	if r := a.api(xinlu.RoleMember).do("POST", "/api/v1/projects/import", string(sample), xlsxType); r.StatusCode != 403 {
		t.Fatalf("member: %d", r.StatusCode)
	}
}
