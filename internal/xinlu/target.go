package xinlu

import (
	"math"
	"slices"
	"time"
)

// TargetSets are the indicator sets of the transformation targets: the
// province's four highs (四高) and the industry structure.
var TargetSets = []string{"quality_development", "high_level_rise", "high_standard_protection", "high_quality_life", "industry_structure"}

// CumulativeSource tells whether a computed indicator adds up over the year.
func CumulativeSource(src string) bool { return src == "six_new_projects" || src == "casting_retired" }

// TargetSources are the indicators xinlu computes from its own records;
// "" is an indicator entered by hand.
var TargetSources = []string{
	"leading_share",    // 主导产业签约额占比, % of the signed amount this year
	"six_new_projects", // 六新项目签约个数 this year
	"casting_retired",  // 淘汰铸造产能, t/year retired this year
	"tax_per_mu",       // 亩均税收, 万元/亩, the latest year with figures
	"utility_headroom", // 要素余量, the least free share of any park utility today, %
}

// TargetIndicator is one indicator of a set with its unit and whether it
// is computed.
type TargetIndicator struct {
	ID         int64
	ZoneID     int64
	Set        string
	Name       string
	Unit       string
	Source     string // one of TargetSources, or "" (entered)
	LowerGood  bool   // a lower value is better (energy per output, emissions)
	Cumulative bool   // the actual adds up over the year (counts, tonnes): on track at the year's share
	Version    int
	CreatedAt  time.Time
}

// Validate checks an indicator as typed.
func (t *TargetIndicator) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"name", &t.Name}, textField{"unit", &t.Unit}))
	switch {
	case errs.Has("name"):
	case t.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(t.Name)) > 100:
		errs.Invalid("name", "error.too_long", 100)
	}
	if !errs.Has("unit") && len([]rune(t.Unit)) > 20 {
		errs.Invalid("unit", "error.too_long", 20)
	}
	if !slices.Contains(TargetSets, t.Set) {
		errs.Invalid("set", "error.invalid_choice")
	}
	if t.Source != "" && !slices.Contains(TargetSources, t.Source) {
		errs.Invalid("source", "error.invalid_choice")
	}
	return errs.Err()
}

// TargetActual is a month's actual value of an indicator, as entered or
// computed.
type TargetActual struct {
	Year, Month int
	Value       float64
	By          string // who entered it; "" when computed
	At          time.Time
}

// Progress is an actual against its target: the share reached (0 when no
// target), capped at 2 for display, and whether it is on track in the
// month: a cumulative indicator at the share of the year gone by, a level
// at its target, a lower-is-better one at or under it.
func Progress(target, actual float64, month int, lowerGood, cumulative bool) (share float64, onTrack bool) {
	if target <= 0 || math.IsNaN(actual) {
		return 0, false
	}
	if lowerGood {
		if actual <= 0 {
			return 1, true
		}
		share = target / actual
		return math.Min(share, 2), actual <= target
	}
	share = actual / target
	if cumulative {
		return math.Min(share, 2), share+1e-9 >= float64(month)/12
	}
	return math.Min(share, 2), share+1e-9 >= 1
}
