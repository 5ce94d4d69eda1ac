-- Projects: covering index for the kanban's GROUP BY (count and sum per
-- stage read from the index alone), and indexes for the ledger's filters
-- and its newest-first order.
CREATE INDEX projects_kanban ON projects(zone_id, status, stage, total_yuan);
CREATE INDEX projects_zone_id ON projects(zone_id, id);
CREATE INDEX projects_zone_due ON projects(zone_id, status, stage_due);
CREATE INDEX projects_zone_park ON projects(zone_id, park_id);
CREATE INDEX project_events_zone ON project_events(zone_id, at);
