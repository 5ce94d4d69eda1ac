package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/web"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// The appraisal API through HTTP: schemes, periods and their steps,
// scores, results and who sees pay, appeals, exports, base pay, and every
// appraisal route as every role. The fixture is seeded through the store;
// everything tested goes through /api/v1.

// aprToday is Monday 2 November 2026, 10:00 in Shanghai: the October period
// is appraised and published from today.
var aprToday = time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)

// aprEnv is a running xinlu with one zone: department A of six staff (the
// sixth on probation), a head and the leader (who holds a leader term);
// departments B (three staff) and C (two), pooled together; an account per
// role and a few more, each with an API token.
//
// Accounts: every role under its own name ("member" is big[4], "head" is
// the head of A, "director" is the leader), "member2" (a member who is
// big[1]), "memberB" (a member who is small[0]) and "office_zh" (an
// appraiser whose language is zh-CN).
type aprEnv struct {
	t      *testing.T
	fix    *testfix.Zone
	st     *store.Store
	srv    *httptest.Server
	zone   *xinlu.Zone
	deptA  int64
	big    []*xinlu.Member // department A, six staff; big[5] on probation
	small  []*xinlu.Member // departments B (3) and C (2)
	head   *xinlu.Member   // head of A
	leader *xinlu.Member   // in A, with a leader term
	users  map[string]*xinlu.User
	tokens map[string]string

	mu       sync.Mutex
	messages map[string]string // error key → the message it was answered with (default language)
}

func newAprEnv(t *testing.T, st *store.Store) *aprEnv {
	t.Helper()
	ctx := context.Background()
	e := &aprEnv{t: t, st: st, users: map[string]*xinlu.User{}, tokens: map[string]string{}, messages: map[string]string{}}
	e.fix = testfix.Bare(t, st, &xinlu.Zone{Code: "AP", Name: "考核开发区", Demo: true})
	e.zone = e.fix.Zone
	e.at(aprToday)
	sys := xinlu.SystemActor(e.zone.ID)
	dept := func(code, name string) int64 {
		d := &xinlu.Department{ZoneID: e.zone.ID, Code: code, Name: name}
		if err := st.CreateDepartment(ctx, sys, d); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	pos := func(name string, kind xinlu.PositionKind) int64 {
		p := &xinlu.Position{ZoneID: e.zone.ID, Name: name, Kind: kind}
		if err := st.CreatePosition(ctx, sys, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	staffPos, headPos, leaderPos := pos("专员", xinlu.PositionStaff), pos("科长", xinlu.PositionHead), pos("副主任", xinlu.PositionLeader)
	n := 0
	member := func(dept, position int64, status xinlu.MemberStatus) *xinlu.Member {
		n++
		m := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: dept, PositionID: position, StaffNo: fmt.Sprintf("A%03d", n),
			Name: fmt.Sprintf("人员%d", n), Status: status, JoinedOn: "2020-01-01"}
		if err := st.CreateMember(ctx, sys, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b, c := dept("A", "招商一局"), dept("B", "综合办"), dept("C", "财政局")
	e.deptA = a
	for i := range 6 {
		status := xinlu.MemberActive
		if i == 5 {
			status = xinlu.MemberProbation
		}
		e.big = append(e.big, member(a, staffPos, status))
	}
	for range 3 {
		e.small = append(e.small, member(b, staffPos, xinlu.MemberActive))
	}
	for range 2 {
		e.small = append(e.small, member(c, staffPos, xinlu.MemberActive))
	}
	e.leader = member(a, leaderPos, xinlu.MemberActive)
	e.head = member(a, headPos, xinlu.MemberActive)
	if err := st.CreateTerm(ctx, sys, &xinlu.Term{ZoneID: e.zone.ID, MemberID: e.leader.ID, Title: "副主任", StartDate: "2025-01-01", EndDate: "2027-12-31"}); err != nil {
		t.Fatal(err)
	}
	// Leads reported in October feed the computed indicator: big[0] four, big[1] two.
	e.at(time.Date(2026, 10, 20, 3, 0, 0, 0, time.UTC))
	for who, k := range map[*xinlu.Member]int{e.big[0]: 4, e.big[1]: 2} {
		for i := range k {
			l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: who.ID, Company: fmt.Sprintf("%s测试公司%d", who.Name, i), ProjectName: "项目",
				Industry: "equipment", InvestmentYuan: new(int64(1e8)), Channel: "personal", ContactName: "张三", ContactPhone: "13800001111"}
			if _, err := st.ReportLead(ctx, sys, l); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.at(aprToday)

	for _, r := range xinlu.Roles {
		var m int64
		switch r {
		case xinlu.RoleMember:
			m = e.big[4].ID
		case xinlu.RoleHead:
			m = e.head.ID
		case xinlu.RoleDirector:
			m = e.leader.ID
		}
		e.account(string(r), r, m, "")
	}
	e.account("member2", xinlu.RoleMember, e.big[1].ID, "")
	e.account("memberB", xinlu.RoleMember, e.small[0].ID, "")
	e.account("office_zh", xinlu.RoleAppraiser, 0, "zh-CN")

	// The tokens outlive the clock's moves, privileged accounts' too.
	e.srv = newAPIServer(t, st, func(cfg *web.Config) { cfg.Sessions.AdminIdle, cfg.Sessions.Lifetime = 0, 400*24*time.Hour })
	return e
}

// account adds a user with an API token, issued through the store for long
// enough to outlive the clock's moves.
func (e *aprEnv) account(username string, role xinlu.Role, memberID int64, lang string) {
	e.t.Helper()
	u := e.fix.AddUser(&xinlu.User{Username: username, Roles: []xinlu.Role{role}, MemberID: memberID, Lang: lang})
	e.users[username], e.tokens[username] = u, e.fix.Token(username, 400*24*time.Hour)
}

// at moves the store's clock.
func (e *aprEnv) at(tm time.Time) { e.fix.Clock.Set(tm) }

// do sends one API request as the account who, with extra headers given as
// name, value pairs.
func (e *aprEnv) do(who, method, path, body string, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/api/v1"+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if tok := e.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	} else if who != "" {
		e.t.Fatalf("no account %q", who)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// call sends one request in the default language and remembers the
// message of every error answer by its key.
func (e *aprEnv) call(who, method, path, body string) (int, string) {
	e.t.Helper()
	res, b := e.do(who, method, path, body)
	if res.StatusCode >= 400 {
		var env struct {
			Error struct{ Code, Key, Message string }
		}
		if json.Unmarshal(b, &env) == nil && env.Error.Key != "" && env.Error.Code != "internal" {
			e.mu.Lock()
			e.messages[env.Error.Key] = env.Error.Message
			e.mu.Unlock()
		}
	}
	return res.StatusCode, string(b)
}

// aprError is the error envelope of a failed call.
type aprError struct{ Code, Message, Field, Key string }

func aprErrorOf(t *testing.T, body string) aprError {
	t.Helper()
	var env struct{ Error aprError }
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error.Code == "" {
		t.Fatalf("not an error envelope: %s", body)
	}
	return env.Error
}

// aprWant checks a failed call: its status, and its field and key when given.
func aprWant(t *testing.T, what string, status int, body string, wantStatus int, field, key string) aprError {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: %d %s, want %d", what, status, body, wantStatus)
		return aprError{}
	}
	e := aprErrorOf(t, body)
	if field != "" && e.Field != field {
		t.Errorf("%s: field %q, want %q (%s)", what, e.Field, field, body)
	}
	if key != "" && e.Key != key {
		t.Errorf("%s: key %q, want %q (%s)", what, e.Key, key, body)
	}
	return e
}

// aprHasHan reports whether s holds Chinese characters.
func aprHasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func aprDecode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %T: %v in %s", v, err, body)
	}
	return v
}

type aprList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func aprID(id int64) string { return strconv.FormatInt(id, 10) }

// createScheme creates a scheme as the appraisal office and returns it.
func (e *aprEnv) createScheme(body string) api.SchemeJSON {
	e.t.Helper()
	status, out := e.call("appraiser", "POST", "/appraisal/schemes", body)
	if status != 201 {
		e.t.Fatalf("create scheme: %d %s", status, out)
	}
	return aprDecode[api.SchemeJSON](e.t, out)
}

// period reads a period as the appraisal office.
func (e *aprEnv) period(id int64) api.PeriodJSON {
	e.t.Helper()
	status, body := e.call("appraiser", "GET", "/appraisal/periods/"+aprID(id), "")
	if status != 200 {
		e.t.Fatalf("get period: %d %s", status, body)
	}
	return aprDecode[api.PeriodJSON](e.t, body)
}

// step takes a step of a period as who with its current version; extra
// is more of the JSON body, starting with a comma.
func (e *aprEnv) step(who string, id int64, action, extra string) (int, string) {
	e.t.Helper()
	v := e.period(id).Version
	return e.call(who, "POST", "/appraisal/periods/"+aprID(id)+"/"+action, fmt.Sprintf(`{"version":%d%s}`, v, extra))
}

func (e *aprEnv) mustStep(who string, id int64, action, extra string) api.PeriodJSON {
	e.t.Helper()
	status, body := e.step(who, id, action, extra)
	if status != 200 {
		e.t.Fatalf("%s %s: %d %s", who, action, status, body)
	}
	return aprDecode[api.PeriodJSON](e.t, body)
}

// results lists a period's results as who, all on one page.
func (e *aprEnv) results(who string, id int64, query string) (int, aprList[api.ResultJSON], string) {
	e.t.Helper()
	status, body := e.call(who, "GET", "/appraisal/periods/"+aprID(id)+"/results?per_page=100"+query, "")
	var l aprList[api.ResultJSON]
	if status == 200 {
		l = aprDecode[aprList[api.ResultJSON]](e.t, body)
	}
	return status, l, body
}

func aprByMember(rs []api.ResultJSON) map[int64]api.ResultJSON {
	out := map[int64]api.ResultJSON{}
	for _, r := range rs {
		out[r.MemberID] = r
	}
	return out
}

// scores posts scores as who: triples of member, indicator and score.
func (e *aprEnv) scores(who string, id int64, triples ...any) (int, string) {
	e.t.Helper()
	var parts []string
	for i := 0; i+2 < len(triples); i += 3 {
		parts = append(parts, fmt.Sprintf(`{"member_id":%d,"indicator_id":%d,"score":%v}`, triples[i], triples[i+1], triples[i+2]))
	}
	return e.call(who, "POST", "/appraisal/periods/"+aprID(id)+"/scores", `{"scores":[`+strings.Join(parts, ",")+`]}`)
}

// workbook fetches an export as who and opens it.
func (e *aprEnv) workbook(who, path string) [][]string {
	e.t.Helper()
	res, body := e.do(who, "GET", path, "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsx.ContentType ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename=") {
		e.t.Fatalf("%s as %s: %d %v %.300s", path, who, res.StatusCode, res.Header, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		e.t.Fatalf("%s does not open: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		e.t.Fatal(err)
	}
	return append([][]string{{f.GetSheetName(0)}}, rows...) // the sheet name first
}

// The schemes of the fixture: staff (computed, assessed, peer, points),
// heads and leaders (one assessed indicator each).
const (
	aprStaffScheme = `{"name":"工作人员考核方案","position_kind":"staff","indicators":[
		{"name":"上报线索","kind":"computed","metric":"leads_reported","target":4,"weight":40,"key_task":true},
		{"name":"领导评价","kind":"assessed","weight":40},
		{"name":"民主测评","kind":"peer","weight":20},
		{"name":"加减分","kind":"points","target":10}]}`
	aprHeadScheme   = `{"name":"中层干部考核方案","position_kind":"head","indicators":[{"name":"中层评价","kind":"assessed","weight":100}]}`
	aprLeaderScheme = `{"name":"班子成员考核方案","position_kind":"leader","indicators":[{"name":"综合评价","kind":"assessed","weight":100}]}`
)

func TestAppraisalAPISchemes(t *testing.T) {
	e := newAprEnv(t, testfix.SQLite(t))

	t.Run("a member reads schemes but may not write them", func(t *testing.T) {
		if status, body := e.call("member", "GET", "/appraisal/schemes", ""); status != 200 || !strings.Contains(body, `"total":0`) {
			t.Fatalf("member list: %d %s", status, body)
		}
		status, body := e.call("member", "POST", "/appraisal/schemes", aprStaffScheme)
		if code := aprWant(t, "member create", status, body, 403, "", "").Code; code != "forbidden" {
			t.Errorf("member create: code %q", code)
		}
		if status, _ := e.call("finance", "POST", "/appraisal/schemes", aprStaffScheme); status != 403 {
			t.Errorf("finance create: %d", status)
		}
	})

	bad := `{"name":"中层方案","position_kind":"head","indicators":[{"name":"评价","kind":"assessed","weight":90}]}`
	t.Run("weights not summing to 100 are refused in the reader's language", func(t *testing.T) {
		status, body := e.call("appraiser", "POST", "/appraisal/schemes", bad)
		er := aprWant(t, "weights of 90", status, body, 422, "indicators", "appraisal.weights_sum")
		if !aprHasHan(er.Message) || !strings.Contains(er.Message, "90") || !strings.Contains(er.Message, "100") {
			t.Errorf("default message is not Chinese with the sum: %q", er.Message)
		}
		res, b := e.do("appraiser", "POST", "/appraisal/schemes", bad, "Accept-Language", "zh-CN,zh;q=0.9")
		if er := aprErrorOf(t, string(b)); res.StatusCode != 422 || !aprHasHan(er.Message) || !strings.Contains(er.Message, "90") {
			t.Errorf("Accept-Language zh-CN: %d %s", res.StatusCode, b)
		}
		res, b = e.do("appraiser", "POST", "/appraisal/schemes", bad, "Accept-Language", "en-US,en;q=0.9")
		if er := aprErrorOf(t, string(b)); res.StatusCode != 422 || aprHasHan(er.Message) || !strings.Contains(er.Message, "90") {
			t.Errorf("Accept-Language en: %d %s", res.StatusCode, b)
		}
		// The account's language wins over the browser's.
		res, b = e.do("office_zh", "POST", "/appraisal/schemes", bad, "Accept-Language", "en")
		if er := aprErrorOf(t, string(b)); res.StatusCode != 422 || !aprHasHan(er.Message) {
			t.Errorf("zh-CN account with Accept-Language en: %d %s", res.StatusCode, b)
		}
	})

	t.Run("bad indicators name the field", func(t *testing.T) {
		for _, tc := range []struct{ body, field string }{
			{`{"name":"","position_kind":"head","indicators":[{"name":"评价","kind":"assessed","weight":100}]}`, "name"},
			{`{"name":"方案","position_kind":"boss","indicators":[{"name":"评价","kind":"assessed","weight":100}]}`, "position_kind"},
			{`{"name":"方案","position_kind":"head","indicators":[]}`, "indicators"},
			{`{"name":"方案","position_kind":"head","indicators":[{"name":"评价","kind":"guess","weight":100}]}`, "indicators[0].kind"},
			{`{"name":"方案","position_kind":"head","indicators":[{"name":"线索","kind":"computed","metric":"nothing","target":1,"weight":100}]}`, "indicators[0].metric"},
			{`{"name":"方案","position_kind":"head","indicators":[{"name":"线索","kind":"computed","metric":"leads_reported","weight":100}]}`, "indicators[0].target"},
			{`{"name":"方案","position_kind":"head","indicators":[{"name":"评价","kind":"assessed","weight":100},{"name":"加分","kind":"points","target":5,"weight":10}]}`, "indicators[1].weight"},
			{`{"name":"方案","position_kind":"head","indicators":[{"name":"评价","kind":"assessed","weight":50},{"name":"评价","kind":"assessed","weight":50}]}`, "indicators[1].name"},
			{`{"name":"方案","position_kind":"head","indicators":[{"name":"甲","kind":"assessed","weight":50,"key_task":true},{"name":"乙","kind":"assessed","weight":50,"key_task":true}]}`, "indicators"},
			{`{"name":"方案","position_kind":"head","indicators":[{"name":"评价","kind":"assessed","weight":100}],"colour":"red"}`, "colour"},
		} {
			status, body := e.call("appraiser", "POST", "/appraisal/schemes", tc.body)
			aprWant(t, tc.body, status, body, 422, tc.field, "")
		}
	})

	staff := e.createScheme(aprStaffScheme)
	t.Run("create", func(t *testing.T) {
		if staff.ID == 0 || staff.Version != 1 || staff.ZoneID != e.zone.ID || staff.PositionKind != "staff" || len(staff.Indicators) != 4 {
			t.Fatalf("created %+v", staff)
		}
		for i, want := range []api.IndicatorJSON{
			{Name: "上报线索", Kind: "computed", Metric: "leads_reported", Target: 4, Weight: 40, KeyTask: true},
			{Name: "领导评价", Kind: "assessed", Weight: 40},
			{Name: "民主测评", Kind: "peer", Weight: 20},
			{Name: "加减分", Kind: "points", Target: 10}, // a cap of 10 points, kept in hundredths
		} {
			got := staff.Indicators[i]
			want.ID = got.ID
			if got.ID == 0 || got != want {
				t.Errorf("indicator %d: %+v, want %+v", i, got, want)
			}
		}
		status, body := e.call("member", "GET", "/appraisal/schemes/"+aprID(staff.ID), "")
		if got := aprDecode[api.SchemeJSON](t, body); status != 200 || got.Name != "工作人员考核方案" || len(got.Indicators) != 4 || got.Indicators[3].Target != 10 {
			t.Fatalf("get: %d %s", status, body)
		}
		if status, _ := e.call("member", "GET", "/appraisal/schemes/999999", ""); status != 404 {
			t.Errorf("missing scheme: %d", status)
		}
	})

	t.Run("one scheme per kind of position, one name per zone", func(t *testing.T) {
		other := `{"name":"另一个方案","position_kind":"staff","indicators":[{"name":"评价","kind":"assessed","weight":100}]}`
		status, body := e.call("appraiser", "POST", "/appraisal/schemes", other)
		aprWant(t, "second staff scheme", status, body, 409, "position_kind", "appraisal.scheme_kind_taken")
		same := `{"name":"工作人员考核方案","position_kind":"head","indicators":[{"name":"评价","kind":"assessed","weight":100}]}`
		status, body = e.call("appraiser", "POST", "/appraisal/schemes", same)
		aprWant(t, "same name", status, body, 409, "name", "appraisal.scheme_name_taken")
	})

	sp := "/appraisal/schemes/" + aprID(staff.ID)
	t.Run("update needs the current version and keeps indicator ids by name", func(t *testing.T) {
		upd := `{"name":"工作人员月度考核方案","position_kind":"staff","indicators":[
			{"name":"上报线索","kind":"computed","metric":"leads_reported","target":5,"weight":50,"key_task":true},
			{"name":"领导评价","kind":"assessed","weight":50}]`
		status, body := e.call("appraiser", "PUT", sp, upd+`}`)
		aprWant(t, "no version", status, body, 422, "version", "")
		status, body = e.call("appraiser", "PUT", sp, upd+`,"version":1}`)
		got := aprDecode[api.SchemeJSON](t, body)
		if status != 200 || got.Version != 2 || got.Name != "工作人员月度考核方案" || len(got.Indicators) != 2 ||
			got.Indicators[0].ID != staff.Indicators[0].ID || got.Indicators[1].ID != staff.Indicators[1].ID || got.Indicators[0].Target != 5 {
			t.Fatalf("update: %d %s", status, body)
		}
		status, body = e.call("appraiser", "PUT", sp, upd+`,"version":1}`)
		aprWant(t, "stale update", status, body, 409, "version", "error.stale")
		if status, _ := e.call("member", "PUT", sp, upd+`,"version":2}`); status != 403 {
			t.Errorf("member update: %d", status)
		}
		if _, body := e.call("member", "GET", sp, ""); !strings.Contains(body, `"version":2`) || !strings.Contains(body, "工作人员月度考核方案") {
			t.Errorf("after a stale update: %s", body)
		}
	})

	t.Run("delete", func(t *testing.T) {
		if status, _ := e.call("member", "DELETE", sp+"?version=2", ""); status != 403 {
			t.Errorf("member delete: %d", status)
		}
		status, body := e.call("appraiser", "DELETE", sp+"?version=1", "")
		aprWant(t, "stale delete", status, body, 409, "version", "")
		if status, body := e.call("appraiser", "DELETE", sp+"?version=2", ""); status != 204 {
			t.Fatalf("delete: %d %s", status, body)
		}
		if status, _ := e.call("appraiser", "GET", sp, ""); status != 404 {
			t.Errorf("deleted scheme: %d", status)
		}
	})
}

func TestAppraisalAPIBasePay(t *testing.T) {
	e := newAprEnv(t, testfix.SQLite(t))
	put := func(who, items string) (int, string) {
		return e.call(who, "PUT", "/appraisal/base-pay", `{"items":[`+items+`]}`)
	}
	status, body := put("finance", `{"staff_no":"A001","base_yuan":3000},{"staff_no":"A005","base_yuan":3000},{"staff_no":"A007","base_yuan":2000}`)
	if status != 200 || !strings.Contains(body, `"changed":3`) {
		t.Fatalf("finance sets base pay: %d %s", status, body)
	}
	if status, body := put("finance", `{"staff_no":"A001","base_yuan":3000}`); status != 200 || !strings.Contains(body, `"changed":0`) {
		t.Errorf("unchanged: %d %s", status, body)
	}
	status, body = e.call("finance", "GET", "/appraisal/base-pay?q=A001", "")
	if l := aprDecode[aprList[api.BasePayJSON]](t, body); status != 200 || l.Total != 1 || !l.Items[0].Set || l.Items[0].BaseYuan != 3000 ||
		l.Items[0].MemberID != e.big[0].ID || l.Items[0].DepartmentName != "招商一局" {
		t.Fatalf("get A001: %d %s", status, body)
	}
	status, body = e.call("finance", "GET", "/appraisal/base-pay?per_page=100", "")
	l := aprDecode[aprList[api.BasePayJSON]](t, body)
	set := 0
	for _, b := range l.Items {
		if b.Set {
			set++
		}
	}
	if status != 200 || l.Total != 13 || len(l.Items) != 13 || set != 3 {
		t.Fatalf("list: %d total %d, %d set: %s", status, l.Total, set, body)
	}

	for _, who := range []string{"member", "head", "appraiser", "director"} {
		if status, _ := e.call(who, "GET", "/appraisal/base-pay", ""); status != 403 {
			t.Errorf("%s reads base pay: %d", who, status)
		}
		if status, _ := put(who, `{"staff_no":"A002","base_yuan":9999}`); status != 403 {
			t.Errorf("%s sets base pay: %d", who, status)
		}
	}
	// All or nothing: an unknown staff number refuses the whole batch.
	status, body = put("finance", `{"staff_no":"A002","base_yuan":2500},{"staff_no":"ZZ999","base_yuan":2500}`)
	if er := aprWant(t, "unknown staff number", status, body, 422, "staff_no", "appraisal.staff_no_unknown"); er.Code != "" && !strings.Contains(er.Message, "ZZ999") {
		t.Logf("the message does not name the staff number: %q", er.Message)
	}
	if _, body := e.call("finance", "GET", "/appraisal/base-pay?q=A002", ""); !strings.Contains(body, `"set":false`) {
		t.Errorf("a refused batch left a change: %s", body)
	}
	status, body = put("finance", `{"staff_no":"A002","base_yuan":2500},{"staff_no":"A002","base_yuan":2600}`)
	aprWant(t, "staff number twice", status, body, 422, "items[1].staff_no", "appraisal.staff_no_twice")
	status, body = put("finance", ``)
	aprWant(t, "no items", status, body, 422, "items", "appraisal.items_range")
	status, body = put("finance", `{"staff_no":"A002","base_yuan":-1}`)
	aprWant(t, "negative", status, body, 422, "base_yuan", "appraisal.base_pay_range")
}

// TestAppraisalAPIPeriodFlow takes the October period from draft to
// applied through the API: steps and their guards, scores, calculation,
// calibration, the pool, publication, who sees which results and pay,
// appeals, exports, finalisation after the publication window.
func TestAppraisalAPIPeriodFlow(t *testing.T) {
	testfix.EachEngine(t, testAppraisalPeriodFlow)
}

func testAppraisalPeriodFlow(t *testing.T, st *store.Store) {
	e := newAprEnv(t, st)
	staff := e.createScheme(aprStaffScheme)
	headScheme := e.createScheme(aprHeadScheme)
	leaderScheme := e.createScheme(aprLeaderScheme)
	computed, assessed, peer := staff.Indicators[0].ID, staff.Indicators[1].ID, staff.Indicators[2].ID
	headInd, leaderInd := headScheme.Indicators[0].ID, leaderScheme.Indicators[0].ID
	if status, body := e.call("finance", "PUT", "/appraisal/base-pay",
		fmt.Sprintf(`{"items":[{"staff_no":%q,"base_yuan":3000},{"staff_no":%q,"base_yuan":3000},{"staff_no":%q,"base_yuan":2000}]}`,
			e.big[0].StaffNo, e.big[4].StaffNo, e.small[0].StaffNo)); status != 200 {
		t.Fatalf("base pay: %d %s", status, body)
	}

	// Periods: create, settings, the draft's guards.
	status, body := e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"month","label":"2026-10"}`)
	p := aprDecode[api.PeriodJSON](t, body)
	if status != 201 || p.ID == 0 || p.State != "draft" || p.Version != 1 || p.StartsOn != "2026-10-01" || p.EndsOn != "2026-10-31" ||
		p.PublicationDays != 5 || p.Rule.Grouping != "department" || p.Rule.TopRatio != 0.2 || p.Coefficients.Top != 1.2 || p.Coefficients.Bottom != 0.8 {
		t.Fatalf("create period: %d %s", status, body)
	}
	pid := p.ID
	pp := "/appraisal/periods/" + aprID(pid)
	status, body = e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"month","label":"2026-09"}`)
	draft := aprDecode[api.PeriodJSON](t, body)
	if status != 201 {
		t.Fatalf("second period: %d %s", status, body)
	}

	t.Run("period input is checked", func(t *testing.T) {
		status, body := e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"month","label":"2026-10"}`)
		aprWant(t, "same label", status, body, 409, "label", "appraisal.period_taken")
		status, body = e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"month","label":"2026/10"}`)
		aprWant(t, "bad label", status, body, 422, "label", "appraisal.label_format")
		status, body = e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"week","label":"2026-10"}`)
		aprWant(t, "bad kind", status, body, 422, "kind", "")
		status, body = e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"quarter","label":"2026Q4","coefficients":{"top":0.8,"middle":1,"bottom":1.2}}`)
		aprWant(t, "coefficients out of order", status, body, 422, "coefficients", "appraisal.coefficients_order")
		status, body = e.call("appraiser", "POST", "/appraisal/periods", `{"kind":"quarter","label":"2026Q4","rule":{"grouping":"zone","top_ratio":0.6,"bottom_ratio":0.6,"min_group_size":5}}`)
		aprWant(t, "ratios over 1", status, body, 422, "bottom_ratio", "")
		if status, _ := e.call("director", "POST", "/appraisal/periods", `{"kind":"month","label":"2026-08"}`); status != 403 {
			t.Errorf("director creates a period: %d", status)
		}
	})

	t.Run("settings change with the current version", func(t *testing.T) {
		status, body := e.call("appraiser", "PUT", pp, `{"kind":"month","label":"2026-10","publication_days":5,"version":1}`)
		if got := aprDecode[api.PeriodJSON](t, body); status != 200 || got.Version != 2 || got.State != "draft" {
			t.Fatalf("update: %d %s", status, body)
		}
		status, body = e.call("appraiser", "PUT", pp, `{"kind":"month","label":"2026-10","publication_days":7,"version":1}`)
		aprWant(t, "stale update", status, body, 409, "version", "error.stale")
		if got := e.period(pid); got.PublicationDays != 5 {
			t.Errorf("a stale update landed: %+v", got)
		}
	})

	t.Run("a step the state does not allow is 409 naming the state", func(t *testing.T) {
		status, body := e.step("appraiser", pid, "review", "")
		er := aprWant(t, "review a draft", status, body, 409, "state", "appraisal.state_not_allowed")
		if !strings.Contains(er.Message, "草稿") {
			t.Errorf("the message does not name the state: %q", er.Message)
		}
		res, b := e.do("appraiser", "POST", pp+"/publish", fmt.Sprintf(`{"version":%d}`, e.period(pid).Version), "Accept-Language", "en")
		if er := aprErrorOf(t, string(b)); res.StatusCode != 409 || !strings.Contains(er.Message, "Draft") {
			t.Errorf("in English: %d %s", res.StatusCode, b)
		}
		// Scores wait for scoring too.
		status, body = e.scores("director", pid, e.big[0].ID, assessed, 90)
		er = aprWant(t, "scores in a draft", status, body, 409, "state", "appraisal.state_not_allowed")
		if !strings.Contains(er.Message, "草稿") {
			t.Errorf("scores in a draft: %q", er.Message)
		}
	})

	t.Run("open: the office only, with the current version", func(t *testing.T) {
		status, body := e.step("director", pid, "open", "")
		aprWant(t, "director opens", status, body, 403, "", "")
		status, body = e.step("member", pid, "open", "")
		aprWant(t, "member opens", status, body, 403, "", "")
		status, body = e.step("finance", pid, "open", "")
		aprWant(t, "finance opens", status, body, 403, "", "")
		status, body = e.call("appraiser", "POST", pp+"/open", `{"version":1}`)
		aprWant(t, "stale open", status, body, 409, "version", "error.stale")
		status, body = e.call("appraiser", "POST", pp+"/open", `{}`)
		aprWant(t, "open without a version", status, body, 422, "version", "")
		status, body = e.step("appraiser", pid, "frobnicate", "")
		aprWant(t, "unknown step", status, body, 404, "", "appraisal.unknown_action")
		// Two offices open at once: one wins, the other is told the period moved on.
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i], _ = e.call("appraiser", "POST", pp+"/open", `{"version":2}`)
			}()
		}
		wg.Wait()
		if slices.Sort(statuses); statuses[0] != 200 || statuses[1] != 409 {
			t.Errorf("concurrent opens: %v", statuses)
		}
		if got := e.period(pid); got.State != "scoring" || got.Version != 3 {
			t.Fatalf("opened %+v", got)
		}
	})

	t.Run("in scoring members see the period but not results, as if there were none", func(t *testing.T) {
		if status, body := e.call("member", "GET", pp, ""); status != 200 || !strings.Contains(body, `"state":"scoring"`) {
			t.Errorf("member reads a period in scoring: %d %s", status, body)
		}
		if status, _ := e.call("member", "GET", "/appraisal/periods/"+aprID(draft.ID), ""); status != 404 {
			t.Errorf("member reads a draft: %d", status)
		}
		status, body := e.call("member", "GET", pp+"/results", "")
		aprWant(t, "member results in scoring", status, body, 404, "", "error.not_found")
		status, body = e.call("member", "GET", pp+"/results/"+aprID(e.big[4].ID), "")
		aprWant(t, "member own result in scoring", status, body, 404, "", "error.not_found")
		res, _ := e.do("member", "GET", pp+"/publication.xlsx", "")
		if res.StatusCode != 404 {
			t.Errorf("member publication list in scoring: %d", res.StatusCode)
		}
	})

	t.Run("scores", func(t *testing.T) {
		// The director (a leader) scores every staff member and the head.
		var triples []any
		for i, m := range e.big {
			triples = append(triples, m.ID, assessed, 90-5*i) // 90, 85, 80, 75, 70, 65
		}
		for i, m := range e.small {
			triples = append(triples, m.ID, assessed, 88-3*i) // 88, 85, 82, 79, 76
		}
		triples = append(triples, e.head.ID, headInd, 80)
		if status, body := e.scores("director", pid, triples...); status != 200 || !strings.Contains(body, `"saved":12`) {
			t.Fatalf("director scores: %d %s", status, body)
		}
		// The head scores their own department; the same score again keeps the mean.
		if status, body := e.scores("head", pid, e.big[0].ID, assessed, 90); status != 200 || !strings.Contains(body, `"saved":1`) {
			t.Errorf("head scores A: %d %s", status, body)
		}
		status, body := e.scores("head", pid, e.small[0].ID, assessed, 90)
		aprWant(t, "head scores B", status, body, 422, "scores[0].member_id", "appraisal.member_out_of_scope")
		// Nobody scores themself.
		status, body = e.scores("director", pid, e.leader.ID, leaderInd, 95)
		aprWant(t, "director scores themself", status, body, 422, "scores[0].member_id", "appraisal.self_rating")
		status, body = e.scores("head", pid, e.head.ID, headInd, 95)
		aprWant(t, "head scores themself", status, body, 422, "scores[0].member_id", "appraisal.self_rating")
		// A member rates a colleague of the department (民主测评), not other departments, not assessed indicators.
		if status, body := e.scores("member", pid, e.big[0].ID, peer, 95); status != 200 || !strings.Contains(body, `"saved":1`) {
			t.Errorf("member peer-rates a colleague: %d %s", status, body)
		}
		status, body = e.scores("member", pid, e.small[0].ID, peer, 95)
		aprWant(t, "member peer-rates another department", status, body, 422, "scores[0].member_id", "appraisal.member_out_of_scope")
		status, body = e.scores("member", pid, e.big[4].ID, peer, 100)
		aprWant(t, "member peer-rates themself", status, body, 422, "scores[0].member_id", "appraisal.self_rating")
		status, body = e.scores("member", pid, e.big[0].ID, assessed, 95)
		aprWant(t, "member scores an assessed indicator", status, body, 403, "", "")
		// Other bad scores.
		status, body = e.scores("director", pid, e.big[1].ID, assessed, 100.5)
		aprWant(t, "over 100", status, body, 422, "scores[0].score", "appraisal.score_range")
		status, body = e.scores("director", pid, e.big[1].ID, headInd, 80)
		aprWant(t, "another scheme's indicator", status, body, 422, "scores[0].indicator_id", "appraisal.indicator_not_member_scheme")
		status, body = e.scores("director", pid, e.big[1].ID, computed, 80)
		aprWant(t, "a computed indicator", status, body, 422, "scores[0].indicator_id", "appraisal.not_rated_kind")
		status, body = e.scores("director", pid, e.big[1].ID, 999999, 80)
		aprWant(t, "an unknown indicator", status, body, 422, "scores[0].indicator_id", "")
		status, body = e.scores("appraiser", pid, e.big[1].ID, assessed, 80)
		aprWant(t, "an account without a member record", status, body, 422, "member_id", "appraisal.rater_not_member")
		status, body = e.call("director", "POST", pp+"/scores", `{"scores":[]}`)
		aprWant(t, "no scores", status, body, 422, "scores", "")
		// All or nothing: a bad line leaves the good one unsaved (big[1] keeps 85, checked after calculation).
		status, body = e.scores("director", pid, e.big[1].ID, assessed, 10, e.small[0].ID, headInd, 10)
		aprWant(t, "a batch with a bad line", status, body, 422, "scores[1].indicator_id", "")
	})

	t.Run("absences: the office only", func(t *testing.T) {
		body := fmt.Sprintf(`{"member_id":%d,"absent_days":1}`, e.big[3].ID)
		if status, out := e.call("appraiser", "POST", pp+"/absences", body); status != 200 || !strings.Contains(out, `"absent_days":1`) {
			t.Errorf("absence: %d %s", status, out)
		}
		if status, _ := e.call("head", "POST", pp+"/absences", body); status != 403 {
			t.Errorf("head records an absence: %d", status)
		}
		status, out := e.call("appraiser", "POST", pp+"/absences", fmt.Sprintf(`{"member_id":%d,"absent_days":400}`, e.big[3].ID))
		aprWant(t, "400 days", status, out, 422, "absent_days", "")
	})

	t.Run("calculate", func(t *testing.T) {
		status, body := e.step("finance", pid, "calculate", "")
		aprWant(t, "finance calculates", status, body, 403, "", "")
		status, body = e.call("appraiser", "POST", pp+"/calculate", `{"version":1}`)
		aprWant(t, "stale calculate", status, body, 409, "version", "")
		got := e.mustStep("appraiser", pid, "calculate", "")
		if got.State != "calculated" {
			t.Fatalf("calculated %+v", got)
		}
		status, body = e.call("appraiser", "PUT", pp, fmt.Sprintf(`{"kind":"month","label":"2026-10","version":%d}`, got.Version))
		if er := aprWant(t, "settings of a calculated period", status, body, 409, "state", "appraisal.state_not_allowed"); er.Code != "" && !strings.Contains(er.Message, "已计算") {
			t.Errorf("the message does not name the state: %q", er.Message)
		}
		status, body = e.scores("director", pid, e.big[1].ID, assessed, 60)
		aprWant(t, "scores after calculation", status, body, 409, "state", "appraisal.state_not_allowed")
	})

	t.Run("the office, the director and finance see results with pay before publication", func(t *testing.T) {
		for _, who := range []string{"appraiser", "director", "finance"} {
			status, l, body := e.results(who, pid, "")
			if status != 200 || l.Total != 13 || len(l.Items) != 13 {
				t.Fatalf("%s results: %d %s", who, status, body)
			}
			for _, r := range l.Items {
				if r.PayYuan == nil || r.BaseYuan == nil || r.Coefficient == nil {
					t.Errorf("%s sees no pay of %d: %+v", who, r.MemberID, r)
				}
			}
		}
		_, l, body := e.results("appraiser", pid, "")
		res := aprByMember(l.Items)
		// big[0]: 4 leads of 4 (100 × 40%), assessed 90 (× 40%), peer 95 (× 20%) = 95.
		top := res[e.big[0].ID]
		if top.Score != 95 || top.Band != "top" || top.Rank != 1 || top.Group != "department:"+aprID(e.deptA) || top.GroupSize != 6 ||
			top.TopQuota != 1 || *top.PayYuan != 3600 || *top.BaseYuan != 3000 || *top.Coefficient != 1.2 || top.DepartmentName != "招商一局" {
			t.Errorf("big[0]: %+v (%s)", top, body)
		}
		// big[1]: 2 leads (50 × 40%) + 85 × 40% and no peer rating = 54: the refused batch did not land.
		if r := res[e.big[1].ID]; r.Score != 54 || r.Band != "middle" {
			t.Errorf("big[1]: %+v", r)
		}
		if r := res[e.big[4].ID]; r.Band != "bottom" || r.Score != 28 || *r.PayYuan != 2400 {
			t.Errorf("big[4]: %+v", r)
		}
		if r := res[e.big[5].ID]; r.Band != "excluded" || r.Exclusion != "probation" || r.Rank != 0 {
			t.Errorf("probation: %+v", r)
		}
		if r := res[e.head.ID]; r.Score != 80 || r.Rank != 2 || r.PositionKind != "head" {
			t.Errorf("head: %+v", r)
		}
		if r := res[e.small[0].ID]; r.Group != "pooled" || r.GroupSize != 5 || r.Band != "top" || *r.PayYuan != 2400 {
			t.Errorf("pooled: %+v", r)
		}
		if r := res[e.leader.ID]; r.Group != "leaders" || r.Band != "middle" {
			t.Errorf("leader: %+v", r)
		}
		// Filters.
		if _, l, body := e.results("appraiser", pid, "&band=top"); l.Total != 2 {
			t.Errorf("band=top: %s", body)
		}
		if _, l, body := e.results("appraiser", pid, "&department_id="+aprID(e.deptA)); l.Total != 8 {
			t.Errorf("department A: %s", body)
		}
		if _, l, body := e.results("appraiser", pid, "&q="+e.big[0].StaffNo); l.Total != 1 || l.Items[0].MemberID != e.big[0].ID {
			t.Errorf("q=staff number: %s", body)
		}
		status, _, body := e.results("appraiser", pid, "&band=best")
		aprWant(t, "band=best", status, body, 422, "band", "")
		// One result with its breakdown.
		status, body = e.call("appraiser", "GET", pp+"/results/"+aprID(e.big[0].ID), "")
		one := aprDecode[api.ResultJSON](t, body)
		if status != 200 || one.Breakdown == nil || len(one.Breakdown.Lines) != 4 || one.PayYuan == nil {
			t.Fatalf("one result: %d %s", status, body)
		}
		if l := one.Breakdown.Lines; l[0].Value != 4 || l[0].Score != 10000 || l[1].Raters != 2 || l[1].Value != 9000 || l[2].Raters != 1 || l[2].Value != 9500 || one.Breakdown.Final != 9500 {
			t.Errorf("breakdown %+v", one.Breakdown)
		}
		// The four leads behind the computed indicator come with it.
		if len(one.Records) != 4 || one.Records[0].Kind != "lead" || one.Records[0].IndicatorID != one.Breakdown.Lines[0].IndicatorID || one.Records[0].Date == "" {
			t.Errorf("records behind the score: %+v", one.Records)
		}
		if status, _ := e.call("appraiser", "GET", pp+"/results/999999", ""); status != 404 {
			t.Errorf("no such member: %d", status)
		}
	})

	t.Run("before publication members and heads do not see the period", func(t *testing.T) {
		for _, who := range []string{"member", "head", "discipline"} {
			if status, body := e.call(who, "GET", pp+"/results", ""); status != 404 {
				t.Errorf("%s results of a calculated period: %d %s", who, status, body)
			}
		}
	})

	t.Run("calibrate", func(t *testing.T) {
		if got := e.mustStep("appraiser", pid, "review", ""); got.State != "calibration" {
			t.Fatalf("review %+v", got)
		}
		status, body := e.step("appraiser", pid, "calibrate", fmt.Sprintf(`,"member_id":%d,"band":"top","reason":"重点项目突出"`, e.big[1].ID))
		aprWant(t, "over the top quota", status, body, 409, "band", "appraisal.calibrate_top_full")
		status, body = e.step("appraiser", pid, "calibrate", fmt.Sprintf(`,"member_id":%d,"band":"middle"`, e.big[0].ID))
		aprWant(t, "without a reason", status, body, 422, "reason", "appraisal.reason_required")
		status, body = e.step("appraiser", pid, "calibrate", fmt.Sprintf(`,"member_id":%d,"band":"middle","reason":"试用期"`, e.big[5].ID))
		aprWant(t, "an excluded member", status, body, 422, "band", "appraisal.calibrate_excluded")
		status, body = e.step("member", pid, "calibrate", fmt.Sprintf(`,"member_id":%d,"band":"middle","reason":"自己调"`, e.big[4].ID))
		aprWant(t, "member calibrates", status, body, 403, "", "")
		e.mustStep("appraiser", pid, "calibrate", fmt.Sprintf(`,"member_id":%d,"band":"middle","reason":"群众反映较多，经考核委员会研究"`, e.big[0].ID))
		e.mustStep("appraiser", pid, "calibrate", fmt.Sprintf(`,"member_id":%d,"band":"top","reason":"重点项目突出"`, e.big[1].ID))
		status, body = e.call("appraiser", "GET", pp+"/results/"+aprID(e.big[1].ID), "")
		if r := aprDecode[api.ResultJSON](t, body); status != 200 || r.Band != "top" || r.Rule != "calibrated" || r.CalibratedFrom != "middle" ||
			r.CalibrationReason != "重点项目突出" {
			t.Errorf("calibrated: %d %s", status, body)
		}
	})

	t.Run("pool: finance sets it; over the pool, publishing waits for the office's decision", func(t *testing.T) {
		for _, who := range []string{"member", "appraiser", "director"} {
			status, body := e.step(who, pid, "pool", `,"pool_yuan":7000`)
			aprWant(t, who+" sets the pool", status, body, 403, "", "")
		}
		if got := e.mustStep("finance", pid, "pool", `,"pool_yuan":7000`); got.PoolYuan != 7000 || got.State != "calibration" {
			t.Fatalf("pool %+v", got)
		}
		// 3000 (big[0], now middle) + 2400 + 2400 = 7800 > 7000.
		status, body := e.step("appraiser", pid, "publish", "")
		aprWant(t, "publish over the pool", status, body, 409, "pool_yuan", "appraisal.over_pool")
		status, body = e.step("appraiser", pid, "pool-decision", "")
		aprWant(t, "no decision", status, body, 422, "decision", "")
		status, body = e.step("appraiser", pid, "pool-decision", `,"decision":"raise","pool_yuan":7500,"reason":"追加"`)
		aprWant(t, "raise below the total", status, body, 422, "pool_yuan", "appraisal.raise_below_total")
		got := e.mustStep("appraiser", pid, "pool-decision", `,"decision":"scale","reason":"按总额核减"`)
		if got.PoolDecision != "scale" || got.PoolNote != "按总额核减" {
			t.Fatalf("decision %+v", got)
		}
		_, l, _ := e.results("finance", pid, "")
		var total int64
		for _, r := range l.Items {
			total += *r.PayYuan
		}
		if total != 7000 {
			t.Errorf("scaled total %d, want the pool 7000", total)
		}
	})

	payTotal := func() int64 {
		_, l, _ := e.results("finance", pid, "")
		var total int64
		for _, r := range l.Items {
			total += *r.PayYuan
		}
		return total
	}
	t.Run("a new pool after scaling pays base × coefficient again", func(t *testing.T) {
		// Finance raises the pool above the unscaled total (7800): the scale decision is void, so pay is base × coefficient.
		got := e.mustStep("finance", pid, "pool", `,"pool_yuan":10000`)
		total := payTotal()
		// Back to the pool of 7000, scaled to it (when the lines are over it again).
		e.mustStep("finance", pid, "pool", `,"pool_yuan":7000`)
		if status, body := e.step("appraiser", pid, "pool-decision", `,"decision":"scale","reason":"按总额核减"`); status != 200 &&
			(status != 422 || aprErrorOf(t, body).Key != "appraisal.not_over_pool") {
			t.Fatalf("scale again: %d %s", status, body)
		}
		if after := payTotal(); after != 7000 {
			t.Fatalf("total after scaling again: %d", after)
		}
		if got.PoolDecision != "" || total != 7800 {
			t.Errorf("after the office scaled pay to a pool of 7000, finance set the pool to 10000 (decision now %q) "+
				"but pay still totals %d, not base × coefficient (7800): the scaled lines are never recomputed", got.PoolDecision, total)
		}
	})

	t.Run("publish", func(t *testing.T) {
		got := e.mustStep("appraiser", pid, "publish", "")
		if got.State != "publication" || got.PublishedOn != "2026-11-02" || got.PublicationEnds != "2026-11-06" {
			t.Fatalf("published %+v", got)
		}
	})

	t.Run("a member lists published periods only", func(t *testing.T) {
		status, body := e.call("member", "GET", "/appraisal/periods", "")
		l := aprDecode[aprList[api.PeriodJSON]](t, body)
		var labels []string
		for _, q := range l.Items {
			labels = append(labels, q.Label+":"+q.State)
		}
		if status != 200 || !slices.Contains(labels, "2026-10:publication") {
			t.Fatalf("member periods: %d %s", status, body)
		}
		if _, body := e.call("auditor", "GET", "/appraisal/periods", ""); strings.Contains(body, "2026-09") || !strings.Contains(body, "2026-10") {
			t.Errorf("auditor periods: %s", body)
		}
		if slices.Contains(labels, "2026-09:draft") {
			t.Errorf("a member lists a draft period (GET /appraisal/periods answers %v) though GET of that period is 404: "+
				"listPeriods sets Published=false for anyone with appraisal.peer or appraisal.score, which every member holds", labels)
		}
	})

	t.Run("period filters are checked", func(t *testing.T) {
		if _, body := e.call("appraiser", "GET", "/appraisal/periods?state=publication", ""); !strings.Contains(body, `"total":1`) || !strings.Contains(body, "2026-10") {
			t.Errorf("state=publication: %s", body)
		}
		if _, body := e.call("appraiser", "GET", "/appraisal/periods?kind=year", ""); !strings.Contains(body, `"total":0`) {
			t.Errorf("kind=year: %s", body)
		}
		status, _, body := e.results("appraiser", pid, "&department_id=abc")
		aprWant(t, "department_id=abc", status, body, 422, "department_id", "")
		var lax []string
		for _, q := range []string{"state=nowhere", "kind=week"} {
			if status, body := e.call("appraiser", "GET", "/appraisal/periods?"+q, ""); status != 422 {
				lax = append(lax, fmt.Sprintf("%s → %d %s", q, status, strings.TrimSpace(body)))
			}
		}
		if len(lax) > 0 {
			t.Errorf("GET /appraisal/periods does not refuse unknown filters (results refuse an unknown band with 422): %q", lax)
		}
	})

	t.Run("after publication a member sees only their own result, with pay", func(t *testing.T) {
		status, l, body := e.results("member", pid, "")
		if status != 200 || l.Total != 1 || len(l.Items) != 1 || l.Items[0].MemberID != e.big[4].ID {
			t.Fatalf("member results: %d %s", status, body)
		}
		own := l.Items[0]
		if own.PayYuan == nil || *own.PayYuan <= 0 || *own.BaseYuan != 3000 || own.Band != "bottom" {
			t.Errorf("own result without pay: %s", body)
		}
		status, body = e.call("member", "GET", pp+"/results/"+aprID(e.big[4].ID), "")
		r := aprDecode[api.ResultJSON](t, body)
		if status != 200 || r.Breakdown == nil || len(r.Breakdown.Lines) != 4 || r.PayYuan == nil || *r.PayYuan != *own.PayYuan {
			t.Errorf("own result with breakdown: %d %s", status, body)
		}
		if !strings.Contains(body, `"breakdown":{"lines":[`) {
			t.Errorf("breakdown.lines not in %s", body)
		}
		for _, other := range []int64{e.big[0].ID, e.small[0].ID, e.head.ID} {
			status, body := e.call("member", "GET", pp+"/results/"+aprID(other), "")
			aprWant(t, "another member's result", status, body, 404, "", "")
		}
		status, body = e.call("member2", "GET", pp+"/results/"+aprID(e.big[4].ID), "")
		aprWant(t, "a colleague's result", status, body, 404, "", "")
		// A band filter does not widen the scope.
		if _, l, body := e.results("member", pid, "&band=top"); l.Total != 0 {
			t.Errorf("member band=top: %s", body)
		}
	})

	t.Run("a department head sees the department's results without others' pay", func(t *testing.T) {
		status, l, body := e.results("head", pid, "")
		if status != 200 || l.Total != 8 {
			t.Fatalf("head results: %d %s", status, body)
		}
		for _, r := range l.Items {
			if r.DepartmentID != e.deptA {
				t.Errorf("head sees %d of department %d", r.MemberID, r.DepartmentID)
			}
			if r.MemberID == e.head.ID {
				if r.PayYuan == nil {
					t.Errorf("head does not see their own pay: %+v", r)
				}
				continue
			}
			if r.PayYuan != nil || r.BaseYuan != nil || r.Coefficient != nil {
				t.Errorf("head sees the pay of %d: %+v", r.MemberID, r)
			}
		}
		status, body = e.call("head", "GET", pp+"/results/"+aprID(e.big[0].ID), "")
		if r := aprDecode[api.ResultJSON](t, body); status != 200 || r.PayYuan != nil || r.Breakdown == nil || strings.Contains(body, "pay_yuan") {
			t.Errorf("head reads one: %d %s", status, body)
		}
		status, body = e.call("head", "GET", pp+"/results/"+aprID(e.small[0].ID), "")
		aprWant(t, "head reads another department", status, body, 404, "", "")
		// The discipline office sees the zone, without pay.
		status, l, body = e.results("discipline", pid, "")
		if status != 200 || l.Total != 13 || strings.Contains(body, "pay_yuan") {
			t.Errorf("discipline results: %d %s", status, body)
		}
	})

	t.Run("exports", func(t *testing.T) {
		rows := e.workbook("member", pp+"/publication.xlsx")
		sheet, rows := rows[0][0], rows[1:]
		// Title, unit line, header, the twelve ranked members (the one on probation is not listed).
		if len(rows) != 3+12 || len(rows[2]) != 6 || !strings.Contains(rows[0][0], "2026-10") || !strings.Contains(rows[1][0], "考核开发区") {
			t.Fatalf("publication rows %q", rows)
		}
		names := map[string]bool{}
		for _, r := range rows[3:] {
			names[r[1]] = true
			if len(r) > 6 {
				t.Errorf("a publication row has more than six columns: %q", r)
			}
		}
		if names[e.big[5].Name] || !names[e.big[0].Name] || !names[e.small[4].Name] {
			t.Errorf("publication names %v", names)
		}
		if entries, _, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "appraisal.publication.export"}); err != nil || len(entries) != 1 {
			t.Errorf("publication export audit: %d %v", len(entries), err)
		}
		for _, who := range []string{"member", "head", "discipline", "auditor"} {
			res, _ := e.do(who, "GET", pp+"/payroll.xlsx", "")
			if res.StatusCode != 403 {
				t.Errorf("%s payroll: %d", who, res.StatusCode)
			}
		}
		pay := e.workbook("finance", pp+"/payroll.xlsx")[1:]
		// Title, unit line, header, thirteen members, 合计.
		if len(pay) != 3+13+1 || len(pay[2]) != 7 {
			t.Fatalf("payroll rows %q", pay)
		}
		if sum := pay[len(pay)-1]; sum[0] != "合计" || sum[5] != "8000" || sum[6] != "7000" {
			t.Errorf("payroll sum row %q", sum)
		}
		e.workbook("appraiser", pp+"/payroll.xlsx")
		e.workbook("director", pp+"/payroll.xlsx")
		t.Run("worded in Chinese", func(t *testing.T) {
			var raw []string
			if strings.HasPrefix(sheet, "appraisal.") {
				raw = append(raw, "sheet "+sheet)
			}
			cells := append([][]string{rows[0]}, rows[3:]...)
			for _, r := range cells {
				for _, c := range r {
					if strings.HasPrefix(c, "appraisal.") {
						raw = append(raw, c)
					}
				}
			}
			for _, c := range rows[2] {
				if !aprHasHan(c) {
					raw = append(raw, "header "+c)
				}
			}
			if len(raw) > 0 {
				slices.Sort(raw)
				t.Errorf("the publication list shows translation keys instead of words: %q", slices.Compact(raw))
			}
		})
	})

	var appealID int64
	t.Run("appeals during publication", func(t *testing.T) {
		reason := `{"reason":"本月完成招商任务较多，评分偏低"}`
		status, body := e.call("member", "POST", pp+"/appeals", reason)
		ap := aprDecode[api.AppealJSON](t, body)
		if status != 201 || ap.Status != "filed" || ap.MemberID != e.big[4].ID || ap.Version != 1 || ap.PeriodID != pid {
			t.Fatalf("file: %d %s", status, body)
		}
		appealID = ap.ID
		status, body = e.call("member", "POST", pp+"/appeals", `{"reason":"再次申诉一下，请复核"}`)
		aprWant(t, "second open appeal", status, body, 409, "reason", "appraisal.appeal_open")
		status, body = e.call("member2", "POST", pp+"/appeals", `{"reason":"短"}`)
		aprWant(t, "short reason", status, body, 422, "reason", "")
		status, body = e.call("finance", "POST", pp+"/appeals", reason)
		aprWant(t, "an account without a member record", status, body, 422, "member_id", "")

		for who, want := range map[string]int{"member": 1, "member2": 0, "appraiser": 1, "director": 1, "finance": 0} {
			status, body := e.call(who, "GET", pp+"/appeals", "")
			if l := aprDecode[aprList[api.AppealJSON]](t, body); status != 200 || l.Total != want {
				t.Errorf("%s lists appeals: %d %s, want %d", who, status, body, want)
			}
		}
	})

	ap := "/appraisal/appeals/" + aprID(appealID)
	t.Run("an open appeal holds finalisation; the office answers in recheck only", func(t *testing.T) {
		status, body := e.step("director", pid, "finalize", "")
		aprWant(t, "finalise with an open appeal", status, body, 409, "appeals", "appraisal.appeals_open")
		status, body = e.call("appraiser", "POST", ap+"/reject", `{"response":"经复核维持原结果","version":1}`)
		aprWant(t, "answer in publication", status, body, 409, "state", "appraisal.answer_in_recheck")
		status, body = e.call("member", "POST", ap+"/reject", `{"response":"自己驳回","version":1}`)
		aprWant(t, "member answers", status, body, 403, "", "")
		if got := e.mustStep("appraiser", pid, "recheck", ""); got.State != "recheck" {
			t.Fatalf("recheck %+v", got)
		}
		status, body = e.call("member", "GET", pp+"/results", "")
		aprWant(t, "member results in recheck", status, body, 404, "", "error.not_found")
		status, body = e.step("appraiser", pid, "publish", "")
		aprWant(t, "publish with an open appeal", status, body, 409, "appeals", "appraisal.appeals_open")
		status, body = e.call("appraiser", "POST", ap+"/maybe", `{"response":"再议","version":1}`)
		aprWant(t, "unknown answer", status, body, 404, "", "")
		status, body = e.call("appraiser", "POST", ap+"/reject", `{"response":"","version":1}`)
		aprWant(t, "no response", status, body, 422, "response", "")
		status, body = e.call("appraiser", "POST", ap+"/reject", `{"response":"经复核维持原结果","version":2}`)
		aprWant(t, "stale answer", status, body, 409, "version", "")
		status, body = e.call("appraiser", "POST", ap+"/reject", `{"response":"经复核维持原结果","version":1}`)
		if got := aprDecode[api.AppealJSON](t, body); status != 200 || got.Status != "rejected" || got.Response != "经复核维持原结果" || got.DecidedAt == nil || got.Version != 2 {
			t.Fatalf("answer: %d %s", status, body)
		}
		status, body = e.call("appraiser", "POST", ap+"/uphold", `{"response":"改判","version":2}`)
		aprWant(t, "answer twice", status, body, 409, "status", "")
		if _, body := e.call("member", "GET", pp+"/appeals", ""); !strings.Contains(body, `"status":"rejected"`) || !strings.Contains(body, "经复核维持原结果") {
			t.Errorf("the member does not read the answer: %s", body)
		}
	})

	t.Run("finalise after the publication window; apply", func(t *testing.T) {
		got := e.mustStep("appraiser", pid, "publish", "")
		if got.State != "publication" || got.PublicationEnds != "2026-11-06" {
			t.Fatalf("republished %+v", got)
		}
		status, body := e.step("director", pid, "finalize", "")
		if er := aprWant(t, "finalise during publication", status, body, 409, "state", "appraisal.publication_running"); er.Code != "" && !strings.Contains(er.Message, "2026-11-06") {
			t.Errorf("the message does not give the end: %q", er.Message)
		}
		e.at(time.Date(2026, 11, 9, 2, 0, 0, 0, time.UTC))
		status, body = e.call("member2", "POST", pp+"/appeals", `{"reason":"公示期后才看到结果，申请复核"}`)
		aprWant(t, "appeal after the window", status, body, 409, "state", "appraisal.publication_over")
		status, body = e.step("appraiser", pid, "finalize", "")
		aprWant(t, "the office finalises", status, body, 403, "", "")
		status, body = e.step("appraiser", pid, "apply", "")
		aprWant(t, "apply before final", status, body, 409, "state", "appraisal.state_not_allowed")
		if got := e.mustStep("director", pid, "finalize", ""); got.State != "final" {
			t.Fatalf("finalised %+v", got)
		}
		status, body = e.step("director", pid, "apply", "")
		aprWant(t, "director applies", status, body, 403, "", "")
		if got := e.mustStep("appraiser", pid, "apply", ""); got.State != "applied" {
			t.Fatalf("applied %+v", got)
		}
		if status, l, body := e.results("member", pid, ""); status != 200 || l.Total != 1 {
			t.Errorf("member results after apply: %d %s", status, body)
		}
		status, body = e.step("finance", pid, "pool", `,"pool_yuan":9000`)
		aprWant(t, "pool after final", status, body, 409, "state", "")
	})

	t.Run("corrections after final are recorded with a reason; archive", func(t *testing.T) {
		status, body := e.step("appraiser", pid, "correct", fmt.Sprintf(`,"member_id":%d,"band":"middle"`, e.big[4].ID))
		aprWant(t, "correct without a reason", status, body, 422, "reason", "appraisal.reason_required")
		status, body = e.step("appraiser", pid, "correct", fmt.Sprintf(`,"member_id":%d,"grade":"competent","reason":"委员会决定"`, e.big[4].ID))
		aprWant(t, "a grade in a month", status, body, 422, "grade", "appraisal.grade_annual_only")
		status, body = e.step("director", pid, "correct", fmt.Sprintf(`,"member_id":%d,"band":"middle","reason":"复核更正"`, e.big[4].ID))
		aprWant(t, "director corrects", status, body, 403, "", "")
		e.mustStep("appraiser", pid, "correct", fmt.Sprintf(`,"member_id":%d,"band":"middle","reason":"复核更正"`, e.big[4].ID))
		status, body = e.call("member", "GET", pp+"/results/"+aprID(e.big[4].ID), "")
		if r := aprDecode[api.ResultJSON](t, body); status != 200 || r.Band != "middle" || r.Rule != "corrected" {
			t.Errorf("corrected: %d %s", status, body)
		}
		t.Run("a correction keeps pay within the scaled pool", func(t *testing.T) {
			if total := payTotal(); total > 7000 {
				t.Errorf("after a band correction the period pays %d, over its pool of 7000 with the decision \"scale\": "+
					"correct sets pay to base × coefficient, unscaled, and no pool check follows", total)
			}
		})
		if got := e.mustStep("appraiser", pid, "archive", ""); got.State != "archived" {
			t.Fatalf("archived %+v", got)
		}
		if status, l, body := e.results("member", pid, ""); status != 200 || l.Total != 1 {
			t.Errorf("member results when archived: %d %s", status, body)
		}
	})

	t.Run("delete: drafts only; schemes no score refers to", func(t *testing.T) {
		status, body := e.call("appraiser", "DELETE", pp+"?version="+strconv.Itoa(e.period(pid).Version), "")
		aprWant(t, "delete an applied period", status, body, 409, "state", "")
		if status, body := e.call("appraiser", "DELETE", "/appraisal/periods/"+aprID(draft.ID)+"?version=1", ""); status != 204 {
			t.Errorf("delete a draft: %d %s", status, body)
		}
		status, body = e.call("appraiser", "DELETE", "/appraisal/schemes/"+aprID(staff.ID)+"?version=1", "")
		aprWant(t, "delete a scheme in use", status, body, 409, "", "appraisal.scheme_in_use")
		// An indicator with scores may not be dropped from its scheme.
		status, body = e.call("appraiser", "PUT", "/appraisal/schemes/"+aprID(staff.ID), `{"name":"工作人员考核方案","position_kind":"staff","indicators":[
			{"name":"上报线索","kind":"computed","metric":"leads_reported","target":4,"weight":40,"key_task":true},
			{"name":"领导评价","kind":"assessed","weight":60}],"version":1}`)
		aprWant(t, "drop a scored indicator", status, body, 409, "indicators", "appraisal.indicator_in_use")
		if _, body := e.call("member", "GET", "/appraisal/schemes/"+aprID(staff.ID), ""); !strings.Contains(body, "民主测评") || !strings.Contains(body, `"version":1`) {
			t.Errorf("a refused update changed the scheme: %s", body)
		}
	})

	t.Run("every error answered is worded in Chinese", func(t *testing.T) {
		e.mu.Lock()
		defer e.mu.Unlock()
		var raw []string
		for key, msg := range e.messages {
			if !aprHasHan(msg) {
				t.Logf("%s: %q", key, msg)
				raw = append(raw, key)
			}
		}
		sort.Strings(raw)
		if len(raw) > 0 {
			t.Errorf("these appraisal errors answer their translation key instead of a message (no zh-CN or en entry): %v", raw)
		}
	})
}

// aprFill replaces path wildcards with an id no record has, so that
// allowed calls end in 404 or 422 and change nothing.
var aprWildcard = regexp.MustCompile(`\{[^}]+\}`)

func aprFill(pattern string) string { return aprWildcard.ReplaceAllString(pattern, "999999") }

// TestAppraisalAPIEveryRouteAsEveryRole calls every appraisal route as
// every role: 403 exactly when the role lacks the route's permission.
func TestAppraisalAPIEveryRouteAsEveryRole(t *testing.T) {
	e := newAprEnv(t, testfix.SQLite(t))
	var routes []api.Route
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if strings.HasPrefix(rt.Pattern, "/appraisal") {
			routes = append(routes, rt)
		}
	}
	if len(routes) != 22 {
		t.Errorf("%d appraisal routes, want 22", len(routes))
	}
	for _, rt := range routes {
		t.Run(rt.Method+" "+rt.Pattern, func(t *testing.T) {
			path := aprFill(rt.Pattern)
			var overRefused []string
			for _, role := range xinlu.Roles {
				u := e.users[string(role)]
				status, body := e.call(string(role), rt.Method, path, "")
				allowed := u.Can(rt.Perm)
				switch {
				case !allowed && status != 403:
					t.Errorf("%s %s %s: %d %s, want 403 (needs %s)", role, rt.Method, path, status, body, rt.Perm)
				case !allowed:
					if er := aprErrorOf(t, body); er.Code != "forbidden" || !aprHasHan(er.Message) {
						t.Errorf("%s %s %s: 403 envelope %s", role, rt.Method, path, body)
					}
				case status == 403:
					overRefused = append(overRefused, string(role))
				case status == 401 || status >= 500:
					t.Errorf("%s %s %s: %d %s", role, rt.Method, path, status, body)
				}
			}
			if len(overRefused) == 0 {
				return
			}
			if rt.Pattern == "/appraisal/periods/{id}/payroll.xlsx" {
				// The payroll is for the appraisal office, the director and
				// finance (xinlu.SeesUnpublished): narrower than one permission
				// of the route table can say, so the handler refuses the rest.
				for _, r := range overRefused {
					if xinlu.SeesUnpublished(&xinlu.User{Roles: []xinlu.Role{xinlu.Role(r)}}) {
						t.Errorf("payroll refused to %s", r)
					}
				}
				return
			}
			t.Errorf("%s %s: 403 to %v, which hold %s", rt.Method, path, overRefused, rt.Perm)
		})
	}
	// The reading routes again on a period in publication, as the documents say who reads what.
	ctx := context.Background()
	office := e.users["appraiser"]
	period := &xinlu.Period{ZoneID: e.zone.ID, Kind: xinlu.PeriodMonth, Label: "2026-10", Rule: xinlu.DefaultDistributionRule(),
		Coefficients: xinlu.DefaultCoefficients()}
	if err := e.st.CreatePeriod(ctx, xinlu.SystemActor(e.zone.ID), period); err != nil {
		t.Fatal(err)
	}
	for _, a := range []xinlu.PeriodAction{xinlu.PeriodOpen, xinlu.PeriodCalculate, xinlu.PeriodReview, xinlu.PeriodPublish} {
		cur, err := e.st.PeriodByID(ctx, e.zone.ID, period.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.st.StepPeriod(ctx, xinlu.ActorOf(office, ""), office, period.ID, a, store.PeriodInput{Version: cur.Version}); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	t.Run("reading a published period", func(t *testing.T) {
		real := strings.NewReplacer("{id}", aprID(period.ID), "{member}", aprID(e.big[4].ID))
		for _, rt := range routes {
			if rt.Method != "GET" || !strings.Contains(rt.Pattern, "{id}") {
				continue
			}
			path := real.Replace(rt.Pattern)
			for _, role := range xinlu.Roles {
				u := e.users[string(role)]
				allowed := u.Can(rt.Perm)
				if rt.Pattern == "/appraisal/periods/{id}/payroll.xlsx" { // the appraisal office, the director and finance
					allowed = u.Can(xinlu.PermAppraisalManage) || u.Can(xinlu.PermAppraisalFinalize) || u.Can(xinlu.PermAppraisalPool)
				}
				status, body := e.call(string(role), "GET", path, "")
				if allowed == (status == 403) || status == 401 || status >= 500 {
					t.Errorf("%s GET %s: %d %.200s (allowed: %v)", role, path, status, body, allowed)
				}
			}
		}
	})
	t.Run("anonymous", func(t *testing.T) {
		for _, rt := range routes {
			if status, _ := e.call("", rt.Method, aprFill(rt.Pattern), ""); status != 401 {
				t.Errorf("anonymous %s %s: %d, want 401", rt.Method, rt.Pattern, status)
			}
		}
	})
}

// TestAppraisalAPIDocumented: every appraisal route is in the OpenAPI
// document and the document describes no other.
func TestAppraisalAPIDocumented(t *testing.T) {
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
		if !strings.HasPrefix(rt.Pattern, "/appraisal") {
			continue
		}
		served[strings.ToLower(rt.Method)+" "+rt.Pattern] = true
		if d.Paths[rt.Pattern][strings.ToLower(rt.Method)] == nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Pattern)
		}
	}
	for p, ops := range d.Paths {
		if !strings.HasPrefix(p, "/appraisal") {
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
	for _, p := range []string{"/appraisal/periods/{id}/publication.xlsx", "/appraisal/periods/{id}/payroll.xlsx"} {
		if err := json.Unmarshal(d.Paths[p]["get"], &op); err != nil || op.Responses["200"].Content[xlsx.ContentType] == nil {
			t.Errorf("GET %s is not described as a workbook", p)
		}
	}
}
