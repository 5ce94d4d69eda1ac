package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/i18n"
	"xinlu/internal/xinlu"
)

// TestInventoryIsTranslated: every label, purpose, basis and retention the
// inventory names exists in every language.
func TestInventoryIsTranslated(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range xinlu.PersonalFields {
		for _, key := range []string{f.Label, f.Purpose, f.LegalBasis, "personal.retention." + string(f.Retention)} {
			for _, lang := range xinlu.Languages {
				if !c.Has(lang, key) {
					t.Errorf("%s: %s lacks %q", f.Name(), lang, key)
				}
			}
		}
	}
}

func TestRevealFlow(t *testing.T) {
	a := newApp(t)
	m := staffSetPersonal(t, a, xinlu.RoleMember)
	show := staffPath("/members/", m.ID, "")
	reveal := staffPath("/members/", m.ID, "/reveal")
	masked := xinlu.MaskPhone(staffMemberPhone)

	head := a.as(xinlu.RoleHead)
	page := head.get(show)
	if page.StatusCode != 200 || !strings.Contains(page.body, masked) || !strings.Contains(page.body, `id="reveal-action"`) ||
		strings.Contains(page.body, staffMemberPhone) || strings.Contains(page.body, `id="own-record"`) {
		t.Fatalf("head's member page: %d", page.StatusCode)
	}
	form := head.get(reveal)
	if form.StatusCode != 200 || !strings.Contains(form.body, "查看原因") || strings.Contains(form.body, staffMemberPhone) || !strings.Contains(form.body, masked) {
		t.Fatalf("reveal form: %d", form.StatusCode)
	}
	short := head.postForm(reveal, url.Values{"reason": {"看看"}})
	if short.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(short.body, "查看原因至少 4 个字") || strings.Contains(short.body, staffMemberPhone) {
		t.Fatalf("short reason: %d", short.StatusCode)
	}
	if rows := revealAudits(t, a); len(rows) != 0 {
		t.Fatalf("a refused reveal was audited: %d", len(rows))
	}
	ok := head.postForm(reveal, url.Values{"reason": {"核对社保缴纳信息"}})
	if ok.StatusCode != 200 || !strings.Contains(ok.body, `id="revealed-phone">`+staffMemberPhone) ||
		!strings.Contains(ok.body, staffMemberID) || ok.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reveal: %d %s", ok.StatusCode, ok.Header.Get("Cache-Control"))
	}
	rows := revealAudits(t, a)
	if len(rows) != 1 || rows[0].EntityID != m.ID || rows[0].ActorID != a.users[xinlu.RoleHead].ID ||
		!strings.Contains(rows[0].After, `"fields":["phone","id_number"]`) || !strings.Contains(rows[0].After, "核对社保缴纳信息") {
		t.Fatalf("audit %+v", rows)
	}
	for _, r := range rows {
		if strings.Contains(r.After, staffMemberPhone) || strings.Contains(r.After, staffMemberID) {
			t.Fatal("the audit row holds the revealed values")
		}
	}
	// After the reveal the member page is masked again.
	if again := head.get(show); strings.Contains(again.body, staffMemberPhone) {
		t.Fatal("the reveal stuck")
	}

	// Roles without reveal: no button, and the routes answer 403.
	for _, r := range []xinlu.Role{xinlu.RoleDirector, xinlu.RoleFinance, xinlu.RoleViewer} {
		c := a.as(r)
		if p := c.get(show); strings.Contains(p.body, `id="reveal-action"`) || strings.Contains(p.body, staffMemberPhone) {
			t.Errorf("%s sees a reveal button or the number", r)
		}
		if res := c.get(reveal); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s GET reveal: %d", r, res.StatusCode)
		}
		if res := c.postForm(reveal, url.Values{"reason": {"核对社保缴纳信息"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST reveal: %d", r, res.StatusCode)
		}
	}
	// Someone who sees the data anyway gets no button.
	if p := a.as(xinlu.RoleAdmin).get(show); strings.Contains(p.body, `id="reveal-action"`) {
		t.Error("a button for someone who already sees the data")
	}
	// The head's reveal reaches the department only.
	other := &xinlu.Department{ZoneID: a.zone.ID, Code: "OFFICE", Name: "办公室"}
	ctx := context.Background()
	if err := a.store.CreateDepartment(ctx, xinlu.SystemActor(a.zone.ID), other); err != nil {
		t.Fatal(err)
	}
	outsider := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: other.ID, StaffNo: "OUT1", Name: "外部门", Phone: "13700000000"}
	if err := a.store.CreateMember(ctx, xinlu.SystemActor(a.zone.ID), outsider); err != nil {
		t.Fatal(err)
	}
	if r := head.postForm(staffPath("/members/", outsider.ID, "/reveal"), url.Values{"reason": {"核对社保缴纳信息"}}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("head reveals another department: %d", r.StatusCode)
	}
	// The appraisal office reveals zone-wide; the button shows there too.
	appraiser := a.as(xinlu.RoleAppraiser)
	if p := appraiser.get(staffPath("/members/", outsider.ID, "")); !strings.Contains(p.body, `id="reveal-action"`) {
		t.Fatal("no reveal button for the appraisal office")
	}
	if r := appraiser.postForm(staffPath("/members/", outsider.ID, "/reveal"), url.Values{"reason": {"年度考核核对"}}); r.StatusCode != 200 || !strings.Contains(r.body, "13700000000") {
		t.Fatalf("appraiser reveal: %d", r.StatusCode)
	}
}

func revealAudits(t *testing.T, a *app) []xinlu.AuditEntry {
	t.Helper()
	rows, _, err := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "personal.reveal"})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestMaskingHoldsWithoutReveal: lists, pages, the API and the roster
// export stay masked for roles that may not reveal — and for those that may,
// until they do.
func TestMaskingHoldsWithoutReveal(t *testing.T) {
	a := newApp(t)
	m := staffSetPersonal(t, a, xinlu.RoleMember)
	full := regexp.MustCompile(staffMemberPhone + "|" + staffMemberID)
	for _, r := range []xinlu.Role{xinlu.RoleDirector, xinlu.RoleFinance, xinlu.RoleSponsor, xinlu.RoleDiscipline, xinlu.RoleAuditor, xinlu.RoleViewer, xinlu.RoleHead, xinlu.RoleAppraiser} {
		page, api := a.as(r), a.api(r)
		for _, p := range []string{"/members", staffPath("/members/", m.ID, "")} {
			if res := page.get(p); res.StatusCode != 200 || full.MatchString(res.body) {
				t.Errorf("%s %s: %d, full values %v", r, p, res.StatusCode, full.MatchString(res.body))
			}
		}
		for _, p := range []string{"/api/v1/members?per_page=100", staffPath("/api/v1/members/", m.ID, "")} {
			if res := api.get(p); res.StatusCode != 200 || full.MatchString(res.body) || !strings.Contains(res.body, `"masked":true`) {
				t.Errorf("%s %s: %d %s", r, p, res.StatusCode, res.body)
			}
		}
		if !a.users[r].Can(xinlu.PermStaffExport) {
			continue
		}
		x := page.get("/members/export.xlsx")
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatalf("%s export: %d %v", r, x.StatusCode, err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if all := staffJoinRows(rows); full.MatchString(all) || !strings.Contains(all, xinlu.MaskPhone(staffMemberPhone)) {
			t.Errorf("%s: roster export not masked", r)
		}
	}
}

// TestOwnRecordDownload: a member downloads their own record, unmasked,
// and nobody else's; the download is audited.
func TestOwnRecordDownload(t *testing.T) {
	a := newApp(t)
	m := staffSetPersonal(t, a, xinlu.RoleMember)
	ctx := context.Background()
	if err := a.store.CreateContract(ctx, xinlu.SystemActor(a.zone.ID), &xinlu.Contract{ZoneID: a.zone.ID, MemberID: m.ID,
		StartDate: "2024-01-01", EndDate: "2026-12-31", Note: "首签"}); err != nil {
		t.Fatal(err)
	}
	staffSetPersonal(t, a, xinlu.RoleHead) // a colleague with the same data must not leak in
	member := a.as(xinlu.RoleMember)
	if p := member.get(staffPath("/members/", m.ID, "")); !strings.Contains(p.body, `href="/profile/export.json"`) || !strings.Contains(p.body, `href="/profile/export.xlsx"`) {
		t.Fatal("no download links on the member's own page")
	}
	if p := a.as(xinlu.RoleAdmin).get(staffPath("/members/", m.ID, "")); strings.Contains(p.body, `id="own-record"`) {
		t.Fatal("download links on someone else's page")
	}
	res := member.get("/profile/export.json")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("json: %d", res.StatusCode)
	}
	var rec struct {
		Account struct {
			Username string   `json:"username"`
			Roles    []string `json:"roles"`
		} `json:"account"`
		Member *struct {
			StaffNo  string `json:"staff_no"`
			Phone    string `json:"phone"`
			IDNumber string `json:"id_number"`
		} `json:"member"`
		Contracts []struct {
			Note string `json:"note"`
		} `json:"contracts"`
		Inventory []struct{ Purpose string } `json:"personal_data"`
	}
	if err := json.Unmarshal([]byte(res.body), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Account.Username != "member" || rec.Member == nil || rec.Member.Phone != staffMemberPhone || rec.Member.IDNumber != staffMemberID ||
		len(rec.Contracts) != 1 || rec.Contracts[0].Note != "首签" || len(rec.Inventory) != len(xinlu.PersonalFields) || strings.Contains(res.body, "password") {
		t.Fatalf("record %s", res.body)
	}
	if strings.Count(res.body, staffMemberPhone) != 1 {
		t.Fatal("the record holds another member's data")
	}
	x := member.get("/profile/export.xlsx")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatalf("xlsx: %d %v", x.StatusCode, err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if all := staffJoinRows(rows); !strings.Contains(all, staffMemberPhone) || !strings.Contains(all, staffMemberID) || !strings.Contains(all, "首签") {
		t.Fatalf("xlsx rows %q", rows)
	}
	audits, total, _ := a.store.ListAudit(ctx, xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "personal.self_export"})
	if total != 2 || audits[0].EntityID != m.ID || strings.Contains(audits[0].After+audits[1].After, staffMemberPhone) {
		t.Fatalf("audit %d %+v", total, audits)
	}
	// An administrator without a staff record downloads the account only.
	adm := a.as(xinlu.RoleSysAdmin).get("/profile/export.json")
	if adm.StatusCode != 200 || strings.Contains(adm.body, `"member"`) || !strings.Contains(adm.body, `"username": "sysadmin"`) {
		t.Fatalf("admin record: %d %s", adm.StatusCode, adm.body)
	}
}
