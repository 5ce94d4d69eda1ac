package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// submit clicks a form's button with every data-confirm question answered
// yes (window.confirm is overridden on the page now open; the navigation
// brings the real one back) and waits for the next page to load, so that
// what follows does not read the page it left.
func submit(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Evaluate[chromedp.Void](`window.confirm = () => true; window.xinluLeaving = true`)(ctx, tg); err != nil {
			return err
		}
		if _, err := chromedp.Click(sel)(ctx, tg); err != nil {
			return err
		}
		for {
			fresh, err := chromedp.Evaluate[bool](`window.xinluLeaving === undefined && document.readyState === "complete"`)(ctx, tg)
			if err == nil && fresh {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// signOut forgets the session, so that the next login starts afresh
// whatever the page (the logout link hides in the phone menu).
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	step(t, ctx, "sign out", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
}

// desktop and phone are the two viewports of the journey.
func desktop() chromedp.Action[chromedp.Void] { return chromedp.EmulateViewport(1280, 900) }
func phone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(375, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
}

func mustContain(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("%s lacks %q: %q", what, w, got)
		}
	}
}

// TestBrowserPipelineJourney follows one lead through the five steps in the
// browser, each step by the role that takes it: a member reports it on a
// phone, the screening task force accepts it, the planning group packages
// it, a sponsor signs it and the agency task force runs the approvals and
// starts construction.
func TestBrowserPipelineJourney(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	base := a.http.URL
	const company, project = "晋阳新材料股份有限公司", "高性能碳纤维复合材料项目"

	// 1. A member reports a lead from a phone.
	// (login waits for #current-user, which the phone header hides: sign
	// in first, then hold the phone.)
	login(t, ctx, a, "member")
	step(t, ctx, "phone viewport", phone())
	step(t, ctx, "open the report form",
		chromedp.Navigate(base+"/leads/new"),
		chromedp.WaitVisible("#company"),
	)
	shot(t, ctx, "pipeline-01-lead-new-phone")
	step(t, ctx, "report a lead",
		chromedp.SendKeys("#company", company),
		chromedp.SendKeys("#project_name", project),
		chromedp.SetValue("#industry", "materials"),
		chromedp.SendKeys("#investment", "52000.5"),
		chromedp.SendKeys("#contact_name", "王经理"),
		chromedp.SendKeys("#contact_phone", "13800001234"),
		chromedp.SendKeys("#description", "碳纤维及复合材料生产线，拟用地 120 亩。"),
		submit("#lead-submit"),
		chromedp.WaitVisible("#lead-status"),
	)
	shot(t, ctx, "pipeline-02-lead-reported-phone")
	mustContain(t, "reported lead", text(t, ctx, "#lead"), company, project, "5.20 亿元", "测试member")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(loc, "/leads/")
	leadID, err := strconv.ParseInt(strings.TrimSuffix(loc[i+len("/leads/"):], "?reported=1"), 10, 64)
	if err != nil {
		t.Fatalf("lead page at %q", loc)
	}
	step(t, ctx, "my leads", chromedp.Navigate(base+"/leads/mine"), chromedp.WaitVisible("main"))
	shot(t, ctx, "pipeline-03-leads-mine-phone")
	mustContain(t, "my leads", text(t, ctx, "main"), company, project)
	fitsPhone(t, ctx, "my leads")
	signOut(t, ctx)

	// 2. The screening task force accepts it: a project is created.
	step(t, ctx, "desktop viewport", desktop())
	login(t, ctx, a, "screener")
	leadURL := base + "/leads/" + strconv.FormatInt(leadID, 10)
	step(t, ctx, "open the lead", chromedp.Navigate(leadURL), chromedp.WaitVisible("#do-accept"))
	shot(t, ctx, "pipeline-04-lead-screen")
	step(t, ctx, "accept", submit("#do-accept"), chromedp.WaitVisible("#lead-project"))
	shot(t, ctx, "pipeline-05-lead-accepted")
	if got := text(t, ctx, "#lead-status"); got != "已立项" {
		t.Fatalf("lead status after accept %q", got)
	}
	l, err := a.store.LeadByID(t.Context(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, leadID)
	if err != nil || l.ProjectID == 0 {
		t.Fatalf("accepted lead has no project: %+v %v", l, err)
	}
	projectURL := base + "/projects/" + strconv.FormatInt(l.ProjectID, 10)
	step(t, ctx, "follow to the project", chromedp.Click("#lead-project"), chromedp.WaitVisible("#project"))
	mustContain(t, "new project", text(t, ctx, "#project h1"), project, "策划包装")
	signOut(t, ctx)

	// 3. The planning group fills and submits the plan.
	login(t, ctx, a, "planner")
	step(t, ctx, "fill the plan",
		chromedp.Navigate(projectURL),
		chromedp.WaitVisible("#plan-form"),
		chromedp.SendKeys(`#plan-form textarea[name="content"]`, "建设年产 2000 吨碳纤维生产线及复合材料制品车间。"),
		// total_yuan stays as the form fills it in from the lead: "52,000.50".
		chromedp.SendKeys(`#plan-form input[name="fixed_asset_yuan"]`, "40000"),
		chromedp.SetValue(`#plan-form input[name="land_mu"]`, "120"),
		chromedp.SetValue(`#plan-form input[name="jobs"]`, "600"),
		chromedp.SetValue(`#plan-form select[name="chain_position"]`, "chain_leader"),
		chromedp.Click(`#plan-form input[value="new_materials"]`),
	)
	shot(t, ctx, "pipeline-06-plan-form")
	step(t, ctx, "submit the plan", submit("#submit-plan"), chromedp.WaitVisible("#flash"))
	shot(t, ctx, "pipeline-07-plan-submitted")
	mustContain(t, "project after the plan", text(t, ctx, "#project h1"), "领导推进")
	mustContain(t, "plan", text(t, ctx, "#plan"), "5.20 亿元", "4.00 亿元", "新材料")
	signOut(t, ctx)

	// 4. The leadership group assigns a sponsor and signs.
	login(t, ctx, a, "sponsor")
	sponsorMember := strconv.FormatInt(a.users[xinlu.RoleSponsor].MemberID, 10)
	step(t, ctx, "assign the sponsor",
		chromedp.Navigate(projectURL),
		chromedp.WaitVisible("#sponsor-form"),
		chromedp.SetValue(`#sponsor-form select[name="sponsor_id"]`, sponsorMember),
		submit(`#sponsor-form button`),
		chromedp.WaitVisible("#flash"),
	)
	mustContain(t, "sponsor", text(t, ctx, "#project"), "测试sponsor")
	today := a.store.Now().In(time.FixedZone("CST", 8*3600))
	start, produce := today.AddDate(0, 2, 0).Format("2006-01-02"), today.AddDate(1, 0, 0).Format("2006-01-02")
	step(t, ctx, "fill the signing",
		chromedp.WaitVisible("#sign-form"),
		chromedp.SendKeys(`#sign-form input[name="contract_yuan"]`, "50000"),
		chromedp.SetValue(`#sign-form input[name="promised_start"]`, start),
		chromedp.SetValue(`#sign-form input[name="promised_produce"]`, produce),
		chromedp.SendKeys(`#sign-form input[name="funds_schedule"]`, "签约后一年内到位 60%"),
	)
	shot(t, ctx, "pipeline-08-sign-form")
	step(t, ctx, "sign", submit("#sign"), chromedp.WaitVisible("#approval-table"))
	shot(t, ctx, "pipeline-09-signed")
	mustContain(t, "signed project", text(t, ctx, "#project"), "全程代办", "T-"+today.Format("2006")+"-0001")
	mustContain(t, "signing", text(t, ctx, "#signing"), "5.00 亿元", start, produce, "签约后一年内到位 60%")
	signOut(t, ctx)

	// 5. The agency task force runs every approval and starts construction.
	login(t, ctx, a, "agent")
	items, err := a.store.Approvals(t.Context(), a.zone.ID, l.ProjectID)
	if err != nil || len(items) != len(store.DefaultApprovalTemplate) {
		t.Fatalf("checklist: %d items, %v", len(items), err)
	}
	step(t, ctx, "open the checklist", chromedp.Navigate(projectURL), chromedp.WaitVisible("#approval-table"))
	shot(t, ctx, "pipeline-10-approvals")
	for i, it := range items {
		actions := []string{"submit", "approve"}
		if i%2 == 1 {
			actions = []string{"commit"} // 承诺制
		}
		for _, act := range actions {
			sel := `form[action$="/approvals/` + strconv.FormatInt(it.ID, 10) + `/` + act + `"] button`
			step(t, ctx, act+" "+it.Name, submit(sel), chromedp.WaitVisible("#flash"))
		}
	}
	shot(t, ctx, "pipeline-11-approvals-done")
	table := text(t, ctx, "#approval-table")
	for _, it := range items {
		mustContain(t, "approvals", table, it.Name)
	}
	if strings.Contains(table, "准备中") || strings.Contains(table, "已报送") {
		t.Fatalf("an approval is still open: %q", table)
	}
	mustContain(t, "approvals", table, "已批复", "承诺制")
	step(t, ctx, "start construction", chromedp.WaitVisible("#milestone-form"), submit(`#milestone-form button`),
		chromedp.WaitVisible("#flash"))
	shot(t, ctx, "pipeline-12-construction")

	// The project page shows the stage and the whole timeline.
	if got := text(t, ctx, "#project h1"); !strings.Contains(got, "开工建设") {
		t.Fatalf("stage after start: %q", got)
	}
	mustContain(t, "milestones", text(t, ctx, "#signing"), today.Format("2006-01-02"))
	timeline := text(t, ctx, "#timeline-table")
	mustContain(t, "timeline", timeline, "立项", "提交策划", "确定包联领导", "签约", "审批事项", "开工")
	if n := strings.Count(timeline, "审批事项"); n != len(items)+len(items)/2 {
		t.Errorf("timeline lists %d approval steps, want %d", n, len(items)+len(items)/2)
	}
	// The timeline names actors by their names (which in tests contain the role).
	for _, who := range []string{"screener", "planner", "sponsor", "agent"} {
		mustContain(t, "timeline actors", timeline, who)
	}
	p, err := a.store.ProjectByID(t.Context(), a.zone.ID, l.ProjectID)
	if err != nil || p.Stage != xinlu.StageConstruction || p.StartedOn != today.Format("2006-01-02") {
		t.Fatalf("project after the journey: %+v %v", p, err)
	}

	// The same page on a phone, as a sponsor would look at it on the road.
	step(t, ctx, "project on a phone", phone(), chromedp.Navigate(projectURL), chromedp.WaitVisible("#timeline-table"))
	shot(t, ctx, "pipeline-13-project-phone")
	fitsPhone(t, ctx, "project page")
}

// fitsPhone checks that the page does not scroll sideways at phone width
// (wide tables scroll inside themselves).
func fitsPhone(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 375 {
		t.Errorf("%s scrolls sideways on a phone: %d px wide (%v)", what, w, err)
	}
}
