package web_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// ledgerProject creates a project of the test zone signed on signedOn
// ("" for one not signed yet).
func (a *app) ledgerProject(name string, stage xinlu.Stage, signedOn string) *store.ProjectRecord {
	a.t.Helper()
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, name, name+"有限公司", "equipment", stage
	p.Signing.SignedOn = signedOn
	if err := a.store.CreateProject(context.Background(), xinlu.SystemActor(a.zone.ID), p); err != nil {
		a.t.Fatal(err)
	}
	return p
}

var saveQuery = regexp.MustCompile(`<input type="hidden" name="query" value="([^"]*)">`)

// TestLedgerSignedFilter: 签约项目 and the 签约时间 range on the ledger and
// its export; a bad date is refused in Chinese, naming the field.
func TestLedgerSignedFilter(t *testing.T) {
	a := newApp(t)
	a.ledgerProject("洽谈中项目", xinlu.StagePromotion, "")
	a.ledgerProject("八月签约项目", xinlu.StageAgency, "2026-08-15")
	a.ledgerProject("九月签约项目", xinlu.StageConstruction, "2026-09-20")
	c := a.as(xinlu.RoleMember)
	shows := func(path string, want ...string) string {
		t.Helper()
		res := c.get(path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		for _, n := range []string{"洽谈中项目", "八月签约项目", "九月签约项目"} {
			if got, wanted := strings.Contains(res.body, ">"+n+"</a>"), containsName(want, n); got != wanted {
				t.Errorf("%s: %s shown %v, want %v", path, n, got, wanted)
			}
		}
		return res.body
	}
	body := shows("/projects?signed=1", "八月签约项目", "九月签约项目")
	if !strings.Contains(body, `<option value="1" selected>已签约</option>`) || !strings.Contains(body, "签约日期起") {
		t.Errorf("the query bar does not echo the signed filter")
	}
	shows("/projects?signed=0", "洽谈中项目")
	body = shows("/projects?signed_from=2026-09-01&signed_to=2026-09-30", "九月签约项目")
	if !strings.Contains(body, `name="signed_from" value="2026-09-01"`) {
		t.Errorf("the date range is not echoed")
	}
	shows("/projects?signed_to=2026-08-31", "八月签约项目")
	shows("/projects?signed=maybe", "洽谈中项目", "八月签约项目", "九月签约项目") // unknown codes are "all"

	// The export link carries the filters, and the export honours them.
	if !strings.Contains(body, `href="/projects/export.xlsx?signed_from=2026-09-01&amp;signed_to=2026-09-30"`) {
		t.Errorf("export link lacks the filters")
	}
	res := c.get("/projects/export.xlsx?signed=1")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatalf("export: %d %v", res.StatusCode, err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 3+2+1 {
		t.Errorf("signed export rows %q", rows)
	}

	for _, tc := range []struct{ path, want string }{
		{"/projects?signed_from=2026-13-01", "签约日期起须为日期，格式如 2026-01-31"},
		{"/projects?signed_to=明天", "签约日期止须为日期，格式如 2026-01-31"},
		{"/projects?signed_from=2026-09-30&signed_to=2026-09-01", "签约日期止不能早于签约日期起"},
		{"/projects?signed=0&signed_from=2026-09-01", "未签约的项目没有签约日期"},
	} {
		res := c.get(tc.path)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, tc.want) || !strings.Contains(res.body, `id="form-error"`) {
			t.Errorf("%s: %d, want 422 with %q", tc.path, res.StatusCode, tc.want)
		}
	}
	if res := c.get("/projects/export.xlsx?signed_from=2026-02-30"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "签约日期起须为日期") {
		t.Errorf("bad date export: %d", res.StatusCode)
	}
}

func containsName(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSavedViewPages: save the ledger's filters from its page, find them in
// the dropdown, apply and delete them; leaders share, members cannot.
func TestSavedViewPages(t *testing.T) {
	a := newApp(t)
	a.ledgerProject("洽谈中项目", xinlu.StagePromotion, "")
	a.ledgerProject("八月签约项目", xinlu.StageAgency, "2026-08-15")
	a.ledgerProject("九月签约项目", xinlu.StageConstruction, "2026-09-20")
	ctx := context.Background()
	member, director := a.as(xinlu.RoleMember), a.as(xinlu.RoleDirector)

	page := member.get("/projects?signed=1&stage=agency&page=1")
	if !strings.Contains(page.body, "保存的查询（0）") || !strings.Contains(page.body, `id="saved-views-empty"`) {
		t.Fatalf("empty dropdown: %s", page.body)
	}
	if strings.Contains(page.body, `name="shared"`) {
		t.Errorf("a member is offered to share")
	}
	m := saveQuery.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no save form on the ledger")
	}
	query := html.UnescapeString(m[1])
	if query != "signed=1&stage=agency" {
		t.Fatalf("the save form carries %q", query)
	}

	res := member.postForm("/projects/views", url.Values{"csrf": {member.csrfToken("/projects")}, "name": {"代办阶段签约项目"}, "query": {query}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/projects?signed=1&stage=agency" {
		t.Fatalf("save: %d %s %s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	page = member.get("/projects")
	if !strings.Contains(page.body, "查询已保存") || !strings.Contains(page.body, "保存的查询（1）") ||
		!strings.Contains(page.body, `<a href="/projects?signed=1&amp;stage=agency" class="saved-view">代办阶段签约项目</a>`) {
		t.Fatalf("the dropdown lacks the view: %s", page.body)
	}
	applied := member.get("/projects?signed=1&stage=agency")
	if !strings.Contains(applied.body, ">八月签约项目</a>") || strings.Contains(applied.body, ">九月签约项目</a>") || strings.Contains(applied.body, ">洽谈中项目</a>") {
		t.Fatalf("applying the view does not filter the table")
	}

	t.Run("a taken name or a bad filter shows the form again", func(t *testing.T) {
		res := member.postForm("/projects/views", url.Values{"name": {"代办阶段签约项目"}, "query": {"signed=0"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "您已保存过同名的查询") ||
			!strings.Contains(res.body, `id="saved-views" open`) || !strings.Contains(res.body, `value="代办阶段签约项目"`) {
			t.Fatalf("duplicate: %d %s", res.StatusCode, res.body)
		}
		if !strings.Contains(res.body, ">洽谈中项目</a>") || strings.Contains(res.body, ">八月签约项目</a>") {
			t.Errorf("the ledger behind a refused save is not of its filters")
		}
		res = member.postForm("/projects/views", url.Values{"name": {"坏日期"}, "query": {"signed_from=2026-13-01"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "签约日期起须为日期") {
			t.Fatalf("bad date: %d", res.StatusCode)
		}
		res = member.postForm("/projects/views", url.Values{"name": {""}, "query": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "名称不能为空") {
			t.Fatalf("no name: %d", res.StatusCode)
		}
	})
	t.Run("a member cannot share, even with a forged form", func(t *testing.T) {
		res := member.postForm("/projects/views", url.Values{"name": {"伪造共享"}, "query": {"signed=1"}, "shared": {"1"}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "没有权限") {
			t.Fatalf("forged share: %d", res.StatusCode)
		}
		vs, _ := a.store.SavedViews(ctx, a.zone.ID, a.users[xinlu.RoleMember].ID, store.SavedViewProjects)
		if len(vs) != 1 {
			t.Fatalf("the forged view was saved: %+v", vs)
		}
	})
	t.Run("a leader shares with the zone", func(t *testing.T) {
		page := director.get("/projects?signed_from=2026-09-01")
		if !strings.Contains(page.body, `name="shared" value="1"`) {
			t.Fatal("a leader is not offered to share")
		}
		res := director.postForm("/projects/views", url.Values{"name": {"九月以来签约"}, "query": {"signed_from=2026-09-01"}, "shared": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("share: %d %s", res.StatusCode, res.body)
		}
		page = member.get("/projects")
		i := strings.Index(page.body, ">九月以来签约</a>")
		if i < 0 || !strings.Contains(page.body[i:], `<span class="tag tag-blue">共享</span>`) || !strings.Contains(page.body, "测试director 共享") {
			t.Fatalf("the member does not see the shared view: %s", page.body)
		}
		shared, _ := a.store.SavedViews(ctx, a.zone.ID, a.users[xinlu.RoleDirector].ID, store.SavedViewProjects)
		if strings.Contains(page.body, `action="/projects/views/`+strconvFormat(shared[0].ID)+`/delete"`) {
			t.Errorf("the member is offered to delete the leader's view")
		}
		if res := member.postForm("/projects/views/"+strconvFormat(shared[0].ID)+"/delete", url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("member deletes the shared view: %d", res.StatusCode)
		}
		if page := a.as(xinlu.RoleViewer).get("/projects"); !strings.Contains(page.body, "九月以来签约") || strings.Contains(page.body, "代办阶段签约项目") {
			t.Errorf("another user sees the wrong views")
		}
	})
	t.Run("delete one's own view", func(t *testing.T) {
		vs, _ := a.store.SavedViews(ctx, a.zone.ID, a.users[xinlu.RoleMember].ID, store.SavedViewProjects)
		id := strconvFormat(vs[0].ID)
		if vs[0].Name != "代办阶段签约项目" {
			t.Fatalf("own view first: %+v", vs)
		}
		page := member.get("/projects")
		if !strings.Contains(page.body, `action="/projects/views/`+id+`/delete"`) || !strings.Contains(page.body, "确定删除“代办阶段签约项目”吗？") {
			t.Fatal("no delete form for the own view")
		}
		if res := member.postForm("/projects/views/"+id+"/delete", url.Values{"version": {"2"}}); res.StatusCode != http.StatusConflict {
			t.Fatalf("stale delete: %d", res.StatusCode)
		}
		if res := member.postForm("/projects/views/"+id+"/delete", url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		page = member.get("/projects")
		if !strings.Contains(page.body, "删除成功") || strings.Contains(page.body, "代办阶段签约项目") || !strings.Contains(page.body, "保存的查询（1）") {
			t.Fatalf("after delete: %s", page.body)
		}
		entries, _, _ := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Entity: "saved_view"})
		if len(entries) != 3 || entries[0].Action != "saved_view.delete" {
			t.Fatalf("audit %+v", entries)
		}
	})
}
