package httpx_test

import (
	"net/http"
	"testing"

	"xinlu/internal/httpx"
	"xinlu/internal/xinlu"
)

// Every download names its file the same way, on both faces.
func TestAttachment(t *testing.T) {
	for _, c := range []struct{ name, fallback, want string }{
		// A plain ASCII name is its own fallback.
		{"plan-2026 (v2).pdf", "", `attachment; filename="plan-2026 (v2).pdf"; filename*=UTF-8''plan-2026%20%28v2%29.pdf`},
		{`a"b;c.pdf`, "", `attachment; filename="attachment.pdf"; filename*=UTF-8''a%22b%3Bc.pdf`},
		{"projects-20261102.xlsx", "", `attachment; filename="projects-20261102.xlsx"; filename*=UTF-8''projects-20261102.xlsx`},
		{"项目简介.pdf", "", `attachment; filename="attachment.pdf"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E7%AE%80%E4%BB%8B.pdf`},
		{"2027年节假日.xlsx", "calendar-2027.xlsx", `attachment; filename="calendar-2027.xlsx"; filename*=UTF-8''2027%E5%B9%B4%E8%8A%82%E5%81%87%E6%97%A5.xlsx`},
	} {
		got := httpx.Attachment(c.name)
		if c.fallback != "" {
			got = httpx.AttachmentAs(c.name, c.fallback)
		}
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// One table of statuses serves both faces.
func TestStatus(t *testing.T) {
	for code, want := range map[xinlu.Code]int{
		xinlu.EINVALID: 422, xinlu.ENOTFOUND: 404, xinlu.ECONFLICT: 409, xinlu.EFORBIDDEN: 403, xinlu.EUNAUTHORIZED: 401,
		xinlu.ETOOMANYREQUESTS: 429, httpx.ETooLarge: 413, xinlu.EUNAVAILABLE: 503, xinlu.EINTERNAL: 500, "something else": 500,
	} {
		if got := httpx.Status(code); got != want {
			t.Errorf("%s: %d, want %d", code, got, want)
		}
	}
	if got := httpx.Status(xinlu.ErrorCode(httpx.TooLarge())); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d", got)
	}
}
