package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *app) project(name string, stage xinlu.Stage, total int64) *store.ProjectRecord {
	a.t.Helper()
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, name, name+"有限公司", "equipment", stage
	p.Plan.TotalYuan = total
	if err := a.store.CreateProject(context.Background(), xinlu.SystemActor(a.zone.ID), p); err != nil {
		a.t.Fatal(err)
	}
	return p
}

func TestProjectPages(t *testing.T) {
	a := newApp(t)
	p := a.project("高端装备项目", xinlu.StagePromotion, 1_234_567_800)
	a.project("二号项目", xinlu.StagePromotion, 100_000_000)
	a.project("三号项目", xinlu.StagePackaging, 50_000_000)
	member := a.as(xinlu.RoleMember)

	res := member.get("/projects/kanban")
	if res.StatusCode != 200 || !strings.Contains(res.body, "133,456.78") || !strings.Contains(res.body, "高端装备项目") {
		t.Fatalf("kanban: %d %s", res.StatusCode, res.body)
	}
	res = member.get("/projects?stage=promotion")
	if res.StatusCode != 200 || !strings.Contains(res.body, "123,456.78") || strings.Contains(res.body, "三号项目") {
		t.Fatalf("ledger: %d", res.StatusCode)
	}
	res = member.get("/projects/" + strconvFormat(p.ID))
	if res.StatusCode != 200 || !strings.Contains(res.body, "高端装备项目") || strings.Contains(res.body, `id="sign-form"`) {
		t.Fatalf("project page as member: %d", res.StatusCode)
	}
	if res := member.get("/projects/" + strconvFormat(p.ID) + "/proposal"); res.StatusCode != 200 || !strings.Contains(res.body, "@page") {
		t.Fatalf("proposal: %d", res.StatusCode)
	}

	// A member cannot sign: 403, in Chinese.
	tok := member.csrfToken("/projects/" + strconvFormat(p.ID))
	sign := url.Values{"csrf": {tok}, "version": {"1"}, "signed_on": {a.store.Now().Format("2006-01-02")}, "contract_yuan": {"100000"},
		"promised_start": {"2099-01-01"}, "promised_produce": {"2099-06-01"}}
	if res := member.postForm("/projects/"+strconvFormat(p.ID)+"/sign", sign); res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "没有权限") {
		t.Fatalf("member sign: %d", res.StatusCode)
	}
	// A sponsor signs; the project gets a code and its checklist.
	sponsor := a.as(xinlu.RoleSponsor)
	sign.Set("csrf", sponsor.csrfToken("/projects/"+strconvFormat(p.ID)))
	if res := sponsor.postForm("/projects/"+strconvFormat(p.ID)+"/sign", sign); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sponsor sign: %d %s", res.StatusCode, res.body)
	}
	// Signing again is refused, naming the stage.
	if res := sponsor.postForm("/projects/"+strconvFormat(p.ID)+"/sign", sign); res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "全程代办") {
		t.Fatalf("second sign: %d", res.StatusCode)
	}
	res = sponsor.get("/projects/" + strconvFormat(p.ID))
	if !strings.Contains(res.body, "T-") || !strings.Contains(res.body, "立项备案") || !strings.Contains(res.body, "light-green") {
		t.Fatalf("signed page lacks code or checklist")
	}

	// Export of the filtered view opens in excelize with a sum row.
	res = member.get("/projects/export.xlsx?industry=equipment")
	if res.StatusCode != 200 {
		t.Fatalf("export: %d", res.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3+3+1 || rows[0][0] != "项目台账" || rows[len(rows)-1][0] != "合计" {
		t.Fatalf("export rows %q", rows)
	}
	if total := rows[len(rows)-1][6]; total != "138,456.78" {
		t.Fatalf("sum %q", total)
	}
	entries, _, _ := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "project.export"})
	if len(entries) != 1 || !strings.Contains(entries[0].After, `"rows":3`) {
		t.Fatalf("export audit %+v", entries)
	}
}
