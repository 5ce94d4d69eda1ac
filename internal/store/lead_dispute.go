package store

import (
	"context"
	"database/sql"
	"time"

	"xinlu/internal/xinlu"
)

// Credit disputes (首报认定争议): see xinlu.LeadDispute for the rules. Who
// reaches a lead's disputes: whoever may see the lead (leadScope) sees all
// of them; a party to its credit who may not see the lead — a co-reporter,
// the reporter of a lead merged into it, a disputant, a former reporter —
// sees only the disputes they are party to, and the lead without its
// contact details. Anyone else is answered not found.

const leadDisputeColumns = `d.id, d.zone_id, d.lead_id, d.disputant_id, d.reason, d.status, d.raised_by, d.raised_at,
	d.reporter_id, COALESCE(d.former_reporter_id, 0), d.decision_note, d.deciding_body, d.decided_on,
	COALESCE(d.decided_by, 0), d.decided_at, d.version, d.updated_at,
	COALESCE(dm.name, ''), COALESCE(rm.name, ''), COALESCE(fm.name, ''), COALESCE(du.name, '')`

const leadDisputeFrom = ` FROM lead_disputes d LEFT JOIN members dm ON dm.id = d.disputant_id
	LEFT JOIN members rm ON rm.id = d.reporter_id LEFT JOIN members fm ON fm.id = d.former_reporter_id
	LEFT JOIN users du ON du.id = d.decided_by`

func scanLeadDispute(sc scanner) (*xinlu.LeadDispute, error) {
	d := &xinlu.LeadDispute{}
	var status string
	var decidedAt sql.NullTime
	err := sc.Scan(&d.ID, &d.ZoneID, &d.LeadID, &d.DisputantID, &d.Reason, &status, &d.RaisedBy, &d.RaisedAt,
		&d.ReporterID, &d.FormerReporterID, &d.DecisionNote, &d.DecidingBody, &d.DecidedOn,
		&d.DecidedBy, &decidedAt, &d.Version, &d.UpdatedAt,
		&d.DisputantName, &d.ReporterName, &d.FormerReporterName, &d.DeciderName)
	d.Status = xinlu.DisputeStatus(status)
	if decidedAt.Valid {
		d.DecidedAt = decidedAt.Time
	}
	d.RaisedOn = shanghaiDay(d.RaisedAt).Format(xinlu.DateLayout)
	return d, err
}

// leadDisputeAudit is what the audit log keeps of a dispute.
func leadDisputeAudit(d *xinlu.LeadDispute) map[string]any {
	return map[string]any{
		"dispute_id": d.ID, "lead_id": d.LeadID, "disputant_id": d.DisputantID, "reason": d.Reason,
		"status": d.Status, "reporter_id": d.ReporterID, "former_reporter_id": d.FormerReporterID,
		"decision_note": d.DecisionNote, "deciding_body": d.DecidingBody, "decided_on": d.DecidedOn,
		"decided_by": d.DecidedBy, "version": d.Version,
	}
}

// LeadDisputes is a lead's credit disputes as one user may see them.
type LeadDisputes struct {
	// Lead is the disputed lead; without its contact details and
	// description unless InView.
	Lead *xinlu.Lead
	// InView: the lead is within the user's lead-view scope, so every
	// dispute is listed; otherwise only the user's own.
	InView bool
	// Disputes, oldest first.
	Disputes []*xinlu.LeadDispute
	// Standing is the user's own standing on the lead's credit.
	Standing xinlu.DisputeStanding
}

// disputeReader reads: the store outside a transaction, or a transaction.
type disputeReader interface {
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// disputeStanding finds member's standing on the credit of lead l.
func disputeStanding(ctx context.Context, q disputeReader, l *xinlu.Lead, member int64) (xinlu.DisputeStanding, error) {
	var st xinlu.DisputeStanding
	if member == 0 {
		return st, nil
	}
	var n int
	if err := q.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM lead_coreporters WHERE lead_id = ? AND member_id = ?) +
		(SELECT COUNT(*) FROM leads WHERE merged_into = ? AND zone_id = ? AND reporter_id = ?)`,
		l.ID, member, l.ID, l.ZoneID, member).Scan(&n); err != nil {
		return st, xinlu.Internal(err)
	}
	st.CoReporter = n > 0 && member != l.ReporterID
	rows, err := q.query(ctx, `SELECT `+leadDisputeColumns+leadDisputeFrom+`
		WHERE d.lead_id = ? AND d.zone_id = ? AND (d.disputant_id = ? OR d.former_reporter_id = ?) ORDER BY d.id`,
		l.ID, l.ZoneID, member, member)
	if err != nil {
		return st, xinlu.Internal(err)
	}
	mine, err := collect(rows, scanLeadDispute)
	if err != nil {
		return st, err
	}
	for _, d := range mine {
		if d.DisputantID == member {
			st.Previous = d
		}
		if d.Status == xinlu.DisputeUpheld && d.FormerReporterID == member {
			st.LostCredit = true
		}
	}
	return st, nil
}

// leadDisputeParty reports whether a standing makes its member a party to
// the lead's credit (who may reach its disputes without seeing the lead).
func leadDisputeParty(st xinlu.DisputeStanding) bool {
	return st.CoReporter || st.Previous != nil || st.LostCredit
}

// leadInViewOf reports whether lead id is within u's lead-view scope.
func leadInViewOf(ctx context.Context, q disputeReader, u *xinlu.User, id int64) (bool, error) {
	cond, args := leadScope(u.Filter(xinlu.PermLeadView))
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM leads l WHERE l.id = ? AND `+cond, append([]any{id}, args...)...).Scan(&n); err != nil {
		return false, xinlu.Internal(err)
	}
	return n > 0, nil
}

// LeadDisputesFor returns the credit disputes of lead id as u may see
// them, with u's standing: the lead within u's view, or u a party to its
// credit; otherwise not found.
func (s *Store) LeadDisputesFor(ctx context.Context, u *xinlu.User, id int64) (*LeadDisputes, error) {
	if u == nil {
		return nil, xinlu.NotFound("error.not_found")
	}
	inView := true
	l, err := s.LeadFor(ctx, u, id)
	if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
		inView = false
		l, err = scanLead(s.queryRow(ctx, `SELECT `+leadColumns+leadFrom+` WHERE l.id = ? AND l.zone_id = ?`, id, u.ZoneID))
		err = s.translate(err)
	}
	if err != nil {
		return nil, err
	}
	st, err := disputeStanding(ctx, s, l, u.MemberID)
	if err != nil {
		return nil, err
	}
	if !inView && !leadDisputeParty(st) {
		return nil, xinlu.NotFound("error.not_found")
	}
	out := &LeadDisputes{Lead: l, InView: inView, Standing: st}
	q, args := `SELECT `+leadDisputeColumns+leadDisputeFrom+` WHERE d.lead_id = ? AND d.zone_id = ?`, []any{l.ID, l.ZoneID}
	if !inView {
		l.ContactName, l.ContactPhone, l.Description = "", "", ""
		q, args = q+` AND (d.disputant_id = ? OR d.former_reporter_id = ?)`, append(args, u.MemberID, u.MemberID)
	}
	rows, err := s.query(ctx, q+` ORDER BY d.id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	if out.Disputes, err = collect(rows, scanLeadDispute); err != nil {
		return nil, err
	}
	return out, nil
}

// RaiseLeadDispute records u's claim to the credit of lead id, with an
// audit row (lead.dispute_raise), in one transaction. The lead must be
// within u's view or u a party to its credit (else not found);
// xinlu.CheckDisputeRaise decides the rest (403 for a stranger or the
// reporter, 409 for a merged lead or a second dispute, 422 for the reason).
func (s *Store) RaiseLeadDispute(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, reason string) (*xinlu.LeadDispute, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	var out *xinlu.LeadDispute
	err := s.inTx(ctx, func(tx *Tx) error {
		l, err := tx.leadForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		inView, err := leadInViewOf(ctx, tx, u, id)
		if err != nil {
			return err
		}
		st, err := disputeStanding(ctx, tx, l, u.MemberID)
		if err != nil {
			return err
		}
		if !inView && !leadDisputeParty(st) {
			return xinlu.NotFound("error.not_found")
		}
		reason, err := xinlu.CheckDisputeRaise(u, l, st, reason)
		if err != nil {
			return err
		}
		now := s.Now()
		d := &xinlu.LeadDispute{ZoneID: l.ZoneID, LeadID: l.ID, DisputantID: u.MemberID, Reason: reason,
			Status: xinlu.DisputeOpen, RaisedBy: u.ID, RaisedAt: now, RaisedOn: shanghaiDay(now).Format(xinlu.DateLayout),
			ReporterID: l.ReporterID, ReporterName: l.ReporterName, Version: 1, UpdatedAt: now}
		d.ID, err = tx.insert(ctx, `INSERT INTO lead_disputes (zone_id, lead_id, disputant_id, reason, status, raised_by, raised_at,
			reporter_id, version, updated_at) VALUES (?,?,?,?,?,?,?,?,1,?)`,
			d.ZoneID, d.LeadID, d.DisputantID, d.Reason, string(d.Status), d.RaisedBy, now, d.ReporterID, now)
		if err != nil {
			if xinlu.AsError(err).Key == "error.duplicate" {
				return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "status", Key: "leads.dispute_open_exists", Err: err}
			}
			return err
		}
		if err := tx.queryRow(ctx, `SELECT name FROM members WHERE id = ?`, u.MemberID).Scan(&d.DisputantName); err != nil {
			return tx.s.translate(err)
		}
		out = d
		return tx.audit(ctx, a, "lead.dispute_raise", "lead", l.ID, nil, leadDisputeAudit(d))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DecideLeadDispute decides dispute disputeID of lead leadID as u, if
// version is the dispute's current one (409 otherwise), in one
// transaction: xinlu.CheckDisputeDecision decides who and what (403 for a
// non-screener or a party, 409 naming the dispute's status, 422 for the
// inputs). Upheld moves the credit: leads.reporter_id becomes the
// disputant, the disputant leaves the co-reporters and the former reporter
// joins them (audited as lead.credit_move with both reporters), and the
// lead's other open disputes move to a new version, since the credit they
// contest changed. Every decision is audited (lead.dispute_uphold,
// lead.dispute_reject).
func (s *Store) DecideLeadDispute(ctx context.Context, a xinlu.Actor, u *xinlu.User, leadID, disputeID int64, version int, dec xinlu.DisputeDecision) (*xinlu.LeadDispute, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	var out *xinlu.LeadDispute
	err := s.inTx(ctx, func(tx *Tx) error {
		l, err := tx.leadForUpdate(ctx, u.ZoneID, leadID)
		if err != nil {
			return err
		}
		inView, err := leadInViewOf(ctx, tx, u, leadID)
		if err != nil {
			return err
		}
		if !inView {
			return xinlu.NotFound("error.not_found")
		}
		q := `SELECT ` + leadDisputeColumns + leadDisputeFrom + ` WHERE d.id = ? AND d.lead_id = ? AND d.zone_id = ?`
		if tx.s.dialect == Postgres {
			q += ` FOR UPDATE OF d`
		}
		d, err := scanLeadDispute(tx.queryRow(ctx, q, disputeID, l.ID, l.ZoneID))
		if err != nil {
			return tx.s.translate(err)
		}
		if version != d.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		status, err := xinlu.CheckDisputeDecision(u, l, d, &dec, s.today())
		if err != nil {
			return err
		}
		before := leadDisputeAudit(d)
		now := s.Now()
		next := *d
		next.Status, next.DecisionNote, next.DecidingBody, next.DecidedOn = status, dec.Note, dec.DecidingBody, dec.DecidedOn
		next.DecidedBy, next.DecidedAt, next.DeciderName, next.Version, next.UpdatedAt = u.ID, now, u.Name, d.Version+1, now
		if status == xinlu.DisputeUpheld {
			next.FormerReporterID, next.FormerReporterName = l.ReporterID, l.ReporterName
		}
		res, err := tx.exec(ctx, `UPDATE lead_disputes SET status = ?, former_reporter_id = ?, decision_note = ?, deciding_body = ?,
			decided_on = ?, decided_by = ?, decided_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			string(next.Status), nullID(next.FormerReporterID), next.DecisionNote, next.DecidingBody, next.DecidedOn,
			next.DecidedBy, now, now, d.ID, d.Version)
		if err != nil {
			return tx.s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		if status == xinlu.DisputeUpheld {
			if err := tx.moveLeadCredit(ctx, a, l, &next, now); err != nil {
				return err
			}
		}
		after := leadDisputeAudit(&next)
		after["action"] = string(dec.Action)
		if err := tx.audit(ctx, a, "lead.dispute_"+string(dec.Action), "lead", l.ID, before, after); err != nil {
			return err
		}
		out = &next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// moveLeadCredit gives the credit of l to d's disputant: the disputant's
// co-reporter entry passes to the former reporter (keeping the merge it
// came from), the lead's reporter changes and its version moves on, and
// the lead's other open disputes move to a new version.
func (tx *Tx) moveLeadCredit(ctx context.Context, a xinlu.Actor, l *xinlu.Lead, d *xinlu.LeadDispute, now time.Time) error {
	former, to := l.ReporterID, d.DisputantID
	// The disputant's entries: the first passes to the former reporter,
	// unless they are a co-reporter already; the rest go.
	rows, err := tx.query(ctx, `SELECT merged_lead_id FROM lead_coreporters WHERE lead_id = ? AND member_id = ? ORDER BY added_at, merged_lead_id`,
		l.ID, to)
	if err != nil {
		return xinlu.Internal(err)
	}
	entries, err := collect(rows, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
	if err != nil {
		return err
	}
	var already int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM lead_coreporters WHERE lead_id = ? AND member_id = ?`, l.ID, former).Scan(&already); err != nil {
		return xinlu.Internal(err)
	}
	kept := int64(0)
	if already == 0 {
		if len(entries) > 0 {
			kept = entries[0]
		} else {
			// A reporter of a lead merged into l without an entry: the
			// former reporter takes that merge's place, if it is free.
			var free sql.NullInt64
			err := tx.queryRow(ctx, `SELECT MIN(id) FROM leads WHERE merged_into = ? AND zone_id = ? AND reporter_id = ?
				AND id NOT IN (SELECT merged_lead_id FROM lead_coreporters WHERE lead_id = ?)`, l.ID, l.ZoneID, to, l.ID).Scan(&free)
			if err != nil {
				return xinlu.Internal(err)
			}
			if free.Valid {
				kept = free.Int64
				if _, err := tx.exec(ctx, `INSERT INTO lead_coreporters (lead_id, member_id, merged_lead_id, added_at) VALUES (?,?,?,?)`,
					l.ID, former, kept, now); err != nil {
					return tx.s.translate(err)
				}
			}
		}
	}
	if len(entries) > 0 && already == 0 {
		if _, err := tx.exec(ctx, `UPDATE lead_coreporters SET member_id = ?, added_at = ? WHERE lead_id = ? AND merged_lead_id = ?`,
			former, now, l.ID, kept); err != nil {
			return tx.s.translate(err)
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM lead_coreporters WHERE lead_id = ? AND member_id = ?`, l.ID, to); err != nil {
		return tx.s.translate(err)
	}
	before := leadAudit(l)
	res, err := tx.exec(ctx, `UPDATE leads SET reporter_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		to, now, l.ID, l.Version)
	if err != nil {
		return tx.s.translate(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return xinlu.Conflict("version", "error.stale")
	}
	next := *l
	next.ReporterID, next.ReporterName, next.Version, next.UpdatedAt = to, d.DisputantName, l.Version+1, now
	after := leadAudit(&next)
	after["dispute_id"] = d.ID
	after["from_reporter_id"], after["from_reporter_name"] = former, l.ReporterName
	after["to_reporter_id"], after["to_reporter_name"] = to, d.DisputantName
	after["coreporter_entry"] = kept
	if _, err := tx.exec(ctx, `UPDATE lead_disputes SET version = version + 1, updated_at = ? WHERE lead_id = ? AND status = ? AND id <> ?`,
		now, l.ID, string(xinlu.DisputeOpen), d.ID); err != nil {
		return tx.s.translate(err)
	}
	*l = next
	return tx.audit(ctx, a, "lead.credit_move", "lead", l.ID, before, after)
}
