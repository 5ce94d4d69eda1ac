package xlsx

import (
	"io"
)

// The parcel workbook (地块清单): one row per parcel.

var parcelLayout = &factorLayout{
	headers:  []string{"地块编号", "所在园区", "面积（亩）", "用地性质", "状态", "容积率下限", "容积率上限", "平面坐标", "备注"},
	required: []string{"地块编号", "所在园区", "面积（亩）", "用地性质"},
	sheet:    "地块清单", width: 16,
	examples: [][]any{{"NM-21", "耐磨材料产业园", 156.5, "工业用地", "挂牌", 1.0, 2.5, "100,100 300,100 300,260 100,260", ""}},
}

// ParcelHeaders are the template's columns, in order; code, park, area and
// use are required.
var ParcelHeaders = parcelLayout.headers

// ParcelFields lists the parcel columns for the mapping step.
func ParcelFields() []Field { return parcelLayout.Fields() }

// ParcelRow is one row as read.
type ParcelRow struct {
	Row                         int
	Code, Park, LandUse, Status string
	AreaMu, FARMin, FARMax      float64
	Shape, Note                 string
}

// ParcelSheet is a read parcel workbook.
type ParcelSheet struct {
	FactorHeader
	Sheet     string
	HeaderRow int
	Rows      []ParcelRow
	Problems  []RowError
}

var landUseWords = map[string]string{"工业用地": "industrial", "工业": "industrial", "仓储物流用地": "logistics", "物流仓储用地": "logistics",
	"仓储": "logistics", "商业服务用地": "commercial", "商业": "commercial", "公共设施用地": "public", "公共设施": "public"}

var parcelStatusWords = map[string]string{"规划": "planned", "净地": "serviced", "挂牌": "listed", "": "planned"}

// ReadParcels reads a parcel workbook by the template's column names.
func ReadParcels(b []byte) (*ParcelSheet, error) { return ReadParcelsWith(b, FactorOptions{}) }

// ReadParcelsWith is ReadParcels with a mapping of the header.
func ReadParcelsWith(b []byte, opts FactorOptions) (*ParcelSheet, error) {
	fs, err := readFactor(b, parcelLayout, opts)
	if err != nil {
		return nil, err
	}
	out := &ParcelSheet{FactorHeader: fs.FactorHeader, Sheet: fs.sheet, HeaderRow: fs.header + 1}
	fs.each(func(r *factorRow) {
		row := ParcelRow{Row: r.N, Code: r.get("地块编号"), Park: r.get("所在园区"), Shape: r.get("平面坐标"), Note: r.get("备注")}
		if u, ok := landUseWords[r.get("用地性质")]; ok {
			row.LandUse = u
		} else {
			row.LandUse = r.get("用地性质")
		}
		if st, ok := parcelStatusWords[r.get("状态")]; ok {
			row.Status = st
		} else {
			r.bad("状态", "只能导入规划、净地或挂牌的地块")
		}
		row.AreaMu, _ = r.num("面积（亩）")
		row.FARMin, _ = r.num("容积率下限")
		row.FARMax, _ = r.num("容积率上限")
		out.Rows = append(out.Rows, row)
	})
	out.Problems = fs.problems
	return out, nil
}

// WriteParcelTemplate writes the parcel template with one example row.
func WriteParcelTemplate(w io.Writer) error { return parcelLayout.writeTemplate(w) }
