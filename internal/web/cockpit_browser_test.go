package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"xinlu/internal/xinlu"
)

// TestBrowserCockpit: the director opens the cockpit, which is drawn within
// a second of navigation (the browser's performance timing); clicks the
// funnel's signing step and gets the ledger of the year's signings; issues
// a 督办 on the red project in one click and sees it on the project; opens
// the red leads' list at 1366 and 390 wide; and
// the meeting-room screen is drawn on a 1920×1080 window, saved as a
// screenshot (XINLU_SCREENSHOTS, else the test's temporary folder).
func TestBrowserCockpit(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	login(t, ctx, a, "director")
	seedCockpitPipeline(t, a)
	cockpit := a.http.URL + "/cockpit?year=2026"

	step(t, ctx, "open the cockpit",
		chromedp.Navigate(cockpit),
		chromedp.WaitVisible(`html[data-charts-drawn]`),
		chromedp.WaitVisible(`#cockpit-funnel[data-chart-ready="1"] canvas`),
	)
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Number(document.documentElement.getAttribute("data-charts-drawn"))`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cockpit drawn %.0f ms after navigation", drawn)
	if drawn <= 0 || drawn > 1000 {
		t.Fatalf("cockpit drawn %.0f ms after navigation, want within 1000", drawn)
	}
	shot(t, ctx, "cockpit-01")

	// A click on the funnel's step 签约 opens the year's signings.
	step(t, ctx, "click the funnel's signing step",
		chromedp.Evaluate[chromedp.Void](`void echarts.getInstanceByDom(document.getElementById("cockpit-funnel")).trigger("click", {dataIndex: 2})`),
		chromedp.WaitVisible(`.pager .total`),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	mustContain(t, "the signings' ledger", loc, "signed_from=2026-01-01", "signed_to=2026-12-31")
	mustContain(t, "the signings' total", text(t, ctx, ".pager .total"), "共 2 条")

	// 督办 on the red project, in one click.
	step(t, ctx, "督办",
		chromedp.Navigate(cockpit),
		chromedp.WaitVisible(`#alerts-project .supervise`),
		submit(`#alerts-project .supervise`),
		chromedp.WaitVisible(`#supervision-orders`),
	)
	mustContain(t, "the order on the project", text(t, ctx, "#supervision-orders"), "碳纤维项目", "当前阶段已逾期 5 个工作日", "测试sponsor")

	// Two leads past their screening deadline: the red leads' link opens
	// their list, on a desk and on a phone.
	for _, d := range []int{1, 2} {
		l := &xinlu.Lead{Company: fmt.Sprintf("九月%d日公司", d), ProjectName: "待筛项目", Industry: "materials", Channel: "expo",
			ReporterID: a.users[xinlu.RoleMember].MemberID, ReportedAt: time.Date(2026, 9, d, 3, 0, 0, 0, time.UTC)}
		if _, err := a.store.ReportLead(context.Background(), xinlu.SystemActor(a.zone.ID), l); err != nil {
			t.Fatal(err)
		}
	}
	for _, width := range []int64{1366, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		step(t, ctx, fmt.Sprintf("the red leads at %d wide", width),
			chromedp.Navigate(cockpit),
			chromedp.WaitVisible(`#alerts-lead .alerts-link`),
			chromedp.Click(`#alerts-lead .alerts-link`),
			chromedp.WaitVisible(`#lead-cockpit-filter`),
		)
		mustContain(t, "the red leads' list", text(t, ctx, "main"), "共 2 条", "九月1日公司", "九月2日公司", "仅列出已超过初筛期限的线索（红灯）")
		if wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); err != nil || wide {
			t.Errorf("the red leads' list at %d wide scrolls sideways (%v)", width, err)
		}
		shot(t, ctx, fmt.Sprintf("cockpit-red-leads-%d", width))
	}

	// The meeting-room screen, full size.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "the screen",
		chromedp.Navigate(a.http.URL+"/cockpit/screen?year=2026"),
		chromedp.WaitVisible(`html[data-charts-drawn]`),
		chromedp.WaitVisible(`#cockpit-funnel[data-chart-ready="1"] canvas`),
	)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil || len(png) < 10_000 {
		t.Fatalf("screenshot of the screen: %d bytes, %v", len(png), err)
	}
	dir := os.Getenv("XINLU_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "cockpit-screen.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screen saved to %s", path)
	body := text(t, ctx, "#screen")
	mustContain(t, "the screen", body, "领导驾驶舱 2026", "每 5 分钟自动刷新", "碳纤维项目")
	if strings.Contains(body, "督办") {
		t.Fatal("the screen only reads")
	}
}
