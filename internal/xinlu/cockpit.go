package xinlu

import (
	"slices"
	"time"
)

// CockpitMeasure names one figure of the year that the director sets a
// target for (年度目标) and the cockpit sets the actual against.
type CockpitMeasure string

const (
	MeasureContractYuan CockpitMeasure = "contract_yuan"    // contracted amount of the projects signed in the year (签约额)
	MeasureFundsYuan    CockpitMeasure = "funds_yuan"       // funds put in place in the year (资金到位)
	MeasureSigned       CockpitMeasure = "signed"           // projects signed
	MeasureStarted      CockpitMeasure = "started"          // projects whose construction started
	MeasureProduced     CockpitMeasure = "produced"         // projects that started production
	MeasureFixedYuan    CockpitMeasure = "fixed_asset_yuan" // fixed-asset investment of the projects signed in the year
	MeasureLeads        CockpitMeasure = "leads"            // leads reported
)

// CockpitMeasures lists the year's figures in display order.
var CockpitMeasures = []CockpitMeasure{MeasureContractYuan, MeasureFundsYuan, MeasureFixedYuan, MeasureSigned, MeasureStarted,
	MeasureProduced, MeasureLeads}

// IsAmount reports whether m is an amount in yuan (entered in 万元).
func (m CockpitMeasure) IsAmount() bool {
	return m == MeasureContractYuan || m == MeasureFundsYuan || m == MeasureFixedYuan
}

// Valid reports whether m is a known measure.
func (m CockpitMeasure) Valid() bool { return slices.Contains(CockpitMeasures, m) }

// Year targets are bounded: amounts up to 10 trillion yuan (10^13), counts
// up to ten million; the year between MinTargetYear and MaxTargetYear.
const (
	MaxTargetYuan  = 10_000_000_000_000
	MaxTargetCount = 10_000_000
	MinTargetYear  = 2000
	MaxTargetYear  = 2100
)

// YearTargets are a zone's targets for one year; a measure missing from
// Values has no target.
type YearTargets struct {
	Year   int
	Values map[CockpitMeasure]int64
}

// Validate checks every target at once: each field is named after its
// measure.
func (t YearTargets) Validate() error {
	var errs FieldErrors
	if t.Year < MinTargetYear || t.Year > MaxTargetYear {
		errs.Invalid("year", "cockpit.year_range", MinTargetYear, MaxTargetYear)
	}
	for _, m := range CockpitMeasures {
		v, ok := t.Values[m]
		if !ok {
			continue
		}
		limit := int64(MaxTargetCount)
		if m.IsAmount() {
			limit = MaxTargetYuan
		}
		if v < 0 || v > limit {
			errs.Invalid(string(m), "cockpit.target_range")
		}
	}
	for m := range t.Values {
		if !m.Valid() {
			errs.Invalid(string(m), "error.invalid_choice")
		}
	}
	return errs.Err()
}

// TimeProgress is the share of year elapsed on today (时序进度), by months:
// each finished month counts a twelfth and the current one its elapsed
// days; 0 before the year, 1 after it. At the end of November it is 11/12.
func TimeProgress(year int, today time.Time) float64 {
	switch {
	case today.Year() < year:
		return 0
	case today.Year() > year:
		return 1
	}
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	days := first.AddDate(0, 1, -1).Day()
	return (float64(today.Month()-1) + float64(today.Day())/float64(days)) / 12
}

// Share is actual/target, and false without a target above zero.
func Share(actual, target int64) (float64, bool) {
	if target <= 0 {
		return 0, false
	}
	return float64(actual) / float64(target), true
}

// MedianOfCounts is the median of values given as counts per value (the
// mean of the two middle values for an even total), false when there are
// none.
func MedianOfCounts(counts map[int]int) (float64, bool) {
	total := 0
	var keys []int
	for v, n := range counts {
		if n > 0 {
			total += n
			keys = append(keys, v)
		}
	}
	if total == 0 {
		return 0, false
	}
	slices.Sort(keys)
	at := func(i int) int { // the i-th value (0-based) in order
		for _, k := range keys {
			if i < counts[k] {
				return k
			}
			i -= counts[k]
		}
		return keys[len(keys)-1]
	}
	if total%2 == 1 {
		return float64(at(total / 2)), true
	}
	return float64(at(total/2-1)+at(total/2)) / 2, true
}

// FunnelSteps are the five milestones of the cockpit's funnel, in order:
// leads reported, projects accepted (created), signed, construction
// started, production started. Transitions[i] is the step between
// FunnelSteps[i] and FunnelSteps[i+1], whose median working days the
// funnel shows.
var (
	FunnelSteps = []string{"lead", "created", "signed", "started", "produced"}
	Transitions = []string{"accept", "sign", "start", "produce"}
)

// CockpitZone is the zone whose cockpit u reads when asking for requested
// (0: their own): any zone for a user whose cockpit scope is every zone
// (the city's or province's viewer), their own zone otherwise. Another
// zone's is not found, as if it did not exist.
func CockpitZone(u *User, requested int64) (int64, error) {
	switch u.Filter(PermCockpitView).Scope {
	case ScopeAllZones:
		if requested != 0 {
			return requested, nil
		}
		if u.ZoneID != 0 {
			return u.ZoneID, nil
		}
		return 0, Invalid("zone_id", "error.required")
	case ScopeZone:
		if requested != 0 && requested != u.ZoneID {
			return 0, NotFound("error.not_found")
		}
		return u.ZoneID, nil
	}
	return 0, Forbidden()
}
