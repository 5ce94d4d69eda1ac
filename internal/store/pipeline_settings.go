package store

import (
	"context"
	"database/sql"
	"time"

	"xinlu/internal/xinlu"
)

// Pipeline settings (招商流程设置): each zone's deadlines in working days,
// the thresholds of its deadline lights and escalation, and its approval
// checklist template. The system administrator (xinlu.PermOrgManage) edits
// them; the store code that sets screening_due and stage_due, and
// createChecklist at signing, read them in the transaction that uses them;
// whatever computes a light or an escalation reads the zone's LightRules
// once per request or per zone of a run. Nothing is cached.

// PipelineSettings are a zone's pipeline deadlines in working days and the
// thresholds of its lights and escalation.
type PipelineSettings struct {
	ZoneID        int64
	ScreeningDays int // report → screening decision (screening_due)
	PackagingDays int // acceptance → plan submitted (stage_due of packaging)
	ProgressDays  int // a sponsor's progress entry at least this often (stage_due of promotion)
	// Light holds the yellow-light and escalation thresholds (columns
	// yellow_days, sponsor_after_days, director_after_days).
	Light     xinlu.LightRules
	Version   int
	UpdatedAt time.Time // zero while the zone uses the defaults
}

// Bounds of a pipeline deadline, in working days.
const (
	MinPipelineDays = 1
	MaxPipelineDays = 60
)

// DefaultPipelineSettings are the settings of a zone that saved none.
func DefaultPipelineSettings(zoneID int64) PipelineSettings {
	return PipelineSettings{ZoneID: zoneID, ScreeningDays: xinlu.ScreeningWorkdays, PackagingDays: xinlu.PackagingWorkdays,
		ProgressDays: xinlu.ProgressWorkdays, Light: xinlu.DefaultLightRules(), Version: 1}
}

// Validate checks the settings as typed; an error names the first bad field.
func (st *PipelineSettings) Validate() error {
	var errs xinlu.FieldErrors
	for _, f := range []struct {
		name string
		v    int
	}{{"screening_days", st.ScreeningDays}, {"packaging_days", st.PackagingDays}, {"progress_days", st.ProgressDays}} {
		if f.v < MinPipelineDays || f.v > MaxPipelineDays {
			errs.Invalid(f.name, "pipeline_settings.days_range", MinPipelineDays, MaxPipelineDays)
		}
	}
	errs.Add(st.Light.Validate())
	return errs.Err()
}

const pipelineSettingsQuery = `SELECT zone_id, screening_days, packaging_days, progress_days, yellow_days, sponsor_after_days,
	director_after_days, version, updated_at FROM pipeline_settings WHERE zone_id = ?`

func scanPipelineSettings(row *sql.Row, zoneID int64) (PipelineSettings, error) {
	var st PipelineSettings
	err := row.Scan(&st.ZoneID, &st.ScreeningDays, &st.PackagingDays, &st.ProgressDays, &st.Light.YellowWithin, &st.Light.SponsorAfter,
		&st.Light.DirectorAfter, &st.Version, &st.UpdatedAt)
	if err == sql.ErrNoRows {
		return DefaultPipelineSettings(zoneID), nil
	}
	if err != nil {
		return st, xinlu.Internal(err)
	}
	return st, nil
}

// PipelineSettings returns the zone's pipeline deadlines, the defaults
// (version 1) when it saved none.
func (s *Store) PipelineSettings(ctx context.Context, zoneID int64) (PipelineSettings, error) {
	return scanPipelineSettings(s.queryRow(ctx, pipelineSettingsQuery, zoneID), zoneID)
}

// pipelineSettings reads the deadlines inside a transaction, for the steps
// that set a due date.
func (tx *Tx) pipelineSettings(ctx context.Context, zoneID int64) (PipelineSettings, error) {
	return scanPipelineSettings(tx.queryRow(ctx, pipelineSettingsQuery, zoneID), zoneID)
}

// LightRules returns the zone's yellow-light and escalation thresholds,
// the defaults when it saved none. Callers read them once per request (or
// per zone of a run), with the zone's calendar.
func (s *Store) LightRules(ctx context.Context, zoneID int64) (xinlu.LightRules, error) {
	st, err := s.PipelineSettings(ctx, zoneID)
	return st.Light, err
}

func pipelineSettingsAudit(st PipelineSettings) map[string]any {
	return map[string]any{"screening_days": st.ScreeningDays, "packaging_days": st.PackagingDays, "progress_days": st.ProgressDays,
		"yellow_within_days": st.Light.YellowWithin, "sponsor_after_days": st.Light.SponsorAfter, "director_after_days": st.Light.DirectorAfter}
}

// SavePipelineSettings saves u's zone's deadlines and light thresholds if
// st.Version is current (the defaults are version 1); it needs
// xinlu.PermOrgManage. Deadlines already set (screening_due, stage_due) stay
// as they are: the new values apply from the next report, acceptance or
// progress entry. The light thresholds apply at once: to every light shown
// from then on and to the next escalation run.
func (s *Store) SavePipelineSettings(ctx context.Context, a xinlu.Actor, u *xinlu.User, st *PipelineSettings) error {
	if !u.Can(xinlu.PermOrgManage) {
		return xinlu.Forbidden()
	}
	st.ZoneID = u.ZoneID
	if err := st.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.pipelineSettings(ctx, st.ZoneID)
		if err != nil {
			return err
		}
		if old.Version != st.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.ScreeningDays == st.ScreeningDays && old.PackagingDays == st.PackagingDays && old.ProgressDays == st.ProgressDays &&
			old.Light == st.Light {
			// Saved unchanged: no version, no audit row.
			*st = old
			return nil
		}
		now := s.Now()
		var res sql.Result
		if old.UpdatedAt.IsZero() {
			res, err = tx.exec(ctx, `INSERT INTO pipeline_settings (zone_id, screening_days, packaging_days, progress_days,
				yellow_days, sponsor_after_days, director_after_days, version, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`,
				st.ZoneID, st.ScreeningDays, st.PackagingDays, st.ProgressDays,
				st.Light.YellowWithin, st.Light.SponsorAfter, st.Light.DirectorAfter, old.Version+1, now)
		} else {
			res, err = tx.exec(ctx, `UPDATE pipeline_settings SET screening_days = ?, packaging_days = ?, progress_days = ?,
				yellow_days = ?, sponsor_after_days = ?, director_after_days = ?,
				version = version + 1, updated_at = ? WHERE zone_id = ? AND version = ?`,
				st.ScreeningDays, st.PackagingDays, st.ProgressDays,
				st.Light.YellowWithin, st.Light.SponsorAfter, st.Light.DirectorAfter, now, st.ZoneID, old.Version)
		}
		if err != nil {
			if err = s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("version", "error.stale") // a concurrent first save
			}
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale") // a concurrent save won
		}
		st.Version, st.UpdatedAt = old.Version+1, now
		return tx.audit(ctx, a, "pipeline_settings.update", "pipeline_settings", st.ZoneID, pipelineSettingsAudit(old), pipelineSettingsAudit(*st))
	})
}

// --- the approval checklist template ---

// Bounds of the approval checklist template.
const (
	MaxApprovalTemplateName  = 50  // runes
	MaxApprovalTemplateDays  = 365 // working days
	MaxApprovalTemplateItems = 50
)

// ApprovalTemplateList is a zone's approval checklist template in order.
// While Custom is false the zone uses DefaultApprovalTemplate and its items
// are numbered by position (ID 1 is the first item, version 1): the first
// change of any item copies the whole template into the zone, where the
// items get ids of their own.
type ApprovalTemplateList struct {
	Custom bool
	Items  []ApprovalTemplate
}

const approvalTemplateColumns = `id, zone_id, name, limit_days, sort_order, version, created_at, updated_at`

func scanApprovalTemplate(sc interface{ Scan(...any) error }) (ApprovalTemplate, error) {
	var t ApprovalTemplate
	err := sc.Scan(&t.ID, &t.ZoneID, &t.Name, &t.LimitDays, &t.SortOrder, &t.Version, &t.CreatedAt, &t.UpdatedAt)
	return t, err
}

// defaultTemplateFor is DefaultApprovalTemplate as zoneID's template before
// any change: ids are positions.
func defaultTemplateFor(zoneID int64) []ApprovalTemplate {
	out := make([]ApprovalTemplate, len(DefaultApprovalTemplate))
	for i, t := range DefaultApprovalTemplate {
		out[i] = ApprovalTemplate{ID: int64(i + 1), ZoneID: zoneID, Name: t.Name, LimitDays: t.LimitDays, SortOrder: i + 1, Version: 1}
	}
	return out
}

func templateList(zoneID int64, rows []ApprovalTemplate) ApprovalTemplateList {
	if len(rows) == 0 {
		return ApprovalTemplateList{Items: defaultTemplateFor(zoneID)}
	}
	return ApprovalTemplateList{Custom: true, Items: rows}
}

// ApprovalTemplates returns the zone's approval checklist template.
func (s *Store) ApprovalTemplates(ctx context.Context, zoneID int64) (ApprovalTemplateList, error) {
	rows, err := s.query(ctx, `SELECT `+approvalTemplateColumns+` FROM approval_templates WHERE zone_id = ? ORDER BY sort_order, id`, zoneID)
	if err != nil {
		return ApprovalTemplateList{}, xinlu.Internal(err)
	}
	out, err := collect(rows, scanApprovalTemplate)
	if err != nil {
		return ApprovalTemplateList{}, err
	}
	return templateList(zoneID, out), nil
}

// approvalTemplates reads the zone's template inside a transaction.
func (tx *Tx) approvalTemplates(ctx context.Context, zoneID int64) (ApprovalTemplateList, error) {
	rows, err := tx.query(ctx, `SELECT `+approvalTemplateColumns+` FROM approval_templates WHERE zone_id = ? ORDER BY sort_order, id`, zoneID)
	if err != nil {
		return ApprovalTemplateList{}, xinlu.Internal(err)
	}
	out, err := collect(rows, scanApprovalTemplate)
	if err != nil {
		return ApprovalTemplateList{}, err
	}
	return templateList(zoneID, out), nil
}

func approvalTemplateAudit(t ApprovalTemplate) map[string]any {
	return map[string]any{"name": t.Name, "limit_days": t.LimitDays, "sort_order": t.SortOrder}
}

// validateApprovalTemplate trims and checks an item as typed.
func validateApprovalTemplate(t *ApprovalTemplate) error {
	var errs xinlu.FieldErrors
	name, err := xinlu.Name("name", t.Name)
	errs.Add(err)
	if err == nil {
		t.Name = name
	}
	switch {
	case err != nil:
	case t.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(t.Name)) > MaxApprovalTemplateName:
		errs.Invalid("name", "error.too_long", MaxApprovalTemplateName)
	}
	if t.LimitDays < 1 || t.LimitDays > MaxApprovalTemplateDays {
		errs.Invalid("limit_days", "pipeline_settings.days_range", 1, MaxApprovalTemplateDays)
	}
	return errs.Err()
}

// ValidateApprovalTemplate checks an item of the checklist template as typed.
func ValidateApprovalTemplate(t ApprovalTemplate) error { return validateApprovalTemplate(&t) }

// templateNameTaken turns a unique violation into a clash on the name field.
func templateNameTaken(err error) error {
	if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
		return xinlu.Conflict("name", "pipeline_settings.approval_name_taken")
	}
	return err
}

// editTemplate runs fn on the zone's template in one transaction, for a
// user who may manage it. Writers of one zone's template are serialised;
// a zone still on the built-in template gets a copy of it first (audited),
// so that fn always sees the zone's own rows. wasCustom tells fn whether
// ids are real ids (true) or positions in the built-in template (false).
func (s *Store) editTemplate(ctx context.Context, a xinlu.Actor, u *xinlu.User, fn func(tx *Tx, items []ApprovalTemplate, wasCustom bool) error) error {
	if !u.Can(xinlu.PermOrgManage) {
		return xinlu.Forbidden()
	}
	zoneID := u.ZoneID
	return s.inTx(ctx, func(tx *Tx) error {
		if s.dialect == Postgres {
			// SQLite's write transaction is exclusive already.
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7315, CAST(? AS INTEGER))`, zoneID); err != nil {
				return xinlu.Internal(err)
			}
		}
		list, err := tx.approvalTemplates(ctx, zoneID)
		if err != nil {
			return err
		}
		if !list.Custom {
			now := s.Now()
			copied := make([]map[string]any, 0, len(list.Items))
			for i := range list.Items {
				t := &list.Items[i]
				id, err := tx.insert(ctx, `INSERT INTO approval_templates (zone_id, name, limit_days, sort_order, version, created_at, updated_at)
					VALUES (?,?,?,?,1,?,?)`, zoneID, t.Name, t.LimitDays, t.SortOrder, now, now)
				if err != nil {
					return err
				}
				t.ID, t.CreatedAt, t.UpdatedAt = id, now, now
				copied = append(copied, approvalTemplateAudit(*t))
			}
			if err := tx.audit(ctx, a, "approval_template.copy_defaults", "approval_template", 0, nil, map[string]any{"items": copied}); err != nil {
				return err
			}
		}
		return fn(tx, list.Items, list.Custom)
	})
}

// findTemplate picks the item id names: a real id, or while the zone was
// on the built-in template its position. It returns the index in items.
func findTemplate(items []ApprovalTemplate, id int64, wasCustom bool) (int, error) {
	if !wasCustom {
		if id >= 1 && id <= int64(len(items)) {
			return int(id - 1), nil
		}
		return 0, xinlu.NotFound("error.not_found")
	}
	for i, t := range items {
		if t.ID == id {
			return i, nil
		}
	}
	return 0, xinlu.NotFound("error.not_found")
}

// AddApprovalTemplate appends an item to u's zone's template.
func (s *Store) AddApprovalTemplate(ctx context.Context, a xinlu.Actor, u *xinlu.User, t *ApprovalTemplate) error {
	if err := validateApprovalTemplate(t); err != nil {
		return err
	}
	return s.editTemplate(ctx, a, u, func(tx *Tx, items []ApprovalTemplate, _ bool) error {
		if len(items) >= MaxApprovalTemplateItems {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Key: "pipeline_settings.approval_too_many", Args: []any{MaxApprovalTemplateItems}}
		}
		order := 0
		for _, it := range items {
			order = max(order, it.SortOrder)
			if it.Name == t.Name {
				return xinlu.Conflict("name", "pipeline_settings.approval_name_taken")
			}
		}
		now := s.Now()
		t.ZoneID, t.SortOrder, t.Version, t.CreatedAt, t.UpdatedAt = u.ZoneID, order+1, 1, now, now
		id, err := tx.insert(ctx, `INSERT INTO approval_templates (zone_id, name, limit_days, sort_order, version, created_at, updated_at)
			VALUES (?,?,?,?,1,?,?)`, t.ZoneID, t.Name, t.LimitDays, t.SortOrder, now, now)
		if err != nil {
			return templateNameTaken(err)
		}
		t.ID = id
		return tx.audit(ctx, a, "approval_template.create", "approval_template", id, nil, approvalTemplateAudit(*t))
	})
}

// UpdateApprovalTemplate renames an item or changes its limit if
// t.Version is current; t.ID is the item's id (or its position while the
// zone is on the built-in template). When position is not 0 the item also
// moves there (1 is the top). Checklists already created keep what they have.
func (s *Store) UpdateApprovalTemplate(ctx context.Context, a xinlu.Actor, u *xinlu.User, t *ApprovalTemplate, position int) error {
	if err := validateApprovalTemplate(t); err != nil {
		return err
	}
	if u.Can(xinlu.PermOrgManage) {
		// Saved unchanged: nothing is written, not even the copy of the
		// built-in template a first change makes.
		if list, err := s.ApprovalTemplates(ctx, u.ZoneID); err == nil {
			if i, err := findTemplate(list.Items, t.ID, list.Custom); err == nil {
				old := list.Items[i]
				if old.Version == t.Version && old.Name == t.Name && old.LimitDays == t.LimitDays && (position == 0 || position == i+1) {
					*t = old
					return nil
				}
			}
		}
	}
	return s.editTemplate(ctx, a, u, func(tx *Tx, items []ApprovalTemplate, wasCustom bool) error {
		i, err := findTemplate(items, t.ID, wasCustom)
		if err != nil {
			return err
		}
		old := items[i]
		if old.Version != t.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if position != 0 && (position < 1 || position > len(items)) {
			return xinlu.Invalid("position", "error.out_of_range", 1, len(items))
		}
		for j, it := range items {
			if j != i && it.Name == t.Name {
				return xinlu.Conflict("name", "pipeline_settings.approval_name_taken")
			}
		}
		now := s.Now()
		res, err := tx.exec(ctx, `UPDATE approval_templates SET name = ?, limit_days = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ? AND version = ?`, t.Name, t.LimitDays, now, old.ID, old.ZoneID, old.Version)
		if err != nil {
			return templateNameTaken(s.translate(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		t.ID, t.ZoneID, t.SortOrder, t.Version, t.CreatedAt, t.UpdatedAt = old.ID, old.ZoneID, old.SortOrder, old.Version+1, old.CreatedAt, now
		items[i] = *t
		if position != 0 && position != i+1 {
			if t.SortOrder, err = tx.reorderTemplate(ctx, items, i, position-1); err != nil {
				return err
			}
		}
		return tx.audit(ctx, a, "approval_template.update", "approval_template", t.ID, approvalTemplateAudit(old), approvalTemplateAudit(*t))
	})
}

// MoveApprovalTemplate moves an item one place up (dir "up") or down
// ("down") if version is current (0 skips the check). Moving the first
// item up or the last one down changes nothing.
func (s *Store) MoveApprovalTemplate(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, dir string) (*ApprovalTemplate, error) {
	step := map[string]int{"up": -1, "down": 1}[dir]
	if step == 0 {
		return nil, xinlu.Invalid("dir", "error.invalid_choice")
	}
	var out *ApprovalTemplate
	err := s.editTemplate(ctx, a, u, func(tx *Tx, items []ApprovalTemplate, wasCustom bool) error {
		i, err := findTemplate(items, id, wasCustom)
		if err != nil {
			return err
		}
		old := items[i]
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		to := i + step
		if to < 0 || to >= len(items) {
			out = &old
			return nil
		}
		t := old
		if t.SortOrder, err = tx.reorderTemplate(ctx, items, i, to); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE approval_templates SET version = version + 1, updated_at = ? WHERE id = ?`, now, t.ID); err != nil {
			return s.translate(err)
		}
		t.Version, t.UpdatedAt = old.Version+1, now
		out = &t
		return tx.audit(ctx, a, "approval_template.move", "approval_template", t.ID, approvalTemplateAudit(old), approvalTemplateAudit(t))
	})
	return out, err
}

// reorderTemplate moves items[from] to index to and numbers the zone's
// items 1…n in the new order, writing the rows whose number changed. It
// returns the moved item's new sort_order.
func (tx *Tx) reorderTemplate(ctx context.Context, items []ApprovalTemplate, from, to int) (int, error) {
	moved := items[from]
	rest := append(append([]ApprovalTemplate{}, items[:from]...), items[from+1:]...)
	order := append(append(append([]ApprovalTemplate{}, rest[:to]...), moved), rest[to:]...)
	for i, t := range order {
		if t.SortOrder == i+1 {
			continue
		}
		if _, err := tx.exec(ctx, `UPDATE approval_templates SET sort_order = ? WHERE id = ? AND zone_id = ?`, i+1, t.ID, t.ZoneID); err != nil {
			return 0, tx.s.translate(err)
		}
	}
	return to + 1, nil
}

// DeleteApprovalTemplate removes an item from u's zone's template if
// version is current (0 skips the check). Checklists already created keep
// their items; the last item cannot go (a zone whose template is empty
// would be back on the built-in one).
func (s *Store) DeleteApprovalTemplate(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int) error {
	return s.editTemplate(ctx, a, u, func(tx *Tx, items []ApprovalTemplate, wasCustom bool) error {
		i, err := findTemplate(items, id, wasCustom)
		if err != nil {
			return err
		}
		old := items[i]
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if len(items) == 1 {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Key: "pipeline_settings.approval_last_item"}
		}
		if _, err := tx.exec(ctx, `DELETE FROM approval_templates WHERE id = ? AND zone_id = ?`, old.ID, old.ZoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "approval_template.delete", "approval_template", old.ID, approvalTemplateAudit(old), nil)
	})
}
