package store

import (
	"context"
	"time"

	"xinlu/internal/xinlu"
)

// MetricRecord is one record behind a computed indicator: a lead, a
// project, an amount of funds, an approval item, a supervision order or a
// study reflection.
type MetricRecord struct {
	Kind      string // lead, project, funds, approval, supervision, study
	ID        int64  // the lead's or the project's id (funds, approvals and orders link to their project)
	ProjectID int64
	Label     string
	Date      string
	Yuan      int64 // 0 when none, and when the lead's or plan's amount is unknown (待定): shown only when above 0
}

// MetricRecords lists the records that made a member's value of metric in
// period p, newest first, at most limit of them: what a computed score is
// made of, so that every score can be checked.
func (s *Store) MetricRecords(ctx context.Context, p *xinlu.Period, memberID int64, metric string, limit int) ([]MetricRecord, error) {
	first, err := xinlu.ParseDate(p.StartsOn)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	last, err := xinlu.ParseDate(p.EndsOn)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	from := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, shanghai).UTC()
	to := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, shanghai).AddDate(0, 0, 1).UTC()
	var q string
	var args []any
	switch metric {
	case "leads_reported":
		q = `SELECT 'lead', l.id, COALESCE(l.project_id, 0), l.company, l.reported_at, COALESCE(l.investment_yuan, 0) FROM leads l
			WHERE l.reporter_id = ? AND l.zone_id = ? AND l.reported_at >= ? AND l.reported_at < ? AND l.status <> 'merged' ORDER BY l.reported_at DESC LIMIT ?`
		args = []any{memberID, p.ZoneID, from, to, limit}
	case "leads_accepted":
		q = `SELECT 'project', pr.id, pr.id, pr.name, pr.created_at, COALESCE(pr.total_yuan, 0) FROM projects pr JOIN leads l ON l.id = pr.lead_id
			WHERE l.reporter_id = ? AND pr.zone_id = ? AND pr.created_at >= ? AND pr.created_at < ? ORDER BY pr.created_at DESC LIMIT ?`
		args = []any{memberID, p.ZoneID, from, to, limit}
	case "projects_signed", "contract_amount":
		q = `SELECT 'project', pr.id, pr.id, pr.name, pr.signed_on, pr.contract_yuan FROM projects pr LEFT JOIN leads l ON l.id = pr.lead_id
			WHERE pr.zone_id = ? AND pr.signed_on >= ? AND pr.signed_on <= ? AND (l.reporter_id = ? OR pr.sponsor_id = ?) ORDER BY pr.signed_on DESC LIMIT ?`
		args = []any{p.ZoneID, p.StartsOn, p.EndsOn, memberID, memberID, limit}
	case "funds_in_place":
		q = `SELECT 'funds', f.id, pr.id, pr.name, f.on_date, f.amount_yuan FROM funds_in_place f JOIN projects pr ON pr.id = f.project_id
			LEFT JOIN leads l ON l.id = pr.lead_id
			WHERE f.zone_id = ? AND f.on_date >= ? AND f.on_date <= ? AND (l.reporter_id = ? OR pr.sponsor_id = ?) ORDER BY f.on_date DESC LIMIT ?`
		args = []any{p.ZoneID, p.StartsOn, p.EndsOn, memberID, memberID, limit}
	case "approvals_on_time":
		q = `SELECT 'approval', a.id, a.project_id, a.name, a.closed_on, 0 FROM approval_items a
			WHERE a.agent_id = ? AND a.zone_id = ? AND a.closed_on >= ? AND a.closed_on <= ? AND a.status IN ('approved','committed')
			AND (a.due_on = '' OR a.closed_on <= a.due_on) ORDER BY a.closed_on DESC LIMIT ?`
		args = []any{memberID, p.ZoneID, p.StartsOn, p.EndsOn, limit}
	case "supervision_on_time":
		q = `SELECT 'supervision', o.id, o.project_id, o.task, o.closed_on, 0 FROM supervision_orders o
			WHERE o.assignee_id = ? AND o.zone_id = ? AND o.closed_on >= ? AND o.closed_on <= ? AND o.closed_on <= o.due_on ORDER BY o.closed_on DESC LIMIT ?`
		args = []any{memberID, p.ZoneID, p.StartsOn, p.EndsOn, limit}
	case "study_completion":
		q = `SELECT 'study', r.id, 0, c.title, c.closes_on, 0 FROM study_reflections r JOIN study_campaigns c ON c.id = r.campaign_id
			WHERE r.member_id = ? AND r.zone_id = ? AND c.closes_on >= ? AND c.closes_on <= ? AND r.status = 'accepted' AND r.late = ?
			ORDER BY c.closes_on DESC LIMIT ?`
		args = []any{memberID, p.ZoneID, p.StartsOn, p.EndsOn, false, limit}
	default:
		return nil, xinlu.Invalid("metric", "error.invalid_choice")
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, func(sc scanner) (MetricRecord, error) {
		var r MetricRecord
		var date any
		if err := sc.Scan(&r.Kind, &r.ID, &r.ProjectID, &r.Label, &date, &r.Yuan); err != nil {
			return r, err
		}
		switch d := date.(type) {
		case time.Time:
			r.Date = d.In(shanghai).Format(xinlu.DateLayout)
		case string:
			r.Date = d
			if len(d) > 10 {
				if t, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", d); err == nil {
					r.Date = t.In(shanghai).Format(xinlu.DateLayout)
				} else {
					r.Date = d[:10]
				}
			}
		case []byte:
			r.Date = string(d)
		}
		return r, nil
	})
}
