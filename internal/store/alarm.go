package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// Alarm thresholds: what the security administrator is told about.
const (
	bruteForceFailures = 20               // failed logins from one address …
	bruteForceWindow   = 15 * time.Minute // … within this window
	massExportRows     = 1000             // one export of at least this many rows
	massExportCount    = 10               // or this many exports by one user …
	massExportWindow   = time.Hour        // … within an hour
)

// Alarm kinds.
const (
	AlarmBruteForce = "brute_force"
	AlarmLockout    = "lockout"
	AlarmMassExport = "mass_export"
	AlarmChainBreak = "chain_break"
	// AlarmRoleEscalation: a refused attempt to give or change roles that
	// are the operator's (administrators', beyond the zone, the demo's
	// combined administrator outside the demo).
	AlarmRoleEscalation = "role_escalation"
)

// Alarm is one open or acknowledged alarm for the security administrator.
type Alarm struct {
	ID             int64
	ZoneID         int64
	Kind           string
	Subject        string // an address, a username
	Detail         string
	Count          int
	CreatedAt      time.Time
	LastAt         time.Time
	AcknowledgedBy string
	AcknowledgedAt sql.NullTime
}

// watch looks at each audit row as it is recorded and raises alarms; it
// runs in the same transaction. The rows it counts are written first.
func (tx *Tx) watch(ctx context.Context, e *xinlu.AuditEntry, detail any) error {
	switch {
	case e.Action == "auth.login_failed" && e.IP != "":
		if err := tx.flush(ctx); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND ip = ? AND at >= ?`,
			e.IP, e.At.Add(-bruteForceWindow)).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n >= bruteForceFailures {
			return tx.raiseAlarm(ctx, e.ZoneID, AlarmBruteForce, e.IP, fmt.Sprintf("%d failed logins in %d minutes", n, int(bruteForceWindow.Minutes())))
		}
	case e.Action == "user.roles_refused":
		msg := "refused role change"
		if m, ok := detail.(map[string]any); ok {
			msg = fmt.Sprintf("refused roles %v for %v: %v", m["roles"], m["username"], m["reason"])
		}
		return tx.raiseAlarm(ctx, e.ZoneID, AlarmRoleEscalation, e.ActorName, msg)
	case e.Action == "auth.lockout":
		return tx.raiseAlarm(ctx, e.ZoneID, AlarmLockout, e.ActorName, "account locked after repeated failed logins")
	case strings.HasSuffix(e.Action, ".export"):
		rows := 0
		if m, ok := detail.(map[string]any); ok {
			if n, ok := m["rows"].(int); ok {
				rows = n
			}
		}
		if rows >= massExportRows {
			return tx.raiseAlarm(ctx, e.ZoneID, AlarmMassExport, e.ActorName, fmt.Sprintf("%s of %d rows", e.Action, rows))
		}
		if err := tx.flush(ctx); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action LIKE '%.export' AND actor_id = ? AND at >= ?`,
			e.ActorID, e.At.Add(-massExportWindow)).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n >= massExportCount {
			return tx.raiseAlarm(ctx, e.ZoneID, AlarmMassExport, e.ActorName, fmt.Sprintf("%d exports within an hour", n))
		}
	}
	return nil
}

// raiseAlarm opens an alarm, or counts one more occurrence of an open alarm
// of the same kind and subject.
func (tx *Tx) raiseAlarm(ctx context.Context, zoneID int64, kind, subject, detail string) error {
	now := tx.s.Now()
	res, err := tx.exec(ctx, `UPDATE security_alarms SET count = count + 1, last_at = ?, detail = ?
		WHERE zone_id = ? AND kind = ? AND subject = ? AND acknowledged_by = ''`, now, detail, zoneID, kind, subject)
	if err != nil {
		return xinlu.Internal(err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = tx.exec(ctx, `INSERT INTO security_alarms (zone_id, kind, subject, detail, count, created_at, last_at) VALUES (?,?,?,?,1,?,?)`,
		zoneID, kind, subject, detail, now, now)
	return tx.s.translate(err)
}

// RaiseAlarm opens an alarm outside any other write (e.g. a chain break
// found by the hourly check), and audits it.
func (s *Store) RaiseAlarm(ctx context.Context, zoneID int64, kind, subject, detail string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseAlarm(ctx, zoneID, kind, subject, detail); err != nil {
			return err
		}
		return tx.audit(ctx, xinlu.SystemActor(zoneID), "security.alarm", "alarm", 0, nil,
			map[string]any{"kind": kind, "subject": subject, "detail": detail})
	})
}

// AlarmFilter selects alarms for the security administrator's page.
type AlarmFilter struct {
	ZoneID int64
	Open   bool // only unacknowledged ones
	xinlu.Page
}

// ListAlarms returns alarms of the zone and those that belong to no zone
// (failed logins of unknown usernames), newest first.
func (s *Store) ListAlarms(ctx context.Context, f AlarmFilter) ([]Alarm, int, error) {
	cond, args := `(zone_id = ? OR zone_id = 0)`, []any{f.ZoneID}
	if f.Open {
		cond += ` AND acknowledged_by = ''`
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM security_alarms WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT id, zone_id, kind, subject, detail, count, created_at, last_at, acknowledged_by, acknowledged_at
		FROM security_alarms WHERE `+cond+` ORDER BY last_at DESC, id DESC`+s.pageSQL(p), append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []Alarm
	for rows.Next() {
		var a Alarm
		if err := rows.Scan(&a.ID, &a.ZoneID, &a.Kind, &a.Subject, &a.Detail, &a.Count, &a.CreatedAt, &a.LastAt, &a.AcknowledgedBy, &a.AcknowledgedAt); err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

// OpenAlarms counts a zone's unacknowledged alarms, for the bell.
func (s *Store) OpenAlarms(ctx context.Context, zoneID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM security_alarms WHERE (zone_id = ? OR zone_id = 0) AND acknowledged_by = ''`, zoneID).Scan(&n)
	return n, s.translate(err)
}

// AcknowledgeAlarm marks an alarm of the zone as seen, with the actor's name.
func (s *Store) AcknowledgeAlarm(ctx context.Context, a xinlu.Actor, id int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE security_alarms SET acknowledged_by = ?, acknowledged_at = ?
			WHERE id = ? AND (zone_id = ? OR zone_id = 0) AND acknowledged_by = ''`, a.Name, s.Now(), id, a.ZoneID)
		if err != nil {
			return xinlu.Internal(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return xinlu.NotFound("error.not_found")
		}
		return tx.audit(ctx, a, "security.alarm_ack", "alarm", id, nil, nil)
	})
}
