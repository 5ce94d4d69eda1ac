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

// The utility workbook (园区水电气热): one row per park utility.

// UtilityHeaders are the template's columns, in order.
var UtilityHeaders = []string{"所在园区", "要素", "供应单位", "现状能力", "预警余量（%）"}

// UtilityRow is one row as read.
type UtilityRow struct {
	Row                  int
	Park, Kind, Supplier string
	Capacity, WarnPct    float64
}

// UtilitySheet is a read utility workbook.
type UtilitySheet struct {
	Sheet     string
	HeaderRow int
	Rows      []UtilityRow
	Problems  []RowError
}

var utilityWords = map[string]string{"供水": "water", "水": "water", "集中供水": "water", "供电": "power", "电": "power", "增量配电网": "power",
	"天然气": "gas", "燃气": "gas", "气": "gas", "供热": "heat", "热": "heat", "蒸汽": "heat", "园区供热": "heat"}

// ReadUtilities reads a utility workbook.
func ReadUtilities(b []byte) (*UtilitySheet, error) {
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
	out := &UtilitySheet{Sheet: sheet}
	idx := map[string]int{}
	for i := 0; i < len(rows) && i < 10 && out.HeaderRow == 0; i++ {
		found := map[string]int{}
		for j, c := range rows[i] {
			for _, want := range UtilityHeaders {
				if NormalizeHeader(c) == NormalizeHeader(want) {
					found[want] = j
				}
			}
		}
		if _, ok := found["要素"]; ok {
			idx, out.HeaderRow = found, i+1
		}
	}
	if out.HeaderRow == 0 {
		return nil, fmt.Errorf("no header row with 要素")
	}
	for _, req := range []string{"所在园区", "现状能力"} {
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
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		n := i + 1
		bad := func(col, msg string) {
			out.Problems = append(out.Problems, RowError{Row: n, Column: col, Message: msg})
		}
		row := UtilityRow{Row: n, Park: get(r, "所在园区"), Supplier: get(r, "供应单位"), WarnPct: 30}
		if k, ok := utilityWords[get(r, "要素")]; ok {
			row.Kind = k
		} else {
			bad("要素", "须为供水、供电、天然气或供热")
		}
		num := func(h string) (float64, bool) {
			s := strings.ReplaceAll(strings.TrimSuffix(get(r, h), "%"), ",", "")
			if s == "" {
				return 0, false
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				bad(h, "须为不小于 0 的数字")
				return 0, false
			}
			return v, true
		}
		row.Capacity, _ = num("现状能力")
		if v, ok := num("预警余量（%）"); ok {
			row.WarnPct = v
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// WriteUtilityTemplate writes the utility template with example rows.
func WriteUtilityTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "园区水电气热"
	f.SetSheetName("Sheet1", sheet)
	for i, h := range UtilityHeaders {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(sheet, cell, h)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, 18)
	}
	for r, row := range [][]any{{"耐磨材料产业园", "供水", "园区集中供水", 20000, 30}, {"耐磨材料产业园", "天然气", "华润燃气", 300000, 30}} {
		for i, v := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			f.SetCellValue(sheet, cell, v)
		}
	}
	return f.Write(w)
}
