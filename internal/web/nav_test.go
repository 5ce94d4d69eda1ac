package web_test

import (
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// menuLinks lists the links of the left menu on the home page of c.
func menuLinks(t *testing.T, c *client) map[string]bool {
	t.Helper()
	body := c.get("/").body
	i, j := strings.Index(body, `id="sidebar"`), strings.Index(body, "</aside>")
	if i < 0 || j < i {
		t.Fatalf("no menu on the home page")
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(body[i:j], -1) {
		out[m[1]] = true
	}
	return out
}

// TestMenuShowsWhatTheRoleCanUse: a member does not get organisation pages
// that would only show themselves, an account without a staff record has no
// 我的考核, 履约情况 and 基础绩效工资 are in the menus of their roles, and the
// menu's pictures are inline SVG, not characters an emoji font must draw.
func TestMenuShowsWhatTheRoleCanUse(t *testing.T) {
	a := newApp(t)
	member := menuLinks(t, a.as(xinlu.RoleMember))
	for _, p := range []string{"/departments", "/positions", "/members", "/contracts/expiring", "/parks"} {
		if member[p] {
			t.Errorf("a member's menu has %s", p)
		}
	}
	for _, p := range []string{"/appraisal/mine", "/projects/performance", "/teams"} {
		if !member[p] {
			t.Errorf("a member's menu lacks %s", p)
		}
	}
	if head := menuLinks(t, a.as(xinlu.RoleHead)); !head["/members"] || !head["/departments"] {
		t.Errorf("a head of department's menu lacks the staff pages: %v", head)
	}
	if viewer := menuLinks(t, a.as(xinlu.RoleViewer)); viewer["/appraisal/mine"] {
		t.Errorf("an account without a staff record has 我的考核")
	}
	if finance := menuLinks(t, a.as(xinlu.RoleFinance)); !finance["/appraisal/base-pay"] {
		t.Errorf("finance's menu lacks 基础绩效工资")
	}
	body := a.as(xinlu.RoleAdmin).get("/").body
	menu := body[strings.Index(body, `id="sidebar"`):strings.Index(body, "</header>")]
	if !strings.Contains(menu, "<svg") {
		t.Errorf("no SVG icons in the menu")
	}
	for _, sym := range []string{"🔔", "⚠", "☰", "⌂", "★", "⚙"} {
		if strings.Contains(menu, sym) {
			t.Errorf("the menu or top bar draws %q as a character", sym)
		}
	}
}
