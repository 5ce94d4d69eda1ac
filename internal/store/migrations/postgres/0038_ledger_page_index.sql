-- The ledger filtered by stage and industry (the usual pair) reads its
-- page's ids, newest first, from this index alone.
CREATE INDEX projects_zone_stage_industry ON projects(zone_id, stage, industry, id);
