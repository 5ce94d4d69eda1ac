package store

import (
	"context"
	"fmt"
	"time"

	"xinlu/internal/xinlu"
)

// ImportItem is one project of an import with what the workbook carries
// beside the project's own columns: funds in place to record on it, and
// timeline events (remarks, names that are not members, funds of a project
// not signed yet).
type ImportItem struct {
	Project *ProjectRecord
	Funds   []Funds // recorded as the import's funds in place; OnDate "" is the import date
	Events  []ImportEvent
}

// ImportEvent is a timeline event an import adds to a project.
type ImportEvent struct {
	Kind   string
	Detail map[string]any
}

// ImportProjectItems is ImportProjects for items: each project whose
// ImportKey the zone does not have yet is created with its funds in place
// and timeline events, all in one transaction; one bad row and nothing is
// kept. Funds need a signed project (as RecordFunds). dryRun checks every
// row the same way and rolls back.
func (s *Store) ImportProjectItems(ctx context.Context, a xinlu.Actor, zoneID int64, items []ImportItem, dryRun bool) (ImportResult, error) {
	var res ImportResult
	errDry := fmt.Errorf("dry run")
	today := s.today().Format(xinlu.DateLayout)
	rowErr := func(i int, err error) error {
		if e, ok := err.(*xinlu.Error); ok && e.Code == xinlu.EINVALID {
			return &xinlu.Error{Code: xinlu.EINVALID, Field: e.Field, Key: "projects.import_row_error", Args: []any{i + 1}, Err: e}
		}
		return err
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		for i, it := range items {
			p := it.Project
			p.ZoneID = zoneID
			if p.ImportKey != "" {
				var n int
				if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE zone_id = ? AND import_key = ?`, zoneID, p.ImportKey).Scan(&n); err != nil {
					return xinlu.Internal(err)
				}
				if n > 0 {
					res.Skipped++
					continue
				}
			}
			if err := tx.createProject(ctx, a, p); err != nil {
				return rowErr(i, err)
			}
			for _, f := range it.Funds {
				if f.OnDate == "" {
					f.OnDate = today
				}
				if p.Signing.SignedOn == "" {
					return rowErr(i, xinlu.Invalid("amount_yuan", "projects.import_funds_unsigned"))
				}
				if err := xinlu.CheckFunds(f.OnDate, f.Yuan, s.today()); err != nil {
					return rowErr(i, err)
				}
				if _, err := tx.insert(ctx, `INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, note, created_at) VALUES (?,?,?,?,?,?)`,
					p.ZoneID, p.ID, f.OnDate, f.Yuan, f.Note, s.Now()); err != nil {
					return err
				}
				detail := map[string]any{"date": f.OnDate, "amount_yuan": f.Yuan, "note": f.Note}
				if err := tx.event(ctx, a, p.ZoneID, p.ID, "funds", detail); err != nil {
					return err
				}
				if err := tx.audit(ctx, a, "project.funds", "project", p.ID, nil, detail); err != nil {
					return err
				}
			}
			for _, e := range it.Events {
				if err := tx.event(ctx, a, p.ZoneID, p.ID, e.Kind, e.Detail); err != nil {
					return err
				}
			}
			res.Created++
		}
		if dryRun {
			return errDry
		}
		return tx.audit(ctx, a, "project.import", "project", 0, nil, map[string]any{"created": res.Created, "skipped": res.Skipped})
	})
	if err == errDry {
		err = nil
	}
	return res, err
}

// Today is the store clock's date in Asia/Shanghai: the date an import
// records funds in place on.
func (s *Store) Today() time.Time { return s.today() }
