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

// The parcel workbook (地块清单): one row per parcel.

// ParcelHeaders are the template's columns, in order; code, park, area and
// use are required.
var ParcelHeaders = []string{"地块编号", "所在园区", "面积（亩）", "用地性质", "状态", "容积率下限", "容积率上限", "平面坐标", "备注"}

// ParcelRow is one row as read.
type ParcelRow struct {
	Row                         int
	Code, Park, LandUse, Status string
	AreaMu, FARMin, FARMax      float64
	Shape, Note                 string
}

// ParcelSheet is a read parcel workbook.
type ParcelSheet struct {
	Sheet     string
	HeaderRow int
	Rows      []ParcelRow
	Problems  []RowError
}

var landUseWords = map[string]string{"工业用地": "industrial", "工业": "industrial", "仓储物流用地": "logistics", "物流仓储用地": "logistics",
	"仓储": "logistics", "商业服务用地": "commercial", "商业": "commercial", "公共设施用地": "public", "公共设施": "public"}

var parcelStatusWords = map[string]string{"规划": "planned", "净地": "serviced", "挂牌": "listed", "": "planned"}

// ReadParcels reads a parcel workbook.
func ReadParcels(b []byte) (*ParcelSheet, error) {
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
	out := &ParcelSheet{Sheet: sheet}
	idx := map[string]int{}
	for i := 0; i < len(rows) && i < 10 && out.HeaderRow == 0; i++ {
		found := map[string]int{}
		for j, c := range rows[i] {
			for _, want := range ParcelHeaders {
				if NormalizeHeader(c) == NormalizeHeader(want) {
					found[want] = j
				}
			}
		}
		if _, ok := found["地块编号"]; ok {
			idx, out.HeaderRow = found, i+1
		}
	}
	if out.HeaderRow == 0 {
		return nil, fmt.Errorf("no header row with 地块编号")
	}
	for _, req := range []string{"所在园区", "面积（亩）", "用地性质"} {
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
		row := ParcelRow{Row: n, Code: get(r, "地块编号"), Park: get(r, "所在园区"), Shape: get(r, "平面坐标"), Note: get(r, "备注")}
		if u, ok := landUseWords[get(r, "用地性质")]; ok {
			row.LandUse = u
		} else {
			row.LandUse = get(r, "用地性质")
		}
		if st, ok := parcelStatusWords[get(r, "状态")]; ok {
			row.Status = st
		} else {
			bad("状态", "只能导入规划、净地或挂牌的地块")
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
		row.AreaMu, row.FARMin, row.FARMax = num("面积（亩）"), num("容积率下限"), num("容积率上限")
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// WriteParcelTemplate writes the parcel template with one example row.
func WriteParcelTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "地块清单"
	f.SetSheetName("Sheet1", sheet)
	for i, h := range ParcelHeaders {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(sheet, cell, h)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, 16)
	}
	for i, v := range []any{"NM-21", "耐磨材料产业园", 156.5, "工业用地", "挂牌", 1.0, 2.5, "100,100 300,100 300,260 100,260", ""} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue(sheet, cell, v)
	}
	return f.Write(w)
}
