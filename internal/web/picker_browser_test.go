package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPeoplePickerSearches: a people picker lists the zone's members
// grouped by department, and typing part of a name narrows it to the
// matches and chooses the only one.
func TestBrowserPeoplePickerSearches(t *testing.T) {
	ctx := browser(t)
	a := newDemoApp(t)
	login(t, ctx, a, "appraiser")
	step(t, ctx, "incentive form", chromedp.Navigate(a.http.URL+"/incentives/new"), chromedp.WaitVisible("#member_id-search"))
	groups, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#member_id optgroup")].map(g => g.label)`))
	if err != nil || len(groups) < 4 {
		t.Fatalf("the picker is not grouped by department: %q %v", groups, err)
	}
	all, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#member_id option")].filter(o => o.value && !o.hidden).length`))
	step(t, ctx, "type a name", chromedp.SendKeys("#member_id-search", "罗晓"))
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#member_id option")].filter(o => o.value && !o.hidden).map(o => o.textContent)`))
	if err != nil || len(shown) != 1 || shown[0] != "罗晓东" {
		t.Fatalf("typing 罗晓 shows %q (of %d) %v", shown, all, err)
	}
	chosen, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("member_id").selectedOptions[0].textContent`))
	if chosen != "罗晓东" {
		t.Errorf("the only match is not chosen: %q", chosen)
	}
	step(t, ctx, "a department", chromedp.SetValue("#member_id-search", "招商二部"), chromedp.Evaluate[chromedp.Void](`document.getElementById("member_id-search").dispatchEvent(new Event("input"))`))
	dept, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#member_id option")].filter(o => o.value && !o.hidden).length`))
	if dept < 3 || dept >= all {
		t.Errorf("typing a department shows %d of %d", dept, all)
	}
}
