package xlsx

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86": "'+86", "-3": "'-3", "@SUM(A1)": "'@SUM(A1)", "正常": "正常", "": ""} {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, in := range []string{"2026-05-18", "2026/5/18", "2026.5.18", "2026年5月18日", "05-18-26"} {
		d, ok := ParseDate(in)
		if !ok || d.Format("2006-01-02") != "2026-05-18" {
			t.Errorf("ParseDate(%q) = %v %v", in, d, ok)
		}
	}
	if _, ok := ParseDate("下周一"); ok {
		t.Error("nonsense parsed")
	}
}

func TestMatchColumns(t *testing.T) {
	got := MatchColumns([]string{"序号", "项目名称", "总投资（万元）", "日期 "}, map[string][]string{
		"name": {"项目名称", "名称"}, "amount": {"总投资", "投资额"}, "date": {"日期"}, "missing": {"无"}})
	if got["name"] != 1 || got["amount"] != 2 || got["date"] != 3 {
		t.Fatalf("got %v", got)
	}
	if _, ok := got["missing"]; ok {
		t.Fatal("missing column matched")
	}
}

func TestReportWrite(t *testing.T) {
	r := &Report{Title: "花名册", Unit: "测试开发区", Columns: []Column{{Header: "工号"}, {Header: "金额（万元）", Kind: Money}},
		Rows: [][]any{{"=cmd", int64(1234500)}, {"007", int64(10000)}}, SumCols: []int{1}}
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Sheet1")
	if rows[0][0] != "花名册" || rows[2][1] != "金额（万元）" || rows[3][0] != "'=cmd" || rows[4][0] != "007" {
		t.Fatalf("rows %q", rows)
	}
	if v, _ := f.GetCellValue("Sheet1", "B6", excelize.Options{RawCellValue: true}); v != "124.45" {
		t.Fatalf("sum %q", v)
	}
}
