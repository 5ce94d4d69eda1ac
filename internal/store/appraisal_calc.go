package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// Result is one member's line of a period: score, group, rank, band, the
// rule that placed them, and pay.
type Result struct {
	ID                int64
	PeriodID          int64
	MemberID          int64
	MemberName        string
	StaffNo           string
	DepartmentID      int64
	DepartmentName    string
	PositionKind      string
	Group             string
	GroupSize         int
	TopQuota          int
	BottomQuota       int
	Score             int64 // hundredths
	KeyTask           int64
	Points            int64
	Missing           int // assessed or peer indicators nobody scored (counted as 0)
	Rank              int
	Band              xinlu.Band
	Rule              string
	CalibratedFrom    string
	CalibrationReason string
	Exclusion         string
	Coefficient       int64
	BaseYuan          int64
	PayYuan           int64
	Grade             string
	Breakdown         xinlu.Breakdown // filled by ResultOf only
	Version           int
}

const resultColumns = `r.id, r.period_id, r.member_id, m.name, m.staff_no, COALESCE(r.department_id, 0), COALESCE(d.name, ''), r.position_kind,
	r.group_key, r.group_size, r.top_quota, r.bottom_quota, r.score, r.key_task, r.points, r.missing, r.rank, r.band, r.rule,
	r.calibrated_from, r.calibration_reason, r.exclusion, r.coefficient, r.base_sealed, r.pay_sealed, r.grade, r.version`

const resultFrom = ` FROM appraisal_results r JOIN members m ON m.id = r.member_id LEFT JOIN departments d ON d.id = r.department_id`

// ResultFilter selects a period's results.
type ResultFilter struct {
	PeriodID     int64
	Scope        xinlu.ScopeFilter // appraisal.view
	DepartmentID int64
	Band         xinlu.Band
	Group        string
	Missing      bool   // only members with indicators nobody scored
	Query        string // name or staff number
	xinlu.Page
}

// ListResults returns one page of a period's results in the user's scope,
// ordered by group and rank, and the total.
func (s *Store) ListResults(ctx context.Context, f ResultFilter) ([]*Result, int, error) {
	scope, args := memberScope(f.Scope)
	where := []string{"r.period_id = ?", scope}
	args = append([]any{f.PeriodID}, args...)
	if f.DepartmentID != 0 {
		where, args = append(where, "r.department_id = ?"), append(args, f.DepartmentID)
	}
	if f.Band != "" {
		where, args = append(where, "r.band = ?"), append(args, f.Band)
	}
	if f.Group != "" {
		where, args = append(where, "r.group_key = ?"), append(args, f.Group)
	}
	if f.Missing {
		where = append(where, "r.missing > 0")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(m.name "+s.likeOp()+" ? ESCAPE '\\' OR m.staff_no = ?)")
		args = append(args, likePattern(q), q)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	total, err := s.count(ctx, `SELECT COUNT(*) FROM appraisal_results r JOIN members m ON m.id = r.member_id`+cond, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+resultColumns+resultFrom+cond+
		` ORDER BY r.group_key, r.ord`+s.pageSQL(pg),
		append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, s.scanResult)
	return out, total, err
}

// ResultOf returns one member's result with its breakdown, if the scope
// reaches them.
func (s *Store) ResultOf(ctx context.Context, scope xinlu.ScopeFilter, periodID, memberID int64) (*Result, error) {
	cond, args := memberScope(scope)
	row := s.queryRow(ctx, `SELECT `+resultColumns+`, r.breakdown, COALESCE(r.scheme_id, 0), r.zone_id`+resultFrom+` WHERE r.period_id = ? AND r.member_id = ? AND `+cond,
		append([]any{periodID, memberID}, args...)...)
	r := &Result{}
	var breakdown, base, pay string
	var schemeID, zoneID int64
	err := row.Scan(&r.ID, &r.PeriodID, &r.MemberID, &r.MemberName, &r.StaffNo, &r.DepartmentID, &r.DepartmentName, &r.PositionKind,
		&r.Group, &r.GroupSize, &r.TopQuota, &r.BottomQuota, &r.Score, &r.KeyTask, &r.Points, &r.Missing, &r.Rank, &r.Band, &r.Rule,
		&r.CalibratedFrom, &r.CalibrationReason, &r.Exclusion, &r.Coefficient, &base, &pay, &r.Grade, &r.Version, &breakdown,
		&schemeID, &zoneID)
	if err != nil {
		return nil, s.translate(err)
	}
	if err := s.openResult(r, base, pay); err != nil {
		return nil, err
	}
	var sc *xinlu.Scheme
	if schemeID != 0 {
		if sc, err = s.SchemeByID(ctx, zoneID, schemeID); err != nil && xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			return nil, err
		}
	}
	if r.Breakdown, err = decodeBreakdown(breakdown, sc); err != nil {
		return nil, err
	}
	r.Breakdown.Final, r.Breakdown.Points, r.Breakdown.KeyTask = r.Score, r.Points, r.KeyTask
	return r, nil
}

// encodeBreakdown keeps a breakdown compactly, one array per line:
// [indicator, value, raters, score, weight]. Names, kinds and metrics come
// from the scheme when the breakdown is read; the totals are columns.
func encodeBreakdown(b xinlu.Breakdown) string {
	buf := make([]byte, 0, 16+len(b.Lines)*32)
	buf = append(buf, '[')
	for i, l := range b.Lines {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for k, v := range []int64{l.IndicatorID, l.Value, int64(l.Raters), l.Score, int64(l.Weight)} {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, v, 10)
		}
		buf = append(buf, ']')
	}
	return string(append(buf, ']'))
}

// decodeBreakdown reads what encodeBreakdown wrote, naming each line from
// the scheme (an indicator since removed is named by its number).
func decodeBreakdown(s string, sc *xinlu.Scheme) (xinlu.Breakdown, error) {
	var b xinlu.Breakdown
	var lines [][5]int64
	if s == "" || s == "{}" {
		return b, nil
	}
	if err := json.Unmarshal([]byte(s), &lines); err != nil {
		return b, xinlu.Internal(fmt.Errorf("breakdown: %w", err))
	}
	byID := map[int64]xinlu.Indicator{}
	if sc != nil {
		for _, ind := range sc.Indicators {
			byID[ind.ID] = ind
		}
	}
	for _, v := range lines {
		ind, ok := byID[v[0]]
		if !ok {
			ind = xinlu.Indicator{Name: "#" + strconv.FormatInt(v[0], 10)}
		}
		l := xinlu.ScoreLine{IndicatorID: v[0], Name: ind.Name, Kind: string(ind.Kind), Metric: ind.Metric, Value: v[1], Raters: int(v[2]),
			Score: v[3], Weight: int(v[4])}
		if ind.Kind != xinlu.IndicatorPoints {
			l.Weighted = l.Score * v[4]
		}
		if (ind.Kind == xinlu.IndicatorAssessed || ind.Kind == xinlu.IndicatorPeer) && l.Raters == 0 {
			b.Missing = append(b.Missing, ind.Name)
		}
		b.Lines = append(b.Lines, l)
	}
	return b, nil
}

// MemberHistory returns a member's results in published periods, newest
// first, with the period.
func (s *Store) MemberHistory(ctx context.Context, zoneID, memberID int64) ([]*Result, []*xinlu.Period, error) {
	rows, err := s.query(ctx, `SELECT `+resultColumns+resultFrom+` JOIN appraisal_periods p ON p.id = r.period_id
		WHERE r.member_id = ? AND p.zone_id = ? AND p.state IN ('publication','final','applied','archived')
		ORDER BY p.starts_on DESC, p.kind LIMIT 60`, memberID, zoneID)
	if err != nil {
		return nil, nil, xinlu.Internal(err)
	}
	results, err := collect(rows, s.scanResult)
	if err != nil {
		return nil, nil, err
	}
	periods := make([]*xinlu.Period, 0, len(results))
	for _, r := range results {
		p, err := s.PeriodByID(ctx, zoneID, r.PeriodID)
		if err != nil {
			return nil, nil, err
		}
		periods = append(periods, p)
	}
	return results, periods, nil
}

func (tx *Tx) resultForUpdate(ctx context.Context, periodID, memberID int64) (*Result, error) {
	r, err := tx.s.scanResult(tx.queryRow(ctx, `SELECT `+resultColumns+resultFrom+` WHERE r.period_id = ? AND r.member_id = ?`, periodID, memberID))
	if err != nil {
		if err = tx.s.translate(err); xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
			return nil, xinlu.NotFound("appraisal.member_not_in_results")
		}
		return nil, err
	}
	return r, nil
}

// groupPlacements reads one group's placements as they stand.
func (tx *Tx) groupPlacements(ctx context.Context, periodID int64, group string) ([]xinlu.Placement, error) {
	rows, err := tx.query(ctx, `SELECT member_id, group_key, group_size, rank, band, rule, top_quota, bottom_quota
		FROM appraisal_results WHERE period_id = ? AND group_key = ?`, periodID, group)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, func(sc scanner) (xinlu.Placement, error) {
		var p xinlu.Placement
		return p, sc.Scan(&p.MemberID, &p.Group, &p.GroupSize, &p.Rank, &p.Band, &p.Rule, &p.TopQuota, &p.BottomQuota)
	})
}

// appraisee is a member as the calculation sees them.
type appraisee struct {
	id, department int64
	kind           xinlu.PositionKind
	status         xinlu.MemberStatus
	joinedOn       string
	basePay        int64
	leader         bool
}

// CalculatePeriod computes every member's score from the period's records
// and ratings, ranks them into bands, computes pay, and replaces the
// period's results in one transaction.
func (s *Store) CalculatePeriod(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int) (*xinlu.Period, error) {
	p, err := s.PeriodByID(ctx, u.ZoneID, id)
	if err != nil {
		return nil, err
	}
	if _, err := xinlu.CheckPeriodStep(u, p, xinlu.PeriodCalculate, xinlu.PeriodCheck{Today: s.today()}); err != nil {
		return nil, err
	}
	if version != p.Version {
		return nil, xinlu.Conflict("version", "error.stale")
	}
	cal, err := s.zoneCalendar(ctx, p.ZoneID)
	if err != nil {
		return nil, err
	}
	schemes, err := s.ListSchemes(ctx, p.ZoneID)
	if err != nil {
		return nil, err
	}
	byKind := map[xinlu.PositionKind]*xinlu.Scheme{}
	for _, sc := range schemes {
		if byKind[sc.PositionKind] == nil {
			byKind[sc.PositionKind] = sc
		}
	}
	first, _ := xinlu.ParseDate(p.StartsOn)
	last, _ := xinlu.ParseDate(p.EndsOn)
	var out *xinlu.Period
	err = s.inTx(ctx, func(tx *Tx) error {
		locked, err := tx.periodForUpdate(ctx, p.ZoneID, id)
		if err != nil {
			return err
		}
		if locked.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		members, err := tx.appraisees(ctx, p)
		if err != nil {
			return err
		}
		metrics, err := tx.metrics(ctx, p, first, last)
		if err != nil {
			return err
		}
		assessed, peer, err := tx.ratings(ctx, p.ID, schemes)
		if err != nil {
			return err
		}
		points, deductions, penalties, err := tx.periodIncentives(ctx, p)
		if err != nil {
			return err
		}
		absences, err := tx.absences(ctx, p.ID)
		if err != nil {
			return err
		}
		excl := xinlu.NewExclusions(first, last, cal)
		cands := make([]xinlu.Candidate, 0, len(members))
		breakdowns := make([]xinlu.Breakdown, 0, len(members))
		for _, m := range members {
			c := xinlu.Candidate{MemberID: m.id, DepartmentID: m.department, PositionKind: m.kind, Leader: m.leader, Penalty: penalties[m.id]}
			var b xinlu.Breakdown
			sc := byKind[m.kind]
			if sc == nil {
				c.Exclusion = "no_scheme"
			} else {
				b = xinlu.Score(sc, xinlu.ScoreInput{Computed: metrics[m.id], Assessed: assessed[m.id], Peer: peer[m.id], Points: points[m.id]})
				c.Score = b.Final
				for _, key := range locked.Rule.TieBreakers {
					switch key {
					case "key_task":
						c.TieKeys = append(c.TieKeys, b.KeyTask)
					case "deductions":
						c.TieKeys = append(c.TieKeys, -deductions[m.id])
					}
				}
				c.Exclusion = excl.Of(m.status, m.joinedOn, absences[m.id])
			}
			cands = append(cands, c)
			breakdowns = append(breakdowns, b)
		}
		placements := xinlu.Distribute(locked.Rule, cands)
		ord := groupOrder(placements, cands)
		if _, err := tx.exec(ctx, `DELETE FROM appraisal_results WHERE period_id = ?`, id); err != nil {
			return s.translate(err)
		}
		cols := []string{"period_id", "zone_id", "member_id", "scheme_id", "department_id", "position_kind", "group_key", "group_size",
			"top_quota", "bottom_quota", "score", "key_task", "points", "missing", "rank", "ord", "band", "rule", "exclusion", "coefficient", "base_sealed",
			"pay_sealed", "grade", "breakdown", "version"}
		ys, err := tx.yuanSealer(ctx)
		if err != nil {
			return err
		}
		rows := make([][]any, 0, len(members))
		var total int64
		bands := map[string]int{}
		for i, m := range members {
			pl, c, b := placements[i], cands[i], breakdowns[i]
			coef := locked.Coefficients.Of(pl.Band)
			pay := (m.basePay*coef + 50) / 100
			total += pay
			bands[string(pl.Band)]++
			var schemeID any
			if sc := byKind[m.kind]; sc != nil {
				schemeID = sc.ID
			}
			base, err := ys.seal(resultBasePay, m.basePay)
			if err != nil {
				return err
			}
			sealedPay, err := ys.seal(resultPay, pay)
			if err != nil {
				return err
			}
			rows = append(rows, []any{id, p.ZoneID, m.id, schemeID, nullID(m.department), string(m.kind), pl.Group, pl.GroupSize,
				pl.TopQuota, pl.BottomQuota, c.Score, b.KeyTask, b.Points, len(b.Missing), pl.Rank, ord[i], string(pl.Band), pl.Rule, c.Exclusion, coef, base,
				sealedPay, annualGrade(locked, pl.Band), encodeBreakdown(b), 1})
		}
		if len(rows) > 0 {
			if _, err := tx.insertRows(ctx, "appraisal_results", cols, rows); err != nil {
				return err
			}
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE appraisal_periods SET state = ?, pool_decision = CASE WHEN pool_decision = 'scale' THEN '' ELSE pool_decision END,
			calculated_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, xinlu.PeriodCalculated, now, now, id); err != nil {
			return s.translate(err)
		}
		before := periodAudit(locked)
		locked.State, locked.Version, locked.UpdatedAt = xinlu.PeriodCalculated, locked.Version+1, now
		if locked.PoolDecision == "scale" {
			locked.PoolDecision = ""
		}
		out = locked
		after := periodAudit(locked)
		after["members"], after["bands"], after["pay_total"] = len(members), bands, total
		return tx.audit(ctx, a, "appraisal.period.calculate", "appraisal_period", id, before, after)
	})
	return out, err
}

// groupOrder numbers each member's place in their group's list: by rank,
// the unranked last, ties by score then member.
func groupOrder(ps []xinlu.Placement, cands []xinlu.Candidate) []int {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := ps[idx[x]], ps[idx[y]]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if (a.Rank == 0) != (b.Rank == 0) {
			return b.Rank == 0
		}
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		if cands[idx[x]].Score != cands[idx[y]].Score {
			return cands[idx[x]].Score > cands[idx[y]].Score
		}
		return a.MemberID < b.MemberID
	})
	out := make([]int, len(ps))
	n, group := 0, ""
	for _, i := range idx {
		if ps[i].Group != group {
			n, group = 0, ps[i].Group
		}
		n++
		out[i] = n
	}
	return out
}

// appraisees are the zone's members who had not left, with their position
// kind, base pay and whether a leader term covers the period.
func (tx *Tx) appraisees(ctx context.Context, p *xinlu.Period) ([]appraisee, error) {
	rows, err := tx.query(ctx, `SELECT m.id, COALESCE(m.department_id, 0), COALESCE(ps.kind, 'staff'), m.status, m.joined_on, COALESCE(mp.base_sealed, ''),
		EXISTS (SELECT 1 FROM terms t WHERE t.member_id = m.id AND t.start_date <= ? AND t.end_date >= ?)
		FROM members m LEFT JOIN positions ps ON ps.id = m.position_id LEFT JOIN member_pay mp ON mp.member_id = m.id
		WHERE m.zone_id = ? AND m.status <> 'left' ORDER BY m.id`, p.EndsOn, p.StartsOn, p.ZoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	sl := tx.s.Sealer()
	return collect(rows, func(sc scanner) (appraisee, error) {
		var m appraisee
		var base string
		if err := sc.Scan(&m.id, &m.department, &m.kind, &m.status, &m.joinedOn, &base, &m.leader); err != nil {
			return m, err
		}
		var err error
		m.basePay, err = openYuan(sl, memberBasePay, base)
		return m, err
	})
}

// metrics counts what computed indicators read, per member, in the
// period: one grouped query per metric over indexed ranges.
func (tx *Tx) metrics(ctx context.Context, p *xinlu.Period, first, last time.Time) (map[int64]map[string]int64, error) {
	from := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, shanghai).UTC()
	to := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, shanghai).AddDate(0, 0, 1).UTC()
	queries := []struct {
		metric string
		q      string
		args   []any
	}{
		{"leads_reported", `SELECT reporter_id, COUNT(*) FROM leads WHERE zone_id = ? AND reported_at >= ? AND reported_at < ? AND status <> 'merged' GROUP BY reporter_id`,
			[]any{p.ZoneID, from, to}},
		{"leads_accepted", `SELECT l.reporter_id, COUNT(*) FROM projects pr JOIN leads l ON l.id = pr.lead_id
			WHERE pr.zone_id = ? AND pr.created_at >= ? AND pr.created_at < ? GROUP BY l.reporter_id`, []any{p.ZoneID, from, to}},
		{"projects_signed", `SELECT who, COUNT(*) FROM (
			SELECT l.reporter_id AS who, pr.id FROM projects pr JOIN leads l ON l.id = pr.lead_id WHERE pr.zone_id = ? AND pr.signed_on >= ? AND pr.signed_on <= ?
			UNION SELECT pr.sponsor_id, pr.id FROM projects pr WHERE pr.zone_id = ? AND pr.signed_on >= ? AND pr.signed_on <= ? AND pr.sponsor_id IS NOT NULL
			) x GROUP BY who`, []any{p.ZoneID, p.StartsOn, p.EndsOn, p.ZoneID, p.StartsOn, p.EndsOn}},
		{"contract_amount", `SELECT who, ` + sumYuan("amount") + ` FROM (
			SELECT l.reporter_id AS who, pr.id, pr.contract_yuan AS amount FROM projects pr JOIN leads l ON l.id = pr.lead_id WHERE pr.zone_id = ? AND pr.signed_on >= ? AND pr.signed_on <= ?
			UNION SELECT pr.sponsor_id, pr.id, pr.contract_yuan FROM projects pr WHERE pr.zone_id = ? AND pr.signed_on >= ? AND pr.signed_on <= ? AND pr.sponsor_id IS NOT NULL
			) x GROUP BY who`, []any{p.ZoneID, p.StartsOn, p.EndsOn, p.ZoneID, p.StartsOn, p.EndsOn}},
		{"funds_in_place", `SELECT who, ` + sumYuan("amount") + ` FROM (
			SELECT l.reporter_id AS who, f.id, f.amount_yuan AS amount FROM funds_in_place f JOIN projects pr ON pr.id = f.project_id JOIN leads l ON l.id = pr.lead_id
				WHERE f.zone_id = ? AND f.on_date >= ? AND f.on_date <= ?
			UNION SELECT pr.sponsor_id, f.id, f.amount_yuan FROM funds_in_place f JOIN projects pr ON pr.id = f.project_id
				WHERE f.zone_id = ? AND f.on_date >= ? AND f.on_date <= ? AND pr.sponsor_id IS NOT NULL
			) x GROUP BY who`, []any{p.ZoneID, p.StartsOn, p.EndsOn, p.ZoneID, p.StartsOn, p.EndsOn}},
		{"approvals_on_time", `SELECT agent_id, COUNT(*) FROM approval_items WHERE zone_id = ? AND closed_on >= ? AND closed_on <= ?
			AND status IN ('approved','committed') AND agent_id IS NOT NULL AND (due_on = '' OR closed_on <= due_on) GROUP BY agent_id`,
			[]any{p.ZoneID, p.StartsOn, p.EndsOn}},
		{"supervision_on_time", `SELECT assignee_id, COUNT(*) FROM supervision_orders WHERE zone_id = ? AND closed_on >= ? AND closed_on <= ?
			AND closed_on <= due_on GROUP BY assignee_id`, []any{p.ZoneID, p.StartsOn, p.EndsOn}},
		{"study_completion", `SELECT r.member_id, COUNT(*) FROM study_reflections r JOIN study_campaigns c ON c.id = r.campaign_id
			WHERE r.zone_id = ? AND c.closes_on >= ? AND c.closes_on <= ? AND r.status = 'accepted' AND r.late = ? GROUP BY r.member_id`,
			[]any{p.ZoneID, p.StartsOn, p.EndsOn, false}},
	}
	out := map[int64]map[string]int64{}
	for _, q := range queries {
		rows, err := tx.query(ctx, q.q, q.args...)
		if err != nil {
			return nil, xinlu.Internal(fmt.Errorf("metric %s: %w", q.metric, err))
		}
		for rows.Next() {
			var who, v int64
			if err := rows.Scan(&who, &v); err != nil {
				rows.Close()
				return nil, xinlu.Internal(err)
			}
			if out[who] == nil {
				out[who] = map[string]int64{}
			}
			out[who][q.metric] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, xinlu.Internal(err)
		}
	}
	return out, nil
}

// ratings reads the period's assessed and peer scores by member and
// indicator.
func (tx *Tx) ratings(ctx context.Context, periodID int64, schemes []*xinlu.Scheme) (assessed, peer map[int64]map[int64][]int64, err error) {
	kind := map[int64]xinlu.IndicatorKind{}
	for _, sc := range schemes {
		for _, i := range sc.Indicators {
			kind[i.ID] = i.Kind
		}
	}
	assessed, peer = map[int64]map[int64][]int64{}, map[int64]map[int64][]int64{}
	rows, err := tx.query(ctx, `SELECT member_id, indicator_id, score FROM appraisal_ratings WHERE period_id = ?`, periodID)
	if err != nil {
		return nil, nil, xinlu.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, i, v int64
		if err := rows.Scan(&m, &i, &v); err != nil {
			return nil, nil, xinlu.Internal(err)
		}
		target := assessed
		if kind[i] == xinlu.IndicatorPeer {
			target = peer
		}
		if target[m] == nil {
			target[m] = map[int64][]int64{}
		}
		target[m][i] = append(target[m][i], v)
	}
	return assessed, peer, rows.Err()
}

// periodIncentives sums each member's effective points in the period
// (approved, not exempted by a tolerance decision, halved when reduced),
// their deduction points, and who has a confirmed disciplinary penalty.
func (tx *Tx) periodIncentives(ctx context.Context, p *xinlu.Period) (points, deductions map[int64]int64, penalties map[int64]bool, err error) {
	points, deductions, penalties = map[int64]int64{}, map[int64]int64{}, map[int64]bool{}
	rows, err := tx.query(ctx, `SELECT i.member_id, i.kind, i.points,
		EXISTS (SELECT 1 FROM tolerance_claims c WHERE c.incentive_id = i.id AND c.decision = 'reduced' AND c.status IN ('decided','notified','appealed','investigating'))
		FROM incentives i WHERE i.zone_id = ? AND i.status = 'approved' AND i.neutralised_by = 0 AND i.occurred_on >= ? AND i.occurred_on <= ?`,
		p.ZoneID, p.StartsOn, p.EndsOn)
	if err != nil {
		return nil, nil, nil, xinlu.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, pts int64
		var kind string
		var reduced bool
		if err := rows.Scan(&m, &kind, &pts, &reduced); err != nil {
			return nil, nil, nil, xinlu.Internal(err)
		}
		if reduced {
			pts = xinlu.ReducedPoints(pts)
		}
		points[m] += pts
		if pts < 0 {
			deductions[m] -= pts
		}
		if kind == string(xinlu.IncentiveDisciplinary) && !reduced {
			penalties[m] = true
		}
	}
	return points, deductions, penalties, rows.Err()
}

func (tx *Tx) absences(ctx context.Context, periodID int64) (map[int64]int, error) {
	rows, err := tx.query(ctx, `SELECT member_id, absent_days FROM appraisal_absences WHERE period_id = ?`, periodID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var m int64
		var d int
		if err := rows.Scan(&m, &d); err != nil {
			return nil, xinlu.Internal(err)
		}
		out[m] = d
	}
	return out, rows.Err()
}

// applyConsequences proposes the ladder's next consequence for every
// member in the bottom band, from their bands in the same kind of period.
func (tx *Tx) applyConsequences(ctx context.Context, a xinlu.Actor, p *xinlu.Period) error {
	rows, err := tx.query(ctx, `SELECT r.member_id, r.band FROM appraisal_results r JOIN appraisal_periods pp ON pp.id = r.period_id
		WHERE pp.zone_id = ? AND pp.kind = ? AND pp.starts_on <= ? AND (pp.id = ? OR pp.state IN ('final','applied','archived'))
		AND r.member_id IN (SELECT member_id FROM appraisal_results WHERE period_id = ? AND band = 'bottom')
		ORDER BY r.member_id, pp.starts_on`, p.ZoneID, p.Kind, p.StartsOn, p.ID, p.ID)
	if err != nil {
		return xinlu.Internal(err)
	}
	history := map[int64][]xinlu.Band{}
	var order []int64
	for rows.Next() {
		var m int64
		var b xinlu.Band
		if err := rows.Scan(&m, &b); err != nil {
			rows.Close()
			return xinlu.Internal(err)
		}
		if history[m] == nil {
			order = append(order, m)
		}
		history[m] = append(history[m], b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return xinlu.Internal(err)
	}
	st, err := tx.appraisalSettings(ctx, p.ZoneID)
	if err != nil {
		return err
	}
	ladder := st.Ladder
	now := tx.s.Now()
	n := 0
	for _, m := range order {
		action, ok := ladder.NextConsequence(history[m], p.Kind == xinlu.PeriodYear)
		if !ok {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO consequences (zone_id, member_id, period_id, action, status, created_at)
			VALUES (?,?,?,?,'proposed',?) ON CONFLICT (member_id, period_id, action) DO NOTHING`, p.ZoneID, m, p.ID, action, now); err != nil {
			return tx.s.translate(err)
		}
		n++
	}
	return tx.audit(ctx, a, "appraisal.consequences.propose", "appraisal_period", p.ID, nil, map[string]any{"proposed": n})
}
