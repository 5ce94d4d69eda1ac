package xinlu

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The provincial self-assessment (开发区考核自评): each year the province
// judges its zones on a sheet of weighted indicators and ranks them within
// their category (industrial zones apart from agricultural and tourism
// ones). A zone keeps its own sheet per year; each indicator is computed
// from xinlu's records or entered with its evidence, and the zone scores
// itself by ScoreAssessment.

// ZoneCategories are the categories the province ranks zones within; ""
// is a zone whose category is not set.
var ZoneCategories = []string{"industrial", "agriculture", "tourism"}

// CheckZoneCategory refuses a category not in ZoneCategories ("" passes).
func CheckZoneCategory(c string) error {
	if c != "" && !slices.Contains(ZoneCategories, c) {
		return Invalid("category", "error.invalid_choice")
	}
	return nil
}

// AssessmentSources are the indicators xinlu computes for a year (up to
// today in the current year); "" is an indicator entered by hand.
var AssessmentSources = []string{
	"contract_amount",    // 签约合同额, 亿元: contracts signed in the year
	"funds_in_place",     // 到位资金, 亿元: funds in place recorded for days of the year
	"projects_signed",    // 新签约项目, 个
	"projects_started",   // 新开工项目, 个
	"projects_producing", // 新投产项目, 个
	"leads_reported",     // 新增线索, 条 (duplicates merged away not counted)
	"fixed_assets",       // 开工项目计划固定资产投资, 亿元: of projects that started in the year
	"six_new_projects",   // 六新项目签约, 个
	"tax_per_mu",         // 亩均税收, 万元/亩: the per-mu evaluation's latest year up to this one
	"enterprise_tax",     // 在区企业税收, 亿元: the enterprises' figures of the year
	"enterprise_output",  // 在区企业产值, 亿元
}

// AssessmentCap is the most an indicator earns: 120% of its weight for
// beating its target by a fifth or more.
const AssessmentCap = 1.2

// AssessmentIndicator is one indicator of a zone's sheet for a year.
type AssessmentIndicator struct {
	ID        int64
	ZoneID    int64
	Year      int
	Name      string
	Unit      string
	Weight    float64 // points; for a deduction, points taken per unit
	Target    float64 // 0: none set
	Source    string  // one of AssessmentSources, or "" (entered)
	LowerGood bool    // a lower value is better (energy per output)
	Deduction bool    // a deduction item (扣分项): Weight points off per unit of the value
	Value     *float64
	Evidence  string   // what the entered value rests on
	Links     []string // internal paths of records and attachments behind it (/projects/12)
	SortOrder int
	Version   int
}

// MaxEvidenceLinks is how many links an indicator's evidence may hold.
const MaxEvidenceLinks = 20

var linkRE = regexp.MustCompile(`^/[A-Za-z0-9/_\-.?=&%]*$`)

// Validate checks an indicator as typed and tidies its links (one per
// line, blank lines dropped). An entered value and evidence belong to
// entered indicators only; a computed one keeps neither.
func (a *AssessmentIndicator) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"name", &a.Name}, textField{"unit", &a.Unit}))
	errs.Add(cleanTexts(textField{"evidence", &a.Evidence}))
	switch {
	case errs.Has("name"):
	case a.Name == "":
		errs.Invalid("name", "error.required")
	case utf8.RuneCountInString(a.Name) > 100:
		errs.Invalid("name", "error.too_long", 100)
	}
	if !errs.Has("unit") && utf8.RuneCountInString(a.Unit) > 20 {
		errs.Invalid("unit", "error.too_long", 20)
	}
	if a.Year < 2000 || a.Year > 2100 {
		errs.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	if math.IsNaN(a.Weight) || a.Weight <= 0 || a.Weight > 100 {
		errs.Invalid("weight", "assessment.weight_range")
	}
	if math.IsNaN(a.Target) || a.Target < 0 || a.Target > 1e12 {
		errs.Invalid("target", "error.out_of_range", 0, int64(1e12))
	}
	if a.Source != "" && !slices.Contains(AssessmentSources, a.Source) {
		errs.Invalid("source", "error.invalid_choice")
	}
	if a.Value != nil && (math.IsNaN(*a.Value) || math.Abs(*a.Value) > 1e12) {
		errs.Invalid("value", "error.out_of_range", int64(-1e12), int64(1e12))
	}
	if !errs.Has("evidence") && utf8.RuneCountInString(a.Evidence) > 2000 {
		errs.Invalid("evidence", "error.too_long", 2000)
	}
	var links []string
	for _, l := range a.Links {
		for _, line := range strings.Split(l, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				links = append(links, line)
			}
		}
	}
	a.Links = links
	switch {
	case len(links) > MaxEvidenceLinks:
		errs.Invalid("links", "assessment.links_many", MaxEvidenceLinks)
	default:
		for _, l := range links {
			if len(l) > 200 || !linkRE.MatchString(l) || strings.HasPrefix(l, "//") {
				errs.Invalid("links", "assessment.link_format", l)
				break
			}
		}
	}
	if a.Source != "" {
		a.Value, a.Evidence, a.Links = nil, "", nil
	}
	return errs.Err()
}

// IndicatorScore is an indicator's score on the sheet.
type IndicatorScore struct {
	Share   float64 // the value against the target (target ÷ value when lower is better), before the cap; 0 without both
	Score   float64 // points earned (negative for a deduction)
	Missing bool    // no value yet
	NoGoal  bool    // no target (a deduction needs none)
}

// ScoreIndicator scores one indicator with its value (nil: none yet):
// weight × the share of the target reached, capped at AssessmentCap; a
// deduction takes weight points per unit of its value. Scores are kept to
// two decimals.
func ScoreIndicator(a *AssessmentIndicator, value *float64) IndicatorScore {
	var s IndicatorScore
	if value == nil {
		s.Missing = true
		s.NoGoal = !a.Deduction && a.Target <= 0
		return s
	}
	v := *value
	if a.Deduction {
		if off := round2(a.Weight * math.Max(v, 0)); off > 0 {
			s.Score = -off
		}
		return s
	}
	if a.Target <= 0 {
		s.NoGoal = true
		return s
	}
	switch {
	case !a.LowerGood:
		s.Share = math.Max(v, 0) / a.Target
	case v <= 0:
		s.Share = AssessmentCap
	default:
		s.Share = a.Target / v
	}
	s.Score = round2(a.Weight * math.Min(s.Share, AssessmentCap))
	return s
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// AssessmentTotal adds up the scores of a sheet, to two decimals, and the
// full marks: the weights of the indicators that are not deductions.
func AssessmentTotal(scores []IndicatorScore, sheet []*AssessmentIndicator) (total, full float64) {
	for i, s := range scores {
		total += s.Score
		if !sheet[i].Deduction {
			full += sheet[i].Weight
		}
	}
	return round2(total), round2(full)
}

// AssessmentGrade is the grade of a score out of full marks, as the
// province grades zones: 优秀 from 90%, 良好 from 80%, 合格 from 60%,
// 不合格 below; "" without full marks.
func AssessmentGrade(total, full float64) string {
	if full <= 0 {
		return ""
	}
	switch pct := total / full * 100; {
	case pct >= 90-1e-9:
		return "excellent"
	case pct >= 80-1e-9:
		return "good"
	case pct >= 60-1e-9:
		return "pass"
	}
	return "fail"
}

// ZoneScore is a zone's self-assessment score of a year.
type ZoneScore struct {
	ZoneID   int64
	ZoneName string
	Category string
	Score    float64
	Full     float64
	Grade    string
	Rank     int // within the category, 1 is the best; equal scores share a rank
	Of       int // zones in the category with a sheet for the year
}

// RankZones ranks zones within their categories by score, best first;
// equal scores share the better rank. It sorts zs by category, then rank,
// then name.
func RankZones(zs []ZoneScore) {
	slices.SortStableFunc(zs, func(a, b ZoneScore) int {
		if a.Category != b.Category {
			return strings.Compare(a.Category, b.Category)
		}
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ZoneName, b.ZoneName)
	})
	for i := 0; i < len(zs); {
		j := i
		for j < len(zs) && zs[j].Category == zs[i].Category {
			j++
		}
		for k := i; k < j; k++ {
			zs[k].Of = j - i
			zs[k].Rank = k - i + 1
			if k > i && zs[k].Score == zs[k-1].Score {
				zs[k].Rank = zs[k-1].Rank
			}
		}
		i = j
	}
}

// DefaultAssessmentSheet is the sheet a zone starts from: the indicators
// a Shanxi county industrial zone is likely judged on, the computable ones
// computed, weights adding up to 100. Targets are the zone's to set.
func DefaultAssessmentSheet(year int) []AssessmentIndicator {
	type d struct {
		name, unit, source string
		weight             float64
		lower, deduction   bool
	}
	list := []d{
		{"签约合同额", "亿元", "contract_amount", 12, false, false},
		{"到位资金", "亿元", "funds_in_place", 12, false, false},
		{"工业固定资产投资", "亿元", "fixed_assets", 10, false, false},
		{"新签约项目", "个", "projects_signed", 8, false, false},
		{"新开工项目", "个", "projects_started", 8, false, false},
		{"新投产项目", "个", "projects_producing", 8, false, false},
		{"新增招商线索", "条", "leads_reported", 4, false, false},
		{"亩均税收", "万元/亩", "tax_per_mu", 8, false, false},
		{"税收收入", "亿元", "enterprise_tax", 6, false, false},
		{"规上工业增加值增速", "%", "", 8, false, false},
		{"转型项目投资占工业投资比重", "%", "", 4, false, false},
		{"单位工业增加值能耗", "吨标煤/万元", "", 4, true, false},
		{"实际利用省外资金", "亿元", "", 4, false, false},
		{"高新技术和专精特新企业", "家", "", 4, false, false},
		{"环境保护与安全生产扣分", "项", "", 1, false, true},
	}
	out := make([]AssessmentIndicator, len(list))
	for i, x := range list {
		out[i] = AssessmentIndicator{Year: year, Name: x.name, Unit: x.unit, Source: x.source, Weight: x.weight,
			LowerGood: x.lower, Deduction: x.deduction, SortOrder: (i + 1) * 10}
	}
	return out
}
