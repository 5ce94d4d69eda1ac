package web_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// A calendar whose header no dictionary knows gets the column mapping
// step; the mapping chosen is used for the import and remembered for the
// zone, so that the next file of the same layout needs no step.
func TestCalendarImportMappingStep(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	book := otherZoneLedger(t, []string{"哪天", "安排", "节日", "说明"},
		[][]string{{"2026-10-01", "放假", "国庆节", "全体放假"}, {"2026-10-10", "调休上班", "国庆节", ""}})
	r := c.upload("/calendar/import", "odd.xlsx", book)
	if r.StatusCode != 422 || !strings.Contains(r.body, `id="mapping-step"`) || !strings.Contains(r.body, "第 1 行") {
		t.Fatalf("unknown header: want the mapping step, got %d %s", r.StatusCode, firstError(r.body))
	}
	data := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(r.body)
	if data == nil {
		t.Fatal("the mapping step does not carry the workbook")
	}
	form := url.Values{"csrf": {c.csrfToken("/calendar/import")}, "filename": {"odd.xlsx"}, "data": {data[1]},
		"mh": {"哪天", "安排", "节日", "说明"}, "mf": {"date", "kind", "name", "-"}}
	r = c.postForm("/calendar/import/check", form)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="import-ok"`) || !strings.Contains(r.body, "国庆节") {
		t.Fatalf("with the mapping: %d %s", r.StatusCode, firstError(r.body))
	}
	mapping := regexp.MustCompile(`id="calendar-commit"[\s\S]*?name="mapping" value="([^"]+)"`).FindStringSubmatch(r.body)
	if mapping == nil {
		t.Fatal("the commit form does not carry the mapping")
	}
	commit := url.Values{"csrf": {form.Get("csrf")}, "filename": {"odd.xlsx"}, "data": {data[1]}, "mapping": {html.UnescapeString(mapping[1])}}
	if r := c.postForm("/calendar/import/commit", commit); r.StatusCode != 303 {
		t.Fatalf("commit: %d %s", r.StatusCode, firstError(r.body))
	}
	days, err := a.store.ListCalendarDays(context.Background(), a.zone.ID, 2026)
	if err != nil || len(days) != 2 {
		t.Fatalf("imported days: %v %v", days, err)
	}
	// The next file of the same layout is read with the remembered mapping.
	again := otherZoneLedger(t, []string{"哪天", "安排", "节日", "说明"}, [][]string{{"2026-12-31", "放假", "元旦", ""}})
	r = c.upload("/calendar/import", "odd2.xlsx", again)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="import-ok"`) || !strings.Contains(r.body, "元旦") {
		t.Fatalf("remembered mapping: %d %s", r.StatusCode, firstError(r.body))
	}
	// A mapping to a field the calendar does not have is refused.
	form["mf"] = []string{"date", "kind", "total", "-"}
	if r := c.postForm("/calendar/import/check", form); r.StatusCode != 422 {
		t.Fatalf("mapping to an unknown field: %d", r.StatusCode)
	}
}
