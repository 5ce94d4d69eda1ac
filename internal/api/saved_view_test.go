package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestSavedViewAPI: GET/POST /projects/views and DELETE /projects/views/{id}
// (literal segments, not /projects/{id}), their 403/404/409/422 answers.
func TestSavedViewAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	e.user(e.zone.ID, "director", xinlu.RoleDirector, 0)
	e.user(e.secondZone(), "outsider", xinlu.RoleDirector, 0)
	member, director, outsider := e.login("member"), e.login("director"), e.login("outsider")

	status, body := e.call(member, "GET", "/projects/views", "")
	if status != 200 || body != `{"items":[],"total":0}`+"\n" {
		t.Fatalf("empty list (not GET /projects/{id}): %d %s", status, body)
	}
	status, body = e.call(member, "POST", "/projects/views", `{"name":" 本年签约 ","query":"?stage=agency&signed=1&signed_from=2026-01-01&per_page=50&junk=1"}`)
	var mine api.SavedViewJSON
	if status != 201 || json.Unmarshal([]byte(body), &mine) != nil || mine.Name != "本年签约" || mine.Query != "signed=1&signed_from=2026-01-01&stage=agency" ||
		!mine.Mine || mine.Shared || mine.Version != 1 || mine.LedgerURL != "/projects?signed=1&signed_from=2026-01-01&stage=agency" {
		t.Fatalf("create: %d %s", status, body)
	}
	mp := "/projects/views/" + strconv.FormatInt(mine.ID, 10)

	t.Run("bad input is 422 naming the field", func(t *testing.T) {
		for _, tc := range []struct{ body, field string }{
			{`{"name":"","query":""}`, "name"},
			{`{"name":"` + strings.Repeat("名", 41) + `"}`, "name"},
			{`{"name":"坏日期","query":"signed_from=2026-02-30"}`, "signed_from"},
			{`{"name":"倒序","query":"signed_from=2026-09-01&signed_to=2026-01-01"}`, "signed_to"},
			{`{"name":"坏阶段","query":"stage=nowhere"}`, "stage"},
			{`{"name":"坏值","query":"signed=2"}`, "signed"},
			{`{"name":"多余","query":"","owner":1}`, "owner"},
		} {
			status, body := e.call(member, "POST", "/projects/views", tc.body)
			if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != tc.field {
				t.Errorf("%s: %d %s, want 422 on %s", tc.body, status, body, tc.field)
			}
		}
	})
	t.Run("a taken name is 409; sharing needs the leadership's right", func(t *testing.T) {
		status, body := e.call(member, "POST", "/projects/views", `{"name":"本年签约","query":"signed=0"}`)
		if code, field, _ := teamParkError(t, body); status != 409 || code != "conflict" || field != "name" {
			t.Errorf("duplicate: %d %s", status, body)
		}
		status, body = e.call(member, "POST", "/projects/views", `{"name":"共享","query":"signed=1","shared":true}`)
		if code, _, _ := teamParkError(t, body); status != 403 || code != "forbidden" {
			t.Errorf("member shares: %d %s", status, body)
		}
		status, body = e.call(director, "POST", "/projects/views", `{"name":"全区签约","query":"signed=1","shared":true}`)
		if status != 201 || !strings.Contains(body, `"shared":true`) {
			t.Fatalf("director shares: %d %s", status, body)
		}
	})
	t.Run("lists: mine first, then the zone's shared; other zones see nothing", func(t *testing.T) {
		status, body := e.call(member, "GET", "/projects/views", "")
		var got struct {
			Items []api.SavedViewJSON
			Total int
		}
		if status != 200 || json.Unmarshal([]byte(body), &got) != nil || got.Total != 2 || got.Items[0].Name != "本年签约" ||
			got.Items[1].Name != "全区签约" || got.Items[1].Mine || !got.Items[1].Shared || got.Items[1].OwnerName != "测试director" {
			t.Fatalf("member list: %d %s", status, body)
		}
		shared := "/projects/views/" + strconv.FormatInt(got.Items[1].ID, 10)
		if status, body := e.call(member, "DELETE", shared+"?version=1", ""); status != 403 {
			t.Errorf("member deletes the shared view: %d %s", status, body)
		}
		if _, body := e.call(outsider, "GET", "/projects/views", ""); !strings.Contains(body, `"total":0`) {
			t.Errorf("another zone sees %s", body)
		}
		if status, _ := e.call(outsider, "DELETE", shared+"?version=1", ""); status != 404 {
			t.Errorf("another zone deletes: %d", status)
		}
	})
	t.Run("delete needs the current version", func(t *testing.T) {
		if status, body := e.call(member, "DELETE", mp, ""); status != 422 || !strings.Contains(body, `"field":"version"`) {
			t.Errorf("no version: %d %s", status, body)
		}
		if status, body := e.call(member, "DELETE", mp+"?version=2", ""); status != 409 {
			t.Errorf("stale: %d %s", status, body)
		}
		if status, body := e.call(member, "DELETE", mp+"?version=1", ""); status != 204 {
			t.Fatalf("delete: %d %s", status, body)
		}
		if status, _ := e.call(member, "DELETE", mp+"?version=1", ""); status != 404 {
			t.Errorf("delete again: %d", status)
		}
		if status, _ := e.call(member, "GET", "/projects/999999", ""); status != 404 {
			t.Errorf("GET /projects/{id} still answers: %d", status)
		}
	})
	t.Run("at most 30 views", func(t *testing.T) {
		for i := 0; i < store.MaxSavedViews; i++ {
			if status, body := e.call(member, "POST", "/projects/views", `{"name":"查询`+strconv.Itoa(i)+`"}`); status != 201 {
				t.Fatalf("view %d: %d %s", i, status, body)
			}
		}
		status, body := e.call(member, "POST", "/projects/views", `{"name":"多一个"}`)
		if code, _, msg := teamParkError(t, body); status != 409 || code != "conflict" || !strings.Contains(msg, "30") {
			t.Errorf("31st: %d %s", status, body)
		}
	})
	entries, _, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "saved_view.delete"})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Before, "本年签约") {
		t.Fatalf("delete audit %+v %v", entries, err)
	}
}

// TestProjectSignedFilterAPI: signed, signed_from and signed_to on the list
// and the export; a bad date is 422 naming the parameter.
func TestProjectSignedFilterAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	ctx := context.Background()
	for _, p := range []struct{ name, signed string }{{"未签约", ""}, {"春季签约", "2026-03-10"}, {"秋季签约", "2026-09-10"}} {
		r := &store.ProjectRecord{}
		r.ZoneID, r.Name, r.Company, r.Industry, r.Stage = e.zone.ID, p.name, p.name+"公司", "materials", xinlu.StagePromotion
		if p.signed != "" {
			r.Stage, r.Signing.SignedOn = xinlu.StageAgency, p.signed
		}
		if err := e.st.CreateProject(ctx, xinlu.SystemActor(e.zone.ID), r); err != nil {
			t.Fatal(err)
		}
	}
	member := e.login("member")
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"signed=1", []string{"春季签约", "秋季签约"}},
		{"signed=0", []string{"未签约"}},
		{"signed_from=2026-06-01", []string{"秋季签约"}},
		{"signed=1&signed_to=2026-03-10", []string{"春季签约"}},
	} {
		status, body := e.call(member, "GET", "/projects?"+tc.query, "")
		if status != 200 || !strings.Contains(body, `"total":`+strconv.Itoa(len(tc.want))) {
			t.Errorf("%s: %d %s", tc.query, status, body)
			continue
		}
		for _, n := range tc.want {
			if !strings.Contains(body, `"name":"`+n+`"`) {
				t.Errorf("%s lacks %s", tc.query, n)
			}
		}
	}
	for _, tc := range []struct{ path, field string }{
		{"/projects?signed_from=2026-9-1", "signed_from"},
		{"/projects?signed_to=tomorrow", "signed_to"},
		{"/projects?signed_from=2026-09-02&signed_to=2026-09-01", "signed_to"},
		{"/projects?signed=yes", "signed"},
		{"/projects?signed=0&signed_to=2026-09-01", "signed"},
		{"/projects/export.xlsx?signed_from=2026-02-30", "signed_from"},
	} {
		status, body := e.call(member, "GET", tc.path, "")
		if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != tc.field {
			t.Errorf("%s: %d %s, want 422 on %s", tc.path, status, body, tc.field)
		}
	}
	status, _ := e.call(member, "GET", "/projects/export.xlsx?signed=1&signed_from=2026-01-01", "")
	entries, _, _ := e.st.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "project.export"})
	if status != 200 || len(entries) != 1 || !strings.Contains(entries[0].After, `signed=1\u0026signed_from=2026-01-01`) || !strings.Contains(entries[0].After, `"rows":2`) {
		t.Fatalf("export: %d %+v", status, entries)
	}
}
