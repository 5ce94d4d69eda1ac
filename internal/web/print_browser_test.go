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

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestBrowserPublicationPrintsAsNotice prints the demo zone's publication
// notice to PDF in Chromium, as the office would before posting it, and
// reads the PDF back page by page: every page carries its number, no name
// or band is broken across lines, the heading is on the first page and the
// contact line, issuing body and date close the last.
func TestBrowserPublicationPrintsAsNotice(t *testing.T) {
	ctx := browser(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("XINLU_TEST_BROWSER") == "required" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	a := newDemoApp(t)
	periods, _, err := a.store.ListPeriods(t.Context(), store.PeriodFilter{ZoneID: a.zone.ID, State: xinlu.PeriodPublication, Page: xinlu.Page{Page: 1, PerPage: 10}})
	if err != nil || len(periods) != 1 {
		t.Fatalf("the demo zone has no period in publication: %d %v", len(periods), err)
	}
	p := periods[0]

	login(t, ctx, a, "appraiser")
	notice := a.http.URL + "/appraisal/periods/" + strconv.FormatInt(p.ID, 10) + "/publication"
	step(t, ctx, "open the notice", chromedp.Navigate(notice), chromedp.WaitVisible("#notice-table"))
	step(t, ctx, "type the contact",
		chromedp.SendKeys("#tel", "0351-7654321"),
		chromedp.Submit("#notice-options"))
	// The form reloads the page with the typed contact: wait for the new page.
	contact := ""
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		contact, _ = chromedp.Run(c, chromedp.Evaluate[string](`(document.getElementById("notice-contact") || {}).textContent || ""`))
		cancel()
		if strings.Contains(contact, "0351-7654321") {
			break
		}
	}
	mustContain(t, "contact line", contact, "联系人：周文静", "联系电话：0351-7654321")

	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	names, err := chromedp.Run(c, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#notice-table td.name")].map(td => td.textContent)`))
	if err != nil || len(names) < 40 {
		t.Fatalf("names on the notice: %d %v", len(names), err)
	}
	groupCols, err := chromedp.Run(c, chromedp.Evaluate[int](`document.querySelectorAll("#notice-table thead th").length`))
	if err != nil || groupCols != 5 {
		t.Errorf("the notice should print one grouping column (5 in all), has %d", groupCols)
	}
	pdf, err := chromedp.Run(c, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	dir := os.Getenv("XINLU_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "publication-notice.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	pages := pdfPages(t, path)
	if len(pages) < 2 {
		t.Fatalf("%d names fit on %d page: the test wants a notice of several pages", len(names), len(pages))
	}
	all := strings.Join(pages, "\n")
	for i, page := range pages {
		if !regexp.MustCompile(`—\s*` + strconv.Itoa(i+1) + `\s*—`).MatchString(page) {
			t.Errorf("page %d has no page number — %d —:\n%s", i+1, i+1, page)
		}
		if i > 0 && strings.Contains(page, "关于") && strings.Contains(page, "公示") && strings.Contains(page, p.Label) && strings.Contains(page, "绩效考核结果的公示") {
			t.Errorf("the heading repeats on page %d", i+1)
		}
	}
	if !strings.Contains(pages[0], "绩效考核结果的公示") {
		t.Errorf("the first page lacks the heading:\n%s", pages[0])
	}
	last := pages[len(pages)-1]
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	for _, want := range []string{"联系人：周文静", "联系电话：0351-7654321", a.zone.Name,
		strconv.Itoa(today.Year()) + "年" + strconv.Itoa(int(today.Month())) + "月"} {
		if !strings.Contains(last, want) {
			t.Errorf("the last page lacks %q:\n%s", want, last)
		}
	}
	// Names and bands whole on one line: a broken name (罗晓/东) is not
	// found as a whole in the text of its page.
	for _, n := range names {
		if !strings.Contains(all, n) {
			t.Errorf("name %q is broken or missing in the PDF", n)
		}
	}
	for _, band := range []string{"前20%", "后20%"} {
		if !strings.Contains(all, band) {
			t.Errorf("band %q is broken or missing in the PDF", band)
		}
	}
}

// pdfPages is the text of each page of the PDF at path, laid out as
// printed (pdftotext -layout).
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
	return pages
}
