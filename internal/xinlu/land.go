package xinlu

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ParcelStatus is where a parcel (地块) stands on its way from plan to use.
type ParcelStatus string

const (
	ParcelPlanned  ParcelStatus = "planned"  // 规划
	ParcelServiced ParcelStatus = "serviced" // 已完成基础设施配套（净地）
	ParcelListed   ParcelStatus = "listed"   // 挂牌出让
	ParcelSold     ParcelStatus = "sold"     // 已出让
	ParcelInUse    ParcelStatus = "in_use"   // 已使用（开工建设）
)

// ParcelStatuses lists the statuses in order.
var ParcelStatuses = []ParcelStatus{ParcelPlanned, ParcelServiced, ParcelListed, ParcelSold, ParcelInUse}

// LandUses are the land uses of a parcel (用地性质).
var LandUses = []string{"industrial", "logistics", "commercial", "public"}

// Parcel is a plot of land in a park (地块), measured in mu.
type Parcel struct {
	ID          int64
	ZoneID      int64
	ParkID      int64
	Code        string
	AreaMu      float64
	LandUse     string
	FARMin      float64 // planned floor-area ratio (容积率) range
	FARMax      float64
	Status      ParcelStatus
	ProjectID   int64  // the project it is reserved for or sold to; 0: none
	AgreedStart string // sold: the agreed construction start (约定开工日期), YYYY-MM-DD
	IdleSince   string // set by the hourly job: sold, agreed start passed, not started (闲置土地)
	Shape       string // the parcel on the park plan: "x,y x,y x,y …" in plan units (0–1000)
	Note        string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	ParkName    string // read model
	ProjectName string // read model
}

// MaxParcelAreaMu bounds a parcel's area.
const MaxParcelAreaMu = 1_000_000

// Validate checks a parcel as typed and trims its texts.
func (p *Parcel) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"code", &p.Code}))
	errs.Add(cleanTexts(textField{"note", &p.Note}))
	switch {
	case errs.Has("code"):
	case p.Code == "":
		errs.Invalid("code", "error.required")
	case len([]rune(p.Code)) > 32:
		errs.Invalid("code", "error.too_long", 32)
	}
	if p.ParkID == 0 {
		errs.Invalid("park_id", "error.required")
	}
	if math.IsNaN(p.AreaMu) || p.AreaMu <= 0 || p.AreaMu > MaxParcelAreaMu {
		errs.Invalid("area_mu", "error.out_of_range", 0, MaxParcelAreaMu)
	}
	if !slices.Contains(LandUses, p.LandUse) {
		errs.Invalid("land_use", "error.invalid_choice")
	}
	if p.FARMin < 0 || p.FARMax < 0 || p.FARMin > 20 || p.FARMax > 20 || math.IsNaN(p.FARMin) || math.IsNaN(p.FARMax) {
		errs.Invalid("far_min", "error.out_of_range", 0, 20)
	} else if p.FARMax != 0 && p.FARMin > p.FARMax {
		errs.Invalid("far_max", "land.far_range")
	}
	if p.Status == "" {
		p.Status = ParcelPlanned
	}
	if !slices.Contains(ParcelStatuses, p.Status) {
		errs.Invalid("status", "error.invalid_choice")
	}
	p.AgreedStart = strings.TrimSpace(p.AgreedStart)
	if p.AgreedStart != "" {
		if _, err := ParseDate(p.AgreedStart); err != nil {
			errs.Invalid("agreed_start", "error.date_format")
		}
	}
	if (p.Status == ParcelSold || p.Status == ParcelInUse) && p.ProjectID == 0 {
		errs.Invalid("project_id", "land.parcel_sold_needs_project")
	}
	if p.Status == ParcelSold && p.AgreedStart == "" && !errs.Has("agreed_start") {
		errs.Invalid("agreed_start", "land.parcel_sold_needs_start")
	}
	p.Shape = strings.TrimSpace(p.Shape)
	if p.Shape != "" {
		if _, err := ParseShape(p.Shape); err != nil {
			errs.Add(err)
		}
	}
	if !errs.Has("note") && len([]rune(p.Note)) > 500 {
		errs.Invalid("note", "error.too_long", 500)
	}
	return errs.Err()
}

// Point is a corner of a parcel on the park plan.
type Point struct{ X, Y float64 }

// PlanSize is the side of the square plan that shapes are drawn on.
const PlanSize = 1000

// ParseShape reads "x,y x,y x,y …": at least three corners inside the plan.
func ParseShape(s string) ([]Point, error) {
	var pts []Point
	for _, pair := range strings.Fields(s) {
		xs, ys, ok := strings.Cut(pair, ",")
		x, errX := strconv.ParseFloat(xs, 64)
		y, errY := strconv.ParseFloat(ys, 64)
		if !ok || errX != nil || errY != nil || x < 0 || y < 0 || x > PlanSize || y > PlanSize {
			return nil, Invalid("shape", "land.shape_format", PlanSize)
		}
		pts = append(pts, Point{x, y})
	}
	if len(pts) < 3 || len(pts) > 64 {
		return nil, Invalid("shape", "land.shape_format", PlanSize)
	}
	return pts, nil
}

// CheckParcelMove decides whether a parcel may go from one status to
// another: one step forward along ParcelStatuses, or a sale undone
// (sold → listed, the contract cancelled). It returns a conflict naming
// both statuses otherwise.
func CheckParcelMove(from, to ParcelStatus) error {
	i, j := slices.Index(ParcelStatuses, from), slices.Index(ParcelStatuses, to)
	if i >= 0 && j == i+1 || from == ParcelSold && to == ParcelListed {
		return nil
	}
	return &Error{Code: ECONFLICT, Field: "status", Key: "land.parcel_move_not_allowed",
		Args: []any{LabelKey("land.status." + string(from)), LabelKey("land.status." + string(to))}}
}

// ParcelIdleSince is the date from which a parcel is idle land (闲置土地):
// a sold parcel whose agreed start has passed (before today) while the
// project on it has not started construction. "" when it is not idle.
func ParcelIdleSince(p *Parcel, started bool, today time.Time) string {
	if p.Status != ParcelSold || started || p.AgreedStart == "" {
		return ""
	}
	if p.AgreedStart < today.Format(DateLayout) {
		return p.AgreedStart
	}
	return ""
}

// IdleDays is how many days the parcel has been idle on today; 0 if it is not.
func (p *Parcel) IdleDays(today time.Time) int {
	if p.IdleSince == "" {
		return 0
	}
	d, err := ParseDate(p.IdleSince)
	if err != nil {
		return 0
	}
	return int(truncateDay(today).Sub(d).Hours() / 24)
}

// Free reports whether the parcel can still be offered to projectID: not
// sold or in use, and reserved for nobody else.
func (p *Parcel) Free(projectID int64) bool {
	return (p.Status == ParcelPlanned || p.Status == ParcelServiced || p.Status == ParcelListed) &&
		(p.ProjectID == 0 || p.ProjectID == projectID)
}

// LandStandard is the standard-land thresholds (标准地) of a park, or of the
// zone when a park sets none: a project must reach the investment and tax
// per mu; floor-area ratio and energy per unit of output are the limits
// stated on the land offer. Zero leaves a threshold unset.
type LandStandard struct {
	InvestPerMuYuan int64   // 投资强度 ≥ 元/亩
	TaxPerMuYuan    int64   // 亩均税收 ≥ 元/亩
	FARMin          float64 // 容积率 range
	FARMax          float64
	EnergyPerOutput float64 // 单位产值能耗 ≤ 吨标煤/万元
}

// Validate checks the thresholds.
func (s LandStandard) Validate() error {
	var errs FieldErrors
	if s.InvestPerMuYuan < 0 || s.InvestPerMuYuan > MaxInvestmentYuan {
		errs.Invalid("invest_per_mu_yuan", "error.out_of_range", 0, MaxInvestmentYuan)
	}
	if s.TaxPerMuYuan < 0 || s.TaxPerMuYuan > MaxInvestmentYuan {
		errs.Invalid("tax_per_mu_yuan", "error.out_of_range", 0, MaxInvestmentYuan)
	}
	if s.FARMin < 0 || s.FARMax < 0 || s.FARMin > 20 || s.FARMax > 20 || math.IsNaN(s.FARMin) || math.IsNaN(s.FARMax) {
		errs.Invalid("far_min", "error.out_of_range", 0, 20)
	} else if s.FARMax != 0 && s.FARMin > s.FARMax {
		errs.Invalid("far_max", "land.far_range")
	}
	if s.EnergyPerOutput < 0 || s.EnergyPerOutput > 1000 || math.IsNaN(s.EnergyPerOutput) {
		errs.Invalid("energy_per_output", "error.out_of_range", 0, 1000)
	}
	return errs.Err()
}

// IsZero reports whether no threshold is set.
func (s LandStandard) IsZero() bool { return s == LandStandard{} }

// FormatQuantity writes a quantity with thousands separators and at most
// two decimals: 12500 → "12,500", 2.5 → "2.5".
func FormatQuantity(v float64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
