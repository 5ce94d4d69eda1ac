package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

const (
	staffMemberPhone = "13912345678"
	staffMemberID    = "11010519491231002X"
)

// staffSetPersonal gives the member record of role's user a phone and an
// ID number, as the administrator would.
func staffSetPersonal(t *testing.T, a *app, role xinlu.Role) *xinlu.Member {
	t.Helper()
	ctx := context.Background()
	m, err := a.store.MemberByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, a.users[role].MemberID)
	if err != nil {
		t.Fatal(err)
	}
	m.Phone, m.IDNumber = staffMemberPhone, staffMemberID
	if err := a.store.UpdateMember(ctx, xinlu.SystemActor(a.zone.ID), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func staffPath(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

func TestPositionPages(t *testing.T) {
	a := newApp(t)
	admin := a.as(xinlu.RoleAdmin)
	if r := admin.get("/positions"); r.StatusCode != 200 || !strings.Contains(r.body, `id="empty-state"`) || !strings.Contains(r.body, `id="position-new"`) {
		t.Fatalf("empty list: %d", r.StatusCode)
	}
	bad := admin.postForm("/positions", url.Values{"name": {" "}, "kind": {"staff"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "名称不能为空") {
		t.Fatalf("bad form: %d", bad.StatusCode)
	}
	if r := admin.postForm("/positions", url.Values{"name": {"招商专员"}, "grade": {"八级职员"}, "kind": {"staff"},
		"department_id": {strconv.FormatInt(a.dept.ID, 10)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	list := admin.get("/positions?q=招商")
	if !strings.Contains(list.body, "招商专员") || !strings.Contains(list.body, "一般人员") || !strings.Contains(list.body, "新增成功") {
		t.Fatalf("created position not listed")
	}
	if r := admin.postForm("/positions", url.Values{"name": {"招商专员"}, "kind": {"head"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "岗位名称已存在") {
		t.Fatalf("duplicate: %d", r.StatusCode)
	}
	positions, _ := a.store.AllPositions(context.Background(), a.zone.ID)
	pos := positions[0]
	m := staffSetPersonal(t, a, xinlu.RoleMember)
	m.PositionID = pos.ID
	if err := a.store.UpdateMember(context.Background(), xinlu.SystemActor(a.zone.ID), m); err != nil {
		t.Fatal(err)
	}
	del := admin.postForm(staffPath("/positions/", pos.ID, "/delete"), url.Values{"version": {"1"}})
	if del.StatusCode != http.StatusConflict || !strings.Contains(del.body, "不能删除") {
		t.Fatalf("delete in use: %d", del.StatusCode)
	}
	member := a.as(xinlu.RoleMember)
	if r := member.get("/positions"); r.StatusCode != 200 || strings.Contains(r.body, `id="position-new"`) || !strings.Contains(r.body, "招商专员") {
		t.Fatalf("member list: %d", r.StatusCode)
	}
	if r := member.postForm("/positions", url.Values{"name": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member create: %d", r.StatusCode)
	}
}

func TestMemberPages(t *testing.T) {
	a := newApp(t)
	admin := a.as(xinlu.RoleAdmin)
	list := admin.get("/members")
	if list.StatusCode != 200 || !strings.Contains(list.body, "测试member") || !strings.Contains(list.body, "共 10 条") {
		t.Fatalf("list: %d", list.StatusCode)
	}
	bad := admin.postForm("/members", url.Values{"staff_no": {""}, "name": {"张三"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "工号不能为空") {
		t.Fatalf("missing staff no: %d", bad.StatusCode)
	}
	if r := admin.postForm("/members", url.Values{"staff_no": {"Z01"}, "name": {" "}}); r.StatusCode != 422 || !strings.Contains(r.body, "姓名不能为空") {
		t.Fatalf("missing name: %d", r.StatusCode)
	}
	bad = admin.postForm("/members", url.Values{"staff_no": {"Z01"}, "name": {"张三"}, "phone": {"12345"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "手机号须为 11 位手机号") || !strings.Contains(bad.body, `value="张三"`) {
		t.Fatalf("bad phone: %d", bad.StatusCode)
	}
	res := admin.postForm("/members", url.Values{"staff_no": {"Z01"}, "name": {"张三"}, "gender": {"m"}, "status": {"probation"},
		"department_id": {strconv.FormatInt(a.dept.ID, 10)}, "phone": {"13800001111"}, "joined_on": {"2024-03-01"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/members/") {
		t.Fatalf("create: %d %s", res.StatusCode, res.body)
	}
	show := admin.get(res.Header.Get("Location"))
	if !strings.Contains(show.body, "张三") || !strings.Contains(show.body, "试用期") || !strings.Contains(show.body, "138****1111") || strings.Contains(show.body, "13800001111") || !strings.Contains(show.body, "新增成功") {
		t.Fatalf("show after create: %d", show.StatusCode)
	}
	if r := admin.get("/members?q=Z01&status=probation"); !strings.Contains(r.body, "共 1 条") {
		t.Fatalf("filtered list")
	}
	// The department tree beside the list: every department, the chosen
	// one marked, each a link to its people.
	dept := strconv.FormatInt(a.dept.ID, 10)
	tree := admin.get("/members?department_id=" + dept)
	if !strings.Contains(tree.body, `id="dept-tree"`) || !strings.Contains(tree.body, `<a href="/members?department_id=`+dept+`" class="depth-0" aria-current="page">`+a.dept.Name+`</a>`) ||
		!strings.Contains(tree.body, "张三") {
		t.Fatalf("department tree:\n%s", tree.body)
	}
	if r := admin.postForm("/members", url.Values{"staff_no": {"Z01"}, "name": {"重复"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "工号已存在") {
		t.Fatalf("duplicate: %d", r.StatusCode)
	}
	// Someone with an account cannot be deleted; the page says why.
	del := admin.postForm(staffPath("/members/", a.users[xinlu.RoleMember].MemberID, "/delete"), nil)
	if del.StatusCode != http.StatusConflict || !strings.Contains(del.body, "已关联登录账号") {
		t.Fatalf("delete with account: %d", del.StatusCode)
	}
	member := a.as(xinlu.RoleMember)
	if r := member.get("/members/new"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member on /members/new: %d", r.StatusCode)
	}
	own := member.get("/members")
	if own.StatusCode != 200 || !strings.Contains(own.body, "共 1 条") || strings.Contains(own.body, `id="member-new"`) || strings.Contains(own.body, `id="member-export"`) {
		t.Fatalf("member sees only self: %d", own.StatusCode)
	}
	other := a.users[xinlu.RoleHead].MemberID
	if r := member.get(staffPath("/members/", other, "")); r.StatusCode != http.StatusNotFound {
		t.Fatalf("member opens a colleague: %d", r.StatusCode)
	}
	en := a.as(xinlu.RoleAdmin)
	en.lang = "en"
	if r := en.postForm("/members", url.Values{"staff_no": {"Z02"}, "name": {""}}); r.StatusCode != 422 || !strings.Contains(r.body, "Name is required") {
		t.Fatalf("english error: %d", r.StatusCode)
	}
}

func TestMemberMasking(t *testing.T) {
	a := newApp(t)
	m := staffSetPersonal(t, a, xinlu.RoleMember)
	masked, maskedID := xinlu.MaskPhone(staffMemberPhone), xinlu.MaskIDNumber(staffMemberID)
	show := staffPath("/members/", m.ID, "")
	for _, tc := range []struct {
		role   xinlu.Role
		masked bool
	}{
		{xinlu.RoleHead, true},
		{xinlu.RoleDirector, true},
		{xinlu.RoleViewer, true},
		{xinlu.RoleAdmin, true},   // administrators reveal with a reason, like everyone else
		{xinlu.RoleMember, false}, // the member themself
	} {
		c := a.as(tc.role)
		for _, path := range []string{"/members", show} {
			r := c.get(path)
			if r.StatusCode != 200 {
				t.Fatalf("%s %s: %d", tc.role, path, r.StatusCode)
			}
			full := strings.Contains(r.body, staffMemberPhone) || strings.Contains(r.body, staffMemberID)
			if tc.masked && (full || !strings.Contains(r.body, masked) || !strings.Contains(r.body, `id="masked-hint"`)) {
				t.Errorf("%s %s: personal data not masked", tc.role, path)
			}
			if !tc.masked && !strings.Contains(r.body, staffMemberPhone) {
				t.Errorf("%s %s: phone masked for someone who may see it", tc.role, path)
			}
		}
		if tc.masked && !strings.Contains(c.get(show).body, maskedID) {
			t.Errorf("%s: masked ID number not shown", tc.role)
		}
	}
	// The head sees the department; a member of another department is out of scope.
	other := &xinlu.Department{ZoneID: a.zone.ID, Code: "OFFICE", Name: "办公室"}
	ctx := context.Background()
	if err := a.store.CreateDepartment(ctx, xinlu.SystemActor(a.zone.ID), other); err != nil {
		t.Fatal(err)
	}
	outsider := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: other.ID, StaffNo: "OUT1", Name: "外部门"}
	if err := a.store.CreateMember(ctx, xinlu.SystemActor(a.zone.ID), outsider); err != nil {
		t.Fatal(err)
	}
	head := a.as(xinlu.RoleHead)
	if r := head.get("/members"); strings.Contains(r.body, "外部门") || !strings.Contains(r.body, "测试member") {
		t.Fatalf("head's list crosses the department")
	}
	if r := head.get(staffPath("/members/", outsider.ID, "")); r.StatusCode != http.StatusNotFound {
		t.Fatalf("head opens another department's member: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleDirector).get(staffPath("/members/", outsider.ID, "")); r.StatusCode != 200 {
		t.Fatalf("director opens any member of the zone: %d", r.StatusCode)
	}
}

func TestMemberExport(t *testing.T) {
	a := newApp(t)
	staffSetPersonal(t, a, xinlu.RoleMember)
	head := a.as(xinlu.RoleHead)
	if r := head.get("/members"); !strings.Contains(r.body, `href="/members/export.xlsx"`) {
		t.Fatalf("no export button for the head")
	}
	res := head.get("/members/export.xlsx?q=member")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "人员花名册" || !strings.Contains(rows[1][0], "测试开发区") {
		t.Fatalf("rows %q", rows)
	}
	all := strings.Join(rows[3], "|")
	if !strings.Contains(all, "测试member") || !strings.Contains(all, xinlu.MaskPhone(staffMemberPhone)) || strings.Contains(all, staffMemberPhone) || !strings.Contains(all, "在岗") {
		t.Fatalf("row %q", rows[3])
	}
	entries, total, _ := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "member.export"})
	if total != 1 || !strings.Contains(entries[0].After, `"rows":1`) || !strings.Contains(entries[0].After, `"q":"member"`) {
		t.Fatalf("audit %d %+v", total, entries)
	}
	// The administrator's export masks personal data too; a plain member may not export.
	adminRes := a.as(xinlu.RoleAdmin).get("/members/export.xlsx")
	if adminRes.StatusCode != 200 {
		t.Fatalf("admin export: %d", adminRes.StatusCode)
	}
	f2, _ := excelize.OpenReader(bytes.NewReader([]byte(adminRes.body)))
	rows2, _ := f2.GetRows(f2.GetSheetName(0))
	if len(rows2) != 13 || strings.Contains(staffJoinRows(rows2), staffMemberPhone) {
		t.Fatalf("admin rows %d", len(rows2))
	}
	if r := a.as(xinlu.RoleMember).get("/members/export.xlsx"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member export: %d", r.StatusCode)
	}
}

func staffJoinRows(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|") + "\n")
	}
	return b.String()
}

func TestContractAndTermPages(t *testing.T) {
	a := newApp(t)
	admin := a.as(xinlu.RoleAdmin)
	mid := a.users[xinlu.RoleMember].MemberID
	if r := admin.get(staffPath("/members/", mid, "/contracts/new")); r.StatusCode != 200 || !strings.Contains(r.body, "新增合同") {
		t.Fatalf("new contract form: %d", r.StatusCode)
	}
	bad := admin.postForm(staffPath("/members/", mid, "/contracts"), url.Values{"start_date": {"2026-01-01"}, "end_date": {"2025-12-31"}, "status": {"active"}})
	if bad.StatusCode != 422 || !strings.Contains(bad.body, "结束日期须晚于开始日期") {
		t.Fatalf("end before start: %d", bad.StatusCode)
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	end := today.AddDate(0, 0, 20).Format(xinlu.DateLayout)
	ok := admin.postForm(staffPath("/members/", mid, "/contracts"), url.Values{"start_date": {"2023-01-01"}, "end_date": {end}, "status": {"active"}, "note": {"首签"}})
	if ok.StatusCode != http.StatusSeeOther || !strings.HasPrefix(ok.Header.Get("Location"), staffPath("/members/", mid, "")) {
		t.Fatalf("create contract: %d %s", ok.StatusCode, ok.body)
	}
	second := admin.postForm(staffPath("/members/", mid, "/contracts"), url.Values{"start_date": {"2026-01-01"}, "end_date": {"2029-12-31"}, "status": {"active"}})
	if second.StatusCode != http.StatusConflict || !strings.Contains(second.body, "已有一份履行中的合同") {
		t.Fatalf("second active: %d", second.StatusCode)
	}
	show := admin.get(staffPath("/members/", mid, ""))
	if !strings.Contains(show.body, "履行中") || !strings.Contains(show.body, end) {
		t.Fatalf("member page lacks the contract")
	}

	// The expiry list: scope-filtered, days left in a red tag.
	for _, tc := range []struct {
		role xinlu.Role
		sees bool
	}{{xinlu.RoleAdmin, true}, {xinlu.RoleHead, true}, {xinlu.RoleMember, true}, {xinlu.RoleScreener, false}} {
		r := a.as(tc.role).get("/contracts/expiring")
		if r.StatusCode != 200 || strings.Contains(r.body, "测试member") != tc.sees {
			t.Errorf("%s on the expiry list: %d, sees %v", tc.role, r.StatusCode, !tc.sees)
		}
		if tc.sees && !strings.Contains(r.body, `tag-red">剩余 `) {
			t.Errorf("%s: no red days-left tag", tc.role)
		}
	}
	if r := admin.get("/contracts/expiring?days=30&sort=-end"); !strings.Contains(r.body, `id="sort-end"`) || !strings.Contains(r.body, "↓") {
		t.Fatalf("sorted list")
	}
	x := a.as(xinlu.RoleHead).get("/contracts/expiring.xlsx")
	if x.StatusCode != 200 {
		t.Fatalf("expiring export: %d", x.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := f.GetRows(f.GetSheetName(0)); len(rows) != 4 || rows[3][1] != "测试member" {
		t.Fatalf("export rows %q", rows)
	}

	// Terms: an empty end gets the default.
	tres := admin.postForm(staffPath("/members/", mid, "/terms"), url.Values{"title": {"招商局局长"}, "start_date": {"2024-03-01"}, "targets": {"签约 30 亿元"}})
	if tres.StatusCode != http.StatusSeeOther {
		t.Fatalf("create term: %d %s", tres.StatusCode, tres.body)
	}
	if r := admin.postForm(staffPath("/members/", mid, "/terms"), url.Values{"title": {""}, "start_date": {"2024-03-01"}}); r.StatusCode != 422 || !strings.Contains(r.body, "职务不能为空") {
		t.Fatalf("term without title: %d", r.StatusCode)
	}
	show = admin.get(staffPath("/members/", mid, ""))
	if !strings.Contains(show.body, "招商局局长") || !strings.Contains(show.body, "2027-02-28") || !strings.Contains(show.body, "签约 30 亿元") {
		t.Fatalf("member page lacks the term")
	}
	terms, _, _ := a.store.ListTerms(context.Background(), store.TermFilter{
		Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, MemberID: mid})
	edit := admin.postForm(staffPath("/terms/", terms[0].ID, ""), url.Values{"title": {"招商局局长"}, "start_date": {"2024-03-01"}, "end_date": {"2027-03-31"}, "version": {"1"}})
	if edit.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit term: %d", edit.StatusCode)
	}
	if stale := admin.postForm(staffPath("/terms/", terms[0].ID, ""), url.Values{"title": {"x"}, "start_date": {"2024-03-01"}, "version": {"1"}}); stale.StatusCode != http.StatusConflict {
		t.Fatalf("stale term: %d", stale.StatusCode)
	}
	if r := admin.postForm(staffPath("/terms/", terms[0].ID, "/delete"), url.Values{"version": {"2"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete term: %d", r.StatusCode)
	}
	// A member cannot change their own contract.
	if r := a.as(xinlu.RoleMember).get(staffPath("/members/", mid, "/contracts/new")); r.StatusCode != http.StatusForbidden {
		t.Fatalf("member adds a contract: %d", r.StatusCode)
	}
}

func TestStaffWritesStayInTheZone(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	z := &xinlu.Zone{Code: "FAR", Name: "外区"}
	if err := a.store.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
		t.Fatal(err)
	}
	sys := xinlu.SystemActor(z.ID)
	pos := &xinlu.Position{ZoneID: z.ID, Name: "外区岗位"}
	if err := a.store.CreatePosition(ctx, sys, pos); err != nil {
		t.Fatal(err)
	}
	m := &xinlu.Member{ZoneID: z.ID, StaffNo: "F1", Name: "外区人员", Phone: staffMemberPhone}
	if err := a.store.CreateMember(ctx, sys, m); err != nil {
		t.Fatal(err)
	}
	c := &xinlu.Contract{ZoneID: z.ID, MemberID: m.ID, StartDate: "2024-01-01", EndDate: "2026-12-31"}
	if err := a.store.CreateContract(ctx, sys, c); err != nil {
		t.Fatal(err)
	}
	tm := &xinlu.Term{ZoneID: z.ID, MemberID: m.ID, Title: "外区主任", StartDate: "2024-01-01"}
	if err := a.store.CreateTerm(ctx, sys, tm); err != nil {
		t.Fatal(err)
	}
	admin := a.as(xinlu.RoleAdmin)
	for _, tc := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", staffPath("/members/", m.ID, ""), nil},
		{"GET", staffPath("/members/", m.ID, "/edit"), nil},
		{"POST", staffPath("/members/", m.ID, ""), url.Values{"staff_no": {"F1"}, "name": {"篡改"}, "version": {"1"}}},
		{"POST", staffPath("/members/", m.ID, "/delete"), nil},
		{"POST", staffPath("/members/", m.ID, "/contracts"), url.Values{"start_date": {"2027-01-01"}, "end_date": {"2028-01-01"}, "status": {"expired"}}},
		{"POST", staffPath("/members/", m.ID, "/terms"), url.Values{"title": {"x"}, "start_date": {"2027-01-01"}}},
		{"GET", staffPath("/contracts/", c.ID, "/edit"), nil},
		{"POST", staffPath("/contracts/", c.ID, ""), url.Values{"start_date": {"2024-01-01"}, "end_date": {"2030-01-01"}, "version": {"1"}}},
		{"POST", staffPath("/contracts/", c.ID, "/delete"), nil},
		{"POST", staffPath("/terms/", tm.ID, ""), url.Values{"title": {"篡改"}, "start_date": {"2024-01-01"}, "version": {"1"}}},
		{"POST", staffPath("/terms/", tm.ID, "/delete"), nil},
		{"GET", staffPath("/positions/", pos.ID, "/edit"), nil},
		{"POST", staffPath("/positions/", pos.ID, ""), url.Values{"name": {"篡改"}, "kind": {"staff"}, "version": {"1"}}},
		{"POST", staffPath("/positions/", pos.ID, "/delete"), nil},
	} {
		var r response
		if tc.method == "GET" {
			r = admin.get(tc.path)
		} else {
			r = admin.postForm(tc.path, tc.form)
		}
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", tc.method, tc.path, r.StatusCode)
		}
	}
	// Nothing of the other zone changed, and a reference to it is refused.
	far := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}
	if got, _ := a.store.MemberByID(ctx, far, m.ID); got.Name != "外区人员" || got.Version != 1 {
		t.Fatalf("other zone's member changed: %+v", got)
	}
	if got, _ := a.store.ContractByID(ctx, far, c.ID); got.EndDate != "2026-12-31" {
		t.Fatalf("other zone's contract changed: %+v", got)
	}
	r := admin.postForm("/members", url.Values{"staff_no": {"N1"}, "name": {"新人"}, "position_id": {strconv.FormatInt(pos.ID, 10)}})
	if r.StatusCode != 422 || !strings.Contains(r.body, "岗位不存在或不属于本开发区") {
		t.Fatalf("another zone's position: %d", r.StatusCode)
	}
	if r := admin.get("/members?q=外区"); !strings.Contains(r.body, "共 0 条") && !strings.Contains(r.body, `id="empty-state"`) {
		t.Fatalf("other zone listed")
	}
}
