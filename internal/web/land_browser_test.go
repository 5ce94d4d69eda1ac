package web_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestBrowserLandJourney: a planner packages a project, sees the parks that
// can host it with the reasons for those that cannot, and picks a parcel; a
// sponsor signs and the park's water gauge moves; the project is lost and
// the water comes back.
func TestBrowserLandJourney(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	base := a.http.URL
	f := seedLand(t, a)
	sys := xinlu.SystemActor(a.zone.ID)
	other := &xinlu.Park{ZoneID: a.zone.ID, Name: "生物医药产业园", AreaMu: 2000, Industries: []string{"biomedicine"}}
	if err := a.store.CreatePark(context.Background(), sys, other); err != nil {
		t.Fatal(err)
	}
	p := &store.ProjectRecord{}
	total := int64(800_000_000)
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, "高铬耐磨衬板项目", "晋中耐磨科技有限公司", "materials", xinlu.StagePackaging
	p.Plan.TotalYuan = &total
	if err := a.store.CreateProject(context.Background(), sys, p); err != nil {
		t.Fatal(err)
	}
	projectURL := base + "/projects/" + strconv.FormatInt(p.ID, 10)
	parkURL := base + "/land/parks/" + strconv.FormatInt(f.park.ID, 10)
	waterFree := `#utility-table tr[data-kind="water"] td.free`

	// The planner packages it: 120 mu and 700 t/d of water.
	login(t, ctx, a, "planner")
	step(t, ctx, "fill the plan",
		chromedp.Navigate(projectURL),
		chromedp.WaitVisible("#plan-form"),
		chromedp.SendKeys(`#plan-form textarea[name="content"]`, "年产 5 万吨高铬耐磨衬板。"),
		chromedp.SetValue(`#plan-form input[name="land_mu"]`, "120"),
		chromedp.SetValue(`#plan-form input[name="water_tpd"]`, "700"),
		chromedp.SetValue(`#plan-form select[name="proposed_park_id"]`, strconv.FormatInt(f.park.ID, 10)),
	)
	step(t, ctx, "submit the plan", submit("#submit-plan"), chromedp.WaitVisible("#matches"))
	shot(t, ctx, "land-01-matches")
	mustContain(t, "matching", text(t, ctx, "#match-list"), "耐磨材料产业园", "可承载", "NM-07", "生物医药产业园", "不满足", "产业不符：本园区未定位新型材料")
	step(t, ctx, "pick the parcel", submit(`button[data-pick="NM-07"]`), chromedp.WaitVisible("#held-parcels"))
	mustContain(t, "held parcel", text(t, ctx, "#held-parcels"), "耐磨材料产业园 · NM-07")
	signOut(t, ctx)

	// The sponsor signs: 700 t/d reserved, 300 free.
	login(t, ctx, a, "sponsor")
	step(t, ctx, "water before", chromedp.Navigate(parkURL), chromedp.WaitVisible("#utility-table"))
	if got := text(t, ctx, waterFree); got != "1,000" {
		t.Fatalf("free water before signing %q", got)
	}
	today := a.store.Now().In(time.FixedZone("CST", 8*3600))
	step(t, ctx, "sign",
		chromedp.Navigate(projectURL),
		chromedp.WaitVisible("#sign-form"),
		chromedp.SendKeys(`#sign-form input[name="contract_yuan"]`, "60000"),
		chromedp.SetValue(`#sign-form input[name="promised_start"]`, today.AddDate(0, 2, 0).Format("2006-01-02")),
		chromedp.SetValue(`#sign-form input[name="promised_produce"]`, today.AddDate(1, 0, 0).Format("2006-01-02")),
		submit("#sign"),
		chromedp.WaitVisible("#project-ledger"),
	)
	step(t, ctx, "water after signing", chromedp.Navigate(parkURL), chromedp.WaitVisible("#utility-table"))
	shot(t, ctx, "land-02-park-after-signing")
	if got := text(t, ctx, waterFree); got != "300" {
		t.Fatalf("free water after signing %q", got)
	}
	mustContain(t, "gauge", text(t, ctx, `#utility-table tr[data-kind="water"]`), "余量 30%")

	// The sponsor revises the plan to 600 t/d: 100 goes back.
	step(t, ctx, "revise the plan",
		chromedp.Navigate(projectURL),
		chromedp.WaitVisible(`#revise-plan summary`),
		chromedp.Click(`#revise-plan summary`),
		chromedp.WaitVisible(`#revise-plan-form input[name="water_tpd"]`),
		chromedp.SetValue(`#revise-plan-form input[name="water_tpd"]`, "600"),
		chromedp.SendKeys(`#revise-plan-form textarea[name="note"]`, "补充协议：节水工艺"),
		submit("#revise-plan-save"),
		chromedp.WaitVisible("#project-ledger"),
	)
	mustContain(t, "ledger", text(t, ctx, "#project-ledger"), "调整", "补充协议：节水工艺")
	step(t, ctx, "water after the revision", chromedp.Navigate(parkURL), chromedp.WaitVisible("#utility-table"))
	if got := text(t, ctx, waterFree); got != "400" {
		t.Fatalf("free water after the revision %q", got)
	}

	// The project is lost: the water comes back.
	step(t, ctx, "lose",
		chromedp.Navigate(projectURL),
		chromedp.WaitVisible(`form[action$="/lose"]`),
		chromedp.SetValue(`form[action$="/lose"] select[name="lost_reason"]`, "investor_withdrew"),
		submit(`form[action$="/lose"] button`),
	)
	step(t, ctx, "water after the loss", chromedp.Navigate(parkURL), chromedp.WaitVisible("#utility-table"))
	if got := text(t, ctx, waterFree); got != "1,000" {
		t.Fatalf("free water after the loss %q", got)
	}
	shot(t, ctx, "land-03-park-after-loss")
}
