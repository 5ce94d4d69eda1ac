package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"xinlu/internal/seal"
	"xinlu/internal/xinlu"
)

// leadField is the inventory entry of a leads column.
func leadField(column string) xinlu.PersonalField {
	for _, f := range xinlu.PersonalFieldsOf("leads") {
		if f.Column == column {
			return f
		}
	}
	panic("store: leads." + column + " is not in the personal-data inventory")
}

var leadPhone = leadField("contact_phone")

// leadAudit is what the audit log keeps of a lead: the contact phone masked.
func leadAudit(l *xinlu.Lead) map[string]any {
	return map[string]any{
		"company": l.Company, "project_name": l.ProjectName, "industry": l.Industry,
		"investment_yuan": l.InvestmentYuan, "channel": l.Channel, "contact_name": l.ContactName,
		"contact_phone": xinlu.MaskPhone(l.ContactPhone), "status": l.Status, "reason": l.Reason,
		"veto_ground": l.VetoGround, "veto_reason": l.VetoReason, "merged_into": l.MergedInto,
		"project_id": l.ProjectID, "reporter_id": l.ReporterID, "version": l.Version,
	}
}

// leadScope turns a data scope into a condition on leads aliased l: own is
// the leads the member reported, department the leads reported by members
// of the department and the ones beneath it, zone the zone's leads.
func leadScope(f xinlu.ScopeFilter) (string, []any) {
	own := func() (string, []any) {
		if f.MemberID == 0 {
			return "1 = 0", nil
		}
		return "(l.zone_id = ? AND l.reporter_id = ?)", []any{f.ZoneID, f.MemberID}
	}
	switch f.Scope {
	case xinlu.ScopeAllZones:
		return "1 = 1", nil
	case xinlu.ScopeZone:
		return "l.zone_id = ?", []any{f.ZoneID}
	case xinlu.ScopeDepartment:
		if f.DepartmentID == 0 {
			return own()
		}
		return "(l.zone_id = ? AND l.reporter_id IN (SELECT dm.id FROM members dm WHERE dm.department_id IN (" + subDepartments + ")))",
			[]any{f.ZoneID, f.DepartmentID}
	case xinlu.ScopeOwn:
		return own()
	}
	return "1 = 0", nil
}

// leadColumns are read by scanLead; the contact phone is the stored
// (sealed) value, opened by openLead only where it is shown.
const leadColumns = `l.id, l.zone_id, l.reporter_id, l.company, l.company_key, l.project_name, l.industry, l.investment_yuan,
	l.channel, l.contact_name, l.contact_phone, l.description, l.status, l.reason, l.veto_ground, l.veto_reason,
	COALESCE(l.merged_into, 0), COALESCE(l.project_id, 0), l.reported_at, l.screening_due, l.version, l.created_at, l.updated_at,
	COALESCE(m.name, '')`

// leadListColumns are the list's columns: no contact phone, which a list
// never shows.
const leadListColumns = `l.id, l.zone_id, l.reporter_id, l.company, l.company_key, l.project_name, l.industry, l.investment_yuan,
	l.channel, l.contact_name, '', '', l.status, l.reason, l.veto_ground, l.veto_reason,
	COALESCE(l.merged_into, 0), COALESCE(l.project_id, 0), l.reported_at, l.screening_due, l.version, l.created_at, l.updated_at,
	COALESCE(m.name, '')`

const leadFrom = ` FROM leads l LEFT JOIN members m ON m.id = l.reporter_id`

func scanLead(sc interface{ Scan(...any) error }) (*xinlu.Lead, error) {
	l := &xinlu.Lead{}
	var status string
	err := sc.Scan(&l.ID, &l.ZoneID, &l.ReporterID, &l.Company, &l.CompanyKey, &l.ProjectName, &l.Industry, &l.InvestmentYuan,
		&l.Channel, &l.ContactName, &l.ContactPhone, &l.Description, &status, &l.Reason, &l.VetoGround, &l.VetoReason,
		&l.MergedInto, &l.ProjectID, &l.ReportedAt, &l.ScreeningDue, &l.Version, &l.CreatedAt, &l.UpdatedAt, &l.ReporterName)
	l.Status = xinlu.LeadStatus(status)
	return l, err
}

// openLead decrypts the contact phone in place.
func (s *Store) openLead(l *xinlu.Lead) error {
	if !seal.IsSealed(l.ContactPhone) {
		return nil
	}
	v, err := openValue(s.Sealer(), leadPhone, l.ContactPhone)
	if err != nil {
		return err
	}
	l.ContactPhone = v
	return nil
}

// shanghaiDay is the date of t in the zone's time, at midnight UTC.
func shanghaiDay(t time.Time) time.Time {
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LeadToday is the date deadlines are reckoned from, for lights.
func (s *Store) LeadToday() time.Time { return s.today() }

// LeadCalendar returns the zone's working-day calendar (cached), for the
// lights of lead lists.
func (s *Store) LeadCalendar(ctx context.Context, zoneID int64) (*xinlu.Calendar, error) {
	return s.zoneCalendar(ctx, zoneID)
}

// --- reporting ---

// ReportLead records a lead reported by the actor's member record: any
// staff member reports; an account without a member record cannot. The
// system actor (seeding, imports) reports on behalf of l.ReporterID and may
// give l.ReportedAt. The contact phone is sealed with its keyed hash, the
// screening deadline is ScreeningWorkdays working days after the report,
// and an audit row is written in the same transaction. Files given are
// attached in the same transaction (checked as AddLeadFiles checks them:
// one bad file refuses the report). It returns the possible duplicates
// among the zone's other leads and its projects.
func (s *Store) ReportLead(ctx context.Context, a xinlu.Actor, l *xinlu.Lead, files ...xinlu.LeadFileUpload) ([]xinlu.Match, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	checked, err := checkLeadFiles(files)
	if err != nil {
		return nil, err
	}
	if l.ZoneID == 0 {
		l.ZoneID = a.ZoneID
	}
	if a.ZoneID != 0 && l.ZoneID != a.ZoneID {
		return nil, xinlu.Forbidden()
	}
	now := s.Now()
	if a.UserID != 0 || l.ReportedAt.IsZero() {
		l.ReportedAt = now
	}
	l.ReportedAt = l.ReportedAt.UTC().Truncate(time.Microsecond)
	// One read for what the report needs before its write: the
	// fingerprint of the zone's calendar (zoneCalendarFP), its screening
	// deadline, and the reporter: the signed-in user's member record, or
	// the one given; a member of the zone either way (read before the
	// write: the lead's reference to it holds it). On PostgreSQL the same
	// read takes the lead's id from its sequence, so that the write itself
	// needs no answer from the database (below).
	if a.UserID == 0 && l.ReporterID == 0 {
		return nil, &xinlu.Error{Code: xinlu.EFORBIDDEN, Key: "leads.no_member"}
	}
	var fp [3]int64
	var days, member, id sql.NullInt64
	var name sql.NullString
	queued := s.dialect == Postgres && len(checked) == 0
	cols := `c.n, c.v, c.mx, (SELECT screening_days FROM pipeline_settings WHERE zone_id = ?), r.member_id, r.name`
	if queued {
		cols += `, nextval(pg_get_serial_sequence('leads', 'id'))`
	}
	reporter, args := `SELECT u.member_id, m.name FROM users u LEFT JOIN members m ON m.id = u.member_id AND m.zone_id = u.zone_id
		WHERE u.id = ? AND u.zone_id = ?`, []any{l.ZoneID, a.UserID, l.ZoneID, l.ZoneID}
	if a.UserID == 0 {
		reporter, args = `SELECT id AS member_id, name FROM members WHERE id = ? AND zone_id = ?`, []any{l.ZoneID, l.ReporterID, l.ZoneID, l.ZoneID}
	}
	sc := []any{&fp[0], &fp[1], &fp[2], &days, &member, &name}
	if queued {
		sc = append(sc, &id)
	}
	err = s.queryRow(ctx, `SELECT `+cols+` FROM (`+reporter+`) r
		CROSS JOIN (SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v, COALESCE(MAX(id), 0) AS mx FROM calendar_days WHERE zone_id = ?) c`,
		args...).Scan(sc...)
	switch {
	case err == sql.ErrNoRows && a.UserID != 0:
		return nil, s.translate(err)
	case err == sql.ErrNoRows:
		return nil, &xinlu.Error{Code: xinlu.EFORBIDDEN, Key: "leads.no_member"}
	case err != nil:
		return nil, xinlu.Internal(err)
	case !member.Valid || member.Int64 == 0 || !name.Valid:
		return nil, &xinlu.Error{Code: xinlu.EFORBIDDEN, Key: "leads.no_member"}
	}
	cal, err := s.zoneCalendarFP(ctx, l.ZoneID, fp)
	if err != nil {
		return nil, err
	}
	screening := DefaultPipelineSettings(l.ZoneID).ScreeningDays
	if days.Valid {
		screening = int(days.Int64)
	}
	l.ScreeningDue = cal.AddWorkdays(shanghaiDay(l.ReportedAt), screening).Format(xinlu.DateLayout)
	l.ReporterID, l.ReporterName = member.Int64, name.String
	// Reports come in bursts (a meeting, a campaign): they share commits
	// (inBatch). On PostgreSQL, where every statement is a round trip, a
	// report without files costs its shared transaction no statement of
	// its own: its row is queued (queueLead) and written with the other
	// reports' rows in one statement at the end, then their audit rows in
	// another, so that a zone's reports are not held up by one another's
	// round trips.
	err = s.inBatch(ctx, l.ZoneID, func(ctx context.Context, tx *Tx) error {
		phone, hash, err := tx.sealValue(ctx, leadPhone, l.ContactPhone)
		if err != nil {
			return err
		}
		l.Status, l.Version, l.CreatedAt, l.UpdatedAt = xinlu.LeadReported, 1, now, now
		l.Reason, l.VetoGround, l.VetoReason, l.MergedInto, l.ProjectID = "", "", "", 0, 0
		if queued {
			l.ID = id.Int64
			tx.queueLead(l, phone, hash)
			return tx.audit(ctx, a, "lead.report", "lead", l.ID, nil, leadAudit(l))
		}
		id, err := tx.insert(ctx, `INSERT INTO leads (zone_id, reporter_id, company, company_key, project_name, industry, investment_yuan,
			channel, contact_name, contact_phone, contact_phone_hash, description, status, reported_at, screening_due, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
			l.ZoneID, l.ReporterID, l.Company, l.CompanyKey, l.ProjectName, l.Industry, l.InvestmentYuan,
			l.Channel, l.ContactName, phone, hash, l.Description, string(l.Status), l.ReportedAt, l.ScreeningDue, now, now)
		if err != nil {
			return err
		}
		l.ID = id
		if err := tx.audit(ctx, a, "lead.report", "lead", id, nil, leadAudit(l)); err != nil {
			return err
		}
		_, err = tx.addLeadFiles(ctx, a, l, checked)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.LeadDuplicates(ctx, l)
}

// queuedLead is a reported lead to insert when its transaction flushes.
type queuedLead struct {
	l            *xinlu.Lead
	phone, phash string
}

// queueLead queues the insert of a new lead whose id is taken already
// (PostgreSQL).
func (tx *Tx) queueLead(l *xinlu.Lead, phone, hash string) {
	tx.leads = append(tx.leads, queuedLead{l, phone, hash})
}

// flushLeads inserts the queued leads in one statement.
func (tx *Tx) flushLeads(ctx context.Context) error {
	if len(tx.leads) == 0 {
		return nil
	}
	q := tx.leads
	tx.leads = nil
	n := len(q)
	id, zone, reporter, version := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	yuan := make([]*int64, n)
	reported, created, updated := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	var text [11][]string
	for i := range text {
		text[i] = make([]string, n)
	}
	for i, r := range q {
		l := r.l
		id[i], zone[i], reporter[i], version[i], yuan[i] = l.ID, l.ZoneID, l.ReporterID, int64(l.Version), l.InvestmentYuan
		reported[i], created[i], updated[i] = l.ReportedAt, l.CreatedAt, l.UpdatedAt
		for j, v := range []string{l.Company, l.CompanyKey, l.ProjectName, l.Industry, l.Channel, l.ContactName, r.phone, r.phash,
			l.Description, string(l.Status), l.ScreeningDue} {
			text[j][i] = v
		}
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO leads (id, zone_id, reporter_id, company, company_key, project_name, industry, investment_yuan,
		channel, contact_name, contact_phone, contact_phone_hash, description, status, reported_at, screening_due, version, created_at, updated_at)
		SELECT * FROM unnest(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]), CAST($3 AS BIGINT[]), CAST($4 AS TEXT[]), CAST($5 AS TEXT[]),
			CAST($6 AS TEXT[]), CAST($7 AS TEXT[]), CAST($8 AS BIGINT[]), CAST($9 AS TEXT[]), CAST($10 AS TEXT[]), CAST($11 AS TEXT[]),
			CAST($12 AS TEXT[]), CAST($13 AS TEXT[]), CAST($14 AS TEXT[]), CAST($15 AS TIMESTAMPTZ[]), CAST($16 AS TEXT[]),
			CAST($17 AS BIGINT[]), CAST($18 AS TIMESTAMPTZ[]), CAST($19 AS TIMESTAMPTZ[]))`,
		id, zone, reporter, text[0], text[1], text[2], text[3], yuan, text[4], text[5], text[6], text[7], text[8], text[9],
		reported, text[10], version, created, updated)
	return tx.s.translate(err)
}

// --- duplicates ---

// Duplicate search, made to stay fast at a million leads in a zone. The
// company key (NormalizeCompany) is indexed per zone on leads (with the
// status, so that merged leads are skipped in the index) and on projects,
// so candidates are found by short scans of that index alone, never by
// scanning the table or reading its rows:
//
//   - the exact key: records with the same normalised company;
//   - the company's branches: keys that start with the key of the
//     company (the key itself, or the company of a branch key: its
//     company, its other branches), so that 华晋新材料 finds
//     华晋新材料太原分公司 however many other keys start with 华晋;
//   - prefixes: for each distinct character bigram of the key (at most
//     maxProbeGrams of them), up to maxPerProbe keys that start with that
//     bigram, i.e. `company_key >= g AND company_key < g+U+10FFFF`. This
//     finds names that differ by a leading or trailing word ("中铝华晋新材料"
//     reported as "华晋新材料科技") in either direction that starts with a
//     shared bigram; the key's first bigram covers names that share their
//     start and differ later.
//
// The candidates' keys are compared in Go (CompanyMatch); only those
// that can be duplicates are read, in one query per table, and scored with
// their project names (ProjectDuplicate). The best maxDuplicates are
// returned. A pair of names with no shared bigram at the start of either
// key is not found; the cost is bounded at (2 + maxProbeGrams) short index
// scans per table whatever the table's size.
//
// The probes take no LIMIT or id parameters: SQLite compiles a statement
// again whenever a parameter its plan depends on changes, and parameters
// past the 31st all count as one.
const (
	maxProbeGrams = 8
	maxPerProbe   = 20
	maxDuplicates = 10
)

// probeGrams are the bigrams of key whose prefix ranges are scanned.
func probeGrams(key string) []string {
	r := []rune(key)
	seen := map[string]bool{}
	var out []string
	for i := 0; i+1 < len(r) && len(out) < maxProbeGrams; i++ {
		g := string(r[i : i+2])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// prefixEnd is the smallest string greater than every string starting with p.
func prefixEnd(p string) string { return p + string(utf8.MaxRune) }

// dupTable is what the duplicate search reads from one table.
type dupTable struct {
	kind, table, columns, skip string
}

// skip is applied in the probes, which read it from the index (leads:
// (zone_id, company_key, status)), and again with the rows.
var dupTables = []dupTable{
	{"lead", "leads", "id, company, project_name, status, reporter_id", " AND status <> 'merged'"},
	{"project", "projects", "id, company, name, stage, 0", ""},
}

// LeadDuplicates returns the possible duplicates of l among the other leads
// of its zone (merged ones aside) and the zone's projects, best first.
func (s *Store) LeadDuplicates(ctx context.Context, l *xinlu.Lead) ([]xinlu.Match, error) {
	key := l.CompanyKey
	if key == "" {
		key = xinlu.NormalizeCompany(l.Company)
	}
	if key == "" {
		return nil, nil
	}
	grams := probeGrams(key)
	if len(grams) == 0 {
		grams = []string{key}
	}
	root := xinlu.CompanyRoot(key)
	cands, err := s.dupCandidates(ctx, l.ZoneID, key, root, grams)
	if err != nil {
		return nil, err
	}
	var company [2]map[int64]companyMatch
	for i, t := range dupTables {
		company[i] = map[int64]companyMatch{}
		for _, c := range cands[i] {
			if t.kind == "lead" && c.id == l.ID {
				continue
			}
			if sc, rel := xinlu.CompanyMatch(key, c.key); sc >= xinlu.DuplicateThreshold {
				company[i][c.id] = companyMatch{sc, rel}
			}
		}
	}
	var out []xinlu.Match
	if s.dialect == Postgres {
		if out, err = s.dupRowsPG(ctx, l, company); err != nil {
			return nil, err
		}
	} else {
		for i, t := range dupTables {
			ms, err := s.dupRows(ctx, t, l, company[i])
			if err != nil {
				return nil, err
			}
			out = append(out, ms...)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].Kind != out[j].Kind {
			return out[i].Kind > out[j].Kind // projects first
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > maxDuplicates {
		out = out[:maxDuplicates]
	}
	if s.dialect == Postgres {
		return out, nil // named by dupRowsPG
	}
	return out, s.nameReporters(ctx, out)
}

// dupRowsPG is dupRows for both tables in one statement, with the names
// of the leads' reporters (PostgreSQL, where the id lists are arrays).
func (s *Store) dupRowsPG(ctx context.Context, l *xinlu.Lead, company [2]map[int64]companyMatch) ([]xinlu.Match, error) {
	var ids [2][]int64
	for i := range company {
		for id := range company[i] {
			ids[i] = append(ids[i], id)
		}
	}
	if len(ids[0])+len(ids[1]) == 0 {
		return nil, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT 0, l.zone_id, l.id, l.company, l.project_name, l.status, COALESCE(m.name, '')
		FROM leads l LEFT JOIN members m ON m.id = l.reporter_id WHERE l.id = ANY($1) AND l.status <> 'merged'
		UNION ALL SELECT 1, zone_id, id, company, name, stage, '' FROM projects WHERE id = ANY($2)`, ids[0], ids[1])
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []xinlu.Match
	for rows.Next() {
		var i int
		var zone int64
		var m xinlu.Match
		if err := rows.Scan(&i, &zone, &m.ID, &m.Company, &m.Project, &m.Status, &m.ReportedBy); err != nil {
			return nil, xinlu.Internal(err)
		}
		if zone != l.ZoneID {
			continue
		}
		m.Kind = dupTables[i].kind
		c := company[i][m.ID]
		ok, score := xinlu.ProjectDuplicate(c.score, l.ProjectName, m.Project)
		if !ok {
			continue
		}
		m.Score, m.Relation = score, c.relation
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, xinlu.Internal(err)
	}
	return out, nil
}

// dupCandidate is a record found by the probes: its id and company key.
type dupCandidate struct {
	id  int64
	key string
}

// dupCandidates runs the probes of the duplicate search in each table of
// dupTables: the exact key, the company's branches (keys from root) and
// the prefixes of grams. On PostgreSQL the probes of both tables are one
// statement whose ranges are arrays joined laterally to one index scan:
// its plan is the same whatever the key, so it is planned once per
// connection, where a UNION of a scan per range costs more to plan than
// to run.
func (s *Store) dupCandidates(ctx context.Context, zoneID int64, key, root string, grams []string) ([2][]dupCandidate, error) {
	var out [2][]dupCandidate
	lo, hi := []string{root}, []string{prefixEnd(root)}
	for _, g := range grams {
		lo, hi = append(lo, g), append(hi, prefixEnd(g))
	}
	read := func(rows *sql.Rows, table func(*sql.Rows) (int, dupCandidate, error)) error {
		defer rows.Close()
		for rows.Next() {
			i, c, err := table(rows)
			if err != nil {
				return xinlu.Internal(err)
			}
			out[i] = append(out[i], c)
		}
		if err := rows.Err(); err != nil {
			return xinlu.Internal(err)
		}
		return nil
	}
	limit := " LIMIT " + strconv.Itoa(maxPerProbe+1) // +1: the lead itself
	if s.dialect == Postgres {
		// The arrays always have maxProbeGrams+2 ranges, the missing ones
		// empty: PostgreSQL reckons an array parameter at 10 elements, and
		// if the plans made with the real length reckon less, the plan for
		// any parameters (cheap to plan) never looks as good as they do,
		// and every call is planned anew.
		for len(lo) < maxProbeGrams+2 {
			lo, hi = append(lo, ""), append(hi, "")
		}
		var parts []string
		for i, t := range dupTables {
			n := strconv.Itoa(i)
			parts = append(parts,
				`SELECT `+n+`, * FROM (SELECT id, company_key FROM `+t.table+` WHERE zone_id = $1 AND company_key = $2`+t.skip+limit+`) x`,
				`SELECT `+n+`, x.* FROM unnest(CAST($3 AS TEXT[]), CAST($4 AS TEXT[])) r(lo, hi) CROSS JOIN LATERAL (SELECT id, company_key FROM `+
					t.table+` WHERE zone_id = $1 AND company_key >= r.lo AND company_key < r.hi`+t.skip+limit+`) x`)
		}
		rows, err := s.read.QueryContext(ctx, strings.Join(parts, " UNION ALL "), zoneID, key, lo, hi)
		if err != nil {
			return out, xinlu.Internal(err)
		}
		return out, read(rows, func(rows *sql.Rows) (int, dupCandidate, error) {
			var i int
			var c dupCandidate
			err := rows.Scan(&i, &c.id, &c.key)
			return i, c, err
		})
	}
	for i, t := range dupTables {
		// The index alone: ids and keys of the candidates.
		parts := []string{`SELECT * FROM (SELECT id, company_key FROM ` + t.table + ` WHERE zone_id = ? AND company_key = ?` + t.skip + limit + `) x`}
		args := []any{zoneID, key}
		for j := range lo {
			parts = append(parts, `SELECT * FROM (SELECT id, company_key FROM `+t.table+` WHERE zone_id = ? AND company_key >= ? AND company_key < ?`+t.skip+limit+`) x`)
			args = append(args, zoneID, lo[j], hi[j])
		}
		rows, err := s.query(ctx, strings.Join(parts, " UNION ALL "), args...)
		if err != nil {
			return out, xinlu.Internal(err)
		}
		if err := read(rows, func(rows *sql.Rows) (int, dupCandidate, error) {
			var c dupCandidate
			err := rows.Scan(&c.id, &c.key)
			return i, c, err
		}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// companyMatch is how a candidate's company compares with the lead's.
type companyMatch struct {
	score    float64
	relation xinlu.CompanyRelation
}

// dupRows reads the candidates of one table whose companies compare at
// company[id] with l's, and keeps those that are duplicates with their
// project names. The id list is padded to a few fixed lengths so that the
// statements stay few.
func (s *Store) dupRows(ctx context.Context, t dupTable, l *xinlu.Lead, company map[int64]companyMatch) ([]xinlu.Match, error) {
	if len(company) == 0 {
		return nil, nil
	}
	ids := make([]any, 0, len(company))
	for id := range company {
		ids = append(ids, id)
	}
	size := 4
	for size < len(ids) {
		size *= 4
	}
	for len(ids) < size {
		ids = append(ids, ids[0])
	}
	// By id only: with zone_id in the WHERE the planner may walk the zone's
	// index instead. The ids come from the zone's probes; the zone is
	// checked again below all the same.
	rows, err := s.query(ctx, `SELECT zone_id, `+t.columns+` FROM `+t.table+` WHERE id IN (?`+strings.Repeat(",?", size-1)+`)`+t.skip, ids...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []xinlu.Match
	for rows.Next() {
		m := xinlu.Match{Kind: t.kind}
		var zone, reporter int64
		if err := rows.Scan(&zone, &m.ID, &m.Company, &m.Project, &m.Status, &reporter); err != nil {
			return nil, xinlu.Internal(err)
		}
		if zone != l.ZoneID {
			continue
		}
		c := company[m.ID]
		ok, score := xinlu.ProjectDuplicate(c.score, l.ProjectName, m.Project)
		if !ok {
			continue
		}
		m.Score, m.Relation = score, c.relation
		if reporter != 0 {
			m.ReportedBy = strconv.FormatInt(reporter, 10) // the member's id until named
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// nameReporters replaces the reporters' member ids in the matches with
// their names, in one read.
func (s *Store) nameReporters(ctx context.Context, ms []xinlu.Match) error {
	var ids []any
	for _, m := range ms {
		if m.ReportedBy != "" {
			id, _ := strconv.ParseInt(m.ReportedBy, 10, 64)
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.query(ctx, `SELECT id, name FROM members WHERE id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, ids...)
	if err != nil {
		return xinlu.Internal(err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return xinlu.Internal(err)
		}
		names[strconv.FormatInt(id, 10)] = name
	}
	for i := range ms {
		if ms[i].ReportedBy != "" {
			ms[i].ReportedBy = names[ms[i].ReportedBy]
		}
	}
	return rows.Err()
}

// --- reading ---

// LeadFilter selects leads for a list. Scope is the viewer's data scope
// (u.Filter(PermLeadView)) and is always applied.
type LeadFilter struct {
	Scope      xinlu.ScopeFilter
	Status     xinlu.LeadStatus
	Industry   string
	Query      string // company or project name
	ReporterID int64
	// ReportedYear keeps the leads reported in that year (by the UTC date,
	// as the cockpit counts them); 0: any year.
	ReportedYear int
	// Light keeps the leads waiting for screening (reported, screening,
	// asked for information) whose screening deadline is past (red) or
	// near (yellow) today in the scope's zone, as the cockpit counts them.
	Light xinlu.Light
	xinlu.Page

	dueFrom, dueTo string // Light's range of deadlines, [from, to)
}

func (s *Store) leadWhere(f LeadFilter) (string, []any) {
	cond, args := leadScope(f.Scope)
	where := []string{cond}
	if f.Scope.Scope != xinlu.ScopeAllZones && f.Scope.Scope != xinlu.ScopeNone {
		// Lets the (zone_id, status, industry, id) index lead even for the
		// department scope.
		where, args = append(where, "l.zone_id = ?"), append(args, f.Scope.ZoneID)
	}
	if f.Status != "" {
		where, args = append(where, "l.status = ?"), append(args, string(f.Status))
	}
	if f.Industry != "" {
		where, args = append(where, "l.industry = ?"), append(args, f.Industry)
	}
	if f.ReporterID != 0 {
		where, args = append(where, "l.reporter_id = ?"), append(args, f.ReporterID)
	}
	if f.ReportedYear != 0 {
		where = append(where, "l.reported_at >= ? AND l.reported_at < ?")
		args = append(args, time.Date(f.ReportedYear, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(f.ReportedYear+1, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	if f.dueTo != "" {
		where = append(where, leadsOpenDue, "l.screening_due >= ? AND l.screening_due < ?")
		args = append(args, f.dueFrom, f.dueTo)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(l.company "+s.likeOp()+" ? ESCAPE '\\' OR l.project_name "+s.likeOp()+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListLeads returns one page of the leads f selects, newest first, and the
// total. The contact phone is left out: a list never shows it.
func (s *Store) ListLeads(ctx context.Context, f LeadFilter) ([]*xinlu.Lead, int, error) {
	if f.Light != "" {
		if f.Scope.ZoneID == 0 || (f.Light != xinlu.LightRed && f.Light != xinlu.LightYellow) {
			return nil, 0, xinlu.Invalid("light", "error.invalid_choice")
		}
		lt, err := s.ZoneLights(ctx, f.Scope.ZoneID)
		if err != nil {
			return nil, 0, err
		}
		f.dueFrom, f.dueTo = lt.lightRange(f.Light)
	}
	cond, args := s.leadWhere(f)
	total, ok, err := s.leadSummaryTotal(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		if total, err = s.count(ctx, `SELECT COUNT(*) FROM leads l`+cond, args...); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
	}
	p := f.Page.Normalize()
	q := `SELECT ` + leadListColumns + leadFrom + cond + ` ORDER BY l.id DESC` + s.pageSQL(p)
	if s.dialect == Postgres {
		// The page's ids first, by themselves: PostgreSQL then reads them
		// from the (zone, status, industry, id) index alone, where the
		// whole query would walk the primary key backwards and skip every
		// newer lead that does not match.
		q = `SELECT ` + leadListColumns + leadFrom + ` JOIN (SELECT l.id FROM leads l` + cond +
			` ORDER BY l.id DESC` + s.pageSQL(p) + `) page ON page.id = l.id ORDER BY l.id DESC`
	}
	rows, err := s.query(ctx, q, append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanLead)
	return out, total, err
}

// LeadByID returns a lead within scope (a lead outside it is not found)
// with its contact phone in clear text. Callers that show it to a person
// use LeadFor, which masks it.
func (s *Store) LeadByID(ctx context.Context, scope xinlu.ScopeFilter, id int64) (*xinlu.Lead, error) {
	cond, args := leadScope(scope)
	l, err := scanLead(s.queryRow(ctx, `SELECT `+leadColumns+leadFrom+` WHERE l.id = ? AND `+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, s.translate(err)
	}
	return l, s.openLead(l)
}

// LeadFor returns a lead as u may see it: within u's lead-view scope, and
// with the contact phone masked unless LeadContactVisible.
func (s *Store) LeadFor(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Lead, error) {
	l, err := s.LeadByID(ctx, u.Filter(xinlu.PermLeadView), id)
	if err != nil {
		return nil, err
	}
	if !xinlu.LeadContactVisible(u, l) {
		l.ContactPhone = xinlu.MaskPhone(l.ContactPhone)
	}
	return l, nil
}

// LeadContactViewed writes the audit row of an answer that shows u lead
// l's contact phone in full (LeadContactVisible): who, which lead and
// through what (via: "page" or "api"), never the number. It writes nothing
// when l has no phone or u sees it masked, so lists and masked views cost
// nothing. Callers answer only once it has succeeded.
func (s *Store) LeadContactViewed(ctx context.Context, a xinlu.Actor, u *xinlu.User, l *xinlu.Lead, via string) error {
	if l.ContactPhone == "" || !xinlu.LeadContactVisible(u, l) {
		return nil
	}
	return s.Audit(ctx, a, "lead.contact_view", "lead", l.ID, map[string]any{"lead_id": l.ID, "company": l.Company, "via": via})
}

// CoReporter is a later reporter of a lead that was merged into another.
type CoReporter struct {
	MemberID     int64
	Name         string
	MergedLeadID int64
	AddedAt      time.Time
}

// LeadCoReporters lists the co-reporters of a lead of the zone.
func (s *Store) LeadCoReporters(ctx context.Context, zoneID, leadID int64) ([]CoReporter, error) {
	rows, err := s.query(ctx, `SELECT c.member_id, COALESCE(m.name, ''), c.merged_lead_id, c.added_at FROM lead_coreporters c
		JOIN leads l ON l.id = c.lead_id LEFT JOIN members m ON m.id = c.member_id
		WHERE c.lead_id = ? AND l.zone_id = ? ORDER BY c.added_at, c.merged_lead_id`, leadID, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []CoReporter
	for rows.Next() {
		var c CoReporter
		if err := rows.Scan(&c.MemberID, &c.Name, &c.MergedLeadID, &c.AddedAt); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, c)
	}
	return out, s.translate(rows.Err())
}

// --- screening steps ---

func (tx *Tx) leadForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.Lead, error) {
	q := `SELECT ` + leadColumns + leadFrom + ` WHERE l.id = ? AND l.zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF l`
	}
	l, err := scanLead(tx.queryRow(ctx, q, id, zoneID))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return l, tx.s.openLead(l)
}

// StepLead takes one screening step on lead id as user u, if version is
// current, in one transaction: xinlu.CheckLeadStep decides (409 naming the
// status when the step does not fit it, 403 without the right), the lead is
// updated, an audit row written, and the step's effects made:
//
//   - accept creates the project (stage packaging, status active, due
//     PackagingWorkdays working days later) with a "created" event, and
//     links it to the lead;
//   - merge marks the lead merged into step.MergeInto; the earlier report
//     (xinlu.EarlierReporter) keeps the credit on the surviving lead and the
//     other reporter becomes its co-reporter;
//   - reject, request-info and shelve keep the reason the reporter sees;
//     provide-info appends the reporter's answer to the description;
//   - veto records ground and reason; override-veto clears them (the audit
//     row keeps both, and the override's reason).
//
// It returns the lead as it is after the step.
func (s *Store) StepLead(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, step xinlu.LeadStep) (*xinlu.Lead, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	var out *xinlu.Lead
	err := s.inTx(ctx, func(tx *Tx) error {
		l, err := tx.leadForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		// A lead outside the user's view is not found, unless the user is
		// its reporter.
		if sc := u.Filter(xinlu.PermLeadView); sc.Scope < xinlu.ScopeZone && !(u.MemberID != 0 && u.MemberID == l.ReporterID) {
			if sc.Scope != xinlu.ScopeDepartment {
				return xinlu.NotFound("error.not_found")
			}
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM members WHERE id = ? AND department_id IN (`+subDepartments+`)`,
				l.ReporterID, sc.DepartmentID).Scan(&n); err != nil {
				return xinlu.Internal(err)
			}
			if n == 0 {
				return xinlu.NotFound("error.not_found")
			}
		}
		if version != l.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		to, err := xinlu.CheckLeadStep(u, l, step)
		if err != nil {
			return err
		}
		before := leadAudit(l)
		reason := strings.TrimSpace(step.Reason)
		now := s.Now()
		next := *l
		next.Status = to
		extra := map[string]any{"action": string(step.Action)}
		var target *xinlu.Lead
		switch step.Action {
		case xinlu.LeadRequestInfo, xinlu.LeadReject:
			next.Reason = reason
		case xinlu.LeadShelve:
			if len([]rune(reason)) > 500 {
				return xinlu.Invalid("reason", "error.too_long", 500)
			}
			next.Reason = reason
		case xinlu.LeadStartScreening, xinlu.LeadReopen:
			next.Reason = ""
		case xinlu.LeadProvideInfo:
			if len([]rune(reason)) < 2 {
				return xinlu.Invalid("reason", "error.required")
			}
			if len([]rune(reason)) > 500 {
				return xinlu.Invalid("reason", "error.too_long", 500)
			}
			next.Description = strings.TrimSpace(next.Description + "\n\n[" + shanghaiDay(now).Format(xinlu.DateLayout) + "] " + reason)
			extra["provided"] = reason
			next.Reason = ""
		case xinlu.LeadVeto:
			next.VetoGround, next.VetoReason = step.VetoGround, reason
		case xinlu.LeadOverrideVeto:
			extra["overridden_ground"], extra["overridden_reason"], extra["override_reason"] = l.VetoGround, l.VetoReason, reason
			next.VetoGround, next.VetoReason = "", ""
		case xinlu.LeadMerge:
			if target, err = tx.leadForUpdate(ctx, u.ZoneID, step.MergeInto); err != nil {
				if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
					return xinlu.Invalid("merge_into", "leads.merge_target_missing")
				}
				return err
			}
			if target.Status == xinlu.LeadMerged {
				return xinlu.Invalid("merge_into", "leads.merge_target_merged")
			}
			next.MergedInto = target.ID
		}
		res, err := tx.exec(ctx, `UPDATE leads SET status = ?, reason = ?, veto_ground = ?, veto_reason = ?, merged_into = ?,
			description = ?, version = version + 1, updated_at = ? WHERE id = ? AND zone_id = ? AND version = ?`,
			string(next.Status), next.Reason, next.VetoGround, next.VetoReason, nullID(next.MergedInto),
			next.Description, now, l.ID, l.ZoneID, l.Version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		next.Version, next.UpdatedAt = l.Version+1, now
		switch step.Action {
		case xinlu.LeadAccept:
			pid, err := tx.createProjectFromLead(ctx, a, &next, now)
			if err != nil {
				return err
			}
			next.ProjectID = pid
			extra["project_id"] = pid
		case xinlu.LeadMerge:
			if err := tx.mergeLead(ctx, a, &next, target, now); err != nil {
				return err
			}
		}
		after := leadAudit(&next)
		for k, v := range extra {
			after[k] = v
		}
		if reason != "" {
			after["step_reason"] = reason
		}
		if err := tx.audit(ctx, a, "lead."+string(step.Action), "lead", l.ID, before, after); err != nil {
			return err
		}
		out = &next
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !xinlu.LeadContactVisible(u, out) {
		out.ContactPhone = xinlu.MaskPhone(out.ContactPhone)
	}
	return out, nil
}

// createProjectFromLead opens the project of an accepted lead.
func (tx *Tx) createProjectFromLead(ctx context.Context, a xinlu.Actor, l *xinlu.Lead, now time.Time) (int64, error) {
	cal, err := tx.s.zoneCalendar(ctx, l.ZoneID)
	if err != nil {
		return 0, err
	}
	ps, err := tx.pipelineSettings(ctx, l.ZoneID)
	if err != nil {
		return 0, err
	}
	due := cal.AddWorkdays(shanghaiDay(now), ps.PackagingDays).Format(xinlu.DateLayout)
	pid, err := tx.insert(ctx, `INSERT INTO projects (zone_id, lead_id, name, company, company_key, industry, stage, status,
		total_yuan, stage_due, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)`,
		l.ZoneID, l.ID, l.ProjectName, l.Company, l.CompanyKey, l.Industry, string(xinlu.StagePackaging), string(xinlu.ProjectActive),
		l.InvestmentYuan, due, now, now)
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `UPDATE leads SET project_id = ? WHERE id = ?`, pid, l.ID); err != nil {
		return 0, tx.s.translate(err)
	}
	detail := xinlu.AuditJSON(map[string]any{"lead_id": l.ID, "stage": xinlu.StagePackaging, "stage_due": due})
	if _, err := tx.exec(ctx, `INSERT INTO project_events (zone_id, project_id, at, actor_id, actor_name, kind, detail) VALUES (?,?,?,?,?,?,?)`,
		l.ZoneID, pid, now, a.UserID, a.Name, "created", detail); err != nil {
		return 0, tx.s.translate(err)
	}
	if err := tx.audit(ctx, a, "project.create", "project", pid, nil, map[string]any{
		"lead_id": l.ID, "name": l.ProjectName, "company": l.Company, "industry": l.Industry,
		"stage": xinlu.StagePackaging, "status": xinlu.ProjectActive, "total_yuan": l.InvestmentYuan, "stage_due": due,
	}); err != nil {
		return 0, err
	}
	return pid, nil
}

// mergeLead folds merged (already marked merged into target) into target:
// the earlier report keeps the credit on target, the later reporter becomes
// a co-reporter, and merged's own co-reporters and merged leads move over.
func (tx *Tx) mergeLead(ctx context.Context, a xinlu.Actor, merged, target *xinlu.Lead, now time.Time) error {
	earlier := xinlu.EarlierReporter(merged, target)
	credited, credit := target.ReporterID, target.ReportedAt
	later := merged.ReporterID
	if earlier == merged {
		credited, credit, later = merged.ReporterID, merged.ReportedAt, target.ReporterID
	}
	if _, err := tx.exec(ctx, `UPDATE lead_coreporters SET lead_id = ? WHERE lead_id = ?`, target.ID, merged.ID); err != nil {
		return tx.s.translate(err)
	}
	if _, err := tx.exec(ctx, `UPDATE leads SET merged_into = ? WHERE merged_into = ? AND id <> ?`, target.ID, merged.ID, merged.ID); err != nil {
		return tx.s.translate(err)
	}
	if later != credited {
		if _, err := tx.exec(ctx, `DELETE FROM lead_coreporters WHERE lead_id = ? AND member_id = ?`, target.ID, credited); err != nil {
			return tx.s.translate(err)
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM lead_coreporters WHERE lead_id = ? AND member_id = ?`, target.ID, later).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n == 0 {
			if _, err := tx.exec(ctx, `INSERT INTO lead_coreporters (lead_id, member_id, merged_lead_id, added_at) VALUES (?,?,?,?)`,
				target.ID, later, merged.ID, now); err != nil {
				return tx.s.translate(err)
			}
		}
	}
	before := leadAudit(target)
	if _, err := tx.exec(ctx, `UPDATE leads SET reporter_id = ?, reported_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		credited, credit, now, target.ID); err != nil {
		return tx.s.translate(err)
	}
	target.ReporterID, target.ReportedAt, target.Version = credited, credit, target.Version+1
	after := leadAudit(target)
	after["absorbed_lead_id"], after["co_reporter_id"] = merged.ID, later
	return tx.audit(ctx, a, "lead.absorb", "lead", target.ID, before, after)
}
