package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestBrowserAppraisalJourney runs a period in the browser: the appraisal
// office creates it, opens scoring, calculates, reviews and publishes; a
// member sees their band and appeals; the office rechecks, answers and
// publishes again; after the publication the director finalises.
func TestBrowserAppraisalJourney(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	base := a.http.URL
	bg := t.Context()
	sys := xinlu.SystemActor(a.zone.ID)
	scheme := &xinlu.Scheme{ZoneID: a.zone.ID, Name: "一般人员考核方案", PositionKind: xinlu.PositionStaff, Indicators: []xinlu.Indicator{
		{Name: "领导评价", Kind: xinlu.IndicatorAssessed, Weight: 100, KeyTask: true}}}
	if err := a.store.CreateScheme(bg, sys, scheme); err != nil {
		t.Fatal(err)
	}
	label := a.store.Now().AddDate(0, -1, 0).Format("2006-01")

	// 1. The appraisal office creates the period and opens scoring.
	login(t, ctx, a, "appraiser")
	step(t, ctx, "new period",
		chromedp.Navigate(base+"/appraisal/periods"),
		chromedp.WaitVisible("#period-new"),
		chromedp.SetValue("#label", label),
		submit("#period-create"),
		chromedp.WaitVisible("#period-state"),
	)
	shot(t, ctx, "appraisal-01-period-draft")
	if got := text(t, ctx, "#period-state"); got != "草稿" {
		t.Fatalf("new period state %q", got)
	}
	step(t, ctx, "open scoring", submit("#step-open"), chromedp.WaitVisible("#step-calculate"))
	periods, _, err := a.store.ListPeriods(bg, store.PeriodFilter{ZoneID: a.zone.ID})
	if err != nil || len(periods) != 1 {
		t.Fatalf("periods %v %v", periods, err)
	}
	p := periods[0]

	// The director's scores (entered here through the store): the member
	// comes last of the ten ranked.
	director := a.users[xinlu.RoleDirector]
	var rs []store.Rating
	score := int64(9500)
	for _, r := range xinlu.Roles {
		u := a.users[r]
		if u.MemberID == 0 || u.MemberID == director.MemberID {
			continue
		}
		v := score
		if r == xinlu.RoleMember {
			v = 5000
		}
		rs = append(rs, store.Rating{MemberID: u.MemberID, IndicatorID: scheme.Indicators[0].ID, Score: v})
		score -= 300
	}
	if _, err := a.store.SaveRatings(bg, xinlu.ActorOf(director, ""), director, p.ID, rs); err != nil {
		t.Fatal(err)
	}

	// 2. Calculate, review, publish.
	step(t, ctx, "calculate", submit("#step-calculate"), chromedp.WaitVisible("#result-table"))
	shot(t, ctx, "appraisal-02-calculated")
	mustContain(t, "results", text(t, ctx, "#result-table"), "测试member", "后20%", "前20%")
	mustContain(t, "missing scores", text(t, ctx, "#missing-banner"), "1 人有指标尚无人评分")
	step(t, ctx, "review", submit("#step-review"), chromedp.WaitVisible("#step-publish"))
	step(t, ctx, "publish", submit("#step-publish"), chromedp.WaitVisible("#publication-ends"))
	shot(t, ctx, "appraisal-03-published")
	mustContain(t, "published period", text(t, ctx, "#period-state"), "公示中")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#missing-banner").length`)); err != nil || n != 0 {
		t.Errorf("the published period still warns of unscored members (%d, %v)", n, err)
	}
	signOut(t, ctx)

	// 3. The member sees their band and appeals.
	login(t, ctx, a, "member")
	step(t, ctx, "my appraisal", chromedp.Navigate(base+"/appraisal/mine"), chromedp.WaitVisible("#my-results"))
	shot(t, ctx, "appraisal-04-mine")
	mustContain(t, "my results", text(t, ctx, "#my-results"), label, "后20%", "50")
	step(t, ctx, "open the period", chromedp.Click(`#my-results a[href^="/appraisal/periods/"]:last-child`), chromedp.WaitVisible("#appeal-form"))
	mustContain(t, "member's view", text(t, ctx, "#result-table"), "测试member")
	if others := text(t, ctx, "#result-table"); strings.Contains(others, "测试screener") {
		t.Fatalf("a member sees others' results: %q", others)
	}
	step(t, ctx, "appeal",
		chromedp.SendKeys("#appeal-reason", "本月完成的招商任务较多，领导评价偏低，请求复核。"),
		submit("#appeal-submit"),
		chromedp.WaitVisible("#appeal-table"),
	)
	shot(t, ctx, "appraisal-05-appealed")
	mustContain(t, "appeal", text(t, ctx, "#appeal-table"), "待答复")
	signOut(t, ctx)

	// 4. The office rechecks, answers and publishes again.
	login(t, ctx, a, "appraiser")
	step(t, ctx, "recheck",
		chromedp.Navigate(base+"/appraisal/periods/"+strconvFormat(p.ID)),
		chromedp.WaitVisible("#step-recheck"),
		submit("#step-recheck"),
		chromedp.WaitVisible(".answer-form"),
	)
	step(t, ctx, "answer",
		chromedp.SendKeys(`.answer-form input[name="response"]`, "经考核委员会复核，评分依据充分，维持原结果。"),
		submit(`.answer-form button[id^="appeal-reject-"]`),
		chromedp.WaitVisible("#step-publish"),
	)
	mustContain(t, "answered", text(t, ctx, "#appeal-table"), "维持原结果")
	step(t, ctx, "publish again", submit("#step-publish"), chromedp.WaitVisible("#publication-ends"))
	step(t, ctx, "print notice", chromedp.Navigate(base+"/appraisal/periods/"+strconvFormat(p.ID)+"/publication"), chromedp.WaitVisible("#notice-table"))
	shot(t, ctx, "appraisal-06-notice")
	mustContain(t, "notice", text(t, ctx, "#notice"), "测试开发区", "测试member", "后20%")
	step(t, ctx, "no red head", chromedp.Evaluate[chromedp.Void](`document.getElementById("red-head-toggle").click()`))
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("red-head")).display`)); err != nil || shown != "none" {
		t.Fatalf("red head after unticking: %q %v", shown, err)
	}
	signOut(t, ctx)

	// 5. After the publication the director finalises.
	a.clock.Advance(10 * 24 * time.Hour)
	login(t, ctx, a, "director")
	step(t, ctx, "finalise",
		chromedp.Navigate(base+"/appraisal/periods/"+strconvFormat(p.ID)),
		chromedp.WaitVisible("#step-finalize"),
		submit("#step-finalize"),
		chromedp.WaitVisible("#period-state"),
	)
	shot(t, ctx, "appraisal-07-final")
	if got := text(t, ctx, "#period-state"); got != "已确认" {
		t.Fatalf("state after finalising %q", got)
	}
}
