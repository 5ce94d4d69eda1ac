package web_test

import (
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// An amount the ledger gives approximately (约 5000, a range) is imported
// with its figure and named in the dry run; a placeholder is imported as
// unknown; neither stops the import.
func TestLedgerImportTakesApproximateAmounts(t *testing.T) {
	a := newApp(t)
	planner := a.as(xinlu.RolePlanner)
	book := otherZoneLedger(t, []string{"项目名称", "企业名称", "总投资（万元）", "其中：固定资产投资（万元）", "项目进展"}, [][]string{
		{"约数项目", "约数有限公司", "约 5000", "3000-4000", "在谈"},
		{"待定项目", "待定有限公司", "待定", "", "在谈"},
	})
	r := planner.upload("/projects/import", "approx.xlsx", book)
	if r.StatusCode != 200 || !strings.Contains(r.body, `id="import-preview"`) {
		t.Fatalf("dry run: %d %s", r.StatusCode, firstError(r.body))
	}
	for _, want := range []string{"「约 5000」是约数，按 5000 导入", "「3000-4000」是范围，按下限 3000 导入"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the dry run does not say %q", want)
		}
	}
	if r := planner.postForm("/projects/import/commit", carried(t, r.body)); r.StatusCode != 303 {
		t.Fatalf("commit: %d %s", r.StatusCode, firstError(r.body))
	}
	ps := projectsByName(t, a)
	approx, unknown := ps["约数项目"], ps["待定项目"]
	if approx == nil || unknown == nil {
		t.Fatalf("projects %v", ps)
	}
	if approx.Plan.TotalYuan == nil || *approx.Plan.TotalYuan != 50_000_000 || approx.Plan.FixedAssetYuan == nil || *approx.Plan.FixedAssetYuan != 30_000_000 {
		t.Errorf("approximate amounts imported as %v, %v", approx.Plan.TotalYuan, approx.Plan.FixedAssetYuan)
	}
	if unknown.Plan.TotalYuan != nil {
		t.Errorf("待定 imported as %d", *unknown.Plan.TotalYuan)
	}
}
