package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"xinlu/internal/xinlu"
)

// Notifications tell a signed-in user something in the app: the hourly job
// escalates overdue items (see EscalateOverdue). Each notification is
// written once per user and dedupe key, so running a job twice tells
// nobody twice.

// Notification kinds and subject types.
const (
	NotifyOverdue = "overdue"

	SubjectLead     = "lead"
	SubjectProject  = "project"
	SubjectApproval = "approval" // SubjectID is the project's; the item is named in the message
)

// Notification is one message to one user.
type Notification struct {
	ID          int64
	ZoneID      int64
	UserID      int64
	Kind        string
	SubjectType string // lead | project
	SubjectID   int64
	Level       int      // escalation level (1 responsible, 2 sponsor, 3 director)
	MessageKey  string   // i18n key, formatted with Args
	Args        []string // message arguments
	CreatedAt   time.Time
	ReadAt      sql.NullTime
	DedupeKey   string
}

// Notify stores n unless its user already has a notification with the same
// dedupe key; it reports whether n was new.
func (s *Store) Notify(ctx context.Context, n *Notification) (bool, error) {
	var created bool
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		created, err = tx.notify(ctx, n)
		return err
	})
	return created, err
}

func (tx *Tx) notify(ctx context.Context, n *Notification) (bool, error) {
	if n.UserID == 0 || n.DedupeKey == "" || n.MessageKey == "" {
		return false, xinlu.Internal(fmt.Errorf("notification needs a user, a dedupe key and a message"))
	}
	if n.Args == nil {
		n.Args = []string{}
	}
	args, err := json.Marshal(n.Args)
	if err != nil {
		return false, xinlu.Internal(err)
	}
	n.CreatedAt = tx.s.Now()
	err = tx.queryRow(ctx, `INSERT INTO notifications (zone_id, user_id, kind, subject_type, subject_id, level, message_key, args, created_at, dedupe_key)
		VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
		n.ZoneID, n.UserID, n.Kind, n.SubjectType, n.SubjectID, n.Level, n.MessageKey, string(args), n.CreatedAt, n.DedupeKey).Scan(&n.ID)
	if err == sql.ErrNoRows {
		return false, nil // told before
	}
	if err != nil {
		return false, tx.s.translate(err)
	}
	return true, nil
}

// NotificationFilter selects a user's notifications.
type NotificationFilter struct {
	UserID int64
	Unread bool // only unread ones
	xinlu.Page
}

// ListNotifications returns a user's notifications, newest first, and how
// many there are in all.
func (s *Store) ListNotifications(ctx context.Context, f NotificationFilter) ([]Notification, int, error) {
	cond := `user_id = ?`
	if f.Unread {
		cond += ` AND read_at IS NULL`
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE `+cond, f.UserID).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT id, zone_id, user_id, kind, subject_type, subject_id, level, message_key, args, created_at, read_at, dedupe_key
		FROM notifications WHERE `+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`, f.UserID, p.PerPage, p.Offset())
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var args string
		if err := rows.Scan(&n.ID, &n.ZoneID, &n.UserID, &n.Kind, &n.SubjectType, &n.SubjectID, &n.Level, &n.MessageKey, &args,
			&n.CreatedAt, &n.ReadAt, &n.DedupeKey); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
			n.Args = nil
		}
		out = append(out, n)
	}
	return out, total, s.translate(rows.Err())
}

// UnreadCount counts a user's unread notifications, for the bell: one
// COUNT over the partial index of unread rows.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, s.translate(err)
}

// MarkRead marks one of the user's notifications read; someone else's is
// not found. Marking a read one again changes nothing.
func (s *Store) MarkRead(ctx context.Context, userID, id int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		var readAt sql.NullTime
		if err := tx.queryRow(ctx, `SELECT read_at FROM notifications WHERE id = ? AND user_id = ?`, id, userID).Scan(&readAt); err != nil {
			return s.translate(err)
		}
		if readAt.Valid {
			return nil
		}
		_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ?`, s.Now(), id, userID)
		return s.translate(err)
	})
}

// MarkAllRead marks every unread notification of the user read and returns
// how many there were.
func (s *Store) MarkAllRead(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, s.Now(), userID)
		if err != nil {
			return s.translate(err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// --- escalation of overdue items ---

// Who is told about a red item (xinlu.EscalationFor), each level adding to
// the ones before (a level reached while the job did not run still tells
// the lower levels' people once):
//
//   - approval item (open: preparing, submitted, correction; of a project
//     not lost): level 1 its agent, or without one every user with the agent
//     role; level 2 the project's sponsor, or without one the leadership
//     group (sponsor role); level 3 every director.
//   - project (active, past stage_due): level 1 its sponsor, or without one
//     the leadership group; level 2 the sponsor likewise (a new, escalated
//     message); level 3 every director.
//   - lead (reported, screening, info_requested; past screening_due): level
//     1 every screener; level 2 the leadership group (a lead has no
//     sponsor); level 3 every director.
//
// People are users of the zone, not disabled, found through users.member_id
// for a member (agent, sponsor) and through user_roles for a role. The
// dedupe key holds the due date, so that an item whose deadline moves and
// runs out again is escalated again.

// EscalationResult counts what one run did.
type EscalationResult struct {
	Items         int // red items looked at
	Notifications int // notifications written (new ones only)
}

// overdueItem is one red item and the members responsible at each level.
type overdueItem struct {
	subjectType string // lead | project | approval (for the dedupe key)
	id          int64  // of the lead, project or approval item
	linkType    string // lead | project
	linkID      int64
	due         string
	messageKey  string
	args        []string
	agentID     int64 // approval items
	sponsorID   int64 // approvals and projects
}

// zoneRecipients resolves members and roles to users of one zone.
type zoneRecipients struct {
	byMember map[int64]int64
	byRole   map[xinlu.Role][]int64
}

func (s *Store) zoneRecipients(ctx context.Context, zoneID int64) (*zoneRecipients, error) {
	zr := &zoneRecipients{byMember: map[int64]int64{}, byRole: map[xinlu.Role][]int64{}}
	rows, err := s.query(ctx, `SELECT id, member_id FROM users WHERE zone_id = ? AND disabled = ? AND member_id IS NOT NULL`, zoneID, false)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	for rows.Next() {
		var uid, mid int64
		if err := rows.Scan(&uid, &mid); err != nil {
			rows.Close()
			return nil, xinlu.Internal(err)
		}
		zr.byMember[mid] = uid
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	rows, err = s.query(ctx, `SELECT u.id, r.role FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.zone_id = ? AND u.disabled = ? AND r.role IN (?, ?, ?, ?) ORDER BY u.id`,
		zoneID, false, string(xinlu.RoleScreener), string(xinlu.RoleSponsor), string(xinlu.RoleAgent), string(xinlu.RoleDirector))
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var role string
		if err := rows.Scan(&uid, &role); err != nil {
			return nil, xinlu.Internal(err)
		}
		zr.byRole[xinlu.Role(role)] = append(zr.byRole[xinlu.Role(role)], uid)
	}
	return zr, s.translate(rows.Err())
}

// memberOr is the user of a member, or without one (or without an account)
// every user of the role.
func (zr *zoneRecipients) memberOr(memberID int64, role xinlu.Role) []int64 {
	if uid, ok := zr.byMember[memberID]; ok && memberID != 0 {
		return []int64{uid}
	}
	return zr.byRole[role]
}

// recipients lists the users told at one level about an item.
func (zr *zoneRecipients) recipients(it *overdueItem, level xinlu.Escalation) []int64 {
	if level == xinlu.EscalateDirector {
		return zr.byRole[xinlu.RoleDirector]
	}
	switch it.subjectType {
	case SubjectApproval:
		if level == xinlu.EscalateResponsible {
			return zr.memberOr(it.agentID, xinlu.RoleAgent)
		}
		return zr.memberOr(it.sponsorID, xinlu.RoleSponsor)
	case SubjectProject:
		return zr.memberOr(it.sponsorID, xinlu.RoleSponsor)
	case SubjectLead:
		if level == xinlu.EscalateResponsible {
			return zr.byRole[xinlu.RoleScreener]
		}
		return zr.byRole[xinlu.RoleSponsor]
	}
	return nil
}

// escalateBatch is how many notifications one write transaction inserts,
// so that a large backlog never holds the writer for long.
const escalateBatch = 500

// EscalateOverdue finds every red item of every zone on today (a date; its
// clock time is ignored) and notifies the people of each escalation level
// it has reached, each once per item, due date and level. What was told
// before is read first, from each recipient's own keys, so that an hourly
// run over a large backlog writes only what is new, in short transactions.
func (s *Store) EscalateOverdue(ctx context.Context, today time.Time) (EscalationResult, error) {
	var res EscalationResult
	zones, err := s.Zones(ctx)
	if err != nil {
		return res, err
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for _, z := range zones {
		cal, err := s.zoneCalendar(ctx, z.ID)
		if err != nil {
			return res, err
		}
		items, err := s.overdueItems(ctx, z.ID, day.Format(xinlu.DateLayout))
		if err != nil {
			return res, err
		}
		if len(items) == 0 {
			continue
		}
		zr, err := s.zoneRecipients(ctx, z.ID)
		if err != nil {
			return res, err
		}
		told := map[int64]map[string]bool{} // user → overdue keys already written
		toldTo := func(uid int64) (map[string]bool, error) {
			if m, ok := told[uid]; ok {
				return m, nil
			}
			m, err := s.overdueKeys(ctx, uid)
			told[uid] = m
			return m, err
		}
		var pending []*Notification
		for i := range items {
			it := &items[i]
			top := xinlu.EscalationFor(cal, it.due, day)
			if top == xinlu.EscalateNone {
				continue
			}
			res.Items++
			late := strconv.Itoa(cal.WorkdaysBetween(mustDate(it.due), day))
			for level := xinlu.EscalateResponsible; level <= top; level++ {
				key := fmt.Sprintf("overdue:%s:%d:%s:level%d", it.subjectType, it.id, it.due, level)
				for _, uid := range zr.recipients(it, level) {
					keys, err := toldTo(uid)
					if err != nil {
						return res, err
					}
					if keys[key] {
						continue
					}
					keys[key] = true // a recipient named twice at a level is told once
					pending = append(pending, &Notification{ZoneID: z.ID, UserID: uid, Kind: NotifyOverdue, SubjectType: it.linkType,
						SubjectID: it.linkID, Level: int(level), MessageKey: it.messageKey,
						Args: append(append([]string{}, it.args...), late, it.due), DedupeKey: key})
				}
			}
		}
		for len(pending) > 0 {
			batch := pending[:min(escalateBatch, len(pending))]
			pending = pending[len(batch):]
			err := s.inTx(ctx, func(tx *Tx) error {
				for _, n := range batch {
					created, err := tx.notify(ctx, n)
					if err != nil {
						return err
					}
					if created {
						res.Notifications++
					}
				}
				return nil
			})
			if err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// overdueKeys reads the dedupe keys of a user's overdue notifications.
func (s *Store) overdueKeys(ctx context.Context, userID int64) (map[string]bool, error) {
	rows, err := s.query(ctx, `SELECT dedupe_key FROM notifications WHERE user_id = ? AND kind = ?`, userID, NotifyOverdue)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, xinlu.Internal(err)
		}
		out[k] = true
	}
	return out, s.translate(rows.Err())
}

func mustDate(s string) time.Time {
	t, _ := xinlu.ParseDate(s)
	return t
}

// overdueItems lists a zone's items whose deadline is before today (all
// red; EscalationFor then says how far they are escalated).
func (s *Store) overdueItems(ctx context.Context, zoneID int64, today string) ([]overdueItem, error) {
	var out []overdueItem
	collect := func(q string, scan func(rows *sql.Rows) (overdueItem, error), args ...any) error {
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return xinlu.Internal(err)
		}
		defer rows.Close()
		for rows.Next() {
			it, err := scan(rows)
			if err != nil {
				return xinlu.Internal(err)
			}
			out = append(out, it)
		}
		return s.translate(rows.Err())
	}
	err := collect(`SELECT a.id, a.project_id, a.name, a.due_on, COALESCE(a.agent_id, 0), COALESCE(p.sponsor_id, 0), p.name
		FROM approval_items a JOIN projects p ON p.id = a.project_id
		WHERE a.zone_id = ? AND a.status IN (?, ?, ?) AND a.due_on <> '' AND a.due_on < ? AND p.status <> ?`,
		func(rows *sql.Rows) (overdueItem, error) {
			it := overdueItem{subjectType: SubjectApproval, linkType: SubjectProject, messageKey: "notifications.msg.overdue_approval"}
			var name, project string
			err := rows.Scan(&it.id, &it.linkID, &name, &it.due, &it.agentID, &it.sponsorID, &project)
			it.args = []string{name, project}
			return it, err
		}, zoneID, ApprovalPreparing, ApprovalSubmitted, ApprovalCorrection, today, string(xinlu.ProjectLost))
	if err != nil {
		return nil, err
	}
	err = collect(`SELECT id, name, stage_due, COALESCE(sponsor_id, 0) FROM projects
		WHERE zone_id = ? AND status = ? AND stage_due <> '' AND stage_due < ?`,
		func(rows *sql.Rows) (overdueItem, error) {
			it := overdueItem{subjectType: SubjectProject, linkType: SubjectProject, messageKey: "notifications.msg.overdue_project"}
			var name string
			err := rows.Scan(&it.id, &name, &it.due, &it.sponsorID)
			it.linkID, it.args = it.id, []string{name}
			return it, err
		}, zoneID, string(xinlu.ProjectActive), today)
	if err != nil {
		return nil, err
	}
	err = collect(`SELECT id, project_name, company, screening_due FROM leads
		WHERE zone_id = ? AND status IN (?, ?, ?) AND screening_due <> '' AND screening_due < ?`,
		func(rows *sql.Rows) (overdueItem, error) {
			it := overdueItem{subjectType: SubjectLead, linkType: SubjectLead, messageKey: "notifications.msg.overdue_lead"}
			var name, company string
			err := rows.Scan(&it.id, &name, &company, &it.due)
			it.linkID, it.args = it.id, []string{name, company}
			return it, err
		}, zoneID, string(xinlu.LeadReported), string(xinlu.LeadScreening), string(xinlu.LeadInfoRequested), today)
	if err != nil {
		return nil, err
	}
	return out, nil
}
