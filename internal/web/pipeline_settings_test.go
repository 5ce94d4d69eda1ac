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

func TestPipelineSettingsPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	admin := a.as(xinlu.RoleSysAdmin)
	templates := func() store.ApprovalTemplateList {
		t.Helper()
		l, err := a.store.ApprovalTemplates(ctx, a.zone.ID)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	itemPath := func(id int64) string { return "/settings/pipeline/approvals/" + strconv.FormatInt(id, 10) }
	// withLights adds the default light thresholds to a deadlines form
	// that does not set them.
	withLights := func(v url.Values) url.Values {
		for k, d := range map[string]string{"yellow_within_days": "2", "sponsor_after_days": "5", "director_after_days": "10"} {
			if _, ok := v[k]; !ok {
				v.Set(k, d)
			}
		}
		return v
	}

	page := admin.get("/settings/pipeline")
	if page.StatusCode != 200 || !strings.Contains(page.body, "招商流程设置") || !strings.Contains(page.body, `id="screening_days" name="screening_days" type="number" min="1" max="60" step="1" inputmode="numeric" value="5"`) ||
		!strings.Contains(page.body, `value="15"`) || !strings.Contains(page.body, `value="20"`) || !strings.Contains(page.body, "当前为系统默认值") ||
		!strings.Contains(page.body, "当前使用系统默认模板") || !strings.Contains(page.body, `value="立项备案"`) || !strings.Contains(page.body, `id="approval-template-add"`) ||
		!strings.Contains(page.body, "不超过 2 个工作日亮黄灯") {
		t.Fatalf("admin page: %d %s", page.StatusCode, page.body)
	}
	for _, w := range []string{
		"亮灯与逾期提醒", "黄灯提前（工作日）", "逾期多少个工作日后提醒包联领导", "逾期多少个工作日后提醒主任", "填 0 则仅在截止当日亮黄灯",
		`id="yellow_within_days" name="yellow_within_days" type="number" min="0" max="10" step="1" inputmode="numeric" value="2" aria-describedby="yellow_within_days-hint" >`,
		`id="sponsor_after_days" name="sponsor_after_days" type="number" min="1" max="59" step="1" inputmode="numeric" value="5"`,
		`id="director_after_days" name="director_after_days" type="number" min="2" max="60" step="1" inputmode="numeric" value="10"`,
		"逾期超过 5 个工作日提醒包联领导，超过 10 个工作日提醒主任",
	} {
		if !strings.Contains(page.body, w) {
			t.Errorf("admin page lacks %q", w)
		}
	}

	t.Run("a member may look but not change", func(t *testing.T) {
		m := a.as(xinlu.RoleMember)
		r := m.get("/settings/pipeline")
		if r.StatusCode != 200 || !strings.Contains(r.body, "立项备案") || strings.Contains(r.body, `id="approval-template-add"`) ||
			!strings.Contains(r.body, "仅系统管理员可以修改") || !strings.Contains(r.body, `value="5" disabled`) ||
			!strings.Contains(r.body, `value="2" aria-describedby="yellow_within_days-hint" disabled`) ||
			!strings.Contains(r.body, `value="10" aria-describedby="director_after_days-hint" disabled`) ||
			!strings.Contains(r.body, "逾期超过 5 个工作日提醒包联领导") {
			t.Fatalf("member page: %d %s", r.StatusCode, r.body)
		}
		for _, p := range []string{"/settings/pipeline", "/settings/pipeline/approvals", itemPath(1), itemPath(1) + "/delete", itemPath(1) + "/move?dir=down"} {
			if r := m.postForm(p, withLights(url.Values{"screening_days": {"3"}, "packaging_days": {"3"}, "progress_days": {"3"}, "name": {"越权"}, "limit_days": {"3"}, "version": {"1"}})); r.StatusCode != http.StatusForbidden {
				t.Errorf("member POST %s: %d", p, r.StatusCode)
			}
		}
		if st, _ := a.store.PipelineSettings(ctx, a.zone.ID); st.Version != 1 || templates().Custom {
			t.Fatal("a refused change landed")
		}
	})

	t.Run("deadlines: errors in Chinese keep the input", func(t *testing.T) {
		for _, tc := range []struct {
			form url.Values
			want []string
		}{
			{url.Values{"screening_days": {"0"}, "packaging_days": {"12"}, "progress_days": {"20"}, "version": {"1"}},
				[]string{"线索筛选时限（工作日）须为 1 到 60 个工作日之间的整数", `value="0"`, `value="12"`}},
			{url.Values{"screening_days": {"5"}, "packaging_days": {"十五"}, "progress_days": {"20"}, "version": {"1"}},
				[]string{"策划包装时限（工作日）须为数字", `value="十五"`}},
			{url.Values{"screening_days": {"5"}, "packaging_days": {"15"}, "progress_days": {"61"}, "version": {"1"}},
				[]string{"包联领导进展登记周期（工作日）须为 1 到 60 个工作日之间的整数", `value="61"`}},
			{url.Values{"screening_days": {""}, "packaging_days": {"15"}, "progress_days": {"20"}, "version": {"1"}},
				[]string{"线索筛选时限（工作日）不能为空"}},
		} {
			r := admin.postForm("/settings/pipeline", withLights(tc.form))
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d, want 422", tc.form, r.StatusCode)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("%v: page lacks %q", tc.form, w)
				}
			}
		}
		r := admin.postForm("/settings/pipeline", withLights(url.Values{"screening_days": {"3"}, "packaging_days": {"10"}, "progress_days": {"12"}, "version": {"1"}}))
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/settings/pipeline" {
			t.Fatalf("save: %d %s", r.StatusCode, r.body)
		}
		if r := admin.get("/settings/pipeline"); !strings.Contains(r.body, "修改成功") || !strings.Contains(r.body, `value="3"`) ||
			strings.Contains(r.body, "当前为系统默认值") || !strings.Contains(r.body, `name="version" value="2"`) {
			t.Fatalf("after save: %s", r.body)
		}
		r = admin.postForm("/settings/pipeline", withLights(url.Values{"screening_days": {"9"}, "packaging_days": {"10"}, "progress_days": {"12"}, "version": {"1"}}))
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该记录已被他人修改") || !strings.Contains(r.body, `value="9"`) {
			t.Fatalf("stale save: %d", r.StatusCode)
		}
		if st, _ := a.store.PipelineSettings(ctx, a.zone.ID); st.ScreeningDays != 3 || st.PackagingDays != 10 || st.ProgressDays != 12 || st.Version != 2 {
			t.Fatalf("stored %+v", st)
		}
	})

	t.Run("light thresholds: errors beside the field in Chinese and English, then a save", func(t *testing.T) {
		form := func(yellow, sponsor, director string) url.Values {
			return url.Values{"screening_days": {"3"}, "packaging_days": {"10"}, "progress_days": {"12"},
				"yellow_within_days": {yellow}, "sponsor_after_days": {sponsor}, "director_after_days": {director}, "version": {"2"}}
		}
		en := a.as(xinlu.RoleSysAdmin)
		en.lang = "en"
		for _, tc := range []struct {
			form      url.Values
			field     string // the input the error follows
			zh, en    string
			keepTyped []string
		}{
			{form("3", "6", "6"), "director_after_days",
				"逾期多少个工作日后提醒主任须大于提醒包联领导的天数（6 个工作日）",
				"Alert the director after (working days overdue) must be more than the sponsor alert threshold (6 working days)",
				[]string{`value="3"`, `value="6" aria-describedby="sponsor_after_days-hint"`, `value="6" aria-describedby="director_after_days-hint"`}},
			{form("3", "8", "4"), "director_after_days",
				"逾期多少个工作日后提醒主任须大于提醒包联领导的天数（8 个工作日）",
				"Alert the director after (working days overdue) must be more than the sponsor alert threshold (8 working days)", nil},
			{form("11", "5", "10"), "yellow_within_days",
				"黄灯提前（工作日）须为 0 到 10 个工作日之间的整数",
				"Yellow light ahead (working days) must be a whole number of working days from 0 to 10", []string{`value="11"`}},
			{form("2", "0", "10"), "sponsor_after_days",
				"逾期多少个工作日后提醒包联领导须为 1 到 59 个工作日之间的整数",
				"Alert the sponsor after (working days overdue) must be a whole number of working days from 1 to 59", nil},
			{form("2", "", "10"), "sponsor_after_days", "逾期多少个工作日后提醒包联领导不能为空", "", nil},
			{form("2", "5", "61"), "director_after_days",
				"逾期多少个工作日后提醒主任须为 1 到 60 个工作日之间的整数", "", []string{`value="61"`}},
		} {
			for _, c := range []struct {
				lang, msg string
				cl        *client
			}{{"zh-CN", tc.zh, admin}, {"en", tc.en, en}} {
				if c.msg == "" {
					continue
				}
				r := c.cl.postForm("/settings/pipeline", tc.form)
				if r.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s %v: %d, want 422", c.lang, tc.form, r.StatusCode)
					continue
				}
				input, fieldErr := strings.Index(r.body, `id="`+tc.field+`"`), strings.Index(r.body, `<p class="field-err" id="err-`+tc.field+`">`+c.msg+`</p>`)
				if input < 0 || fieldErr < input || strings.Count(r.body, `<p class="field-err"`) != 1 {
					t.Errorf("%s %v: %q is not beside %s", c.lang, tc.form, c.msg, tc.field)
				}
				for _, w := range tc.keepTyped {
					if !strings.Contains(r.body, w) {
						t.Errorf("%s %v: page lacks %q", c.lang, tc.form, w)
					}
				}
			}
		}
		if st, _ := a.store.PipelineSettings(ctx, a.zone.ID); st.Version != 2 || st.Light != xinlu.DefaultLightRules() {
			t.Fatalf("a refused save landed: %+v", st)
		}

		r := admin.postForm("/settings/pipeline", form("0", "3", "7"))
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/settings/pipeline" {
			t.Fatalf("save: %d %s", r.StatusCode, r.body)
		}
		if st, _ := a.store.PipelineSettings(ctx, a.zone.ID); st.Version != 3 || st.ScreeningDays != 3 ||
			st.Light != (xinlu.LightRules{YellowWithin: 0, SponsorAfter: 3, DirectorAfter: 7}) {
			t.Fatalf("stored %+v", st)
		}
		r = admin.get("/settings/pipeline")
		for _, w := range []string{"修改成功", `value="0" aria-describedby="yellow_within_days-hint"`, `value="3" aria-describedby="sponsor_after_days-hint"`,
			`value="7" aria-describedby="director_after_days-hint"`, "不超过 0 个工作日亮黄灯", "逾期超过 3 个工作日提醒包联领导，超过 7 个工作日提醒主任"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("after save: page lacks %q", w)
			}
		}
		if r := en.get("/settings/pipeline"); !strings.Contains(r.body, "more than 3 working days overdue alerts the sponsor, more than 7 the director") ||
			!strings.Contains(r.body, "Lights and overdue alerts") {
			t.Errorf("English page after save: %s", r.body)
		}
		rows, _, err := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Entity: "pipeline_settings"})
		if err != nil || len(rows) == 0 || !strings.Contains(rows[0].After, `"director_after_days":7`) || !strings.Contains(rows[0].Before, `"director_after_days":10`) {
			t.Fatalf("audit: %v %+v", err, rows)
		}
	})

	t.Run("template: edit, add, move and delete", func(t *testing.T) {
		// A bad edit of a built-in item keeps what was typed in its row.
		r := admin.postForm(itemPath(3), url.Values{"name": {" "}, "limit_days": {"77"}, "version": {"1"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "名称不能为空") || !strings.Contains(r.body, `value="77"`) ||
			!strings.Contains(r.body, `class="row-err"`) {
			t.Fatalf("bad edit: %d %s", r.StatusCode, r.body)
		}
		r = admin.postForm("/settings/pipeline/approvals", url.Values{"name": {"消防审查"}, "limit_days": {"400"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "时限（工作日）须为 1 到 365 个工作日之间的整数") ||
			!strings.Contains(r.body, `name="name" value="消防审查"`) || !strings.Contains(r.body, `value="400"`) {
			t.Fatalf("bad add: %d %s", r.StatusCode, r.body)
		}
		if templates().Custom {
			t.Fatal("refused changes copied the template")
		}
		// The first change copies the built-in template.
		r = admin.postForm(itemPath(3), url.Values{"name": {"用地规划许可（含红线）"}, "limit_days": {"12"}, "version": {"1"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/settings/pipeline#approvals" {
			t.Fatalf("edit: %d %s", r.StatusCode, r.body)
		}
		l := templates()
		if !l.Custom || len(l.Items) != 8 || l.Items[2].Name != "用地规划许可（含红线）" || l.Items[2].LimitDays != 12 {
			t.Fatalf("after edit: %+v", l)
		}
		if r := admin.get("/settings/pipeline"); !strings.Contains(r.body, "修改成功") || strings.Contains(r.body, "当前使用系统默认模板") ||
			!strings.Contains(r.body, `value="用地规划许可（含红线）"`) {
			t.Fatalf("page after edit")
		}
		r = admin.postForm("/settings/pipeline/approvals", url.Values{"name": {"环评"}, "limit_days": {"3"}})
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "同名的审批事项已存在") || !strings.Contains(r.body, `name="name" value="环评"`) {
			t.Fatalf("duplicate: %d", r.StatusCode)
		}
		if r := admin.postForm("/settings/pipeline/approvals", url.Values{"name": {"消防审查"}, "limit_days": {"3"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d %s", r.StatusCode, r.body)
		}
		l = templates()
		fire := l.Items[8]
		if fire.Name != "消防审查" || fire.LimitDays != 3 {
			t.Fatalf("added %+v", fire)
		}
		if r := admin.postForm(itemPath(fire.ID)+"/move?dir=up", url.Values{"version": {"1"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("move up: %d %s", r.StatusCode, r.body)
		}
		if r := admin.postForm(itemPath(fire.ID)+"/move?dir=up", url.Values{"version": {"1"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该记录已被他人修改") {
			t.Fatalf("stale move: %d", r.StatusCode)
		}
		if r := admin.postForm(itemPath(fire.ID)+"/move?dir=sideways", url.Values{"version": {"2"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad direction: %d", r.StatusCode)
		}
		l = templates()
		if l.Items[7].ID != fire.ID || l.Items[8].Name != "水电气热报装" {
			t.Fatalf("after move: %+v", l.Items)
		}
		env := l.Items[5]
		if r := admin.postForm(itemPath(env.ID)+"/delete", url.Values{"version": {strconv.Itoa(env.Version)}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", r.StatusCode, r.body)
		}
		if r := admin.get("/settings/pipeline"); !strings.Contains(r.body, "删除成功") || strings.Contains(r.body, `value="环评"`) ||
			!strings.Contains(r.body, "确定删除“消防审查”吗？") {
			t.Fatalf("page after delete")
		}
		if r := admin.postForm(itemPath(999999)+"/delete", url.Values{"version": {"1"}}); r.StatusCode != http.StatusNotFound {
			t.Fatalf("delete of a missing item: %d", r.StatusCode)
		}
		if l := templates(); len(l.Items) != 8 {
			t.Fatalf("after delete: %+v", l.Items)
		}
		rows, total, err := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Entity: "approval_template"})
		if err != nil || total != 5 || rows[0].Action != "approval_template.delete" {
			t.Fatalf("audit: %d %v %+v", total, err, rows)
		}
	})

	t.Run("English", func(t *testing.T) {
		en := a.as(xinlu.RoleSysAdmin)
		en.lang = "en-US"
		if r := en.get("/settings/pipeline"); !strings.Contains(r.body, "Screening deadline (working days)") {
			t.Fatalf("no English labels")
		}
	})
}
