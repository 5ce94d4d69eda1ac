package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// TestHelpPages: every module has a help page in both languages, reachable
// from the menu, and each module's pages link to their help.
func TestHelpPages(t *testing.T) {
	a := newApp(t)
	member := a.as(xinlu.RoleMember)
	index := member.get("/help")
	if index.StatusCode != 200 || !strings.Contains(index.body, `href="/help"`) {
		t.Fatalf("help index: %d", index.StatusCode)
	}
	var modules []string
	for _, m := range regexp.MustCompile(`<li><a href="/help/([a-z]+)">`).FindAllStringSubmatch(index.body, -1) {
		if !slices.Contains(modules, m[1]) {
			modules = append(modules, m[1])
		}
	}
	if len(modules) < 8 {
		t.Fatalf("modules on the index: %v", modules)
	}
	seen := map[string]string{}
	for _, lang := range []string{"zh-CN", "en"} {
		if r := member.postForm("/lang", url.Values{"lang": {lang}, "next": {"/help"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("language %s: %d", lang, r.StatusCode)
		}
		for _, m := range modules {
			r := member.get("/help/" + m)
			body := regexp.MustCompile(`(?s)<article class="card help-body" id="help-body">(.*?)</article>`).FindStringSubmatch(r.body)
			if r.StatusCode != 200 || body == nil || len(strings.TrimSpace(body[1])) < 200 {
				t.Errorf("%s help of %s: %d", lang, m, r.StatusCode)
				continue
			}
			// Chinese pages are mostly Han; English ones quote at most a
			// few Chinese words (a column name, 待定).
			han := len(regexp.MustCompile(`\p{Han}`).FindAllString(body[1], -1))
			if lang == "zh-CN" && han < 100 || lang == "en" && han > 12 {
				t.Errorf("%s help of %s is not in its language (%d Chinese characters)", lang, m, han)
			}
			if other, ok := seen[m]; ok && other == body[1] {
				t.Errorf("%s help of %s is the same in both languages", lang, m)
			}
			seen[m] = body[1]
		}
	}
	member.postForm("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/"}})
	if r := member.get("/leads/mine"); !strings.Contains(r.body, `href="/help/leads" class="help-link"`) {
		t.Error("my leads does not link to the leads help")
	}
	if r := member.get("/help/nonsense"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown help page: %d", r.StatusCode)
	}
}
