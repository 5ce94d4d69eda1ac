package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const ledgerSample = "testdata/招商项目台账-样例.xlsx"

func readSample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(ledgerSample)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// formula is a cell the test book writes as a formula with a cached value,
// as Excel and LibreOffice save them.
type formula struct {
	expr  string
	value float64
}

// ledgerBook builds a one-sheet workbook "台账": rows from row 1 (nil cells
// stay empty) and merged ranges such as "A1:K1".
func ledgerBook(t testing.TB, rows [][]any, merges ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "台账"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	dateFmt := "yyyy\"年\"m\"月\"d\"日\""
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	for i, row := range rows {
		for j, v := range row {
			if v == nil {
				continue
			}
			c, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var err error
			switch v := v.(type) {
			case formula:
				if err = f.SetCellValue(sheet, c, v.value); err == nil {
					err = f.SetCellFormula(sheet, c, v.expr)
				}
			case time.Time:
				if err = f.SetCellValue(sheet, c, v); err == nil {
					err = f.SetCellStyle(sheet, c, c, dateStyle)
				}
			default:
				err = f.SetCellValue(sheet, c, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range merges {
		a, b, _ := strings.Cut(m, ":")
		if err := f.MergeCell(sheet, a, b); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readLedgerBytes(t testing.TB, b []byte, opts LedgerOptions) *Ledger {
	t.Helper()
	l, err := ReadLedger(bytes.NewReader(b), opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// ledgerHead is the header the bad-case books share.
var ledgerHead = []any{"序号", "项目名称", "投资主体", "总投资（万元）", "其中：固定资产投资（万元）", "项目进展", "签约时间", "开工时间", "投产时间", "包联领导", "备注"}

// ledgerTop is a title row, a unit row and the header.
func ledgerTop(unit string) [][]any {
	return [][]any{{"某开发区招商项目台账"}, {"填报单位：投资促进局", nil, nil, nil, nil, nil, nil, nil, nil, "单位：" + unit}, ledgerHead}
}

func TestReadLedgerSample(t *testing.T) {
	b := readSample(t)
	l := readLedgerBytes(t, b, LedgerOptions{})
	if l.Sheet != "项目台账" || l.HeaderRow != 3 || l.Unit != "万元" {
		t.Fatalf("sheet %q header %d unit %q", l.Sheet, l.HeaderRow, l.Unit)
	}
	if len(l.Problems) != 0 || !l.OK() {
		t.Fatalf("problems %v", l.Problems)
	}
	// 主要建设内容, 用地 and 累计到位资金 are carried; only 责任单位 is not
	// imported, and the dry run says so with the rows that fill it.
	if want := []string{"责任单位"}; !slices.Equal(l.IgnoredColumns, want) {
		t.Errorf("ignored %q", l.IgnoredColumns)
	}
	if len(l.NotImported) != 1 || l.NotImported[0].Header != "责任单位" || l.NotImported[0].Rows != 8 {
		t.Errorf("not imported %+v", l.NotImported)
	}
	const wan = 10000
	want := []LedgerRow{
		{Row: 5, Seq: "1", ProjectName: "高端数控机床生产基地项目", Company: "山西晋锐数控装备有限公司", Industry: "equipment",
			TotalInvestmentYuan: new(int64(120000 * wan)), FixedInvestmentYuan: new(int64(96000 * wan)), Stage: "construction",
			SignedOn: "2026-03-05", StartedOn: "2026-05-18", Sponsor: "张建国", Content: "建设数控机床生产线8条", FundsYuan: 45600 * wan, LandMu: 210, OK: true},
		{Row: 6, Seq: "2", ProjectName: "工业机器人精整中心项目", Company: "锐航机器人（太原）有限公司", Industry: "equipment",
			TotalInvestmentYuan: new(int64(35000 * wan)), FixedInvestmentYuan: new(int64(28000 * wan)), Stage: "agency",
			SignedOn: "2026-06-30", Sponsor: "李卫东", Note: "承诺制", Content: "机器人精整、机加中心", LandMu: 60, OK: true},
		// Under 一、智慧装备制造产业, but its own 所属产业 says 铸造: the row's column wins.
		{Row: 7, Seq: "3", ProjectName: "智能铸造产能置换项目", Company: "晋中市恒泰铸造有限责任公司", Industry: "casting",
			TotalInvestmentYuan: new(int64(68000 * wan)), FixedInvestmentYuan: new(int64(60000 * wan)), Stage: "promotion",
			Sponsor: "王志强", Note: "需产能置换方案公告", Content: "蠕墨铸铁件10万吨，置换退出产能12万吨", LandMu: 150, OK: true},
		{Row: 9, Seq: "4", ProjectName: "爆炸复合材料产业化项目", Company: "华泰复合材料科技股份有限公司", Industry: "materials",
			TotalInvestmentYuan: new(int64(42000 * wan)), FixedInvestmentYuan: new(int64(36000 * wan)), Stage: "production",
			SignedOn: "2025-09-12", StartedOn: "2025-11-01", Sponsor: "赵立新", Content: "金属爆炸复合板3万吨", FundsYuan: 42000 * wan, LandMu: 95, OK: true},
		{Row: 10, Seq: "5", ProjectName: "耐磨材料深加工项目", Company: "运城市耐磨新材有限公司", Industry: "materials",
			TotalInvestmentYuan: new(int64(18500 * wan)), FixedInvestmentYuan: new(int64(15000 * wan)), Stage: "construction",
			SignedOn: "2026-02-10", StartedOn: "2026-04-02", Sponsor: "赵立新", Content: "高铬耐磨球、衬板", FundsYuan: 9800 * wan, LandMu: 40, OK: true},
		{Row: 13, Seq: "6", ProjectName: "原料药绿色生产项目", Company: "晋康生物医药有限公司", Industry: "biomedicine",
			TotalInvestmentYuan: new(int64(56000 * wan)), FixedInvestmentYuan: new(int64(45000 * wan)), Stage: "packaging",
			Sponsor: "孙明", Note: "环评待批", Content: "原料药及中间体生产线", LandMu: 120, OK: true},
		{Row: 14, Seq: "7", ProjectName: "医用敷料生产项目", Company: "山西康源医疗器械有限公司", Industry: "biomedicine",
			TotalInvestmentYuan: new(int64(9600 * wan)), FixedInvestmentYuan: new(int64(8000 * wan)), Stage: "agency",
			SignedOn: "2026-08-19", Sponsor: "孙明", Content: "医用敷料、防护用品", FundsYuan: 1200 * wan, LandMu: 25, OK: true},
		{Row: 16, Seq: "8", ProjectName: "食品精深加工项目", Company: "晋味源食品股份有限公司", Industry: "light_industry",
			TotalInvestmentYuan: new(int64(23000 * wan)), FixedInvestmentYuan: new(int64(19000 * wan)), Stage: "agency",
			SignedOn: "2026-09-08", Sponsor: "周涛", Content: "杂粮精深加工", FundsYuan: 3000 * wan, LandMu: 48, OK: true},
	}
	if len(l.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(l.Rows), len(want), l.Rows)
	}
	var sum int64
	for i := range want {
		if !reflect.DeepEqual(l.Rows[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, l.Rows[i], want[i])
		}
		sum += ledgerYuan(l.Rows[i].TotalInvestmentYuan)
	}
	// The 合计 row (SUM(E4:E16) = 372100) is skipped, and agrees with the rows read.
	if sum != 372100*wan {
		t.Errorf("total %d", sum)
	}

	// Keys are stable across imports and distinct within the file; the same
	// workbook saved uncompressed reads the same.
	again := readLedgerBytes(t, storedZip(t, b), LedgerOptions{})
	if !reflect.DeepEqual(again.Rows, l.Rows) {
		t.Errorf("stored zip: %+v", again.Rows)
	}
	keys := map[string]bool{}
	for i, r := range l.Rows {
		if r.Key() != again.Rows[i].Key() || keys[r.Key()] {
			t.Errorf("key %q", r.Key())
		}
		keys[r.Key()] = true
	}
	if got := l.Rows[1].Key(); got != LedgerKey("锐航机器人(太原)有限公司", "工业机器人 精整中心项目") {
		t.Errorf("key %q does not fold brackets and spaces", got)
	}
}

// ledgerProblems renders problems as "row|column|message" for comparison.
func ledgerProblems(l *Ledger) []string {
	var out []string
	for _, p := range l.Problems {
		out = append(out, fmt.Sprintf("%d|%s|%s", p.Row, p.Column, p.Message))
	}
	return out
}

func checkProblems(t *testing.T, l *Ledger, want []string) {
	t.Helper()
	got := ledgerProblems(l)
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
}

func TestReadLedgerReportsEveryBadRow(t *testing.T) {
	rows := append(ledgerTop("万元"),
		[]any{"一、智慧装备制造产业"},
		[]any{1, "好项目", "甲公司", 1000, 800, "已开工", "2026-02-30", "2026年5月18日"}, // bad date
		[]any{2, "金额项目", "乙公司", "一千", "-5", "在谈"},                            // bad and negative amounts
		[]any{3, "进展项目", "丙公司", 100, nil, "研究中"},                             // unknown stage
		[]any{4, nil, "丁公司", 100, nil, "前期"},                                 // missing name
		[]any{5, "好项目", "甲公司（北京）", 200, nil, "在谈"},                           // duplicate of row 5 (region in brackets folds away)
		[]any{6, "固投项目", "戊公司", 100, 150, "已签约", "2026年3月"},                  // fixed > total, month-only date
		[]any{7, "空进展项目", "己公司", 100, nil, nil, nil, nil, "1900-01-01"},      // empty stage, date out of range
		[]any{8, "正常项目", "庚公司", "1,000.5", "1.2亿", "已签约", time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)},
		[]any{"合计", nil, nil, formula{"SUM(D5:D12)", 1000}},
		[]any{"注：项目进展分为前期、在谈、已签约、已开工、已投产。"},
	)
	l := readLedgerBytes(t, ledgerBook(t, rows, "A1:K1", "A4:K4", "A14:K14"), LedgerOptions{})
	checkProblems(t, l, []string{
		"5|签约时间|日期无法识别「2026-02-30」",
		"6|总投资（万元）|金额无法识别「一千」",
		"6|其中：固定资产投资（万元）|金额不能为负数「-5」",
		"7|项目进展|无法识别的项目进展「研究中」",
		"8|项目名称|不能为空",
		"9|项目名称|与第 5 行重复（项目名称和投资主体相同）",
		"10|其中：固定资产投资（万元）|固定资产投资不能大于总投资",
		"10|签约时间|请填写到具体日期「2026年3月」",
		"11|项目进展|不能为空",
		"11|投产时间|日期超出范围「1900-01-01」",
		"12|其中：固定资产投资（万元）|固定资产投资不能大于总投资",
	})
	if l.OK() || len(l.Rows) != 8 {
		t.Fatalf("ok %v rows %d", l.OK(), len(l.Rows))
	}
	last := l.Rows[7]
	if last.Row != 12 || ledgerYuan(last.TotalInvestmentYuan) != 10005000 || ledgerYuan(last.FixedInvestmentYuan) != 120000000 ||
		last.SignedOn != "2026-03-05" || last.Stage != "agency" || last.Industry != "equipment" || last.OK {
		t.Errorf("row 12 %+v", last)
	}
	if r := l.Rows[0]; r.StartedOn != "2026-05-18" || r.SignedOn != "" || r.OK {
		t.Errorf("row 5 %+v", r)
	}

	// The caller can hand the user's own workbook back with 错误原因.
	var marked bytes.Buffer
	if err := MarkErrors(bytes.NewReader(ledgerBook(t, rows, "A1:K1")), l.Sheet, l.HeaderRow, l.Problems, &marked); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&marked)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if h, _ := f.GetCellValue("台账", "L3"); h != "错误原因" {
		t.Errorf("header %q", h)
	}
	if v, _ := f.GetCellValue("台账", "L9"); !strings.Contains(v, "「项目名称」与第 5 行重复") {
		t.Errorf("row 9 %q", v)
	}
}

func TestReadLedgerHeaderVariants(t *testing.T) {
	// No title, no unit note, amounts in 亿元 by the header, line breaks and
	// full-width brackets in the header, an industry column and no sections.
	rows := [][]any{
		{"项目", "企业名称", "产业", "计划总投资\n（亿元）", "其中:固投(万元)", "所处阶段", "签约日期", "开工时间", "投产时间", "责任领导", "所在园区", "联系人", "备注\n说明"},
		{"光伏支架项目", "某某科技有限公司", "智能装备", "1.5", "3000万", "洽谈中", nil, nil, nil, "王五", "装备制造产业园", "李四 13800000000", "第一行\n第二行"},
		{"中药饮片项目", "某某药业", "生物医药", "0.8", "5,000", "已投产", "2024/1/2", "20240301", "２０２５年１月１日", nil, "生物医药产业园"},
		{"铸件项目", "某某铸业", "铸造", "2亿", "1.2亿", "达产", nil, nil, "2025-06-30 00:00:00"},
	}
	l := readLedgerBytes(t, ledgerBook(t, rows), LedgerOptions{})
	if len(l.Problems) != 0 {
		t.Fatalf("problems %v", ledgerProblems(l))
	}
	if l.HeaderRow != 1 || l.Unit != "万元" || len(l.IgnoredColumns) != 0 {
		t.Fatalf("header %d unit %q ignored %q", l.HeaderRow, l.Unit, l.IgnoredColumns)
	}
	want := []LedgerRow{
		{Row: 2, ProjectName: "光伏支架项目", Company: "某某科技有限公司", Industry: "equipment", TotalInvestmentYuan: new(int64(150000000)),
			FixedInvestmentYuan: new(int64(30000000)), Stage: "promotion", Sponsor: "王五", Park: "装备制造产业园",
			Contact: "李四 13800000000", Note: "第一行\n第二行", OK: true},
		{Row: 3, ProjectName: "中药饮片项目", Company: "某某药业", Industry: "biomedicine", TotalInvestmentYuan: new(int64(80000000)),
			FixedInvestmentYuan: new(int64(50000000)), Stage: "production", SignedOn: "2024-01-02", StartedOn: "2024-03-01",
			ProducedOn: "2025-01-01", Park: "生物医药产业园", OK: true},
		{Row: 4, ProjectName: "铸件项目", Company: "某某铸业", Industry: "casting", TotalInvestmentYuan: new(int64(200000000)),
			FixedInvestmentYuan: new(int64(120000000)), Stage: "full_production", ProducedOn: "2025-06-30", OK: true},
	}
	for i := range want {
		if !reflect.DeepEqual(l.Rows[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, l.Rows[i], want[i])
		}
	}
}

func TestReadLedgerSkipsWhatIsNotAProject(t *testing.T) {
	date := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	rows := [][]any{
		{"2026年重点招商项目台账（单位：元）"},
		{"序号", "项目名称", "投资方（企业名称）", "投资额（万元）", nil, "项目进展", "签约时间"}, // two-level header
		{nil, nil, nil, "总投资", "其中：固定资产投资", nil, nil},
		{"甲", "乙", 1, 2, 3, 4, 5},                   // column numbers
		{"一、智慧装备制造产业（2个）", nil, nil, 300, 250},      // section with a subtotal
		{"（一）续建项目"},                                 // sub-section keeps the industry
		{1, "甲项目", "同一公司", 100, 50, "在建", date},     // company merged over two rows
		{2, "乙项目", nil, 200, 200, "在建", nil},        // takes the merged company and date
		{"小计", nil, nil, 300, 250},                  // subtotal
		{nil, nil, nil, formula{"SUM(D7:D8)", 300}}, // unlabelled total
		{"序号", "项目名称", "投资方（企业名称）", "投资额（万元）", nil, "项目进展"}, // repeated header
		{"二、新能源产业"}, // unknown industry section
		{3, "丙项目", "丙公司", 10, 5, "前期阶段"},
		{"三 、 其 他"}, // other
		{4, "丁项目", "丁公司", 10, 5, "签约"},
		{},
		{"注："},
		{"1. 金额单位为万元。"},
		{"2. 项目进展分为前期、在谈、已签约、已开工、已投产。"},
		{"填报人：张三", nil, "审核人：李四"},
	}
	l := readLedgerBytes(t, ledgerBook(t, rows, "A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3",
		"A5:C5", "A6:G6", "C7:C8", "G7:G8", "A12:G12", "A14:G14", "A17:G17", "A18:G18", "A19:G19"), LedgerOptions{})
	if l.HeaderRow != 3 || l.Unit != "元" {
		t.Errorf("header %d unit %q", l.HeaderRow, l.Unit)
	}
	checkProblems(t, l, []string{
		"13|所属产业|所在分组「二、新能源产业」的产业无法识别",
	})
	want := []LedgerRow{
		// The header says 万元 (from 投资额（万元） over both columns); the title's 元 does not apply.
		{Row: 7, Seq: "1", ProjectName: "甲项目", Company: "同一公司", Industry: "equipment", TotalInvestmentYuan: new(int64(1000000)),
			FixedInvestmentYuan: new(int64(500000)), Stage: "construction", SignedOn: "2026-04-01", OK: true},
		{Row: 8, Seq: "2", ProjectName: "乙项目", Company: "同一公司", Industry: "equipment", TotalInvestmentYuan: new(int64(2000000)),
			FixedInvestmentYuan: new(int64(2000000)), Stage: "construction", SignedOn: "2026-04-01", OK: true},
		{Row: 13, Seq: "3", ProjectName: "丙项目", Company: "丙公司", TotalInvestmentYuan: new(int64(100000)),
			FixedInvestmentYuan: new(int64(50000)), Stage: "packaging"},
		{Row: 15, Seq: "4", ProjectName: "丁项目", Company: "丁公司", Industry: "other", TotalInvestmentYuan: new(int64(100000)),
			FixedInvestmentYuan: new(int64(50000)), Stage: "agency", OK: true},
	}
	if len(l.Rows) != len(want) {
		t.Fatalf("rows %+v", l.Rows)
	}
	for i := range want {
		if !reflect.DeepEqual(l.Rows[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, l.Rows[i], want[i])
		}
	}
}

func TestReadLedgerUnitsAndOptions(t *testing.T) {
	head := []any{"项目名称", "公司", "总投资", "项目状态", "行业"}
	rows := [][]any{
		head,
		{"甲项目", "甲公司", "96,000", "储备", "新能源"},
		{"乙项目", "乙公司", 1234.56, "甄别中", "新能源"},
	}
	b := ledgerBook(t, rows)
	// No unit note: the default is 万元; 储备 and 甄别 are lead and screening.
	l := readLedgerBytes(t, b, LedgerOptions{})
	checkProblems(t, l, []string{"2|行业|无法识别的产业「新能源」", "3|行业|无法识别的产业「新能源」"})
	if ledgerYuan(l.Rows[0].TotalInvestmentYuan) != 960000000 || ledgerYuan(l.Rows[1].TotalInvestmentYuan) != 12345600 ||
		l.Rows[0].Stage != "lead" || l.Rows[1].Stage != "screening" {
		t.Errorf("rows %+v", l.Rows)
	}
	// A zone's own words; amounts in 元 by default.
	l = readLedgerBytes(t, b, LedgerOptions{DefaultUnit: "元", Industries: map[string]string{"新能源": "new_energy"},
		Stages: map[string]string{"储备": "packaging"}})
	if len(l.Problems) != 0 || l.Unit != "元" || ledgerYuan(l.Rows[0].TotalInvestmentYuan) != 96000 || ledgerYuan(l.Rows[1].TotalInvestmentYuan) != 1235 ||
		l.Rows[0].Industry != "new_energy" || l.Rows[0].Stage != "packaging" {
		t.Errorf("problems %v rows %+v", l.Problems, l.Rows)
	}
}

func TestReadLedgerRefusesFiles(t *testing.T) {
	read := func(b []byte, opts LedgerOptions) error {
		_, err := ReadLedger(bytes.NewReader(b), opts)
		return err
	}
	if err := read([]byte("项目名称,项目进展\n甲,在谈\n"), LedgerOptions{}); !errors.Is(err, ErrLedgerNotWorkbook) {
		t.Errorf("csv: %v", err)
	}
	if err := read(nil, LedgerOptions{}); !errors.Is(err, ErrLedgerNotWorkbook) {
		t.Errorf("empty: %v", err)
	}
	if err := read(append([]byte("PK\x03\x04"), make([]byte, 100)...), LedgerOptions{}); !errors.Is(err, ErrLedgerNotWorkbook) {
		t.Errorf("broken zip: %v", err)
	}
	sample := readSample(t)
	if err := read(sample, LedgerOptions{MaxBytes: 1000}); !errors.Is(err, ErrLedgerTooLarge) {
		t.Errorf("too large: %v", err)
	}
	if err := read(sample, LedgerOptions{MaxRows: 7}); !errors.Is(err, ErrLedgerTooManyRows) {
		t.Errorf("too many rows: %v", err)
	}
	if err := read(sample, LedgerOptions{MaxRows: 8}); err != nil {
		t.Errorf("8 rows: %v", err)
	}
	if err := read(sample, LedgerOptions{Sheet: "Sheet2"}); !errors.Is(err, ErrLedgerSheetMissing) {
		t.Errorf("sheet: %v", err)
	}
	var he *LedgerHeaderError
	err := read(ledgerBook(t, [][]any{{"台账"}, {"项目名称", "投资主体", "总投资"}, {"甲", "乙", 1}}), LedgerOptions{})
	if !errors.As(err, &he) || !slices.Equal(he.Missing, []string{"项目进展"}) || !strings.Contains(err.Error(), "缺少：项目进展") {
		t.Errorf("no header: %v", err)
	}
	if err := read(ledgerBook(t, [][]any{{"项目名称", "项目进展"}, {"合计"}}), LedgerOptions{}); !errors.Is(err, ErrLedgerEmpty) {
		t.Errorf("empty ledger: %v", err)
	}
}

func TestReadLedgerFindsTheLedgerSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "填写说明")
	f.SetCellValue("填写说明", "A1", "请按模板填写")
	f.NewSheet("汇总")
	sw, _ := f.NewStreamWriter("汇总")
	sw.SetRow("A5", []any{"项目名称", "进展", "投资主体"})
	sw.SetRow("A6", []any{"甲项目", "已达产", "甲公司"})
	sw.SetRow("A1048576", []any{"注：最后一行"}) // the last row Excel has
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	l := readLedgerBytes(t, buf.Bytes(), LedgerOptions{})
	if l.Sheet != "汇总" || l.HeaderRow != 5 || len(l.Rows) != 1 || l.Rows[0].Stage != "full_production" || !l.OK() {
		t.Fatalf("%+v", l)
	}
}

func TestReadLedger1904Dates(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("Sheet1", "A1", &[]any{"项目名称", "项目进展", "签约时间"})
	// 2026-03-05 is serial 46086 from 1900, 44624 from 1904.
	f.SetSheetRow("Sheet1", "A2", &[]any{"甲项目", "已签约", 44624})
	var buf bytes.Buffer
	f.Write(&buf)
	l := readLedgerBytes(t, buf.Bytes(), LedgerOptions{})
	if l.Rows[0].SignedOn != "2026-03-05" {
		t.Errorf("signed %q", l.Rows[0].SignedOn)
	}
}

func TestParseAmount(t *testing.T) {
	const wan = 10000
	for _, c := range []struct {
		in   string
		unit int64
		want int64
		msg  string
	}{
		{"", wan, 0, ""},
		{"/", wan, 0, ""},
		{"120000", wan, 1200000000, ""},
		{"96,000", wan, 960000000, ""},
		{"９６，０００", wan, 960000000, ""},
		{" 96 000 ", wan, 960000000, ""},
		{"1.2亿", wan, 120000000, ""},
		{"1.2亿元", 1, 120000000, ""},
		{"3000万", 1, 30000000, ""},
		{"3,000万元", 1, 30000000, ""},
		{"1亿2000万", wan, 120000000, ""},
		{"500元", wan, 500, ""},
		{"￥3000", 1, 3000, ""},
		{"0.1", wan, 1000, ""},
		{"1234.5678", wan, 12345678, ""},
		{"1234.5599999999999", wan, 12345600, ""}, // a float as Excel stores 1234.56
		{"0.30000000000000004", wan, 3000, ""},
		{"1.2E+5", wan, 1200000000, ""},
		{"0.00005", wan, 1, ""}, // half a yuan rounds up
		{"0.00004", wan, 0, ""},
		{"+5", wan, 50000, ""},
		{"-5", wan, 0, "金额不能为负数"},
		{"－5", wan, 0, "金额不能为负数"},
		{"-0", wan, 0, ""},
		{"一千", wan, 0, "金额无法识别"},
		{"1,2", wan, 0, "金额无法识别"},
		{"12,34,567", wan, 0, "金额无法识别"},
		{"1.2.3", wan, 0, "金额无法识别"},
		{"3000万2亿", wan, 0, "金额无法识别"},
		{"1亿2000", wan, 0, "金额无法识别"},
		{"1e400", wan, 0, "金额无法识别"},
		{"50%", wan, 0, "金额无法识别"},
		{"(500)", wan, 0, "金额无法识别"},
		{"100000001", wan, 0, "金额过大"},
		{"99999999999999999999999999999", wan, 0, "金额过大"},
	} {
		got, msg := parseAmount(c.in, c.unit)
		if got != c.want || !strings.HasPrefix(msg, c.msg) || (c.msg == "") != (msg == "") {
			t.Errorf("parseAmount(%q, %d) = %d, %q; want %d, %q", c.in, c.unit, got, msg, c.want, c.msg)
		}
	}
}

func TestParseLedgerDate(t *testing.T) {
	for _, c := range []struct{ text, raw, want, msg string }{
		{"", "", "", ""},
		{"待定", "待定", "", ""},
		{"/", "/", "", ""},
		{"2026年3月5日", "46086", "2026-03-05", ""}, // a real date cell
		{"03-05-26", "46086", "2026-03-05", ""},  // one in the default date format
		{"2026年3月5日", "46086.75", "2026-03-05", ""},
		{"2026年5月18日", "", "2026-05-18", ""},
		{"2026 年 5 月 18 日", "", "2026-05-18", ""},
		{"２０２６年５月１８日", "", "2026-05-18", ""},
		{"2026年5月18号", "", "2026-05-18", ""},
		{"2026.6.30", "", "2026-06-30", ""},
		{"2026/6/30", "", "2026-06-30", ""},
		{"2026-06-30", "", "2026-06-30", ""},
		{"20260630", "20260630", "2026-06-30", ""},
		{"2026-02-30", "", "", "日期无法识别"},
		{"2026", "2026", "", "日期无法识别"},
		{"下月", "", "", "日期无法识别"},
		{"2026年3月", "", "", "请填写到具体日期"},
		{"2026.10", "2026.1", "", "请填写到具体日期"},
		{"1900-01-01", "", "", "日期超出范围"},
		{"1", "1", "", "日期无法识别"},
	} {
		got, msg := parseLedgerDate(c.text, c.raw, false)
		if got != c.want || !strings.HasPrefix(msg, c.msg) || (c.msg == "") != (msg == "") {
			t.Errorf("parseLedgerDate(%q, %q) = %q, %q; want %q, %q", c.text, c.raw, got, msg, c.want, c.msg)
		}
	}
}

func TestLedgerStageWords(t *testing.T) {
	for in, want := range map[string]string{
		"前期": "packaging", "前期阶段": "packaging", "洽谈": "promotion", "在谈": "promotion", "在谈中": "promotion",
		"已签约": "agency", "签约": "agency", "已开工": "construction", "在建": "construction", "建设中": "construction",
		"已投产": "production", "试生产": "production", "达产": "full_production", "已达产": "full_production",
		"线索": "lead", "甄别": "screening", "策划包装": "packaging", "full_production": "full_production", " 已 开工 ": "construction",
		"已签约，正在办理环评": "agency", "在谈（第三轮）": "promotion",
	} {
		if got, ok := (&ledgerReader{}).stageCode(in); !ok || got != want {
			t.Errorf("stage %q = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"", "研究中", "完成", "中", "研究中，已签约"} {
		if got, ok := (&ledgerReader{}).stageCode(in); ok {
			t.Errorf("stage %q = %q", in, got)
		}
	}
}

func TestReadLedgerHostileSheets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds large workbooks")
	}
	// More project rows than allowed: refused while streaming.
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"项目名称", "项目进展", "投资主体"})
	for r := 2; r <= DefaultLedgerMaxRows+ledgerSlackRows+10; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		sw.SetRow(cell, []any{fmt.Sprintf("项目%d", r), "在谈", "公司"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	f.Close()
	if _, err := ReadLedger(bytes.NewReader(buf.Bytes()), LedgerOptions{}); !errors.Is(err, ErrLedgerTooManyRows) {
		t.Errorf("too many rows: %v", err)
	}

	// Values at the last column on every row, under the header or further
	// down: refused before excelize allocates 16,384 cells a row.
	for _, from := range []int{2, 40} {
		f = excelize.NewFile()
		sw, _ = f.NewStreamWriter("Sheet1")
		sw.SetRow("A1", []any{"项目名称", "项目进展"})
		for r := from; r <= from+5000; r++ {
			cell, _ := excelize.CoordinatesToCellName(excelize.MaxColumns, r)
			sw.SetRow(cell, []any{1})
		}
		sw.Flush()
		buf.Reset()
		f.Write(&buf)
		f.Close()
		start := time.Now()
		if _, err := ReadLedger(bytes.NewReader(buf.Bytes()), LedgerOptions{}); !errors.Is(err, ErrLedgerTooLarge) || time.Since(start) > 5*time.Second {
			t.Errorf("wide from row %d: %v in %v", from, err, time.Since(start))
		}
	}

	// One row reaching the last column: only the first columns are kept.
	f = excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"项目名称", "项目进展"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"甲项目", "在谈"})
	f.SetCellValue("Sheet1", "XFD2", "远处")
	buf.Reset()
	f.Write(&buf)
	f.Close()
	l := readLedgerBytes(t, buf.Bytes(), LedgerOptions{})
	if len(l.Rows) != 1 || !l.OK() {
		t.Errorf("%+v", l)
	}
}

// storedZip rewrites a workbook uncompressed and without checksums, so
// that the fuzzer's mutations reach the XML instead of failing the CRC.
func storedZip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Store,
			CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzReadLedger(f *testing.F) {
	sample := readSample(f)
	generated := ledgerBook(f, append(ledgerTop("元"),
		[]any{"一、生物医药产业"},
		[]any{1, "甲", "乙", "1.2亿", "3000万", "已开工", "2026.6.30", "2026年5月18日", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		[]any{"合计", nil, nil, formula{"SUM(D4:D5)", 1}},
	), "A1:K1", "A4:K4")
	small := ledgerBook(f, [][]any{{"项目", "公司", "阶段"}, {"甲", "乙", "达产"}, {"甲", "乙", "??"}}, "B2:B3")
	for _, b := range [][]byte{sample, generated, small} {
		f.Add(b)
		f.Add(storedZip(f, b))
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	valid := map[string]bool{"": true, "lead": true, "screening": true, "packaging": true, "promotion": true,
		"agency": true, "construction": true, "production": true, "full_production": true}
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ReadLedger(bytes.NewReader(b), LedgerOptions{MaxRows: 500})
		if err != nil {
			if l != nil {
				t.Fatal("ledger with an error")
			}
			return
		}
		rows := map[int]bool{}
		for _, r := range l.Rows {
			if r.Row <= l.HeaderRow || rows[r.Row] || !valid[r.Stage] || ledgerYuan(r.TotalInvestmentYuan) < 0 || ledgerYuan(r.FixedInvestmentYuan) < 0 {
				t.Fatalf("row %+v", r)
			}
			rows[r.Row] = true
		}
		for _, p := range l.Problems {
			if !rows[p.Row] || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}

// FuzzLedgerCells puts arbitrary text in the cells of a well-formed ledger,
// where FuzzReadLedger mostly breaks the zip.
func FuzzLedgerCells(f *testing.F) {
	f.Add("高端数控机床项目", "已开工", "96,000", "2026年5月18日")
	f.Add("一、智慧装备制造产业", "", "1.2亿", "46086")
	f.Add("合计", "在谈", "1亿2000万", "2026.6.30")
	f.Add("注：", "达产", "-0", "20260230")
	f.Fuzz(func(t *testing.T, name, stage, amount, date string) {
		if v, msg := parseAmount(amount, 10000); msg == "" && (v < 0 || v > maxLedgerYuan) || msg != "" && v != 0 {
			t.Fatalf("parseAmount(%q) = %d, %q", amount, v, msg)
		}
		if d, msg := parseLedgerDate(date, date, false); msg == "" && d != "" {
			if _, err := time.Parse("2006-01-02", d); err != nil {
				t.Fatalf("parseLedgerDate(%q) = %q", date, d)
			}
		} else if msg != "" && d != "" {
			t.Fatalf("parseLedgerDate(%q) = %q, %q", date, d, msg)
		}
		b := ledgerBook(t, append(ledgerTop("万元"),
			[]any{"一、智慧装备制造产业"},
			[]any{1, name, "某公司", amount, nil, stage, date},
			[]any{2, "另一项目", "某公司", 1, nil, "在谈"},
		), "A4:K4")
		l, err := ReadLedger(bytes.NewReader(b), LedgerOptions{})
		if err != nil {
			return
		}
		for _, p := range l.Problems {
			if p.Row != 5 && p.Row != 6 {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}
