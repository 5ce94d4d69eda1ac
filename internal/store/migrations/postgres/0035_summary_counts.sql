-- Summary rows: how many leads each zone has per status and industry, and
-- how many projects (and their known total investment) per stage, status
-- and industry. Statement triggers keep them in the same transaction as the
-- rows they count, one upsert per group of a statement (a bulk insert of
-- thousands of rows touches a few summary rows once each), so that list
-- totals and the kanban read a few rows instead of counting the zone's
-- records on every request. Groups are written in key order, so that two
-- transactions never wait for each other's summary rows crosswise.
CREATE TABLE lead_counts (
    zone_id  BIGINT NOT NULL,
    status   TEXT NOT NULL,
    industry TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (zone_id, status, industry)
);
INSERT INTO lead_counts (zone_id, status, industry, n)
    SELECT zone_id, status, industry, COUNT(*) FROM leads GROUP BY zone_id, status, industry;

CREATE FUNCTION lead_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO lead_counts AS c (zone_id, status, industry, n)
            SELECT zone_id, status, industry, COUNT(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, status, industry) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE lead_counts c SET n = c.n - d.n
            FROM (SELECT zone_id, status, industry, COUNT(*) AS n FROM old_rows GROUP BY 1, 2, 3) d
            WHERE c.zone_id = d.zone_id AND c.status = d.status AND c.industry = d.industry;
    ELSE
        INSERT INTO lead_counts AS c (zone_id, status, industry, n)
            SELECT zone_id, status, industry, SUM(n) FROM (
                SELECT zone_id, status, industry, 1 AS n FROM new_rows
                UNION ALL SELECT zone_id, status, industry, -1 FROM old_rows) d
            GROUP BY 1, 2, 3 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, status, industry) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER leads_count_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_apply();
CREATE TRIGGER leads_count_update AFTER UPDATE ON leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_apply();
CREATE TRIGGER leads_count_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_apply();

-- known counts the projects whose total investment is known; yuan sums
-- those investments in double precision, like sumYuan.
CREATE TABLE project_counts (
    zone_id  BIGINT NOT NULL,
    stage    TEXT NOT NULL,
    status   TEXT NOT NULL,
    industry TEXT NOT NULL,
    n        BIGINT NOT NULL,
    known    BIGINT NOT NULL,
    yuan     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (zone_id, stage, status, industry)
);
INSERT INTO project_counts (zone_id, stage, status, industry, n, known, yuan)
    SELECT zone_id, stage, status, industry, COUNT(*), COUNT(total_yuan), COALESCE(SUM(CAST(total_yuan AS DOUBLE PRECISION)), 0)
    FROM projects GROUP BY zone_id, stage, status, industry;

CREATE FUNCTION project_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO project_counts AS c (zone_id, stage, status, industry, n, known, yuan)
            SELECT zone_id, stage, status, industry, COUNT(*), COUNT(total_yuan), COALESCE(SUM(CAST(total_yuan AS DOUBLE PRECISION)), 0)
            FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (zone_id, stage, status, industry) DO UPDATE
            SET n = c.n + EXCLUDED.n, known = c.known + EXCLUDED.known, yuan = c.yuan + EXCLUDED.yuan;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE project_counts c SET n = c.n - d.n, known = c.known - d.known, yuan = c.yuan - d.yuan
            FROM (SELECT zone_id, stage, status, industry, COUNT(*) AS n, COUNT(total_yuan) AS known,
                    COALESCE(SUM(CAST(total_yuan AS DOUBLE PRECISION)), 0) AS yuan FROM old_rows GROUP BY 1, 2, 3, 4) d
            WHERE c.zone_id = d.zone_id AND c.stage = d.stage AND c.status = d.status AND c.industry = d.industry;
    ELSE
        INSERT INTO project_counts AS c (zone_id, stage, status, industry, n, known, yuan)
            SELECT zone_id, stage, status, industry, SUM(n), SUM(known), SUM(yuan) FROM (
                SELECT zone_id, stage, status, industry, 1 AS n, CASE WHEN total_yuan IS NULL THEN 0 ELSE 1 END AS known,
                    COALESCE(CAST(total_yuan AS DOUBLE PRECISION), 0) AS yuan FROM new_rows
                UNION ALL
                SELECT zone_id, stage, status, industry, -1, CASE WHEN total_yuan IS NULL THEN 0 ELSE -1 END,
                    -COALESCE(CAST(total_yuan AS DOUBLE PRECISION), 0) FROM old_rows) d
            GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0 OR SUM(known) <> 0 OR SUM(yuan) <> 0 ORDER BY 1, 2, 3, 4
            ON CONFLICT (zone_id, stage, status, industry) DO UPDATE
            SET n = c.n + EXCLUDED.n, known = c.known + EXCLUDED.known, yuan = c.yuan + EXCLUDED.yuan;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER projects_count_insert AFTER INSERT ON projects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION project_counts_apply();
CREATE TRIGGER projects_count_update AFTER UPDATE ON projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION project_counts_apply();
CREATE TRIGGER projects_count_delete AFTER DELETE ON projects REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION project_counts_apply();
