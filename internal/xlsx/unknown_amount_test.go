package xlsx

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// ledgerYuan is an amount read from a ledger, 0 when unknown.
func ledgerYuan(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// TestReadLedgerUnknownAndApproximateAmounts: 待定, an empty cell and the
// other placeholders are unknown (nil), not 0; an approximation or a range
// keeps its figure and is listed as a note that says so; text that is no
// amount is named.
func TestReadLedgerUnknownAndApproximateAmounts(t *testing.T) {
	rows := [][]any{
		{"项目名称", "企业名称", "总投资（万元）", "其中：固定资产投资（万元）", "项目进展"},
		{"甲项目", "甲公司", "待定", nil, "洽谈中"},
		{"乙项目", "乙公司", nil, "面议", "洽谈中"},
		{"丙项目", "丙公司", "约 5000", "3000-4000", "洽谈中"},
		{"丁项目", "丁公司", 0, 0, "洽谈中"},
		{"戊项目", "戊公司", "五千万", nil, "洽谈中"},
	}
	l := readLedgerBytes(t, ledgerBook(t, rows), LedgerOptions{})
	if len(l.Rows) != 5 {
		t.Fatalf("%d rows", len(l.Rows))
	}
	for i, r := range l.Rows[:2] {
		if r.TotalInvestmentYuan != nil || r.FixedInvestmentYuan != nil {
			t.Errorf("row %d: unknown amounts read as %v, %v", i, r.TotalInvestmentYuan, r.FixedInvestmentYuan)
		}
	}
	if r := l.Rows[2]; ledgerYuan(r.TotalInvestmentYuan) != 50_000_000 || ledgerYuan(r.FixedInvestmentYuan) != 30_000_000 {
		t.Errorf("approximations read as %v, %v", r.TotalInvestmentYuan, r.FixedInvestmentYuan)
	}
	if r := l.Rows[3]; r.TotalInvestmentYuan == nil || *r.TotalInvestmentYuan != 0 {
		t.Errorf("a written 0 read as %v", r.TotalInvestmentYuan)
	}
	checkProblems(t, l, []string{
		"6|总投资（万元）|金额无法识别「五千万」",
	})
	// Approximations do not stop the import: they are notes naming the
	// figure imported.
	var notes []string
	for _, n := range l.Notes {
		notes = append(notes, strconv.Itoa(n.Row)+"|"+n.Column+"|"+n.Message)
	}
	want := []string{"4|总投资（万元）|「约 5000」是约数，按 5000 导入", "4|其中：固定资产投资（万元）|「3000-4000」是范围，按下限 3000 导入"}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(want, "\n"))
	}
}

// TestLedgerReportUnknownAmounts: an unknown investment is the text 待定 in
// the export, known ones stay numbers, and the 合计 row leaves it out and
// says how many.
func TestLedgerReportUnknownAmounts(t *testing.T) {
	tr := func(key string, args ...any) string {
		switch key {
		case "amount.unknown":
			return "待定"
		case "amount.sum_row_unknown":
			return strings.Replace("合计（另有 %d 个项目金额待定）", "%d", "2", 1)
		}
		return key
	}
	five := int64(50_000_000)
	rep := ProjectLedgerReport(tr, "开发区", "张三", time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC), []ProjectLedgerRow{
		{Name: "甲", TotalYuan: &five, Industry: "other", Stage: "packaging", Status: "active"},
		{Name: "乙", Industry: "other", Stage: "packaging", Status: "active"},
		{Name: "丙", Industry: "other", Stage: "packaging", Status: "active"},
	})
	var buf bytes.Buffer
	if err := rep.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	if v, _ := f.GetCellValue(sheet, "G4"); v != "5,000.00" {
		t.Errorf("known amount %q", v)
	}
	if typ, _ := f.GetCellType(sheet, "G4"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("known amount written as text")
	}
	for _, c := range []string{"G5", "G6"} {
		if v, _ := f.GetCellValue(sheet, c); v != "待定" {
			t.Errorf("%s unknown amount %q", c, v)
		}
	}
	if v, _ := f.GetCellValue(sheet, "A7"); v != "合计（另有 2 个项目金额待定）" {
		t.Errorf("total label %q", v)
	}
	if v, _ := f.GetCellValue(sheet, "G7"); v != "5,000.00" {
		t.Errorf("total %q", v)
	}
}
