package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/xinlu"
)

func (e *incentiveAPIEnv) fileClaim(who, body string) (int, api.ClaimJSON, string) {
	e.t.Helper()
	status, out := e.do(who, "POST", "/tolerance-claims", body)
	var c api.ClaimJSON
	if status == 201 {
		json.Unmarshal([]byte(out), &c)
	}
	return status, c, out
}

func TestToleranceAPI(t *testing.T) {
	e := newIncentiveAPIEnv(t)
	pen := e.penalty(e.member.ID, "开工手续不全")
	facts := "为抢抓项目落地窗口期，经班子会研究先行开展场地平整，手续后补"

	status, c, body := e.fileClaim("member", `{"incentive_id":`+itoa(pen.ID)+`,"distinction":"exploration","facts":"`+facts+`"}`)
	if status != 201 || c.Status != "submitted" || c.MemberID != e.member.ID || c.Version != 1 || len(c.NegativeHits) != 0 {
		t.Fatalf("file: %d %s", status, body)
	}
	cp := "/tolerance-claims/" + itoa(c.ID)

	t.Run("filing checks input, target and role", func(t *testing.T) {
		for _, tc := range []struct{ body, field string }{
			{`{"incentive_id":` + itoa(pen.ID) + `,"distinction":"exploration","facts":"太短"}`, "facts"},
			{`{"incentive_id":` + itoa(pen.ID) + `,"distinction":"bad_luck","facts":"` + facts + `"}`, "distinction"},
			{`{"distinction":"exploration","facts":"` + facts + `"}`, "incentive_id"},
			{`{"incentive_id":999999,"distinction":"exploration","facts":"` + facts + `"}`, "incentive_id"},
			{`{"incentive":1}`, "incentive"},
		} {
			status, _, body := e.fileClaim("member", tc.body)
			if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != tc.field {
				t.Errorf("%s: %d %s, want 422 on %s", tc.body, status, body, tc.field)
			}
		}
		status, _, body := e.fileClaim("member", `{"incentive_id":`+itoa(pen.ID)+`,"distinction":"exploration","facts":"`+facts+`"}`)
		if code, field, _ := teamParkError(t, body); status != 409 || code != "conflict" || field != "incentive_id" {
			t.Errorf("second claim: %d %s", status, body)
		}
		// A member cannot file for a colleague; the handler and the office file nothing.
		status, _, body = e.fileClaim("colleague", `{"member_id":`+itoa(e.member.ID)+`,"incentive_id":`+itoa(pen.ID)+`,"distinction":"exploration","facts":"`+facts+`"}`)
		if status != 403 {
			t.Errorf("a colleague filed: %d %s", status, body)
		}
		for _, who := range []string{"discipline", "office", "director"} {
			if status, _, _ := e.fileClaim(who, `{}`); status != 403 {
				t.Errorf("%s filed: %d", who, status)
			}
		}
	})
	t.Run("who sees the claim", func(t *testing.T) {
		for who, want := range map[string]string{"member": `"total":1`, "discipline": `"total":1`, "colleague": `"total":0`, "office": `"total":0`, "head": `"total":0`} {
			if status, body := e.do(who, "GET", "/tolerance-claims", ""); status != 200 || !strings.Contains(body, want) {
				t.Errorf("%s lists %d %s, want %s", who, status, body, want)
			}
		}
		for who, want := range map[string]int{"member": 200, "discipline": 200, "colleague": 404, "office": 404} {
			if status, _ := e.do(who, "GET", cp, ""); status != want {
				t.Errorf("%s reads the claim: %d, want %d", who, status, want)
			}
		}
		if _, body := e.do("discipline", "GET", "/tolerance-claims?status=submitted&q=场地", ""); !strings.Contains(body, `"total":1`) {
			t.Errorf("filters: %s", body)
		}
		if _, body := e.do("discipline", "GET", "/tolerance-claims?mine=true", ""); !strings.Contains(body, `"total":0`) {
			t.Errorf("the handler's own: %s", body)
		}
		for q, field := range map[string]string{"status=lost": "status", "decision=maybe": "decision", "mine=perhaps": "mine"} {
			status, body := e.do("discipline", "GET", "/tolerance-claims?"+q, "")
			if _, f, _ := teamParkError(t, body); status != 422 || f != field {
				t.Errorf("%s: %d %s", q, status, body)
			}
		}
	})
	t.Run("the handler takes it through", func(t *testing.T) {
		if status, _ := e.do("member", "POST", cp+"/accept", `{"version":1}`); status != 403 {
			t.Fatalf("claimant accepted: %d", status)
		}
		if status, _ := e.do("colleague", "POST", cp+"/accept", `{"version":1}`); status != 404 {
			t.Fatalf("stranger accepted: %d", status)
		}
		if status, body := e.do("discipline", "POST", cp+"/accept", `{}`); status != 422 || !strings.Contains(body, `"field":"version"`) {
			t.Fatalf("no version: %d %s", status, body)
		}
		status, body := e.do("discipline", "POST", cp+"/accept", `{"version":3}`)
		if code, field, _ := teamParkError(t, body); status != 409 || code != "conflict" || field != "version" {
			t.Fatalf("stale: %d %s", status, body)
		}
		status, body = e.do("discipline", "POST", cp+"/notify", `{"version":1}`)
		if code, field, msg := teamParkError(t, body); status != 409 || code != "conflict" || field != "status" || !strings.Contains(msg, "已提交") {
			t.Fatalf("notify a submitted claim: %d %s", status, body)
		}
		if status, _ := e.do("discipline", "POST", cp+"/approve", `{"version":1}`); status != 404 {
			t.Fatalf("unknown action: %d", status)
		}
		steps := []struct{ action, body, want string }{
			{"accept", `{"version":1,"negative_hits":[],"note":"材料齐全"}`, `"status":"accepted"`},
			{"investigate", `{"version":2}`, `"status":"investigating"`},
			{"decide", `{"version":3,"decision":"exempt","deciding_body":"党工委会议","meeting_on":"` + yesterday() + `","note":"经集体研究"}`, `"status":"decided"`},
			{"notify", `{"version":4}`, `"status":"notified"`},
		}
		for _, s := range steps {
			if status, body := e.do("discipline", "POST", cp+"/"+s.action, s.body); status != 200 || !strings.Contains(body, s.want) {
				t.Fatalf("%s: %d %s", s.action, status, body)
			}
		}
		if _, body := e.do("office", "GET", "/incentives/"+itoa(pen.ID), ""); !strings.Contains(body, `"neutralised_by":`+itoa(c.ID)) || !strings.Contains(body, `"effective":false`) {
			t.Fatalf("penalty after exemption: %s", body)
		}
		status, body = e.do("member", "POST", cp+"/appeal", `{"version":5,"reason":"无"}`)
		if code, _, _ := teamParkError(t, body); status != 409 || code != "conflict" {
			t.Fatalf("appeal against an exemption: %d %s", status, body)
		}
		status, body = e.do("member", "GET", cp, "")
		if status != 200 || !strings.Contains(body, `"decision":"exempt"`) || !strings.Contains(body, `"deciding_body":"党工委会议"`) ||
			strings.Count(body, `"action":`) != 5 || !strings.Contains(body, `"action":"decide"`) {
			t.Fatalf("claim with history: %d %s", status, body)
		}
	})
	t.Run("negative list and appeal", func(t *testing.T) {
		second := e.penalty(e.member.ID, "台账不全")
		_, c2, body := e.fileClaim("head", `{"member_id":`+itoa(e.member.ID)+`,"incentive_id":`+itoa(second.ID)+`,"distinction":"inexperience","facts":"`+facts+`"}`)
		if c2.ID == 0 {
			t.Fatalf("head files for the department: %s", body)
		}
		p2 := "/tolerance-claims/" + itoa(c2.ID)
		if status, body := e.do("discipline", "POST", p2+"/accept", `{"version":1,"negative_hits":["bad_luck"]}`); status != 422 || !strings.Contains(body, `"field":"negative_hits"`) {
			t.Fatalf("unknown ground: %d %s", status, body)
		}
		status, body := e.do("discipline", "POST", p2+"/accept", `{"version":1,"negative_hits":["knowing_violation"],"note":"明知违规"}`)
		if status != 200 || !strings.Contains(body, `"status":"not_accepted"`) || !strings.Contains(body, `"negative_hits":["knowing_violation"]`) {
			t.Fatalf("negative-list hit: %d %s", status, body)
		}
		// Refused: a new claim may be filed, decided, notified and appealed once.
		_, c3, body := e.fileClaim("member", `{"incentive_id":`+itoa(second.ID)+`,"distinction":"inexperience","facts":"`+facts+`"}`)
		if c3.ID == 0 {
			t.Fatalf("file again: %s", body)
		}
		p3 := "/tolerance-claims/" + itoa(c3.ID)
		for _, s := range []struct{ who, action, body string }{
			{"discipline", "accept", `{"version":1}`},
			{"discipline", "investigate", `{"version":2}`},
			{"discipline", "decide", `{"version":3,"decision":"not_tolerated","deciding_body":"党工委会议","meeting_on":"` + yesterday() + `"}`},
			{"discipline", "notify", `{"version":4}`},
			{"member", "appeal", `{"version":5,"reason":"有会议纪要为证"}`},
		} {
			if status, body := e.do(s.who, "POST", p3+"/"+s.action, s.body); status != 200 {
				t.Fatalf("%s: %d %s", s.action, status, body)
			}
		}
		status, body = e.do("member", "POST", p3+"/appeal", `{"version":6,"reason":"再次申请"}`)
		if code, field, msg := teamParkError(t, body); status != 409 || code != "conflict" || field != "status" || !strings.Contains(msg, "申请复核") {
			t.Fatalf("second appeal: %d %s", status, body)
		}
	})
	t.Run("export", func(t *testing.T) {
		for _, who := range []string{"member", "office"} {
			if status, _ := e.download(who, "/tolerance-claims/export.xlsx"); status != 403 {
				t.Errorf("%s exported the register: %d", who, status)
			}
		}
		status, f := e.download("discipline", "/tolerance-claims/export.xlsx?decision=exempt")
		if status != 200 {
			t.Fatalf("export: %d", status)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 4 || rows[0][0] != "容错登记台账" || rows[2][3] != "三个区分开来" || rows[3][1] != "李明" || rows[3][7] != "免责" ||
			rows[3][8] != "党工委会议" || rows[3][5] != "已反馈" {
			t.Fatalf("register %q", rows)
		}
		entries, _, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "tolerance.export"})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].After, `"rows":1`) {
			t.Fatalf("export audit %+v %v", entries, err)
		}
	})
}
