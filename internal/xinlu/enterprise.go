package xinlu

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Enterprise is a company in the zone (在区企业): imported, or a project
// that reached production.
type Enterprise struct {
	ID         int64
	ZoneID     int64
	Name       string
	CreditCode string // 统一社会信用代码, may be empty
	Industry   string
	ParkID     int64
	ProjectID  int64
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ParkName   string // read model
}

// Validate checks an enterprise as typed.
func (e *Enterprise) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"name", &e.Name}, textField{"credit_code", &e.CreditCode}))
	switch {
	case errs.Has("name"):
	case e.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(e.Name)) > 100:
		errs.Invalid("name", "error.too_long", 100)
	}
	e.CreditCode = strings.ToUpper(e.CreditCode)
	if e.CreditCode != "" && len(e.CreditCode) != 18 {
		errs.Invalid("credit_code", "enterprise.credit_code")
	}
	if !ValidIndustry(e.Industry) {
		errs.Invalid("industry", "error.invalid_choice")
	}
	return errs.Err()
}

// EnterpriseYear is an enterprise's figures of one year.
type EnterpriseYear struct {
	EnterpriseID int64
	Year         int
	OutputYuan   int64   // 产值
	TaxYuan      int64   // 税收
	EnergyTce    float64 // 综合能耗, 吨标准煤
	EmissionsT   float64 // 主要污染物排放, 吨
	LandMu       float64 // 用地
	Employees    int
}

// Validate checks a year's figures.
func (y *EnterpriseYear) Validate() error {
	var errs FieldErrors
	if y.Year < 2000 || y.Year > 2100 {
		errs.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	errs.Add(CheckInvestmentYuan("output_yuan", y.OutputYuan, false))
	errs.Add(CheckInvestmentYuan("tax_yuan", y.TaxYuan, false))
	for _, f := range []struct {
		name string
		v    float64
	}{{"energy_tce", y.EnergyTce}, {"emissions_t", y.EmissionsT}, {"land_mu", y.LandMu}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > 1e9 {
			errs.Invalid(f.name, "error.out_of_range", 0, 1_000_000_000)
		}
	}
	if y.Employees < 0 || y.Employees > 10_000_000 {
		errs.Invalid("employees", "error.out_of_range", 0, 10_000_000)
	}
	return errs.Err()
}

// Efficiency indicators of the per-mu evaluation (亩均效益评价).
const (
	EffTaxPerMu        = "tax_per_mu"        // 亩均税收
	EffOutputPerMu     = "output_per_mu"     // 亩均产值
	EffOutputPerEnergy = "output_per_energy" // 单位能耗产值
	EffOutputPerHead   = "output_per_head"   // 全员劳动生产率
)

// EffIndicators lists the indicators in order.
var EffIndicators = []string{EffTaxPerMu, EffOutputPerMu, EffOutputPerEnergy, EffOutputPerHead}

// EffClasses are the classes, best first.
var EffClasses = []string{"A", "B", "C", "D"}

// EfficiencyScheme is a zone's evaluation: weights of the indicators (in
// points, summing to 100) and the least score of classes A, B and C; the
// rest is D. An indicator scores its weight × the enterprise's value over
// the zone's average that year, capped at twice the weight: an average
// enterprise scores 100.
type EfficiencyScheme struct {
	Weights map[string]float64
	A, B, C float64
}

// DefaultEfficiencyScheme is the scheme a zone starts with.
func DefaultEfficiencyScheme() EfficiencyScheme {
	return EfficiencyScheme{Weights: map[string]float64{EffTaxPerMu: 50, EffOutputPerMu: 20, EffOutputPerEnergy: 15, EffOutputPerHead: 15},
		A: 120, B: 90, C: 60}
}

// Validate checks the scheme: weights from 0 to 100 summing to 100, and
// A > B > C > 0.
func (s EfficiencyScheme) Validate() error {
	var errs FieldErrors
	sum, bad := 0.0, false
	for _, k := range EffIndicators {
		w := s.Weights[k]
		if math.IsNaN(w) || w < 0 || w > 100 {
			errs.Invalid("weights."+k, "error.out_of_range", 0, 100)
			bad = true
		}
		sum += w
	}
	if !bad && math.Abs(sum-100) > 1e-6 {
		errs.Invalid("weights", "efficiency.weights_sum", FormatQuantity(sum))
	}
	if !(s.A > s.B && s.B > s.C && s.C > 0) {
		errs.Invalid("thresholds", "efficiency.thresholds_order")
	}
	return errs.Err()
}

// EffResult is one enterprise's evaluation in a year.
type EffResult struct {
	Enterprise *Enterprise
	Year       EnterpriseYear
	Values     map[string]float64 // yuan per mu, yuan per tce, yuan per head
	Score      float64
	Class      string
	Rank       int
}

// indicatorValue is an enterprise's value of an indicator, and whether it
// has one (the denominator is above 0).
func indicatorValue(y EnterpriseYear, k string) (float64, bool) {
	switch k {
	case EffTaxPerMu:
		return float64(y.TaxYuan) / y.LandMu, y.LandMu > 0
	case EffOutputPerMu:
		return float64(y.OutputYuan) / y.LandMu, y.LandMu > 0
	case EffOutputPerEnergy:
		return float64(y.OutputYuan) / y.EnergyTce, y.EnergyTce > 0
	case EffOutputPerHead:
		return float64(y.OutputYuan) / float64(y.Employees), y.Employees > 0
	}
	return 0, false
}

// Evaluate scores and classes the enterprises of a year: only those with
// land in use are evaluated; the list is ranked by score (ties by name).
func (s EfficiencyScheme) Evaluate(es map[int64]*Enterprise, years []EnterpriseYear) []EffResult {
	var out []EffResult
	for _, y := range years {
		if e, ok := es[y.EnterpriseID]; ok && y.LandMu > 0 {
			r := EffResult{Enterprise: e, Year: y, Values: map[string]float64{}}
			for _, k := range EffIndicators {
				if v, ok := indicatorValue(y, k); ok {
					r.Values[k] = v
				}
			}
			out = append(out, r)
		}
	}
	avg := map[string]float64{}
	for _, k := range EffIndicators {
		sum, n := 0.0, 0
		for _, r := range out {
			if v, ok := r.Values[k]; ok {
				sum += v
				n++
			}
		}
		if n > 0 {
			avg[k] = sum / float64(n)
		}
	}
	for i := range out {
		r := &out[i]
		for _, k := range EffIndicators {
			w := s.Weights[k]
			if v, ok := r.Values[k]; ok && avg[k] > 0 {
				r.Score += math.Min(v/avg[k], 2) * w
			}
		}
		r.Score = math.Round(r.Score*100) / 100
		r.Class = s.Class(r.Score)
	}
	slices.SortStableFunc(out, func(a, b EffResult) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Enterprise.Name, b.Enterprise.Name)
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// Class is the class of a score.
func (s EfficiencyScheme) Class(score float64) string {
	switch {
	case score >= s.A:
		return "A"
	case score >= s.B:
		return "B"
	case score >= s.C:
		return "C"
	}
	return "D"
}
