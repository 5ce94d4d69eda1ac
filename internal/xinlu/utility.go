package xinlu

import (
	"math"
	"slices"
	"strings"
	"time"
)

// UtilityKind is one of a park's utilities (要素保障).
type UtilityKind string

const (
	UtilityWater UtilityKind = "water" // 集中供水, t/d
	UtilityPower UtilityKind = "power" // 增量配电网, kVA
	UtilityGas   UtilityKind = "gas"   // 双管网天然气, m³/d, per supplier
	UtilityHeat  UtilityKind = "heat"  // 园区供热, t/h steam
)

// UtilityKinds lists the kinds in display order.
var UtilityKinds = []UtilityKind{UtilityWater, UtilityPower, UtilityGas, UtilityHeat}

// Unit is the unit of the kind's capacity, as written in both languages.
func (k UtilityKind) Unit() string {
	switch k {
	case UtilityWater:
		return "t/d"
	case UtilityPower:
		return "kVA"
	case UtilityGas:
		return "m³/d"
	case UtilityHeat:
		return "t/h"
	}
	return ""
}

// Demand is what a plan asks of the utility kind.
func (p Plan) Demand(k UtilityKind) float64 {
	switch k {
	case UtilityWater:
		return p.WaterTPD
	case UtilityPower:
		return p.PowerKVA
	case UtilityGas:
		return p.GasM3PD
	case UtilityHeat:
		return p.HeatTPH
	}
	return 0
}

// DefaultWarnRatio is the headroom under which a utility is flagged: free
// below 30% of capacity.
const DefaultWarnRatio = 0.3

// MaxCapacity bounds a capacity or a build-out's addition.
const MaxCapacity = 1e9

// Utility is one utility of a park (water, power, heat; gas once per
// supplier) with its capacity over time and running totals of what is
// committed (projects producing) and reserved (signed, not producing).
type Utility struct {
	ID           int64
	ZoneID       int64
	ParkID       int64
	Kind         UtilityKind
	Supplier     string  // gas: the pipeline company; may be "" for the others
	BaseCapacity float64 // capacity in service before any recorded build-out
	WarnRatio    float64 // headroom warning under this share of capacity
	Committed    float64 // running totals of the ledger
	Reserved     float64
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Buildouts    []Buildout // read model, by effective date

	ParkName string // read model
}

// Validate checks a utility as typed.
func (u *Utility) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"supplier", &u.Supplier}))
	if !slices.Contains(UtilityKinds, u.Kind) {
		errs.Invalid("kind", "error.invalid_choice")
	}
	if u.ParkID == 0 {
		errs.Invalid("park_id", "error.required")
	}
	if !errs.Has("supplier") && len([]rune(u.Supplier)) > 64 {
		errs.Invalid("supplier", "error.too_long", 64)
	}
	if math.IsNaN(u.BaseCapacity) || u.BaseCapacity < 0 || u.BaseCapacity > MaxCapacity {
		errs.Invalid("base_capacity", "error.out_of_range", 0, int64(MaxCapacity))
	}
	if u.WarnRatio == 0 {
		u.WarnRatio = DefaultWarnRatio
	}
	if math.IsNaN(u.WarnRatio) || u.WarnRatio < 0 || u.WarnRatio > 1 {
		errs.Invalid("warn_ratio", "error.out_of_range", 0, 1)
	}
	return errs.Err()
}

// BuildoutStatus is where a build-out stands.
type BuildoutStatus string

const (
	BuildoutPlanned      BuildoutStatus = "planned"
	BuildoutConstruction BuildoutStatus = "under_construction"
	BuildoutCommissioned BuildoutStatus = "commissioned"
	BuildoutDelayed      BuildoutStatus = "delayed"
)

// BuildoutStatuses lists the statuses in order.
var BuildoutStatuses = []BuildoutStatus{BuildoutPlanned, BuildoutConstruction, BuildoutCommissioned, BuildoutDelayed}

// Buildout is planned added capacity of a utility: a new water plant, a
// substation, a second gas line, a heat source (扩容工程).
type Buildout struct {
	ID        int64
	ZoneID    int64
	UtilityID int64
	Name      string
	Added     float64
	PlannedOn string // planned commissioning, YYYY-MM-DD
	ActualOn  string // actual commissioning, set when commissioned
	Status    BuildoutStatus
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks a build-out as typed.
func (b *Buildout) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"name", &b.Name}))
	switch {
	case errs.Has("name"):
	case b.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(b.Name)) > 64:
		errs.Invalid("name", "error.too_long", 64)
	}
	if b.UtilityID == 0 {
		errs.Invalid("utility_id", "error.required")
	}
	if math.IsNaN(b.Added) || b.Added <= 0 || b.Added > MaxCapacity {
		errs.Invalid("added", "error.out_of_range", 0, int64(MaxCapacity))
	}
	b.PlannedOn, b.ActualOn = strings.TrimSpace(b.PlannedOn), strings.TrimSpace(b.ActualOn)
	if _, err := ParseDate(b.PlannedOn); err != nil {
		errs.Invalid("planned_on", "error.date_format")
	}
	if b.ActualOn != "" {
		if _, err := ParseDate(b.ActualOn); err != nil {
			errs.Invalid("actual_on", "error.date_format")
		}
	}
	if b.Status == "" {
		b.Status = BuildoutPlanned
	}
	switch {
	case !slices.Contains(BuildoutStatuses, b.Status):
		errs.Invalid("status", "error.invalid_choice")
	case b.Status == BuildoutCommissioned && b.ActualOn == "":
		errs.Invalid("actual_on", "land.buildout_actual_required")
	case b.Status != BuildoutCommissioned && b.ActualOn != "":
		errs.Invalid("actual_on", "land.buildout_actual_only_commissioned")
	}
	return errs.Err()
}

// CheckBuildoutMove decides a build-out's status change: planned → under
// construction → commissioned; planned or under construction → delayed;
// delayed → under construction or commissioned.
func CheckBuildoutMove(from, to BuildoutStatus) error {
	ok := map[BuildoutStatus][]BuildoutStatus{
		BuildoutPlanned:      {BuildoutConstruction, BuildoutDelayed, BuildoutCommissioned},
		BuildoutConstruction: {BuildoutCommissioned, BuildoutDelayed},
		BuildoutDelayed:      {BuildoutConstruction, BuildoutCommissioned},
	}
	if from == to || slices.Contains(ok[from], to) {
		return nil
	}
	return &Error{Code: ECONFLICT, Field: "status", Key: "land.buildout_move_not_allowed",
		Args: []any{LabelKey("land.buildout." + string(from)), LabelKey("land.buildout." + string(to))}}
}

// CountsFrom is the date from which the build-out's capacity counts: the
// actual commissioning date once commissioned, the planned date while
// planned or under construction. A delayed build-out counts from no date
// ("") until it is rescheduled: its date is not to be relied on.
func (b Buildout) CountsFrom() string {
	switch b.Status {
	case BuildoutCommissioned:
		return b.ActualOn
	case BuildoutPlanned, BuildoutConstruction:
		return b.PlannedOn
	}
	return ""
}

// CapacityAt is the utility's design capacity on date (YYYY-MM-DD): the
// base plus every build-out counting by then.
func (u *Utility) CapacityAt(date string) float64 {
	c := u.BaseCapacity
	for _, b := range u.Buildouts {
		if from := b.CountsFrom(); from != "" && from <= date {
			c += b.Added
		}
	}
	return c
}

// FreeAt is what is left on date: capacity − committed − reserved. It may
// be negative when a build-out counted on slips or a director overrode.
func (u *Utility) FreeAt(date string) float64 { return u.CapacityAt(date) - u.Committed - u.Reserved }

// Warning reports whether free capacity on date is under the warning share.
func (u *Utility) Warning(date string) bool {
	c := u.CapacityAt(date)
	return c > 0 && u.FreeAt(date) < u.WarnRatio*c || c == 0 && u.Committed+u.Reserved > 0
}

// Step is the utility's capacity from a date on: the capacity over time
// as steps, one per build-out that counts.
type Step struct {
	From     string // "" for the base
	Capacity float64
	Buildout string // the build-out that adds it
}

// Steps is the capacity over time: the base, then one step per counting
// build-out in date order.
func (u *Utility) Steps() []Step {
	out := []Step{{Capacity: u.BaseCapacity}}
	bs := slices.Clone(u.Buildouts)
	slices.SortStableFunc(bs, func(a, b Buildout) int { return strings.Compare(a.CountsFrom(), b.CountsFrom()) })
	c := u.BaseCapacity
	for _, b := range bs {
		if b.CountsFrom() == "" {
			continue
		}
		c += b.Added
		out = append(out, Step{From: b.CountsFrom(), Capacity: c, Buildout: b.Name})
	}
	return out
}

// FixedBy is the first build-out after which need fits (free ≥ need), with
// the date it counts from; nil if none does.
func (u *Utility) FixedBy(need float64) *Step {
	used := u.Committed + u.Reserved
	for _, s := range u.Steps()[1:] {
		if s.Capacity-used >= need-1e-9 {
			return &s
		}
	}
	return nil
}

// Allocation is one utility's share of a project's demand.
type Allocation struct {
	UtilityID int64
	Kind      UtilityKind
	Amount    float64
}

// Shortfall is a utility kind that cannot carry a demand on a date.
type Shortfall struct {
	Kind     UtilityKind
	Need     float64
	Free     float64 // the most free in any one utility of the kind (gas: per supplier)
	Short    float64 // Need − Free
	Date     string
	FixedBy  string // the build-out that would fix it, if any
	FixedOn  string
	Recorded bool // false: the park has no utility of this kind recorded
}

// Reason is the shortfall in words for the user.
func (s Shortfall) Reason() Reason {
	unit := s.Kind.Unit()
	label := LabelKey("land.utility." + string(s.Kind))
	if !s.Recorded {
		return Reason{Key: "match.utility_unrecorded", Args: []any{label}}
	}
	if s.FixedBy != "" {
		return Reason{Key: "match.utility_short_fixed", Args: []any{label, FormatQuantity(s.Short), unit, s.Date, s.FixedBy, s.FixedOn}}
	}
	return Reason{Key: "match.utility_short", Args: []any{label, FormatQuantity(s.Short), unit, s.Date}}
}

// Allocate places a plan's demand on a park's utilities as of date (the
// promised production start): each kind on the utility of that kind with
// the most free capacity on that date (gas comes from one pipeline). A kind
// the plan needs that no utility can carry is a shortfall; a kind with no
// utility recorded in the park is a shortfall with Recorded false. The
// utilities' running totals must be current.
func Allocate(us []Utility, plan Plan, date string) ([]Allocation, []Shortfall) {
	var allocs []Allocation
	var shorts []Shortfall
	for _, k := range UtilityKinds {
		need := plan.Demand(k)
		if need <= 0 {
			continue
		}
		var best *Utility
		bestFree := math.Inf(-1)
		for i := range us {
			if us[i].Kind != k {
				continue
			}
			if f := us[i].FreeAt(date); f > bestFree {
				best, bestFree = &us[i], f
			}
		}
		switch {
		case best == nil:
			shorts = append(shorts, Shortfall{Kind: k, Need: need, Date: date})
		case bestFree+1e-9 >= need:
			allocs = append(allocs, Allocation{UtilityID: best.ID, Kind: k, Amount: need})
		default:
			s := Shortfall{Kind: k, Need: need, Free: math.Max(bestFree, 0), Date: date, Recorded: true}
			s.Short = need - s.Free
			if st := best.FixedBy(need); st != nil {
				s.FixedBy, s.FixedOn = st.Buildout, st.From
			}
			shorts = append(shorts, s)
		}
	}
	return allocs, shorts
}

// RefuseShortfall is the error of a signing refused for want of a utility:
// it names the first utility short, the shortfall and the date.
func RefuseShortfall(shorts []Shortfall) error { return refuseShort(shorts, "land.signing_short") }

// RefuseRevisionShortfall is the error of a revised plan refused for want
// of a utility: as RefuseShortfall, for the increase.
func RefuseRevisionShortfall(shorts []Shortfall) error {
	return refuseShort(shorts, "land.revision_short")
}

func refuseShort(shorts []Shortfall, key string) error {
	for _, s := range shorts {
		if !s.Recorded {
			continue
		}
		return &Error{Code: ECONFLICT, Field: "utilities", Key: key,
			Args: []any{LabelKey("land.utility." + string(s.Kind)), FormatQuantity(s.Short), s.Kind.Unit(), s.Date}}
	}
	return nil
}

// LedgerKind is what a utility ledger row records.
type LedgerKind string

const (
	LedgerReserve LedgerKind = "reserve" // signing reserves the plan's demand
	LedgerRelease LedgerKind = "release" // the project lost: what it held goes back
	LedgerCommit  LedgerKind = "commit"  // production started: reserved becomes committed
	LedgerAdjust  LedgerKind = "adjust"  // a revised demand
)

// LedgerKinds lists the kinds.
var LedgerKinds = []LedgerKind{LedgerReserve, LedgerRelease, LedgerCommit, LedgerAdjust}

// LedgerEntry is one row of the utility reservation ledger: the change in
// reserved and committed of one utility, by one project.
type LedgerEntry struct {
	ID          int64
	ZoneID      int64
	UtilityID   int64
	ProjectID   int64
	Kind        LedgerKind
	Reserved    float64 // delta
	Committed   float64 // delta
	Reason      string
	Override    bool // a director signed over a shortfall
	ActorID     int64
	ActorName   string
	At          time.Time
	ProjectName string // read model
	UtilityKind UtilityKind
	Supplier    string
	ParkName    string
}

// Totals sums a ledger into reserved and committed per utility: what the
// running totals must equal.
func Totals(entries []LedgerEntry) map[int64][2]float64 {
	out := map[int64][2]float64{}
	for _, e := range entries {
		t := out[e.UtilityID]
		t[0] += e.Reserved
		t[1] += e.Committed
		out[e.UtilityID] = t
	}
	return out
}

// Reason is a "no" in words: a locale key with its arguments (LabelKey
// arguments are translated too).
type Reason struct {
	Key  string
	Args []any
}

// CheckUtilityDelete refuses to delete a utility the reservation ledger
// names (ledgerRows of its rows): the ledger is the history of what
// projects reserved and used there and must stay recomputable.
func CheckUtilityDelete(ledgerRows int) error {
	if ledgerRows > 0 {
		return &Error{Code: ECONFLICT, Field: "utility_id", Key: "land.utility_in_ledger", Args: []any{ledgerRows}}
	}
	return nil
}

// CheckBuildoutDelete refuses to delete a build-out of u the reservations
// count on: without it, the most the utility ever carries would be less
// than what is committed and reserved there.
func CheckBuildoutDelete(u *Utility, buildoutID int64) error {
	used := u.Committed + u.Reserved
	if used <= 0 {
		return nil
	}
	rest := *u
	rest.Buildouts = slices.DeleteFunc(slices.Clone(u.Buildouts), func(b Buildout) bool { return b.ID == buildoutID })
	most := rest.BaseCapacity
	for _, s := range rest.Steps() {
		most = max(most, s.Capacity)
	}
	if most < used-1e-9 {
		return &Error{Code: ECONFLICT, Field: "buildout_id", Key: "land.buildout_counted_on", Args: []any{FormatQuantity(used), FormatQuantity(most), u.Kind.Unit()}}
	}
	return nil
}

// AdjustHoldings works out how a revised plan changes what a project
// holds of a park's utilities (us, running totals current; held: what it
// holds of each utility by id, reserved plus committed) on date: for each
// kind, the new demand less what it holds of that kind. A decrease comes
// off the utilities it holds. An increase goes on the utility of the kind
// it holds if that one has it free on date; else the whole new demand
// moves to the utility of the kind with the most free, if that one can
// carry it (gas comes from one pipeline); a kind it holds nothing of is
// placed as at signing. What cannot be carried is a shortfall (the
// increase against what the held utility has free), and its allocation
// is still returned, on the held utility or the one with the most free:
// it applies only when a director overrides. A kind with no utility
// recorded in the park is a shortfall with Recorded false and no
// allocation. Allocations are deltas, by kind.
func AdjustHoldings(us []Utility, held map[int64]float64, plan Plan, date string) ([]Allocation, []Shortfall) {
	var allocs []Allocation
	var shorts []Shortfall
	for _, k := range UtilityKinds {
		need := plan.Demand(k)
		var holding float64
		var heldU, best *Utility
		bestFree := math.Inf(-1)
		for i := range us {
			u := &us[i]
			if u.Kind != k {
				continue
			}
			if h := held[u.ID]; h != 0 {
				holding += h
				if heldU == nil || h > held[heldU.ID] {
					heldU = u
				}
			}
			if f := u.FreeAt(date); f > bestFree {
				best, bestFree = u, f
			}
		}
		delta := need - holding
		switch {
		case math.Abs(delta) < 1e-9:
			continue
		case delta < 0:
			// Off the utilities held, the largest holding first.
			left := -delta
			for left > 1e-9 {
				var most *Utility
				for i := range us {
					if us[i].Kind == k && held[us[i].ID] > 0 && (most == nil || held[us[i].ID] > held[most.ID]) && !allocated(allocs, us[i].ID) {
						most = &us[i]
					}
				}
				if most == nil {
					break
				}
				off := math.Min(left, held[most.ID])
				allocs = append(allocs, Allocation{UtilityID: most.ID, Kind: k, Amount: -off})
				left -= off
			}
			continue
		case best == nil:
			shorts = append(shorts, Shortfall{Kind: k, Need: delta, Date: date})
			continue
		}
		if heldU != nil && heldU.FreeAt(date)+1e-9 >= delta {
			allocs = append(allocs, Allocation{UtilityID: heldU.ID, Kind: k, Amount: delta})
			continue
		}
		if bestFree+1e-9 >= need && (heldU == nil || best.ID != heldU.ID) {
			// Move the whole demand to the utility that carries it.
			for i := range us {
				if us[i].Kind == k && held[us[i].ID] != 0 {
					allocs = append(allocs, Allocation{UtilityID: us[i].ID, Kind: k, Amount: -held[us[i].ID]})
				}
			}
			allocs = append(allocs, Allocation{UtilityID: best.ID, Kind: k, Amount: need})
			continue
		}
		on := best
		if heldU != nil {
			on = heldU
		}
		free := on.FreeAt(date)
		s := Shortfall{Kind: k, Need: delta, Free: math.Max(free, 0), Date: date, Recorded: true}
		s.Short = delta - s.Free
		if st := on.FixedBy(delta); st != nil {
			s.FixedBy, s.FixedOn = st.Buildout, st.From
		}
		shorts = append(shorts, s)
		allocs = append(allocs, Allocation{UtilityID: on.ID, Kind: k, Amount: delta})
	}
	return allocs, shorts
}

func allocated(allocs []Allocation, utilityID int64) bool {
	for _, a := range allocs {
		if a.UtilityID == utilityID {
			return true
		}
	}
	return false
}
