package api_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/testdb"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// TestAmountBoundsAPI: an incentive of 9223372036854775807 yuan and funds
// in place of 9×10¹⁸ or 9×10¹⁷ yuan are refused (422) naming the field
// and stating the range; nothing is recorded and no reward is proposed.
func TestAmountBoundsAPI(t *testing.T) {
	e := newIncentiveAPIEnv(t)
	reward := func(amount string) (int, string) {
		return e.do("office", "POST", "/incentives", `{"member_id":`+itoa(e.member.ID)+`,"kind":"reward","amount_yuan":`+amount+
			`,"reason":"引进重点项目","evidence_type":"event","evidence_text":"签约仪式","occurred_on":"2026-03-20"}`)
	}
	for _, amount := range []string{"9223372036854775807", "100000001"} {
		status, body := reward(amount)
		if code, field, msg := teamParkError(t, body); status != 422 || code != "invalid" || field != "amount_yuan" || msg != "金额须在 0 至 100,000,000 元（1 亿元）之间" {
			t.Errorf("incentive of %s yuan: %d %s", amount, status, body)
		}
	}
	if status, body := e.do("office", "GET", "/incentives", ""); status != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("refused incentives were recorded: %d %s", status, body)
	}
	if status, body := reward("100000000"); status != 201 {
		t.Fatalf("incentive at the bound: %d %s", status, body)
	}

	// Funds in place on a project signed from the member's lead.
	ctx := context.Background()
	sys := xinlu.SystemActor(e.zone.ID)
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: e.member.ID, Company: "晋中重工装备有限公司", ProjectName: "盾构机总装项目",
		Industry: "equipment", InvestmentYuan: new(int64(8e8)), Channel: "personal"}
	if _, err := e.st.ReportLead(ctx, sys, l); err != nil {
		t.Fatal(err)
	}
	p := &store.ProjectRecord{}
	p.ZoneID, p.LeadID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, l.ID, "盾构机总装项目", "晋中重工装备有限公司", "equipment", xinlu.StageAgency
	p.Plan.TotalYuan, p.Signing.SignedOn, p.Signing.ContractYuan = new(int64(8e8)), cstDay(e.st, -30), 5e8
	if err := e.st.CreateProject(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	pp := "/projects/" + itoa(p.ID)
	for _, amount := range []string{"9000000000000000000", "900000000000000000", "10000000000001"} {
		status, body := e.do("agent", "POST", pp+"/funds", `{"date":"`+cstDay(e.st, -1)+`","amount_yuan":`+amount+`}`)
		if code, field, msg := teamParkError(t, body); status != 422 || code != "invalid" || field != "amount_yuan" ||
			msg != "金额须在 0 至 10 万亿元之间（即 1,000,000,000 万元，10,000,000,000,000 元）" {
			t.Errorf("funds of %s yuan: %d %s", amount, status, body)
		}
	}
	if status, body := e.do("agent", "GET", pp+"/funds", ""); status != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("refused funds were recorded: %d %s", status, body)
	}
	if status, body := e.do("office", "GET", "/incentives?source=auto", ""); status != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("refused funds proposed a reward: %d %s", status, body)
	}
	// A plan or a signing above the bound is refused the same way.
	q := &store.ProjectRecord{}
	q.ZoneID, q.Name, q.Company, q.Industry, q.Stage = e.zone.ID, "新材料项目", "新材料有限公司", "materials", xinlu.StagePackaging
	if err := e.st.CreateProject(ctx, sys, q); err != nil {
		t.Fatal(err)
	}
	e.user(e.zone.ID, "planner", xinlu.RolePlanner, 0)
	status, body := e.do("planner", "POST", "/projects/"+itoa(q.ID)+"/save-plan", `{"version":1,"plan":{"content":"年产 10 万吨","total_yuan":9223372036854775807}}`)
	if _, field, msg := teamParkError(t, body); status != 422 || field != "total_yuan" || !strings.Contains(msg, "10 万亿元") {
		t.Errorf("plan: %d %s", status, body)
	}
}

// TestOpenAPIStatesTheAmountBounds: the document's maxima are the domain's.
func TestOpenAPIStatesTheAmountBounds(t *testing.T) {
	e := newTeamParkEnv(t)
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	maximum := func(schema string, path ...string) int64 {
		var node any
		if err := json.Unmarshal(doc.Components.Schemas[schema], &node); err != nil {
			t.Fatalf("%s: %v", schema, err)
		}
		for _, p := range path {
			m, _ := node.(map[string]any)
			if props, ok := m["properties"].(map[string]any); ok {
				node = props[p]
			} else {
				node = m[p]
			}
		}
		m, _ := node.(map[string]any)
		f, _ := m["maximum"].(float64)
		return int64(f)
	}
	for _, tc := range []struct {
		schema string
		path   []string
		want   int64
	}{
		{"LeadInput", []string{"investment_yuan"}, xinlu.MaxInvestmentYuan},
		{"ProjectStep", []string{"plan", "total_yuan"}, xinlu.MaxInvestmentYuan},
		{"ProjectStep", []string{"plan", "fixed_asset_yuan"}, xinlu.MaxInvestmentYuan},
		{"ProjectStep", []string{"plan", "output_yuan"}, xinlu.MaxInvestmentYuan},
		{"ProjectStep", []string{"plan", "tax_yuan"}, xinlu.MaxInvestmentYuan},
		{"ProjectStep", []string{"signing", "contract_yuan"}, xinlu.MaxInvestmentYuan},
		{"ProjectStep", []string{"amount_yuan"}, xinlu.MaxInvestmentYuan},
		{"Instalment", []string{"amount_yuan"}, xinlu.MaxInvestmentYuan},
		{"FundsChangeInput", []string{"amount_yuan"}, xinlu.MaxInvestmentYuan},
		{"IncentiveInput", []string{"amount_yuan"}, xinlu.MaxPayYuan},
	} {
		if got := maximum(tc.schema, tc.path...); got != tc.want {
			t.Errorf("%s.%s: maximum %d, want %d", tc.schema, strings.Join(tc.path, "."), got, tc.want)
		}
	}
}

// hugeEnv is a running xinlu on one engine, with a raw connection to the
// same database for writes that go around the store, a zone with a signed
// project, and a sponsor with an API token and a page session.
type hugeEnv struct {
	st         *store.Store
	raw        *sql.DB
	srv        *httptest.Server
	zone       *xinlu.Zone
	project    *store.ProjectRecord
	token, web string
}

// hugeEngines runs fn on SQLite, and on PostgreSQL too when
// XINLU_TEST_POSTGRES holds a DSN.
func hugeEngines(t *testing.T, fn func(t *testing.T, e *hugeEnv)) {
	t.Run("sqlite", func(t *testing.T) {
		st, path := testfix.SQLiteFile(t)
		fn(t, newHugeEnv(t, st, "sqlite", path))
	})
	if dsn := testdb.Postgres(); dsn != "" {
		t.Run("postgres", func(t *testing.T) {
			st, in := testfix.PostgresSchema(t, dsn)
			fn(t, newHugeEnv(t, st, "pgx", in))
		})
	}
}

// newHugeEnv runs xinlu on st, which rawDSN reaches through driver too.
func newHugeEnv(t *testing.T, st *store.Store, driver, rawDSN string) *hugeEnv {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open(driver, rawDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	e := &hugeEnv{st: st, raw: raw}
	fix := testfix.Bare(t, st, &xinlu.Zone{Code: "H", Name: "巨额开发区"})
	e.zone = fix.Zone
	sys := xinlu.SystemActor(e.zone.ID)
	e.project = &store.ProjectRecord{}
	p := e.project
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, "铝材项目", "铝材有限公司", "materials", xinlu.StageAgency
	p.Plan.TotalYuan, p.Signing.SignedOn, p.Signing.ContractYuan = new(int64(2e9)), cstDay(st, -30), 1e9
	p.Signing.PromisedStart, p.Signing.PromisedProduce = cstDay(st, 30), cstDay(st, 300)
	if err := st.CreateProject(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	fix.AddUser(&xinlu.User{Username: "sponsor", Name: "王主任", Roles: []xinlu.Role{xinlu.RoleSponsor}})
	e.token, e.web = fix.Token("sponsor", time.Hour), fix.WebSession("sponsor", time.Hour)
	e.srv = newAPIServer(t, st, nil)
	return e
}

// page fetches a page (or a download) with the sponsor's page session.
func (e *hugeEnv) page(t *testing.T, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: "xinlu_session", Value: e.web})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestHugeAmountsInTheDatabaseAPI: with funds of 9×10¹⁸ and 9×10¹⁷ yuan
// and projects of 9×10¹⁸ yuan written straight into the database, the
// zone's project list, project page, performance, kanban and ledger export
// still answer, as pages and through the API, on both engines; the mistaken
// entries can be reversed and the sums come back.
func TestHugeAmountsInTheDatabaseAPI(t *testing.T) {
	hugeEngines(t, func(t *testing.T, e *hugeEnv) {
		ctx := context.Background()
		q := &store.ProjectRecord{}
		q.ZoneID, q.Name, q.Company, q.Industry, q.Stage = e.zone.ID, "镁合金项目", "镁合金有限公司", "materials", xinlu.StagePackaging
		r := &store.ProjectRecord{}
		r.ZoneID, r.Name, r.Company, r.Industry, r.Stage = e.zone.ID, "钛合金项目", "钛合金有限公司", "materials", xinlu.StagePackaging
		for _, x := range []*store.ProjectRecord{q, r} {
			x.Plan.TotalYuan = new(int64(1e6))
			if err := e.st.CreateProject(ctx, xinlu.SystemActor(e.zone.ID), x); err != nil {
				t.Fatal(err)
			}
		}
		day := cstDay(e.st, -1)
		for _, stmt := range []string{
			fmt.Sprintf(`INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, note, created_at) VALUES (%d, %d, '%s', 9000000000000000000, '', CURRENT_TIMESTAMP)`, e.zone.ID, e.project.ID, day),
			fmt.Sprintf(`INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, note, created_at) VALUES (%d, %d, '%s', 900000000000000000, '', CURRENT_TIMESTAMP)`, e.zone.ID, e.project.ID, day),
			fmt.Sprintf(`UPDATE projects SET total_yuan = 9000000000000000000 WHERE id IN (%d, %d)`, q.ID, r.ID),
		} {
			if _, err := e.raw.Exec(stmt); err != nil {
				t.Fatal(err)
			}
		}
		pp := "/projects/" + itoa(e.project.ID)
		for _, path := range []string{"/projects", pp, "/projects/performance", "/projects/kanban", "/projects/export.xlsx", "/"} {
			if status, body := e.page(t, path); status != 200 {
				t.Errorf("page %s: %d %.300s", path, status, body)
			}
		}
		for _, path := range []string{"/projects", pp, "/projects/performance", "/projects/kanban", "/projects/export.xlsx", pp + "/funds"} {
			if status, body := apiCall(t, e.srv.URL, e.token, "GET", path, ""); status != 200 {
				t.Errorf("API %s: %d %.300s", path, status, body)
			}
		}
		status, body := apiCall(t, e.srv.URL, e.token, "GET", pp, "")
		var got api.ProjectJSON
		if status != 200 || json.Unmarshal([]byte(body), &got) != nil || got.FundsYuan != xinlu.MaxSumYuan {
			t.Fatalf("project: %d %s", status, body)
		}

		// The sponsor reverses both entries with a reason; the sums are real again.
		status, body = apiCall(t, e.srv.URL, e.token, "GET", pp+"/funds", "")
		var list struct{ Items []api.FundsJSON }
		if status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Items) != 2 {
			t.Fatalf("funds: %d %s", status, body)
		}
		for _, f := range list.Items {
			status, body := apiCall(t, e.srv.URL, e.token, "POST", pp+"/funds/"+itoa(f.ID)+"/reverse", `{"version":1,"reason":"数据错误，直接写入的异常金额"}`)
			if status != 200 || !strings.Contains(body, `"action":"reverse"`) {
				t.Fatalf("reverse: %d %s", status, body)
			}
		}
		status, body = apiCall(t, e.srv.URL, e.token, "GET", pp, "")
		if status != 200 || !strings.Contains(body, `"funds_yuan":0`) {
			t.Fatalf("after reversal: %d %s", status, body)
		}
	})
}

// TestFundsCorrectionAPI: the agency task force corrects and reverses a
// mistaken entry through the API; the proposed reward follows; a member
// cannot; versions and reasons are required.
func TestFundsCorrectionAPI(t *testing.T) {
	e := newIncentiveAPIEnv(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(e.zone.ID)
	e.user(e.zone.ID, "agent", xinlu.RoleAgent, 0)
	l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: e.member.ID, Company: "晋中重工装备有限公司", ProjectName: "盾构机总装项目",
		Industry: "equipment", InvestmentYuan: new(int64(8e8)), Channel: "personal"}
	if _, err := e.st.ReportLead(ctx, sys, l); err != nil {
		t.Fatal(err)
	}
	p := &store.ProjectRecord{}
	p.ZoneID, p.LeadID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, l.ID, "盾构机总装项目", "晋中重工装备有限公司", "equipment", xinlu.StageAgency
	p.Plan.TotalYuan, p.Signing.SignedOn, p.Signing.ContractYuan = new(int64(8e8)), cstDay(e.st, -30), 5e8
	if err := e.st.CreateProject(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	pp := "/projects/" + itoa(p.ID)
	// 5 亿 entered as 5,000 亿: the reward proposed is capped at the bound.
	if status, body := e.do("agent", "POST", pp+"/funds", `{"date":"`+cstDay(e.st, -2)+`","amount_yuan":500000000000,"note":"一期"}`); status != 200 {
		t.Fatalf("funds: %d %s", status, body)
	}
	status, body := e.do("agent", "GET", pp+"/funds", "")
	var list struct{ Items []api.FundsJSON }
	if status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Items) != 1 || list.Items[0].Version != 1 {
		t.Fatalf("funds: %d %s", status, body)
	}
	fp := pp + "/funds/" + itoa(list.Items[0].ID)

	for _, tc := range []struct {
		who, path, body string
		status          int
		field           string
	}{
		{"member", fp + "/reverse", `{"version":1,"reason":"错录"}`, 403, ""},
		{"agent", fp + "/reverse", `{"reason":"错录"}`, 422, "version"},
		{"agent", fp + "/reverse", `{"version":1,"reason":" "}`, 422, "reason"},
		{"agent", fp + "/correct", `{"version":1,"reason":"错录","date":"` + cstDay(e.st, -2) + `","amount_yuan":9000000000000000000}`, 422, "amount_yuan"},
		{"agent", fp + "/correct", `{"version":1,"reason":"错录","date":"` + cstDay(e.st, 2) + `","amount_yuan":500000000}`, 422, "date"},
		{"agent", fp + "/delete", `{"version":1,"reason":"错录"}`, 404, ""},
		{"agent", fp + "/reverse", `{"version":2,"reason":"错录"}`, 409, ""},
		{"agent", pp + "/funds/999999/reverse", `{"version":1,"reason":"错录"}`, 404, ""},
	} {
		status, body := e.do(tc.who, "POST", tc.path, tc.body)
		if status != tc.status {
			t.Errorf("%s %s %s: %d %s, want %d", tc.who, tc.path, tc.body, status, body, tc.status)
			continue
		}
		if tc.field != "" {
			if _, field, _ := teamParkError(t, body); field != tc.field {
				t.Errorf("%s %s: field %q, want %q", tc.path, tc.body, field, tc.field)
			}
		}
	}

	status, body = e.do("agent", "POST", fp+"/correct", `{"version":1,"reason":"多录了三个零","date":"`+cstDay(e.st, -2)+`","amount_yuan":500000000,"note":"一期"}`)
	var ch api.FundsChangeJSON
	if status != 200 || json.Unmarshal([]byte(body), &ch) != nil {
		t.Fatalf("correct: %d %s", status, body)
	}
	if ch.Funds.AmountYuan != 500_000_000 || ch.Funds.Version != 2 || ch.ProjectFundsYuan != 500_000_000 || ch.Reward == nil ||
		ch.Reward.Outcome != "revised" || ch.Reward.AmountYuan != 500_000 || ch.Reward.Status != "proposed" {
		t.Fatalf("corrected: %s", body)
	}
	status, body = e.do("agent", "POST", fp+"/reverse", `{"version":2,"reason":"投资方撤回"}`)
	ch = api.FundsChangeJSON{}
	if status != 200 || json.Unmarshal([]byte(body), &ch) != nil || ch.ProjectFundsYuan != 0 || ch.Reward.Outcome != "withdrawn" || ch.Reward.Status != "rejected" {
		t.Fatalf("reversed: %d %s", status, body)
	}
	status, body = e.do("office", "GET", "/incentives/"+itoa(ch.Reward.ID), "")
	if status != 200 || !strings.Contains(body, `"decision_note":"投资方撤回"`) || !strings.Contains(body, `"status":"rejected"`) {
		t.Fatalf("withdrawn reward: %d %s", status, body)
	}
	if status, body := e.do("agent", "GET", pp+"/funds", ""); status != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("after reversal: %d %s", status, body)
	}
}
