package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// incentiveAPIEnv is the team-and-park zone with the people of the ledger:
// "member" (李明) and "colleague" (王芳) with staff records in one
// department, "head" heading it, the appraisal office ("office"), the
// director, the discipline office and finance.
type incentiveAPIEnv struct {
	*teamParkEnv
	colleague *xinlu.Member
	tok       map[string]string
}

func newIncentiveAPIEnv(t *testing.T) *incentiveAPIEnv {
	t.Helper()
	e := &incentiveAPIEnv{teamParkEnv: newTeamParkEnv(t), tok: map[string]string{}}
	ctx := context.Background()
	sys := xinlu.SystemActor(e.zone.ID)
	e.colleague = &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "S2", Name: "王芳"}
	if err := e.st.CreateMember(ctx, sys, e.colleague); err != nil {
		t.Fatal(err)
	}
	head := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "S3", Name: "赵局长"}
	if err := e.st.CreateMember(ctx, sys, head); err != nil {
		t.Fatal(err)
	}
	e.user(e.zone.ID, "colleague", xinlu.RoleMember, e.colleague.ID)
	e.user(e.zone.ID, "head", xinlu.RoleHead, head.ID)
	e.user(e.zone.ID, "office", xinlu.RoleAppraiser, 0)
	e.user(e.zone.ID, "director", xinlu.RoleDirector, 0)
	e.user(e.zone.ID, "discipline", xinlu.RoleDiscipline, 0)
	e.user(e.zone.ID, "finance", xinlu.RoleFinance, 0)
	return e
}

// as returns username's token, signing in on first use.
func (e *incentiveAPIEnv) as(username string) string {
	e.t.Helper()
	if e.tok[username] == "" {
		e.tok[username] = e.login(username)
	}
	return e.tok[username]
}

func (e *incentiveAPIEnv) do(username, method, path, body string) (int, string) {
	e.t.Helper()
	return e.call(e.as(username), method, path, body)
}

// record has the office record a record and returns it.
func (e *incentiveAPIEnv) record(body string) api.IncentiveJSON {
	e.t.Helper()
	status, out := e.do("office", "POST", "/incentives", body)
	if status != 201 {
		e.t.Fatalf("record: %d %s", status, out)
	}
	var i api.IncentiveJSON
	if err := json.Unmarshal([]byte(out), &i); err != nil {
		e.t.Fatal(err)
	}
	return i
}

// penalty records a penalty of member and has the director approve it.
func (e *incentiveAPIEnv) penalty(memberID int64, reason string) api.IncentiveJSON {
	e.t.Helper()
	i := e.record(`{"member_id":` + itoa(memberID) + `,"kind":"penalty","points":-300,"reason":"` + reason +
		`","evidence_type":"event","evidence_text":"例会通报","occurred_on":"2026-03-10"}`)
	status, out := e.do("director", "POST", "/incentives/"+itoa(i.ID)+"/approve", `{"version":1}`)
	if status != 200 {
		e.t.Fatalf("approve: %d %s", status, out)
	}
	json.Unmarshal([]byte(out), &i)
	return i
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// download fetches a workbook and opens it.
func (e *incentiveAPIEnv) download(username, path string) (int, *excelize.File) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.as(username))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		return res.StatusCode, nil
	}
	if ct := res.Header.Get("Content-Type"); ct != xlsx.ContentType {
		e.t.Fatalf("%s: content type %q", path, ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		e.t.Fatalf("%s is not a workbook: %v", path, err)
	}
	e.t.Cleanup(func() { f.Close() })
	return 200, f
}

func TestIncentiveAPI(t *testing.T) {
	e := newIncentiveAPIEnv(t)
	pen := e.record(`{"member_id":` + itoa(e.member.ID) + `,"kind":"penalty","points":-300,"reason":"未按期报送线索台账","evidence_type":"event","evidence_text":"3月例会通报","occurred_on":"2026-03-10"}`)
	if pen.Status != "proposed" || pen.Points != -300 || pen.MemberName != "李明" || pen.Version != 1 || pen.Effective {
		t.Fatalf("created %+v", pen)
	}
	rew := e.record(`{"member_id":` + itoa(e.colleague.ID) + `,"kind":"reward","amount_yuan":5000,"reason":"引进重点项目","evidence_type":"event","evidence_text":"签约仪式","occurred_on":"2026-03-20"}`)
	pp, rp := "/incentives/"+itoa(pen.ID), "/incentives/"+itoa(rew.ID)

	t.Run("create checks input and role", func(t *testing.T) {
		for _, tc := range []struct{ body, field string }{
			{`{"member_id":` + itoa(e.member.ID) + `,"kind":"bonus","amount_yuan":1,"reason":"x","evidence_type":"event","evidence_text":"x","occurred_on":"2026-03-01"}`, "kind"},
			{`{"member_id":` + itoa(e.member.ID) + `,"kind":"reward","reason":"x","evidence_type":"event","evidence_text":"x","occurred_on":"2026-03-01"}`, "amount_yuan"},
			{`{"member_id":` + itoa(e.member.ID) + `,"kind":"penalty","points":100,"reason":"x","evidence_type":"event","evidence_text":"x","occurred_on":"2026-03-01"}`, "points"},
			{`{"member_id":` + itoa(e.member.ID) + `,"kind":"reward","amount_yuan":1,"reason":"x","evidence_type":"event","evidence_text":"x","occurred_on":"3月1日"}`, "occurred_on"},
			{`{"member_id":999999,"kind":"reward","amount_yuan":1,"reason":"x","evidence_type":"event","evidence_text":"x","occurred_on":"2026-03-01"}`, "member_id"},
			{`{"member_id":` + itoa(e.member.ID) + `,"kind":"reward","amount_yuan":1,"reason":"x","evidence_type":"project","evidence_id":999999,"occurred_on":"2026-03-01"}`, "evidence_id"},
			{`{"member_id":` + itoa(e.member.ID) + `,"kind":"reward","amount_yuan":"1"}`, "amount_yuan"},
			{`{"member":1}`, "member"},
		} {
			status, body := e.do("office", "POST", "/incentives", tc.body)
			if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != tc.field {
				t.Errorf("%s: %d %s, want 422 on %s", tc.body, status, body, tc.field)
			}
		}
		for _, who := range []string{"member", "head", "director", "finance"} {
			if status, _ := e.do(who, "POST", "/incentives", `{}`); status != 403 {
				t.Errorf("%s created: %d", who, status)
			}
		}
	})
	t.Run("the ledger is scoped", func(t *testing.T) {
		for who, want := range map[string]string{"member": `"total":1`, "colleague": `"total":1`, "head": `"total":2`, "office": `"total":2`, "finance": `"total":2`} {
			if status, body := e.do(who, "GET", "/incentives", ""); status != 200 || !strings.Contains(body, want) {
				t.Errorf("%s lists %d %s, want %s", who, status, body, want)
			}
		}
		if status, _ := e.do("member", "GET", rp, ""); status != 404 {
			t.Errorf("member reads a colleague's record: %d", status)
		}
		if status, body := e.do("member", "GET", pp, ""); status != 200 || !strings.Contains(body, "未按期报送线索台账") {
			t.Errorf("member reads own record: %d %s", status, body)
		}
		if status, _ := e.do("discipline", "GET", "/incentives/999999", ""); status != 404 {
			t.Errorf("missing record: %d", status)
		}
		for q, want := range map[string]string{"kind=reward": `"total":1`, "source=auto": `"total":0`, "from=2026-03-15": `"total":1`,
			"q=报送": `"total":1`, "member_id=" + itoa(e.colleague.ID): `"total":1`, "status=proposed&per_page=1": `"total":2`} {
			if _, body := e.do("office", "GET", "/incentives?"+q, ""); !strings.Contains(body, want) {
				t.Errorf("%s: %s, want %s", q, body, want)
			}
		}
		for q, field := range map[string]string{"kind=bonus": "kind", "status=done": "status", "source=robot": "source", "from=2026/3/1": "from", "claimable=maybe": "claimable", "per_page=500": "per_page"} {
			status, body := e.do("office", "GET", "/incentives?"+q, "")
			if _, f, _ := teamParkError(t, body); status != 422 || f != field {
				t.Errorf("%s: %d %s", q, status, body)
			}
		}
	})
	t.Run("approve and reject", func(t *testing.T) {
		for _, who := range []string{"office", "member", "discipline"} {
			if status, _ := e.do(who, "POST", pp+"/approve", `{"version":1}`); status != 403 {
				t.Errorf("%s approved: %d", who, status)
			}
		}
		if status, body := e.do("director", "POST", pp+"/approve", `{}`); status != 422 || !strings.Contains(body, `"field":"version"`) {
			t.Fatalf("no version: %d %s", status, body)
		}
		status, body := e.do("director", "POST", pp+"/approve", `{"version":5}`)
		if code, field, _ := teamParkError(t, body); status != 409 || code != "conflict" || field != "version" {
			t.Fatalf("stale: %d %s", status, body)
		}
		status, body = e.do("director", "POST", pp+"/approve", `{"version":1,"note":"属实"}`)
		if status != 200 || !strings.Contains(body, `"status":"approved"`) || !strings.Contains(body, `"version":2`) || !strings.Contains(body, `"effective":true`) {
			t.Fatalf("approve: %d %s", status, body)
		}
		status, body = e.do("director", "POST", pp+"/reject", `{"version":2,"note":"重复"}`)
		if code, field, msg := teamParkError(t, body); status != 409 || code != "conflict" || field != "status" || !strings.Contains(msg, "已批准") {
			t.Fatalf("decide twice: %d %s", status, body)
		}
		if status, body := e.do("director", "POST", rp+"/reject", `{"version":1}`); status != 422 || !strings.Contains(body, `"field":"note"`) {
			t.Fatalf("reject without a note: %d %s", status, body)
		}
		if status, _ := e.do("director", "POST", rp+"/promote", `{"version":1}`); status != 404 {
			t.Fatalf("unknown action: %d", status)
		}
		if status, _ := e.do("director", "POST", "/incentives/999999/approve", `{"version":1}`); status != 404 {
			t.Fatalf("missing record: %d", status)
		}
		if status, body := e.do("director", "POST", rp+"/reject", `{"version":1,"note":"证据不足"}`); status != 200 || !strings.Contains(body, `"status":"rejected"`) {
			t.Fatalf("reject: %d %s", status, body)
		}
	})
	t.Run("export", func(t *testing.T) {
		status, f := e.download("office", "/incentives/export.xlsx?from=2026-03-01")
		if status != 200 {
			t.Fatalf("export: %d", status)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 3+2 || rows[0][0] != "奖惩台账" || rows[2][3] != "金额（元）" || rows[2][4] != "分值" {
			t.Fatalf("export rows %q", rows)
		}
		got := map[string][]string{}
		for _, r := range rows[3:] {
			got[r[0]] = r
		}
		if r := got["李明"]; r[1] != "惩戒" || r[2] != "手工录入" || r[4] != "-3.00" || r[8] != "已批准" || !strings.Contains(r[6], "3月例会通报") {
			t.Fatalf("penalty row %q", r)
		}
		if r := got["王芳"]; r[1] != "奖励" || r[3] != "5000" || r[8] != "已驳回" {
			t.Fatalf("reward row %q", r)
		}
		if _, f := e.download("member", "/incentives/export.xlsx"); f != nil {
			if rows, _ := f.GetRows(f.GetSheetName(0)); len(rows) != 4 || rows[3][0] != "李明" {
				t.Fatalf("member's export %q", rows)
			}
		}
		if status, _ := e.download("admin", "/incentives/export.xlsx"); status != 403 {
			t.Fatalf("the administrator exported the ledger: %d", status)
		}
		entries, _, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "incentive.export"})
		if err != nil || len(entries) != 2 || !strings.Contains(entries[1].After, `"rows":2`) || !strings.Contains(entries[1].After, `from=2026-03-01`) {
			t.Fatalf("export audit %+v %v", entries, err)
		}
	})
	t.Run("settings", func(t *testing.T) {
		if status, body := e.do("member", "GET", "/incentives/settings", ""); status != 200 ||
			body != `{"sign_reward_yuan":2000,"funds_permille":1,"missed_points":200,"ladder":{"steps":[{"consecutive":1,"action":"reminder_talk"},`+
				`{"consecutive":2,"action":"admonition_talk"},{"consecutive":3,"action":"post_adjustment"}],"annual_bottom":"post_adjustment",`+
				`"two_years_bottom":"non_renewal"},"version":1}`+"\n" {
			t.Fatalf("defaults: %d %s", status, body)
		}
		if status, _ := e.do("member", "PUT", "/incentives/settings", `{"sign_reward_yuan":1,"version":1}`); status != 403 {
			t.Fatalf("member saved: %d", status)
		}
		if status, body := e.do("office", "PUT", "/incentives/settings", `{"sign_reward_yuan":3000,"funds_permille":2,"missed_points":150}`); status != 422 ||
			!strings.Contains(body, `"field":"version"`) {
			t.Fatalf("no version: %d %s", status, body)
		}
		if status, body := e.do("office", "PUT", "/incentives/settings", `{"sign_reward_yuan":3000,"funds_permille":2000,"missed_points":150,"version":1}`); status != 422 ||
			!strings.Contains(body, `"field":"funds_permille"`) {
			t.Fatalf("out of range: %d %s", status, body)
		}
		if status, body := e.do("office", "PUT", "/incentives/settings", `{"sign_reward_yuan":3000,"funds_permille":2,"missed_points":150,"version":1}`); status != 200 ||
			!strings.Contains(body, `"version":2`) {
			t.Fatalf("save: %d %s", status, body)
		}
		if status, _ := e.do("office", "PUT", "/incentives/settings", `{"sign_reward_yuan":1,"version":1}`); status != 409 {
			t.Fatalf("stale save: %d", status)
		}
		if _, body := e.do("director", "GET", "/incentives/settings", ""); !strings.Contains(body, `"sign_reward_yuan":3000`) ||
			!strings.Contains(body, `"annual_bottom":"post_adjustment"`) {
			t.Fatalf("saved settings (the ladder kept when not sent): %s", body)
		}
		// A ladder of its own: a reminder talk after two bottom placements, nothing for a bottom year.
		if status, body := e.do("office", "PUT", "/incentives/settings", `{"sign_reward_yuan":3000,"funds_permille":2,"missed_points":150,"version":2,`+
			`"ladder":{"steps":[{"consecutive":2,"action":"reminder_talk"},{"consecutive":2,"action":"admonition_talk"}],"annual_bottom":"","two_years_bottom":"non_renewal"}}`); status != 422 ||
			!strings.Contains(body, `"field":"ladder"`) {
			t.Fatalf("a run twice: %d %s", status, body)
		}
		if status, body := e.do("office", "PUT", "/incentives/settings", `{"sign_reward_yuan":3000,"funds_permille":2,"missed_points":150,"version":2,`+
			`"ladder":{"steps":[{"consecutive":2,"action":"reminder_talk"}],"annual_bottom":"","two_years_bottom":"non_renewal"}}`); status != 200 ||
			!strings.Contains(body, `"steps":[{"consecutive":2,"action":"reminder_talk"}],"annual_bottom":""`) {
			t.Fatalf("ladder saved: %d %s", status, body)
		}
	})
	t.Run("consequences", func(t *testing.T) {
		ctx := context.Background()
		sys := xinlu.SystemActor(e.zone.ID)
		p := &xinlu.Period{ZoneID: e.zone.ID, Kind: xinlu.PeriodMonth, Label: "2026-03", Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
		if err := e.st.CreatePeriod(ctx, sys, p); err != nil {
			t.Fatal(err)
		}
		c := &store.Consequence{ZoneID: e.zone.ID, MemberID: e.member.ID, PeriodID: p.ID, Action: xinlu.ConsequenceReminderTalk}
		if err := e.st.ProposeConsequence(ctx, sys, c); err != nil {
			t.Fatal(err)
		}
		cp := "/consequences/" + itoa(c.ID)
		for _, who := range []string{"office", "member", "director"} {
			if status, _ := e.do(who, "GET", "/consequences", ""); status != 403 {
				t.Errorf("%s lists consequences: %d", who, status)
			}
			if status, _ := e.do(who, "POST", cp+"/confirm", `{"version":1}`); status != 403 {
				t.Errorf("%s confirms: %d", who, status)
			}
		}
		if status, body := e.do("discipline", "GET", "/consequences?status=proposed", ""); status != 200 || !strings.Contains(body, `"total":1`) ||
			!strings.Contains(body, `"action":"reminder_talk"`) || !strings.Contains(body, `"period_label":"2026-03"`) || !strings.Contains(body, `"decided_at":null`) {
			t.Fatalf("list: %d %s", status, body)
		}
		if status, _ := e.do("discipline", "GET", "/consequences?status=closed", ""); status != 422 {
			t.Fatalf("unknown status: %d", status)
		}
		if status, body := e.do("discipline", "POST", cp+"/dismiss", `{"version":1}`); status != 422 || !strings.Contains(body, `"field":"reason"`) {
			t.Fatalf("dismiss without reason: %d %s", status, body)
		}
		if status, _ := e.do("discipline", "POST", cp+"/confirm", `{"version":4}`); status != 409 {
			t.Fatalf("stale: %d", status)
		}
		if status, _ := e.do("discipline", "POST", cp+"/promote", `{"version":1}`); status != 404 {
			t.Fatalf("unknown action: %d", status)
		}
		if status, _ := e.do("discipline", "POST", "/consequences/999999/confirm", `{"version":1}`); status != 404 {
			t.Fatalf("missing: %d", status)
		}
		if status, body := e.do("discipline", "POST", cp+"/confirm", `{"version":1,"reason":"已谈话"}`); status != 200 || !strings.Contains(body, `"status":"confirmed"`) {
			t.Fatalf("confirm: %d %s", status, body)
		}
		status, body := e.do("discipline", "POST", cp+"/dismiss", `{"version":2,"reason":"撤销"}`)
		if code, _, msg := teamParkError(t, body); status != 409 || code != "conflict" || !strings.Contains(msg, "已确认") {
			t.Fatalf("decide twice: %d %s", status, body)
		}
	})
}

// TestOpenAPIDescribesIncentives checks openapi/incentives.json and
// openapi/tolerance.json against their routes, both ways.
func TestOpenAPIDescribesIncentives(t *testing.T) {
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
	ours := func(p string) bool {
		return strings.HasPrefix(p, "/incentives") || strings.HasPrefix(p, "/consequences") || strings.HasPrefix(p, "/tolerance-claims")
	}
	served := map[string]bool{}
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if !ours(rt.Pattern) {
			continue
		}
		served[strings.ToLower(rt.Method)+" "+rt.Pattern] = true
		if d.Paths[rt.Pattern][strings.ToLower(rt.Method)] == nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Pattern)
		}
	}
	if len(served) != 14 {
		t.Errorf("%d incentive, consequence and claim routes, want 14", len(served))
	}
	for p, ops := range d.Paths {
		if !ours(p) {
			continue
		}
		for m := range ops {
			if m != "parameters" && !served[m+" "+p] {
				t.Errorf("the document describes %s %s, which no route serves", m, p)
			}
		}
	}
	var op struct {
		Responses map[string]struct {
			Content map[string]json.RawMessage `json:"content"`
		} `json:"responses"`
	}
	for _, p := range []string{"/incentives/export.xlsx", "/tolerance-claims/export.xlsx"} {
		if err := json.Unmarshal(d.Paths[p]["get"], &op); err != nil || op.Responses["200"].Content[xlsx.ContentType] == nil {
			t.Errorf("GET %s is not described as a workbook", p)
		}
	}
}

// yesterday is a date safely not after the store's today, for meeting dates.
func yesterday() string { return time.Now().AddDate(0, 0, -1).Format(xinlu.DateLayout) }
