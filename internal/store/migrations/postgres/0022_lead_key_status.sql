-- The duplicate search scans the company-key index alone and skips merged
-- leads there, so that many merged reports of one company cannot fill its
-- probes and hide the live lead they were merged into.
DROP INDEX leads_company_key;
CREATE INDEX leads_company_key ON leads(zone_id, company_key, status);
-- The planner's statistics for the new index (SQLite keeps only their
-- averages: store.Optimize drops the samples).
ANALYZE leads;
