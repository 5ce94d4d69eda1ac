package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Project endpoints. Mutations are open to whoever may view projects; the
// store decides by role and stage, so that a refusal names the stage (409)
// and a role without the right answers 403.
func (a *API) projectRoutes() []Route {
	return []Route{
		{"GET", "/projects", xinlu.PermProjectView, a.handle(a.listProjects)},
		{"GET", "/projects/kanban", xinlu.PermProjectView, a.handle(a.projectKanban)},
		{"GET", "/projects/export.xlsx", xinlu.PermProjectView, a.handle(a.exportProjects)},
		{"GET", "/projects/views", xinlu.PermProjectView, a.handle(a.listSavedViews)},
		{"POST", "/projects/views", xinlu.PermProjectView, a.handle(a.createSavedView)},
		{"DELETE", "/projects/views/{id}", xinlu.PermProjectView, a.handle(a.deleteSavedView)},
		{"POST", "/projects/import", xinlu.PermProjectPlan, a.handle(a.importProjects)},
		{"GET", "/projects/{id}", xinlu.PermProjectView, a.handle(a.getProject)},
		{"POST", "/projects/{id}/{action}", xinlu.PermProjectView, a.handle(a.stepProject)},
		{"GET", "/projects/{id}/funds", xinlu.PermProjectView, a.handle(a.listFunds)},
		{"POST", "/projects/{id}/funds/{funds}/{action}", xinlu.PermProjectView, a.handle(a.changeFunds)},
		{"GET", "/projects/{id}/approvals", xinlu.PermProjectView, a.handle(a.listApprovals)},
		{"POST", "/projects/{id}/approvals", xinlu.PermProjectView, a.handle(a.addApproval)},
		{"POST", "/projects/{id}/approvals/{item}/{action}", xinlu.PermProjectView, a.handle(a.stepApproval)},
		{"GET", "/projects/{id}/supervision-orders", xinlu.PermProjectView, a.handle(a.listSupervisionOrders)},
		{"POST", "/projects/{id}/supervision-orders/{order}/close", xinlu.PermProjectView, a.handle(a.closeSupervisionOrder)},
	}
}

// ProjectJSON is a project as the API shows it; amounts in yuan.
type ProjectJSON struct {
	ID              int64     `json:"id"`
	ZoneID          int64     `json:"zone_id"`
	LeadID          int64     `json:"lead_id,omitempty"`
	Code            string    `json:"code"`
	Name            string    `json:"name"`
	Company         string    `json:"company"`
	Industry        string    `json:"industry"`
	Stage           string    `json:"stage"`
	Status          string    `json:"status"`
	LostReason      string    `json:"lost_reason,omitempty"`
	SponsorID       int64     `json:"sponsor_id,omitempty"`
	SponsorName     string    `json:"sponsor_name,omitempty"`
	Plan            PlanJSON  `json:"plan"`
	Signing         SignJSON  `json:"signing"`
	RegisteredOn    string    `json:"registered_on,omitempty"`
	StartedOn       string    `json:"started_on,omitempty"`
	ProducedOn      string    `json:"produced_on,omitempty"`
	FullOn          string    `json:"full_production_on,omitempty"`
	FundsYuan       int64     `json:"funds_yuan"`
	StageDue        string    `json:"stage_due,omitempty"`
	Light           string    `json:"light,omitempty"`
	ParkName        string    `json:"park_name,omitempty"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	ApprovalsURL    string    `json:"approvals_url"`
	ContractPercent *float64  `json:"funds_rate,omitempty"` // funds in place ÷ contracted
	// FundsTracking is the funds in place against the funds schedule as of
	// today: on a signed project's own reads (GET /projects/{id}, a step's
	// answer), not in the list.
	FundsTracking *FundsTrackingJSON `json:"funds_tracking,omitempty"`
}

// PlanJSON is the project plan.
type PlanJSON struct {
	Content        string   `json:"content"`
	TotalYuan      *int64   `json:"total_yuan"`
	FixedAssetYuan *int64   `json:"fixed_asset_yuan"`
	LandMu         float64  `json:"land_mu"`
	WaterTPD       float64  `json:"water_tpd"`
	PowerKVA       float64  `json:"power_kva"`
	GasM3PD        float64  `json:"gas_m3pd"`
	HeatTPH        float64  `json:"heat_tph"`
	OutputYuan     *int64   `json:"output_yuan"`
	TaxYuan        *int64   `json:"tax_yuan"`
	FloorAreaM2    float64  `json:"floor_area_m2"`
	EnergyTce      float64  `json:"energy_tce"`
	Jobs           int      `json:"jobs"`
	SixNew         []string `json:"six_new"`
	ChainPosition  string   `json:"chain_position"`
	ProposedParkID int64    `json:"proposed_park_id"`
}

// SignJSON is the signed agreement. FundsScheduleItems is the structured
// funds schedule (资金到位计划), by due date; FundsSchedule the free-text note
// (the whole schedule of projects signed before it was structured). A
// project's reads carry the items on its own reads only, as FundsTracking.
type SignJSON struct {
	SignedOn           string           `json:"signed_on"`
	ContractYuan       int64            `json:"contract_yuan"`
	PromisedStart      string           `json:"promised_start"`
	PromisedProduce    string           `json:"promised_produce"`
	FundsSchedule      string           `json:"funds_schedule"`
	FundsScheduleItems []InstalmentJSON `json:"funds_schedule_items,omitempty"`
}

// InstalmentJSON is one instalment of a funds schedule.
type InstalmentJSON struct {
	DueOn      string `json:"due_on"`
	AmountYuan int64  `json:"amount_yuan"`
	Note       string `json:"note"`
}

// FundsTrackingJSON is a signed project's funds in place against its funds
// schedule as of a day (xinlu.TrackSchedule). schedule_rate is capped at 1,
// schedule_rate_raw is not; both are null when nothing is due yet (or there
// is no schedule).
type FundsTrackingJSON struct {
	AsOf            string                `json:"as_of"`
	HasSchedule     bool                  `json:"has_schedule"`
	ScheduledYuan   int64                 `json:"scheduled_yuan"`
	DueYuan         int64                 `json:"due_yuan"`
	FundsYuan       int64                 `json:"funds_yuan"`
	ShortfallYuan   int64                 `json:"shortfall_yuan"`
	ScheduleRate    *float64              `json:"schedule_rate"`
	ScheduleRateRaw *float64              `json:"schedule_rate_raw"`
	NextDueOn       string                `json:"next_due_on,omitempty"`
	NextAmountYuan  int64                 `json:"next_amount_yuan,omitempty"`
	Lagging         bool                  `json:"lagging"`
	OverdueSince    string                `json:"overdue_since,omitempty"`
	Items           []InstalmentTrackJSON `json:"items"`
}

// InstalmentTrackJSON is one instalment with what the funds in place cover.
type InstalmentTrackJSON struct {
	InstalmentJSON
	CoveredYuan int64  `json:"covered_yuan"`
	State       string `json:"state"` // paid, pending, due, overdue
}

func fundsTrackingJSON(t xinlu.ScheduleTrack, asOf time.Time) *FundsTrackingJSON {
	out := &FundsTrackingJSON{AsOf: asOf.Format(xinlu.DateLayout), HasSchedule: t.HasSchedule(), ScheduledYuan: t.ScheduledYuan,
		DueYuan: t.DueYuan, FundsYuan: t.FundsYuan, ShortfallYuan: t.ShortfallYuan, ScheduleRate: cappedOf(t.Rate),
		ScheduleRateRaw: rateOf(t.Rate), NextDueOn: t.NextDueOn, NextAmountYuan: t.NextYuan, Lagging: t.Lagging,
		OverdueSince: t.OverdueSince, Items: make([]InstalmentTrackJSON, len(t.Items))}
	for i, it := range t.Items {
		out.Items[i] = InstalmentTrackJSON{InstalmentJSON: InstalmentJSON{DueOn: it.DueOn, AmountYuan: it.Yuan, Note: it.Note},
			CoveredYuan: it.CoveredYuan, State: string(it.State)}
	}
	return out
}

// projectDetailJSON is a project on its own: with its funds schedule and
// the tracking as of today when it is signed.
func (a *API) projectDetailJSON(ctx context.Context, p *store.ProjectRecord) (ProjectJSON, error) {
	out := projectJSON(p)
	if p.Signing.SignedOn == "" {
		return out, nil
	}
	today := a.staffToday()
	t, err := a.store.FundsTracking(ctx, p, today)
	if err != nil {
		return out, err
	}
	out.FundsTracking = fundsTrackingJSON(t, today)
	for _, it := range t.Items {
		out.Signing.FundsScheduleItems = append(out.Signing.FundsScheduleItems, InstalmentJSON{DueOn: it.DueOn, AmountYuan: it.Yuan, Note: it.Note})
	}
	return out, nil
}

func projectJSON(p *store.ProjectRecord) ProjectJSON {
	six := p.Plan.SixNew
	if six == nil {
		six = []string{}
	}
	out := ProjectJSON{ID: p.ID, ZoneID: p.ZoneID, LeadID: p.LeadID, Code: p.Code, Name: p.Name, Company: p.Company, Industry: p.Industry,
		Stage: string(p.Stage), Status: string(p.Status), LostReason: p.LostReason, SponsorID: p.SponsorID, SponsorName: p.SponsorName,
		Plan: PlanJSON{Content: p.Plan.Content, TotalYuan: p.Plan.TotalYuan, FixedAssetYuan: p.Plan.FixedAssetYuan, LandMu: p.Plan.LandMu,
			WaterTPD: p.Plan.WaterTPD, PowerKVA: p.Plan.PowerKVA, GasM3PD: p.Plan.GasM3PD, HeatTPH: p.Plan.HeatTPH, OutputYuan: p.Plan.OutputYuan,
			TaxYuan: p.Plan.TaxYuan, FloorAreaM2: p.Plan.FloorAreaM2, EnergyTce: p.Plan.EnergyTce, Jobs: p.Plan.Jobs, SixNew: six, ChainPosition: p.Plan.ChainPosition, ProposedParkID: p.Plan.ProposedParkID},
		Signing: SignJSON{SignedOn: p.Signing.SignedOn, ContractYuan: p.Signing.ContractYuan, PromisedStart: p.Signing.PromisedStart,
			PromisedProduce: p.Signing.PromisedProduce, FundsSchedule: p.Signing.FundsSchedule},
		RegisteredOn: p.RegisteredOn, StartedOn: p.StartedOn, ProducedOn: p.ProducedOn, FullOn: p.FullOn, FundsYuan: p.FundsYuan, StageDue: p.StageDue,
		Light: string(p.Light), ParkName: p.ParkName, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	out.ApprovalsURL = "/api/v1/projects/" + itoa(p.ID) + "/approvals"
	if p.Signing.ContractYuan > 0 {
		r := float64(p.FundsYuan) / float64(p.Signing.ContractYuan)
		out.ContractPercent = &r
	}
	return out
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// projectFilterOf reads the ledger filters (store.ParseProjectFilter:
// unknown codes and bad dates are refused naming the parameter) and the
// page, bound to the caller's zone.
func projectFilterOf(r *http.Request) (store.ProjectFilter, error) {
	p, err := pageOf(r)
	if err != nil {
		return store.ProjectFilter{}, err
	}
	f, err := store.ParseProjectFilter(r.URL.Query())
	if err != nil {
		return f, err
	}
	f.ZoneID, f.Page = xinlu.ProjectZone(user(r)), p
	return f, nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (a *API) listProjects(w http.ResponseWriter, r *http.Request) error {
	f, err := projectFilterOf(r)
	if err != nil {
		return err
	}
	ps, total, err := a.store.ListProjects(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]ProjectJSON, len(ps))
	for i, p := range ps {
		out[i] = projectJSON(p)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

// projectFilterQuery is the filter as a query string, for the audit row:
// the canonical form saved views keep too.
func projectFilterQuery(f store.ProjectFilter) string { return f.Encode() }

// exportProjects answers the ledger of the filtered view as an .xlsx
// workbook, the same as the pages' export, and audits the filter and the
// row count.
func (a *API) exportProjects(w http.ResponseWriter, r *http.Request) error {
	f, err := projectFilterOf(r)
	if err != nil {
		return err
	}
	u := user(r)
	today := a.staffToday()
	rep, err := report.ProjectLedger(r.Context(), a.store, a.printer(r), u, f, today)
	if err != nil {
		return err
	}
	return a.sendReport(w, r, rep, "project.export", "project", 0, map[string]any{"filter": projectFilterQuery(f)}, "projects-"+today.Format("20060102")+".xlsx")
}

// KanbanJSON is one stage column.
type KanbanJSON struct {
	Stage     string `json:"stage"`
	Count     int    `json:"count"`
	TotalYuan int64  `json:"total_yuan"`    // Σ the known total investments
	Unknown   int    `json:"unknown_count"` // projects whose total investment is unknown, left out of total_yuan
}

func (a *API) projectKanban(w http.ResponseWriter, r *http.Request) error {
	cols, err := a.store.Kanban(r.Context(), xinlu.ProjectZone(user(r)))
	if err != nil {
		return err
	}
	out := make([]KanbanJSON, len(cols))
	for i, c := range cols {
		out[i] = KanbanJSON{Stage: string(c.Stage), Count: c.Count, TotalYuan: c.Yuan, Unknown: c.Unknown}
	}
	writeJSON(w, http.StatusOK, map[string]any{"stages": out})
	return nil
}

func (a *API) getProject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.ProjectByID(r.Context(), xinlu.ProjectZone(user(r)), id)
	if err != nil {
		return err
	}
	out, err := a.projectDetailJSON(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// stepInput is the body of POST /projects/{id}/{action}: version, and what
// the action needs.
type stepInput struct {
	Version      *int      `json:"version"`
	Plan         *PlanJSON `json:"plan"`
	Signing      *SignJSON `json:"signing"`
	SponsorID    int64     `json:"sponsor_id"`
	Date         string    `json:"date"`
	LostReason   string    `json:"lost_reason"`
	Note         string    `json:"note"`
	Participants string    `json:"participants"` // negotiation
	Outcome      string    `json:"outcome"`      // negotiation
	Task         string    `json:"task"`         // supervision
	AssigneeID   int64     `json:"assignee_id"`  // supervision
	Due          string    `json:"due"`          // supervision
	AmountYuan   int64     `json:"amount_yuan"`  // funds

	FundsScheduleItems []InstalmentJSON `json:"funds_schedule_items"` // revise-schedule, with note as the reason

	Override       bool   `json:"override"`        // sign: the director signs over a utility shortfall
	OverrideReason string `json:"override_reason"` // sign with override: why (required)
}

func (a *API) stepProject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := user(r)
	if _, err := a.store.ProjectByID(r.Context(), u.ZoneID, id); err != nil {
		return err
	}
	var in stepInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	action := r.PathValue("action")
	switch action {
	case "negotiation":
		err = a.store.AddNegotiation(ctx, act, u, id, store.Negotiation{Date: in.Date, Participants: in.Participants, Outcome: in.Outcome})
	case "supervision":
		err = a.store.AddSupervisionOrder(ctx, act, u, id, store.SupervisionOrder{Task: in.Task, AssigneeID: in.AssigneeID, Due: in.Due})
	case "funds":
		err = a.store.RecordFunds(ctx, act, u, id, store.Funds{OnDate: in.Date, Yuan: in.AmountYuan, Note: in.Note})
	default:
		v, verr := requireVersion(in.Version)
		if verr != nil {
			return verr
		}
		step := store.StepInput{SponsorID: in.SponsorID, Date: in.Date, Reason: in.LostReason, Note: in.Note,
			Override: store.Override{Yes: in.Override, Reason: in.OverrideReason}}
		for _, it := range in.FundsScheduleItems {
			step.Schedule = append(step.Schedule, xinlu.Instalment{DueOn: it.DueOn, Yuan: it.AmountYuan, Note: it.Note})
		}
		if pl := in.Plan; pl != nil {
			step.Plan = &xinlu.Plan{Content: pl.Content, TotalYuan: pl.TotalYuan, FixedAssetYuan: pl.FixedAssetYuan, LandMu: pl.LandMu,
				WaterTPD: pl.WaterTPD, PowerKVA: pl.PowerKVA, GasM3PD: pl.GasM3PD, HeatTPH: pl.HeatTPH, OutputYuan: pl.OutputYuan,
				TaxYuan: pl.TaxYuan, FloorAreaM2: pl.FloorAreaM2, EnergyTce: pl.EnergyTce, Jobs: pl.Jobs, SixNew: pl.SixNew, ChainPosition: pl.ChainPosition, ProposedParkID: pl.ProposedParkID}
		}
		if sg := in.Signing; sg != nil {
			step.Signing = &xinlu.Signing{SignedOn: sg.SignedOn, ContractYuan: sg.ContractYuan, PromisedStart: sg.PromisedStart,
				PromisedProduce: sg.PromisedProduce, FundsSchedule: strings.TrimSpace(sg.FundsSchedule)}
			for _, it := range sg.FundsScheduleItems {
				step.Signing.Instalments = append(step.Signing.Instalments, xinlu.Instalment{DueOn: it.DueOn, Yuan: it.AmountYuan, Note: it.Note})
			}
		}
		_, err = a.store.StepProject(ctx, act, u, id, v, xinlu.ProjectAction(action), step)
	}
	if err != nil {
		return err
	}
	p, err := a.store.ProjectByID(ctx, u.ZoneID, id)
	if err != nil {
		return err
	}
	out, err := a.projectDetailJSON(ctx, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ApprovalJSON is one approval item.
type ApprovalJSON struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"project_id"`
	Name      string `json:"name"`
	AgentID   int64  `json:"agent_id,omitempty"`
	AgentName string `json:"agent_name,omitempty"`
	LimitDays int    `json:"limit_days"`
	Status    string `json:"status"`
	Committed bool   `json:"committed"`
	StartedOn string `json:"started_on"`
	DueOn     string `json:"due_on"`
	ClosedOn  string `json:"closed_on,omitempty"`
	Note      string `json:"note,omitempty"`
	Light     string `json:"light,omitempty"`
	Version   int    `json:"version"`
}

func approvalJSON(it *store.ApprovalItem) ApprovalJSON {
	return ApprovalJSON{ID: it.ID, ProjectID: it.ProjectID, Name: it.Name, AgentID: it.AgentID, AgentName: it.AgentName, LimitDays: it.LimitDays,
		Status: it.Status, Committed: it.Committed, StartedOn: it.StartedOn, DueOn: it.DueOn, ClosedOn: it.ClosedOn, Note: it.Note,
		Light: string(it.Light), Version: it.Version}
}

func (a *API) listApprovals(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	zone := xinlu.ProjectZone(user(r))
	if _, err := a.store.ProjectByID(r.Context(), zone, id); err != nil {
		return err
	}
	items, err := a.store.Approvals(r.Context(), zone, id)
	if err != nil {
		return err
	}
	out := make([]ApprovalJSON, len(items))
	for i, it := range items {
		out[i] = approvalJSON(it)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

type approvalAdd struct {
	Name      string `json:"name"`
	LimitDays int    `json:"limit_days"`
	AgentID   int64  `json:"agent_id"`
}

func (a *API) addApproval(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.store.ProjectByID(r.Context(), user(r).ZoneID, id); err != nil {
		return err
	}
	var in approvalAdd
	if err := decode(r, &in); err != nil {
		return err
	}
	it := &store.ApprovalItem{Name: in.Name, LimitDays: in.LimitDays, AgentID: in.AgentID}
	if err := a.store.AddApproval(r.Context(), actor(r), user(r), id, it); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, approvalJSON(it))
	return nil
}

type approvalStep struct {
	Version *int   `json:"version"`
	AgentID int64  `json:"agent_id"`
	Note    string `json:"note"`
}

func (a *API) stepApproval(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	item, err := pathID(r, "item")
	if err != nil {
		return err
	}
	if _, err := a.store.ProjectByID(r.Context(), user(r).ZoneID, id); err != nil {
		return err
	}
	var in approvalStep
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	it, err := a.store.StepApproval(r.Context(), actor(r), user(r), id, item, v, r.PathValue("action"), store.ApprovalInput{AgentID: in.AgentID, Note: in.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, approvalJSON(it))
	return nil
}

// SupervisionOrderJSON is a supervision order (督办单).
type SupervisionOrderJSON struct {
	ID           int64  `json:"id"`
	ProjectID    int64  `json:"project_id"`
	Task         string `json:"task"`
	AssigneeID   int64  `json:"assignee_id"`
	AssigneeName string `json:"assignee_name"`
	Due          string `json:"due"`
	ClosedOn     string `json:"closed_on,omitempty"`
	Evidence     string `json:"evidence,omitempty"`
	Overdue      bool   `json:"overdue"`
	Version      int    `json:"version"`
}

func (a *API) listSupervisionOrders(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := user(r)
	if _, err := a.store.ProjectByID(r.Context(), u.ZoneID, id); err != nil {
		return err
	}
	os, err := a.store.SupervisionOrders(r.Context(), u.ZoneID, id)
	if err != nil {
		return err
	}
	today := a.staffToday().Format(xinlu.DateLayout)
	out := make([]SupervisionOrderJSON, len(os))
	for i, o := range os {
		out[i] = SupervisionOrderJSON{ID: o.ID, ProjectID: o.ProjectID, Task: o.Task, AssigneeID: o.AssigneeID, AssigneeName: o.AssigneeName,
			Due: o.Due, ClosedOn: o.ClosedOn, Evidence: o.Evidence, Overdue: o.Overdue(today), Version: o.Version}
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) closeSupervisionOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	order, err := pathID(r, "order")
	if err != nil {
		return err
	}
	var in struct {
		ClosedOn string `json:"closed_on"`
		Evidence string `json:"evidence"`
		Version  *int   `json:"version"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	if err := a.store.CloseSupervisionOrder(r.Context(), actor(r), user(r), id, order, in.ClosedOn, in.Evidence, v); err != nil {
		return err
	}
	return a.listSupervisionOrders(w, r)
}
