package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/xinlu"
)

// sealState is the personal-data side of a Store: the sealer in use and the
// key file's keys.
type sealState struct {
	mu     sync.RWMutex
	sealer seal.Sealer
	keys   *seal.Keys
}

func (s *Store) personal() *sealState { return &s.sealed }

// SetSealer makes the store seal the inventory's encrypted fields with sl
// from now on; nil stores them in plain text, which the store refuses once
// the database holds data keys. Production code calls UseKeys instead.
func (s *Store) SetSealer(sl seal.Sealer) {
	p := s.personal()
	p.mu.Lock()
	p.sealer = sl
	p.mu.Unlock()
}

// Sealer returns the sealer in use, or nil.
func (s *Store) Sealer() seal.Sealer {
	p := s.personal()
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.sealer
}

// Keys returns the key file's keys in use, or nil.
func (s *Store) Keys() *seal.Keys {
	p := s.personal()
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.keys
}

// errNoKeys refuses to store personal data in plain text in a database
// that holds data keys: encryption, once on, stays on.
var errNoKeys = errors.New("the database encrypts personal data, but no key file is in use; give it with --key-file or XINLU_KEY_FILE")

// sealValue returns what to store for the value of field f, and its keyed
// hash when f has a blind index.
func (tx *Tx) sealValue(ctx context.Context, f xinlu.PersonalField, v string) (stored, hash string, err error) {
	sl := tx.s.Sealer()
	if sl == nil {
		if v != "" {
			if has, err := tx.hasDataKeys(ctx); err != nil {
				return "", "", err
			} else if has {
				return "", "", xinlu.Internal(errNoKeys)
			}
		}
		return v, "", nil
	}
	if stored, err = sl.Seal(f.Name(), v); err != nil {
		return "", "", xinlu.Internal(err)
	}
	if f.HashColumn != "" {
		hash = sl.Hash(f.Name(), v)
	}
	return stored, hash, nil
}

// openValue returns the plain value of a stored field value; sl is the
// store's sealer, nil when it has none.
func openValue(sl seal.Sealer, f xinlu.PersonalField, v string) (string, error) {
	if !seal.IsSealed(v) {
		return v, nil
	}
	if sl == nil {
		return "", xinlu.Internal(fmt.Errorf("%s: %w", f.Name(), errNoKeys))
	}
	p, err := sl.Open(f.Name(), v)
	if err != nil {
		return "", xinlu.Internal(err)
	}
	return p, nil
}

// memberField is the inventory entry of a members column.
func memberField(column string) xinlu.PersonalField {
	for _, f := range xinlu.PersonalFieldsOf("members") {
		if f.Column == column {
			return f
		}
	}
	panic("store: members." + column + " is not in the personal-data inventory")
}

var (
	memberPhone    = memberField("phone")
	memberIDNumber = memberField("id_number")
	// memberSealed are the encrypted columns of members.
	memberSealed = func() []xinlu.PersonalField {
		var out []xinlu.PersonalField
		for _, f := range xinlu.PersonalFieldsOf("members") {
			if f.Encrypted {
				out = append(out, f)
			}
		}
		return out
	}()
)

// openMember decrypts a member's sealed fields in place.
func (s *Store) openMember(m *xinlu.Member) error {
	var sl seal.Sealer
	loaded := false
	for _, f := range memberSealed {
		p := m.PersonalValue(f.Column)
		if p == nil || !seal.IsSealed(*p) {
			continue
		}
		if !loaded {
			sl, loaded = s.Sealer(), true
		}
		v, err := openValue(sl, f, *p)
		if err != nil {
			return err
		}
		*p = v
	}
	return nil
}

// sealedMember is what CreateMember and UpdateMember write of the
// encrypted fields.
type sealedMember struct {
	phone, phoneHash, idNumber, idNumberHash string
}

func (tx *Tx) sealMember(ctx context.Context, m *xinlu.Member) (sealedMember, error) {
	var out sealedMember
	var err error
	if out.phone, out.phoneHash, err = tx.sealValue(ctx, memberPhone, m.Phone); err != nil {
		return out, err
	}
	out.idNumber, out.idNumberHash, err = tx.sealValue(ctx, memberIDNumber, m.IDNumber)
	return out, err
}

// normalisePersonal puts a value typed for a lookup in the form the
// member form stores.
func normalisePersonal(column, v string) string {
	v = strings.TrimSpace(v)
	if column == "id_number" {
		v = strings.ToUpper(v)
	}
	return v
}

// MembersByPersonal finds the members within scope whose column (phone or
// id_number) is exactly value, through the keyed-hash column: the value
// itself is never compared or stored in plain text.
func (s *Store) MembersByPersonal(ctx context.Context, scope xinlu.ScopeFilter, column, value string) ([]*xinlu.Member, error) {
	f, ok := xinlu.PersonalField{}, false
	for _, pf := range xinlu.PersonalFieldsOf("members") {
		if pf.Column == column && pf.HashColumn != "" {
			f, ok = pf, true
		}
	}
	if !ok {
		return nil, xinlu.Invalid(column, "personal.not_searchable")
	}
	value = normalisePersonal(column, value)
	if value == "" {
		return nil, xinlu.Invalid(column, "error.required")
	}
	cond, args := memberScope(scope)
	var match string
	if sl := s.Sealer(); sl != nil {
		match, args = "m."+f.HashColumn+" = ?", append(args, sl.Hash(f.Name(), value))
	} else {
		match, args = "m."+f.Column+" = ?", append(args, value)
	}
	return s.scanMembers(ctx, `SELECT `+memberColumns+memberFrom+` WHERE `+cond+` AND `+match+memberOrder+` LIMIT 100`, args...)
}

// RevealMember returns member id, within scope (the caller's scope for
// PermReveal), with its personal data in full, after writing the audit
// row: who, whom, which fields and why, never the values. No row, no reveal.
func (s *Store) RevealMember(ctx context.Context, a xinlu.Actor, scope xinlu.ScopeFilter, id int64, reason string) (*xinlu.Member, error) {
	reason, err := xinlu.CheckRevealReason(reason)
	if err != nil {
		return nil, err
	}
	m, err := s.MemberByID(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	fields := m.RevealedFields()
	if fields == nil {
		fields = []string{}
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		return tx.audit(ctx, a, "personal.reveal", "member", m.ID, nil, map[string]any{
			"fields": fields, "reason": reason, "staff_no": m.StaffNo})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// shanghai is where a zone's days begin and end.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// today is the store clock's date in Asia/Shanghai, at midnight UTC.
func (s *Store) today() time.Time {
	y, m, d := s.Now().In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// RetainedMember is a member whose personal fields a retention run clears.
type RetainedMember struct {
	ID      int64
	ZoneID  int64
	StaffNo string
	LeftOn  string
}

// RetentionRun reports one run of the retention job.
type RetentionRun struct {
	Years   int
	Cutoff  string   // members who left before this day are due
	Fields  []string // the columns cleared
	Members []RetainedMember
	Leads   int // leads closed before the cutoff whose contact was cleared
	DryRun  bool
}

// RunRetention clears the inventory's anonymised fields (phone and ID
// number) of members who left (离职) more than years ago, keeping the rows,
// names, departments and dates so that counts and statistics stay. Each
// zone's cleared members are named (by id) in one audit row. A dry run
// changes nothing and writes no audit row.
func (s *Store) RunRetention(ctx context.Context, years int, dryRun bool) (*RetentionRun, error) {
	run := &RetentionRun{Years: years, Cutoff: xinlu.RetentionCutoff(s.today(), years), DryRun: dryRun}
	var set []string
	for _, f := range xinlu.PersonalFieldsOf("members") {
		if f.Anonymised() {
			run.Fields = append(run.Fields, f.Column)
			set = append(set, f.Column+" = ''")
			if f.HashColumn != "" {
				set = append(set, f.HashColumn+" = ''")
			}
		}
	}
	if run.Cutoff == "" || len(set) == 0 {
		return run, nil
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, zone_id, staff_no, left_on FROM members
			WHERE status = 'left' AND left_on <> '' AND left_on < ? AND personal_cleared_on = '' ORDER BY zone_id, id`, run.Cutoff)
		if err != nil {
			return xinlu.Internal(err)
		}
		for rows.Next() {
			var m RetainedMember
			if err := rows.Scan(&m.ID, &m.ZoneID, &m.StaffNo, &m.LeftOn); err != nil {
				rows.Close()
				return xinlu.Internal(err)
			}
			run.Members = append(run.Members, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return s.translate(err)
		}
		if err := tx.retainLeadContacts(ctx, run); err != nil {
			return err
		}
		if dryRun || len(run.Members) == 0 {
			return nil
		}
		now, today := s.Now(), s.today().Format(xinlu.DateLayout)
		byZone := map[int64][]int64{}
		var zones []int64
		for _, m := range run.Members {
			if _, err := tx.exec(ctx, `UPDATE members SET `+strings.Join(set, ", ")+`, personal_cleared_on = ?,
				version = version + 1, updated_at = ? WHERE id = ?`, today, now, m.ID); err != nil {
				return s.translate(err)
			}
			if byZone[m.ZoneID] == nil {
				zones = append(zones, m.ZoneID)
			}
			byZone[m.ZoneID] = append(byZone[m.ZoneID], m.ID)
		}
		for _, z := range zones {
			if err := tx.audit(ctx, xinlu.SystemActor(z), "personal.retention", "member", 0, nil, map[string]any{
				"years": years, "cutoff": run.Cutoff, "fields": run.Fields, "members": byZone[z], "count": len(byZone[z])}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return run, nil
}

// retainLeadContacts clears the contact (the inventory's lead fields kept
// under RetainLeadClosedYears) of leads rejected, merged or shelved before
// the run's cutoff; the lead, its company and its history stay. Each zone's
// count is one audit row; a dry run only counts.
func (tx *Tx) retainLeadContacts(ctx context.Context, run *RetentionRun) error {
	cutoff, err := xinlu.ParseDate(run.Cutoff)
	if err != nil {
		return xinlu.Internal(err)
	}
	before := time.Date(cutoff.Year(), cutoff.Month(), cutoff.Day(), 0, 0, 0, 0, shanghai).UTC()
	var set, has, fields []string
	for _, f := range xinlu.PersonalFieldsOf("leads") {
		if f.Retention != xinlu.RetainLeadClosedYears {
			continue
		}
		fields = append(fields, f.Column)
		set, has = append(set, f.Column+" = ''"), append(has, f.Column+" <> ''")
		if f.HashColumn != "" {
			set = append(set, f.HashColumn+" = ''")
		}
	}
	if len(set) == 0 {
		return nil
	}
	cond := ` FROM leads WHERE status IN ('rejected','merged','dormant') AND updated_at < ? AND (` + strings.Join(has, " OR ") + `)`
	rows, err := tx.query(ctx, `SELECT zone_id, COUNT(*)`+cond+` GROUP BY zone_id ORDER BY zone_id`, before)
	if err != nil {
		return xinlu.Internal(err)
	}
	type zoneCount struct{ zone, n int64 }
	counts, err := collect(rows, func(sc scanner) (zoneCount, error) {
		var c zoneCount
		return c, sc.Scan(&c.zone, &c.n)
	})
	if err != nil {
		return err
	}
	for _, c := range counts {
		run.Leads += int(c.n)
	}
	if run.DryRun || run.Leads == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE leads SET `+strings.Join(set, ", ")+` WHERE status IN ('rejected','merged','dormant') AND updated_at < ? AND (`+
		strings.Join(has, " OR ")+`)`, before); err != nil {
		return tx.s.translate(err)
	}
	for _, c := range counts {
		if err := tx.audit(ctx, xinlu.SystemActor(c.zone), "personal.retention", "lead", 0, nil, map[string]any{
			"years": run.Years, "cutoff": run.Cutoff, "fields": fields, "count": c.n}); err != nil {
			return err
		}
	}
	return nil
}

// SchemaColumns lists every column of every table of the database, as
// "table.column", for the check that the inventory names each personal one.
func (s *Store) SchemaColumns(ctx context.Context) ([]string, error) {
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1`
	if s.dialect == Postgres {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY 1`
	}
	rows, err := s.read.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
