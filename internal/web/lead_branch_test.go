package web_test

import (
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// A branch's report shows its company as a duplicate marked as a branch;
// the same company is not marked.
func TestDuplicateBranchIsMarked(t *testing.T) {
	a := newApp(t)
	member := a.as(xinlu.RoleMember)
	r := member.postForm("/leads", reportLeadForm("山西华晋新材料股份有限公司"))
	first := leadPathRE.FindStringSubmatch(r.Header.Get("Location"))
	if first == nil {
		t.Fatalf("report: %d", r.StatusCode)
	}
	r = member.postForm("/leads", reportLeadForm("山西华晋新材料股份有限公司太原分公司"))
	show := member.get(r.Header.Get("Location"))
	if !strings.Contains(show.body, `href="/leads/`+first[1]+`"`) || !strings.Contains(show.body, `class="tag tag-blue dup-relation">分支机构</span>`) {
		t.Fatalf("the branch's duplicate is not shown as a branch: %d", show.StatusCode)
	}
	r = member.postForm("/leads", reportLeadForm("华晋新材料（太原）有限公司"))
	show = member.get(r.Header.Get("Location"))
	if n := strings.Count(show.body, "dup-relation"); !strings.Contains(show.body, `href="/leads/`+first[1]+`"`) || n != 1 {
		t.Fatalf("the company's duplicates: %d marked, want the branch only", n)
	}
}
