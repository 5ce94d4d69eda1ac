package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xinlu/internal/xinlu"
)

// TestBrowserLedgerColumnMapping maps the columns of a ledger whose
// headers no dictionary knows in the browser: the upload shows the mapping
// step, the user picks each column's field (one not imported), the dry run
// names that column, the import creates the projects, and the next file of
// the same layout goes straight to the dry run.
func TestBrowserLedgerColumnMapping(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	header := []string{"工程名目", "出资方", "盘子（万元）", "眼下状况", "经办"}
	dir := t.TempDir()
	first := filepath.Join(dir, "台账.xlsx")
	os.WriteFile(first, otherZoneLedger(t, header, [][]string{{"甲项目", "甲公司", "1,500", "在谈", "小王"}, {"乙项目", "乙公司", "300", "前期", ""}}), 0o644)
	next := filepath.Join(dir, "台账2.xlsx")
	os.WriteFile(next, otherZoneLedger(t, header, [][]string{{"丙项目", "丙公司", "90", "在谈", ""}}), 0o644)

	login(t, ctx, a, string(xinlu.RolePlanner))
	step(t, ctx, "upload",
		chromedp.Navigate(a.http.URL+"/projects/import"),
		chromedp.WaitVisible("#file"),
		chromedp.SetUploadFiles("#file", []string{first}),
		submit("#upload"),
		chromedp.WaitVisible("#mapping-step"),
	)
	step(t, ctx, "map the columns",
		chromedp.SetValue("#mapping-step #map-A", "name"),
		chromedp.SetValue("#mapping-step #map-B", "company"),
		chromedp.SetValue("#mapping-step #map-C", "total"),
		chromedp.SetValue("#mapping-step #map-D", "stage"),
		chromedp.SetValue("#mapping-step #map-E", "-"),
		submit("#mapping-step #mapping-submit"),
		chromedp.WaitVisible("#import-preview"),
	)
	mustContain(t, "dry run", text(t, ctx, "#import-preview"), "可新增 2 个")
	mustContain(t, "not imported", text(t, ctx, "#not-imported"), "经办", "1 行有内容")
	shot(t, ctx, "ledger-mapped")
	step(t, ctx, "import", submit("#commit"), chromedp.WaitVisible("#current-user"))
	if n := projectCount(t, a); n != 2 {
		t.Fatalf("%d projects after the import", n)
	}
	step(t, ctx, "the same layout again",
		chromedp.Navigate(a.http.URL+"/projects/import"),
		chromedp.WaitVisible("#file"),
		chromedp.SetUploadFiles("#file", []string{next}),
		submit("#upload"),
		chromedp.WaitVisible("#import-preview"),
	)
	if got := text(t, ctx, "#mapping-adjust summary"); !strings.Contains(got, "已使用本区上次保存的列对应") {
		t.Fatalf("remembered mapping not said: %q", got)
	}
}
