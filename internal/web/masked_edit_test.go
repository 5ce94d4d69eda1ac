package web_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/xinlu"
)

// TestEditKeepsMaskedPersonalData: the administrator's edit form shows the
// phone masked; saving the form unchanged keeps the real number, and typing
// a new one changes it.
func TestEditKeepsMaskedPersonalData(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	m := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, StaffNo: "K1", Name: "掩码", Phone: "13912345678", IDNumber: "11010519491231002X"}
	if err := a.store.CreateMember(ctx, xinlu.SystemActor(a.zone.ID), m); err != nil {
		t.Fatal(err)
	}
	admin := a.as(xinlu.RoleAdmin)
	path := "/members/" + itoa64(m.ID)
	form := admin.get(path + "/edit")
	if strings.Contains(form.body, "13912345678") || !strings.Contains(form.body, `value="139****5678"`) {
		t.Fatal("the edit form shows the phone in full")
	}
	save := url.Values{"staff_no": {"K1"}, "name": {"掩码改名"}, "status": {"active"}, "department_id": {itoa64(a.dept.ID)},
		"phone": {"139****5678"}, "id_number": {"1101**********002X"}, "version": {"1"}}
	if r := admin.postForm(path, save); r.StatusCode != 303 {
		t.Fatalf("save: %d %s", r.StatusCode, r.body)
	}
	got, err := a.store.MemberByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, m.ID)
	if err != nil || got.Name != "掩码改名" || got.Phone != "13912345678" || got.IDNumber != "11010519491231002X" {
		t.Fatalf("after saving unchanged: %+v %v", got, err)
	}
	save.Set("phone", "13700000000")
	save.Set("version", "2")
	if r := admin.postForm(path, save); r.StatusCode != 303 {
		t.Fatalf("save new phone: %d", r.StatusCode)
	}
	got, _ = a.store.MemberByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, m.ID)
	if got.Phone != "13700000000" || got.IDNumber != "11010519491231002X" {
		t.Fatalf("after a new phone: %q %q", got.Phone, got.IDNumber)
	}
}

// TestExportNeutralisesFormulas: a name typed as a spreadsheet formula
// comes out of the roster export as text, not as a live formula.
func TestExportNeutralisesFormulas(t *testing.T) {
	a := newApp(t)
	evil := `=HYPERLINK("http://x","点我")`
	m := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, StaffNo: "F1", Name: evil}
	if err := a.store.CreateMember(t.Context(), xinlu.SystemActor(a.zone.ID), m); err != nil {
		t.Fatal(err)
	}
	r := a.as(xinlu.RoleDirector).get("/members/export.xlsx?q=F1")
	if r.StatusCode != 200 {
		t.Fatalf("export: %d", r.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	found := false
	for ri, row := range rows {
		for ci, v := range row {
			cell, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
			if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
				t.Fatalf("cell %s holds a formula %q", cell, formula)
			}
			if strings.Contains(v, "HYPERLINK") {
				found = true
				if !strings.HasPrefix(v, "'=") {
					t.Fatalf("cell %s not neutralised: %q", cell, v)
				}
			}
		}
	}
	if !found {
		t.Fatal("the member is not in the export")
	}
}
