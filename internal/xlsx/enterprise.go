package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The enterprise figures workbook (在区企业年度数据): one row per
// enterprise and year, columns found by their header text anywhere in the
// first rows of the first sheet.

// EnterpriseHeaders are the template's columns, in order; the first two
// and the year are required.
var EnterpriseHeaders = []string{"企业名称", "产业", "所在园区", "统一社会信用代码", "年度", "产值（万元）", "税收（万元）",
	"综合能耗（吨标准煤）", "主要污染物排放（吨）", "用地（亩）", "从业人员（人）"}

// EnterpriseRow is one row as read: texts trimmed, numbers parsed.
type EnterpriseRow struct {
	Row                              int
	Name, Industry, Park, CreditCode string
	Year                             int
	OutputYuan, TaxYuan              int64
	EnergyTce, EmissionsT, LandMu    float64
	Employees                        int
}

// EnterpriseSheet is a read workbook: its rows, the problems of reading
// them, and where the header is (for MarkErrors).
type EnterpriseSheet struct {
	Sheet     string
	HeaderRow int
	Rows      []EnterpriseRow
	Problems  []RowError
}

// industryWords maps the industries as users write them to codes.
var industryWords = map[string]string{"智慧装备制造": "equipment", "装备制造": "equipment", "生物医药": "biomedicine", "新型材料": "materials",
	"新材料": "materials", "轻工": "light_industry", "铸造": "casting", "其他": "other"}

// ReadEnterprises reads an enterprise figures workbook.
func ReadEnterprises(b []byte) (*EnterpriseSheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("not a workbook: %w", err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, err
	}
	out := &EnterpriseSheet{Sheet: sheet}
	idx := map[string]int{}
	for i := 0; i < len(rows) && i < 10 && len(idx) == 0; i++ {
		for j, c := range rows[i] {
			h := NormalizeHeader(c)
			for _, want := range EnterpriseHeaders {
				if h == NormalizeHeader(want) {
					idx[want] = j
				}
			}
		}
		if _, ok := idx["企业名称"]; ok {
			out.HeaderRow = i + 1
		} else {
			idx = map[string]int{}
		}
	}
	if out.HeaderRow == 0 {
		return nil, fmt.Errorf("no header row with 企业名称")
	}
	for _, req := range []string{"企业名称", "产业", "年度"} {
		if _, ok := idx[req]; !ok {
			return nil, fmt.Errorf("column %s is missing", req)
		}
	}
	get := func(r []string, h string) string {
		j, ok := idx[h]
		if !ok || j >= len(r) {
			return ""
		}
		return strings.TrimSpace(r[j])
	}
	for i := out.HeaderRow; i < len(rows); i++ {
		r := rows[i]
		blank := true
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		n := i + 1
		row := EnterpriseRow{Row: n, Name: get(r, "企业名称"), Park: get(r, "所在园区"), CreditCode: get(r, "统一社会信用代码")}
		bad := func(col, msg string) {
			out.Problems = append(out.Problems, RowError{Row: n, Column: col, Message: msg})
		}
		ind := get(r, "产业")
		if code, ok := industryWords[ind]; ok {
			row.Industry = code
		} else {
			row.Industry = ind // a code, or checked as unknown later
		}
		if y, err := strconv.Atoi(strings.TrimSuffix(get(r, "年度"), "年")); err == nil {
			row.Year = y
		} else {
			bad("年度", "须为四位年份")
		}
		num := func(h string) float64 {
			s := strings.ReplaceAll(get(r, h), ",", "")
			if s == "" {
				return 0
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				bad(h, "须为不小于 0 的数字")
				return 0
			}
			return v
		}
		row.OutputYuan = int64(math.Round(num("产值（万元）") * 10000))
		row.TaxYuan = int64(math.Round(num("税收（万元）") * 10000))
		row.EnergyTce, row.EmissionsT, row.LandMu = num("综合能耗（吨标准煤）"), num("主要污染物排放（吨）"), num("用地（亩）")
		row.Employees = int(num("从业人员（人）"))
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// WriteEnterpriseTemplate writes the import template with one example row.
func WriteEnterpriseTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "企业年度数据"
	f.SetSheetName("Sheet1", sheet)
	for i, h := range EnterpriseHeaders {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(sheet, cell, h)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, 16)
	}
	example := []any{"晋中示例耐磨材料有限公司", "新型材料", "耐磨材料产业园", "91140700MA0XXXXX1X", 2025, 32000, 1600, 8500, 12.5, 120, 260}
	for i, v := range example {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue(sheet, cell, v)
	}
	return f.Write(w)
}
