-- One covering index serves the kanban (GROUP BY stage with counts and
-- sums, in index order) and the ledger's stage filter.
DROP INDEX IF EXISTS projects_kanban;
DROP INDEX IF EXISTS projects_zone_stage;
CREATE INDEX projects_zone_stage ON projects(zone_id, stage, status, total_yuan);
