package xlsx

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// shapedBook writes a ledger the way an office suite saves one from
// another zone: "excel" with real numbers and date cells on Sheet1, "wps"
// under a merged title and a unit line with full-width brackets and line
// breaks in the header, "libreoffice" with every amount and date typed as
// text ("1,200", "2026.6.30").
func shapedBook(t *testing.T, shape string, header []string, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	first := 1
	switch shape {
	case "wps":
		sheet = "招商项目"
		f.SetSheetName("Sheet1", sheet)
		f.SetCellStr(sheet, "A1", "二〇二六年重点招商项目台账")
		last, _ := excelize.ColumnNumberToName(len(header))
		f.MergeCell(sheet, "A1", last+"1")
		f.SetCellStr(sheet, "A2", "填报单位：投资促进中心")
		f.SetCellStr(sheet, last+"2", "单位：万元")
		first = 3
	case "libreoffice":
		sheet = "工作表1"
		f.SetSheetName("Sheet1", sheet)
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	for j, h := range header {
		c, _ := excelize.CoordinatesToCellName(j+1, first)
		f.SetCellStr(sheet, c, h)
	}
	for i, r := range rows {
		for j, v := range r {
			if v == "" {
				continue
			}
			c, _ := excelize.CoordinatesToCellName(j+1, first+1+i)
			if shape != "libreoffice" {
				if d, err := time.Parse("2006-01-02", v); err == nil {
					f.SetCellValue(sheet, c, d)
					f.SetCellStyle(sheet, c, c, dateStyle)
					continue
				}
				if isNumeric(v) {
					f.SetCellValue(sheet, c, mustFloat(v))
					continue
				}
			}
			f.SetCellStr(sheet, c, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustFloat(s string) float64 {
	v, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return v
}

// TestLedgerFromAnotherZoneSaysEverything reads a ledger with its own
// column names in the shapes Excel, WPS and LibreOffice save: funds in
// place, land, construction content and remarks are carried, and every
// column that is not imported is named with the rows that fill it.
func TestLedgerFromAnotherZoneSaysEverything(t *testing.T) {
	header := []string{"序号", "项目名", "企业名称", "计划总投资（万元）", "进度", "签约日期", "责任领导", "代办员",
		"到位资金（万元）", "占地面积（平方米）", "主要建设内容", "说明", "项目编码", "责任单位"}
	rows := [][]string{
		{"1", "精密轴承项目", "晋远轴承有限公司", "1200", "已签约", "2026-03-05", "张伟", "李代办", "500", "20000", "轴承生产线", "金额待定：评估中", "P-01", "发改局"},
		{"2", "冷链物流园", "晋鲜物流有限公司", "800", "在谈", "", "陈静", "", "120", "6666.67", "", "", "P-02", ""},
		{"3", "光伏组件项目", "晋光新能源有限公司", "3000", "已开工", "2026-01-10", "张伟", "", "", "", "", "", "P-03", "工信局"},
	}
	for _, shape := range []string{"excel", "wps", "libreoffice"} {
		t.Run(shape, func(t *testing.T) {
			l := readLedgerBytes(t, shapedBook(t, shape, header, rows), LedgerOptions{})
			if len(l.Problems) != 0 {
				t.Fatalf("problems %v", l.Problems)
			}
			want := []NotImported{{Index: 12, Letter: "M", Header: "项目编码", Rows: 3}, {Index: 13, Letter: "N", Header: "责任单位", Rows: 2}}
			if !slices.Equal(l.NotImported, want) {
				t.Errorf("not imported %+v", l.NotImported)
			}
			if len(l.Columns) != len(header) {
				t.Errorf("columns %+v", l.Columns)
			}
			r := l.Rows[0]
			if r.FundsYuan != 500*10000 || r.LandMu != 30 || r.Content != "轴承生产线" || r.Note != "金额待定：评估中" ||
				r.Sponsor != "张伟" || r.Agent != "李代办" || r.SignedOn != "2026-03-05" {
				t.Errorf("row 1 %+v", r)
			}
			if r := l.Rows[1]; r.FundsYuan != 120*10000 || r.LandMu != 10 || r.Sponsor != "陈静" || r.SignedOn != "" {
				t.Errorf("row 2 %+v", r)
			}
			if l.Label(LedgerSponsor) != "责任领导" || l.Label(LedgerFunds) != "到位资金（万元）" {
				t.Errorf("labels %v", l.Labels)
			}
		})
	}
}

// TestLedgerLandUnits reads 用地 in 亩, in the unit the header states and
// in the unit a cell states; a unit that is not an area is a problem.
func TestLedgerLandUnits(t *testing.T) {
	for _, c := range []struct {
		header, cell string
		mu           float64
		bad          bool
	}{
		{"用地（亩）", "50", 50, false}, {"用地", "50亩", 50, false}, {"占地（公顷）", "2", 30, false},
		{"用地面积（㎡）", "6,666.67", 10, false}, {"用地", "3.2公顷", 48, false}, {"用地（米）", "50", 0, true},
		{"用地", "约50亩", 0, true}, {"用地", "待定", 0, false},
	} {
		b := shapedBook(t, "libreoffice", []string{"项目名称", "项目进展", c.header}, [][]string{{"甲项目", "在谈", c.cell}})
		l := readLedgerBytes(t, b, LedgerOptions{})
		if got := l.Rows[0].LandMu; got != c.mu || (len(l.Problems) > 0) != c.bad {
			t.Errorf("%s %q: %v %v", c.header, c.cell, got, l.Problems)
		}
	}
}

// TestLedgerMappingStep: headers no dictionary knows are an error naming
// the likely header row and its columns; the user's mapping reads them,
// and a mapping remembered for the same layout does too.
func TestLedgerMappingStep(t *testing.T) {
	header := []string{"工程名目", "出资方", "盘子（万元）", "眼下状况", "挂点领导", "地块面积", "经办"}
	rows := [][]string{{"甲项目", "甲公司", "1,500", "在谈", "张伟", "12", "小王"}, {"乙项目", "乙公司", "300", "已开工", "", "", ""}}
	for _, shape := range []string{"excel", "wps", "libreoffice"} {
		t.Run(shape, func(t *testing.T) {
			b := shapedBook(t, shape, header, rows)
			_, err := ReadLedger(bytes.NewReader(b), LedgerOptions{})
			var he *LedgerHeaderError
			if !errors.As(err, &he) {
				t.Fatalf("err %v", err)
			}
			wantRow := 1
			if shape == "wps" {
				wantRow = 3
			}
			if he.Row != wantRow || len(he.Columns) != len(header) || he.Columns[0].Header != "工程名目" || he.Columns[6].Letter != "G" {
				t.Fatalf("candidate %d %+v", he.Row, he.Columns)
			}
			m := Mapping{}
			for h, f := range map[string]string{"工程名目": "name", "出资方": "company", "盘子（万元）": "total", "眼下状况": "stage",
				"挂点领导": "sponsor", "地块面积": "land", "经办": Skip} {
				m[MappingKey(h)] = f
			}
			l := readLedgerBytes(t, b, LedgerOptions{Mapping: m})
			if len(l.Problems) != 0 || len(l.Rows) != 2 || l.Remembered {
				t.Fatalf("mapped: %v %+v", l.Problems, l.Rows)
			}
			if r := l.Rows[0]; r.ProjectName != "甲项目" || ledgerYuan(r.TotalInvestmentYuan) != 1500*10000 || r.Sponsor != "张伟" || r.LandMu != 12 {
				t.Errorf("row %+v", r)
			}
			if len(l.NotImported) != 1 || l.NotImported[0].Header != "经办" || l.NotImported[0].Rows != 1 {
				t.Errorf("not imported %+v", l.NotImported)
			}
			// Remembered for this layout: the next file reads without a mapping.
			again := readLedgerBytes(t, b, LedgerOptions{Remembered: map[string]Mapping{l.Layout: m}})
			if !again.Remembered || len(again.Rows) != 2 || len(again.Problems) != 0 {
				t.Fatalf("remembered: %v %v", again.Remembered, again.Problems)
			}
			// Another layout does not take it.
			other := shapedBook(t, shape, append(slices.Clone(header), "新列"), rows)
			if _, err := ReadLedger(bytes.NewReader(other), LedgerOptions{Remembered: map[string]Mapping{l.Layout: m}}); !errors.As(err, &he) {
				t.Fatalf("another layout: %v", err)
			}
		})
	}
}

// TestCalendarSaysEveryColumn: the calendar importer shares the checked
// path: a column it does not take is listed with its rows, and headers it
// does not know are read through a mapping.
func TestCalendarSaysEveryColumn(t *testing.T) {
	b := shapedBook(t, "libreoffice", []string{"日期", "类型", "名称", "备注"},
		[][]string{{"2026-10-01", "放假", "国庆节", "全体"}, {"2026-10-02", "放假", "国庆节", ""}})
	c, err := ReadCalendar(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := []NotImported{{Index: 3, Letter: "D", Header: "备注", Rows: 1}}; !slices.Equal(c.NotImported, want) {
		t.Errorf("not imported %+v", c.NotImported)
	}
	odd := shapedBook(t, "excel", []string{"哪天", "安排", "节名"}, [][]string{{"2026-10-01", "放假", "国庆节"}})
	if _, err := ReadCalendar(odd); err == nil {
		t.Fatal("unknown headers read")
	}
	m := Mapping{MappingKey("哪天"): "date", MappingKey("安排"): "kind", MappingKey("节名"): "name"}
	c, err = ReadCalendarWith(odd, CalendarOptions{Mapping: m})
	if err != nil || len(c.Rows) != 1 || len(c.Problems) != 0 || c.Rows[0].Day.Date != "2026-10-01" {
		t.Fatalf("mapped: %v %+v", err, c)
	}
	c, err = ReadCalendarWith(odd, CalendarOptions{Remembered: map[string]Mapping{c.Layout: m}})
	if err != nil || len(c.Rows) != 1 {
		t.Fatalf("remembered: %v", err)
	}
}
