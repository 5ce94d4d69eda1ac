package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"xinlu/internal/xinlu"
)

// Clock returns the store's clock, so that a caller that sets another one
// for a while (the demo's history) can put it back.
func (s *Store) Clock() func() time.Time { return s.now }

// Bulk loading: a million leads cannot go through ReportLead one by one
// (a transaction, a duplicate search and a chained audit row each), so
// BulkLoad writes a batch of leads and projects with their timelines,
// approval items and funds as multi-row INSERTs in one transaction, and
// records one summary audit row per batch naming the counts. Contact phones
// are sealed through the store's sealer as ReportLead seals them. There is
// no duplicate search: the caller loads data it made or vetted. It is for
// seeding (xinlu demo --leads) and migrations from another system.

// BulkEvent is one entry of a bulk-loaded project's timeline.
type BulkEvent struct {
	At     time.Time
	Kind   string
	Detail map[string]any
}

// BulkProject is a project to bulk-load, the project of the lead at
// LeadIndex in the same batch (-1: none), with its timeline beyond the
// "created" event, its approval items and its funds in place.
type BulkProject struct {
	ProjectRecord
	LeadIndex int
	Events    []BulkEvent
	Approvals []ApprovalItem
	Funds     []Funds
}

// BulkBatch is what one BulkLoad writes. Leads carry their final status,
// reason, reporter and ReportedAt; MergedInto must name a lead loaded
// before. After BulkLoad, every lead and project has its ID.
type BulkBatch struct {
	Leads    []*xinlu.Lead
	Projects []*BulkProject

	prepared bool
	phones   [][2]string // sealed phone and its hash, per lead
}

// PrepareBulk does a batch's CPU work outside the write transaction: the
// company keys, the screening deadlines and the sealed contact phones. A
// loader may run it on another goroutine while the previous batch is
// written; BulkLoad calls it when it has not been.
func (s *Store) PrepareBulk(ctx context.Context, zoneID int64, b *BulkBatch) error {
	cal, err := s.zoneCalendar(ctx, zoneID)
	if err != nil {
		return err
	}
	sl := s.Sealer()
	if sl == nil {
		has, err := s.HasDataKeys(ctx)
		if err != nil {
			return err
		}
		if has {
			for _, l := range b.Leads {
				if l.ContactPhone != "" {
					return xinlu.Internal(errNoKeys)
				}
			}
		}
	}
	b.phones = make([][2]string, len(b.Leads))
	dues := map[time.Time]string{}
	for i, l := range b.Leads {
		if l.ZoneID == 0 {
			l.ZoneID = zoneID
		}
		if l.ZoneID != zoneID {
			return xinlu.Forbidden()
		}
		if l.CompanyKey == "" {
			l.CompanyKey = xinlu.NormalizeCompany(l.Company)
		}
		l.ReportedAt = l.ReportedAt.UTC().Truncate(time.Microsecond)
		day := shanghaiDay(l.ReportedAt)
		due, ok := dues[day]
		if !ok {
			due = cal.AddWorkdays(day, xinlu.ScreeningWorkdays).Format(xinlu.DateLayout)
			dues[day] = due
		}
		l.ScreeningDue = due
		if l.ContactPhone != "" && sl != nil {
			v, err := sl.Seal(leadPhone.Name(), l.ContactPhone)
			if err != nil {
				return xinlu.Internal(err)
			}
			h := ""
			if leadPhone.HashColumn != "" {
				h = sl.Hash(leadPhone.Name(), l.ContactPhone)
			}
			b.phones[i] = [2]string{v, h}
		} else {
			b.phones[i] = [2]string{l.ContactPhone, ""}
		}
	}
	b.prepared = true
	return nil
}

// BulkCounts says what one BulkLoad wrote.
type BulkCounts struct {
	Leads, Projects, Events, Approvals, Funds int
}

// BulkLoad writes the batch in one transaction with one audit row.
func (s *Store) BulkLoad(ctx context.Context, a xinlu.Actor, zoneID int64, b *BulkBatch) (BulkCounts, error) {
	var c BulkCounts
	if !b.prepared {
		if err := s.PrepareBulk(ctx, zoneID, b); err != nil {
			return c, err
		}
	}
	if a.ZoneID != 0 && a.ZoneID != zoneID {
		return c, xinlu.Forbidden()
	}
	now := s.Now()
	err := s.inConnTx(ctx, func(tx *Tx) error {
		var zoneCode string
		if err := tx.queryRow(ctx, `SELECT code FROM zones WHERE id = ?`, zoneID).Scan(&zoneCode); err != nil {
			return s.translate(err)
		}
		// Leads.
		rows := make([][]any, len(b.Leads))
		for i, l := range b.Leads {
			if l.Version == 0 {
				l.Version = 1
			}
			l.CreatedAt, l.UpdatedAt = l.ReportedAt, now
			rows[i] = []any{l.ZoneID, l.ReporterID, l.Company, l.CompanyKey, l.ProjectName, l.Industry, l.InvestmentYuan,
				l.Channel, l.ContactName, b.phones[i][0], b.phones[i][1], l.Description, string(l.Status), l.Reason, l.VetoGround,
				l.VetoReason, nullID(l.MergedInto), l.ReportedAt, l.ScreeningDue, l.Version, l.CreatedAt, l.UpdatedAt}
		}
		ids, err := tx.insertRows(ctx, "leads", []string{"zone_id", "reporter_id", "company", "company_key", "project_name", "industry",
			"investment_yuan", "channel", "contact_name", "contact_phone", "contact_phone_hash", "description", "status", "reason",
			"veto_ground", "veto_reason", "merged_into", "reported_at", "screening_due", "version", "created_at", "updated_at"}, rows)
		if err != nil {
			return err
		}
		for i, l := range b.Leads {
			l.ID = ids[i]
		}
		c.Leads = len(ids)

		// Projects, with codes for the signed ones.
		seq := map[int]int{}
		rows = rows[:0]
		for _, p := range b.Projects {
			p.ZoneID = zoneID
			if p.LeadIndex >= 0 {
				p.LeadID = b.Leads[p.LeadIndex].ID
			}
			if p.Status == "" {
				p.Status = xinlu.ProjectActive
			}
			if p.Code == "" && p.Signing.SignedOn != "" {
				signed, err := xinlu.ParseDate(p.Signing.SignedOn)
				if err != nil {
					return xinlu.Invalid("signed_on", "error.date_format")
				}
				y := signed.Year()
				if _, ok := seq[y]; !ok {
					// The highest number of the year, compared as a number: past
					// 9999 codes grow a digit and MAX(code) would miss them.
					prefix := xinlu.ProjectCode(zoneCode, y, 0)
					prefix = prefix[:len(prefix)-4]
					var last string
					err := tx.queryRow(ctx, `SELECT code FROM projects WHERE zone_id = ? AND code LIKE ? ESCAPE '\'
						ORDER BY LENGTH(code) DESC, code DESC LIMIT 1`, zoneID, likePrefix(prefix)).Scan(&last)
					if err != nil && err != sql.ErrNoRows {
						return xinlu.Internal(err)
					}
					var n int
					if last != "" {
						fmt.Sscanf(strings.TrimPrefix(last, prefix), "%d", &n) //nolint:errcheck
					}
					seq[y] = n
				}
				seq[y]++
				p.Code = xinlu.ProjectCode(zoneCode, y, seq[y])
			}
			if p.CreatedAt.IsZero() {
				p.CreatedAt = now
			}
			p.Version, p.UpdatedAt = 1, now
			rows = append(rows, []any{p.ZoneID, nullID(p.LeadID), p.Code, p.Name, p.Company, xinlu.NormalizeCompany(p.Company), p.Industry,
				string(p.Stage), string(p.Status), p.LostReason, nullID(p.SponsorID), p.Plan.Content, p.Plan.TotalYuan, p.Plan.FixedAssetYuan,
				p.Plan.LandMu, p.Plan.WaterTPD, p.Plan.PowerKVA, p.Plan.GasM3PD, p.Plan.HeatTPH, p.Plan.OutputYuan, p.Plan.TaxYuan, p.Plan.Jobs,
				p.Plan.FloorAreaM2, p.Plan.EnergyTce, strings.Join(p.Plan.SixNew, ","), p.Plan.ChainPosition, nullID(p.Plan.ProposedParkID), p.Signing.SignedOn,
				p.Signing.ContractYuan, p.Signing.PromisedStart, p.Signing.PromisedProduce, p.Signing.FundsSchedule,
				p.StartedOn, p.ProducedOn, p.FullOn, p.StageDue, p.ImportKey, 1, p.CreatedAt, p.UpdatedAt})
		}
		ids, err = tx.insertRows(ctx, "projects", []string{"zone_id", "lead_id", "code", "name", "company", "company_key", "industry",
			"stage", "status", "lost_reason", "sponsor_id", "content", "total_yuan", "fixed_asset_yuan", "land_mu", "water_tpd", "power_kva",
			"gas_m3pd", "heat_tph", "output_yuan", "tax_yuan", "jobs", "floor_area_m2", "energy_tce", "six_new", "chain_position", "park_id", "signed_on", "contract_yuan",
			"promised_start", "promised_produce", "funds_schedule", "started_on", "produced_on", "full_on", "stage_due", "import_key",
			"version", "created_at", "updated_at"}, rows)
		if err != nil {
			return err
		}
		for i, p := range b.Projects {
			p.ID = ids[i]
		}
		c.Projects = len(ids)
		if len(ids) > 0 {
			if _, err := tx.exec(ctx, `UPDATE leads SET project_id = p.id FROM projects p
				WHERE p.lead_id = leads.id AND p.zone_id = ? AND p.id BETWEEN ? AND ?`, zoneID, ids[0], ids[len(ids)-1]); err != nil {
				return s.translate(err)
			}
		}

		// Timelines, approval items, funds.
		var evs, apps, funds [][]any
		for _, p := range b.Projects {
			evs = append(evs, []any{zoneID, p.ID, p.CreatedAt, a.UserID, a.Name, "created",
				xinlu.AuditJSON(map[string]any{"lead_id": p.LeadID, "stage": xinlu.StagePackaging})})
			for _, e := range p.Events {
				d, err := json.Marshal(e.Detail)
				if err != nil {
					return xinlu.Internal(err)
				}
				evs = append(evs, []any{zoneID, p.ID, e.At.UTC(), a.UserID, a.Name, e.Kind, string(d)})
			}
			for i := range p.Approvals {
				it := &p.Approvals[i]
				it.ZoneID, it.ProjectID = zoneID, p.ID
				if it.Status == "" {
					it.Status = ApprovalPreparing
				}
				apps = append(apps, []any{zoneID, p.ID, it.Name, nullID(it.AgentID), it.LimitDays, it.Status, it.Committed,
					it.StartedOn, it.DueOn, it.ClosedOn, it.Note, it.SortOrder, 1, now, now})
			}
			for _, f := range p.Funds {
				funds = append(funds, []any{zoneID, p.ID, f.OnDate, f.Yuan, f.Note, now})
			}
		}
		if err := tx.insertKeyed(ctx, "project_events", []string{"zone_id", "project_id", "at", "actor_id", "actor_name", "kind", "detail"}, evs); err != nil {
			return err
		}
		if err := tx.insertKeyed(ctx, "approval_items", []string{"zone_id", "project_id", "name", "agent_id", "limit_days", "status",
			"committed", "started_on", "due_on", "closed_on", "note", "sort_order", "version", "created_at", "updated_at"}, apps); err != nil {
			return err
		}
		if err := tx.insertKeyed(ctx, "funds_in_place", []string{"zone_id", "project_id", "on_date", "amount_yuan", "note", "created_at"}, funds); err != nil {
			return err
		}
		c.Events, c.Approvals, c.Funds = len(evs), len(apps), len(funds)
		first, lastID := int64(0), int64(0)
		if len(b.Leads) > 0 {
			first, lastID = b.Leads[0].ID, b.Leads[len(b.Leads)-1].ID
		}
		return tx.audit(ctx, a, "lead.bulk_load", "zone", zoneID, nil, map[string]any{
			"leads": c.Leads, "projects": c.Projects, "events": c.Events, "approval_items": c.Approvals, "funds": c.Funds,
			"first_lead_id": first, "last_lead_id": lastID})
	})
	return c, err
}

// insertRows inserts rows into table in multi-row INSERTs as large as the
// engine's bound on parameters allows, and returns the new ids in row
// order (each statement numbers its rows in VALUES order).
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) ([]int64, error) {
	return tx.bulkInsert(ctx, table, cols, rows, true)
}

// insertKeyed inserts rows into a table without an id column, or whose
// new ids the caller does not need.
func (tx *Tx) insertKeyed(ctx context.Context, table string, cols []string, rows [][]any) error {
	_, err := tx.bulkInsert(ctx, table, cols, rows, false)
	return err
}

func (tx *Tx) bulkInsert(ctx context.Context, table string, cols []string, rows [][]any, returning bool) ([]int64, error) {
	if tx.conn != nil && tx.s.dialect == Postgres && len(rows) > 0 {
		return tx.copyRows(ctx, table, cols, rows, returning)
	}
	tail := " RETURNING id"
	if !returning {
		tail = ""
	}
	maxVars := 32000
	if tx.s.dialect == Postgres {
		maxVars = 65000
	}
	per := maxVars / len(cols)
	if per > 1000 {
		per = 1000
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	ids := make([]int64, 0, len(rows))
	var q string
	qn := -1
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		if n := end - start; n != qn {
			q = tx.s.rebind(head + strings.TrimSuffix(strings.Repeat(one+",", n), ",") + tail)
			qn = n
		}
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		rs, err := tx.tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, xinlu.Internal(fmt.Errorf("bulk insert into %s: %w", table, err))
		}
		from := len(ids)
		for rs.Next() {
			var id int64
			if err := rs.Scan(&id); err != nil {
				rs.Close()
				return nil, xinlu.Internal(err)
			}
			ids = append(ids, id)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, xinlu.Internal(fmt.Errorf("bulk insert into %s: %w", table, err))
		}
		chunk := ids[from:]
		sort.Slice(chunk, func(i, j int) bool { return chunk[i] < chunk[j] })
	}
	return ids, nil
}

// copyRows is bulkInsert on PostgreSQL by COPY, which loads rows several
// times faster than INSERT statements. COPY returns nothing: when the ids
// are wanted they are taken from the table's sequence first, in one
// statement, and copied with the rows. The tables' statement triggers (the
// summary rows) fire for a COPY as for an INSERT.
func (tx *Tx) copyRows(ctx context.Context, table string, cols []string, rows [][]any, withIDs bool) ([]int64, error) {
	var ids []int64
	if withIDs {
		rs, err := tx.tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, len(rows))
		if err != nil {
			return nil, xinlu.Internal(fmt.Errorf("ids for %s: %w", table, err))
		}
		ids, err = collect(rs, func(sc scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		})
		if err != nil {
			return nil, err
		}
		if len(ids) != len(rows) {
			return nil, xinlu.Internal(fmt.Errorf("ids for %s: %d of %d", table, len(ids), len(rows)))
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		cols = append([]string{"id"}, cols...)
		with := make([][]any, len(rows))
		for i, r := range rows {
			with[i] = append([]any{ids[i]}, r...)
		}
		rows = with
	}
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return nil, xinlu.Internal(fmt.Errorf("copy into %s: %w", table, err))
	}
	return ids, nil
}
