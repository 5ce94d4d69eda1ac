package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// ProjectRecord is a project as the store reads it: the domain record plus
// its landing milestones, the funds in place so far and the light of its
// current deadline (stage_due) on the store's today.
type ProjectRecord struct {
	xinlu.Project
	RegisteredOn string // the investor's company registered in the zone (企业设立登记)
	StartedOn    string // construction started
	ProducedOn   string // production started
	FullOn       string // full production reached
	FundsYuan    int64  // sum of funds in place
	ImportKey    string // set by the ledger import; re-imports skip it
	ZoneCode     string
	Light        xinlu.Light
}

// Deadlines of a project's current stage (stage_due), one per stage:
//   - packaging: the plan is due PipelineSettings.PackagingDays after acceptance (set
//     by whoever creates the project);
//   - promotion: a sponsor's progress entry every PipelineSettings.ProgressDays, renewed
//     by submit-plan, assign-sponsor and each negotiation or supervision
//     order;
//   - agency: the promised construction start of the signing;
//   - construction: the promised production start;
//   - production, full_production: none.
//
// The light is shown only for active projects.

var projectColumns = `p.id, p.zone_id, COALESCE(p.lead_id, 0), p.code, p.name, p.company, p.industry, p.stage, p.status, p.lost_reason,
	COALESCE(p.sponsor_id, 0), p.content, p.total_yuan, p.fixed_asset_yuan, p.land_mu, p.water_tpd, p.power_kva, p.gas_m3pd, p.heat_tph,
	p.output_yuan, p.tax_yuan, p.floor_area_m2, p.energy_tce, p.jobs, p.six_new, p.chain_position, COALESCE(p.park_id, 0),
	p.signed_on, p.contract_yuan, p.promised_start, p.promised_produce, p.funds_schedule,
	p.started_on, p.produced_on, p.full_on, p.stage_due, p.import_key, p.version, p.created_at, p.updated_at,
	COALESCE(m.name, ''), COALESCE(k.name, ''), z.code, p.registered_on,
	(SELECT COALESCE(` + sumYuan("f.amount_yuan") + `, 0) FROM funds_in_place f WHERE f.project_id = p.id)`

const projectFrom = ` FROM projects p JOIN zones z ON z.id = p.zone_id LEFT JOIN members m ON m.id = p.sponsor_id LEFT JOIN parks k ON k.id = p.park_id`

func scanProject(sc interface{ Scan(...any) error }) (*ProjectRecord, error) {
	r := &ProjectRecord{}
	p := &r.Project
	var stage, status, sixNew string
	err := sc.Scan(&p.ID, &p.ZoneID, &p.LeadID, &p.Code, &p.Name, &p.Company, &p.Industry, &stage, &status, &p.LostReason,
		&p.SponsorID, &p.Plan.Content, &p.Plan.TotalYuan, &p.Plan.FixedAssetYuan, &p.Plan.LandMu, &p.Plan.WaterTPD, &p.Plan.PowerKVA,
		&p.Plan.GasM3PD, &p.Plan.HeatTPH, &p.Plan.OutputYuan, &p.Plan.TaxYuan, &p.Plan.FloorAreaM2, &p.Plan.EnergyTce, &p.Plan.Jobs, &sixNew, &p.Plan.ChainPosition,
		&p.Plan.ProposedParkID, &p.Signing.SignedOn, &p.Signing.ContractYuan, &p.Signing.PromisedStart, &p.Signing.PromisedProduce,
		&p.Signing.FundsSchedule, &r.StartedOn, &r.ProducedOn, &r.FullOn, &p.StageDue, &r.ImportKey, &p.Version, &p.CreatedAt, &p.UpdatedAt,
		&p.SponsorName, &p.ParkName, &r.ZoneCode, &r.RegisteredOn, &r.FundsYuan)
	p.Stage, p.Status = xinlu.Stage(stage), xinlu.ProjectStatus(status)
	p.Plan.SixNew = splitIndustries(sixNew)
	return r, err
}

// ProjectFilter selects projects for the ledger.
type ProjectFilter struct {
	ZoneID    int64 // 0: every zone (the viewer role's scope)
	Stage     xinlu.Stage
	Status    xinlu.ProjectStatus
	Industry  string
	ParkID    int64
	SponsorID int64
	// Light selects active projects by the light of their stage_due. It is
	// turned into a range of due dates with the zone's calendar and light
	// rules, so that the database filters and counts (see lightRange).
	Light  xinlu.Light
	SixNew string // one 六新 tag
	Query  string // name, company or code
	// Signed selects by signing (签约): "1" projects with a signing date,
	// "0" those without one yet, "" both.
	Signed string
	// SignedFrom and SignedTo bound the signing date (YYYY-MM-DD, both
	// inclusive, either may be ""); a bound keeps signed projects only.
	SignedFrom, SignedTo string
	// Reached selects the projects that reached a milestone (created,
	// started, produced) in ReachedYear (created: by the UTC date).
	Reached     string
	ReachedYear int
	xinlu.Page
}

// ReachedMilestones are the milestones ProjectFilter.Reached knows.
var ReachedMilestones = []string{"created", "started", "produced"}

// lightRange gives the range of due dates of a light on the zone's today
// (a project's stage_due, a lead's screening_due): red is before today;
// yellow from today up to (not including) the zone's first green
// due date (rules.GreenFrom, the working day after rules.YellowWithin
// working days); green from that day on. It matches rules.Light.
func (lt *Lights) lightRange(light xinlu.Light) (from, to string) {
	t := lt.today.Format(xinlu.DateLayout)
	green := lt.rules.GreenFrom(lt.cal, lt.today).Format(xinlu.DateLayout)
	switch light {
	case xinlu.LightRed:
		return "0000-00-00", t
	case xinlu.LightYellow:
		return t, green
	default:
		return green, "9999-99-99"
	}
}

func (s *Store) projectWhere(ctx context.Context, f ProjectFilter) (string, []any, error) {
	var where []string
	var args []any
	if f.ZoneID != 0 {
		where, args = append(where, "p.zone_id = ?"), append(args, f.ZoneID)
	}
	if f.Stage != "" {
		where, args = append(where, "p.stage = ?"), append(args, string(f.Stage))
	}
	if f.Status != "" {
		where, args = append(where, "p.status = ?"), append(args, string(f.Status))
	}
	if f.Industry != "" {
		where, args = append(where, "p.industry = ?"), append(args, f.Industry)
	}
	if f.ParkID != 0 {
		where, args = append(where, "p.park_id = ?"), append(args, f.ParkID)
	}
	if f.SponsorID != 0 {
		where, args = append(where, "p.sponsor_id = ?"), append(args, f.SponsorID)
	}
	if f.SixNew != "" {
		where = append(where, "(',' || p.six_new || ',') LIKE ? ESCAPE '\\'")
		args = append(args, "%,"+escapeLike(f.SixNew)+",%")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := s.likeOp()
		where = append(where, "(p.name "+like+" ? ESCAPE '\\' OR p.company "+like+" ? ESCAPE '\\' OR p.code "+like+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q), likePattern(q))
	}
	signed, from, to, err := checkSigned(f.Signed, f.SignedFrom, f.SignedTo)
	if err != nil {
		return "", nil, err
	}
	switch signed {
	case "1":
		where = append(where, "p.signed_on <> ''")
	case "0":
		where = append(where, "p.signed_on = ''")
	}
	if from != "" {
		where, args = append(where, "p.signed_on >= ?"), append(args, from)
	}
	if to != "" {
		where, args = append(where, "p.signed_on <> '' AND p.signed_on <= ?"), append(args, to)
	}
	if f.Reached != "" {
		y := f.ReachedYear
		switch f.Reached {
		case "created":
			where = append(where, "p.created_at >= ? AND p.created_at < ?")
			args = append(args, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC))
		case "started", "produced":
			col := "p.started_on"
			if f.Reached == "produced" {
				col = "p.produced_on"
			}
			where = append(where, col+" >= ? AND "+col+" <= ?")
			args = append(args, fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y))
		default:
			return "", nil, xinlu.Invalid("reached", "error.invalid_choice")
		}
	}
	if f.Light != "" {
		if f.ZoneID == 0 {
			return "", nil, xinlu.Invalid("light", "projects.light_needs_zone")
		}
		lt, err := s.ZoneLights(ctx, f.ZoneID)
		if err != nil {
			return "", nil, err
		}
		from, to := lt.lightRange(f.Light)
		where = append(where, "p.status = 'active' AND p.stage_due <> '' AND p.stage_due >= ? AND p.stage_due < ?")
		args = append(args, from, to)
	}
	if len(where) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(where, " AND "), args, nil
}

// ListProjects returns one page of the ledger, newest first, and the total.
func (s *Store) ListProjects(ctx context.Context, f ProjectFilter) ([]*ProjectRecord, int, error) {
	cond, args, err := s.projectWhere(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total, _, _, ok, err := s.projectSummaryTotals(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		if total, err = s.count(ctx, `SELECT COUNT(*) FROM projects p`+cond, args...); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
	}
	pg := f.Page.Normalize()
	q := `SELECT ` + projectColumns + projectFrom + cond + ` ORDER BY p.id DESC` + s.pageSQL(pg)
	if s.dialect == Postgres {
		// The page's ids first, by themselves (see ListLeads), from an
		// index alone when the filters allow.
		q = `SELECT ` + projectColumns + projectFrom + ` JOIN (SELECT p.id FROM projects p` + cond +
			` ORDER BY p.id DESC` + s.pageSQL(pg) + `) page ON page.id = p.id ORDER BY p.id DESC`
	}
	rows, err := s.query(ctx, q, append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanProject)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.setLights(ctx, out)
}

// ProjectTotals sums the known total investments of the projects f lists
// (every page) and counts those whose total investment is unknown (待定),
// which the sum leaves out.
func (s *Store) ProjectTotals(ctx context.Context, f ProjectFilter) (yuan int64, unknown int, err error) {
	if _, yuan, unknown, ok, err := s.projectSummaryTotals(ctx, f); ok || err != nil {
		return yuan, unknown, err
	}
	cond, args, err := s.projectWhere(ctx, f)
	if err != nil {
		return 0, 0, err
	}
	err = s.queryRow(ctx, `SELECT COALESCE(`+sumYuan("p.total_yuan")+`, 0), COUNT(*) - COUNT(p.total_yuan) FROM projects p`+cond, args...).
		Scan(&yuan, &unknown)
	if err != nil {
		return 0, 0, xinlu.Internal(err)
	}
	return yuan, unknown, nil
}

// setLights computes each active project's light with its zone's calendar
// and light rules, each read once per zone.
func (s *Store) setLights(ctx context.Context, ps []*ProjectRecord) error {
	type zoneLights struct {
		cal   *xinlu.Calendar
		rules xinlu.LightRules
	}
	zones := map[int64]*zoneLights{}
	today := s.today()
	for _, p := range ps {
		if p.Status != xinlu.ProjectActive || p.StageDue == "" {
			continue
		}
		z := zones[p.ZoneID]
		if z == nil {
			z = &zoneLights{}
			var err error
			if z.cal, err = s.zoneCalendar(ctx, p.ZoneID); err != nil {
				return err
			}
			if z.rules, err = s.LightRules(ctx, p.ZoneID); err != nil {
				return err
			}
			zones[p.ZoneID] = z
		}
		p.Light = z.rules.Light(z.cal, p.StageDue, today)
	}
	return nil
}

// ProjectByID returns a project; zoneID 0 finds it in any zone (the viewer
// role), otherwise other zones' projects are not found.
func (s *Store) ProjectByID(ctx context.Context, zoneID, id int64) (*ProjectRecord, error) {
	q, args := `SELECT `+projectColumns+projectFrom+` WHERE p.id = ?`, []any{id}
	if zoneID != 0 {
		q, args = q+` AND p.zone_id = ?`, append(args, zoneID)
	}
	p, err := scanProject(s.queryRow(ctx, q, args...))
	if err != nil {
		return nil, s.translate(err)
	}
	return p, s.setLights(ctx, []*ProjectRecord{p})
}

func (tx *Tx) projectForUpdate(ctx context.Context, zoneID, id int64) (*ProjectRecord, error) {
	q := `SELECT ` + projectColumns + projectFrom + ` WHERE p.id = ? AND p.zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF p`
	}
	p, err := scanProject(tx.queryRow(ctx, q, id, zoneID))
	return p, tx.s.translate(err)
}

// KanbanColumn is one stage of the kanban: how many projects and their
// total planned investment.
type KanbanColumn struct {
	Stage   xinlu.Stage
	Count   int
	Yuan    int64 // Σ the known total investments
	Unknown int   // projects whose total investment is unknown (待定), left out of Yuan
}

// Kanban counts a zone's projects that are not lost, per stage, in stage
// order (every stage present). zoneID 0 counts every zone. It reads the
// summary rows (project_counts), a few per stage, on both engines.
func (s *Store) Kanban(ctx context.Context, zoneID int64) ([]KanbanColumn, error) {
	return s.kanban(ctx, zoneID)
}

func projectAudit(p *ProjectRecord) map[string]any {
	return map[string]any{"name": p.Name, "company": p.Company, "industry": p.Industry, "stage": string(p.Stage),
		"status": string(p.Status), "lost_reason": p.LostReason, "sponsor_id": p.SponsorID, "code": p.Code,
		"total_yuan": p.Plan.TotalYuan, "contract_yuan": p.Signing.ContractYuan, "signed_on": p.Signing.SignedOn,
		"registered_on": p.RegisteredOn, "started_on": p.StartedOn, "produced_on": p.ProducedOn, "full_on": p.FullOn, "stage_due": p.StageDue}
}

// projectPlanAudit is what the audit trail keeps of a plan's figures.
func projectPlanAudit(p xinlu.Plan) map[string]any {
	return map[string]any{"content": p.Content, "total_yuan": p.TotalYuan, "fixed_asset_yuan": p.FixedAssetYuan, "land_mu": p.LandMu,
		"water_tpd": p.WaterTPD, "power_kva": p.PowerKVA, "gas_m3pd": p.GasM3PD, "heat_tph": p.HeatTPH, "output_yuan": p.OutputYuan,
		"tax_yuan": p.TaxYuan, "floor_area_m2": p.FloorAreaM2, "energy_tce": p.EnergyTce, "jobs": p.Jobs, "six_new": p.SixNew,
		"chain_position": p.ChainPosition, "park_id": p.ProposedParkID}
}

// nextProjectCode gives the code of the next project signed in the zone in
// year: the highest sequence of that year plus one.
func (tx *Tx) nextProjectCode(ctx context.Context, zoneID int64, zoneCode string, year int) (string, error) {
	if tx.s.dialect == Postgres {
		// Signings of a zone at the same moment take their numbers one
		// after the other (SQLite's write transaction is exclusive already).
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7312, CAST(? AS INTEGER))`, zoneID); err != nil {
			return "", tx.s.translate(err)
		}
	}
	prefix := xinlu.ProjectCode(zoneCode, year, 0)
	prefix = prefix[:len(prefix)-4]
	// The longest code is the highest number (10000 follows 9999, though
	// it sorts before it as text); a code imported with another suffix is
	// skipped.
	rows, err := tx.query(ctx, `SELECT code FROM projects WHERE zone_id = ? AND code LIKE ? ESCAPE '\'
		ORDER BY LENGTH(code) DESC, code DESC LIMIT 100`, zoneID, likePrefix(prefix))
	if err != nil {
		return "", xinlu.Internal(err)
	}
	codes, err := collect(rows, func(sc scanner) (string, error) {
		var c string
		return c, sc.Scan(&c)
	})
	if err != nil {
		return "", err
	}
	seq := 0
	for _, c := range codes {
		if n, err := strconv.Atoi(strings.TrimPrefix(c, prefix)); err == nil && n > seq {
			seq = n
			break
		}
	}
	return xinlu.ProjectCode(zoneCode, year, seq+1), nil
}

// event appends one row to a project's timeline.
func (tx *Tx) event(ctx context.Context, a xinlu.Actor, zoneID, projectID int64, kind string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return xinlu.Internal(err)
	}
	_, err = tx.exec(ctx, `INSERT INTO project_events (zone_id, project_id, at, actor_id, actor_name, kind, detail) VALUES (?,?,?,?,?,?,?)`,
		zoneID, projectID, tx.s.Now(), a.UserID, a.Name, kind, string(b))
	return tx.s.translate(err)
}

// saveProject writes every mutable column of p and bumps its version if it
// is still at p.Version; otherwise the step lost a race: a conflict.
func (tx *Tx) saveProject(ctx context.Context, p *ProjectRecord) error {
	now := tx.s.Now()
	res, err := tx.exec(ctx, `UPDATE projects SET code = ?, stage = ?, status = ?, lost_reason = ?, sponsor_id = ?, content = ?, total_yuan = ?,
		fixed_asset_yuan = ?, land_mu = ?, water_tpd = ?, power_kva = ?, gas_m3pd = ?, heat_tph = ?, output_yuan = ?, tax_yuan = ?, jobs = ?,
		floor_area_m2 = ?, energy_tce = ?, six_new = ?, chain_position = ?, park_id = ?, signed_on = ?, contract_yuan = ?, promised_start = ?, promised_produce = ?,
		funds_schedule = ?, registered_on = ?, started_on = ?, produced_on = ?, full_on = ?, stage_due = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND zone_id = ? AND version = ?`,
		p.Code, string(p.Stage), string(p.Status), p.LostReason, nullID(p.SponsorID), p.Plan.Content, p.Plan.TotalYuan,
		p.Plan.FixedAssetYuan, p.Plan.LandMu, p.Plan.WaterTPD, p.Plan.PowerKVA, p.Plan.GasM3PD, p.Plan.HeatTPH, p.Plan.OutputYuan,
		p.Plan.TaxYuan, p.Plan.Jobs, p.Plan.FloorAreaM2, p.Plan.EnergyTce, strings.Join(p.Plan.SixNew, ","), p.Plan.ChainPosition,
		nullID(p.Plan.ProposedParkID), p.Signing.SignedOn, p.Signing.ContractYuan, p.Signing.PromisedStart, p.Signing.PromisedProduce,
		p.Signing.FundsSchedule, p.RegisteredOn, p.StartedOn, p.ProducedOn, p.FullOn, p.StageDue, now, p.ID, p.ZoneID, p.Version)
	if err != nil {
		return tx.s.translate(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return xinlu.Conflict("version", "error.stale")
	}
	p.Version++
	p.UpdatedAt = now
	return nil
}

// StepInput carries what a step needs beyond its name: the plan for
// save-plan and submit-plan, the signing for sign, the sponsor for
// assign-sponsor, the date of a milestone, the reason of lose, a note.
type StepInput struct {
	Plan      *xinlu.Plan
	Signing   *xinlu.Signing
	SponsorID int64
	Date      string             // start-construction, start-production, reach-full-production; "" is today
	Reason    string             // lose: one of xinlu.LostReasons
	Note      string             // revise-schedule, revise-plan: the reason, required
	Schedule  []xinlu.Instalment // revise-schedule: the new funds schedule
	Override  Override           // sign, revise-plan: the director signs over a utility shortfall, with a reason
}

// StepProject takes one step of a project in one transaction: the domain
// rule (role, stage, status), the version, the effects, a timeline event
// and an audit row. A stale version, or a step another one beat, is a
// conflict.
func (s *Store) StepProject(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, action xinlu.ProjectAction, in StepInput) (*ProjectRecord, error) {
	var out *ProjectRecord
	err := s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.projectForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		stage, status, err := xinlu.CheckProjectStep(u, &p.Project, action)
		if err != nil {
			return err
		}
		if p.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := projectAudit(p)
		cal, err := s.zoneCalendar(ctx, p.ZoneID)
		if err != nil {
			return err
		}
		ps, err := tx.pipelineSettings(ctx, p.ZoneID)
		if err != nil {
			return err
		}
		today := s.today()
		detail := map[string]any{"from_stage": string(p.Stage), "to_stage": string(stage), "note": strings.TrimSpace(in.Note)}
		var signedOn time.Time
		var previous []xinlu.Instalment // revise-schedule: the schedule it replaces
		var revisedFrom xinlu.Plan      // revise-plan: the plan it replaces
		switch action {
		case xinlu.ProjectSavePlan, xinlu.ProjectSubmitPlan:
			if in.Plan == nil {
				return xinlu.Invalid("content", "error.required")
			}
			plan := *in.Plan
			if action == xinlu.ProjectSubmitPlan {
				if err := plan.Validate(); err != nil {
					return err
				}
				p.StageDue = cal.AddWorkdays(today, ps.ProgressDays).Format(xinlu.DateLayout)
			} else {
				if err := plan.ValidateDraft(); err != nil {
					return err
				}
				if xinlu.SamePlan(p.Plan, plan) {
					// Saved unchanged: no version, no event, no audit row.
					out = p
					return nil
				}
			}
			if plan.ProposedParkID != 0 {
				if err := tx.sameZone(ctx, p.ZoneID, "parks", plan.ProposedParkID, "proposed_park_id"); err != nil {
					return err
				}
			}
			p.Plan = plan
			detail["total_yuan"] = plan.TotalYuan
		case xinlu.ProjectAssignSponsor:
			if in.SponsorID == 0 {
				return xinlu.Invalid("sponsor_id", "error.required")
			}
			m, err := tx.memberInZone(ctx, p.ZoneID, in.SponsorID)
			if err != nil {
				return xinlu.Invalid("sponsor_id", "error.invalid_choice")
			}
			p.SponsorID = in.SponsorID
			detail["sponsor_id"], detail["sponsor"] = m.ID, m.Name
			if p.Stage == xinlu.StagePromotion {
				p.StageDue = cal.AddWorkdays(today, ps.ProgressDays).Format(xinlu.DateLayout)
			}
		case xinlu.ProjectSign:
			if in.Signing == nil {
				return xinlu.Invalid("signed_on", "error.required")
			}
			sg := *in.Signing
			if err := sg.Validate(today); err != nil {
				return err
			}
			signedOn, _ = xinlu.ParseDate(sg.SignedOn)
			if p.Code == "" {
				if p.Code, err = tx.nextProjectCode(ctx, p.ZoneID, p.ZoneCode, signedOn.Year()); err != nil {
					return err
				}
			}
			p.Signing = sg
			p.StageDue = sg.PromisedStart
			detail["code"], detail["signed_on"], detail["contract_yuan"] = p.Code, sg.SignedOn, sg.ContractYuan
			if n := len(sg.Instalments); n > 0 {
				detail["schedule_count"], detail["schedule_yuan"] = n, scheduleSum(sg.Instalments)
			}
		case xinlu.ProjectRegisterCompany, xinlu.ProjectStartBuilding, xinlu.ProjectStartProducing, xinlu.ProjectFullProduction:
			date := strings.TrimSpace(in.Date)
			if date == "" {
				date = today.Format(xinlu.DateLayout)
			}
			d, err := xinlu.ParseDate(date)
			if err != nil {
				return xinlu.Invalid("date", "error.date_format")
			}
			if d.After(today) {
				return xinlu.Invalid("date", "projects.date_in_future")
			}
			switch action {
			case xinlu.ProjectRegisterCompany:
				if p.RegisteredOn != "" {
					return xinlu.Conflict("date", "projects.already_registered")
				}
				p.RegisteredOn = date
			case xinlu.ProjectStartBuilding:
				p.StartedOn, p.StageDue = date, p.Signing.PromisedProduce
			case xinlu.ProjectStartProducing:
				p.ProducedOn, p.StageDue = date, ""
			default:
				p.FullOn, p.StageDue = date, ""
			}
			detail["date"] = date
		case xinlu.ProjectReviseSchedule:
			items, err := p.Signing.ReviseSchedule(in.Schedule, in.Note)
			if err != nil {
				return err
			}
			if previous, err = tx.fundsSchedule(ctx, p.ID); err != nil {
				return err
			}
			p.Signing.Instalments = items
			detail["schedule_count"], detail["schedule_yuan"] = len(items), scheduleSum(items)
			detail["previous_count"], detail["previous_yuan"] = len(previous), scheduleSum(previous)
		case xinlu.ProjectRevisePlan:
			if in.Plan == nil {
				return xinlu.Invalid("content", "error.required")
			}
			plan, changed, err := xinlu.RevisePlan(p.Plan, *in.Plan, in.Note)
			if err != nil {
				return err
			}
			if !changed {
				// Saved unchanged: no version, no event, no audit row.
				out = p
				return nil
			}
			// The parcels the project holds must carry the revised land.
			var parcels int
			var held float64
			if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(area_mu), 0) FROM parcels WHERE zone_id = ? AND project_id = ?`,
				p.ZoneID, p.ID).Scan(&parcels, &held); err != nil {
				return tx.s.translate(err)
			}
			if parcels > 0 && plan.LandMu > held+1e-9 {
				return xinlu.Invalid("land_mu", "project.revise_land_exceeds_parcels", held, plan.LandMu)
			}
			revisedFrom, p.Plan = p.Plan, plan
			detail["total_yuan"] = plan.TotalYuan
		case xinlu.ProjectLose:
			if !slices.Contains(xinlu.LostReasons, in.Reason) {
				return xinlu.Invalid("lost_reason", "projects.lost_reason_required")
			}
			p.LostReason = in.Reason
			detail["reason"] = in.Reason
		case xinlu.ProjectResume:
			if p.Stage == xinlu.StagePromotion || p.Stage == xinlu.StagePackaging {
				days := ps.ProgressDays
				if p.Stage == xinlu.StagePackaging {
					days = ps.PackagingDays
				}
				p.StageDue = cal.AddWorkdays(today, days).Format(xinlu.DateLayout)
			}
		}
		p.Stage, p.Status = stage, status
		if err := tx.saveProject(ctx, p); err != nil {
			return err
		}
		if action == xinlu.ProjectReviseSchedule {
			if err := tx.saveFundsSchedule(ctx, p); err != nil {
				return err
			}
		}
		switch action {
		case xinlu.ProjectSign:
			reserved, err := tx.reserveUtilities(ctx, a, u, p, in.Override)
			if err != nil {
				return err
			}
			for k, v := range reserved {
				detail[k] = v
			}
		case xinlu.ProjectRevisePlan:
			adjusted, err := tx.adjustUtilities(ctx, a, u, p, strings.TrimSpace(in.Note), in.Override, today)
			if err != nil {
				return err
			}
			for k, v := range adjusted {
				detail[k] = v
			}
		case xinlu.ProjectLose:
			if err := tx.releaseUtilities(ctx, a, p, "lost: "+in.Reason); err != nil {
				return err
			}
			if err := tx.releaseParcels(ctx, a, p.ZoneID, p.ID); err != nil {
				return err
			}
		case xinlu.ProjectStartBuilding:
			if err := tx.checkCastingStart(ctx, p); err != nil {
				return err
			}
			if err := tx.useParcels(ctx, a, p.ZoneID, p.ID); err != nil {
				return err
			}
		case xinlu.ProjectStartProducing:
			if err := tx.commitUtilities(ctx, a, p); err != nil {
				return err
			}
			if err := tx.enterpriseForProject(ctx, a, p); err != nil {
				return err
			}
		}
		if action == xinlu.ProjectSign {
			if err := tx.saveFundsSchedule(ctx, p); err != nil {
				return err
			}
			if err := tx.createChecklist(ctx, cal, p, today); err != nil {
				return err
			}
			if err := tx.proposeReporterReward(ctx, a, p, func(st Settings, reporter int64) *xinlu.Incentive {
				return xinlu.SigningReward(p.ID, reporter, p.Name, p.Signing.SignedOn, st.SignRewardYuan)
			}); err != nil {
				return err
			}
		}
		if err := tx.event(ctx, a, p.ZoneID, p.ID, string(action), detail); err != nil {
			return err
		}
		out = p
		after := projectAudit(p)
		if (action == xinlu.ProjectSign && len(p.Signing.Instalments) > 0) || action == xinlu.ProjectReviseSchedule {
			after["funds_schedule_items"] = instalmentsAudit(p.Signing.Instalments)
		}
		if action == xinlu.ProjectReviseSchedule {
			before["funds_schedule_items"] = instalmentsAudit(previous)
			after["reason"] = strings.TrimSpace(in.Note)
		}
		if action == xinlu.ProjectRevisePlan {
			before["plan"], after["plan"] = projectPlanAudit(revisedFrom), projectPlanAudit(p.Plan)
			after["reason"] = strings.TrimSpace(in.Note)
			if in.Override.Yes {
				after["override_reason"] = strings.TrimSpace(in.Override.Reason)
			}
		}
		return tx.audit(ctx, a, "project."+string(action), "project", p.ID, before, after)
	})
	if err != nil {
		return nil, err
	}
	return s.ProjectByID(ctx, out.ZoneID, out.ID)
}

// proposeReporterReward proposes the reward the zone's settings give the
// reporter of a project's lead (at signing, when funds arrive); a project
// without a lead (imported from a ledger) has no reporter to reward.
func (tx *Tx) proposeReporterReward(ctx context.Context, a xinlu.Actor, p *ProjectRecord, reward func(Settings, int64) *xinlu.Incentive) error {
	if p.LeadID == 0 {
		return nil
	}
	var reporter int64
	if err := tx.queryRow(ctx, `SELECT reporter_id FROM leads WHERE id = ?`, p.LeadID).Scan(&reporter); err != nil {
		return tx.s.translate(err)
	}
	st, err := tx.appraisalSettings(ctx, p.ZoneID)
	if err != nil {
		return err
	}
	_, err = tx.proposeIncentive(ctx, a, p.ZoneID, reward(st, reporter))
	return err
}

// CreateProject inserts a project as it stands (for the ledger import,
// the demo and tests; the screening task force's accept creates projects
// through the lead workflow). A project signed already (stage agency or
// later with a signing date) gets its code. ImportKey, when set, makes a
// second insert of the same key a conflict.
func (s *Store) CreateProject(ctx context.Context, a xinlu.Actor, p *ProjectRecord) error {
	return s.inTx(ctx, func(tx *Tx) error { return tx.createProject(ctx, a, p) })
}

func (tx *Tx) createProject(ctx context.Context, a xinlu.Actor, p *ProjectRecord) error {
	var err error
	if p.Name, err = xinlu.Name("project_name", p.Name); err != nil {
		return err
	}
	if p.Company, err = xinlu.Name("company", p.Company); err != nil {
		return err
	}
	switch {
	case p.Name == "":
		return xinlu.Invalid("project_name", "error.required")
	case p.Company == "":
		return xinlu.Invalid("company", "error.required")
	case !xinlu.ValidIndustry(p.Industry):
		return xinlu.Invalid("industry", "error.invalid_choice")
	case !slices.Contains(xinlu.Stages, p.Stage):
		return xinlu.Invalid("stage", "error.invalid_choice")
	}
	if err := p.Plan.CheckAmounts(); err != nil {
		return err
	}
	if err := xinlu.CheckInvestmentYuan("contract_yuan", p.Signing.ContractYuan, false); err != nil {
		return err
	}
	if p.Status == "" {
		p.Status = xinlu.ProjectActive
	}
	if p.SponsorID != 0 {
		if _, err := tx.memberInZone(ctx, p.ZoneID, p.SponsorID); err != nil {
			return xinlu.Invalid("sponsor_id", "error.invalid_choice")
		}
	}
	if p.Plan.ProposedParkID != 0 {
		if err := tx.sameZone(ctx, p.ZoneID, "parks", p.Plan.ProposedParkID, "proposed_park_id"); err != nil {
			return err
		}
	}
	if p.Code == "" && p.Signing.SignedOn != "" && slices.Index(xinlu.Stages, p.Stage) >= slices.Index(xinlu.Stages, xinlu.StageAgency) {
		signed, err := xinlu.ParseDate(p.Signing.SignedOn)
		if err != nil {
			return xinlu.Invalid("signed_on", "error.date_format")
		}
		var zoneCode string
		if err := tx.queryRow(ctx, `SELECT code FROM zones WHERE id = ?`, p.ZoneID).Scan(&zoneCode); err != nil {
			return tx.s.translate(err)
		}
		if p.Code, err = tx.nextProjectCode(ctx, p.ZoneID, zoneCode, signed.Year()); err != nil {
			return err
		}
	}
	now := tx.s.Now()
	id, err := tx.insert(ctx, `INSERT INTO projects (zone_id, lead_id, code, name, company, company_key, industry, stage, status, lost_reason,
		sponsor_id, content, total_yuan, fixed_asset_yuan, land_mu, water_tpd, power_kva, gas_m3pd, heat_tph, output_yuan, tax_yuan, jobs,
		floor_area_m2, energy_tce, six_new, chain_position, park_id, signed_on, contract_yuan, promised_start, promised_produce, funds_schedule,
		started_on, produced_on, full_on, stage_due, import_key, version, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
		p.ZoneID, nullID(p.LeadID), p.Code, p.Name, p.Company, xinlu.NormalizeCompany(p.Company), p.Industry, string(p.Stage),
		string(p.Status), p.LostReason, nullID(p.SponsorID), p.Plan.Content, p.Plan.TotalYuan, p.Plan.FixedAssetYuan, p.Plan.LandMu,
		p.Plan.WaterTPD, p.Plan.PowerKVA, p.Plan.GasM3PD, p.Plan.HeatTPH, p.Plan.OutputYuan, p.Plan.TaxYuan, p.Plan.Jobs,
		p.Plan.FloorAreaM2, p.Plan.EnergyTce, strings.Join(p.Plan.SixNew, ","), p.Plan.ChainPosition, nullID(p.Plan.ProposedParkID), p.Signing.SignedOn,
		p.Signing.ContractYuan, p.Signing.PromisedStart, p.Signing.PromisedProduce, p.Signing.FundsSchedule,
		p.StartedOn, p.ProducedOn, p.FullOn, p.StageDue, p.ImportKey, now, now)
	if err != nil {
		return err
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
	if err := tx.event(ctx, a, p.ZoneID, id, "created", map[string]any{"stage": string(p.Stage), "import_key": p.ImportKey}); err != nil {
		return err
	}
	return tx.audit(ctx, a, "project.create", "project", id, nil, projectAudit(p))
}

// ImportResult says what an import did or, on a dry run, would do.
type ImportResult struct {
	Created int
	Skipped int // rows whose import key is in the zone already
}

// ImportProjects inserts the projects whose ImportKey the zone does not
// have yet, all in one transaction: one bad row and nothing is kept.
// dryRun checks every row the same way and rolls back.
func (s *Store) ImportProjects(ctx context.Context, a xinlu.Actor, zoneID int64, ps []*ProjectRecord, dryRun bool) (ImportResult, error) {
	var res ImportResult
	errDry := fmt.Errorf("dry run")
	err := s.inTx(ctx, func(tx *Tx) error {
		for i, p := range ps {
			p.ZoneID = zoneID
			if p.ImportKey != "" {
				var n int
				if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE zone_id = ? AND import_key = ?`, zoneID, p.ImportKey).Scan(&n); err != nil {
					return xinlu.Internal(err)
				}
				if n > 0 {
					res.Skipped++
					continue
				}
			}
			if err := tx.createProject(ctx, a, p); err != nil {
				if e, ok := err.(*xinlu.Error); ok && e.Code == xinlu.EINVALID {
					e.Args = append([]any{}, e.Args...)
					return &xinlu.Error{Code: xinlu.EINVALID, Field: e.Field, Key: "projects.import_row_error", Args: []any{i + 1}, Err: e}
				}
				return err
			}
			res.Created++
		}
		if dryRun {
			return errDry
		}
		return tx.audit(ctx, a, "project.import", "project", 0, nil, map[string]any{"created": res.Created, "skipped": res.Skipped})
	})
	if err == errDry {
		err = nil
	}
	return res, err
}

// ProjectEvent is one entry of a project's timeline.
type ProjectEvent struct {
	ID        int64
	At        time.Time
	ActorName string
	Kind      string
	Detail    map[string]any
}

// ProjectEvents returns a project's whole timeline, oldest first.
func (s *Store) ProjectEvents(ctx context.Context, projectID int64) ([]ProjectEvent, error) {
	// The timeline names people as they are called, not by their sign-in names.
	rows, err := s.query(ctx, `SELECT e.id, e.at, COALESCE(NULLIF(u.name, ''), e.actor_name), e.kind, e.detail
		FROM project_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.project_id = ? ORDER BY e.at, e.id`, projectID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []ProjectEvent
	for rows.Next() {
		var e ProjectEvent
		var detail string
		if err := rows.Scan(&e.ID, &e.At, &e.ActorName, &e.Kind, &detail); err != nil {
			return nil, xinlu.Internal(err)
		}
		_ = json.Unmarshal([]byte(detail), &e.Detail)
		out = append(out, e)
	}
	return out, s.translate(rows.Err())
}

// projectEventStep appends a timeline event to a project the user may
// touch, with audit, in one transaction; renew resets a promotion-stage
// project's progress deadline (a sponsor's progress entry).
func (s *Store) projectEventStep(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, perm xinlu.Permission, kind string, detail map[string]any, renew bool, also ...func(tx *Tx) error) error {
	if !u.Can(perm) {
		return xinlu.Forbidden()
	}
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.projectForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		if p.Status == xinlu.ProjectLost {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "status", Key: "project.status_not_allowed",
				Args: []any{xinlu.LabelKey("project.status." + string(p.Status))}}
		}
		if renew && p.Stage == xinlu.StagePromotion && p.Status == xinlu.ProjectActive {
			cal, err := s.zoneCalendar(ctx, p.ZoneID)
			if err != nil {
				return err
			}
			ps, err := tx.pipelineSettings(ctx, p.ZoneID)
			if err != nil {
				return err
			}
			due := cal.AddWorkdays(s.today(), ps.ProgressDays).Format(xinlu.DateLayout)
			if _, err := tx.exec(ctx, `UPDATE projects SET stage_due = ?, updated_at = ? WHERE id = ?`, due, s.Now(), p.ID); err != nil {
				return s.translate(err)
			}
		}
		if err := tx.event(ctx, a, p.ZoneID, p.ID, kind, detail); err != nil {
			return err
		}
		for _, fn := range also {
			if err := fn(tx); err != nil {
				return err
			}
		}
		return tx.audit(ctx, a, "project."+kind, "project", p.ID, nil, detail)
	})
}

// Negotiation is one talk with the investor (洽谈).
type Negotiation struct {
	Date         string
	Participants string
	Outcome      string
}

// AddNegotiation logs a negotiation on the timeline; it counts as the
// sponsor's progress entry.
func (s *Store) AddNegotiation(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, n Negotiation) error {
	var err error
	if n.Participants, err = xinlu.Text("participants", n.Participants); err != nil {
		return err
	}
	if n.Outcome, err = xinlu.Text("outcome", n.Outcome); err != nil {
		return err
	}
	if _, err := s.pastDate(n.Date, "date"); err != nil {
		return err
	}
	switch {
	case n.Participants == "":
		return xinlu.Invalid("participants", "error.required")
	case n.Outcome == "":
		return xinlu.Invalid("outcome", "error.required")
	case len([]rune(n.Outcome)) > 2000:
		return xinlu.Invalid("outcome", "error.too_long", 2000)
	}
	return s.projectEventStep(ctx, a, u, id, xinlu.PermProjectPromote, "negotiation",
		map[string]any{"date": n.Date, "participants": n.Participants, "outcome": n.Outcome}, true)
}

// pastDate parses a date that must not be after today.
func (s *Store) pastDate(v, field string) (time.Time, error) {
	d, err := xinlu.ParseDate(v)
	if err != nil {
		return d, xinlu.Invalid(field, "error.date_format")
	}
	if d.After(s.today()) {
		return d, xinlu.Invalid(field, "projects.date_in_future")
	}
	return d, nil
}

// Funds is one dated amount of funds in place (资金到位).
type Funds struct {
	ID      int64
	OnDate  string
	Yuan    int64
	Note    string
	Version int
}

// RecordFunds records funds in place for a signed project, on the
// timeline and in the audit log; the agency task force and the leadership
// group may. The amount is within its bound (xinlu.CheckFunds).
func (s *Store) RecordFunds(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, f Funds) error {
	if !u.Can(xinlu.PermProjectAgency) && !u.Can(xinlu.PermProjectPromote) {
		return xinlu.Forbidden()
	}
	if err := xinlu.CheckFunds(f.OnDate, f.Yuan, s.today()); err != nil {
		return err
	}
	f.Note = strings.TrimSpace(f.Note)
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.projectForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		if p.Signing.SignedOn == "" {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "stage", Key: "project.stage_not_allowed",
				Args: []any{xinlu.LabelKey("stage." + string(p.Stage))}}
		}
		fundsID, err := tx.insert(ctx, `INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, note, created_at) VALUES (?,?,?,?,?,?)`,
			p.ZoneID, p.ID, f.OnDate, f.Yuan, f.Note, s.Now())
		if err != nil {
			return err
		}
		if err := tx.proposeReporterReward(ctx, a, p, func(st Settings, reporter int64) *xinlu.Incentive {
			return xinlu.FundsReward(p.ID, reporter, fundsID, f.Yuan, st.FundsPermille, f.OnDate)
		}); err != nil {
			return err
		}
		detail := map[string]any{"date": f.OnDate, "amount_yuan": f.Yuan, "note": f.Note}
		if err := tx.event(ctx, a, p.ZoneID, p.ID, "funds", detail); err != nil {
			return err
		}
		return tx.audit(ctx, a, "project.funds", "project", p.ID, nil, detail)
	})
}

// ProjectFunds lists a project's funds in place by date.
func (s *Store) ProjectFunds(ctx context.Context, projectID int64) ([]Funds, error) {
	rows, err := s.query(ctx, `SELECT id, on_date, amount_yuan, note, version FROM funds_in_place WHERE project_id = ? ORDER BY on_date, id`, projectID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []Funds
	for rows.Next() {
		var f Funds
		if err := rows.Scan(&f.ID, &f.OnDate, &f.Yuan, &f.Note, &f.Version); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, f)
	}
	return out, s.translate(rows.Err())
}

// FundsChange is what a correction or reversal of an entry of funds in
// place did.
type FundsChange struct {
	Funds Funds // the entry as corrected, or as it was when reversed
	// Reward is the reward proposed automatically from the entry, as the
	// change left it (xinlu.SettleFundsReward); nil when there was none.
	Reward        *xinlu.Incentive
	RewardOutcome string // xinlu.RewardRevised, RewardUnchanged, RewardWithdrawn or RewardKept; "" without a reward
}

// ChangeFunds corrects (in: new date, amount and note) or reverses (takes
// out of the funds in place) the entry fundsID of project projectID, if
// version is the entry's current one, for reason (xinlu.CheckFundsChange).
// A reversed entry is deleted: it leaves every sum at once, and the
// timeline and the audit log keep it with the reason. The reward proposed
// automatically from the entry follows it (xinlu.SettleFundsReward). One
// transaction, audited.
func (s *Store) ChangeFunds(ctx context.Context, a xinlu.Actor, u *xinlu.User, projectID, fundsID int64, version int,
	action xinlu.FundsAction, in Funds, reason string) (*FundsChange, error) {
	reason, err := xinlu.CheckFundsChange(u, action, reason)
	if err != nil {
		return nil, err
	}
	if action == xinlu.FundsCorrect {
		in.Note = strings.TrimSpace(in.Note)
		if err := xinlu.CheckFunds(in.OnDate, in.Yuan, s.today()); err != nil {
			return nil, err
		}
	}
	out := &FundsChange{}
	err = s.inTx(ctx, func(tx *Tx) error {
		// The project's row is the lock: funds are recorded under it too.
		p, err := tx.projectForUpdate(ctx, u.ZoneID, projectID)
		if err != nil {
			return err
		}
		var old Funds
		if err := tx.queryRow(ctx, `SELECT id, on_date, amount_yuan, note, version FROM funds_in_place WHERE id = ? AND project_id = ?`,
			fundsID, p.ID).Scan(&old.ID, &old.OnDate, &old.Yuan, &old.Note, &old.Version); err != nil {
			if err == sql.ErrNoRows {
				return xinlu.NotFound("projects.funds_not_found")
			}
			return tx.s.translate(err)
		}
		if old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := map[string]any{"funds_id": old.ID, "date": old.OnDate, "amount_yuan": old.Yuan, "note": old.Note, "version": old.Version}
		var res sql.Result
		var next *Funds
		event := map[string]any{"date": old.OnDate, "amount_yuan": old.Yuan, "note": old.Note, "reason": reason}
		if action == xinlu.FundsCorrect {
			if in.OnDate == old.OnDate && in.Yuan == old.Yuan && in.Note == old.Note {
				return xinlu.Invalid("amount_yuan", "projects.funds_unchanged")
			}
			res, err = tx.exec(ctx, `UPDATE funds_in_place SET on_date = ?, amount_yuan = ?, note = ?, version = version + 1 WHERE id = ? AND version = ?`,
				in.OnDate, in.Yuan, in.Note, old.ID, version)
			next = &Funds{ID: old.ID, OnDate: in.OnDate, Yuan: in.Yuan, Note: in.Note, Version: old.Version + 1}
			event = map[string]any{"date": in.OnDate, "amount_yuan": in.Yuan, "note": in.Note, "old_date": old.OnDate,
				"old_amount_yuan": old.Yuan, "reason": reason}
		} else {
			res, err = tx.exec(ctx, `DELETE FROM funds_in_place WHERE id = ? AND version = ?`, old.ID, version)
		}
		if err != nil {
			return tx.s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		out.Funds = old
		if next != nil {
			out.Funds = *next
		}
		if out.Reward, out.RewardOutcome, err = tx.settleFundsReward(ctx, a, u, p, old.ID, next, reason); err != nil {
			return err
		}
		after := map[string]any{"funds_id": old.ID, "reason": reason}
		if next != nil {
			after["date"], after["amount_yuan"], after["note"], after["version"] = next.OnDate, next.Yuan, next.Note, next.Version
		}
		if out.Reward != nil {
			after["reward_id"], after["reward_outcome"] = out.Reward.ID, out.RewardOutcome
		}
		if err := tx.event(ctx, a, p.ZoneID, p.ID, "funds_"+string(action), event); err != nil {
			return err
		}
		return tx.audit(ctx, a, "project.funds_"+string(action), "project", p.ID, before, after)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// settleFundsReward applies xinlu.SettleFundsReward to the reward proposed
// automatically from the entry fundsID, if any: next is the entry as
// corrected, nil when reversed. The zone's current settings price the
// corrected entry. A changed reward is saved and audited
// (incentive.revise, incentive.withdraw).
func (tx *Tx) settleFundsReward(ctx context.Context, a xinlu.Actor, u *xinlu.User, p *ProjectRecord, fundsID int64, next *Funds,
	reason string) (*xinlu.Incentive, string, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM incentives WHERE zone_id = ? AND auto = ?`, p.ZoneID, fmt.Sprintf("%s:%d", xinlu.AutoFunds, fundsID)).Scan(&id)
	if err == sql.ErrNoRows {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", tx.s.translate(err)
	}
	i, err := tx.incentiveForUpdate(ctx, p.ZoneID, id)
	if err != nil {
		return nil, "", err
	}
	var reward *xinlu.Incentive
	if next != nil {
		st, err := tx.appraisalSettings(ctx, p.ZoneID)
		if err != nil {
			return nil, "", err
		}
		reward = xinlu.FundsReward(p.ID, i.MemberID, fundsID, next.Yuan, st.FundsPermille, next.OnDate)
	}
	before := incentiveAudit(i)
	outcome := xinlu.SettleFundsReward(i, reward, u.ID, reason)
	var action string
	switch outcome {
	case xinlu.RewardRevised:
		action = "incentive.revise"
	case xinlu.RewardWithdrawn:
		action = "incentive.withdraw"
	default:
		return i, outcome, nil
	}
	now := tx.s.Now()
	if _, err := tx.exec(ctx, `UPDATE incentives SET amount_yuan = ?, occurred_on = ?, status = ?, decided_by = ?, decision_note = ?,
		version = version + 1, updated_at = ? WHERE id = ?`, i.AmountYuan, i.OccurredOn, string(i.Status), i.DecidedBy, i.DecisionNote, now, i.ID); err != nil {
		return nil, "", tx.s.translate(err)
	}
	i.Version++
	i.UpdatedAt = now
	return i, outcome, tx.audit(ctx, a, action, "incentive", i.ID, before, incentiveAudit(i))
}

// saveFundsSchedule writes the funds schedule of a signing (validated, by
// due date) in place of any the project had.
func (tx *Tx) saveFundsSchedule(ctx context.Context, p *ProjectRecord) error {
	if _, err := tx.exec(ctx, `DELETE FROM funds_schedule WHERE project_id = ?`, p.ID); err != nil {
		return tx.s.translate(err)
	}
	if len(p.Signing.Instalments) == 0 {
		return nil
	}
	rows := make([][]any, len(p.Signing.Instalments))
	for i, it := range p.Signing.Instalments {
		rows[i] = []any{p.ZoneID, p.ID, it.DueOn, it.Yuan, it.Note, i}
	}
	_, err := tx.insertRows(ctx, "funds_schedule", []string{"zone_id", "project_id", "due_on", "amount_yuan", "note", "sort"}, rows)
	return err
}

// instalmentsAudit is a funds schedule as the audit log keeps it.
func instalmentsAudit(items []xinlu.Instalment) []map[string]any {
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = map[string]any{"due_on": it.DueOn, "amount_yuan": it.Yuan, "note": it.Note}
	}
	return out
}

func scheduleSum(items []xinlu.Instalment) int64 {
	var sum int64
	for _, it := range items {
		sum += it.Yuan
	}
	return sum
}

// FundsSchedule returns a project's funds schedule by due date; empty for
// projects signed before schedules were structured (their free text is
// Signing.FundsSchedule).
func (s *Store) FundsSchedule(ctx context.Context, projectID int64) ([]xinlu.Instalment, error) {
	rows, err := s.query(ctx, fundsScheduleQuery, projectID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanInstalment)
}

// fundsSchedule is FundsSchedule inside a transaction.
func (tx *Tx) fundsSchedule(ctx context.Context, projectID int64) ([]xinlu.Instalment, error) {
	rows, err := tx.query(ctx, fundsScheduleQuery, projectID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanInstalment)
}

const fundsScheduleQuery = `SELECT due_on, amount_yuan, note FROM funds_schedule WHERE project_id = ? ORDER BY sort, id`

func scanInstalment(sc scanner) (xinlu.Instalment, error) {
	var it xinlu.Instalment
	return it, sc.Scan(&it.DueOn, &it.Yuan, &it.Note)
}

// FundsTracking measures a project's funds in place up to asOf against its
// funds schedule as of asOf (xinlu.TrackSchedule).
func (s *Store) FundsTracking(ctx context.Context, p *ProjectRecord, asOf time.Time) (xinlu.ScheduleTrack, error) {
	items, err := s.FundsSchedule(ctx, p.ID)
	if err != nil {
		return xinlu.ScheduleTrack{}, err
	}
	var funds int64
	if err := s.queryRow(ctx, `SELECT COALESCE(`+sumYuan("amount_yuan")+`, 0) FROM funds_in_place WHERE project_id = ? AND on_date <= ?`,
		p.ID, asOf.Format(xinlu.DateLayout)).Scan(&funds); err != nil {
		return xinlu.ScheduleTrack{}, s.translate(err)
	}
	return xinlu.TrackSchedule(items, funds, asOf), nil
}

// SetProjectDue sets a project's current deadline directly, without a step
// or an audit row: for the demo's seeding (a few red items) and tests.
func (s *Store) SetProjectDue(ctx context.Context, id int64, due string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE projects SET stage_due = ? WHERE id = ?`, due, id)
		return s.translate(err)
	})
}
