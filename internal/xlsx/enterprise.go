package xlsx

import (
	"io"
	"math"
	"strconv"
	"strings"
)

// The enterprise figures workbook (在区企业年度数据): one row per
// enterprise and year.

var enterpriseLayout = &factorLayout{
	headers: []string{"企业名称", "产业", "所在园区", "统一社会信用代码", "年度", "产值（万元）", "税收（万元）",
		"综合能耗（吨标准煤）", "主要污染物排放（吨）", "用地（亩）", "从业人员（人）"},
	required: []string{"企业名称", "产业", "年度"},
	sheet:    "企业年度数据", width: 16,
	examples: [][]any{{"晋中示例耐磨材料有限公司", "新型材料", "耐磨材料产业园", "91140700MA0K8T2P3Q", 2025, 32000, 1600, 8500, 12.5, 120, 260}},
}

// EnterpriseHeaders are the template's columns, in order; the first two
// and the year are required.
var EnterpriseHeaders = enterpriseLayout.headers

// EnterpriseFields lists the enterprise columns for the mapping step.
func EnterpriseFields() []Field { return enterpriseLayout.Fields() }

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
	FactorHeader
	Sheet     string
	HeaderRow int
	Rows      []EnterpriseRow
	Problems  []RowError
}

// industryWords maps the industries as users write them to codes.
var industryWords = map[string]string{"智慧装备制造": "equipment", "装备制造": "equipment", "生物医药": "biomedicine", "新型材料": "materials",
	"新材料": "materials", "轻工": "light_industry", "铸造": "casting", "其他": "other"}

// ReadEnterprises reads an enterprise figures workbook by the template's
// column names.
func ReadEnterprises(b []byte) (*EnterpriseSheet, error) {
	return ReadEnterprisesWith(b, FactorOptions{})
}

// ReadEnterprisesWith is ReadEnterprises with a mapping of the header.
func ReadEnterprisesWith(b []byte, opts FactorOptions) (*EnterpriseSheet, error) {
	fs, err := readFactor(b, enterpriseLayout, opts)
	if err != nil {
		return nil, err
	}
	out := &EnterpriseSheet{FactorHeader: fs.FactorHeader, Sheet: fs.sheet, HeaderRow: fs.header + 1}
	fs.each(func(r *factorRow) {
		row := EnterpriseRow{Row: r.N, Name: r.get("企业名称"), Park: r.get("所在园区"), CreditCode: r.get("统一社会信用代码")}
		ind := r.get("产业")
		if code, ok := industryWords[ind]; ok {
			row.Industry = code
		} else {
			row.Industry = ind // a code, or checked as unknown later
		}
		if y, err := strconv.Atoi(strings.TrimSuffix(r.get("年度"), "年")); err == nil {
			row.Year = y
		} else {
			r.bad("年度", "须为四位年份")
		}
		num := func(h string) float64 { v, _ := r.num(h); return v }
		row.OutputYuan = int64(math.Round(num("产值（万元）") * 10000))
		row.TaxYuan = int64(math.Round(num("税收（万元）") * 10000))
		row.EnergyTce, row.EmissionsT, row.LandMu = num("综合能耗（吨标准煤）"), num("主要污染物排放（吨）"), num("用地（亩）")
		row.Employees = int(num("从业人员（人）"))
		out.Rows = append(out.Rows, row)
	})
	out.Problems = fs.problems
	return out, nil
}

// WriteEnterpriseTemplate writes the import template with one example row.
func WriteEnterpriseTemplate(w io.Writer) error { return enterpriseLayout.writeTemplate(w) }
