package xinlu

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Stage is a project's step in the five-step mode and after signing.
type Stage string

const (
	StagePackaging      Stage = "packaging"       // 专业组策划包装
	StagePromotion      Stage = "promotion"       // 领导组全力推进
	StageAgency         Stage = "agency"          // 专班全程代办 (signed)
	StageConstruction   Stage = "construction"    // 开工建设
	StageProduction     Stage = "production"      // 投产
	StageFullProduction Stage = "full_production" // 达产
)

// Stages lists the stages in order.
var Stages = []Stage{StagePackaging, StagePromotion, StageAgency, StageConstruction, StageProduction, StageFullProduction}

// ProjectStatus is whether a project moves.
type ProjectStatus string

const (
	ProjectActive ProjectStatus = "active"  // 推进中
	ProjectOnHold ProjectStatus = "on_hold" // 搁置
	ProjectLost   ProjectStatus = "lost"    // 流失
)

// LostReasons are why a project is lost.
var LostReasons = []string{"investor_withdrew", "contract_breach", "policy_block", "factor_unavailable"}

// SixNewTags are Shanxi's six priority categories (六新).
var SixNewTags = []string{"new_infrastructure", "new_technology", "new_materials", "new_equipment", "new_products", "new_business_forms"}

// ChainPositions are a project's place in an industry chain.
var ChainPositions = []string{"chain_leader", "supplier", "other"}

// Plan is the project plan the planning group packages (项目策划).
type Plan struct {
	Content        string // 建设内容
	TotalYuan      *int64 // nil: unknown (待定), like the other amounts below
	FixedAssetYuan *int64
	LandMu         float64
	WaterTPD       float64 // t/d
	PowerKVA       float64
	GasM3PD        float64 // m³/d
	HeatTPH        float64 // t/h
	OutputYuan     *int64  // expected annual output
	TaxYuan        *int64  // expected annual tax
	FloorAreaM2    float64 // planned floor area (总建筑面积), m²: with the land, the floor-area ratio
	EnergyTce      float64 // annual energy use (综合能耗), t of standard coal: with the output, energy per output
	Jobs           int
	SixNew         []string
	ChainPosition  string
	ProposedParkID int64
}

// Validate checks a plan before it goes to the leadership group: its total
// investment must be known and above 0; the other amounts may be unknown.
// Every field is checked; the error lists every one in error.
func (p *Plan) Validate() error { return p.check(true) }

// ValidateDraft checks a plan saved as a draft: what it has must be right,
// nothing is required yet.
func (p *Plan) ValidateDraft() error { return p.check(false) }

// SamePlan tells whether two plans hold the same figures and choices.
func SamePlan(a, b Plan) bool {
	return a.Content == b.Content && SameAmount(a.TotalYuan, b.TotalYuan) && SameAmount(a.FixedAssetYuan, b.FixedAssetYuan) &&
		a.LandMu == b.LandMu && a.WaterTPD == b.WaterTPD && a.PowerKVA == b.PowerKVA && a.GasM3PD == b.GasM3PD &&
		a.HeatTPH == b.HeatTPH && SameAmount(a.OutputYuan, b.OutputYuan) && SameAmount(a.TaxYuan, b.TaxYuan) &&
		a.FloorAreaM2 == b.FloorAreaM2 && a.EnergyTce == b.EnergyTce &&
		a.Jobs == b.Jobs && slices.Equal(a.SixNew, b.SixNew) && a.ChainPosition == b.ChainPosition &&
		a.ProposedParkID == b.ProposedParkID
}

// MaxPlanFigure bounds a plan's floor area (m²) and energy use (tce).
const MaxPlanFigure = 1e9

// MaxPlanJobs bounds the jobs a plan expects.
const MaxPlanJobs = 10_000_000

func (p *Plan) check(submit bool) error {
	var errs FieldErrors
	errs.Add(cleanTexts(textField{"content", &p.Content}))
	switch {
	case errs.Has("content"):
	case submit && p.Content == "":
		errs.Invalid("content", "error.required")
	case len([]rune(p.Content)) > 4000:
		errs.Invalid("content", "error.too_long", 4000)
	}
	errs.Add(p.CheckAmounts())
	switch {
	case errs.Has("total_yuan"):
	case submit && p.TotalYuan == nil:
		errs.Invalid("total_yuan", "project.total_unknown")
	case submit && *p.TotalYuan <= 0:
		errs.Invalid("total_yuan", "project.amount_positive")
	}
	if !errs.Has("fixed_asset_yuan") && submit && p.FixedAssetYuan != nil && p.TotalYuan != nil && *p.FixedAssetYuan > *p.TotalYuan {
		errs.Invalid("fixed_asset_yuan", "project.fixed_asset_range")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"land_mu", p.LandMu}, {"water_tpd", p.WaterTPD}, {"power_kva", p.PowerKVA}, {"gas_m3pd", p.GasM3PD}, {"heat_tph", p.HeatTPH},
		{"floor_area_m2", p.FloorAreaM2}, {"energy_tce", p.EnergyTce}} {
		if submit && f.v < 0 {
			errs.Invalid(f.name, "project.factor_negative")
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"floor_area_m2", p.FloorAreaM2}, {"energy_tce", p.EnergyTce}} {
		if !errs.Has(f.name) && (math.IsNaN(f.v) || f.v > MaxPlanFigure || f.v < -MaxPlanFigure) {
			errs.Invalid(f.name, "error.out_of_range", 0, int64(MaxPlanFigure))
		}
	}
	switch {
	case submit && p.Jobs < 0:
		errs.Invalid("jobs", "project.amount_negative")
	case p.Jobs > MaxPlanJobs:
		errs.Invalid("jobs", "error.out_of_range", 0, MaxPlanJobs)
	}
	if p.ChainPosition != "" && !slices.Contains(ChainPositions, p.ChainPosition) {
		errs.Invalid("chain_position", "error.invalid_choice")
	}
	for _, t := range p.SixNew {
		if !slices.Contains(SixNewTags, t) {
			errs.Invalid("six_new", "error.invalid_choice")
			break
		}
	}
	return errs.Err()
}

// CheckAmounts checks the plan's known amounts against their bound (0 to
// MaxInvestmentYuan each): what any plan must meet, a draft, a packaged one
// or one imported from a ledger with whatever it has. Unknown amounts pass.
func (p *Plan) CheckAmounts() error {
	var errs FieldErrors
	for _, a := range []struct {
		field string
		yuan  *int64
	}{{"total_yuan", p.TotalYuan}, {"fixed_asset_yuan", p.FixedAssetYuan}, {"output_yuan", p.OutputYuan}, {"tax_yuan", p.TaxYuan}} {
		if a.yuan != nil {
			errs.Add(CheckInvestmentYuan(a.field, *a.yuan, false))
		}
	}
	return errs.Err()
}

// MaxPlanReason bounds the reason of a revised plan, in characters.
const MaxPlanReason = 500

// RevisePlan checks a signed project's revised plan (its demand, amounts
// and figures, with the reason: a supplementary agreement, a changed
// design): the rules of a submitted plan, the park it was signed in kept
// (the reservation stays in that park; proposed park 0 keeps it). It
// returns the revised plan and whether it changes anything; an unchanged
// plan needs no reason.
func RevisePlan(old, revised Plan, reason string) (Plan, bool, error) {
	switch revised.ProposedParkID {
	case 0, old.ProposedParkID:
		revised.ProposedParkID = old.ProposedParkID
	default:
		return Plan{}, false, Invalid("proposed_park_id", "project.revise_park_kept")
	}
	var errs FieldErrors
	errs.Add(revised.Validate())
	reason, err := Text("note", reason)
	switch {
	case err != nil:
		errs.Add(err)
	case len([]rune(reason)) > MaxPlanReason:
		errs.Invalid("note", "error.too_long", MaxPlanReason)
	case reason == "" && len(errs) > 0:
		// A bad figure is a change: its reason is asked for with it.
		errs.Invalid("note", "project.plan_reason_required")
	}
	if err := errs.Err(); err != nil {
		return Plan{}, false, err
	}
	if SamePlan(old, revised) {
		return old, false, nil
	}
	if reason == "" {
		return Plan{}, false, Invalid("note", "project.plan_reason_required")
	}
	return revised, true, nil
}

// Signing is the investment agreement as signed (签约).
type Signing struct {
	SignedOn        string // YYYY-MM-DD
	ContractYuan    int64
	PromisedStart   string // promised construction start
	PromisedProduce string // promised production start
	// FundsSchedule is free text: a note on the funds schedule, and the
	// whole schedule of projects signed before it was structured.
	FundsSchedule string
	// Instalments is the funds schedule (资金到位计划): dated amounts, by due
	// date once validated. Stored apart from the project (store.FundsSchedule);
	// project reads leave it nil.
	Instalments []Instalment
}

// Instalment is one dated amount of a funds schedule (一笔计划到位资金).
type Instalment struct {
	DueOn string // YYYY-MM-DD
	Yuan  int64  // > 0
	Note  string
}

// MaxInstalments bounds a funds schedule; MaxInstalmentNote an
// instalment's note, in characters.
const (
	MaxInstalments    = 24
	MaxInstalmentNote = 200
)

// Validate checks a signing.
func (s *Signing) Validate(today time.Time) error {
	signed, err := ParseDate(s.SignedOn)
	if err != nil {
		return Invalid("signed_on", "error.date_format")
	}
	if signed.After(truncateDay(today)) {
		return Invalid("signed_on", "project.signed_in_future")
	}
	if err := CheckInvestmentYuan("contract_yuan", s.ContractYuan, true); err != nil {
		return err
	}
	start, err := ParseDate(s.PromisedStart)
	if err != nil {
		return Invalid("promised_start", "error.date_format")
	}
	produce, err := ParseDate(s.PromisedProduce)
	if err != nil {
		return Invalid("promised_produce", "error.date_format")
	}
	if start.Before(signed) {
		return Invalid("promised_start", "project.start_before_signing")
	}
	if produce.Before(start) {
		return Invalid("promised_produce", "project.produce_before_start")
	}
	return s.validateInstalments(signed)
}

// MaxScheduleReason bounds the reason of a revised funds schedule, in characters.
const MaxScheduleReason = 500

// ReviseSchedule checks a new funds schedule for a signed project, given
// with the reason for the change (a supplementary agreement, the investor's
// letter): the same rules as at signing, against the signing's date and
// contracted amount, and at least one instalment (a revision that empties
// the schedule is a mistake more often than a decision). It returns the
// instalments trimmed and by due date.
func (s Signing) ReviseSchedule(items []Instalment, reason string) ([]Instalment, error) {
	signed, err := ParseDate(s.SignedOn)
	if err != nil {
		return nil, Conflict("signed_on", "project.schedule_unsigned")
	}
	if reason, err = Text("note", reason); err != nil {
		return nil, err
	}
	switch {
	case reason == "":
		return nil, Invalid("note", "project.schedule_reason_required")
	case len([]rune(reason)) > MaxScheduleReason:
		return nil, Invalid("note", "error.too_long", MaxScheduleReason)
	}
	if len(items) == 0 {
		return nil, Invalid("funds_schedule_items", "project.schedule_revision_empty")
	}
	s.Instalments = slices.Clone(items)
	if err := s.validateInstalments(signed); err != nil {
		return nil, err
	}
	return s.Instalments, nil
}

// validateInstalments checks the funds schedule of a signing: at most
// MaxInstalments, each dated on or after the signing day with an amount
// above 0 and a short note, and together not above the contracted amount.
// An error names the instalment by its place as given (第 n 笔; its field
// is funds_schedule_items[n-1].…). Then it trims the notes and orders the
// instalments by due date (stable).
func (s *Signing) validateInstalments(signed time.Time) error {
	if len(s.Instalments) > MaxInstalments {
		return Invalid("funds_schedule_items", "project.schedule_too_many", MaxInstalments)
	}
	var sum int64
	for i := range s.Instalments {
		it := &s.Instalments[i]
		at := func(field string) string { return fmt.Sprintf("funds_schedule_items[%d].%s", i, field) }
		it.DueOn = strings.TrimSpace(it.DueOn)
		note, err := Text(at("note"), it.Note)
		if err != nil {
			return err
		}
		it.Note = note
		due, err := ParseDate(it.DueOn)
		switch {
		case err != nil:
			return &Error{Code: EINVALID, Field: at("due_on"), Key: "project.schedule_date_format", Args: []any{i + 1}}
		case due.Before(signed):
			return &Error{Code: EINVALID, Field: at("due_on"), Key: "project.schedule_before_signing", Args: []any{i + 1}}
		case it.Yuan <= 0:
			return &Error{Code: EINVALID, Field: at("amount_yuan"), Key: "project.schedule_amount_positive", Args: []any{i + 1}}
		case len([]rune(it.Note)) > MaxInstalmentNote:
			return &Error{Code: EINVALID, Field: at("note"), Key: "project.schedule_note_too_long", Args: []any{i + 1, MaxInstalmentNote}}
		}
		if it.Yuan > s.ContractYuan-sum { // sum ≤ ContractYuan: no overflow
			return &Error{Code: EINVALID, Field: at("amount_yuan"), Key: "project.schedule_over_contract", Args: []any{i + 1}}
		}
		sum += it.Yuan
	}
	slices.SortStableFunc(s.Instalments, func(a, b Instalment) int { return strings.Compare(a.DueOn, b.DueOn) })
	return nil
}

// Project is an accepted lead on its way to production.
type Project struct {
	ID         int64
	ZoneID     int64
	LeadID     int64
	Code       string // given at signing, e.g. XL-2026-0001
	Name       string
	Company    string
	Industry   string
	Stage      Stage
	Status     ProjectStatus
	LostReason string
	SponsorID  int64 // 包联领导 (a member)
	Plan       Plan
	Signing    Signing
	StageDue   string // deadline of the current stage's next step, YYYY-MM-DD
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time

	SponsorName string // read model
	ParkName    string // read model
}

// ProjectAction is a step of a project.
type ProjectAction string

const (
	ProjectSavePlan        ProjectAction = "save-plan"
	ProjectSubmitPlan      ProjectAction = "submit-plan"
	ProjectAssignSponsor   ProjectAction = "assign-sponsor"
	ProjectSign            ProjectAction = "sign"
	ProjectRegisterCompany ProjectAction = "register-company" // 企业设立登记, a milestone of the agency stage
	ProjectReviseSchedule  ProjectAction = "revise-schedule"  // 调整资金到位计划 after signing, with its reason
	ProjectRevisePlan      ProjectAction = "revise-plan"      // 调整项目策划 after signing: its demand, with its reason
	ProjectStartBuilding   ProjectAction = "start-construction"
	ProjectStartProducing  ProjectAction = "start-production"
	ProjectFullProduction  ProjectAction = "reach-full-production"
	ProjectHold            ProjectAction = "hold"
	ProjectResume          ProjectAction = "resume"
	ProjectLose            ProjectAction = "lose"
)

type projectRule struct {
	stages []Stage // stages the action is allowed in; nil: any
	next   Stage   // "" keeps the stage
	perm   Permission
	status []ProjectStatus
}

// projectAltPerms are other rights that allow an action too: the planning
// group or the leadership group revises a signed plan.
var projectAltPerms = map[ProjectAction]Permission{ProjectRevisePlan: PermProjectPromote}

var active = []ProjectStatus{ProjectActive}

var projectRules = map[ProjectAction]projectRule{
	ProjectSavePlan:        {[]Stage{StagePackaging}, "", PermProjectPlan, active},
	ProjectSubmitPlan:      {[]Stage{StagePackaging}, StagePromotion, PermProjectPlan, active},
	ProjectAssignSponsor:   {[]Stage{StagePromotion, StageAgency, StageConstruction}, "", PermProjectPromote, active},
	ProjectSign:            {[]Stage{StagePromotion}, StageAgency, PermProjectPromote, active},
	ProjectRegisterCompany: {[]Stage{StageAgency, StageConstruction, StageProduction}, "", PermProjectAgency, active},
	ProjectReviseSchedule: {[]Stage{StageAgency, StageConstruction, StageProduction, StageFullProduction}, "", PermProjectPromote,
		[]ProjectStatus{ProjectActive, ProjectOnHold}},
	ProjectRevisePlan: {[]Stage{StageAgency, StageConstruction, StageProduction, StageFullProduction}, "", PermProjectPlan,
		[]ProjectStatus{ProjectActive, ProjectOnHold}},
	ProjectStartBuilding:  {[]Stage{StageAgency}, StageConstruction, PermProjectAgency, active},
	ProjectStartProducing: {[]Stage{StageConstruction}, StageProduction, PermProjectAgency, active},
	ProjectFullProduction: {[]Stage{StageProduction}, StageFullProduction, PermProjectAgency, active},
	ProjectHold:           {nil, "", PermProjectPromote, active},
	ProjectResume:         {nil, "", PermProjectPromote, []ProjectStatus{ProjectOnHold}},
	ProjectLose:           {nil, "", PermProjectPromote, []ProjectStatus{ProjectActive, ProjectOnHold}},
}

// ProjectActions lists every action in a stable order.
func ProjectActions() []ProjectAction {
	out := make([]ProjectAction, 0, len(projectRules))
	for a := range projectRules {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// CheckProjectStep decides whether u may take action on p now and returns
// the stage and status it leads to: forbidden without the right, a conflict
// naming the stage (or status) when the action does not fit.
func CheckProjectStep(u *User, p *Project, action ProjectAction) (Stage, ProjectStatus, error) {
	rule, ok := projectRules[action]
	if !ok {
		return "", "", NotFound("project.unknown_action")
	}
	if alt, ok := projectAltPerms[action]; !u.Can(rule.perm) && (!ok || !u.Can(alt)) {
		return "", "", Forbidden()
	}
	if !slices.Contains(rule.status, p.Status) {
		return "", "", &Error{Code: ECONFLICT, Field: "status", Key: "project.status_not_allowed", Args: []any{LabelKey("project.status." + string(p.Status))}}
	}
	if rule.stages != nil && !slices.Contains(rule.stages, p.Stage) {
		return "", "", &Error{Code: ECONFLICT, Field: "stage", Key: "project.stage_not_allowed", Args: []any{LabelKey("stage." + string(p.Stage))}}
	}
	if p.Stage == StageFullProduction && action == ProjectHold {
		return "", "", &Error{Code: ECONFLICT, Field: "stage", Key: "project.stage_not_allowed", Args: []any{LabelKey("stage." + string(p.Stage))}}
	}
	stage, status := p.Stage, p.Status
	if rule.next != "" {
		stage = rule.next
	}
	switch action {
	case ProjectHold:
		status = ProjectOnHold
	case ProjectResume:
		status = ProjectActive
	case ProjectLose:
		status = ProjectLost
	}
	return stage, status, nil
}

// ProjectCode is the code a project gets when signed: zone code, year and
// a sequence number within the year.
func ProjectCode(zoneCode string, year, seq int) string {
	return fmt.Sprintf("%s-%d-%04d", strings.ToUpper(zoneCode), year, seq)
}

// Deadlines in working days; a zone may set its own later.
const (
	ScreeningWorkdays = 5  // report → screening decision
	PackagingWorkdays = 15 // acceptance → plan submitted
	ProgressWorkdays  = 20 // a sponsor's progress entry at least this often
)

// ProjectZone is the zone u's project queries are bound to: 0 (every zone)
// for those who read every zone's projects (the viewer role).
func ProjectZone(u *User) int64 {
	if u.Filter(PermProjectView).Scope >= ScopeAllZones {
		return 0
	}
	return u.ZoneID
}
