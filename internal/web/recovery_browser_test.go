package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestBrowserRecoveryCodesCopyAndDownload: new recovery codes can be
// copied and saved as a text file of one code a line.
func TestBrowserRecoveryCodesCopyAndDownload(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	login(t, ctx, a, "appraiser")
	step(t, ctx, "new recovery codes",
		chromedp.Navigate(a.http.URL+"/profile/totp"),
		chromedp.WaitVisible("#rc-password"),
		chromedp.SendKeys("#rc-password", testPassword),
		chromedp.Click("#recovery-regenerate"),
	)
	step(t, ctx, "recovery page", chromedp.WaitVisible("#recovery-copy"))
	shot(t, ctx, "recovery-codes")
	codes := regexp.MustCompile(`[a-z0-9]{4,}-[a-z0-9]{4,}`).FindAllString(text(t, ctx, "#recovery-codes"), -1)
	if len(codes) != 10 {
		t.Fatalf("codes shown: %q", codes)
	}
	step(t, ctx, "copy", chromedp.Click("#recovery-copy"))
	mustContain(t, "copy button", text(t, ctx, "#recovery-copy"), "已复制")

	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "download", chromedp.Click("#recovery-download"))
	file := filepath.Join(dir, "新路-恢复码.txt")
	var body []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
			body = b
			break
		}
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(body), "\r\n", "\n")), "\n")
	if strings.Join(lines, ",") != strings.Join(codes, ",") {
		t.Fatalf("the downloaded file holds %q, want one code a line %q", body, codes)
	}
}
