package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserBriefingPrints prints the demo zone's issued briefing of last
// month to PDF in Chromium and reads it back: A4 pages each numbered, the
// red head and title on the first, the director's comment, issuing body
// and date on the last, and the leads total of the figures in it.
func TestBrowserBriefingPrints(t *testing.T) {
	ctx := browser(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("XINLU_TEST_BROWSER") == "required" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	a := newDemoApp(t)
	list, err := a.store.Briefings(t.Context(), a.zone.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("the demo zone has no issued briefing: %d %v", len(list), err)
	}
	b := list[0]
	login(t, ctx, a, "director")
	step(t, ctx, "open the briefings", chromedp.Navigate(a.http.URL+"/briefings"), chromedp.WaitVisible("#briefings-issued"))
	step(t, ctx, "open the issued one", chromedp.Click(`a[href="/briefings/`+strconv.FormatInt(b.ID, 10)+`"]`), chromedp.WaitVisible("#briefing"))
	shot(t, ctx, "briefing-issued")

	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(c, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	dir := os.Getenv("XINLU_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "monthly-briefing.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, path)
	for i, page := range pages {
		if !regexp.MustCompile(`—\s*` + strconv.Itoa(i+1) + `\s*—`).MatchString(page) {
			t.Errorf("page %d has no page number — %d —:\n%s", i+1, i+1, page)
		}
		if strings.Contains(page, "生成草稿") || strings.Contains(page, "下载 Word") {
			t.Errorf("page %d prints the page's controls", i+1)
		}
	}
	first, last := pages[0], pages[len(pages)-1]
	mustContain(t, "first page", first, a.zone.Name, "工作通报", "一、总体情况", "本月新增线索 "+strconv.Itoa(b.Figures.LeadsTotal)+" 条")
	comment := strings.Join(strings.Fields(strings.Join(pages, "")), "")
	for _, want := range []string{"各部门要对照红灯事项逐项销号", "主任意见"} {
		if !strings.Contains(comment, want) {
			t.Errorf("the briefing lacks %q", want)
		}
	}
	issued := b.IssuedAt.In(time.FixedZone("CST", 8*3600))
	mustContain(t, "last page", last, a.zone.Name, strconv.Itoa(issued.Year())+"年"+strconv.Itoa(int(issued.Month()))+"月"+strconv.Itoa(issued.Day())+"日")
}

// TestBrowserAssessmentPrints prints the demo zone's self-assessment to
// PDF and reads it back: the sheet's title, every indicator whole, the
// self-score, and none of the page's controls.
func TestBrowserAssessmentPrints(t *testing.T) {
	ctx := browser(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("XINLU_TEST_BROWSER") == "required" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	a := newDemoApp(t)
	year := time.Now().In(time.FixedZone("CST", 8*3600)).Year()
	sheet, err := a.store.Assessment(t.Context(), a.zone.ID, year)
	if err != nil || len(sheet.Rows) == 0 {
		t.Fatalf("the demo zone has no self-assessment: %v", err)
	}
	login(t, ctx, a, "planner")
	step(t, ctx, "open the self-assessment", chromedp.Navigate(a.http.URL+"/assessment"), chromedp.WaitVisible("#assessment-table"))
	shot(t, ctx, "assessment")
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(c, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	dir := os.Getenv("XINLU_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "self-assessment.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pdfPages(t, path), "\n")
	mustContain(t, "printed sheet", all, strconv.Itoa(year)+"年度开发区考核自评表", a.zone.Name, strconv.FormatFloat(sheet.Total, 'f', -1, 64))
	for _, r := range sheet.Rows {
		if !strings.Contains(all, r.Name) {
			t.Errorf("indicator %q is broken or missing in the PDF", r.Name)
		}
	}
	for _, control := range []string{"新增指标", "载入默认指标表", "修改", "删除"} {
		if strings.Contains(all, control) {
			t.Errorf("the print shows the control %q", control)
		}
	}
}
