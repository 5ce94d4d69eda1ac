package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/xinlu"
)

// upload posts a file as multipart/form-data, as the import form does.
func (c *client) upload(path, filename string, data []byte) response {
	c.a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		c.a.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return c.do("POST", path, body.String(), map[string]string{"Content-Type": mw.FormDataContentType()})
}

// calendarWorkbook fills the downloaded template with rows.
func calendarWorkbook(t *testing.T, template []byte, rows [][]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, row := range rows {
		if err := f.SetSheetRow("节假日", fmt.Sprintf("A%d", i+2), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hiddenFields reads the hidden inputs of the form posting to action.
func hiddenFields(t *testing.T, page, action string) url.Values {
	t.Helper()
	i := strings.Index(page, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s", action)
	}
	form := page[i:]
	form = form[:strings.Index(form, "</form>")]
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func TestCalendarPages(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	empty := c.get("/calendar?year=2026")
	if empty.StatusCode != 200 || !strings.Contains(empty.body, "2026 年：放假 0 天（其中工作日 0 天），调休上班 0 天，全年工作日 261 天") {
		t.Fatalf("empty year: %d", empty.StatusCode)
	}
	bad := c.postForm("/calendar", url.Values{"date": {"2026-02-16"}, "kind": {"workday"}, "name": {"春节调休"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "调休上班日须是周六或周日") {
		t.Fatalf("workday on a Monday: %d", bad.StatusCode)
	}
	if r := c.postForm("/calendar", url.Values{"date": {"2026-02-30"}, "kind": {"holiday"}, "name": {"春节"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "日期须为日期") {
		t.Fatalf("bad date: %d", r.StatusCode)
	}
	for _, f := range []url.Values{
		{"date": {"2026-02-16"}, "kind": {"holiday"}, "name": {"春节"}},
		{"date": {"2026-02-15"}, "kind": {"holiday"}, "name": {"春节"}},
		{"date": {"2026-02-14"}, "kind": {"workday"}, "name": {"春节调休"}},
	} {
		r := c.postForm("/calendar", f)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/calendar?year=2026" {
			t.Fatalf("create %v: %d %s", f, r.StatusCode, r.body)
		}
	}
	list := c.get("/calendar?year=2026")
	for _, want := range []string{"新增成功", "2026-02-14", "星期六", "调休上班", "2026-02-16", "星期一", "放假", "春节",
		"2026 年：放假 2 天（其中工作日 1 天），调休上班 1 天，全年工作日 261 天", // 261 − Monday 16th + Saturday 14th
		"确定删除“2026-02-16 春节”这一天的安排吗？"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if strings.Index(list.body, "2026-02-14") > strings.Index(list.body, "2026-02-16") {
		t.Error("list not in date order")
	}
	if r := c.get("/calendar?year=2025"); !strings.Contains(r.body, "2025 年暂无节假日安排") {
		t.Error("another year shows entries")
	}
	dup := c.postForm("/calendar", url.Values{"date": {"2026-02-16"}, "kind": {"holiday"}, "name": {"重复"}})
	if dup.StatusCode != http.StatusConflict || !strings.Contains(dup.body, "该日期已有安排") {
		t.Fatalf("duplicate date: %d", dup.StatusCode)
	}

	days, _ := a.store.ListCalendarDays(context.Background(), a.zone.ID, 2026)
	mon := days[2]
	edit := c.get(fmt.Sprintf("/calendar/%d/edit", mon.ID))
	if edit.StatusCode != 200 || !strings.Contains(edit.body, `value="2026-02-16"`) {
		t.Fatalf("edit page: %d", edit.StatusCode)
	}
	if r := c.postForm(fmt.Sprintf("/calendar/%d", mon.ID), url.Values{"date": {"2026-02-16"}, "kind": {"holiday"}, "name": {"春节假期"}, "version": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.StatusCode, r.body)
	}
	stale := c.postForm(fmt.Sprintf("/calendar/%d", mon.ID), url.Values{"date": {"2026-02-16"}, "kind": {"holiday"}, "name": {"过期"}, "version": {"1"}})
	if stale.StatusCode != http.StatusConflict || !strings.Contains(stale.body, "已被他人修改") {
		t.Fatalf("stale update: %d", stale.StatusCode)
	}
	if r := c.postForm(fmt.Sprintf("/calendar/%d/delete", mon.ID), url.Values{"version": {"2"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", r.StatusCode, r.body)
	}
	if r := c.get("/calendar?year=2026"); strings.Contains(r.body, "春节假期") || !strings.Contains(r.body, "删除成功") {
		t.Fatal("deleted entry still listed")
	}

	export := c.get("/calendar/export.xlsx?year=2026")
	if export.StatusCode != 200 || !strings.HasPrefix(export.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d", export.StatusCode)
	}
	f, err := excelize.OpenReader(strings.NewReader(export.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 5 || rows[0][0] != "2026 年节假日与调休安排" || strings.Join(rows[2], ",") != "日期,星期,类型,名称" ||
		strings.Join(rows[3], ",") != "2026-02-14,星期六,调休上班,春节调休" {
		t.Fatalf("export rows %q", rows)
	}
}

func TestCalendarPermissions(t *testing.T) {
	a := newApp(t)
	member := a.as(xinlu.RoleMember)
	if r := member.get("/calendar"); r.StatusCode != 200 || strings.Contains(r.body, `id="calendar-new"`) || strings.Contains(r.body, `id="calendar-import"`) {
		t.Fatalf("member list: %d", r.StatusCode)
	}
	if r := member.get("/calendar/export.xlsx"); r.StatusCode != 200 {
		t.Fatalf("member export: %d", r.StatusCode)
	}
	for _, path := range []string{"/calendar/new", "/calendar/import", "/calendar/template.xlsx"} {
		if r := member.get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("member GET %s: %d", path, r.StatusCode)
		}
	}
	if r := member.postForm("/calendar", url.Values{"date": {"2026-10-01"}, "kind": {"holiday"}, "name": {"国庆节"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member POST /calendar: %d", r.StatusCode)
	}
	if r := member.upload("/calendar/import", "x.xlsx", []byte("x")); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member upload: %d", r.StatusCode)
	}
	if days, _ := a.store.ListCalendarDays(context.Background(), a.zone.ID, 0); len(days) != 0 {
		t.Fatalf("member wrote %v", days)
	}
	admin := a.as(xinlu.RoleAdmin)
	if r := admin.get("/calendar"); !strings.Contains(r.body, `id="calendar-new"`) || !strings.Contains(r.body, `id="calendar-import"`) {
		t.Fatal("admin sees no toolbar")
	}
}

func TestCalendarImport(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	ctx := context.Background()
	// An entry the import will update.
	if err := a.store.CreateCalendarDay(ctx, xinlu.SystemActor(a.zone.ID), &xinlu.CalendarDay{ZoneID: a.zone.ID, Date: "2026-02-16", Kind: xinlu.DayHoliday, Name: "旧名称"}); err != nil {
		t.Fatal(err)
	}

	tpl := c.get("/calendar/template.xlsx")
	if tpl.StatusCode != 200 || !strings.Contains(tpl.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("template: %d %s", tpl.StatusCode, tpl.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(tpl.body))
	if err != nil {
		t.Fatalf("template does not open: %v", err)
	}
	head, _ := f.GetRows("节假日")
	if len(head) == 0 || strings.Join(head[0], ",") != "日期,类型,名称" || !strings.Contains(strings.Join(f.GetSheetList(), ","), "填写说明") {
		t.Fatalf("template header %q, sheets %v", head, f.GetSheetList())
	}
	dvs, _ := f.GetDataValidations("节假日")
	if len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "放假,调休上班") {
		t.Fatalf("template drop-down %+v", dvs)
	}
	f.Close()

	t.Run("a file that is not a workbook is refused", func(t *testing.T) {
		r := c.upload("/calendar/import", "calendar.xlsx", []byte("日期,类型,名称\n2026-02-15,放假,春节\n"))
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "只能上传 Excel 工作簿") {
			t.Fatalf("csv renamed to xlsx: %d", r.StatusCode)
		}
		r = c.upload("/calendar/import", "calendar.csv", []byte("x"))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("csv: %d", r.StatusCode)
		}
		big := c.upload("/calendar/import", "big.xlsx", bytes.Repeat([]byte("x"), 3<<20))
		if big.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(big.body, "文件不能超过 2 MB") {
			t.Fatalf("big file: %d", big.StatusCode)
		}
	})

	t.Run("a bad row shows its row number and writes nothing", func(t *testing.T) {
		book := calendarWorkbook(t, []byte(tpl.body), [][]any{
			{"2026-02-15", "放假", "春节"},
			{"2026-02-17", "调休上班", "春节调休"}, // row 3: a Tuesday
			{"2026/2/30", "放假", "春节"},      // row 4: no such day
		})
		r := c.upload("/calendar/import", "春节.xlsx", book)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("preview: %d", r.StatusCode)
		}
		for _, want := range []string{"预检发现 2 处错误", "第 3 行", "调休上班日须是周六或周日", "第 4 行", "无法识别的日期“2026/2/30”"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if strings.Contains(r.body, `action="/calendar/import/commit"`) {
			t.Error("a file with errors can be committed")
		}
		// Committing anyway (a forged form) re-checks and writes nothing.
		carried := hiddenFields(t, r.body, "/calendar/import/errors.xlsx")
		if forged := c.postForm("/calendar/import/commit", carried); forged.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("forged commit: %d", forged.StatusCode)
		}
		if days, _ := a.store.ListCalendarDays(ctx, a.zone.ID, 0); len(days) != 1 || days[0].Name != "旧名称" {
			t.Fatalf("something was written: %+v", days)
		}
		// The user's own workbook comes back with the reasons beside the rows.
		marked := c.postForm("/calendar/import/errors.xlsx", carried)
		if marked.StatusCode != 200 {
			t.Fatalf("error workbook: %d", marked.StatusCode)
		}
		mf, err := excelize.OpenReader(strings.NewReader(marked.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := mf.GetRows("节假日")
		if rows[0][3] != "错误原因" || len(rows[1]) > 3 || !strings.Contains(rows[2][3], "调休上班日须是周六或周日") || !strings.Contains(rows[3][3], "2026/2/30") {
			t.Fatalf("marked rows %q", rows)
		}
	})

	t.Run("a good workbook commits after the preview", func(t *testing.T) {
		book := calendarWorkbook(t, []byte(tpl.body), [][]any{
			{"2026-02-14", "调休上班", "春节调休"},
			{"2026-02-15", "休", "春节"},
			{"2026年2月16日", "放假", "春节"},
			{"2026-02-28", "班", "春节调休"},
		})
		r := c.upload("/calendar/import", "春节.xlsx", book)
		if r.StatusCode != 200 || !strings.Contains(r.body, "预检通过：共 4 行，将新增 3 条、修改 1 条，0 条无变化") {
			t.Fatalf("preview: %d", r.StatusCode)
		}
		if days, _ := a.store.ListCalendarDays(ctx, a.zone.ID, 0); len(days) != 1 {
			t.Fatal("the preview wrote")
		}
		done := c.postForm("/calendar/import/commit", hiddenFields(t, r.body, "/calendar/import/commit"))
		if done.StatusCode != http.StatusSeeOther || done.Header.Get("Location") != "/calendar?year=2026" {
			t.Fatalf("commit: %d %s", done.StatusCode, done.body)
		}
		days, _ := a.store.ListCalendarDays(ctx, a.zone.ID, 2026)
		if len(days) != 4 || days[2].Date != "2026-02-16" || days[2].Name != "春节" || days[3].Kind != xinlu.DayWorkday {
			t.Fatalf("imported %+v", days)
		}
		list := c.get("/calendar?year=2026")
		if !strings.Contains(list.body, "导入成功") || !strings.Contains(list.body, "调休上班 2 天") {
			t.Fatal("list after import")
		}
		_, n, _ := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "calendar.import"})
		if n != 4 {
			t.Fatalf("audit rows %d", n)
		}
	})

	t.Run("the export imports back unchanged", func(t *testing.T) {
		export := c.get("/calendar/export.xlsx?year=2026")
		r := c.upload("/calendar/import", "export.xlsx", []byte(export.body))
		if r.StatusCode != 200 || !strings.Contains(r.body, "预检通过：共 4 行，将新增 0 条、修改 0 条，4 条无变化") {
			t.Fatalf("re-import of the export: %d", r.StatusCode)
		}
	})
}
