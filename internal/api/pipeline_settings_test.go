package api_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/api"
)

func TestPipelineSettingsAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	admin, member := e.login("admin"), e.login("member")
	e.user(e.secondZone(), "admin2", "admin", 0)
	other := e.login("admin2") // another zone's administrator

	status, body := e.call(member, "GET", "/settings/pipeline", "")
	var st api.PipelineSettingsJSON
	if status != 200 || json.Unmarshal([]byte(body), &st) != nil || st.ScreeningDays != 5 || st.PackagingDays != 15 || st.ProgressDays != 20 ||
		st.YellowWithinDays != 2 || st.SponsorAfterDays != 5 || st.DirectorAfterDays != 10 || st.Custom || st.Version != 1 || st.UpdatedAt != nil {
		t.Fatalf("defaults: %d %s", status, body)
	}

	t.Run("deadlines: bad values name the field in Chinese", func(t *testing.T) {
		for _, tc := range []struct{ body, field, msg string }{
			{`{"screening_days":0,"packaging_days":15,"progress_days":20,"version":1}`, "screening_days", "线索筛选时限（工作日）须为 1 到 60 个工作日之间的整数"},
			{`{"screening_days":5,"packaging_days":61,"progress_days":20,"version":1}`, "packaging_days", "策划包装时限（工作日）须为 1 到 60"},
			{`{"screening_days":5,"packaging_days":15,"progress_days":0,"version":1}`, "progress_days", "包联领导进展登记周期（工作日）须为"},
			{`{"screening_days":5,"packaging_days":15,"progress_days":1.5,"version":1}`, "progress_days", ""},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20}`, "version", ""},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"yellow_within_days":11,"version":1}`, "yellow_within_days", "黄灯提前（工作日）须为 0 到 10 个工作日之间的整数"},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"yellow_within_days":-1,"sponsor_after_days":5,"director_after_days":10,"version":1}`, "yellow_within_days", "须为 0 到 10"},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"sponsor_after_days":0,"version":1}`, "sponsor_after_days", "逾期多少个工作日后提醒包联领导须为 1 到 59 个工作日之间的整数"},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"director_after_days":61,"version":1}`, "director_after_days", "逾期多少个工作日后提醒主任须为 1 到 60"},
			// With the sponsor's 5 kept, a director's 5 is not more.
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"director_after_days":5,"version":1}`, "director_after_days", "逾期多少个工作日后提醒主任须大于提醒包联领导的天数（5 个工作日）"},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"yellow_within_days":2,"sponsor_after_days":9,"director_after_days":9,"version":1}`, "director_after_days", "须大于提醒包联领导的天数（9 个工作日）"},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"yellow_within_days":1.5,"version":1}`, "yellow_within_days", ""},
			{`{"screening_days":5,"packaging_days":15,"progress_days":20,"yellow_within_days":"2","version":1}`, "yellow_within_days", ""},
		} {
			status, body := e.call(admin, "PUT", "/settings/pipeline", tc.body)
			code, field, msg := teamParkError(t, body)
			if status != 422 || code != "invalid" || field != tc.field || !strings.Contains(msg, tc.msg) {
				t.Errorf("%s: %d %s, want 422 on %s", tc.body, status, body, tc.field)
			}
		}
	})
	t.Run("deadlines: save with the version; stale is 409; members may not", func(t *testing.T) {
		if status, _ := e.call(member, "PUT", "/settings/pipeline", `{"screening_days":3,"packaging_days":10,"progress_days":12,"version":1}`); status != 403 {
			t.Fatalf("member save: %d", status)
		}
		status, body := e.call(admin, "PUT", "/settings/pipeline", `{"screening_days":3,"packaging_days":10,"progress_days":12,"version":1}`)
		if status != 200 || !strings.Contains(body, `"screening_days":3`) || !strings.Contains(body, `"version":2`) || !strings.Contains(body, `"custom":true`) {
			t.Fatalf("save: %d %s", status, body)
		}
		status, body = e.call(admin, "PUT", "/settings/pipeline", `{"screening_days":9,"packaging_days":10,"progress_days":12,"version":1}`)
		if code, field, _ := teamParkError(t, body); status != 409 || code != "conflict" || field != "version" {
			t.Fatalf("stale: %d %s", status, body)
		}
		if _, body := e.call(member, "GET", "/settings/pipeline", ""); !strings.Contains(body, `"screening_days":3`) || !strings.Contains(body, `"progress_days":12`) {
			t.Fatalf("read back: %s", body)
		}
		if _, body := e.call(other, "GET", "/settings/pipeline", ""); !strings.Contains(body, `"screening_days":5`) {
			t.Fatalf("another zone sees this zone's settings: %s", body)
		}
	})

	t.Run("light thresholds: save, read back; left out keeps the current value", func(t *testing.T) {
		put := func(body string) api.PipelineSettingsJSON {
			t.Helper()
			status, b := e.call(admin, "PUT", "/settings/pipeline", body)
			var st api.PipelineSettingsJSON
			if status != 200 || json.Unmarshal([]byte(b), &st) != nil {
				t.Fatalf("save %s: %d %s", body, status, b)
			}
			return st
		}
		// The deadlines test left version 2.
		st := put(`{"screening_days":3,"packaging_days":10,"progress_days":12,"yellow_within_days":5,"sponsor_after_days":3,"director_after_days":8,"version":2}`)
		if st.YellowWithinDays != 5 || st.SponsorAfterDays != 3 || st.DirectorAfterDays != 8 || st.ScreeningDays != 3 || st.Version != 3 {
			t.Fatalf("saved %+v", st)
		}
		var got api.PipelineSettingsJSON
		if status, b := e.call(member, "GET", "/settings/pipeline", ""); status != 200 || json.Unmarshal([]byte(b), &got) != nil ||
			got.YellowWithinDays != 5 || got.SponsorAfterDays != 3 || got.DirectorAfterDays != 8 || got.Version != 3 || !got.Custom {
			t.Fatalf("read back: %d %s", status, b)
		}
		// A client that sends the deadlines only keeps the thresholds.
		st = put(`{"screening_days":4,"packaging_days":10,"progress_days":12,"version":3}`)
		if st.YellowWithinDays != 5 || st.SponsorAfterDays != 3 || st.DirectorAfterDays != 8 || st.ScreeningDays != 4 || st.Version != 4 {
			t.Fatalf("deadlines only %+v", st)
		}
		// One threshold sent, the others kept; 0 is a valid yellow.
		st = put(`{"screening_days":4,"packaging_days":10,"progress_days":12,"yellow_within_days":0,"version":4}`)
		if st.YellowWithinDays != 0 || st.SponsorAfterDays != 3 || st.DirectorAfterDays != 8 || st.Version != 5 {
			t.Fatalf("yellow only %+v", st)
		}
		// Kept values are checked with the new ones: the director's 8 is not more than a sponsor's 8.
		status, b := e.call(admin, "PUT", "/settings/pipeline", `{"screening_days":4,"packaging_days":10,"progress_days":12,"sponsor_after_days":8,"version":5}`)
		var env struct {
			Error struct{ Code, Field, Key, Message string }
		}
		if status != 422 || json.Unmarshal([]byte(b), &env) != nil || env.Error.Code != "invalid" || env.Error.Field != "director_after_days" ||
			env.Error.Key != "pipeline_settings.director_after_sponsor" || env.Error.Message != "逾期多少个工作日后提醒主任须大于提醒包联领导的天数（8 个工作日）" {
			t.Fatalf("kept director below the new sponsor: %d %s", status, b)
		}
		// A stale version is a conflict whether or not thresholds are left out.
		for _, body := range []string{`{"screening_days":4,"packaging_days":10,"progress_days":12,"version":4}`,
			`{"screening_days":4,"packaging_days":10,"progress_days":12,"yellow_within_days":1,"sponsor_after_days":2,"director_after_days":3,"version":4}`} {
			if status, b := e.call(admin, "PUT", "/settings/pipeline", body); status != 409 {
				t.Fatalf("stale %s: %d %s", body, status, b)
			}
		}
		if _, b := e.call(other, "GET", "/settings/pipeline", ""); !strings.Contains(b, `"yellow_within_days":2,"sponsor_after_days":5,"director_after_days":10`) {
			t.Fatalf("another zone sees this zone's thresholds: %s", b)
		}
	})

	t.Run("approval template", func(t *testing.T) {
		list := func() api.ApprovalTemplateListJSON {
			t.Helper()
			status, body := e.call(member, "GET", "/settings/pipeline/approvals", "")
			var l api.ApprovalTemplateListJSON
			if status != 200 || json.Unmarshal([]byte(body), &l) != nil {
				t.Fatalf("list: %d %s", status, body)
			}
			return l
		}
		l := list()
		if l.Custom || l.Total != 8 || l.Items[0].ID != 1 || l.Items[0].Name != "立项备案" || l.Items[0].LimitDays != 5 || l.Items[7].Position != 8 {
			t.Fatalf("built-in template: %+v", l)
		}
		for _, rq := range []struct{ method, path, body string }{
			{"POST", "/settings/pipeline/approvals", `{"name":"越权","limit_days":3}`},
			{"PUT", "/settings/pipeline/approvals/1", `{"name":"越权","limit_days":3,"version":1}`},
			{"DELETE", "/settings/pipeline/approvals/1", ""},
		} {
			if status, _ := e.call(member, rq.method, rq.path, rq.body); status != 403 {
				t.Errorf("member %s %s: %d", rq.method, rq.path, status)
			}
		}
		for _, tc := range []struct{ method, path, body, field string }{
			{"POST", "/settings/pipeline/approvals", `{"name":"","limit_days":3}`, "name"},
			{"POST", "/settings/pipeline/approvals", `{"name":"` + strings.Repeat("审", 51) + `","limit_days":3}`, "name"},
			{"POST", "/settings/pipeline/approvals", `{"name":"消防审查","limit_days":366}`, "limit_days"},
			{"POST", "/settings/pipeline/approvals", `{"name":"消防审查","limit_days":3,"version":1}`, "version"},
			{"PUT", "/settings/pipeline/approvals/3", `{"name":"用地规划许可","limit_days":0,"version":1}`, "limit_days"},
			{"PUT", "/settings/pipeline/approvals/3", `{"name":"用地规划许可","limit_days":10}`, "version"},
			{"PUT", "/settings/pipeline/approvals/3", `{"name":"用地规划许可","limit_days":10,"position":9,"version":1}`, "position"},
		} {
			status, body := e.call(admin, tc.method, tc.path, tc.body)
			if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != tc.field {
				t.Errorf("%s %s %s: %d %s, want 422 on %s", tc.method, tc.path, tc.body, status, body, tc.field)
			}
		}
		if list().Custom {
			t.Fatal("refused changes copied the template")
		}

		// The first change names the item by its position and gives it an id.
		status, body := e.call(admin, "PUT", "/settings/pipeline/approvals/3", `{"name":"用地规划许可（含红线）","limit_days":12,"version":1}`)
		var third api.ApprovalTemplateJSON
		if status != 200 || json.Unmarshal([]byte(body), &third) != nil || third.Position != 3 || third.LimitDays != 12 || third.Version != 2 {
			t.Fatalf("update: %d %s", status, body)
		}
		if l := list(); !l.Custom || l.Total != 8 || l.Items[2].ID != third.ID {
			t.Fatalf("after the first change: %+v", l)
		}
		status, body = e.call(admin, "POST", "/settings/pipeline/approvals", `{"name":"消防审查","limit_days":3}`)
		var fire api.ApprovalTemplateJSON
		if status != 201 || json.Unmarshal([]byte(body), &fire) != nil || fire.Position != 9 || fire.Version != 1 {
			t.Fatalf("create: %d %s", status, body)
		}
		status, body = e.call(admin, "POST", "/settings/pipeline/approvals", `{"name":"消防审查","limit_days":3}`)
		if code, field, msg := teamParkError(t, body); status != 409 || code != "conflict" || field != "name" || msg != "同名的审批事项已存在" {
			t.Fatalf("duplicate: %d %s", status, body)
		}
		fp := "/settings/pipeline/approvals/" + strconv.FormatInt(fire.ID, 10)
		status, body = e.call(admin, "PUT", fp, `{"name":"消防审查","limit_days":4,"position":1,"version":1}`)
		if status != 200 || !strings.Contains(body, `"position":1`) || !strings.Contains(body, `"limit_days":4`) {
			t.Fatalf("move to the top: %d %s", status, body)
		}
		if l := list(); l.Items[0].ID != fire.ID || l.Items[1].Name != "立项备案" || l.Total != 9 {
			t.Fatalf("after the move: %+v", l.Items)
		}
		if status, _ := e.call(admin, "PUT", fp, `{"name":"消防审查","limit_days":5,"version":1}`); status != 409 {
			t.Fatalf("stale update: %d", status)
		}
		if status, _ := e.call(admin, "DELETE", fp+"?version=1", ""); status != 409 {
			t.Fatalf("stale delete: %d", status)
		}
		// Another zone's administrator cannot reach the item (that zone is
		// still on the built-in template, where the ids 1…8 are positions).
		if status, body := e.call(other, "PUT", fp, `{"name":"越权","limit_days":3,"version":2}`); status != 404 || fire.ID <= 8 {
			t.Fatalf("another zone updates item %d: %d %s", fire.ID, status, body)
		}
		if status, _ := e.call(other, "DELETE", fp, ""); status != 404 {
			t.Fatalf("another zone deletes: %d", status)
		}
		if _, body := e.call(other, "GET", "/settings/pipeline/approvals", ""); !strings.Contains(body, `"custom":false`) || !strings.Contains(body, `"total":8`) {
			t.Fatalf("another zone's template: %s", body)
		}
		if status, body := e.call(admin, "DELETE", fp+"?version=2", ""); status != 204 {
			t.Fatalf("delete: %d %s", status, body)
		}
		if l := list(); l.Total != 8 || l.Items[0].Name != "立项备案" {
			t.Fatalf("after delete: %+v", l.Items)
		}
	})
}

// TestPipelineSettingsRoutesInOpenAPI: every /settings/pipeline route is
// described and every description is served.
func TestPipelineSettingsRoutesInOpenAPI(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if !strings.HasPrefix(rt.Pattern, "/settings/pipeline") {
			continue
		}
		served[strings.ToLower(rt.Method)+" "+rt.Pattern] = true
		if d.Paths[rt.Pattern][strings.ToLower(rt.Method)] == nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Pattern)
		}
	}
	n := 0
	for p, ops := range d.Paths {
		if !strings.HasPrefix(p, "/settings/pipeline") {
			continue
		}
		for m := range ops {
			if m == "parameters" {
				continue
			}
			n++
			if !served[m+" "+p] {
				t.Errorf("the document describes %s %s, which no route serves", m, p)
			}
		}
	}
	if n != 6 {
		t.Errorf("%d operations described, want 6", n)
	}
}
