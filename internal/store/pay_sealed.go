package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/xinlu"
)

// Pay amounts are encrypted at rest like phone numbers: a member's base
// performance pay (member_pay.base_sealed) and each result's base and pay
// (appraisal_results.base_sealed, pay_sealed) are stored as their decimal
// text sealed with the store's sealer, plain only in a database without
// data keys. Nothing sums or compares them in SQL: the store opens them and
// computes in Go, saturating sums as xinlu.AddYuan does.

// payField is the inventory entry of a sealed amount column.
func payField(table, column string) xinlu.PersonalField {
	for _, f := range xinlu.PersonalFieldsOf(table) {
		if f.Column == column && f.Encrypted {
			return f
		}
	}
	panic("store: " + table + "." + column + " is not an encrypted field of the personal-data inventory")
}

var (
	memberBasePay = payField("member_pay", "base_sealed")
	resultBasePay = payField("appraisal_results", "base_sealed")
	resultPay     = payField("appraisal_results", "pay_sealed")
)

// sealedKey is the column that identifies a row of a table with encrypted
// columns, for re-sealing them one row at a time: id, except where the
// table's key is another column.
func sealedKey(table string) string {
	if table == "member_pay" {
		return "member_id"
	}
	return "id"
}

// yuanSealer seals amounts within one transaction, with the sealer looked
// up once.
type yuanSealer struct{ sl seal.Sealer }

// yuanSealer returns the transaction's amount sealer. Without a sealer,
// amounts are stored in plain text, which is refused once the database
// holds data keys, as for every encrypted field.
func (tx *Tx) yuanSealer(ctx context.Context) (yuanSealer, error) {
	sl := tx.s.Sealer()
	if sl == nil {
		if has, err := tx.hasDataKeys(ctx); err != nil {
			return yuanSealer{}, err
		} else if has {
			return yuanSealer{}, xinlu.Internal(errNoKeys)
		}
	}
	return yuanSealer{sl}, nil
}

// seal returns what to store for amount yuan in field f.
func (y yuanSealer) seal(f xinlu.PersonalField, yuan int64) (string, error) {
	v := strconv.FormatInt(yuan, 10)
	if y.sl == nil {
		return v, nil
	}
	out, err := y.sl.Seal(f.Name(), v)
	if err != nil {
		return "", xinlu.Internal(err)
	}
	return out, nil
}

// openYuan returns the amount a stored value of field f holds; "" (no row
// in an outer join) is 0. sl is the store's sealer, nil when it has none.
func openYuan(sl seal.Sealer, f xinlu.PersonalField, stored string) (int64, error) {
	if stored == "" {
		return 0, nil
	}
	v, err := openValue(sl, f, stored)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, xinlu.Internal(fmt.Errorf("%s holds no amount: %w", f.Name(), err))
	}
	return n, nil
}

// openResult fills a result's base and pay from their stored values.
func (s *Store) openResult(r *Result, base, pay string) error {
	sl := s.Sealer()
	var err error
	if r.BaseYuan, err = openYuan(sl, resultBasePay, base); err != nil {
		return err
	}
	r.PayYuan, err = openYuan(sl, resultPay, pay)
	return err
}

// scanResult reads a row of resultColumns and opens its amounts.
func (s *Store) scanResult(sc scanner) (*Result, error) {
	r := &Result{}
	var base, pay string
	err := sc.Scan(&r.ID, &r.PeriodID, &r.MemberID, &r.MemberName, &r.StaffNo, &r.DepartmentID, &r.DepartmentName, &r.PositionKind,
		&r.Group, &r.GroupSize, &r.TopQuota, &r.BottomQuota, &r.Score, &r.KeyTask, &r.Points, &r.Missing, &r.Rank, &r.Band, &r.Rule,
		&r.CalibratedFrom, &r.CalibrationReason, &r.Exclusion, &r.Coefficient, &base, &pay, &r.Grade, &r.Version)
	if err != nil {
		return r, err
	}
	return r, s.openResult(r, base, pay)
}

// sumPay opens and sums a period's pay lines, saturating like every sum
// of amounts.
func sumPay(sl seal.Sealer, rows *sql.Rows, err error) (int64, error) {
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var total int64
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return 0, xinlu.Internal(err)
		}
		pay, err := openYuan(sl, resultPay, v)
		if err != nil {
			return 0, err
		}
		total = xinlu.AddYuan(total, pay)
	}
	if err := rows.Err(); err != nil {
		return 0, xinlu.Internal(err)
	}
	return total, nil
}

const periodPayQuery = `SELECT pay_sealed FROM appraisal_results WHERE period_id = ?`

// payTotal sums a period's pay lines.
func (tx *Tx) payTotal(ctx context.Context, periodID int64) (int64, error) {
	rows, err := tx.query(ctx, periodPayQuery, periodID)
	return sumPay(tx.s.Sealer(), rows, err)
}

// PayTotal sums a period's performance pay (on SQLite cached like list
// totals until the next write).
func (s *Store) PayTotal(ctx context.Context, periodID int64) (int64, error) {
	if s.dialect != SQLite {
		rows, err := s.query(ctx, periodPayQuery, periodID)
		return sumPay(s.Sealer(), rows, err)
	}
	key := "pay_total\x00" + strconv.FormatInt(periodID, 10)
	writes, now := s.writes.Load(), time.Now()
	c := &s.counts
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && e.writes == writes && now.Sub(e.at) < countTTL {
		c.mu.Unlock()
		return int64(e.n), nil
	}
	c.mu.Unlock()
	rows, err := s.query(ctx, periodPayQuery, periodID)
	n, err := sumPay(s.Sealer(), rows, err)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= countCacheLimit {
		c.entries = map[string]countEntry{}
	}
	c.entries[key] = countEntry{n: int(n), writes: writes, at: now}
	c.mu.Unlock()
	return n, nil
}
