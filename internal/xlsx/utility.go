package xlsx

import (
	"io"
)

// The utility workbook (园区水电气热): one row per park utility.

var utilityLayout = &factorLayout{
	headers:  []string{"所在园区", "要素", "供应单位", "现状能力", "预警余量（%）"},
	required: []string{"要素", "所在园区", "现状能力"},
	sheet:    "园区水电气热", width: 18,
	examples: [][]any{{"耐磨材料产业园", "供水", "园区集中供水", 20000, 30}, {"耐磨材料产业园", "天然气", "华润燃气", 300000, 30}},
}

// UtilityHeaders are the template's columns, in order.
var UtilityHeaders = utilityLayout.headers

// UtilityFields lists the utility columns for the mapping step.
func UtilityFields() []Field { return utilityLayout.Fields() }

// UtilityRow is one row as read.
type UtilityRow struct {
	Row                  int
	Park, Kind, Supplier string
	Capacity, WarnPct    float64
}

// UtilitySheet is a read utility workbook.
type UtilitySheet struct {
	FactorHeader
	Sheet     string
	HeaderRow int
	Rows      []UtilityRow
	Problems  []RowError
}

var utilityWords = map[string]string{"供水": "water", "水": "water", "集中供水": "water", "供电": "power", "电": "power", "增量配电网": "power",
	"天然气": "gas", "燃气": "gas", "气": "gas", "供热": "heat", "热": "heat", "蒸汽": "heat", "园区供热": "heat"}

// ReadUtilities reads a utility workbook by the template's column names.
func ReadUtilities(b []byte) (*UtilitySheet, error) { return ReadUtilitiesWith(b, FactorOptions{}) }

// ReadUtilitiesWith is ReadUtilities with a mapping of the header.
func ReadUtilitiesWith(b []byte, opts FactorOptions) (*UtilitySheet, error) {
	fs, err := readFactor(b, utilityLayout, opts)
	if err != nil {
		return nil, err
	}
	out := &UtilitySheet{FactorHeader: fs.FactorHeader, Sheet: fs.sheet, HeaderRow: fs.header + 1}
	fs.each(func(r *factorRow) {
		row := UtilityRow{Row: r.N, Park: r.get("所在园区"), Supplier: r.get("供应单位"), WarnPct: 30}
		if k, ok := utilityWords[r.get("要素")]; ok {
			row.Kind = k
		} else {
			r.bad("要素", "须为供水、供电、天然气或供热")
		}
		row.Capacity, _ = r.num("现状能力")
		if v, ok := r.num("预警余量（%）"); ok {
			row.WarnPct = v
		}
		out.Rows = append(out.Rows, row)
	})
	out.Problems = fs.problems
	return out, nil
}

// WriteUtilityTemplate writes the utility template with example rows.
func WriteUtilityTemplate(w io.Writer) error { return utilityLayout.writeTemplate(w) }
