-- Per-zone pipeline settings (招商流程设置): the deadlines in working days
-- of screening a lead, packaging an accepted project and a sponsor's
-- progress entry. A zone without a row uses the defaults
-- (xinlu.ScreeningWorkdays, PackagingWorkdays, ProgressWorkdays).
CREATE TABLE pipeline_settings (
    zone_id        INTEGER PRIMARY KEY REFERENCES zones(id),
    screening_days INTEGER NOT NULL DEFAULT 5,
    packaging_days INTEGER NOT NULL DEFAULT 15,
    progress_days  INTEGER NOT NULL DEFAULT 20,
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TIMESTAMP NOT NULL
);

-- Per-zone approval checklist template (审批事项模板): the items a project
-- gets when it is signed, in sort_order. A zone without rows uses the
-- built-in template (store.DefaultApprovalTemplate); its first change copies
-- that template here. Checklists already created are copies (approval_items)
-- and do not point back at these rows.
CREATE TABLE approval_templates (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    name       TEXT NOT NULL,
    limit_days INTEGER NOT NULL,
    sort_order INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX approval_templates_name ON approval_templates(zone_id, name);
CREATE INDEX approval_templates_order ON approval_templates(zone_id, sort_order, id);
