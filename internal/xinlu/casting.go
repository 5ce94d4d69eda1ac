package xinlu

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Casting capacity replacement (铸造产能置换): a new casting project's
// capacity must be matched by old capacity retired, at a required ratio
// (1:1 by default, e.g. 1.25:1 where the province tightens it). Each
// tonne retired counts for one plan only.

// CastingProcesses are the kinds of casting capacity (工艺).
var CastingProcesses = []string{"cupola", "induction", "arc", "lost_foam", "other"}

// CastingStatus is whether capacity still runs.
type CastingStatus string

const (
	CastingActive  CastingStatus = "active"
	CastingRetired CastingStatus = "retired"
)

// CastingCapacity is one entry of the casting capacity register.
type CastingCapacity struct {
	ID         int64
	ZoneID     int64
	Enterprise string
	Process    string
	Tonnes     float64 // t/year
	Status     CastingStatus
	RetiredOn  string
	Verified   bool   // the retirement verified on site (拆除验收)
	VerifyNote string // by whom, document number
	PlanID     int64  // the plan that counts it; 0: none (read model)
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MaxCastingTonnes bounds a capacity entry.
const MaxCastingTonnes = 10_000_000

// Validate checks a register entry.
func (c *CastingCapacity) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"enterprise", &c.Enterprise}))
	errs.Add(cleanTexts(textField{"verify_note", &c.VerifyNote}))
	switch {
	case errs.Has("enterprise"):
	case c.Enterprise == "":
		errs.Invalid("enterprise", "error.required")
	case len([]rune(c.Enterprise)) > 100:
		errs.Invalid("enterprise", "error.too_long", 100)
	}
	if !slices.Contains(CastingProcesses, c.Process) {
		errs.Invalid("process", "error.invalid_choice")
	}
	if math.IsNaN(c.Tonnes) || c.Tonnes <= 0 || c.Tonnes > MaxCastingTonnes {
		errs.Invalid("tonnes", "error.out_of_range", 0, MaxCastingTonnes)
	}
	if c.Status == "" {
		c.Status = CastingActive
	}
	c.RetiredOn = strings.TrimSpace(c.RetiredOn)
	switch c.Status {
	case CastingActive:
		if c.RetiredOn != "" || c.Verified {
			errs.Invalid("status", "casting.active_not_retired")
		}
	case CastingRetired:
		if _, err := ParseDate(c.RetiredOn); err != nil {
			errs.Invalid("retired_on", "error.date_format")
		}
	default:
		errs.Invalid("status", "error.invalid_choice")
	}
	if c.Verified && c.VerifyNote == "" {
		errs.Invalid("verify_note", "casting.verify_note_required")
	}
	if !errs.Has("verify_note") && len([]rune(c.VerifyNote)) > 200 {
		errs.Invalid("verify_note", "error.too_long", 200)
	}
	return errs.Err()
}

// PlanStatus is where a replacement plan stands.
type PlanStatus string

const (
	PlanDraft     PlanStatus = "draft"
	PlanSubmitted PlanStatus = "submitted"
	PlanPublicity PlanStatus = "publicity"           // 公示
	PlanAnnounced PlanStatus = "announced"           // 公告
	PlanVerified  PlanStatus = "retirement_verified" // 淘汰产能拆除验收
	PlanDone      PlanStatus = "done"
	PlanRejected  PlanStatus = "rejected"
)

// DefaultCastRatio is the required ratio of retired to new capacity unless
// the zone sets another.
const DefaultCastRatio = 1.0

// PlanStatuses lists the statuses in order.
var PlanStatuses = []PlanStatus{PlanDraft, PlanSubmitted, PlanPublicity, PlanAnnounced, PlanVerified, PlanDone, PlanRejected}

// ReplacementPlan is a capacity replacement plan (产能置换方案) of a project.
type ReplacementPlan struct {
	ID          int64
	ZoneID      int64
	ProjectID   int64
	NewTonnes   float64 // the new project's capacity, t/year
	Ratio       float64 // required retired : new, fixed when the plan is made
	Status      PlanStatus
	Note        string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ProjectName string            // read model
	Claimed     []CastingCapacity // read model: the capacity it counts
}

// ClaimedTonnes sums the capacity the plan counts.
func (p *ReplacementPlan) ClaimedTonnes() float64 {
	var t float64
	for _, c := range p.Claimed {
		t += c.Tonnes
	}
	return t
}

// RequiredTonnes is what must be retired for the new capacity.
func (p *ReplacementPlan) RequiredTonnes() float64 { return p.NewTonnes * p.Ratio }

// RatioHolds reports whether the claimed capacity reaches the required.
func (p *ReplacementPlan) RatioHolds() bool { return p.ClaimedTonnes()+1e-9 >= p.RequiredTonnes() }

// ValidateRatio checks a zone's required ratio: from 1:1 to 5:1.
func ValidateRatio(r float64) error {
	if math.IsNaN(r) || r < 1 || r > 5 {
		return Invalid("ratio", "error.out_of_range", 1, 5)
	}
	return nil
}

// CheckPlanMove decides a plan's status change: one step along the flow,
// or rejected from any open status. Submitting needs the ratio to hold;
// verifying retirement needs every counted entry retired and verified.
func CheckPlanMove(p *ReplacementPlan, to PlanStatus) error {
	next := map[PlanStatus]PlanStatus{PlanDraft: PlanSubmitted, PlanSubmitted: PlanPublicity, PlanPublicity: PlanAnnounced,
		PlanAnnounced: PlanVerified, PlanVerified: PlanDone}
	switch {
	case to == PlanRejected && p.Status != PlanDone && p.Status != PlanRejected:
		return nil
	case next[p.Status] != to || to == "":
		return &Error{Code: ECONFLICT, Field: "status", Key: "casting.move_not_allowed",
			Args: []any{LabelKey("casting.plan." + string(p.Status)), LabelKey("casting.plan." + string(to))}}
	case to == PlanSubmitted && !p.RatioHolds():
		return &Error{Code: ECONFLICT, Field: "claimed", Key: "casting.ratio_short",
			Args: []any{FormatQuantity(p.ClaimedTonnes()), FormatQuantity(p.RequiredTonnes()), FormatQuantity(p.Ratio)}}
	case to == PlanVerified:
		for _, c := range p.Claimed {
			if c.Status != CastingRetired || !c.Verified {
				return &Error{Code: ECONFLICT, Field: "claimed", Key: "casting.not_verified", Args: []any{c.Enterprise, FormatQuantity(c.Tonnes)}}
			}
		}
	}
	return nil
}

// CheckCastingStart decides whether a casting project may start
// construction: one of its plans must be announced (or further) with its
// ratio holding. The refusal names the missing condition.
func CheckCastingStart(plans []*ReplacementPlan) error {
	if len(plans) == 0 {
		return &Error{Code: ECONFLICT, Field: "stage", Key: "casting.start_no_plan"}
	}
	var best *ReplacementPlan
	for _, p := range plans {
		switch p.Status {
		case PlanAnnounced, PlanVerified, PlanDone:
			if p.RatioHolds() {
				return nil
			}
			best = p
		}
	}
	if best != nil {
		return &Error{Code: ECONFLICT, Field: "stage", Key: "casting.start_ratio",
			Args: []any{FormatQuantity(best.ClaimedTonnes()), FormatQuantity(best.RequiredTonnes())}}
	}
	p := plans[0]
	for _, q := range plans {
		if q.Status != PlanRejected {
			p = q
		}
	}
	return &Error{Code: ECONFLICT, Field: "stage", Key: "casting.start_not_announced", Args: []any{LabelKey("casting.plan." + string(p.Status))}}
}
