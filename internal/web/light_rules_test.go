package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// TestLeadLightFollowsZoneRules: a lead's screening light on its page and
// in the screening list follows the zone's yellow_within_days. A lead just
// reported is due 5 working days later: green by default (yellow within
// 2), yellow once the zone warns 5 working days ahead.
func TestLeadLightFollowsZoneRules(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	member, screener := a.as(xinlu.RoleMember), a.as(xinlu.RoleScreener)
	r := member.postForm("/leads", reportLeadForm("山西华晋新材料股份有限公司"))
	if r.StatusCode != http.StatusSeeOther || !leadPathRE.MatchString(r.Header.Get("Location")) {
		t.Fatalf("report: %d", r.StatusCode)
	}
	page := r.Header.Get("Location")
	light := func(want string) {
		t.Helper()
		if r := screener.get(page); !strings.Contains(r.body, `id="lead-light">`+want+`<`) {
			t.Fatalf("lead page: want %s", want)
		}
		if r := screener.get("/leads"); !strings.Contains(r.body, `<span class="tag tag-`) || !strings.Contains(r.body, ">"+want+"</span>") {
			t.Fatalf("lead list: want %s", want)
		}
	}
	light("正常")

	st, err := a.store.PipelineSettings(ctx, a.zone.ID)
	if err != nil {
		t.Fatal(err)
	}
	st.Light.YellowWithin = 5
	admin := a.users[xinlu.RoleSysAdmin]
	if err := a.store.SavePipelineSettings(ctx, xinlu.ActorOf(admin, ""), admin, &st); err != nil {
		t.Fatal(err)
	}
	light("临期")
}
