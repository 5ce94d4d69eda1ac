package web_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"xinlu/internal/xinlu"
)

// TestAPIPutKeepsWhatItLeavesOut: the rule of every PUT of the API: a
// field the body names takes the value given, a field it leaves out (or
// sends as null) keeps its value; "" or [] clears.
func TestAPIPutKeepsWhatItLeavesOut(t *testing.T) {
	a := newApp(t)
	c := a.api(xinlu.RoleSysAdmin)
	obj := func(r response, what string, status int) map[string]any {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal([]byte(r.body), &m); err != nil || r.StatusCode != status {
			t.Fatalf("%s: %d %s", what, r.StatusCode, r.body)
		}
		return m
	}
	id := func(m map[string]any) string { return strconv.FormatInt(int64(m["id"].(float64)), 10) }
	want := func(what string, m map[string]any, fields map[string]any) {
		t.Helper()
		for k, v := range fields {
			if got, _ := json.Marshal(m[k]); string(got) != mustJSON(v) {
				t.Errorf("%s: %s is %s, want %s", what, k, got, mustJSON(v))
			}
		}
	}

	// Members: phone and ID number survive a PUT that leaves them out (the
	// API shows them masked to the administrator; the store has them).
	stored := func(what, memberID, phone, idNumber string) {
		t.Helper()
		n, _ := strconv.ParseInt(memberID, 10, 64)
		got, err := a.store.MemberByID(t.Context(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, n)
		if err != nil || got.Phone != phone || got.IDNumber != idNumber {
			t.Errorf("%s: stored phone %q and ID number %q, want %q and %q (%v)", what, got.Phone, got.IDNumber, phone, idNumber, err)
		}
	}
	dept := obj(c.do("POST", "/api/v1/departments", `{"code":"PUT","name":"上级部门","sort_order":7}`, nil), "department", 201)
	child := obj(c.do("POST", "/api/v1/departments", `{"code":"PUT1","name":"下级部门","parent_id":`+id(dept)+`,"sort_order":3}`, nil), "department", 201)
	m := obj(c.do("POST", "/api/v1/members", `{"staff_no":"P1","name":"王五","department_id":`+id(dept)+`,"gender":"m","phone":"13912345678","id_number":"11010519491231002X","joined_on":"2020-03-01"}`, nil), "member", 201)
	mp := "/api/v1/members/" + id(m)
	up := obj(c.do("PUT", mp, `{"name":"王五一","version":1}`, nil), "member put", 200)
	want("member put", up, map[string]any{"name": "王五一", "phone": "139****5678", "id_number": "1101**********002X",
		"gender": "m", "joined_on": "2020-03-01", "staff_no": "P1", "department_id": dept["id"], "version": 2})
	stored("member put", id(m), "13912345678", "11010519491231002X")
	up = obj(c.do("PUT", mp, `{"phone":null,"gender":null,"version":2}`, nil), "member put with nulls", 200)
	want("member put with nulls", up, map[string]any{"gender": "m", "name": "王五一", "version": 2}) // nothing changed: no new version
	stored("member put with nulls", id(m), "13912345678", "11010519491231002X")
	up = obj(c.do("PUT", mp, `{"phone":"","version":2}`, nil), "member put clearing the phone", 200)
	want("member put clearing the phone", up, map[string]any{"phone": "", "version": 3})
	stored("member put clearing the phone", id(m), "", "11010519491231002X")
	if r := c.do("PUT", mp, `{"name":"过期","version":2}`, nil); r.StatusCode != 409 {
		t.Errorf("a stale version: %d", r.StatusCode)
	}
	if r := c.do("PUT", mp, `{"name":"无版本"}`, nil); r.StatusCode != 422 {
		t.Errorf("no version: %d", r.StatusCode)
	}
	if r := c.do("PUT", mp, `{"nickname":"x","version":4}`, nil); r.StatusCode != 422 {
		t.Errorf("an unknown field: %d", r.StatusCode)
	}

	// Departments: the parent and the order stay.
	up = obj(c.do("PUT", "/api/v1/departments/"+id(child), `{"name":"下级部门（更名）","version":1}`, nil), "department put", 200)
	want("department put", up, map[string]any{"parent_id": dept["id"], "sort_order": 3, "code": "PUT1", "name": "下级部门（更名）"})

	// Positions: grade and kind stay.
	pos := obj(c.do("POST", "/api/v1/positions", `{"department_id":`+id(dept)+`,"name":"科长","grade":"正科","kind":"head","sort_order":2}`, nil), "position", 201)
	up = obj(c.do("PUT", "/api/v1/positions/"+id(pos), `{"name":"科长（招商）","version":1}`, nil), "position put", 200)
	want("position put", up, map[string]any{"grade": "正科", "kind": "head", "sort_order": 2, "department_id": dept["id"]})

	// Contracts and terms: the note and the targets stay.
	con := obj(c.do("POST", mp+"/contracts", `{"start_date":"2024-01-01","end_date":"2027-12-31","note":"首聘"}`, nil), "contract", 201)
	up = obj(c.do("PUT", "/api/v1/contracts/"+id(con), `{"end_date":"2028-12-31","version":1}`, nil), "contract put", 200)
	want("contract put", up, map[string]any{"note": "首聘", "start_date": "2024-01-01", "end_date": "2028-12-31"})
	term := obj(c.do("POST", mp+"/terms", `{"title":"局长","start_date":"2024-01-01","targets":"招商十亿"}`, nil), "term", 201)
	up = obj(c.do("PUT", "/api/v1/terms/"+id(term), `{"title":"副局长","version":1}`, nil), "term put", 200)
	want("term put", up, map[string]any{"targets": "招商十亿", "start_date": "2024-01-01", "end_date": term["end_date"]})

	// Parks, teams and holidays.
	park := obj(c.do("POST", "/api/v1/parks", `{"name":"新材料园","area_mu":1200,"industries":["materials","equipment"],"description":"南区"}`, nil), "park", 201)
	up = obj(c.do("PUT", "/api/v1/parks/"+id(park), `{"area_mu":1500,"version":1}`, nil), "park put", 200)
	want("park put", up, map[string]any{"name": "新材料园", "industries": park["industries"], "description": "南区", "area_mu": 1500})
	up = obj(c.do("PUT", "/api/v1/parks/"+id(park), `{"industries":["equipment"],"version":2}`, nil), "park put of a list", 200)
	want("park put of a list", up, map[string]any{"industries": []string{"equipment"}, "area_mu": 1500})
	team := obj(c.do("POST", "/api/v1/teams", `{"kind":"taskforce","name":"甄别专班","description":"线索甄别"}`, nil), "team", 201)
	up = obj(c.do("PUT", "/api/v1/teams/"+id(team), `{"name":"线索甄别专班","version":1}`, nil), "team put", 200)
	want("team put", up, map[string]any{"kind": "taskforce", "description": "线索甄别"})
	day := obj(c.do("POST", "/api/v1/calendar/days", `{"date":"2026-10-01","kind":"holiday","name":"国庆节"}`, nil), "holiday", 201)
	up = obj(c.do("PUT", "/api/v1/calendar/days/"+id(day), `{"date":"2026-10-02","version":1}`, nil), "holiday put", 200)
	want("holiday put", up, map[string]any{"name": "国庆节", "kind": "holiday", "date": "2026-10-02"})

	// An account stays disabled and linked to its member when a PUT renames it.
	up2 := a.users[xinlu.RoleDiscipline]
	up = obj(c.get("/api/v1/users/"+strconv.FormatInt(up2.ID, 10)), "user", 200)
	up = obj(c.do("PUT", "/api/v1/users/"+id(up), `{"disabled":true,"version":`+mustJSON(up["version"])+`}`, nil), "user disabled", 200)
	up = obj(c.do("PUT", "/api/v1/users/"+id(up), `{"name":"纪检（更名）","version":`+mustJSON(up["version"])+`}`, nil), "user put", 200)
	want("user put", up, map[string]any{"disabled": true, "member_id": up2.MemberID, "name": "纪检（更名）", "username": "discipline"})

	// An approval item of the zone's checklist keeps its limit.
	item := obj(c.do("POST", "/api/v1/settings/pipeline/approvals", `{"name":"消防审查","limit_days":4}`, nil), "approval item", 201)
	up = obj(c.do("PUT", "/api/v1/settings/pipeline/approvals/"+id(item), `{"name":"消防设计审查","version":1}`, nil), "approval item put", 200)
	want("approval item put", up, map[string]any{"limit_days": 4, "position": item["position"]})
	// The pipeline settings keep the deadlines a PUT leaves out.
	st := obj(c.get("/api/v1/settings/pipeline"), "pipeline settings", 200)
	up = obj(c.do("PUT", "/api/v1/settings/pipeline", `{"packaging_days":11,"version":`+mustJSON(st["version"])+`}`, nil), "pipeline settings put", 200)
	want("pipeline settings put", up, map[string]any{"packaging_days": 11, "screening_days": st["screening_days"], "progress_days": st["progress_days"]})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
