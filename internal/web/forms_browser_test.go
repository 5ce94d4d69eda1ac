package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xinlu/internal/xinlu"
)

// A person types into the member form, gets two fields wrong and saves:
// the form comes back with everything typed, each error under its field
// (aria-invalid) and a summary above the form linking to them; the stored
// record is untouched.
func TestBrowserFormKeepsTypedInput(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	m := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, StaffNo: "B001", Name: "浏览器人员", Status: xinlu.MemberActive,
		JoinedOn: "2020-03-01"}
	if err := a.store.CreateMember(context.Background(), xinlu.SystemActor(a.zone.ID), m); err != nil {
		t.Fatal(err)
	}
	login(t, ctx, a, "sysadmin")
	page := a.http.URL + "/members/" + strconvFormat(m.ID) + "/edit"
	step(t, ctx, "type into the member form",
		chromedp.Navigate(page),
		chromedp.WaitVisible("#staff_no"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("name").value = ""`),
		chromedp.SendKeys("#name", "改名后的人员"),
		chromedp.SendKeys("#phone", "1380013"),
		chromedp.SendKeys("#id_number", "110105"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("gender").value = "f"`),
		chromedp.Click("#save"),
		chromedp.WaitVisible("#form-error"),
	)
	shot(t, ctx, "form-kept")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(() => {
		const v = id => document.getElementById(id);
		const msg = id => { const p = document.getElementById("err-" + id); return p ? p.innerText : ""; };
		return {
			name: v("name").value, staff_no: v("staff_no").value, phone: v("phone").value, id_number: v("id_number").value,
			gender: v("gender").value, joined_on: v("joined_on").value,
			phone_invalid: v("phone").getAttribute("aria-invalid") || "", id_invalid: v("id_number").getAttribute("aria-invalid") || "",
			name_invalid: v("name").getAttribute("aria-invalid") || "",
			phone_msg: msg("phone"), id_msg: msg("id_number"),
			phone_described: v("phone").getAttribute("aria-describedby") || "",
			summary: v("form-error").innerText,
			links: [...document.querySelectorAll("#form-error a")].map(a => a.getAttribute("href")).join(" "),
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"name": "改名后的人员", "staff_no": "B001", "phone": "1380013", "id_number": "110105",
		"gender": "f", "joined_on": "2020-03-01", "phone_invalid": "true", "id_invalid": "true", "name_invalid": "",
		"phone_described": "err-phone", "links": "#phone #id_number"} {
		if got[k] != want {
			t.Errorf("%s: %q, want %q", k, got[k], want)
		}
	}
	if got["phone_msg"] == "" || got["id_msg"] == "" || !strings.Contains(got["summary"], got["phone_msg"]) ||
		!strings.Contains(got["summary"], got["id_msg"]) {
		t.Errorf("messages under the fields %q, %q; summary %q", got["phone_msg"], got["id_msg"], got["summary"])
	}
	stored, err := a.store.MemberByID(context.Background(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: a.zone.ID}, m.ID)
	if err != nil || stored.Name != "浏览器人员" || stored.Version != m.Version {
		t.Errorf("the refused save changed the member: %+v %v", stored, err)
	}
}
