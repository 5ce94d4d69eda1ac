package store

import (
	"context"
	"slices"
	"time"

	"xinlu/internal/xinlu"
)

// Approval item statuses: preparing → submitted → correction ⇄ submitted →
// approved | rejected; or committed (承诺制: the investor's commitment stands
// in for the approval) from preparing or submitted.
const (
	ApprovalPreparing  = "preparing"
	ApprovalSubmitted  = "submitted"
	ApprovalCorrection = "correction"
	ApprovalApproved   = "approved"
	ApprovalRejected   = "rejected"
	ApprovalCommitted  = "committed"
)

// ApprovalStatuses lists the statuses in order.
var ApprovalStatuses = []string{ApprovalPreparing, ApprovalSubmitted, ApprovalCorrection, ApprovalApproved, ApprovalRejected, ApprovalCommitted}

// approvalSteps: action → (statuses it is allowed from, status it leads to).
var approvalSteps = map[string]struct {
	from []string
	to   string
}{
	"submit":  {[]string{ApprovalPreparing, ApprovalCorrection}, ApprovalSubmitted},
	"correct": {[]string{ApprovalSubmitted}, ApprovalCorrection},
	"approve": {[]string{ApprovalSubmitted}, ApprovalApproved},
	"reject":  {[]string{ApprovalSubmitted}, ApprovalRejected},
	"commit":  {[]string{ApprovalPreparing, ApprovalSubmitted}, ApprovalCommitted},
}

// ApprovalActions lists the approval item actions.
var ApprovalActions = []string{"submit", "correct", "approve", "reject", "commit"}

// ApprovalOpen reports whether an item still runs against its limit.
func ApprovalOpen(status string) bool {
	return status == ApprovalPreparing || status == ApprovalSubmitted || status == ApprovalCorrection
}

// ApprovalTemplate is one item of the checklist a signed project gets: its
// name and its limit in working days. A zone's own template (see
// pipeline_settings.go) is stored in approval_templates, with an id, an
// order and a version.
type ApprovalTemplate struct {
	ID        int64
	ZoneID    int64
	Name      string
	LimitDays int
	SortOrder int
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DefaultApprovalTemplate is the checklist every zone starts with, until
// its administrator changes the zone's template.
var DefaultApprovalTemplate = []ApprovalTemplate{
	{Name: "立项备案", LimitDays: 5},
	{Name: "用地预审与选址", LimitDays: 20},
	{Name: "用地规划许可", LimitDays: 20},
	{Name: "工程规划许可", LimitDays: 20},
	{Name: "施工许可", LimitDays: 15},
	{Name: "环评", LimitDays: 30},
	{Name: "节能审查", LimitDays: 20},
	{Name: "水电气热报装", LimitDays: 15},
}

// ApprovalItem is one approval the agency task force runs for the investor.
type ApprovalItem struct {
	ID        int64
	ZoneID    int64
	ProjectID int64
	Name      string
	AgentID   int64
	AgentName string
	LimitDays int
	Status    string
	Committed bool
	StartedOn string
	DueOn     string
	ClosedOn  string
	Note      string
	SortOrder int
	Version   int
	Light     xinlu.Light // of DueOn while the item is open
}

const approvalColumns = `a.id, a.zone_id, a.project_id, a.name, COALESCE(a.agent_id, 0), COALESCE(m.name, ''), a.limit_days, a.status,
	a.committed, a.started_on, a.due_on, a.closed_on, a.note, a.sort_order, a.version`

const approvalFrom = ` FROM approval_items a LEFT JOIN members m ON m.id = a.agent_id`

func scanApproval(sc interface{ Scan(...any) error }) (*ApprovalItem, error) {
	it := &ApprovalItem{}
	err := sc.Scan(&it.ID, &it.ZoneID, &it.ProjectID, &it.Name, &it.AgentID, &it.AgentName, &it.LimitDays, &it.Status,
		&it.Committed, &it.StartedOn, &it.DueOn, &it.ClosedOn, &it.Note, &it.SortOrder, &it.Version)
	return it, err
}

func approvalAudit(it *ApprovalItem) map[string]any {
	return map[string]any{"project_id": it.ProjectID, "name": it.Name, "agent_id": it.AgentID, "limit_days": it.LimitDays,
		"status": it.Status, "due_on": it.DueOn, "closed_on": it.ClosedOn, "note": it.Note}
}

// createChecklist gives a just-signed project its zone's checklist template
// (the built-in one while the zone has none), each item due its limit in
// working days after today. The items are copies: later changes to the
// template do not touch them.
func (tx *Tx) createChecklist(ctx context.Context, cal *xinlu.Calendar, p *ProjectRecord, today time.Time) error {
	tmpl, err := tx.approvalTemplates(ctx, p.ZoneID)
	if err != nil {
		return err
	}
	for i, t := range tmpl.Items {
		it := &ApprovalItem{ZoneID: p.ZoneID, ProjectID: p.ID, Name: t.Name, LimitDays: t.LimitDays, SortOrder: i + 1}
		if err := tx.insertApproval(ctx, cal, it, today); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) insertApproval(ctx context.Context, cal *xinlu.Calendar, it *ApprovalItem, today time.Time) error {
	now := tx.s.Now()
	it.Status, it.Version = ApprovalPreparing, 1
	it.StartedOn = today.Format(xinlu.DateLayout)
	it.DueOn = cal.AddWorkdays(today, it.LimitDays).Format(xinlu.DateLayout)
	id, err := tx.insert(ctx, `INSERT INTO approval_items (zone_id, project_id, name, agent_id, limit_days, status, committed,
		started_on, due_on, closed_on, note, sort_order, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
		it.ZoneID, it.ProjectID, it.Name, nullID(it.AgentID), it.LimitDays, it.Status, false, it.StartedOn, it.DueOn, "", it.Note,
		it.SortOrder, now, now)
	it.ID = id
	return err
}

// Approvals lists a project's approval items in checklist order, each with
// its light.
func (s *Store) Approvals(ctx context.Context, zoneID, projectID int64) ([]*ApprovalItem, error) {
	q, args := `SELECT `+approvalColumns+approvalFrom+` WHERE a.project_id = ?`, []any{projectID}
	if zoneID != 0 {
		q, args = q+` AND a.zone_id = ?`, append(args, zoneID)
	}
	rows, err := s.query(ctx, q+` ORDER BY a.sort_order, a.id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	out, err := collect(rows, scanApproval)
	if err != nil {
		return nil, err
	}
	if len(out) > 0 {
		cal, err := s.zoneCalendar(ctx, out[0].ZoneID)
		if err != nil {
			return nil, err
		}
		rules, err := s.LightRules(ctx, out[0].ZoneID)
		if err != nil {
			return nil, err
		}
		today := s.today()
		for _, it := range out {
			if ApprovalOpen(it.Status) {
				it.Light = rules.Light(cal, it.DueOn, today)
			}
		}
	}
	return out, nil
}

// AddApproval adds an item to a signed project's checklist beyond the
// template (name, limit, agent); the agency task force may.
func (s *Store) AddApproval(ctx context.Context, a xinlu.Actor, u *xinlu.User, projectID int64, it *ApprovalItem) error {
	if !u.Can(xinlu.PermProjectAgency) {
		return xinlu.Forbidden()
	}
	name, err := xinlu.Name("name", it.Name)
	if err != nil {
		return err
	}
	it.Name = name
	switch {
	case it.Name == "":
		return xinlu.Invalid("name", "error.required")
	case len([]rune(it.Name)) > 64:
		return xinlu.Invalid("name", "error.too_long", 64)
	case it.LimitDays < 1 || it.LimitDays > 250:
		return xinlu.Invalid("limit_days", "projects.limit_days_range")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.projectForUpdate(ctx, u.ZoneID, projectID)
		if err != nil {
			return err
		}
		if p.Signing.SignedOn == "" || p.Status == xinlu.ProjectLost {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "stage", Key: "project.stage_not_allowed",
				Args: []any{xinlu.LabelKey("stage." + string(p.Stage))}}
		}
		if it.AgentID != 0 {
			if _, err := tx.memberInZone(ctx, p.ZoneID, it.AgentID); err != nil {
				return xinlu.Invalid("agent_id", "error.invalid_choice")
			}
		}
		cal, err := s.zoneCalendar(ctx, p.ZoneID)
		if err != nil {
			return err
		}
		var maxOrder int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(sort_order), 0) FROM approval_items WHERE project_id = ?`, p.ID).Scan(&maxOrder); err != nil {
			return xinlu.Internal(err)
		}
		it.ZoneID, it.ProjectID, it.SortOrder = p.ZoneID, p.ID, maxOrder+1
		if err := tx.insertApproval(ctx, cal, it, s.today()); err != nil {
			return err
		}
		if err := tx.event(ctx, a, p.ZoneID, p.ID, "approval_added", map[string]any{"item": it.Name, "due_on": it.DueOn}); err != nil {
			return err
		}
		return tx.audit(ctx, a, "approval.create", "approval_item", it.ID, nil, approvalAudit(it))
	})
}

// ApprovalInput is what a step of an approval item may carry.
type ApprovalInput struct {
	AgentID int64 // assigns the agent when set
	Note    string
}

// StepApproval moves an approval item of a project on (submit, correct,
// approve, reject, commit) if its version is current; a step that does not
// fit the item's status is a conflict naming the status.
func (s *Store) StepApproval(ctx context.Context, a xinlu.Actor, u *xinlu.User, projectID, itemID int64, version int, action string, in ApprovalInput) (*ApprovalItem, error) {
	step, ok := approvalSteps[action]
	if !ok {
		return nil, xinlu.NotFound("projects.approval_unknown_action")
	}
	if !u.Can(xinlu.PermProjectAgency) {
		return nil, xinlu.Forbidden()
	}
	var out *ApprovalItem
	err := s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.projectForUpdate(ctx, u.ZoneID, projectID)
		if err != nil {
			return err
		}
		if p.Status == xinlu.ProjectLost {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "status", Key: "project.status_not_allowed",
				Args: []any{xinlu.LabelKey("project.status." + string(p.Status))}}
		}
		it, err := scanApproval(tx.queryRow(ctx, `SELECT `+approvalColumns+approvalFrom+` WHERE a.id = ? AND a.project_id = ? AND a.zone_id = ?`,
			itemID, p.ID, p.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if !slices.Contains(step.from, it.Status) {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "status", Key: "projects.approval_step_not_allowed",
				Args: []any{xinlu.LabelKey("projects.approval." + it.Status)}}
		}
		if it.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := approvalAudit(it)
		if in.AgentID != 0 {
			if _, err := tx.memberInZone(ctx, p.ZoneID, in.AgentID); err != nil {
				return xinlu.Invalid("agent_id", "error.invalid_choice")
			}
			it.AgentID = in.AgentID
		}
		note, err := xinlu.Text("note", in.Note)
		if err != nil {
			return err
		}
		if note != "" {
			if len([]rune(note)) > 1000 {
				return xinlu.Invalid("note", "error.too_long", 1000)
			}
			it.Note = note
		}
		it.Status = step.to
		it.Committed = it.Committed || step.to == ApprovalCommitted
		if !ApprovalOpen(it.Status) {
			it.ClosedOn = s.today().Format(xinlu.DateLayout)
		}
		res, err := tx.exec(ctx, `UPDATE approval_items SET status = ?, committed = ?, agent_id = ?, note = ?, closed_on = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			it.Status, it.Committed, nullID(it.AgentID), it.Note, it.ClosedOn, s.Now(), it.ID, version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		it.Version++
		detail := map[string]any{"item": it.Name, "action": action, "status": it.Status, "note": it.Note}
		if err := tx.event(ctx, a, p.ZoneID, p.ID, "approval", detail); err != nil {
			return err
		}
		out = it
		return tx.audit(ctx, a, "approval."+action, "approval_item", it.ID, before, approvalAudit(it))
	})
	if err != nil {
		return nil, err
	}
	if ApprovalOpen(out.Status) {
		// The step is saved: a light that cannot be computed stays empty.
		cal, cerr := s.zoneCalendar(ctx, out.ZoneID)
		rules, rerr := s.LightRules(ctx, out.ZoneID)
		if cerr == nil && rerr == nil {
			out.Light = rules.Light(cal, out.DueOn, s.today())
		}
	}
	return out, nil
}

// Actions lists the actions the item's status allows, in display order, so
// that a closed item offers none.
func (it ApprovalItem) Actions() []string {
	var out []string
	for _, a := range ApprovalActions {
		if slices.Contains(approvalSteps[a].from, it.Status) {
			out = append(out, a)
		}
	}
	return out
}
