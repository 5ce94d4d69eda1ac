package store

import (
	"context"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// Appeal is a member's objection to their result during publication (申诉).
type Appeal struct {
	ID         int64
	ZoneID     int64
	PeriodID   int64
	MemberID   int64
	MemberName string
	Reason     string
	Status     string // filed, upheld, rejected
	Response   string
	DecidedBy  int64
	DecidedAt  *time.Time
	Version    int
	CreatedAt  time.Time
}

// AppealStatuses lists the statuses of an appeal.
var AppealStatuses = []string{"filed", "upheld", "rejected"}

const appealColumns = `ap.id, ap.zone_id, ap.period_id, ap.member_id, m.name, ap.reason, ap.status, ap.response,
	COALESCE(ap.decided_by, 0), ap.decided_at, ap.version, ap.created_at`

func scanAppeal(sc scanner) (*Appeal, error) {
	ap := &Appeal{}
	err := sc.Scan(&ap.ID, &ap.ZoneID, &ap.PeriodID, &ap.MemberID, &ap.MemberName, &ap.Reason, &ap.Status, &ap.Response,
		&ap.DecidedBy, &ap.DecidedAt, &ap.Version, &ap.CreatedAt)
	return ap, err
}

// ListAppeals returns a period's appeals the scope reaches, open first.
func (s *Store) ListAppeals(ctx context.Context, scope xinlu.ScopeFilter, periodID int64) ([]*Appeal, error) {
	cond, args := memberScope(scope)
	rows, err := s.query(ctx, `SELECT `+appealColumns+` FROM appraisal_appeals ap JOIN members m ON m.id = ap.member_id
		WHERE ap.period_id = ? AND `+cond+` ORDER BY CASE WHEN ap.status = 'filed' THEN 0 ELSE 1 END, ap.id`,
		append([]any{periodID}, args...)...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanAppeal)
}

// FileAppeal records the user's appeal against their own result while the
// period is in publication, as xinlu.CheckAppeal decides; one open appeal
// per member and period.
func (s *Store) FileAppeal(ctx context.Context, a xinlu.Actor, u *xinlu.User, periodID int64, reason string) (*Appeal, error) {
	reason, err := xinlu.Text("reason", reason)
	if err != nil {
		return nil, err
	}
	switch n := len([]rune(reason)); {
	case n == 0:
		return nil, xinlu.Invalid("reason", "error.required")
	case n < 5:
		return nil, xinlu.Invalid("reason", "appraisal.appeal_reason_short", 5)
	case n > 2000:
		return nil, xinlu.Invalid("reason", "error.too_long", 2000)
	}
	var out *Appeal
	err = s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.periodForUpdate(ctx, u.ZoneID, periodID)
		if err != nil {
			return err
		}
		c := xinlu.AppealCheck{Today: s.today()}
		if u.MemberID != 0 {
			_, err := tx.resultForUpdate(ctx, periodID, u.MemberID)
			if err != nil && xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				return err
			}
			c.HasResult = err == nil
			var open int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM appraisal_appeals WHERE period_id = ? AND member_id = ? AND status = 'filed'`,
				periodID, u.MemberID).Scan(&open); err != nil {
				return xinlu.Internal(err)
			}
			c.Open = open > 0
		}
		if err := xinlu.CheckAppeal(u, p, c); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO appraisal_appeals (zone_id, period_id, member_id, reason, status, version, created_at)
			VALUES (?,?,?,?,'filed',1,?)`, u.ZoneID, periodID, u.MemberID, reason, now)
		if err != nil {
			return err
		}
		out = &Appeal{ID: id, ZoneID: u.ZoneID, PeriodID: periodID, MemberID: u.MemberID, Reason: reason, Status: "filed", Version: 1, CreatedAt: now}
		return tx.audit(ctx, a, "appraisal.appeal.file", "appraisal_appeal", id, nil, map[string]any{"period_id": periodID, "member_id": u.MemberID, "reason": reason})
	})
	return out, err
}

// AnswerAppeal records the appraisal office's answer: upheld or rejected,
// with a response the member reads. An appeal is answered while the
// period is rechecked, after its result has been looked at again.
func (s *Store) AnswerAppeal(ctx context.Context, a xinlu.Actor, u *xinlu.User, appealID int64, upheld bool, response string, version int) (*Appeal, error) {
	if !u.Can(xinlu.PermAppraisalManage) {
		return nil, xinlu.Forbidden()
	}
	response, err := xinlu.Text("response", response)
	if err != nil {
		return nil, err
	}
	if response == "" {
		return nil, xinlu.Invalid("response", "error.required")
	}
	if len([]rune(response)) > 2000 {
		return nil, xinlu.Invalid("response", "error.too_long", 2000)
	}
	var out *Appeal
	err = s.inTx(ctx, func(tx *Tx) error {
		ap, err := scanAppeal(tx.queryRow(ctx, `SELECT `+appealColumns+` FROM appraisal_appeals ap JOIN members m ON m.id = ap.member_id
			WHERE ap.id = ? AND ap.zone_id = ?`, appealID, u.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if ap.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if ap.Status != "filed" {
			return xinlu.Conflict("status", "appraisal.appeal_answered")
		}
		p, err := tx.periodForUpdate(ctx, u.ZoneID, ap.PeriodID)
		if err != nil {
			return err
		}
		if err := xinlu.CheckPeriodWork(u, p, xinlu.WorkAnswer); err != nil {
			return err
		}
		if err := xinlu.CheckAnswerer(u, ap.MemberID); err != nil {
			return err
		}
		status := "rejected"
		if upheld {
			status = "upheld"
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE appraisal_appeals SET status = ?, response = ?, decided_by = ?, decided_at = ?, version = version + 1 WHERE id = ?`,
			status, response, u.ID, now, appealID); err != nil {
			return s.translate(err)
		}
		before := map[string]any{"status": ap.Status}
		ap.Status, ap.Response, ap.DecidedBy, ap.DecidedAt, ap.Version = status, response, u.ID, &now, ap.Version+1
		out = ap
		return tx.audit(ctx, a, "appraisal.appeal.answer", "appraisal_appeal", appealID, before,
			map[string]any{"status": status, "response": response, "period_id": ap.PeriodID, "member_id": ap.MemberID})
	})
	return out, err
}

// BasePay is a member's base performance pay as finance keeps it.
type BasePay struct {
	MemberID       int64
	StaffNo        string
	Name           string
	DepartmentName string
	BaseYuan       int64
	Set            bool
}

// ListBasePay returns one page of the zone's members with their base pay.
func (s *Store) ListBasePay(ctx context.Context, zoneID int64, query string, pg xinlu.Page) ([]*BasePay, int, error) {
	where, args := "m.zone_id = ? AND m.status <> 'left'", []any{zoneID}
	if q := strings.TrimSpace(query); q != "" {
		where += " AND (m.name " + s.likeOp() + " ? ESCAPE '\\' OR m.staff_no = ?)"
		args = append(args, likePattern(q), q)
	}
	total, err := s.count(ctx, `SELECT COUNT(*) FROM members m WHERE `+where, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg = pg.Normalize()
	rows, err := s.query(ctx, `SELECT m.id, m.staff_no, m.name, COALESCE(d.name, ''), COALESCE(mp.base_sealed, ''), mp.member_id IS NOT NULL
		FROM members m LEFT JOIN departments d ON d.id = m.department_id LEFT JOIN member_pay mp ON mp.member_id = m.id
		WHERE `+where+` ORDER BY m.staff_no`+s.pageSQL(pg), append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	sl := s.Sealer()
	out, err := collect(rows, func(sc scanner) (*BasePay, error) {
		b := &BasePay{}
		var base string
		if err := sc.Scan(&b.MemberID, &b.StaffNo, &b.Name, &b.DepartmentName, &base, &b.Set); err != nil {
			return b, err
		}
		var err error
		b.BaseYuan, err = openYuan(sl, memberBasePay, base)
		return b, err
	})
	return out, total, err
}

// SetBasePay records members' base performance pay (finance), by staff
// number, all or nothing; it returns how many changed.
func (s *Store) SetBasePay(ctx context.Context, a xinlu.Actor, u *xinlu.User, pay map[string]int64) (int, error) {
	if !u.Can(xinlu.PermAppraisalPool) {
		return 0, xinlu.Forbidden()
	}
	changed := 0
	err := s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		ys, err := tx.yuanSealer(ctx)
		if err != nil {
			return err
		}
		for staffNo, yuan := range pay {
			if yuan < 0 || yuan > xinlu.MaxBasePayYuan {
				return xinlu.Invalid("base_yuan", "appraisal.base_pay_range", staffNo)
			}
			var id, old int64
			var stored string
			var set bool
			err := tx.queryRow(ctx, `SELECT m.id, COALESCE(mp.base_sealed, ''), mp.member_id IS NOT NULL FROM members m LEFT JOIN member_pay mp ON mp.member_id = m.id
				WHERE m.zone_id = ? AND m.staff_no = ?`, u.ZoneID, staffNo).Scan(&id, &stored, &set)
			if err != nil {
				return xinlu.Invalid("staff_no", "appraisal.staff_no_unknown", staffNo)
			}
			old = -1
			if set {
				if old, err = openYuan(ys.sl, memberBasePay, stored); err != nil {
					return err
				}
			}
			if old == yuan {
				continue
			}
			if _, err := tx.exec(ctx, `DELETE FROM member_pay WHERE member_id = ?`, id); err != nil {
				return s.translate(err)
			}
			base, err := ys.seal(memberBasePay, yuan)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO member_pay (member_id, zone_id, base_sealed, updated_at) VALUES (?,?,?,?)`, id, u.ZoneID, base, now); err != nil {
				return s.translate(err)
			}
			if err := tx.audit(ctx, a, "appraisal.base_pay", "member", id, map[string]any{"base_yuan": max(old, 0)}, map[string]any{"base_yuan": yuan}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// MemberAppeals lists a member's appeals in every period, newest first,
// with the period's label.
func (s *Store) MemberAppeals(ctx context.Context, zoneID, memberID int64) ([]*Appeal, []string, error) {
	rows, err := s.query(ctx, `SELECT `+appealColumns+`, p.label FROM appraisal_appeals ap JOIN members m ON m.id = ap.member_id
		JOIN appraisal_periods p ON p.id = ap.period_id WHERE ap.zone_id = ? AND ap.member_id = ? ORDER BY ap.id DESC LIMIT 50`, zoneID, memberID)
	if err != nil {
		return nil, nil, xinlu.Internal(err)
	}
	var labels []string
	aps, err := collect(rows, func(sc scanner) (*Appeal, error) {
		ap := &Appeal{}
		var label string
		err := sc.Scan(&ap.ID, &ap.ZoneID, &ap.PeriodID, &ap.MemberID, &ap.MemberName, &ap.Reason, &ap.Status, &ap.Response,
			&ap.DecidedBy, &ap.DecidedAt, &ap.Version, &ap.CreatedAt, &label)
		labels = append(labels, label)
		return ap, err
	})
	return aps, labels, err
}

// MemberIDByStaffNo finds a member of the zone by staff number.
func (s *Store) MemberIDByStaffNo(ctx context.Context, zoneID int64, staffNo string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT id FROM members WHERE zone_id = ? AND staff_no = ?`, zoneID, strings.TrimSpace(staffNo)).Scan(&id)
	if err != nil {
		return 0, xinlu.Invalid("staff_no", "appraisal.staff_no_unknown", strings.TrimSpace(staffNo))
	}
	return id, nil
}
