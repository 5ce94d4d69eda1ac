package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

const periodColumns = `id, zone_id, kind, label, starts_on, ends_on, state, group_by, top_ratio, bottom_ratio, min_group, tie_breakers,
	coef_top, coef_middle, coef_bottom, publication_days, published_on, publication_ends, pool_yuan, pool_decision, pool_note,
	version, created_at, updated_at`

func scanPeriod(sc scanner) (*xinlu.Period, error) {
	p := &xinlu.Period{}
	var ties string
	defer func() { p.Rule.TieBreakers = splitIndustries(ties) }()
	err := sc.Scan(&p.ID, &p.ZoneID, &p.Kind, &p.Label, &p.StartsOn, &p.EndsOn, &p.State,
		&p.Rule.Grouping, &p.Rule.TopRatio, &p.Rule.BottomRatio, &p.Rule.MinGroupSize, &ties,
		&p.Coefficients.Top, &p.Coefficients.Middle, &p.Coefficients.Bottom,
		&p.PublicationDays, &p.PublishedOn, &p.PublicationEnds, &p.PoolYuan, &p.PoolDecision, &p.PoolNote,
		&p.Version, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

// PeriodFilter selects periods for a list.
type PeriodFilter struct {
	ZoneID int64
	Kind   xinlu.PeriodKind
	State  xinlu.PeriodState
	// States limits the list to periods in these states (the ones the
	// caller may see); nil lists every state.
	States []xinlu.PeriodState
	xinlu.Page
}

// ListPeriods returns one page of the zone's periods, newest first.
func (s *Store) ListPeriods(ctx context.Context, f PeriodFilter) ([]*xinlu.Period, int, error) {
	where, args := []string{"zone_id = ?"}, []any{f.ZoneID}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, f.State)
	}
	if f.States != nil {
		marks := make([]string, len(f.States))
		for i, st := range f.States {
			marks[i] = "?"
			args = append(args, st)
		}
		if len(marks) == 0 {
			marks = []string{"''"}
		}
		where = append(where, "state IN ("+strings.Join(marks, ",")+")")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	total, err := s.count(ctx, `SELECT COUNT(*) FROM appraisal_periods`+cond, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+periodColumns+` FROM appraisal_periods`+cond+` ORDER BY starts_on DESC, kind, id DESC`+s.pageSQL(pg),
		append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanPeriod)
	return out, total, err
}

// PeriodByID returns a period of the zone.
func (s *Store) PeriodByID(ctx context.Context, zoneID, id int64) (*xinlu.Period, error) {
	p, err := scanPeriod(s.queryRow(ctx, `SELECT `+periodColumns+` FROM appraisal_periods WHERE id = ? AND zone_id = ?`, id, zoneID))
	return p, s.translate(err)
}

// PeriodFor returns period id of u's zone as u may see it
// (xinlu.PeriodVisible), or not found.
func (s *Store) PeriodFor(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Period, error) {
	p, err := s.PeriodByID(ctx, u.ZoneID, id)
	if err != nil {
		return nil, err
	}
	if !xinlu.PeriodVisible(u, p) {
		return nil, xinlu.NotFound("error.not_found")
	}
	return p, nil
}

func (tx *Tx) periodForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.Period, error) {
	q := `SELECT ` + periodColumns + ` FROM appraisal_periods WHERE id = ? AND zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE` // SQLite's write transaction is exclusive already
	}
	p, err := scanPeriod(tx.queryRow(ctx, q, id, zoneID))
	return p, tx.s.translate(err)
}

func periodAudit(p *xinlu.Period) map[string]any {
	return map[string]any{"kind": p.Kind, "label": p.Label, "state": p.State, "grouping": p.Rule.Grouping,
		"top_ratio": p.Rule.TopRatio, "bottom_ratio": p.Rule.BottomRatio, "min_group": p.Rule.MinGroupSize, "tie_breakers": p.Rule.TieBreakers,
		"coefficients":     []int64{p.Coefficients.Top, p.Coefficients.Middle, p.Coefficients.Bottom},
		"publication_days": p.PublicationDays, "publication_ends": p.PublicationEnds,
		"pool_yuan": p.PoolYuan, "pool_decision": p.PoolDecision, "pool_note": p.PoolNote}
}

// CreatePeriod inserts a draft period.
func (s *Store) CreatePeriod(ctx context.Context, a xinlu.Actor, p *xinlu.Period) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.State = xinlu.PeriodDraft
	return s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO appraisal_periods (zone_id, kind, label, starts_on, ends_on, state, group_by, top_ratio, bottom_ratio,
			min_group, tie_breakers, coef_top, coef_middle, coef_bottom, publication_days, pool_yuan, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
			p.ZoneID, p.Kind, p.Label, p.StartsOn, p.EndsOn, p.State, p.Rule.Grouping, p.Rule.TopRatio, p.Rule.BottomRatio,
			p.Rule.MinGroupSize, strings.Join(p.Rule.TieBreakers, ","), p.Coefficients.Top, p.Coefficients.Middle, p.Coefficients.Bottom, p.PublicationDays, p.PoolYuan, now, now)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("label", "appraisal.period_taken")
			}
			return err
		}
		p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "appraisal.period.create", "appraisal_period", id, nil, periodAudit(p))
	})
}

// UpdatePeriod saves the settings of a period that has not been
// calculated yet.
func (s *Store) UpdatePeriod(ctx context.Context, a xinlu.Actor, p *xinlu.Period) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.periodForUpdate(ctx, p.ZoneID, p.ID)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.State != xinlu.PeriodDraft && old.State != xinlu.PeriodScoring {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "state", Key: "appraisal.state_not_allowed", Args: []any{xinlu.LabelKey("appraisal.state." + string(old.State))}}
		}
		now := s.Now()
		_, err = tx.exec(ctx, `UPDATE appraisal_periods SET kind = ?, label = ?, starts_on = ?, ends_on = ?, group_by = ?, top_ratio = ?, bottom_ratio = ?,
			min_group = ?, tie_breakers = ?, coef_top = ?, coef_middle = ?, coef_bottom = ?, publication_days = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, p.Kind, p.Label, p.StartsOn, p.EndsOn, p.Rule.Grouping, p.Rule.TopRatio, p.Rule.BottomRatio,
			p.Rule.MinGroupSize, strings.Join(p.Rule.TieBreakers, ","), p.Coefficients.Top, p.Coefficients.Middle, p.Coefficients.Bottom, p.PublicationDays, now, p.ID)
		if err != nil {
			if err = s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("label", "appraisal.period_taken")
			}
			return err
		}
		p.State, p.PoolYuan, p.PoolDecision, p.PoolNote = old.State, old.PoolYuan, old.PoolDecision, old.PoolNote
		p.Version, p.UpdatedAt, p.CreatedAt = old.Version+1, now, old.CreatedAt
		return tx.audit(ctx, a, "appraisal.period.update", "appraisal_period", p.ID, periodAudit(old), periodAudit(p))
	})
}

// DeletePeriod removes a draft period.
func (s *Store) DeletePeriod(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.periodForUpdate(ctx, zoneID, id)
		if err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.State != xinlu.PeriodDraft {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "state", Key: "appraisal.state_not_allowed", Args: []any{xinlu.LabelKey("appraisal.state." + string(old.State))}}
		}
		if _, err := tx.exec(ctx, `DELETE FROM appraisal_periods WHERE id = ?`, id); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "appraisal.period.delete", "appraisal_period", id, periodAudit(old), nil)
	})
}

// PeriodInput carries what a period step needs besides the step itself.
type PeriodInput struct {
	Version  int
	MemberID int64      // calibrate, correct
	Band     xinlu.Band // calibrate
	Reason   string     // calibrate, correct, pool decision
	PoolYuan int64      // pool
	Decision string     // pool: "scale" or "raise" when over the pool
	Grade    string     // correct: the statutory grade of an annual result
}

// openAppeals counts a period's appeals not yet answered.
func (tx *Tx) openAppeals(ctx context.Context, periodID int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM appraisal_appeals WHERE period_id = ? AND status = 'filed'`, periodID).Scan(&n)
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	return n, nil
}

// StepPeriod moves a period one step (open, review, publish, recheck,
// finalize, apply, archive), records a calibration move, sets the pool or
// records a correction. calculate is CalculatePeriod.
func (s *Store) StepPeriod(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, action xinlu.PeriodAction, in PeriodInput) (*xinlu.Period, error) {
	if action == xinlu.PeriodCalculate {
		return s.CalculatePeriod(ctx, a, u, id, in.Version)
	}
	var out *xinlu.Period
	err := s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.periodForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		check := xinlu.PeriodCheck{Today: s.today()}
		if check.OpenAppeals, err = tx.openAppeals(ctx, id); err != nil {
			return err
		}
		total, err := tx.payTotal(ctx, id)
		if err != nil {
			return err
		}
		check.OverPool = p.PoolYuan > 0 && total > p.PoolYuan && p.PoolDecision == ""
		next, err := xinlu.CheckPeriodStep(u, p, action, check)
		if err != nil {
			return err
		}
		if in.Version != p.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := periodAudit(p)
		switch action {
		case xinlu.PeriodCalibrate:
			if err := tx.calibrate(ctx, a, p, in); err != nil {
				return err
			}
		case xinlu.PeriodCorrect:
			if err := tx.correct(ctx, a, u, p, in); err != nil {
				return err
			}
		case xinlu.PeriodSetPool:
			in.Decision = ""
			if err := tx.setPool(ctx, a, p, total, in); err != nil {
				return err
			}
		case xinlu.PeriodPoolDecide:
			if in.Decision == "" {
				return xinlu.Invalid("decision", "error.required")
			}
			if err := tx.setPool(ctx, a, p, total, in); err != nil {
				return err
			}
		case xinlu.PeriodPublish:
			if open := check.OpenAppeals; open > 0 {
				return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "appeals", Key: "appraisal.appeals_open", Args: []any{open}}
			}
			cal, err := s.zoneCalendar(ctx, p.ZoneID)
			if err != nil {
				return err
			}
			p.PublishedOn, p.PublicationEnds = publicationWindow(cal, check.Today, p.PublicationDays)
		case xinlu.PeriodApply:
			if err := tx.applyConsequences(ctx, a, p); err != nil {
				return err
			}
		}
		p.State = next
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE appraisal_periods SET state = ?, published_on = ?, publication_ends = ?, pool_yuan = ?, pool_decision = ?,
			pool_note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			p.State, p.PublishedOn, p.PublicationEnds, p.PoolYuan, p.PoolDecision, p.PoolNote, now, id); err != nil {
			return s.translate(err)
		}
		p.Version++
		p.UpdatedAt = now
		out = p
		if action == xinlu.PeriodCalibrate || action == xinlu.PeriodCorrect {
			return nil // audited with the result they changed
		}
		return tx.audit(ctx, a, "appraisal.period."+string(action), "appraisal_period", id, before, periodAudit(p))
	})
	return out, err
}

// publicationWindow is the first and last day of a publication of n
// working days starting today (or on the next working day).
func publicationWindow(cal *xinlu.Calendar, today time.Time, n int) (string, string) {
	first := today
	if !cal.IsWorkday(first) {
		first = cal.AddWorkdays(first, 1)
	}
	return first.Format(xinlu.DateLayout), cal.AddWorkdays(first, n-1).Format(xinlu.DateLayout)
}

// setPool records the pool finance set, and when the period's pay exceeds
// it, the appraisal office's choice: scale every line down to the pool or
// raise the pool with a reason.
func (tx *Tx) setPool(ctx context.Context, a xinlu.Actor, p *xinlu.Period, total int64, in PeriodInput) error {
	if err := xinlu.CheckPayYuan("pool_yuan", in.PoolYuan); err != nil {
		return err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch in.Decision {
	case "":
		p.PoolYuan, p.PoolDecision, p.PoolNote = in.PoolYuan, "", ""
	case "scale":
		if total <= p.PoolYuan || p.PoolYuan == 0 {
			return xinlu.Invalid("decision", "appraisal.not_over_pool")
		}
		p.PoolDecision, p.PoolNote = "scale", in.Reason
	case "raise":
		if in.Reason == "" {
			return xinlu.Invalid("reason", "appraisal.reason_required")
		}
		if in.PoolYuan < total {
			return xinlu.Invalid("pool_yuan", "appraisal.raise_below_total", total)
		}
		p.PoolYuan, p.PoolDecision, p.PoolNote = in.PoolYuan, "raise", in.Reason
	default:
		return xinlu.Invalid("decision", "error.invalid_choice")
	}
	return tx.repay(ctx, p)
}

// repay derives every pay line of the period again from base pay and the
// band's coefficient, then scales the lines to the pool when the appraisal
// office chose to: after a pool change, a calibration or a correction the
// pay is always what the bands and the decision say.
func (tx *Tx) repay(ctx context.Context, p *xinlu.Period) error {
	rows, err := tx.query(ctx, `SELECT member_id, base_sealed, coefficient, pay_sealed FROM appraisal_results WHERE period_id = ? ORDER BY member_id`, p.ID)
	if err != nil {
		return xinlu.Internal(err)
	}
	sl := tx.s.Sealer()
	lines, err := collect(rows, func(sc scanner) (xinlu.PayLine, error) {
		var l xinlu.PayLine
		var base, pay string
		if err := sc.Scan(&l.MemberID, &base, &l.Coefficient, &pay); err != nil {
			return l, err
		}
		var err error
		if l.BaseYuan, err = openYuan(sl, resultBasePay, base); err != nil {
			return l, err
		}
		l.PayYuan, err = openYuan(sl, resultPay, pay)
		return l, err
	})
	if err != nil {
		return err
	}
	ys, err := tx.yuanSealer(ctx)
	if err != nil {
		return err
	}
	old := map[int64]int64{}
	for i, l := range lines {
		old[l.MemberID] = l.PayYuan
		lines[i].PayYuan = (l.BaseYuan*l.Coefficient + 50) / 100
	}
	if p.PoolDecision == "scale" && p.PoolYuan > 0 {
		lines = xinlu.ScaleToPool(lines, p.PoolYuan)
	}
	for _, l := range lines {
		if l.PayYuan == old[l.MemberID] {
			continue
		}
		pay, err := ys.seal(resultPay, l.PayYuan)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE appraisal_results SET pay_sealed = ? WHERE period_id = ? AND member_id = ?`, pay, p.ID, l.MemberID); err != nil {
			return tx.s.translate(err)
		}
	}
	return nil
}

// calibrate moves one member to another band, keeping the quotas.
func (tx *Tx) calibrate(ctx context.Context, a xinlu.Actor, p *xinlu.Period, in PeriodInput) error {
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return xinlu.Invalid("reason", "appraisal.reason_required")
	}
	target, err := tx.resultForUpdate(ctx, p.ID, in.MemberID)
	if err != nil {
		return err
	}
	group, err := tx.groupPlacements(ctx, p.ID, target.Group)
	if err != nil {
		return err
	}
	if err := xinlu.CheckCalibration(group, in.MemberID, in.Band); err != nil {
		return err
	}
	from := target.Band
	coef := p.Coefficients.Of(in.Band)
	pay := (target.BaseYuan*coef + 50) / 100
	ys, err := tx.yuanSealer(ctx)
	if err != nil {
		return err
	}
	sealedPay, err := ys.seal(resultPay, pay)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE appraisal_results SET band = ?, rule = 'calibrated', calibrated_from = CASE WHEN calibrated_from = '' THEN ? ELSE calibrated_from END,
		calibration_reason = ?, coefficient = ?, pay_sealed = ?, version = version + 1 WHERE period_id = ? AND member_id = ?`,
		in.Band, from, reason, coef, sealedPay, p.ID, in.MemberID); err != nil {
		return tx.s.translate(err)
	}
	if err := tx.repay(ctx, p); err != nil {
		return err
	}
	return tx.audit(ctx, a, "appraisal.calibrate", "appraisal_result", target.ID,
		map[string]any{"period_id": p.ID, "member_id": in.MemberID, "band": from, "pay_yuan": target.PayYuan},
		map[string]any{"period_id": p.ID, "member_id": in.MemberID, "band": in.Band, "pay_yuan": pay, "reason": reason})
}

// correct records a change after the period is final: the statutory grade
// of an annual result (the committee's decision for the bottom band) or a
// band, always with a reason.
func (tx *Tx) correct(ctx context.Context, a xinlu.Actor, u *xinlu.User, p *xinlu.Period, in PeriodInput) error {
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return xinlu.Invalid("reason", "appraisal.reason_required")
	}
	r, err := tx.resultForUpdate(ctx, p.ID, in.MemberID)
	if err != nil {
		return err
	}
	field, old, val := "", "", ""
	switch {
	case in.Grade != "":
		if p.Kind != xinlu.PeriodYear {
			return xinlu.Invalid("grade", "appraisal.grade_annual_only")
		}
		if !slices.Contains(xinlu.StatutoryGrades, in.Grade) {
			return xinlu.Invalid("grade", "error.invalid_choice")
		}
		if in.Grade == "excellent" && r.Band != xinlu.BandTop {
			return xinlu.Invalid("grade", "appraisal.excellent_top_only")
		}
		field, old, val = "grade", r.Grade, in.Grade
		_, err = tx.exec(ctx, `UPDATE appraisal_results SET grade = ?, version = version + 1 WHERE id = ?`, in.Grade, r.ID)
	case in.Band != "":
		if in.Band == r.Band || in.Band == xinlu.BandExcluded || !slices.Contains(xinlu.Bands, in.Band) {
			return xinlu.Invalid("band", "error.invalid_choice")
		}
		coef := p.Coefficients.Of(in.Band)
		field, old, val = "band", string(r.Band), string(in.Band)
		var ys yuanSealer
		if ys, err = tx.yuanSealer(ctx); err != nil {
			return err
		}
		var pay string
		if pay, err = ys.seal(resultPay, (r.BaseYuan*coef+50)/100); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE appraisal_results SET band = ?, rule = 'corrected', coefficient = ?, pay_sealed = ?, grade = ?, version = version + 1 WHERE id = ?`,
			in.Band, coef, pay, annualGrade(p, in.Band), r.ID)
	default:
		return xinlu.Invalid("grade", "error.required")
	}
	if err != nil {
		return tx.s.translate(err)
	}
	if err := tx.repay(ctx, p); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO appraisal_corrections (period_id, member_id, field, old_value, new_value, reason, created_by, created_at)
		VALUES (?,?,?,?,?,?,?,?)`, p.ID, in.MemberID, field, old, val, reason, u.ID, tx.s.Now()); err != nil {
		return tx.s.translate(err)
	}
	return tx.audit(ctx, a, "appraisal.correct", "appraisal_result", r.ID,
		map[string]any{"period_id": p.ID, "member_id": in.MemberID, field: old},
		map[string]any{"period_id": p.ID, "member_id": in.MemberID, field: val, "reason": reason})
}

// annualGrade is the statutory grade a band maps to in an annual period.
func annualGrade(p *xinlu.Period, b xinlu.Band) string {
	if p.Kind != xinlu.PeriodYear {
		return ""
	}
	return xinlu.StatutoryGrade(b)
}

// Rating is one assessed or peer score entered by a rater.
type Rating struct {
	MemberID    int64
	IndicatorID int64
	Score       int64 // hundredths
	Note        string
}

// SaveRatings records the user's scores for members in a period in
// scoring (or recheck): assessed indicators by those who assess the
// member's department or the zone, peer indicators by colleagues of the
// same department; nobody rates themself. All or nothing.
func (s *Store) SaveRatings(ctx context.Context, a xinlu.Actor, u *xinlu.User, periodID int64, ratings []Rating) (int, error) {
	if u.MemberID == 0 {
		return 0, xinlu.Invalid("member_id", "appraisal.rater_not_member")
	}
	if len(ratings) == 0 {
		return 0, xinlu.Invalid("scores", "error.required")
	}
	if len(ratings) > 5000 {
		return 0, xinlu.Invalid("scores", "appraisal.too_many_scores", 5000)
	}
	p, err := s.PeriodByID(ctx, u.ZoneID, periodID)
	if err != nil {
		return 0, err
	}
	if err := xinlu.CheckPeriodWork(u, p, xinlu.WorkScore); err != nil {
		return 0, err
	}
	schemes, err := s.ListSchemes(ctx, u.ZoneID)
	if err != nil {
		return 0, err
	}
	indicators := map[int64]xinlu.Indicator{}
	kindOf := map[int64]xinlu.PositionKind{}
	for _, sc := range schemes {
		for _, ind := range sc.Indicators {
			indicators[ind.ID] = ind
			kindOf[ind.ID] = sc.PositionKind
		}
	}
	n := 0
	err = s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		for i, r := range ratings {
			ind, ok := indicators[r.IndicatorID]
			field := func(f string) string { return fmt.Sprintf("scores[%d].%s", i, f) }
			if !ok {
				return xinlu.Invalid(field("indicator_id"), "error.invalid_choice")
			}
			if err := xinlu.CheckRating(u.MemberID, r.MemberID, r.Score); err != nil {
				e := xinlu.AsError(err)
				return xinlu.Invalid(field(e.Field), e.Key, e.Args...)
			}
			perm, rated := xinlu.RatingPermission(ind.Kind)
			if !rated {
				return xinlu.Invalid(field("indicator_id"), "appraisal.not_rated_kind")
			}
			if !u.Can(perm) {
				return xinlu.Forbidden()
			}
			cond, args := memberScope(u.Filter(perm))
			var kind string
			err := tx.queryRow(ctx, `SELECT COALESCE(p.kind, 'staff') FROM members m LEFT JOIN positions p ON p.id = m.position_id
				WHERE m.id = ? AND `+cond, append([]any{r.MemberID}, args...)...).Scan(&kind)
			if err != nil {
				return xinlu.Invalid(field("member_id"), "appraisal.member_out_of_scope")
			}
			if xinlu.PositionKind(kind) != kindOf[r.IndicatorID] {
				return xinlu.Invalid(field("indicator_id"), "appraisal.indicator_not_member_scheme")
			}
			note := strings.TrimSpace(r.Note)
			if len([]rune(note)) > 500 {
				return xinlu.Invalid(field("note"), "error.too_long", 500)
			}
			res, err := tx.exec(ctx, `UPDATE appraisal_ratings SET score = ?, note = ?, updated_at = ?
				WHERE period_id = ? AND member_id = ? AND indicator_id = ? AND rater_id = ?`, r.Score, note, now, periodID, r.MemberID, r.IndicatorID, u.MemberID)
			if err != nil {
				return s.translate(err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				if _, err := tx.exec(ctx, `INSERT INTO appraisal_ratings (period_id, member_id, indicator_id, rater_id, score, note, updated_at)
					VALUES (?,?,?,?,?,?,?)`, periodID, r.MemberID, r.IndicatorID, u.MemberID, r.Score, note, now); err != nil {
					return s.translate(err)
				}
			}
			n++
		}
		return tx.audit(ctx, a, "appraisal.rate", "appraisal_period", periodID, nil, map[string]any{"rater_id": u.MemberID, "scores": len(ratings)})
	})
	return n, err
}

// MyRatings returns the scores the user entered in a period, keyed by
// member and indicator.
func (s *Store) MyRatings(ctx context.Context, u *xinlu.User, periodID int64) (map[[2]int64]int64, error) {
	rows, err := s.query(ctx, `SELECT member_id, indicator_id, score FROM appraisal_ratings WHERE period_id = ? AND rater_id = ?`, periodID, u.MemberID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[[2]int64]int64{}
	for rows.Next() {
		var m, i, v int64
		if err := rows.Scan(&m, &i, &v); err != nil {
			return nil, xinlu.Internal(err)
		}
		out[[2]int64{m, i}] = v
	}
	return out, rows.Err()
}

// SetAbsence records a member's absent working days in a period.
func (s *Store) SetAbsence(ctx context.Context, a xinlu.Actor, u *xinlu.User, periodID, memberID int64, days int) error {
	if days < 0 || days > 366 {
		return xinlu.Invalid("absent_days", "appraisal.absent_days_range")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.periodForUpdate(ctx, u.ZoneID, periodID)
		if err != nil {
			return err
		}
		if err := xinlu.CheckPeriodWork(u, p, xinlu.WorkAbsence); err != nil {
			return err
		}
		var zone int64
		if err := tx.queryRow(ctx, `SELECT zone_id FROM members WHERE id = ?`, memberID).Scan(&zone); err != nil || zone != u.ZoneID {
			return xinlu.Invalid("member_id", "error.invalid_choice")
		}
		if _, err := tx.exec(ctx, `DELETE FROM appraisal_absences WHERE period_id = ? AND member_id = ?`, periodID, memberID); err != nil {
			return s.translate(err)
		}
		if days > 0 {
			if _, err := tx.exec(ctx, `INSERT INTO appraisal_absences (period_id, member_id, absent_days) VALUES (?,?,?)`, periodID, memberID, days); err != nil {
				return s.translate(err)
			}
		}
		return tx.audit(ctx, a, "appraisal.absence", "appraisal_period", periodID, nil, map[string]any{"member_id": memberID, "absent_days": days})
	})
}
