package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xinlu/internal/xinlu"
)

// The cockpit (驾驶舱) reads its figures from cockpit_months, the summary
// rows triggers keep per zone, month, measure and dimension (migration
// 0062), never from the pipeline's records: a few hundred summary rows per
// request whatever the number of leads and projects.

// CockpitCell is one summary figure: how many records, and the amounts
// they carry (signed: contracted and fixed-asset; funds: the amount).
type CockpitCell struct {
	N, Yuan, Fixed int64
}

func (c *CockpitCell) add(o CockpitCell) {
	c.N += o.N
	c.Yuan, c.Fixed = xinlu.AddYuan(c.Yuan, o.Yuan), xinlu.AddYuan(c.Fixed, o.Fixed)
}

// CockpitMonth is one month's figures of every measure (dimension ”).
type CockpitMonth struct {
	Month    string // YYYY-MM
	Measures map[string]CockpitCell
}

// CockpitSummary is what the summary rows say about a zone and a year.
type CockpitSummary struct {
	Year     int
	ThisYear map[string]CockpitCell // by measure: lead, created, signed, started, produced, funds
	LastYear map[string]CockpitCell
	// Months are the 24 months up to the year's last (or today's month in
	// the current year), oldest first, every month present.
	Months []CockpitMonth
	// Breakdown of the year by measure, dimension and key.
	Breakdown map[string]map[string]map[string]CockpitCell
	// Days of the year's and last year's transitions: working days → count,
	// by transition (accept, sign, start, produce).
	DaysThisYear, DaysLastYear map[string]map[int]int
}

func monthKey(y int, m time.Month) string { return fmt.Sprintf("%04d-%02d", y, int(m)) }

// CockpitSummary reads a zone's summary rows for a year in one read of
// three ranges of the primary key: the totals of the last 24 months and of
// the year and the one before, the year's breakdowns, and the working days
// of both years' transitions.
func (s *Store) CockpitSummary(ctx context.Context, zoneID int64, year int) (*CockpitSummary, error) {
	out := &CockpitSummary{Year: year, ThisYear: map[string]CockpitCell{}, LastYear: map[string]CockpitCell{},
		Breakdown:    map[string]map[string]map[string]CockpitCell{},
		DaysThisYear: map[string]map[int]int{}, DaysLastYear: map[string]map[int]int{}}
	today := s.today()
	end := time.Date(year, 12, 1, 0, 0, 0, 0, time.UTC)
	if year == today.Year() {
		end = time.Date(year, today.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	start := end.AddDate(0, -23, 0)
	from := monthKey(year-1, 1)
	if k := monthKey(start.Year(), start.Month()); k < from {
		from = k
	}
	thisFrom, thisTo := monthKey(year, 1), monthKey(year, 12)
	lastFrom, lastTo := monthKey(year-1, 1), monthKey(year-1, 12)
	// One read of three ranges of the key: the totals (dimension ”) of
	// the months shown, the year's breakdowns (one row per key: the key
	// is unique within a year), and both years' transition days.
	months := map[string]map[string]CockpitCell{}
	ys, lys := strconv.Itoa(year), strconv.Itoa(year-1)
	rows, err := s.query(ctx, `SELECT dim, month, measure, key, n, `+clampYuan("yuan")+`, `+clampYuan("fixed")+` FROM cockpit_months
			WHERE zone_id = ? AND dim = '' AND month >= ? AND month <= ? AND key = ''
		UNION ALL SELECT dim, month, measure, key, n, `+clampYuan("yuan")+`, `+clampYuan("fixed")+` FROM cockpit_months
			WHERE zone_id = ? AND dim IN ('industry', 'park', 'sponsor', 'six_new', 'reporter') AND month = ?
		UNION ALL SELECT dim, month, measure, key, n, 0, 0 FROM cockpit_months WHERE zone_id = ? AND dim = 'days' AND month IN (?, ?)`,
		zoneID, from, thisTo, zoneID, ys, zoneID, lys, ys)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	err = each(rows, func(sc scanner) error {
		var dim, month, measure, key string
		var c CockpitCell
		if err := sc.Scan(&dim, &month, &measure, &key, &c.N, &c.Yuan, &c.Fixed); err != nil {
			return err
		}
		switch dim {
		case "":
			if months[month] == nil {
				months[month] = map[string]CockpitCell{}
			}
			months[month][measure] = c
			switch {
			case month >= thisFrom && month <= thisTo:
				t := out.ThisYear[measure]
				t.add(c)
				out.ThisYear[measure] = t
			case month >= lastFrom && month <= lastTo:
				t := out.LastYear[measure]
				t.add(c)
				out.LastYear[measure] = t
			}
		case "days":
			days, err := strconv.Atoi(key)
			if err != nil || c.N == 0 {
				return nil
			}
			by := out.DaysLastYear
			if month == ys {
				by = out.DaysThisYear
			}
			if by[measure] == nil {
				by[measure] = map[int]int{}
			}
			by[measure][days] += int(c.N)
		default:
			if c.N == 0 && c.Yuan == 0 {
				return nil
			}
			if out.Breakdown[measure] == nil {
				out.Breakdown[measure] = map[string]map[string]CockpitCell{}
			}
			if out.Breakdown[measure][dim] == nil {
				out.Breakdown[measure][dim] = map[string]CockpitCell{}
			}
			out.Breakdown[measure][dim][key] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		k := monthKey(m.Year(), m.Month())
		ms := months[k]
		if ms == nil {
			ms = map[string]CockpitCell{}
		}
		out.Months = append(out.Months, CockpitMonth{Month: k, Measures: ms})
	}
	return out, nil
}

// clampYuan is the BIGINT of an amount column summed in double precision,
// saturated at ±xinlu.MaxSumYuan (see sumYuan), for rows read one by one.
func clampYuan(col string) string {
	bound := strconv.FormatInt(xinlu.MaxSumYuan, 10)
	return "CAST(CASE WHEN " + col + " > " + bound + " THEN " + bound + " WHEN " + col + " < -" + bound + " THEN -" + bound +
		" ELSE " + col + " END AS BIGINT)"
}

// each calls fn for every row of rows and closes them.
func each(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}, fn func(scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return xinlu.Internal(err)
		}
	}
	if err := rows.Err(); err != nil {
		return xinlu.Internal(err)
	}
	return nil
}

// YearTargets reads a zone's targets for a year.
func (s *Store) YearTargets(ctx context.Context, zoneID int64, year int) (xinlu.YearTargets, error) {
	t := xinlu.YearTargets{Year: year, Values: map[xinlu.CockpitMeasure]int64{}}
	rows, err := s.query(ctx, `SELECT measure, value FROM cockpit_targets WHERE zone_id = ? AND year = ?`, zoneID, year)
	if err != nil {
		return t, xinlu.Internal(err)
	}
	err = each(rows, func(sc scanner) error {
		var m string
		var v int64
		if err := sc.Scan(&m, &v); err != nil {
			return err
		}
		t.Values[xinlu.CockpitMeasure(m)] = v
		return nil
	})
	return t, err
}

// SetYearTargets replaces a zone's targets for t.Year with t's (a measure
// left out has no target any more), audited with the old and new values.
// Saving the targets unchanged changes nothing and writes no audit row.
func (s *Store) SetYearTargets(ctx context.Context, a xinlu.Actor, zoneID int64, t xinlu.YearTargets) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old := map[string]int64{}
		rows, err := tx.query(ctx, `SELECT measure, value FROM cockpit_targets WHERE zone_id = ? AND year = ?`, zoneID, t.Year)
		if err != nil {
			return xinlu.Internal(err)
		}
		if err := each(rows, func(sc scanner) error {
			var m string
			var v int64
			if err := sc.Scan(&m, &v); err != nil {
				return err
			}
			old[m] = v
			return nil
		}); err != nil {
			return err
		}
		now := map[string]int64{}
		for m, v := range t.Values {
			now[string(m)] = v
		}
		same := len(old) == len(now)
		for m, v := range now {
			if ov, ok := old[m]; !ok || ov != v {
				same = false
			}
		}
		if same {
			return nil
		}
		if _, err := tx.exec(ctx, `DELETE FROM cockpit_targets WHERE zone_id = ? AND year = ?`, zoneID, t.Year); err != nil {
			return s.translate(err)
		}
		at := s.Now()
		for _, m := range xinlu.CockpitMeasures {
			v, ok := t.Values[m]
			if !ok {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO cockpit_targets (zone_id, year, measure, value, updated_by, updated_at) VALUES (?,?,?,?,?,?)`,
				zoneID, t.Year, string(m), v, a.UserID, at); err != nil {
				return s.translate(err)
			}
		}
		return tx.audit(ctx, a, "cockpit.targets", "year_targets", int64(t.Year),
			map[string]any{"year": t.Year, "targets": old}, map[string]any{"year": t.Year, "targets": now})
	})
}

// CockpitAlert is one kind of overdue or nearly due record (red and
// yellow): how many are red and yellow by the zone's light rules, and the
// most urgent ones with who is responsible and how many working days late.
type CockpitAlert struct {
	Kind        string // lead | project | approval | supervision
	Red, Yellow int
	Items       []CockpitAlertItem
}

// CockpitAlertItem is one red or yellow record.
type CockpitAlertItem struct {
	TodoItem
	DaysLate int // working days past due (red); 0 for yellow
}

// leadsOpenDue keeps the leads waiting for screening that have a
// deadline, written out as the partial index leads_open_due has it (the
// planners use a partial index only for a condition they can see is its
// own; cockpit_deadline_facts counts the same leads).
const leadsOpenDue = "l.status IN ('reported', 'screening', 'info_requested') AND l.screening_due <> ''"

// CockpitAlerts lists the zone's red and yellow leads (screening), active
// projects (their stage's deadline), open approval items and open
// supervision orders, up to limit of each, most overdue first. The counts
// come from the zone's deadline rows (cockpit_deadlines, kept by
// triggers), the items from the head of each kind's open-by-deadline
// index, all in one statement: the cost does not grow with the pipeline.
func (s *Store) CockpitAlerts(ctx context.Context, lt *Lights, limit int) ([]CockpitAlert, error) {
	today := lt.today.Format(xinlu.DateLayout)
	green := lt.rules.GreenFrom(lt.cal, lt.today).Format(xinlu.DateLayout)
	limit = max(limit, 0) // SQLite reads a negative limit as none
	// Per kind, the total (the row of the empty date) and the sums of the
	// rows due today or later, yellow (before the first green day) and
	// green; the late (red) are the total less those two. The statuses of
	// the lists are written out as in the partial indexes leads_open_due
	// and approval_items_open_due, which the planners use only for a
	// condition they can see is the index's; projects are read from
	// (zone_id, status, stage_due) past the empty deadlines.
	kinds := []string{"lead", "project", "approval", "supervision"}
	rows, err := s.query(ctx, `SELECT kind, due_on, n, 0, 0, '', '', '', '' FROM cockpit_deadlines
			WHERE zone_id = ? AND kind IN ('lead', 'project', 'approval', 'supervision') AND due_on = ''
		UNION ALL SELECT kind, CASE WHEN due_on < ? THEN 'yellow' ELSE 'green' END, CAST(SUM(n) AS BIGINT), 0, 0, '', '', '', '' FROM cockpit_deadlines
			WHERE zone_id = ? AND kind IN ('lead', 'project', 'approval', 'supervision') AND due_on >= ? GROUP BY 1, 2
		UNION ALL SELECT * FROM (SELECT 'lead:', l.screening_due, 0, l.id, l.id, l.project_name, l.company, m.name, l.status FROM leads l
			JOIN members m ON m.id = l.reporter_id WHERE l.zone_id = ? AND `+leadsOpenDue+`
			AND l.screening_due < ? ORDER BY l.screening_due, l.id LIMIT ?) ls
		UNION ALL SELECT * FROM (SELECT 'project:', p.stage_due, 0, p.id, p.id, p.name, p.company, COALESCE(m.name, ''), p.stage FROM projects p
			LEFT JOIN members m ON m.id = p.sponsor_id WHERE p.zone_id = ? AND p.status = 'active' AND p.stage_due > '' AND p.stage_due < ?
			ORDER BY p.stage_due, p.id LIMIT ?) ps
		UNION ALL SELECT * FROM (SELECT 'approval:', a.due_on, 0, a.id, a.project_id, a.name, p.name, COALESCE(m.name, ''), a.status FROM approval_items a
			JOIN projects p ON p.id = a.project_id LEFT JOIN members m ON m.id = a.agent_id
			WHERE a.zone_id = ? AND a.status IN ('preparing', 'submitted', 'correction') AND a.due_on <> '' AND a.due_on < ? AND p.status <> 'lost'
			ORDER BY a.due_on, a.id LIMIT ?) aps
		UNION ALL SELECT * FROM (SELECT 'supervision:', o.due_on, 0, o.id, o.project_id, o.task, p.name, COALESCE(m.name, ''), '' FROM supervision_orders o
			JOIN projects p ON p.id = o.project_id LEFT JOIN members m ON m.id = o.assignee_id
			WHERE o.zone_id = ? AND o.closed_on = '' AND o.due_on < ? ORDER BY o.due_on, o.id LIMIT ?) os`,
		lt.zone, green, lt.zone, today, lt.zone, green, limit, lt.zone, green, limit, lt.zone, green, limit, lt.zone, green, limit)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	out := make([]CockpitAlert, len(kinds))
	at := map[string]*CockpitAlert{}
	for i, k := range kinds {
		out[i].Kind = k
		at[k] = &out[i]
		at[k+":"] = &out[i]
	}
	err = each(rows, func(sc scanner) error {
		var kind, due string
		var n int
		var it CockpitAlertItem
		if err := sc.Scan(&kind, &due, &n, &it.ID, &it.LinkID, &it.Name, &it.Of, &it.Who, &it.Status); err != nil {
			return err
		}
		a := at[kind]
		switch {
		case a == nil:
			return nil
		case strings.HasSuffix(kind, ":"): // an item
			it.Due = due
			it.Light = lt.rules.Light(lt.cal, it.Due, lt.today)
			if it.Due < today {
				d, _ := xinlu.ParseDate(it.Due)
				it.DaysLate = lt.cal.WorkdaysBetween(d, lt.today)
			}
			a.Items = append(a.Items, it)
		case due == "":
			a.Red += n
		case due == "yellow":
			a.Red -= n
			a.Yellow += n
		default: // green
			a.Red -= n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Red+out[i].Yellow == 0 {
			out[i].Items = nil
		}
		slices.SortFunc(out[i].Items, func(a, b CockpitAlertItem) int {
			return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.ID, b.ID))
		})
	}
	return out, nil
}

// CockpitPerson is a member's (or a department's) figures of the year:
// leads reported (credited to the reporter), projects signed and their
// contracted amount, and the funds put in place in the year (credited to
// the project's sponsor, as the signed amount is).
type CockpitPerson struct {
	ID           int64
	Name         string
	DepartmentID int64
	Leads        int64
	Signed       int64
	ContractYuan int64
	FundsYuan    int64
}

// CockpitPeople turns the year's reporter and sponsor breakdowns into
// members' and departments' figures, by the members' current departments;
// every member with a figure is listed, the most leads first.
// names has the name of every member of the zone, for the breakdown by
// sponsor.
func (s *Store) CockpitPeople(ctx context.Context, zoneID int64, sum *CockpitSummary) (members, departments []CockpitPerson, names map[int64]string, err error) {
	by := map[int64]*CockpitPerson{}
	get := func(key string) *CockpitPerson {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil || id == 0 {
			return nil
		}
		if by[id] == nil {
			by[id] = &CockpitPerson{ID: id}
		}
		return by[id]
	}
	for k, c := range sum.Breakdown["lead"]["reporter"] {
		if p := get(k); p != nil {
			p.Leads += c.N
		}
	}
	for k, c := range sum.Breakdown["signed"]["sponsor"] {
		if p := get(k); p != nil {
			p.Signed += c.N
			p.ContractYuan = xinlu.AddYuan(p.ContractYuan, c.Yuan)
		}
	}
	for k, c := range sum.Breakdown["funds"]["sponsor"] {
		if p := get(k); p != nil {
			p.FundsYuan = xinlu.AddYuan(p.FundsYuan, c.Yuan)
		}
	}
	names = map[int64]string{}
	rows, err := s.query(ctx, `SELECT m.id, m.name, COALESCE(m.department_id, 0), COALESCE(d.name, '') FROM members m
		LEFT JOIN departments d ON d.id = m.department_id WHERE m.zone_id = ?`, zoneID)
	if err != nil {
		return nil, nil, nil, xinlu.Internal(err)
	}
	depts := map[int64]*CockpitPerson{}
	err = each(rows, func(sc scanner) error {
		var id, dept int64
		var name, dname string
		if err := sc.Scan(&id, &name, &dept, &dname); err != nil {
			return err
		}
		names[id] = name
		p := by[id]
		if p == nil {
			return nil
		}
		p.Name, p.DepartmentID = name, dept
		if dept != 0 {
			d := depts[dept]
			if d == nil {
				d = &CockpitPerson{ID: dept, Name: dname, DepartmentID: dept}
				depts[dept] = d
			}
			d.Leads += p.Leads
			d.Signed += p.Signed
			d.ContractYuan = xinlu.AddYuan(d.ContractYuan, p.ContractYuan)
			d.FundsYuan = xinlu.AddYuan(d.FundsYuan, p.FundsYuan)
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, p := range by {
		if p.Name != "" {
			members = append(members, *p)
		}
	}
	for _, d := range depts {
		departments = append(departments, *d)
	}
	order := func(ps []CockpitPerson) {
		sortPeople(ps)
	}
	order(members)
	order(departments)
	return members, departments, names, nil
}

func sortPeople(ps []CockpitPerson) {
	slices.SortFunc(ps, func(a, b CockpitPerson) int {
		if c := cmp.Compare(b.Leads, a.Leads); c != 0 {
			return c
		}
		if c := cmp.Compare(b.ContractYuan, a.ContractYuan); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// CockpitBands is the band distribution of the zone's latest published
// appraisal period (publication or later): members per band.
type CockpitBands struct {
	PeriodID int64
	Label    string
	Bands    map[xinlu.Band]int
}

// PublishedStates are the period states whose results the zone has seen.
var PublishedStates = []xinlu.PeriodState{xinlu.PeriodPublication, xinlu.PeriodRecheck, xinlu.PeriodFinal, xinlu.PeriodApplied, xinlu.PeriodArchived}

// CockpitAppraisal counts the latest published period's results by band;
// nil when the zone has published none.
func (s *Store) CockpitAppraisal(ctx context.Context, zoneID int64) (*CockpitBands, error) {
	out := &CockpitBands{Bands: map[xinlu.Band]int{}}
	args := []any{zoneID}
	marks := ""
	for i, st := range PublishedStates {
		if i > 0 {
			marks += ", "
		}
		marks += "?"
		args = append(args, string(st))
	}
	err := s.queryRow(ctx, `SELECT id, label FROM appraisal_periods WHERE zone_id = ? AND state IN (`+marks+`)
		ORDER BY ends_on DESC, id DESC LIMIT 1`, args...).Scan(&out.PeriodID, &out.Label)
	if err != nil {
		if xinlu.ErrorCode(s.translate(err)) == xinlu.ENOTFOUND {
			return nil, nil
		}
		return nil, xinlu.Internal(err)
	}
	rows, err := s.query(ctx, `SELECT band, COUNT(*) FROM appraisal_results WHERE period_id = ? GROUP BY band`, out.PeriodID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	err = each(rows, func(sc scanner) error {
		var band string
		var n int
		if err := sc.Scan(&band, &n); err != nil {
			return err
		}
		out.Bands[xinlu.Band(band)] = n
		return nil
	})
	return out, err
}

// CockpitPark is one park's land and utility headroom: the area of its
// parcels on offer (serviced or listed) and taken (sold or in use), and per
// utility kind the capacity and what is free today.
type CockpitPark struct {
	ID       int64
	Name     string
	OfferMu  float64
	TakenMu  float64
	Capacity map[xinlu.UtilityKind]float64
	Free     map[xinlu.UtilityKind]float64
}

// CockpitFactors are the factor figures: each park's land and utility
// headroom, and the casting capacity registered and retired (tonnes per
// year; verified: the retirement checked on site).
type CockpitFactors struct {
	Parks                                          []CockpitPark
	CastingActive, CastingRetired, CastingVerified float64
}

// CockpitFactorsOf reads a zone's factor figures on today: the parks, the
// parcels counted by park and status, the utilities and the casting
// register (all small: a zone has a few parks and enterprises).
func (s *Store) CockpitFactorsOf(ctx context.Context, zoneID int64) (*CockpitFactors, error) {
	out := &CockpitFactors{}
	parks, _, err := s.ListParks(ctx, ParkFilter{ZoneID: zoneID, Page: xinlu.Page{Page: 1, PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	index := map[int64]int{}
	for _, p := range parks {
		index[p.ID] = len(out.Parks)
		out.Parks = append(out.Parks, CockpitPark{ID: p.ID, Name: p.Name, Capacity: map[xinlu.UtilityKind]float64{}, Free: map[xinlu.UtilityKind]float64{}})
	}
	counts, err := s.ParcelCounts(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	for _, c := range counts {
		i, ok := index[c.ParkID]
		if !ok {
			continue
		}
		switch c.Status {
		case xinlu.ParcelServiced, xinlu.ParcelListed:
			out.Parks[i].OfferMu += c.AreaMu
		case xinlu.ParcelSold, xinlu.ParcelInUse:
			out.Parks[i].TakenMu += c.AreaMu
		}
	}
	us, err := s.Utilities(ctx, zoneID, 0)
	if err != nil {
		return nil, err
	}
	today := s.today().Format(xinlu.DateLayout)
	for _, u := range us {
		if i, ok := index[u.ParkID]; ok {
			out.Parks[i].Capacity[u.Kind] += u.CapacityAt(today)
			out.Parks[i].Free[u.Kind] += u.FreeAt(today)
		}
	}
	cs, err := s.CastingRegister(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		switch c.Status {
		case xinlu.CastingRetired:
			out.CastingRetired += c.Tonnes
			if c.Verified {
				out.CastingVerified += c.Tonnes
			}
		default:
			out.CastingActive += c.Tonnes
		}
	}
	return out, nil
}

// CockpitZoneYear is one zone's figures of a year for the roll-up: the
// year's totals by measure, each month's (1–12) by measure, and how many of
// its active projects are red (past their stage's deadline today).
type CockpitZoneYear struct {
	ZoneID      int64
	Totals      map[string]CockpitCell
	Months      map[string][12]CockpitCell
	RedProjects int
}

// CockpitRollup reads the year's summary rows of every zone (zoneID 0) or
// one, in one read of the primary key's dimension-” rows, and the red
// projects per zone from their deadline rows.
func (s *Store) CockpitRollup(ctx context.Context, zoneIDs []int64, year int) (map[int64]*CockpitZoneYear, error) {
	out := map[int64]*CockpitZoneYear{}
	get := func(z int64) *CockpitZoneYear {
		if out[z] == nil {
			out[z] = &CockpitZoneYear{ZoneID: z, Totals: map[string]CockpitCell{}, Months: map[string][12]CockpitCell{}}
		}
		return out[z]
	}
	if len(zoneIDs) == 0 {
		return out, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(zoneIDs)), ", ")
	args := []any{}
	for _, z := range zoneIDs {
		args = append(args, z)
	}
	rows, err := s.query(ctx, `SELECT zone_id, month, measure, n, `+clampYuan("yuan")+`, `+clampYuan("fixed")+` FROM cockpit_months
		WHERE zone_id IN (`+marks+`) AND dim = '' AND month >= ? AND month <= ? AND key = ''`,
		append(args, monthKey(year, 1), monthKey(year, 12))...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	err = each(rows, func(sc scanner) error {
		var z int64
		var month, measure string
		var c CockpitCell
		if err := sc.Scan(&z, &month, &measure, &c.N, &c.Yuan, &c.Fixed); err != nil {
			return err
		}
		zy := get(z)
		t := zy.Totals[measure]
		t.add(c)
		zy.Totals[measure] = t
		m, err := strconv.Atoi(month[5:])
		if err != nil || m < 1 || m > 12 {
			return nil
		}
		ms := zy.Months[measure]
		ms[m-1].add(c)
		zy.Months[measure] = ms
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = s.query(ctx, `SELECT zone_id, CAST(SUM(CASE WHEN due_on = '' THEN n ELSE -n END) AS BIGINT) FROM cockpit_deadlines
		WHERE zone_id IN (`+marks+`) AND kind = 'project' AND (due_on = '' OR due_on >= ?) GROUP BY zone_id`,
		append(args[:len(zoneIDs):len(zoneIDs)], s.today().Format(xinlu.DateLayout))...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	err = each(rows, func(sc scanner) error {
		var z int64
		var n int
		if err := sc.Scan(&z, &n); err != nil {
			return err
		}
		get(z).RedProjects = n
		return nil
	})
	return out, err
}

// minuteTTL is how long the cockpit reuses a figure that is worked out
// from many records rather than kept in summary rows (the 四高 indicators,
// the zones' self-assessment scores): such figures move by the month, so a
// minute old is fresh enough. Only the first request for a figure waits
// for it; when it is older than minuteTTL, it is read again in the
// background while requests are answered from the entry.
const minuteTTL = time.Minute

type minuteCache struct {
	mu      sync.Mutex
	entries map[string]*minuteEntry
}

type minuteEntry struct {
	ready      chan struct{} // closed once val is first read
	val        any
	err        error
	at         time.Time
	refreshing bool
}

// cachedForAMinute answers read's value under key, read at most once per
// minuteTTL in this process (see minuteTTL). read gets a context that
// does not end with the request's, as a refresh outlives it.
func (s *Store) cachedForAMinute(ctx context.Context, key string, read func(ctx context.Context) (any, error)) (any, error) {
	ctx = context.WithoutCancel(ctx)
	c := &s.minute
	c.mu.Lock()
	if c.entries == nil || len(c.entries) > 4096 {
		c.entries = map[string]*minuteEntry{}
	}
	e := c.entries[key]
	if e == nil {
		e = &minuteEntry{ready: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		val, err := read(ctx)
		c.mu.Lock()
		e.val, e.err, e.at = val, err, time.Now()
		if err != nil && c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
		close(e.ready)
		return val, err
	}
	if !e.at.IsZero() && time.Since(e.at) >= minuteTTL && !e.refreshing && s.background.start() {
		e.refreshing = true
		go func() {
			defer s.background.wg.Done()
			val, err := read(ctx)
			c.mu.Lock()
			defer c.mu.Unlock()
			e.refreshing = false
			if err == nil {
				e.val, e.at = val, time.Now()
			}
		}()
	}
	c.mu.Unlock()
	<-e.ready
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.val, e.err
}

// forgetCached drops the entries whose key starts with prefix, so that the
// next read is fresh (after a write the cockpit shows at once).
func (s *Store) forgetCached(prefix string) {
	c := &s.minute
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if strings.HasPrefix(k, prefix) {
			delete(c.entries, k)
		}
	}
}

// CockpitRecord is one record of a cockpit figure's list: a payment of
// funds in place, an approval item or a supervision order.
type CockpitRecord struct {
	ID        int64
	ProjectID int64
	Name      string // the approval item's or order's task; the funds' note
	Project   string
	Who       string // the project's sponsor (funds), the agent or the assignee
	Date      string // the funds' date, the item's or order's due date
	Yuan      int64
	Light     xinlu.Light // approval items and orders: red or yellow
	DaysLate  int
}

// CockpitRecordFilter selects the records behind one figure: the funds put
// in place in Year (of SponsorID's projects when set), or the open approval
// items or supervision orders that are red or yellow today (Light: red,
// yellow, or both when empty), as CockpitAlerts counts them.
type CockpitRecordFilter struct {
	Kind      string // funds | approval | supervision
	Year      int
	SponsorID int64
	Light     xinlu.Light
	Page      xinlu.Page
}

// CockpitRecords lists the records a cockpit figure counts, with their
// total and (funds) their amount summed: the list's total is the figure.
func (s *Store) CockpitRecords(ctx context.Context, lt *Lights, f CockpitRecordFilter) ([]CockpitRecord, int, int64, error) {
	today := lt.today.Format(xinlu.DateLayout)
	green := lt.rules.GreenFrom(lt.cal, lt.today).Format(xinlu.DateLayout)
	var from, where, order string
	args := []any{lt.zone}
	due := ""
	switch f.Kind {
	case "funds":
		from = `FROM funds_in_place x JOIN projects p ON p.id = x.project_id LEFT JOIN members m ON m.id = p.sponsor_id`
		where = ` WHERE x.zone_id = ? AND x.on_date >= ? AND x.on_date < ?`
		args = append(args, monthKey(f.Year, 1), monthKey(f.Year+1, 1))
		if f.SponsorID != 0 {
			where += ` AND p.sponsor_id = ?`
			args = append(args, f.SponsorID)
		}
		order = ` ORDER BY x.on_date, x.id`
	case "approval":
		due = "x.due_on"
		from = `FROM approval_items x JOIN projects p ON p.id = x.project_id LEFT JOIN members m ON m.id = x.agent_id`
		where = ` WHERE x.zone_id = ? AND x.status IN (?, ?, ?) AND x.due_on <> '' AND p.status <> ?`
		args = append(args, ApprovalPreparing, ApprovalSubmitted, ApprovalCorrection, string(xinlu.ProjectLost))
	case "supervision":
		due = "x.due_on"
		from = `FROM supervision_orders x JOIN projects p ON p.id = x.project_id LEFT JOIN members m ON m.id = x.assignee_id`
		where = ` WHERE x.zone_id = ? AND x.closed_on = ''`
	default:
		return nil, 0, 0, xinlu.NotFound("error.not_found")
	}
	if due != "" {
		switch f.Light {
		case xinlu.LightRed:
			where += ` AND ` + due + ` < ?`
			args = append(args, today)
		case xinlu.LightYellow:
			where += ` AND ` + due + ` >= ? AND ` + due + ` < ?`
			args = append(args, today, green)
		default:
			where += ` AND ` + due + ` < ?`
			args = append(args, green)
		}
		order = ` ORDER BY ` + due + `, x.id`
	}
	var total int
	var sum int64
	amount := "0"
	if f.Kind == "funds" {
		amount = "COALESCE(" + sumYuan("x.amount_yuan") + ", 0)"
	}
	if err := s.queryRow(ctx, `SELECT COUNT(*), `+amount+` `+from+where, args...).Scan(&total, &sum); err != nil {
		return nil, 0, 0, xinlu.Internal(err)
	}
	cols := `SELECT x.id, x.project_id, x.note, p.name, COALESCE(m.name, ''), x.on_date, x.amount_yuan `
	switch f.Kind {
	case "approval":
		cols = `SELECT x.id, x.project_id, x.name, p.name, COALESCE(m.name, ''), x.due_on, 0 `
	case "supervision":
		cols = `SELECT x.id, x.project_id, x.task, p.name, COALESCE(m.name, ''), x.due_on, 0 `
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, cols+from+where+order+s.pageSQL(pg), append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, func(sc scanner) (CockpitRecord, error) {
		var r CockpitRecord
		err := sc.Scan(&r.ID, &r.ProjectID, &r.Name, &r.Project, &r.Who, &r.Date, &r.Yuan)
		if due != "" {
			r.Light = lt.rules.Light(lt.cal, r.Date, lt.today)
			if r.Date < today {
				d, _ := xinlu.ParseDate(r.Date)
				r.DaysLate = lt.cal.WorkdaysBetween(d, lt.today)
			}
		}
		return r, err
	})
	return out, total, sum, err
}

// CockpitIndicators are the zone's transformation targets of a year (四高
// and the industry structure) with their latest actual and progress, as
// the targets page works them out; computed indicators for the latest
// month only. Read at most once a minute per zone and process (see
// minuteTTL): the computed ones read the year's projects; writing an
// indicator, a target or an actual reads them afresh.
func (s *Store) CockpitIndicators(ctx context.Context, zoneID int64, year int) ([]TargetRow, error) {
	key := fmt.Sprintf("indicators/%d/%d/%s", zoneID, year, s.today().Format(xinlu.DateLayout))
	v, err := s.cachedForAMinute(ctx, key, func(ctx context.Context) (any, error) { return s.targets(ctx, zoneID, year, true) })
	out, _ := v.([]TargetRow)
	return out, err
}

// ZoneStamp says where the zone's audit chain and the system's stand (the
// place of each newest row). Every write is audited in its own
// transaction, so while the stamp is the same, nothing of the zone has
// changed, on this server or any other.
func (s *Store) ZoneStamp(ctx context.Context, zoneID int64) (string, error) {
	var zone, system int64
	err := s.queryRow(ctx, `SELECT (SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE zone_id = ?),
		(SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE zone_id = 0)`, zoneID).Scan(&zone, &system)
	if err != nil {
		return "", xinlu.Internal(err)
	}
	return strconv.FormatInt(zone, 10) + "/" + strconv.FormatInt(system, 10), nil
}

// InstallStamp says where the whole install's audit log stands (its newest
// row): while it is the same, nothing has changed in any zone.
func (s *Store) InstallStamp(ctx context.Context) (string, error) {
	var id int64
	if err := s.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&id); err != nil {
		return "", xinlu.Internal(err)
	}
	return strconv.FormatInt(id, 10), nil
}

// stampedCache keeps one value per key with the stamp it was built at, and
// the build under way per key, which callers with its stamp wait for.
type stampedCache struct {
	mu       sync.Mutex
	entries  map[string]stampedEntry
	building map[string]*stampedBuild
}

type stampedEntry struct {
	stamp string
	val   any
}

type stampedBuild struct {
	stamp string
	done  chan struct{}
	val   any
	err   error
}

// CachedByStamp answers the value kept under key if it was built at stamp,
// else build's, kept for the next caller with the same stamp; callers
// asking with the stamp of a build under way wait for it rather than build
// too. The value is shared between callers: they must not change it.
func (s *Store) CachedByStamp(key, stamp string, build func() (any, error)) (any, error) {
	c := &s.stamped
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && e.stamp == stamp {
		c.mu.Unlock()
		return e.val, nil
	}
	if b := c.building[key]; b != nil && b.stamp == stamp {
		c.mu.Unlock()
		<-b.done
		return b.val, b.err
	}
	if c.entries == nil || len(c.entries) > 4096 {
		c.entries = map[string]stampedEntry{}
	}
	if c.building == nil {
		c.building = map[string]*stampedBuild{}
	}
	b := &stampedBuild{stamp: stamp, done: make(chan struct{})}
	c.building[key] = b
	c.mu.Unlock()
	func() {
		defer func() { // a panic fails this build, not its waiters forever
			if r := recover(); r != nil {
				b.val, b.err = nil, xinlu.Internal(fmt.Errorf("panic in a cached build: %v", r))
			}
		}()
		b.val, b.err = build()
	}()
	c.mu.Lock()
	if c.building[key] == b {
		delete(c.building, key)
	}
	if b.err == nil {
		c.entries[key] = stampedEntry{stamp: stamp, val: b.val}
	}
	c.mu.Unlock()
	close(b.done)
	return b.val, b.err
}
