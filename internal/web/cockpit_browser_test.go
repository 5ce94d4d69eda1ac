package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCockpit: the director opens the cockpit, which is drawn within
// a second of navigation (the browser's performance timing); clicks the
// funnel's signing step and gets the ledger of the year's signings; issues
// a 督办 on the red project in one click and sees it on the project; and
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
