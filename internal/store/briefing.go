package store

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"xinlu/internal/xinlu"
)

// BriefingFigures draws a month's figures (month is YYYY-MM) from the
// zone's records on the store's today. Red items are those open on the
// briefing's day (today while the month runs, its last day after) and due
// before it, with the working days they are late by the zone's calendar.
func (s *Store) BriefingFigures(ctx context.Context, zoneID int64, month string) (*xinlu.BriefingFigures, error) {
	today := s.today()
	if err := xinlu.CheckBriefingMonth(month, today); err != nil {
		return nil, err
	}
	first, last, _ := xinlu.MonthRange(month)
	asOf := xinlu.BriefingAsOf(last, today)
	f := &xinlu.BriefingFigures{Month: first.Format("2006-01"), From: first.Format(xinlu.DateLayout), To: last.Format(xinlu.DateLayout),
		AsOf: asOf.Format(xinlu.DateLayout), Drawn: today.Format(xinlu.DateLayout)}
	// Leads are reported at an instant: the month's days in Shanghai.
	fromAt := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, shanghai).UTC()
	toAt := time.Date(first.Year(), first.Month()+1, 1, 0, 0, 0, 0, shanghai).UTC()

	rows, err := s.query(ctx, `SELECT COALESCE(d.name, ''), COUNT(*) FROM leads l JOIN members m ON m.id = l.reporter_id
		LEFT JOIN departments d ON d.id = m.department_id
		WHERE l.zone_id = ? AND l.reported_at >= ? AND l.reported_at < ? AND l.status <> 'merged' GROUP BY d.name`, zoneID, fromAt, toAt)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	if f.Leads, err = collect(rows, func(sc scanner) (xinlu.DepartmentCount, error) {
		var c xinlu.DepartmentCount
		return c, sc.Scan(&c.Department, &c.Count)
	}); err != nil {
		return nil, err
	}
	sort.SliceStable(f.Leads, func(i, j int) bool {
		a, b := f.Leads[i], f.Leads[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Department != "" && (b.Department == "" || a.Department < b.Department)
	})

	for _, pl := range []struct {
		col string
		dst *[]xinlu.BriefingProject
	}{{"signed_on", &f.Signed}, {"started_on", &f.Started}, {"produced_on", &f.Producing}} {
		rows, err := s.query(ctx, `SELECT p.id, p.name, p.company, COALESCE(m.name, ''), p.`+pl.col+`, p.contract_yuan
			FROM projects p LEFT JOIN members m ON m.id = p.sponsor_id
			WHERE p.zone_id = ? AND p.`+pl.col+` >= ? AND p.`+pl.col+` <= ? ORDER BY p.`+pl.col+`, p.id`, zoneID, f.From, f.To)
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		if *pl.dst, err = collect(rows, func(sc scanner) (xinlu.BriefingProject, error) {
			var p xinlu.BriefingProject
			return p, sc.Scan(&p.ID, &p.Name, &p.Company, &p.Sponsor, &p.On, &p.Yuan)
		}); err != nil {
			return nil, err
		}
	}
	if err := s.queryRow(ctx, `SELECT COALESCE(`+sumYuan("amount_yuan")+`, 0), COUNT(DISTINCT project_id) FROM funds_in_place
		WHERE zone_id = ? AND on_date >= ? AND on_date <= ?`, zoneID, f.From, f.To).Scan(&f.FundsYuan, &f.FundsCount); err != nil {
		return nil, xinlu.Internal(err)
	}

	if f.Red, err = s.redItems(ctx, zoneID, asOf); err != nil {
		return nil, err
	}
	if f.Ranking, err = s.briefingRanking(ctx, zoneID, f.From); err != nil {
		return nil, err
	}

	rows, err = s.query(ctx, `SELECT i.kind, m.name, COALESCE(d.name, ''), i.reason, i.amount_yuan, i.points, i.occurred_on
		FROM incentives i JOIN members m ON m.id = i.member_id LEFT JOIN departments d ON d.id = m.department_id
		WHERE i.zone_id = ? AND i.status = 'approved' AND i.neutralised_by = 0 AND i.occurred_on >= ? AND i.occurred_on <= ?
		ORDER BY i.kind DESC, i.occurred_on, i.id`, zoneID, f.From, f.To)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	if f.Incentives, err = collect(rows, func(sc scanner) (xinlu.BriefingIncentive, error) {
		var i xinlu.BriefingIncentive
		var points int
		err := sc.Scan(&i.Kind, &i.Member, &i.Department, &i.Reason, &i.Yuan, &points, &i.On)
		i.Points = int64(points)
		return i, err
	}); err != nil {
		return nil, err
	}

	if f.Study, err = s.briefingStudy(ctx, zoneID, f.From, f.To); err != nil {
		return nil, err
	}
	f.Summarise()
	return f, nil
}

// redItems are the zone's records open on asOf and due before it: active
// projects past their stage's deadline, open approval items of projects
// not lost, open supervision orders and leads waiting for screening.
func (s *Store) redItems(ctx context.Context, zoneID int64, asOf time.Time) ([]xinlu.RedItem, error) {
	cal, err := s.zoneCalendar(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	day := asOf.Format(xinlu.DateLayout)
	queries := []struct {
		kind string
		q    string
		args []any
	}{
		{"project", `SELECT p.id, p.id, p.name, p.company, COALESCE(m.name, ''), COALESCE(d.name, ''), p.stage_due
			FROM projects p LEFT JOIN members m ON m.id = p.sponsor_id LEFT JOIN departments d ON d.id = m.department_id
			WHERE p.zone_id = ? AND p.status = ? AND p.stage_due <> '' AND p.stage_due < ?`,
			[]any{zoneID, string(xinlu.ProjectActive), day}},
		{"approval", `SELECT a.id, a.project_id, a.name, p.name, COALESCE(m.name, ''), COALESCE(d.name, ''), a.due_on
			FROM approval_items a JOIN projects p ON p.id = a.project_id LEFT JOIN members m ON m.id = a.agent_id LEFT JOIN departments d ON d.id = m.department_id
			WHERE a.zone_id = ? AND a.status IN (?, ?, ?) AND p.status <> ? AND a.due_on <> '' AND a.due_on < ?`,
			[]any{zoneID, ApprovalPreparing, ApprovalSubmitted, ApprovalCorrection, string(xinlu.ProjectLost), day}},
		{"order", `SELECT o.id, o.project_id, o.task, p.name, COALESCE(m.name, ''), COALESCE(d.name, ''), o.due_on
			FROM supervision_orders o JOIN projects p ON p.id = o.project_id LEFT JOIN members m ON m.id = o.assignee_id LEFT JOIN departments d ON d.id = m.department_id
			WHERE o.zone_id = ? AND o.closed_on = '' AND o.due_on < ?`,
			[]any{zoneID, day}},
		{"lead", `SELECT l.id, 0, l.project_name, l.company, '', '', l.screening_due FROM leads l
			WHERE l.zone_id = ? AND l.status IN (?, ?, ?) AND l.screening_due <> '' AND l.screening_due < ?`,
			[]any{zoneID, string(xinlu.LeadReported), string(xinlu.LeadScreening), string(xinlu.LeadInfoRequested), day}},
	}
	var out []xinlu.RedItem
	for _, q := range queries {
		rows, err := s.query(ctx, q.q+` ORDER BY 7, 1`, q.args...)
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		items, err := collect(rows, func(sc scanner) (xinlu.RedItem, error) {
			it := xinlu.RedItem{Kind: q.kind}
			if err := sc.Scan(&it.ID, &it.ProjectID, &it.Name, &it.Of, &it.Owner, &it.Department, &it.Due); err != nil {
				return it, err
			}
			if due, err := xinlu.ParseDate(it.Due); err == nil {
				it.DaysLate = cal.WorkdaysBetween(due, asOf)
			}
			return it, nil
		})
		if err != nil {
			return nil, err
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].DaysLate > items[j].DaysLate })
		out = append(out, items...)
	}
	return out, nil
}

// briefingRanking is the ranking of the zone's monthly appraisal period
// that starts on from, once its results are published (nil before).
func (s *Store) briefingRanking(ctx context.Context, zoneID int64, from string) (*xinlu.BriefingRanking, error) {
	var r xinlu.BriefingRanking
	err := s.queryRow(ctx, `SELECT id, label FROM appraisal_periods WHERE zone_id = ? AND kind = ? AND starts_on = ? AND state IN (?, ?, ?, ?)
		ORDER BY id DESC LIMIT 1`, zoneID, string(xinlu.PeriodMonth), from,
		string(xinlu.PeriodPublication), string(xinlu.PeriodFinal), string(xinlu.PeriodApplied), string(xinlu.PeriodArchived)).Scan(&r.PeriodID, &r.Label)
	if err != nil {
		if xinlu.ErrorCode(s.translate(err)) == xinlu.ENOTFOUND {
			return nil, nil
		}
		return nil, xinlu.Internal(err)
	}
	rows, err := s.query(ctx, `SELECT r.band, r.rank, m.name, COALESCE(d.name, ''), r.score FROM appraisal_results r
		JOIN members m ON m.id = r.member_id LEFT JOIN departments d ON d.id = r.department_id
		WHERE r.period_id = ? AND r.band <> ? ORDER BY r.group_key, r.ord, r.rank, r.id`, r.PeriodID, string(xinlu.BandExcluded))
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	r.Bands = map[xinlu.Band]int{xinlu.BandTop: 0, xinlu.BandMiddle: 0, xinlu.BandBottom: 0}
	_, err = collect(rows, func(sc scanner) (struct{}, error) {
		var band xinlu.Band
		var l xinlu.RankLine
		if err := sc.Scan(&band, &l.Rank, &l.Name, &l.Department, &l.Score); err != nil {
			return struct{}{}, err
		}
		r.Bands[band]++
		switch band {
		case xinlu.BandTop:
			r.Top = append(r.Top, l)
		case xinlu.BandBottom:
			r.Bottom = append(r.Bottom, l)
		}
		return struct{}{}, nil
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// briefingStudy summarises the campaigns that were open during the month
// (opened on or before its last day, closing on or after its first) and
// left the draft, by department.
func (s *Store) briefingStudy(ctx context.Context, zoneID int64, from, to string) ([]xinlu.BriefingCampaign, error) {
	rows, err := s.query(ctx, `SELECT `+campaignColumns+` FROM study_campaigns c WHERE c.zone_id = ? AND c.status <> ? AND c.opens_on <= ? AND c.closes_on >= ?
		ORDER BY c.closes_on, c.id`, zoneID, string(xinlu.CampaignDraft), to, from)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	cs, err := collect(rows, scanCampaign)
	if err != nil {
		return nil, err
	}
	var out []xinlu.BriefingCampaign
	for _, c := range cs {
		audience, err := s.studyAudience(ctx, c)
		if err != nil {
			return nil, err
		}
		rows, err := s.query(ctx, `SELECT `+reflectionColumns+reflectionFrom+` WHERE r.campaign_id = ?`, c.ID)
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		refl, err := collect(rows, scanReflection)
		if err != nil {
			return nil, err
		}
		out = append(out, xinlu.SummariseStudy(c, xinlu.StudyCompletion(c, audience, refl, s.today())))
	}
	return out, nil
}

const briefingColumns = `id, zone_id, month, comment, figures, issued_name, issued_at`

func scanBriefing(sc scanner) (*xinlu.Briefing, error) {
	var b xinlu.Briefing
	var figures string
	if err := sc.Scan(&b.ID, &b.ZoneID, &b.Month, &b.Comment, &figures, &b.IssuedBy, &b.IssuedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(figures), &b.Figures); err != nil {
		return nil, xinlu.Internal(err)
	}
	return &b, nil
}

// IssueBriefing issues the month's briefing with the director's comment:
// the figures are drawn now and kept as they are. A month is issued once.
func (s *Store) IssueBriefing(ctx context.Context, a xinlu.Actor, u *xinlu.User, month, comment string) (*xinlu.Briefing, error) {
	if !u.Can(xinlu.PermBriefingIssue) {
		return nil, xinlu.Forbidden()
	}
	var errs xinlu.FieldErrors
	comment, cerr := xinlu.CleanBriefingComment(comment)
	errs.Add(cerr)
	merr := xinlu.CheckBriefingMonth(month, s.today())
	errs.Add(merr)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	f, err := s.BriefingFigures(ctx, u.ZoneID, month)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(f)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	b := &xinlu.Briefing{ZoneID: u.ZoneID, Month: f.Month, Comment: comment, Figures: *f, IssuedBy: u.Name, IssuedAt: s.Now()}
	err = s.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM briefings WHERE zone_id = ? AND month = ?`, b.ZoneID, b.Month).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n > 0 {
			return xinlu.Conflict("month", "briefing.issued_already")
		}
		id, err := tx.insert(ctx, `INSERT INTO briefings (zone_id, month, comment, figures, issued_by, issued_name, issued_at) VALUES (?,?,?,?,?,?,?)`,
			b.ZoneID, b.Month, b.Comment, string(body), u.ID, u.Name, b.IssuedAt)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("month", "briefing.issued_already")
			}
			return err
		}
		b.ID = id
		return tx.audit(ctx, a, "briefing.issue", "briefing", id, nil, map[string]any{"month": b.Month, "comment": b.Comment,
			"leads": f.LeadsTotal, "signed": len(f.Signed), "signed_yuan": f.SignedYuan, "funds_yuan": f.FundsYuan, "red": len(f.Red)})
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Briefings lists the zone's issued briefings, the latest month first.
func (s *Store) Briefings(ctx context.Context, zoneID int64) ([]*xinlu.Briefing, error) {
	rows, err := s.query(ctx, `SELECT `+briefingColumns+` FROM briefings WHERE zone_id = ? ORDER BY month DESC`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanBriefing)
}

// BriefingByID returns an issued briefing of the zone.
func (s *Store) BriefingByID(ctx context.Context, zoneID, id int64) (*xinlu.Briefing, error) {
	b, err := scanBriefing(s.queryRow(ctx, `SELECT `+briefingColumns+` FROM briefings WHERE id = ? AND zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	return b, nil
}

// BriefingOfMonth returns the zone's issued briefing of a month, or nil.
func (s *Store) BriefingOfMonth(ctx context.Context, zoneID int64, month string) (*xinlu.Briefing, error) {
	b, err := scanBriefing(s.queryRow(ctx, `SELECT `+briefingColumns+` FROM briefings WHERE zone_id = ? AND month = ?`, zoneID, month))
	if err != nil {
		if err = s.translate(err); xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	return b, nil
}
