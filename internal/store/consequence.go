package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// Consequence is what follows a member's repeated bottom placements (末位):
// proposed by the appraisal's apply step, confirmed or dismissed by the
// organisation office (xinlu.PermConsequenceDecide).
type Consequence struct {
	ID          int64
	ZoneID      int64
	MemberID    int64
	PeriodID    int64
	Action      xinlu.ConsequenceAction
	Status      string // xinlu.ConsequenceProposed, Confirmed or Dismissed
	Reason      string
	DecidedBy   int64
	DecidedAt   *time.Time
	Version     int
	CreatedAt   time.Time
	MemberName  string // read model
	PeriodLabel string // read model
}

const consequenceColumns = `q.id, q.zone_id, q.member_id, q.period_id, q.action, q.status, q.reason, q.decided_by, q.decided_at,
	q.version, q.created_at, m.name, p.label`

const consequenceFrom = ` FROM consequences q JOIN members m ON m.id = q.member_id JOIN appraisal_periods p ON p.id = q.period_id`

func scanConsequence(sc scanner) (*Consequence, error) {
	c := &Consequence{}
	var action string
	err := sc.Scan(&c.ID, &c.ZoneID, &c.MemberID, &c.PeriodID, &action, &c.Status, &c.Reason, &c.DecidedBy, &c.DecidedAt,
		&c.Version, &c.CreatedAt, &c.MemberName, &c.PeriodLabel)
	c.Action = xinlu.ConsequenceAction(action)
	if c.DecidedAt != nil {
		t := c.DecidedAt.UTC()
		c.DecidedAt = &t
	}
	return c, err
}

// ConsequenceFilter selects consequences. Scope is the viewer's data scope
// for xinlu.PermConsequenceDecide and is always applied.
type ConsequenceFilter struct {
	Scope    xinlu.ScopeFilter
	Status   string
	PeriodID int64
	MemberID int64
	Query    string // member name
	xinlu.Page
}

// ListConsequences returns one page of the consequences in f's scope, open
// ones first, and the total.
func (s *Store) ListConsequences(ctx context.Context, f ConsequenceFilter) ([]*Consequence, int, error) {
	if f.Status != "" && !slices.Contains(xinlu.ConsequenceStatuses, f.Status) {
		return nil, 0, xinlu.Invalid("status", "error.invalid_choice")
	}
	cond, args := memberScope(f.Scope)
	where := []string{cond}
	if f.Status != "" {
		where, args = append(where, "q.status = ?"), append(args, f.Status)
	}
	if f.PeriodID != 0 {
		where, args = append(where, "q.period_id = ?"), append(args, f.PeriodID)
	}
	if f.MemberID != 0 {
		where, args = append(where, "q.member_id = ?"), append(args, f.MemberID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, "m.name "+s.likeOp()+" ? ESCAPE '\\'"), append(args, likePattern(q))
	}
	c := " WHERE " + strings.Join(where, " AND ")
	total, err := s.count(ctx, `SELECT COUNT(*) FROM consequences q JOIN members m ON m.id = q.member_id`+c, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+consequenceColumns+consequenceFrom+c+
		` ORDER BY CASE WHEN q.status = 'proposed' THEN 0 ELSE 1 END, q.id DESC`+s.pageSQL(pg),
		append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanConsequence)
	return out, total, err
}

// ConsequencesOf returns every consequence of one member of the zone,
// newest first, for the member's own appraisal page.
func (s *Store) ConsequencesOf(ctx context.Context, zoneID, memberID int64) ([]*Consequence, error) {
	rows, err := s.query(ctx, `SELECT `+consequenceColumns+consequenceFrom+` WHERE q.zone_id = ? AND q.member_id = ? ORDER BY q.id DESC`,
		zoneID, memberID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanConsequence)
}

// ConsequenceByID returns a consequence within scope.
func (s *Store) ConsequenceByID(ctx context.Context, scope xinlu.ScopeFilter, id int64) (*Consequence, error) {
	cond, args := memberScope(scope)
	c, err := scanConsequence(s.queryRow(ctx, `SELECT `+consequenceColumns+consequenceFrom+` WHERE q.id = ? AND `+cond,
		append([]any{id}, args...)...))
	if err != nil {
		return nil, s.translate(err)
	}
	return c, nil
}

func consequenceAudit(c *Consequence) map[string]any {
	return map[string]any{"member_id": c.MemberID, "period_id": c.PeriodID, "action": string(c.Action), "status": c.Status,
		"reason": c.Reason, "decided_by": c.DecidedBy}
}

// ProposeConsequence records a proposed consequence of a member for a
// period of the zone, as the appraisal's apply step does in its own
// transaction: for the demo's seeding and tests. The same action for the
// same member and period is a conflict.
func (s *Store) ProposeConsequence(ctx context.Context, a xinlu.Actor, c *Consequence) error {
	if !slices.Contains(xinlu.ConsequenceActions, c.Action) {
		return xinlu.Invalid("action", "error.invalid_choice")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		m, err := tx.memberInZone(ctx, c.ZoneID, c.MemberID)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
				return xinlu.Invalid("member_id", "error.invalid_choice")
			}
			return err
		}
		p, err := tx.periodForUpdate(ctx, c.ZoneID, c.PeriodID)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
				return xinlu.Invalid("period_id", "error.invalid_choice")
			}
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO consequences (zone_id, member_id, period_id, action, status, version, created_at)
			VALUES (?,?,?,?,'proposed',1,?)`, c.ZoneID, c.MemberID, c.PeriodID, string(c.Action), now)
		if err != nil {
			return err
		}
		c.ID, c.Status, c.Reason, c.DecidedBy, c.DecidedAt, c.Version, c.CreatedAt = id, xinlu.ConsequenceProposed, "", 0, nil, 1, now
		c.MemberName, c.PeriodLabel = m.Name, p.Label
		return tx.audit(ctx, a, "consequence.propose", "consequence", id, nil, consequenceAudit(c))
	})
}

// DecideConsequence confirms (or, when confirm is false, dismisses with a
// reason) a proposed consequence if version is current
// (xinlu.CheckConsequenceDecision), in one audited transaction.
func (s *Store) DecideConsequence(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, confirm bool, reason string) (*Consequence, error) {
	var out *Consequence
	err := s.inTx(ctx, func(tx *Tx) error {
		cond, args := memberScope(u.Filter(xinlu.PermConsequenceDecide))
		c, err := scanConsequence(tx.queryRow(ctx, `SELECT `+consequenceColumns+consequenceFrom+` WHERE q.id = ? AND q.zone_id = ? AND `+cond,
			append([]any{id, u.ZoneID}, args...)...))
		if err != nil {
			return s.translate(err)
		}
		if err := xinlu.CheckConsequenceDecision(u, c.Status, reason, confirm); err != nil {
			return err
		}
		if c.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := consequenceAudit(c)
		now := s.Now()
		c.Status = xinlu.ConsequenceDismissed
		action := "consequence.dismiss"
		if confirm {
			c.Status, action = xinlu.ConsequenceConfirmed, "consequence.confirm"
		}
		c.Reason, c.DecidedBy, c.DecidedAt = strings.TrimSpace(reason), u.ID, &now
		res, err := tx.exec(ctx, `UPDATE consequences SET status = ?, reason = ?, decided_by = ?, decided_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, c.Status, c.Reason, c.DecidedBy, now, c.ID, version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		c.Version++
		out = c
		return tx.audit(ctx, a, action, "consequence", c.ID, before, consequenceAudit(c))
	})
	return out, err
}
