package store

import (
	"context"
	"strconv"
	"time"

	"xinlu/internal/xinlu"
)

// NotifySupervision is the kind of the notification that tells a member of
// a supervision order issued to them.
const NotifySupervision = "supervision"

// SupervisionOrder is a 督办单: a task for a member by a date, closed with
// evidence of what was done.
type SupervisionOrder struct {
	ID           int64
	ProjectID    int64
	Task         string
	AssigneeID   int64
	AssigneeName string
	Due          string
	ClosedOn     string
	Evidence     string
	Version      int
	CreatedAt    time.Time
}

// Overdue reports whether the order is open past its due date on today.
func (o *SupervisionOrder) Overdue(today string) bool { return o.ClosedOn == "" && o.Due < today }

// AddSupervisionOrder issues a supervision order on a project: a record of
// its own and an entry on the timeline, and a notification to the
// assignee. It counts as the sponsor's progress entry.
func (s *Store) AddSupervisionOrder(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, o SupervisionOrder) error {
	if !u.Can(xinlu.PermProjectPromote) {
		return xinlu.Forbidden()
	}
	task, err := xinlu.Text("task", o.Task)
	if err != nil {
		return err
	}
	o.Task = task
	switch {
	case o.Task == "":
		return xinlu.Invalid("task", "error.required")
	case len([]rune(o.Task)) > 500:
		return xinlu.Invalid("task", "error.too_long", 500)
	}
	if _, err := xinlu.ParseDate(o.Due); err != nil {
		return xinlu.Invalid("due", "error.date_format")
	}
	m, err := s.MemberByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: u.ZoneID}, o.AssigneeID)
	if err != nil {
		return xinlu.Invalid("assignee_id", "error.invalid_choice")
	}
	return s.projectEventStep(ctx, a, u, id, xinlu.PermProjectPromote, "supervision",
		map[string]any{"task": o.Task, "assignee_id": m.ID, "assignee": m.Name, "due": o.Due}, true, func(tx *Tx) error {
			now := s.Now()
			oid, err := tx.insert(ctx, `INSERT INTO supervision_orders (zone_id, project_id, task, assignee_id, due_on, created_by, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,1,?,?)`, u.ZoneID, id, o.Task, m.ID, o.Due, u.ID, now, now)
			if err != nil {
				return err
			}
			if err := tx.audit(ctx, a, "supervision.create", "supervision_order", oid, nil,
				map[string]any{"project_id": id, "task": o.Task, "assignee_id": m.ID, "due": o.Due}); err != nil {
				return err
			}
			// The assignee's accounts are told in the same transaction.
			var name string
			if err := tx.queryRow(ctx, `SELECT name FROM projects WHERE id = ?`, id).Scan(&name); err != nil {
				return s.translate(err)
			}
			rows, err := tx.query(ctx, `SELECT id FROM users WHERE zone_id = ? AND member_id = ? AND disabled = ?`, u.ZoneID, m.ID, false)
			if err != nil {
				return xinlu.Internal(err)
			}
			users, err := collect(rows, func(sc scanner) (int64, error) {
				var uid int64
				return uid, sc.Scan(&uid)
			})
			if err != nil {
				return err
			}
			for _, uid := range users {
				if _, err := tx.notify(ctx, &Notification{ZoneID: u.ZoneID, UserID: uid, Kind: NotifySupervision, SubjectType: SubjectProject,
					SubjectID: id, MessageKey: "notifications.msg.supervision", Args: []string{o.Task, name, o.Due},
					DedupeKey: "supervision:" + strconv.FormatInt(oid, 10)}); err != nil {
					return err
				}
			}
			return nil
		})
}

const supervisionColumns = `o.id, o.project_id, o.task, o.assignee_id, COALESCE(m.name, ''), o.due_on, o.closed_on, o.evidence, o.version, o.created_at`

func scanSupervision(sc scanner) (*SupervisionOrder, error) {
	o := &SupervisionOrder{}
	err := sc.Scan(&o.ID, &o.ProjectID, &o.Task, &o.AssigneeID, &o.AssigneeName, &o.Due, &o.ClosedOn, &o.Evidence, &o.Version, &o.CreatedAt)
	return o, err
}

// SupervisionOrders lists a project's orders, open ones first.
func (s *Store) SupervisionOrders(ctx context.Context, zoneID, projectID int64) ([]*SupervisionOrder, error) {
	rows, err := s.query(ctx, `SELECT `+supervisionColumns+` FROM supervision_orders o LEFT JOIN members m ON m.id = o.assignee_id
		WHERE o.zone_id = ? AND o.project_id = ? ORDER BY CASE WHEN o.closed_on = '' THEN 0 ELSE 1 END, o.due_on, o.id`, zoneID, projectID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanSupervision)
}

// CloseSupervisionOrder closes an order with the date it was done and the
// evidence; the assignee or the leadership group may close it.
func (s *Store) CloseSupervisionOrder(ctx context.Context, a xinlu.Actor, u *xinlu.User, projectID, orderID int64, closedOn, evidence string, version int) error {
	evidence, err := xinlu.Text("evidence", evidence)
	if err != nil {
		return err
	}
	switch {
	case evidence == "":
		return xinlu.Invalid("evidence", "error.required")
	case len([]rune(evidence)) > 2000:
		return xinlu.Invalid("evidence", "error.too_long", 2000)
	}
	if _, err := s.pastDate(closedOn, "closed_on"); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		o, err := scanSupervision(tx.queryRow(ctx, `SELECT `+supervisionColumns+` FROM supervision_orders o LEFT JOIN members m ON m.id = o.assignee_id
			WHERE o.id = ? AND o.project_id = ? AND o.zone_id = ?`, orderID, projectID, u.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if !u.Can(xinlu.PermProjectPromote) && (u.MemberID == 0 || u.MemberID != o.AssigneeID) {
			return xinlu.Forbidden()
		}
		if o.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if o.ClosedOn != "" {
			return xinlu.Conflict("closed_on", "supervision.already_closed")
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE supervision_orders SET closed_on = ?, evidence = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			closedOn, evidence, now, orderID); err != nil {
			return s.translate(err)
		}
		detail := map[string]any{"task": o.Task, "assignee": o.AssigneeName, "due": o.Due, "closed_on": closedOn, "evidence": evidence}
		if err := tx.event(ctx, a, u.ZoneID, projectID, "supervision_closed", detail); err != nil {
			return err
		}
		return tx.audit(ctx, a, "supervision.close", "supervision_order", orderID,
			map[string]any{"closed_on": ""}, map[string]any{"closed_on": closedOn, "evidence": evidence})
	})
}
