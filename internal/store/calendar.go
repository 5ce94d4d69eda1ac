package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"xinlu/internal/xinlu"
)

const calendarColumns = `id, zone_id, date, kind, name, version, created_at, updated_at`

func scanCalendarDay(sc interface{ Scan(...any) error }) (*xinlu.CalendarDay, error) {
	d := &xinlu.CalendarDay{}
	var kind string
	err := sc.Scan(&d.ID, &d.ZoneID, &d.Date, &kind, &d.Name, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	d.Kind = xinlu.DayKind(kind)
	return d, err
}

func calendarAudit(d *xinlu.CalendarDay) map[string]any {
	return map[string]any{"date": d.Date, "kind": string(d.Kind), "name": d.Name}
}

// ListCalendarDays returns a zone's calendar entries of one year in date
// order; year 0 returns every year.
func (s *Store) ListCalendarDays(ctx context.Context, zoneID int64, year int) ([]*xinlu.CalendarDay, error) {
	q, args := `SELECT `+calendarColumns+` FROM calendar_days WHERE zone_id = ?`, []any{zoneID}
	if year != 0 {
		// Dates are stored as YYYY-MM-DD text, so they sort and compare as dates.
		q += ` AND date >= ? AND date <= ?`
		args = append(args, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	}
	rows, err := s.query(ctx, q+` ORDER BY date`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	out, err := collect(rows, scanCalendarDay)
	return out, err
}

// CalendarYears lists the years in which a zone has calendar entries, in order.
func (s *Store) CalendarYears(ctx context.Context, zoneID int64) ([]int, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT substr(date, 1, 4) FROM calendar_days WHERE zone_id = ?`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y string
		if err := rows.Scan(&y); err != nil {
			return nil, xinlu.Internal(err)
		}
		if n, err := strconv.Atoi(y); err == nil {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, s.translate(rows.Err())
}

// CalendarDayByID returns an entry of the zone; other zones' entries are not found.
func (s *Store) CalendarDayByID(ctx context.Context, zoneID, id int64) (*xinlu.CalendarDay, error) {
	d, err := scanCalendarDay(s.queryRow(ctx, `SELECT `+calendarColumns+` FROM calendar_days WHERE id = ? AND zone_id = ?`, id, zoneID))
	return d, s.translate(err)
}

// Calendar returns the working-day calendar of a zone, built from all its
// entries. Deadlines everywhere in xinlu count working days with it.
func (s *Store) Calendar(ctx context.Context, zoneID int64) (*xinlu.Calendar, error) {
	days, err := s.ListCalendarDays(ctx, zoneID, 0)
	if err != nil {
		return nil, err
	}
	list := make([]xinlu.CalendarDay, len(days))
	for i, d := range days {
		list[i] = *d
	}
	return xinlu.NewCalendar(list), nil
}

// dateTaken turns a unique violation on (zone_id, date) into a field error.
func dateTaken(err error) error {
	if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
		return xinlu.Conflict("date", "calendar.date_taken")
	}
	return err
}

// CreateCalendarDay inserts d; a second entry for the same date is a
// conflict on the date field.
func (s *Store) CreateCalendarDay(ctx context.Context, a xinlu.Actor, d *xinlu.CalendarDay) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO calendar_days (zone_id, date, kind, name, version, created_at, updated_at)
			VALUES (?,?,?,?,1,?,?)`, d.ZoneID, d.Date, string(d.Kind), d.Name, now, now)
		if err != nil {
			return dateTaken(err)
		}
		d.ID, d.Version, d.CreatedAt, d.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "calendar.create", "calendar_day", id, nil, calendarAudit(d))
	})
}

// UpdateCalendarDay saves d if d.Version is current.
func (s *Store) UpdateCalendarDay(ctx context.Context, a xinlu.Actor, d *xinlu.CalendarDay) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanCalendarDay(tx.queryRow(ctx, `SELECT `+calendarColumns+` FROM calendar_days WHERE id = ? AND zone_id = ?`, d.ID, d.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != d.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.Date == d.Date && old.Kind == d.Kind && old.Name == d.Name {
			// Saved unchanged: no version, no audit row.
			*d = *old
			return nil
		}
		now := s.Now()
		_, err = tx.exec(ctx, `UPDATE calendar_days SET date = ?, kind = ?, name = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ?`, d.Date, string(d.Kind), d.Name, now, d.ID, d.ZoneID)
		if err != nil {
			return dateTaken(s.translate(err))
		}
		d.Version, d.UpdatedAt, d.CreatedAt = old.Version+1, now, old.CreatedAt
		return tx.audit(ctx, a, "calendar.update", "calendar_day", d.ID, calendarAudit(old), calendarAudit(d))
	})
}

// DeleteCalendarDay removes an entry of the zone; version 0 skips the check.
func (s *Store) DeleteCalendarDay(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanCalendarDay(tx.queryRow(ctx, `SELECT `+calendarColumns+` FROM calendar_days WHERE id = ? AND zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if _, err := tx.exec(ctx, `DELETE FROM calendar_days WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "calendar.delete", "calendar_day", id, calendarAudit(old), nil)
	})
}

// CalendarImportResult counts what an import did.
type CalendarImportResult struct {
	Created, Updated, Unchanged int
}

// CalendarImportError says which entry of an import is bad: Index is its
// position in the list passed to ImportCalendarDays.
type CalendarImportError struct {
	Index int
	Err   *xinlu.Error
}

func (e *CalendarImportError) Error() string { return fmt.Sprintf("entry %d: %v", e.Index, e.Err) }
func (e *CalendarImportError) Unwrap() error { return e.Err }

// ImportCalendarDays writes a zone's entries all or nothing: every entry is
// validated first, then each is inserted or, when the zone already has an
// entry on that date, updated, in one transaction with one audit row per
// entry changed. Entries that change nothing are left alone. The error of a
// bad entry is a *CalendarImportError wrapping the domain error.
func (s *Store) ImportCalendarDays(ctx context.Context, a xinlu.Actor, zoneID int64, days []xinlu.CalendarDay) (CalendarImportResult, error) {
	var res CalendarImportResult
	seen := map[string]int{}
	for i := range days {
		d := &days[i]
		d.ZoneID = zoneID
		if err := d.Validate(); err != nil {
			return res, &CalendarImportError{Index: i, Err: xinlu.AsError(err)}
		}
		if j, dup := seen[d.Date]; dup {
			return res, &CalendarImportError{Index: i, Err: xinlu.Invalid("date", "calendar.date_repeated", j+1)}
		}
		seen[d.Date] = i
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		res = CalendarImportResult{}
		existing := map[string]*xinlu.CalendarDay{}
		rows, err := tx.query(ctx, `SELECT `+calendarColumns+` FROM calendar_days WHERE zone_id = ?`, zoneID)
		if err != nil {
			return xinlu.Internal(err)
		}
		for rows.Next() {
			d, err := scanCalendarDay(rows)
			if err != nil {
				rows.Close()
				return xinlu.Internal(err)
			}
			existing[d.Date] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return xinlu.Internal(err)
		}
		now := s.Now()
		for i := range days {
			d := &days[i]
			old := existing[d.Date]
			switch {
			case old == nil:
				id, err := tx.insert(ctx, `INSERT INTO calendar_days (zone_id, date, kind, name, version, created_at, updated_at)
					VALUES (?,?,?,?,1,?,?)`, zoneID, d.Date, string(d.Kind), d.Name, now, now)
				if err != nil {
					return &CalendarImportError{Index: i, Err: xinlu.AsError(dateTaken(err))}
				}
				d.ID, d.Version, d.CreatedAt, d.UpdatedAt = id, 1, now, now
				if err := tx.audit(ctx, a, "calendar.import", "calendar_day", id, nil, calendarAudit(d)); err != nil {
					return err
				}
				res.Created++
			case old.Kind == d.Kind && old.Name == d.Name:
				*d = *old
				res.Unchanged++
			default:
				if _, err := tx.exec(ctx, `UPDATE calendar_days SET kind = ?, name = ?, version = version + 1, updated_at = ?
					WHERE id = ? AND zone_id = ?`, string(d.Kind), d.Name, now, old.ID, zoneID); err != nil {
					return s.translate(err)
				}
				d.ID, d.Version, d.CreatedAt, d.UpdatedAt = old.ID, old.Version+1, old.CreatedAt, now
				if err := tx.audit(ctx, a, "calendar.import", "calendar_day", old.ID, calendarAudit(old), calendarAudit(d)); err != nil {
					return err
				}
				res.Updated++
			}
		}
		return nil
	})
	if err != nil {
		return CalendarImportResult{}, err
	}
	return res, nil
}

// --- working-day calendar, cached per zone ---

// calendarCache keeps each zone's calendar between requests: deadlines and
// lights need it on every lead report and list, and loading it for each of
// thousands of requests a second would cost more than the request. The cache is checked
// against a fingerprint of the zone's calendar rows (count, sum of
// versions, largest id), which any create, edit or delete changes.
type calendarCacheEntry struct {
	fp  [3]int64
	cal *xinlu.Calendar
}

var calendarCache sync.Map // calendarCacheKey → calendarCacheEntry

type calendarCacheKey struct {
	s    *Store
	zone int64
}

// zoneCalendar returns the zone's calendar, from the cache when unchanged.
func (s *Store) zoneCalendar(ctx context.Context, zoneID int64) (*xinlu.Calendar, error) {
	var fp [3]int64
	if err := s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(version), 0), COALESCE(MAX(id), 0) FROM calendar_days WHERE zone_id = ?`,
		zoneID).Scan(&fp[0], &fp[1], &fp[2]); err != nil {
		return nil, xinlu.Internal(err)
	}
	return s.zoneCalendarFP(ctx, zoneID, fp)
}

// zoneCalendarFP is zoneCalendar with the fingerprint (count, sum of
// versions, largest id of the zone's calendar rows) read by the caller.
func (s *Store) zoneCalendarFP(ctx context.Context, zoneID int64, fp [3]int64) (*xinlu.Calendar, error) {
	key := calendarCacheKey{s, zoneID}
	if e, ok := calendarCache.Load(key); ok && e.(calendarCacheEntry).fp == fp {
		return e.(calendarCacheEntry).cal, nil
	}
	cal, err := s.Calendar(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	calendarCache.Store(key, calendarCacheEntry{fp: fp, cal: cal})
	return cal, nil
}
