package xinlu

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// MatchPark is what matching knows of a park: its positioning, thresholds
// (the park's own, or the zone's), utilities with current totals and
// build-outs, and its parcels.
type MatchPark struct {
	Park      *Park
	Standard  LandStandard
	Utilities []Utility
	Parcels   []*Parcel
}

// MatchProject is the project being matched (要素匹配).
type MatchProject struct {
	ID       int64
	Industry string
	Plan     Plan
	Date     string // the production date utilities are checked on
}

// ParcelFit is one parcel's answer.
type ParcelFit struct {
	Parcel  *Parcel
	Fit     bool
	Reasons []Reason
}

// ParkFit is one park's answer: fit yes or no with the reasons for no, and
// its free parcels, fitting ones first.
type ParkFit struct {
	Park       *Park
	Fit        bool
	Reasons    []Reason
	Parcels    []ParcelFit
	Headroom   float64 // the least share of capacity left free after the project, over its utilities
	Shortfalls []Shortfall
}

// MatchParks answers, for every park, whether it can host the project and
// why not; parks are ranked: fitting first, then fewer reasons, then more
// headroom, then by name.
func MatchParks(p MatchProject, parks []MatchPark) []ParkFit {
	out := make([]ParkFit, 0, len(parks))
	n := 0
	for i := range parks {
		n += len(parks[i].Parcels)
	}
	sc := &scratch{reasons: make([]Reason, 0, n), args: make([]any, 0, n), quantities: map[float64]any{}, labels: map[string]any{}}
	for i := range parks {
		out = append(out, matchPark(p, &parks[i], sc))
	}
	slices.SortStableFunc(out, func(a, b ParkFit) int {
		if a.Fit != b.Fit {
			if a.Fit {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(len(a.Reasons), len(b.Reasons)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Headroom, a.Headroom); c != 0 {
			return c
		}
		return cmp.Compare(a.Park.Name, b.Park.Name)
	})
	return out
}

// scratch holds what the parcels' reasons of one matching share: their
// reasons and arguments are cut from common arrays, and each argument is
// made once (many parcels are short by the same area).
type scratch struct {
	reasons    []Reason
	args       []any
	quantities map[float64]any // FormatQuantity
	ratios     map[float64]any // FormatRatio
	labels     map[string]any  // land uses' LabelKey
}

// reason appends one reason with its arguments to the parcel's, which
// are the last ones cut (start is where the parcel's began).
func (sc *scratch) reason(start int, key string, args ...any) []Reason {
	a := len(sc.args)
	sc.args = append(sc.args, args...)
	sc.reasons = append(sc.reasons, Reason{Key: key, Args: sc.args[a:len(sc.args):len(sc.args)]})
	return sc.reasons[start:len(sc.reasons):len(sc.reasons)]
}

// quantity is FormatQuantity(v) as an argument.
func (sc *scratch) quantity(v float64) any { return memo(sc.quantities, v, FormatQuantity) }

// ratio is FormatRatio(v) as an argument.
func (sc *scratch) ratio(v float64) any {
	if sc.ratios == nil {
		sc.ratios = map[float64]any{}
	}
	return memo(sc.ratios, v, FormatRatio)
}

// landUse is the label of a land use as an argument.
func (sc *scratch) landUse(use string) any {
	return memo(sc.labels, use, func(u string) LabelKey { return LabelKey("land.use." + u) })
}

func memo[K comparable, V any](m map[K]any, k K, make func(K) V) any {
	if w, ok := m[k]; ok {
		return w
	}
	w := any(make(k))
	m[k] = w
	return w
}

func matchPark(p MatchProject, mp *MatchPark, sc *scratch) ParkFit {
	f := ParkFit{Park: mp.Park, Headroom: 1}
	var reasons []Reason
	if p.Industry != "" && !slices.Contains(mp.Park.Industries, p.Industry) {
		reasons = append(reasons, Reason{Key: "match.industry", Args: []any{LabelKey("industry." + p.Industry)}})
	}
	land := p.Plan.LandMu
	if st := mp.Standard; land > 0 {
		if st.InvestPerMuYuan > 0 && p.Plan.TotalYuan != nil {
			if per := float64(*p.Plan.TotalYuan) / land; per < float64(st.InvestPerMuYuan) {
				reasons = append(reasons, Reason{Key: "match.invest_intensity",
					Args: []any{FormatQuantity(per / 10000), FormatQuantity(float64(st.InvestPerMuYuan) / 10000)}})
			}
		}
		if st.TaxPerMuYuan > 0 && p.Plan.TaxYuan != nil {
			if per := float64(*p.Plan.TaxYuan) / land; per < float64(st.TaxPerMuYuan) {
				reasons = append(reasons, Reason{Key: "match.tax_intensity",
					Args: []any{FormatQuantity(per / 10000), FormatQuantity(float64(st.TaxPerMuYuan) / 10000)}})
			}
		}
		if far := p.Plan.FloorAreaRatio(land); far > 0 {
			if st.FARMin > 0 && far < st.FARMin-1e-9 {
				reasons = append(reasons, Reason{Key: "match.far_low", Args: []any{FormatRatio(far), FormatRatio(st.FARMin)}})
			}
			if st.FARMax > 0 && far > st.FARMax+1e-9 {
				reasons = append(reasons, Reason{Key: "match.far_high", Args: []any{FormatRatio(far), FormatRatio(st.FARMax)}})
			}
		}
	}
	if per := p.Plan.EnergyPerOutput(); per > 0 && mp.Standard.EnergyPerOutput > 0 && per > mp.Standard.EnergyPerOutput+1e-9 {
		reasons = append(reasons, Reason{Key: "match.energy_intensity", Args: []any{FormatRatio(per), FormatRatio(mp.Standard.EnergyPerOutput)}})
	}
	_, shorts := Allocate(mp.Utilities, p.Plan, p.Date)
	f.Shortfalls = shorts
	for _, s := range shorts {
		reasons = append(reasons, s.Reason())
	}
	for i := range mp.Utilities {
		u := &mp.Utilities[i]
		if c := u.CapacityAt(p.Date); c > 0 {
			f.Headroom = math.Min(f.Headroom, (u.FreeAt(p.Date)-p.Plan.Demand(u.Kind))/c)
		}
	}
	// Parcels: every free one, and whether it is big enough.
	largest := 0.0
	anyFit := false
	f.Parcels = make([]ParcelFit, 0, len(mp.Parcels))
	for _, pc := range mp.Parcels {
		if !pc.Free(p.ID) {
			continue
		}
		pf := ParcelFit{Parcel: pc, Fit: true}
		start := len(sc.reasons)
		if land > 0 && pc.AreaMu+1e-9 < land {
			pf.Reasons = sc.reason(start, "match.parcel_small", sc.quantity(land-pc.AreaMu))
		}
		if pc.LandUse != "industrial" && pc.LandUse != "logistics" {
			pf.Reasons = sc.reason(start, "match.parcel_use", sc.landUse(pc.LandUse))
		}
		if pc.Status == ParcelPlanned {
			pf.Reasons = sc.reason(start, "match.parcel_planned")
		}
		// The floor area built on the whole parcel, against its planned range.
		if far := p.Plan.FloorAreaRatio(pc.AreaMu); far > 0 {
			if pc.FARMin > 0 && far < pc.FARMin-1e-9 {
				pf.Reasons = sc.reason(start, "match.parcel_far_low", sc.ratio(far), sc.ratio(pc.FARMin))
			}
			if pc.FARMax > 0 && far > pc.FARMax+1e-9 {
				pf.Reasons = sc.reason(start, "match.parcel_far_high", sc.ratio(far), sc.ratio(pc.FARMax))
			}
		}
		pf.Fit = len(pf.Reasons) == 0
		largest = math.Max(largest, pc.AreaMu)
		anyFit = anyFit || pf.Fit
		f.Parcels = append(f.Parcels, pf)
	}
	slices.SortFunc(f.Parcels, func(a, b ParcelFit) int {
		if a.Fit != b.Fit {
			if a.Fit {
				return -1
			}
			return 1
		}
		// Closest in size first: the least land left over; then by code.
		if c := cmp.Compare(math.Abs(a.Parcel.AreaMu-land), math.Abs(b.Parcel.AreaMu-land)); c != 0 {
			return c
		}
		return cmp.Compare(a.Parcel.Code, b.Parcel.Code)
	})
	if land > 0 && !anyFit {
		if largest+1e-9 < land {
			reasons = append(reasons, Reason{Key: "match.land_short", Args: []any{FormatQuantity(land - largest)}})
		} else {
			reasons = append(reasons, Reason{Key: "match.no_parcel"})
		}
	}
	f.Reasons = reasons
	f.Fit = len(reasons) == 0
	return f
}

// SquareMetresPerMu is the area of one mu (亩): 10,000/15 m².
const SquareMetresPerMu = 10000.0 / 15

// FloorAreaRatio is the plan's floor-area ratio (容积率) on landMu of land:
// its floor area over the land's area; 0 when either is unknown.
func (p Plan) FloorAreaRatio(landMu float64) float64 {
	if p.FloorAreaM2 <= 0 || landMu <= 0 {
		return 0
	}
	return p.FloorAreaM2 / (landMu * SquareMetresPerMu)
}

// EnergyPerOutput is the plan's energy use per unit of output (单位产值能耗)
// in t of standard coal per 万元; 0 when energy or output is unknown.
func (p Plan) EnergyPerOutput() float64 {
	if p.EnergyTce <= 0 || p.OutputYuan == nil || *p.OutputYuan <= 0 {
		return 0
	}
	return p.EnergyTce / (float64(*p.OutputYuan) / 10000)
}

// FormatRatio writes a ratio with at most three decimals: 1.2 → "1.2",
// 0.04567 → "0.046".
func FormatRatio(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}
