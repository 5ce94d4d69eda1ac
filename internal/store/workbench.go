package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// The workbench (工作台) is each user's home: what waits for them, counted,
// with the first few records, the most urgent first. Every to-do is one
// COUNT with the light counts beside it and one LIMITed list ordered by
// deadline (red before yellow before green), both on the indexes the lists
// and the escalation job use.

// TodoItem is one record a to-do lists.
type TodoItem struct {
	ID     int64
	LinkID int64  // the record whose page opens it: the project of an approval item or order, the period of an appeal
	Name   string // the lead's project, the project, the approval item, the order's task, the appellant or claimant
	Of     string // the lead's company, the approval item's or order's project, the appeal's period
	Who    string // the order's assignee
	Status string // the lead's or claim's status, the project's stage
	Due    string // YYYY-MM-DD, "" without a deadline
	Light  xinlu.Light
}

// Todos is one kind of to-do: how many, how many of them red and yellow by
// the zone's light rules, and the first few.
type Todos struct {
	Count, Red, Yellow int
	Items              []TodoItem
}

// todoQuery is one to-do's table, condition and columns. due is the
// deadline column (” for to-dos without one); cols are read in order into
// ID, LinkID, Name, Of, Who, Status and Due.
type todoQuery struct {
	from, where string
	args        []any
	due         string
	cols        string
}

// Lights are a zone's calendar and light rules on the store's today: read
// once for all the to-dos of a page.
type Lights struct {
	zone  int64
	cal   *xinlu.Calendar
	rules xinlu.LightRules
	today time.Time
}

// ZoneLights reads a zone's calendar and light rules.
func (s *Store) ZoneLights(ctx context.Context, zoneID int64) (*Lights, error) {
	cal, err := s.zoneCalendar(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	rules, err := s.LightRules(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	return &Lights{zone: zoneID, cal: cal, rules: rules, today: s.today()}, nil
}

// todos counts and lists one to-do: red (due before today) and yellow (due
// from today to the first green day, lightRange) counted in the same read,
// and the first limit records by deadline, those without one last.
func (s *Store) todos(ctx context.Context, lt *Lights, q todoQuery, limit int) (Todos, error) {
	var out Todos
	due := q.due
	if due == "" {
		due = "''"
	}
	cal, rules, today := lt.cal, lt.rules, lt.today
	t := today.Format(xinlu.DateLayout)
	green := rules.GreenFrom(cal, today).Format(xinlu.DateLayout)
	err := s.queryRow(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN `+due+` <> '' AND `+due+` < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+due+` >= ? AND `+due+` < ? THEN 1 ELSE 0 END), 0) FROM `+q.from+` WHERE `+q.where,
		append([]any{t, t, green}, q.args...)...).Scan(&out.Count, &out.Red, &out.Yellow)
	if err != nil {
		return out, xinlu.Internal(err)
	}
	if out.Count == 0 || limit <= 0 {
		return out, nil
	}
	order := ` ORDER BY 1` // PostgreSQL refuses a constant to order by
	if q.due != "" {
		order = ` ORDER BY CASE WHEN ` + due + ` = '' THEN 1 ELSE 0 END, ` + due + `, 1`
	}
	rows, err := s.query(ctx, `SELECT `+q.cols+`, `+due+` FROM `+q.from+` WHERE `+q.where+order+` LIMIT ?`, append(q.args, limit)...)
	if err != nil {
		return out, xinlu.Internal(err)
	}
	out.Items, err = collect(rows, func(sc scanner) (TodoItem, error) {
		var it TodoItem
		err := sc.Scan(&it.ID, &it.LinkID, &it.Name, &it.Of, &it.Who, &it.Status, &it.Due)
		it.Light = rules.Light(cal, it.Due, today)
		return it, err
	})
	return out, err
}

// LeadsToScreen are the zone's open leads (reported, screening, waiting for
// information) by screening deadline: the screening task force's.
func (s *Store) LeadsToScreen(ctx context.Context, lt *Lights, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{from: "leads l", due: "l.screening_due",
		where: "l.zone_id = ? AND l.status IN (?, ?, ?)",
		args:  []any{lt.zone, string(xinlu.LeadReported), string(xinlu.LeadScreening), string(xinlu.LeadInfoRequested)},
		cols:  "l.id, l.id, l.project_name, l.company, '', l.status"}, limit)
}

// PlansDue are the zone's active projects in packaging, by the plan's due
// date: the planning group's.
func (s *Store) PlansDue(ctx context.Context, lt *Lights, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{from: "projects p", due: "p.stage_due",
		where: "p.zone_id = ? AND p.status = ? AND p.stage = ?",
		args:  []any{lt.zone, string(xinlu.ProjectActive), string(xinlu.StagePackaging)},
		cols:  "p.id, p.id, p.name, p.company, '', p.stage"}, limit)
}

// SponsoredProjects are the active projects a member sponsors (包联), by
// their stage's deadline.
func (s *Store) SponsoredProjects(ctx context.Context, lt *Lights, memberID int64, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{from: "projects p", due: "p.stage_due",
		where: "p.zone_id = ? AND p.status = ? AND p.sponsor_id = ?",
		args:  []any{lt.zone, string(xinlu.ProjectActive), memberID},
		cols:  "p.id, p.id, p.name, p.company, '', p.stage"}, limit)
}

// UnsponsoredProjects are the zone's active projects in promotion without a
// sponsor yet: the leadership group assigns one.
func (s *Store) UnsponsoredProjects(ctx context.Context, lt *Lights, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{from: "projects p", due: "p.stage_due",
		where: "p.zone_id = ? AND p.status = ? AND p.stage = ? AND p.sponsor_id IS NULL",
		args:  []any{lt.zone, string(xinlu.ProjectActive), string(xinlu.StagePromotion)},
		cols:  "p.id, p.id, p.name, p.company, '', p.stage"}, limit)
}

const orderTodoFrom = "supervision_orders o JOIN projects p ON p.id = o.project_id LEFT JOIN members m ON m.id = o.assignee_id"

// OrdersToPush are the open supervision orders (督办) on the projects a
// member sponsors, by due date.
func (s *Store) OrdersToPush(ctx context.Context, lt *Lights, sponsorID int64, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{from: orderTodoFrom, due: "o.due_on",
		where: "o.zone_id = ? AND o.closed_on = '' AND p.sponsor_id = ?", args: []any{lt.zone, sponsorID},
		cols: "o.id, o.project_id, o.task, p.name, COALESCE(m.name, ''), ''"}, limit)
}

// OrdersAssigned are the open supervision orders assigned to a member.
func (s *Store) OrdersAssigned(ctx context.Context, lt *Lights, memberID int64, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{from: orderTodoFrom, due: "o.due_on",
		where: "o.zone_id = ? AND o.closed_on = '' AND o.assignee_id = ?", args: []any{lt.zone, memberID},
		cols: "o.id, o.project_id, o.task, p.name, COALESCE(m.name, ''), ''"}, limit)
}

// ApprovalsDue are the open approval items (preparing, submitted, in
// correction) of projects not lost that are an agent's: assigned to them,
// or to nobody yet (then every agent's, as the escalation tells them).
func (s *Store) ApprovalsDue(ctx context.Context, lt *Lights, agentID int64, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{from: "approval_items a JOIN projects p ON p.id = a.project_id", due: "a.due_on",
		where: "a.zone_id = ? AND a.status IN (?, ?, ?) AND p.status <> ? AND (a.agent_id = ? OR a.agent_id IS NULL)",
		args:  []any{lt.zone, ApprovalPreparing, ApprovalSubmitted, ApprovalCorrection, string(xinlu.ProjectLost), agentID},
		cols:  "a.id, a.project_id, a.name, p.name, '', a.status"}, limit)
}

// RedApprovals are the zone's open approval items past due, of projects
// not lost: what the director looks at.
func (s *Store) RedApprovals(ctx context.Context, lt *Lights, limit int) (Todos, error) {
	today := lt.today.Format(xinlu.DateLayout)
	return s.todos(ctx, lt, todoQuery{from: "approval_items a JOIN projects p ON p.id = a.project_id", due: "a.due_on",
		where: "a.zone_id = ? AND a.status IN (?, ?, ?) AND p.status <> ? AND a.due_on <> '' AND a.due_on < ?",
		args:  []any{lt.zone, ApprovalPreparing, ApprovalSubmitted, ApprovalCorrection, string(xinlu.ProjectLost), today},
		cols:  "a.id, a.project_id, a.name, p.name, '', a.status"}, limit)
}

// RedProjects are the zone's active projects past their stage's deadline.
func (s *Store) RedProjects(ctx context.Context, lt *Lights, limit int) (Todos, error) {
	today := lt.today.Format(xinlu.DateLayout)
	return s.todos(ctx, lt, todoQuery{from: "projects p LEFT JOIN members m ON m.id = p.sponsor_id", due: "p.stage_due",
		where: "p.zone_id = ? AND p.status = ? AND p.stage_due <> '' AND p.stage_due < ?",
		args:  []any{lt.zone, string(xinlu.ProjectActive), today},
		cols:  "p.id, p.id, p.name, p.company, COALESCE(m.name, ''), p.stage"}, limit)
}

// AppealsToAnswer are the zone's appeals not answered yet, oldest first:
// the appraisal office's. An appeal has no deadline of its own.
func (s *Store) AppealsToAnswer(ctx context.Context, lt *Lights, limit int) (Todos, error) {
	return s.todos(ctx, lt, todoQuery{
		from:  "appraisal_appeals ap JOIN members m ON m.id = ap.member_id JOIN appraisal_periods pe ON pe.id = ap.period_id",
		where: "ap.zone_id = ? AND ap.status = 'filed'", args: []any{lt.zone},
		cols: "ap.id, ap.period_id, m.name, pe.label, '', ap.status"}, limit)
}

// ClaimStatusesToHandle are the statuses in which a fault-tolerance claim
// waits for the discipline office: to accept, investigate, decide, notify
// or recheck.
var ClaimStatusesToHandle = []xinlu.ClaimStatus{xinlu.ClaimSubmitted, xinlu.ClaimAccepted, xinlu.ClaimInvestigating,
	xinlu.ClaimDecided, xinlu.ClaimAppealed}

// ClaimsToDecide are the claims waiting for u's office, oldest first,
// without those u filed or that are about u (whoever files a claim never
// decides it).
func (s *Store) ClaimsToDecide(ctx context.Context, lt *Lights, u *xinlu.User, limit int) (Todos, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ClaimStatusesToHandle)), ", ")
	args := []any{lt.zone}
	for _, st := range ClaimStatusesToHandle {
		args = append(args, string(st))
	}
	args = append(args, u.ID, u.MemberID)
	return s.todos(ctx, lt, todoQuery{from: "tolerance_claims c JOIN members m ON m.id = c.member_id",
		where: "c.zone_id = ? AND c.status IN (" + marks + ") AND c.filed_by <> ? AND c.member_id <> ?", args: args,
		cols: "c.id, c.id, m.name, '', '', c.status"}, limit)
}

// ScoreTodo is one period in scoring (or recheck) and how many members a
// rater has not scored yet.
type ScoreTodo struct {
	PeriodID int64
	Label    string
	State    xinlu.PeriodState
	Members  int // members in the rater's scope with an assessed indicator and no score from the rater
}

// ScoresToEnter lists the zone's periods open for scores, each with the
// active members of scope (not u) whose scheme has an assessed indicator
// and whom u has not scored in it.
func (s *Store) ScoresToEnter(ctx context.Context, u *xinlu.User, scope xinlu.ScopeFilter) ([]ScoreTodo, error) {
	periods, _, err := s.ListPeriods(ctx, PeriodFilter{ZoneID: u.ZoneID,
		States: []xinlu.PeriodState{xinlu.PeriodScoring, xinlu.PeriodRecheck}, Page: xinlu.Page{PerPage: 10}})
	if err != nil || len(periods) == 0 {
		return nil, err
	}
	schemes, err := s.ListSchemes(ctx, u.ZoneID)
	if err != nil {
		return nil, err
	}
	var kinds []any
	for _, sc := range schemes {
		for _, ind := range sc.Indicators {
			if ind.Kind == xinlu.IndicatorAssessed {
				kinds = append(kinds, string(sc.PositionKind))
				break
			}
		}
	}
	out := make([]ScoreTodo, 0, len(periods))
	for _, p := range periods {
		st := ScoreTodo{PeriodID: p.ID, Label: p.Label, State: p.State}
		if len(kinds) > 0 && u.MemberID != 0 {
			cond, args := memberScope(scope)
			marks := strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ")
			args = append(append(append(args, string(xinlu.MemberActive), u.MemberID), kinds...), p.ID, u.MemberID)
			err := s.queryRow(ctx, `SELECT COUNT(*) FROM members m LEFT JOIN positions ps ON ps.id = m.position_id
				WHERE `+cond+` AND m.status = ? AND m.id <> ? AND COALESCE(ps.kind, 'staff') IN (`+marks+`)
				AND NOT EXISTS (SELECT 1 FROM appraisal_ratings r WHERE r.period_id = ? AND r.rater_id = ? AND r.member_id = m.id)`,
				args...).Scan(&st.Members)
			if err != nil {
				return nil, xinlu.Internal(err)
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// LeadCount is how many of a member's reported leads have one status.
type LeadCount struct {
	Status xinlu.LeadStatus
	Count  int
}

// ReportedLeadCounts counts the leads a member reported by status, in the
// statuses' display order.
func (s *Store) ReportedLeadCounts(ctx context.Context, zoneID, memberID int64) ([]LeadCount, int, error) {
	rows, err := s.query(ctx, `SELECT status, COUNT(*) FROM leads WHERE zone_id = ? AND reporter_id = ? GROUP BY status`, zoneID, memberID)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	by := map[xinlu.LeadStatus]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		by[xinlu.LeadStatus(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	var out []LeadCount
	total := 0
	for _, st := range xinlu.LeadStatuses {
		if by[st] > 0 {
			out = append(out, LeadCount{Status: st, Count: by[st]})
			total += by[st]
		}
	}
	return out, total, nil
}

// LatestBand is a member's result in the newest period whose results they
// see (publication or later).
type LatestBand struct {
	PeriodID int64
	Label    string
	Band     xinlu.Band
	Rank     int
	Score    int64 // hundredths
}

// MemberLatestBand returns the member's latest visible result, or nil.
func (s *Store) MemberLatestBand(ctx context.Context, zoneID, memberID int64) (*LatestBand, error) {
	var b LatestBand
	var band string
	err := s.queryRow(ctx, `SELECT p.id, p.label, r.band, r.rank, r.score FROM appraisal_results r JOIN appraisal_periods p ON p.id = r.period_id
		WHERE r.member_id = ? AND p.zone_id = ? AND p.state IN ('publication','final','applied','archived')
		ORDER BY p.starts_on DESC, p.kind LIMIT 1`, memberID, zoneID).Scan(&b.PeriodID, &b.Label, &band, &b.Rank, &b.Score)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	b.Band = xinlu.Band(band)
	return &b, nil
}

// ProposedIncentives counts the zone's rewards and penalties waiting for
// approval.
func (s *Store) ProposedIncentives(ctx context.Context, zoneID int64) (int, error) {
	n, err := s.count(ctx, `SELECT COUNT(*) FROM incentives WHERE zone_id = ? AND status = ?`, zoneID, string(xinlu.IncentiveProposed))
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	return n, nil
}
