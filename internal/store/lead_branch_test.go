package store_test

import (
	"fmt"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// A branch, plant or office is found with its company and flagged as a
// branch, however many other companies share the start of its name; a
// name of an industry word keeps its region.
func TestReportLeadFindsBranches(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		f := seedLeads(t, s)
		// Keys that start with 华晋 and sort before 华晋新材料: they fill
		// the probe of the bigram 华晋.
		for i := range 25 {
			f.report(t, "peer", fmt.Sprintf("华晋安%c科技有限公司", rune('甲'+i)), fmt.Sprintf("安防设备%d", i))
		}
		parent, _ := f.report(t, "reporter", "山西华晋新材料股份有限公司", "高性能碳纤维项目")
		branch, dups := f.report(t, "peer", "山西华晋新材料股份有限公司太原分公司", "智慧物流园区")
		if len(dups) != 1 || dups[0].ID != parent.ID || dups[0].Relation != xinlu.BranchOf || dups[0].Score >= 1 {
			t.Fatalf("branch's duplicates: %+v", dups)
		}
		// Two branches need alike projects.
		if _, dups = f.report(t, "peer", "华晋新材料驻上海办事处", "碳纤维复合材料"); len(dups) != 1 || dups[0].ID != parent.ID {
			t.Fatalf("office's duplicates: %+v", dups)
		}
		_, dups = f.report(t, "peer", "华晋新材料驻北京办事处", "物流园区仓储")
		rel := map[int64]xinlu.CompanyRelation{}
		for _, d := range dups {
			rel[d.ID] = d.Relation
		}
		if len(dups) != 2 || rel[parent.ID] != xinlu.BranchOf || rel[branch.ID] != xinlu.SiblingBranch {
			t.Fatalf("office's duplicates: %+v", dups)
		}
		_, dups = f.report(t, "reporter", "华晋新材料（太原）有限公司", "碳纤维二期")
		for _, d := range dups {
			if want := map[int64]xinlu.CompanyRelation{parent.ID: xinlu.SameCompany, branch.ID: xinlu.BranchOf}[d.ID]; want != "" && d.Relation != want {
				t.Errorf("%s: %s, want %s", d.Company, d.Relation, want)
			}
		}
		if len(dups) != 4 || dups[0].ID != parent.ID || dups[0].Score != 1 {
			t.Fatalf("company's duplicates: %+v", dups)
		}

		heavy, _ := f.report(t, "reporter", "太原重工股份有限公司", "矿山装备")
		if _, dups = f.report(t, "peer", "大同重工有限公司", "矿山装备"); len(dups) != 0 {
			t.Fatalf("大同重工 has duplicates %+v", dups)
		}
		if _, dups = f.report(t, "peer", "太原重工大同分公司", "风电装备"); len(dups) != 1 || dups[0].ID != heavy.ID || dups[0].Relation != xinlu.BranchOf {
			t.Fatalf("太原重工大同分公司's duplicates %+v", dups)
		}
	})
}
