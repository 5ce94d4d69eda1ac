package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// ProjectPerformance is one signed project's contract performance.
type ProjectPerformance struct {
	ID          int64
	ZoneID      int64
	Code        string
	Name        string
	Industry    string
	SponsorID   int64
	SponsorName string
	xinlu.Commitment
	xinlu.Performance
}

// PerformanceGroup is the summary of one industry or one sponsor.
type PerformanceGroup struct {
	Key  string // industry code, or the sponsor's id ("0": none)
	ID   int64  // the sponsor's id; 0 for industries and for no sponsor
	Name string // the sponsor's name; "" for industries
	xinlu.PerformanceSummary
}

// PerformanceReport is the contract performance of a zone's signed
// projects (lost ones left out) as of a day: per project, per industry (in
// the order of xinlu.Industries), per sponsor (by name; no sponsor last)
// and in total.
type PerformanceReport struct {
	AsOf       string
	Projects   []ProjectPerformance
	ByIndustry []PerformanceGroup
	BySponsor  []PerformanceGroup
	Total      xinlu.PerformanceSummary
}

// Performance loads a zone's signed projects that are not lost, with their
// funds in place up to asOf summed in SQL, in one query, and their funds
// schedules in another, and measures them (xinlu.Perform) as of asOf.
// zoneID 0 is every zone (the viewer role).
func (s *Store) Performance(ctx context.Context, zoneID int64, asOf time.Time) (*PerformanceReport, error) {
	day := asOf.Format(xinlu.DateLayout)
	schedules, err := s.performanceSchedules(ctx, zoneID, day)
	if err != nil {
		return nil, err
	}
	q := `SELECT p.id, p.zone_id, p.code, p.name, p.industry, COALESCE(p.sponsor_id, 0), COALESCE(m.name, ''),
		p.stage, p.status, p.signed_on, p.contract_yuan, p.promised_start, p.promised_produce, p.started_on, p.produced_on,
		COALESCE(f.yuan, 0)
		FROM projects p
		LEFT JOIN members m ON m.id = p.sponsor_id
		LEFT JOIN (SELECT project_id, ` + sumYuan("amount_yuan") + ` AS yuan FROM funds_in_place WHERE on_date <= ?%s GROUP BY project_id) f ON f.project_id = p.id
		WHERE p.signed_on <> '' AND p.signed_on <= ? AND p.status <> 'lost'`
	args := []any{day}
	if zoneID != 0 {
		q = fmt.Sprintf(q, ` AND zone_id = ?`) + ` AND p.zone_id = ?`
		args = append(args, zoneID, day, zoneID)
	} else {
		q = fmt.Sprintf(q, "")
		args = append(args, day)
	}
	rows, err := s.query(ctx, q+` ORDER BY p.signed_on, p.id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	rep := &PerformanceReport{AsOf: day}
	for rows.Next() {
		var p ProjectPerformance
		c := &p.Commitment
		var stage, status string
		if err := rows.Scan(&p.ID, &p.ZoneID, &p.Code, &p.Name, &p.Industry, &p.SponsorID, &p.SponsorName,
			&stage, &status, &c.SignedOn, &c.ContractYuan, &c.PromisedStart, &c.PromisedProduce, &c.StartedOn, &c.ProducedOn,
			&c.FundsYuan); err != nil {
			return nil, xinlu.Internal(err)
		}
		c.ProjectID, c.Stage, c.Status = p.ID, xinlu.Stage(stage), xinlu.ProjectStatus(status)
		c.Instalments = schedules[p.ID]
		p.Performance = xinlu.Perform(*c, asOf)
		if p.Counted {
			rep.Projects = append(rep.Projects, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	rep.group()
	return rep, nil
}

// performanceSchedules loads the funds schedules of the projects the report
// counts (signed by day, not lost), by project.
func (s *Store) performanceSchedules(ctx context.Context, zoneID int64, day string) (map[int64][]xinlu.Instalment, error) {
	q := `SELECT f.project_id, f.due_on, f.amount_yuan, f.note FROM funds_schedule f JOIN projects p ON p.id = f.project_id
		WHERE p.signed_on <> '' AND p.signed_on <= ? AND p.status <> 'lost'`
	args := []any{day}
	if zoneID != 0 {
		q += ` AND f.zone_id = ?`
		args = append(args, zoneID)
	}
	rows, err := s.query(ctx, q+` ORDER BY f.project_id, f.sort, f.id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	out := map[int64][]xinlu.Instalment{}
	for rows.Next() {
		var id int64
		var it xinlu.Instalment
		if err := rows.Scan(&id, &it.DueOn, &it.Yuan, &it.Note); err != nil {
			return nil, xinlu.Internal(err)
		}
		out[id] = append(out[id], it)
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	return out, nil
}

// group sums the projects per industry, per sponsor and in total.
func (rep *PerformanceReport) group() {
	industries := map[string]*PerformanceGroup{}
	sponsors := map[int64]*PerformanceGroup{}
	for _, p := range rep.Projects {
		rep.Total.Add(p.Performance)
		g := industries[p.Industry]
		if g == nil {
			g = &PerformanceGroup{Key: p.Industry}
			industries[p.Industry] = g
		}
		g.Add(p.Performance)
		sg := sponsors[p.SponsorID]
		if sg == nil {
			sg = &PerformanceGroup{Key: strconv.FormatInt(p.SponsorID, 10), ID: p.SponsorID, Name: p.SponsorName}
			sponsors[p.SponsorID] = sg
		}
		sg.Add(p.Performance)
	}
	for _, code := range xinlu.Industries {
		if g := industries[code]; g != nil {
			rep.ByIndustry = append(rep.ByIndustry, *g)
			delete(industries, code)
		}
	}
	rest := make([]string, 0, len(industries)) // codes no longer listed
	for code := range industries {
		rest = append(rest, code)
	}
	slices.Sort(rest)
	for _, code := range rest {
		rep.ByIndustry = append(rep.ByIndustry, *industries[code])
	}
	for _, g := range sponsors {
		rep.BySponsor = append(rep.BySponsor, *g)
	}
	slices.SortFunc(rep.BySponsor, func(a, b PerformanceGroup) int {
		if (a.ID == 0) != (b.ID == 0) {
			if a.ID == 0 {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
}
