package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xinlu/internal/xinlu"
)

// A member writes a reflection on a phone: the draft reaches the server
// as they type; text typed just before a reload comes back from the
// browser's copy and is saved; they submit. The head reads the copying
// report and returns it with a comment; the member reads the comment, adds
// to the text and hands it in again; the head accepts.
func TestBrowserStudyDraftSurvivesReload(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	bg := context.Background()
	office := a.users[xinlu.RoleDiscipline]
	c, err := a.store.SaveCampaign(bg, xinlu.ActorOf(office, ""), office, &xinlu.Campaign{Title: "浏览器学习活动", SourceText: studyMaterialText,
		Audience: xinlu.AudienceZone, OpensOn: "2026-01-05", ClosesOn: "2099-12-31", MinLength: 30}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = a.store.CampaignAction(bg, xinlu.ActorOf(office, ""), office, c.ID, c.Version, xinlu.CampaignOpenAction); err != nil {
		t.Fatal(err)
	}
	member := a.users[xinlu.RoleMember]
	stored := func() string {
		r, err := a.store.MyReflection(bg, member, c.ID)
		if err != nil || r == nil {
			return ""
		}
		return r.Body
	}
	login(t, ctx, a, "member")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	page := a.http.URL + "/study/campaigns/" + strconvFormat(c.ID) + "/write"
	first := "解放思想是推动开发区改革的总开关，我在招商一线体会很深。"
	step(t, ctx, "type the first paragraph",
		chromedp.Navigate(page),
		chromedp.WaitVisible("#body"),
		chromedp.SendKeys("#body", first),
		chromedp.Poll[chromedp.Void](`document.getElementById("draft-note").innerText.includes("草稿已保存")`),
	)
	if got := stored(); got != first {
		t.Fatalf("autosaved draft %q", got)
	}
	// Typed and reloaded at once, before the autosave: the browser's copy
	// comes back and goes to the server.
	more := "今后要主动走出去，围绕产业链精准招商。"
	step(t, ctx, "type and reload",
		chromedp.SendKeys("#body", more),
		chromedp.Reload(),
		chromedp.WaitVisible("#body"),
		chromedp.Poll[chromedp.Void](`document.getElementById("draft-note").innerText.includes("草稿已保存")`),
	)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("body").value`))
	if err != nil || got != first+more {
		t.Fatalf("after the reload the editor holds %q (%v)", got, err)
	}
	if got := stored(); got != first+more {
		t.Fatalf("the restored text was not saved: %q", got)
	}
	// No sideways scrolling on the phone.
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil || wide {
		t.Errorf("the editor scrolls sideways on a phone (%v)", err)
	}
	step(t, ctx, "submit", chromedp.Click("#submit"), chromedp.WaitVisible("#mine-table"))
	if !strings.Contains(text(t, ctx, "#mine-table"), "已提交") {
		t.Fatalf("not submitted")
	}
	r, _ := a.store.MyReflection(bg, member, c.ID)

	// The head sees how much of it is the material, marked.
	ctx2 := browser(t) // another browser: the head's own session
	login(t, ctx2, a, "head")
	step(t, ctx2, "open the report", chromedp.Navigate(a.http.URL+"/study/reflections/"+strconvFormat(r.ID)), chromedp.WaitVisible("#similar-summary"))
	if s := text(t, ctx2, "#similar-summary"); !strings.Contains(s, "与学习材料原文重合") {
		t.Fatalf("summary %q", s)
	}
	marks, err := chromedp.Run(ctx2, chromedp.Evaluate[int](`document.querySelectorAll("#match-0 mark").length`))
	if err != nil || marks < 2 {
		t.Fatalf("%d marked passages (%v)", marks, err)
	}
	status := func() xinlu.ReflectionStatus {
		r, err := a.store.MyReflection(bg, member, c.ID)
		if err != nil || r == nil {
			t.Fatalf("reflection: %v", err)
		}
		return r.Status
	}

	// The head returns it with a comment; the member reads the comment on
	// the phone, adds to the text and hands it in again; the head accepts.
	comment := "请结合本部门招商工作再展开"
	step(t, ctx2, "return with a comment",
		chromedp.SendKeys("#comment", comment),
		chromedp.Click("#return"),
		chromedp.WaitNotPresent("#return"),
	)
	if got := status(); got != xinlu.ReflectionReturned {
		t.Fatalf("after returning: %s", got)
	}
	again := "我所在的部门将围绕装备制造产业链开展驻点招商。"
	step(t, ctx, "read the comment and add to the text",
		chromedp.Navigate(page),
		chromedp.WaitVisible("#review-comment"),
		chromedp.SendKeys("#body", again),
	)
	if s := text(t, ctx, "#review-comment"); !strings.Contains(s, comment) {
		t.Fatalf("the member sees %q, not the comment", s)
	}
	step(t, ctx, "hand it in again", chromedp.Click("#submit"), chromedp.WaitVisible("#mine-table"))
	if got := status(); got != xinlu.ReflectionResubmitted {
		t.Fatalf("after handing in again: %s", got)
	}
	if got := stored(); !strings.Contains(got, again) || !strings.Contains(got, first+more) {
		t.Fatalf("the resubmitted text %q", got)
	}
	step(t, ctx2, "accept",
		chromedp.Navigate(a.http.URL+"/study/reflections/"+strconvFormat(r.ID)),
		chromedp.WaitVisible("#accept"),
		chromedp.Click("#accept"),
		chromedp.WaitNotPresent("#accept"),
	)
	if got := status(); got != xinlu.ReflectionAccepted {
		t.Fatalf("after accepting: %s", got)
	}
}

// A member on a phone types a draft, then hands in a Word document
// instead: the upload goes at the version the autosave reached, and the
// editor shows the document's text; a scan is kept with the member told
// to paste the text.
func TestBrowserStudyUpload(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	bg := context.Background()
	office := a.users[xinlu.RoleDiscipline]
	c, err := a.store.SaveCampaign(bg, xinlu.ActorOf(office, ""), office, &xinlu.Campaign{Title: "上传学习活动", SourceText: studyMaterialText,
		Audience: xinlu.AudienceZone, OpensOn: "2026-01-05", ClosesOn: "2099-12-31", MinLength: 30}, 0)
	if err == nil {
		c, err = a.store.CampaignAction(bg, xinlu.ActorOf(office, ""), office, c.ID, c.Version, xinlu.CampaignOpenAction)
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	own := "我要把服务窗口合并起来，让企业少跑腿，把项目盯到落地投产。"
	doc := filepath.Join(dir, "我的心得.docx")
	if err := os.WriteFile(doc, wordDoc(t, "学习心得", own), 0o600); err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(dir, "扫描件.pdf")
	if err := os.WriteFile(scan, []byte(scanPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	login(t, ctx, a, "member")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	page := a.http.URL + "/study/campaigns/" + strconvFormat(c.ID) + "/write"
	step(t, ctx, "type a draft",
		chromedp.Navigate(page),
		chromedp.WaitVisible("#body"),
		chromedp.SendKeys("#body", "先写几句草稿。"),
		chromedp.Poll[chromedp.Void](`document.getElementById("draft-note").innerText.includes("草稿已保存")`),
	)
	step(t, ctx, "upload the document",
		chromedp.SetUploadFiles("#file", []string{doc}),
		chromedp.Click("#do-upload"),
		chromedp.WaitVisible("#kept-file"),
	)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("body").value`))
	if err != nil || !strings.Contains(got, own) {
		t.Fatalf("after the upload the editor holds %q (%v)", got, err)
	}
	if s := text(t, ctx, "#kept-file"); !strings.Contains(s, "我的心得.docx") {
		t.Fatalf("kept file %q", s)
	}
	step(t, ctx, "upload a scan",
		chromedp.SetUploadFiles("#file", []string{scan}),
		chromedp.Click("#do-upload"),
		chromedp.WaitVisible("#no-text"),
	)
	if s := text(t, ctx, "#no-text"); !strings.Contains(s, "扫描件.pdf") || !strings.Contains(s, "粘贴") {
		t.Fatalf("no-text notice %q", s)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil || wide {
		t.Errorf("the editor scrolls sideways on a phone (%v)", err)
	}
	r, err := a.store.MyReflection(bg, a.users[xinlu.RoleMember], c.ID)
	if err != nil || r == nil || !strings.Contains(r.Body, own) {
		t.Fatalf("stored %+v %v", r, err)
	}
}
