package store

import (
	"context"
	"strings"

	"xinlu/internal/xinlu"
)

// Summary rows (lead_counts, project_counts) hold each zone's counts per
// status, industry and stage, kept by triggers in the transaction that
// changes the counted rows, on both engines. A list total or the kanban
// whose filters are only these dimensions reads a few summary rows instead
// of counting the zone's records; any other filter counts the records.

// leadSummaryTotal answers the total of a lead list from lead_counts when
// f's filters allow it (ok false: count the leads instead).
func (s *Store) leadSummaryTotal(ctx context.Context, f LeadFilter) (n int, ok bool, err error) {
	if f.ReporterID != 0 || f.ReportedYear != 0 || f.dueTo != "" || strings.TrimSpace(f.Query) != "" {
		return 0, false, nil
	}
	var where []string
	var args []any
	switch f.Scope.Scope {
	case xinlu.ScopeZone:
		where, args = append(where, "zone_id = ?"), append(args, f.Scope.ZoneID)
	case xinlu.ScopeAllZones:
	default:
		return 0, false, nil
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Industry != "" {
		where, args = append(where, "industry = ?"), append(args, f.Industry)
	}
	q := `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM lead_counts`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	if err := s.queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, false, xinlu.Internal(err)
	}
	return n, true, nil
}

// projectSummaryWhere is the condition on project_counts that selects the
// projects f lists, when f filters by zone, stage, status and industry only.
func projectSummaryWhere(f ProjectFilter) (string, []any, bool) {
	if f.ParkID != 0 || f.SponsorID != 0 || f.Light != "" || f.SixNew != "" || strings.TrimSpace(f.Query) != "" ||
		f.Signed != "" || f.SignedFrom != "" || f.SignedTo != "" || f.Reached != "" {
		return "", nil, false
	}
	var where []string
	var args []any
	if f.ZoneID != 0 {
		where, args = append(where, "zone_id = ?"), append(args, f.ZoneID)
	}
	if f.Stage != "" {
		where, args = append(where, "stage = ?"), append(args, string(f.Stage))
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Industry != "" {
		where, args = append(where, "industry = ?"), append(args, f.Industry)
	}
	if len(where) == 0 {
		return "", nil, true
	}
	return " WHERE " + strings.Join(where, " AND "), args, true
}

// summedYuan is the saturated BIGINT of a sum of the summary's yuan column
// (see sumYuan).
var summedYuan = sumYuan("yuan")

// projectSummaryTotals answers the ledger's total, the sum of the known
// total investments and the count of unknown ones from project_counts when
// f allows it.
func (s *Store) projectSummaryTotals(ctx context.Context, f ProjectFilter) (n int, yuan int64, unknown int, ok bool, err error) {
	cond, args, ok := projectSummaryWhere(f)
	if !ok {
		return 0, 0, 0, false, nil
	}
	err = s.queryRow(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT), COALESCE(`+summedYuan+`, 0),
		CAST(COALESCE(SUM(n - known), 0) AS BIGINT) FROM project_counts`+cond, args...).Scan(&n, &yuan, &unknown)
	if err != nil {
		return 0, 0, 0, false, xinlu.Internal(err)
	}
	return n, yuan, unknown, true, nil
}

// kanban counts and sums the zone's moving projects by stage from
// project_counts (zoneID 0: every zone), in stage order, every stage present.
func (s *Store) kanban(ctx context.Context, zoneID int64) ([]KanbanColumn, error) {
	q, args := `SELECT stage, CAST(SUM(n) AS BIGINT), COALESCE(`+summedYuan+`, 0), CAST(SUM(n - known) AS BIGINT) FROM project_counts
		WHERE status IN ('active', 'on_hold')`, []any{}
	if zoneID != 0 {
		q += ` AND zone_id = ?`
		args = append(args, zoneID)
	}
	rows, err := s.query(ctx, q+` GROUP BY stage`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	by := map[xinlu.Stage]KanbanColumn{}
	for rows.Next() {
		var c KanbanColumn
		var stage string
		if err := rows.Scan(&stage, &c.Count, &c.Yuan, &c.Unknown); err != nil {
			return nil, xinlu.Internal(err)
		}
		c.Stage = xinlu.Stage(stage)
		by[c.Stage] = c
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	out := make([]KanbanColumn, len(xinlu.Stages))
	for i, st := range xinlu.Stages {
		c := by[st]
		c.Stage = st
		out[i] = c
	}
	return out, nil
}
