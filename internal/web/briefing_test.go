package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// docxParagraphs reads a .docx answer back: the text of every paragraph of its
// document part (table cells included), in order.
func docxParagraphs(t *testing.T, res response) []string {
	t.Helper()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "wordprocessingml") {
		t.Fatalf("docx: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	b := []byte(res.body)
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a Word package: %v", err)
	}
	var doc []byte
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			doc, _ = io.ReadAll(r)
			r.Close()
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var out []string
	var cur strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == "p" {
				cur.Reset()
			}
			inText = e.Name.Local == "t"
		case xml.EndElement:
			if e.Name.Local == "p" {
				out = append(out, cur.String())
			}
			inText = false
		case xml.CharData:
			if inText {
				cur.Write(e)
			}
		}
	}
	return out
}

var numberRE = regexp.MustCompile(`[0-9][0-9,]*(\.[0-9]+)?`)

// briefingNumbers are the figures of the briefing on a page (the article
// only, tags dropped) in order.
func briefingNumbers(t *testing.T, body string) []string {
	t.Helper()
	i, j := strings.Index(body, `<article class="briefing"`), strings.Index(body, `</article>`)
	if i < 0 || j < i {
		t.Fatalf("no briefing on the page")
	}
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body[i:j], " ")
	return numberRE.FindAllString(text, -1)
}

func TestBriefingPagesAndWord(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	month := a.shanghaiDay(0)[:7]
	p := a.signWithSchedule("碳纤维项目", a.shanghaiDay(0), 123_456_789)
	agent := a.users[xinlu.RoleAgent]
	if err := a.store.RecordFunds(ctx, xinlu.ActorOf(agent, "127.0.0.1"), agent, p.ID, store.Funds{OnDate: a.shanghaiDay(0), Yuan: 2_345_678}); err != nil {
		t.Fatal(err)
	}
	a.recordIncentive(&xinlu.Incentive{ZoneID: a.zone.ID, MemberID: a.users[xinlu.RoleMember].MemberID, Kind: xinlu.IncentiveReward, AmountYuan: 41300,
		Reason: "引进项目签约", OccurredOn: a.shanghaiDay(0)}, true)

	director, head, member := a.as(xinlu.RoleDirector), a.as(xinlu.RoleHead), a.as(xinlu.RoleMember)
	if m := menuLinks(t, director); !m["/briefings"] {
		t.Fatal("the director's menu lacks the briefings")
	}
	if m := menuLinks(t, member); m["/briefings"] {
		t.Fatal("a member's menu offers the briefings")
	}
	if res := member.get("/briefings/draft?month=" + month); res.StatusCode != 403 {
		t.Fatalf("member reads a draft: %d", res.StatusCode)
	}

	draft := director.get("/briefings/draft?month=" + month)
	if draft.StatusCode != 200 {
		t.Fatalf("draft: %d", draft.StatusCode)
	}
	for _, want := range []string{`<a href="/projects/` + strconvFormat(p.ID) + `">碳纤维项目</a>`, "12,345.68", "234.57", "41,300", "（草稿）", `id="briefing-issue"`, `id="red-head-toggle"`} {
		if !strings.Contains(draft.body, want) {
			t.Errorf("draft lacks %q", want)
		}
	}
	if res := head.get("/briefings/draft?month=" + month); res.StatusCode != 200 || strings.Contains(res.body, `id="briefing-issue"`) {
		t.Fatalf("head's draft: %d, offered to issue", res.StatusCode)
	}
	// The Word file carries the page's figures, in the same order.
	word := docxParagraphs(t, director.get("/briefings/draft/docx?month="+month))
	if got, want := numberRE.FindAllString(strings.Join(word, " "), -1), briefingNumbers(t, draft.body); len(want) < 10 || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("docx figures %v, page figures %v", got, want)
	}
	if !strings.Contains(strings.Join(word, "|"), "碳纤维项目") || word[0] != a.zone.Name {
		t.Fatalf("docx text %q", word)
	}

	// Issue: the director alone; a comment is required and kept as typed on error.
	csrf := director.csrfToken("/briefings/draft?month=" + month)
	if res := head.postForm("/briefings", url.Values{"csrf": {head.csrfToken("/briefings")}, "month": {month}, "comment": {"好"}}); res.StatusCode != 403 {
		t.Fatalf("head issues: %d", res.StatusCode)
	}
	long := strings.Repeat("长", 2001)
	if res := director.postForm("/briefings", url.Values{"csrf": {csrf}, "month": {month}, "comment": {long}}); res.StatusCode != 422 ||
		!strings.Contains(res.body, `id="err-comment"`) || !strings.Contains(res.body, long+"</textarea>") {
		t.Fatalf("long comment: %d", res.StatusCode)
	}
	res := director.postForm("/briefings", url.Values{"csrf": {csrf}, "month": {month}, "comment": {"红灯事项务必本周清零。"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "/briefings/") {
		t.Fatalf("issue: %d %s", res.StatusCode, loc)
	}
	issued := director.get(loc)
	if issued.StatusCode != 200 || !strings.Contains(issued.body, "红灯事项务必本周清零。") || strings.Contains(issued.body, `id="briefing-issue"`) ||
		strings.Contains(issued.body, "（草稿）") {
		t.Fatalf("issued page: %d", issued.StatusCode)
	}
	// Later funds leave the issued briefing as it was; its draft link opens it.
	if err := a.store.RecordFunds(ctx, xinlu.ActorOf(agent, "127.0.0.1"), agent, p.ID, store.Funds{OnDate: a.shanghaiDay(0), Yuan: 1_000_000}); err != nil {
		t.Fatal(err)
	}
	if res := director.get("/briefings/draft?month=" + month); res.StatusCode != 303 || res.Header.Get("Location") != loc {
		t.Fatalf("draft of an issued month: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	again := head.get(loc)
	if again.StatusCode != 200 || !strings.Contains(again.body, "234.57") || strings.Contains(again.body, "334.57") {
		t.Fatalf("issued figures changed: %d", again.StatusCode)
	}
	word = docxParagraphs(t, head.get(loc+"/docx"))
	if got, want := numberRE.FindAllString(strings.Join(word, " "), -1), briefingNumbers(t, again.body); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("issued docx figures %v, page figures %v", got, want)
	}
	if !strings.Contains(strings.Join(word, "|"), "红灯事项务必本周清零。") {
		t.Fatal("the issued docx lacks the comment")
	}
	if list := head.get("/briefings"); !strings.Contains(list.body, `href="`+loc+`"`) {
		t.Fatal("the list lacks the issued briefing")
	}
	if res := member.get(loc); res.StatusCode != 403 {
		t.Fatalf("member reads an issued briefing: %d", res.StatusCode)
	}
}
