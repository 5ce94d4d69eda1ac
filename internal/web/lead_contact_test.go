package web_test

import (
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// TestFullLeadContactViewsAreAudited: each answer that shows a lead's
// contact phone in full (the lead page, the API's lead) writes an audit row
// naming the viewer, the lead and the channel, never the number; masked
// views and lists write none.
func TestFullLeadContactViewsAreAudited(t *testing.T) {
	a := newApp(t)
	member := a.as(xinlu.RoleMember)
	r := member.postForm("/leads", reportLeadForm("山西某某新材料有限公司"))
	m := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("report: %d", r.StatusCode)
	}
	leadID, _ := strconv.ParseInt(m[1], 10, 64)
	noPhone := reportLeadForm("没有电话的公司")
	noPhone.Del("contact_phone")
	r = member.postForm("/leads", noPhone)
	m2 := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))
	if m2 == nil {
		t.Fatalf("report without phone: %d", r.StatusCode)
	}
	views := func() []xinlu.AuditEntry {
		t.Helper()
		es, _, err := a.store.ListAudit(t.Context(), xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "lead.contact_view"})
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	if n := len(views()); n != 0 {
		t.Fatalf("%d rows before any view", n)
	}

	screener := a.as(xinlu.RoleScreener)
	if page := screener.get("/leads/" + m[1]); page.StatusCode != 200 || !strings.Contains(page.body, "13812345678") {
		t.Fatalf("the screener's lead page: %d", page.StatusCode)
	}
	es := views()
	if len(es) != 1 || es[0].ActorID != a.users[xinlu.RoleScreener].ID || es[0].Entity != "lead" || es[0].EntityID != leadID ||
		!strings.Contains(es[0].After, `"via":"page"`) || strings.Contains(es[0].After+es[0].Before, "1381234") {
		t.Fatalf("after the page: %+v", es)
	}
	sponsor := a.api(xinlu.RoleSponsor)
	if r := sponsor.get("/api/v1/leads/" + m[1]); r.StatusCode != 200 || !strings.Contains(r.body, "13812345678") {
		t.Fatalf("the sponsor's API lead: %d %s", r.StatusCode, r.body)
	}
	es = views()
	if len(es) != 2 || es[0].ActorID != a.users[xinlu.RoleSponsor].ID || es[0].EntityID != leadID || !strings.Contains(es[0].After, `"via":"api"`) ||
		strings.Contains(es[0].After, "1381234") {
		t.Fatalf("after the API: %+v", es)
	}
	// Lists, a lead without a phone and a masked phone write nothing.
	screener.get("/leads")
	sponsor.get("/api/v1/leads")
	screener.get("/leads/" + m2[1])
	head := a.as(xinlu.RoleHead)
	if page := head.get("/leads/" + m[1]); page.StatusCode == 200 && strings.Contains(page.body, "13812345678") {
		t.Fatal("the head sees the phone in full")
	}
	if n := len(views()); n != 2 {
		t.Fatalf("%d rows after lists and masked views, want 2", n)
	}
	// The answer of a screening step through the API shows it too.
	if r := a.api(xinlu.RoleScreener).do("POST", "/api/v1/leads/"+m[1]+"/start-screening", `{"version":1}`, nil); r.StatusCode != 200 || !strings.Contains(r.body, "13812345678") {
		t.Fatalf("a step through the API: %d %s", r.StatusCode, r.body)
	}
	if es := views(); len(es) != 3 || es[0].ActorID != a.users[xinlu.RoleScreener].ID || !strings.Contains(es[0].After, `"via":"api"`) {
		t.Fatalf("after a step through the API: %+v", es)
	}
}
