package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestParkPages(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	if r := c.get("/parks"); r.StatusCode != 200 || !strings.Contains(r.body, "暂无园区") {
		t.Fatalf("empty list: %d", r.StatusCode)
	}
	form := c.get("/parks/new")
	if form.StatusCode != 200 || !strings.Contains(form.body, `name="industries" value="light_industry"`) || !strings.Contains(form.body, "智慧装备制造") {
		t.Fatalf("new form: %d", form.StatusCode)
	}

	t.Run("bad input is refused naming the field", func(t *testing.T) {
		for _, tc := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"name": {"装备园"}, "area_mu": {"100"}}, "请至少选择一项主导产业"},
			{url.Values{"name": {""}, "industries": {"equipment"}}, "名称不能为空"},
			{url.Values{"name": {"装备园"}, "area_mu": {"-1"}, "industries": {"equipment"}}, "规划面积（亩）须在 0 到 10000000 之间"},
			{url.Values{"name": {"装备园"}, "area_mu": {"三千"}, "industries": {"equipment"}}, "规划面积（亩）须为数字"},
			{url.Values{"name": {"装备园"}, "industries": {"steel"}}, "未知的产业代码：steel"},
		} {
			r := c.postForm("/parks", tc.form)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, tc.want) {
				t.Errorf("%v: %d, want 422 with %q", tc.form, r.StatusCode, tc.want)
			}
		}
		r := c.postForm("/parks", url.Values{"name": {""}, "area_mu": {"88"}, "industries": {"casting", "other"}})
		if !strings.Contains(r.body, `value="casting" checked`) || !strings.Contains(r.body, `value="88"`) {
			t.Errorf("the form does not keep what was typed")
		}
	})

	r := c.postForm("/parks", url.Values{"name": {"智能装备产业园"}, "area_mu": {"3200"}, "industries": {"materials", "equipment"}, "description": {"东区"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	list := c.get("/parks")
	if !strings.Contains(list.body, "智能装备产业园") || !strings.Contains(list.body, "新增成功") || !strings.Contains(list.body, "共 1 条") ||
		!strings.Contains(list.body, `<span class="tag tag-blue">智慧装备制造</span> <span class="tag tag-blue">新型材料</span>`) ||
		!strings.Contains(list.body, "确定删除“智能装备产业园”吗？") {
		t.Fatalf("list after create: %s", list.body)
	}
	items, _, err := a.store.ListParks(context.Background(), store.ParkFilter{ZoneID: a.zone.ID})
	if err != nil || len(items) != 1 {
		t.Fatalf("stored: %v %v", items, err)
	}
	id := strconv.FormatInt(items[0].ID, 10)

	t.Run("search and industry filter", func(t *testing.T) {
		if r := c.get("/parks?q=装备&industry=materials"); !strings.Contains(r.body, "智能装备产业园") {
			t.Fatalf("filter hides the park")
		}
		if r := c.get("/parks?industry=biomedicine"); strings.Contains(r.body, "智能装备产业园") {
			t.Fatalf("industry filter shows the park")
		}
	})
	t.Run("duplicate name is refused", func(t *testing.T) {
		r := c.postForm("/parks", url.Values{"name": {"智能装备产业园"}, "industries": {"other"}})
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "同名的园区已存在") {
			t.Fatalf("duplicate: %d", r.StatusCode)
		}
	})
	t.Run("a member may look but not change", func(t *testing.T) {
		m := a.as(xinlu.RoleMember)
		if r := m.get("/parks"); r.StatusCode != 200 || !strings.Contains(r.body, "智能装备产业园") || strings.Contains(r.body, `id="park-new"`) {
			t.Fatalf("member list: %d", r.StatusCode)
		}
		if r := m.postForm("/parks", url.Values{"name": {"越权园"}, "industries": {"other"}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member create: %d", r.StatusCode)
		}
		if r := m.postForm("/parks/"+id+"/delete", url.Values{"version": {"1"}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member delete: %d", r.StatusCode)
		}
	})
	t.Run("edit keeps the industries, stale edit and delete", func(t *testing.T) {
		edit := c.get("/parks/" + id + "/edit")
		if !strings.Contains(edit.body, `value="equipment" checked`) || !strings.Contains(edit.body, `value="materials" checked`) ||
			strings.Contains(edit.body, `value="casting" checked`) {
			t.Fatalf("edit form: %s", edit.body)
		}
		if r := c.postForm("/parks/"+id, url.Values{"name": {"智能装备产业园"}, "area_mu": {"4000"}, "industries": {"equipment"}, "version": {"1"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.StatusCode, r.body)
		}
		if r := c.postForm("/parks/"+id, url.Values{"name": {"过期"}, "industries": {"other"}, "version": {"1"}}); r.StatusCode != http.StatusConflict {
			t.Fatalf("stale update: %d", r.StatusCode)
		}
		if r := c.postForm("/parks/"+id+"/delete", url.Values{"version": {"1"}}); r.StatusCode != http.StatusConflict {
			t.Fatalf("stale delete: %d", r.StatusCode)
		}
		if r := c.postForm("/parks/"+id+"/delete", url.Values{"version": {"2"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.StatusCode)
		}
		if r := c.get("/parks"); !strings.Contains(r.body, "删除成功") || !strings.Contains(r.body, "暂无园区") {
			t.Fatalf("after delete")
		}
	})
	t.Run("English labels", func(t *testing.T) {
		c.lang = "en"
		en := a.as(xinlu.RoleAdmin)
		en.lang = "en-US"
		if r := en.get("/parks/new"); !strings.Contains(r.body, "Smart equipment manufacturing") {
			t.Fatalf("no English industry labels")
		}
	})
}
