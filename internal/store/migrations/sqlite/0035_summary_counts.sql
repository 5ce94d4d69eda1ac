-- Summary rows: how many leads each zone has per status and industry, and
-- how many projects (and their known total investment) per stage, status
-- and industry. Triggers keep them in the same transaction as the rows they
-- count, so that list totals and the kanban read a few rows instead of
-- counting the zone's records on every request.
CREATE TABLE lead_counts (
    zone_id  INTEGER NOT NULL,
    status   TEXT NOT NULL,
    industry TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (zone_id, status, industry)
);
INSERT INTO lead_counts (zone_id, status, industry, n)
    SELECT zone_id, status, industry, COUNT(*) FROM leads GROUP BY zone_id, status, industry;

CREATE TRIGGER leads_count_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_counts (zone_id, status, industry, n) VALUES (NEW.zone_id, NEW.status, NEW.industry, 1)
        ON CONFLICT (zone_id, status, industry) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER leads_count_delete AFTER DELETE ON leads BEGIN
    UPDATE lead_counts SET n = n - 1 WHERE zone_id = OLD.zone_id AND status = OLD.status AND industry = OLD.industry;
END;
CREATE TRIGGER leads_count_update AFTER UPDATE OF zone_id, status, industry ON leads
    WHEN OLD.zone_id <> NEW.zone_id OR OLD.status <> NEW.status OR OLD.industry <> NEW.industry BEGIN
    UPDATE lead_counts SET n = n - 1 WHERE zone_id = OLD.zone_id AND status = OLD.status AND industry = OLD.industry;
    INSERT INTO lead_counts (zone_id, status, industry, n) VALUES (NEW.zone_id, NEW.status, NEW.industry, 1)
        ON CONFLICT (zone_id, status, industry) DO UPDATE SET n = n + 1;
END;

-- known counts the projects whose total investment is known; yuan sums
-- those investments in double precision, like sumYuan.
CREATE TABLE project_counts (
    zone_id  INTEGER NOT NULL,
    stage    TEXT NOT NULL,
    status   TEXT NOT NULL,
    industry TEXT NOT NULL,
    n        INTEGER NOT NULL,
    known    INTEGER NOT NULL,
    yuan     REAL NOT NULL,
    PRIMARY KEY (zone_id, stage, status, industry)
);
INSERT INTO project_counts (zone_id, stage, status, industry, n, known, yuan)
    SELECT zone_id, stage, status, industry, COUNT(*), COUNT(total_yuan), COALESCE(SUM(CAST(total_yuan AS REAL)), 0)
    FROM projects GROUP BY zone_id, stage, status, industry;

CREATE TRIGGER projects_count_insert AFTER INSERT ON projects BEGIN
    INSERT INTO project_counts (zone_id, stage, status, industry, n, known, yuan)
        VALUES (NEW.zone_id, NEW.stage, NEW.status, NEW.industry, 1, NEW.total_yuan IS NOT NULL, COALESCE(CAST(NEW.total_yuan AS REAL), 0))
        ON CONFLICT (zone_id, stage, status, industry) DO UPDATE
        SET n = n + 1, known = known + excluded.known, yuan = yuan + excluded.yuan;
END;
CREATE TRIGGER projects_count_delete AFTER DELETE ON projects BEGIN
    UPDATE project_counts SET n = n - 1, known = known - (OLD.total_yuan IS NOT NULL), yuan = yuan - COALESCE(CAST(OLD.total_yuan AS REAL), 0)
        WHERE zone_id = OLD.zone_id AND stage = OLD.stage AND status = OLD.status AND industry = OLD.industry;
END;
CREATE TRIGGER projects_count_update AFTER UPDATE OF zone_id, stage, status, industry, total_yuan ON projects
    WHEN OLD.zone_id <> NEW.zone_id OR OLD.stage <> NEW.stage OR OLD.status <> NEW.status OR OLD.industry <> NEW.industry
        OR OLD.total_yuan IS NOT NEW.total_yuan BEGIN
    UPDATE project_counts SET n = n - 1, known = known - (OLD.total_yuan IS NOT NULL), yuan = yuan - COALESCE(CAST(OLD.total_yuan AS REAL), 0)
        WHERE zone_id = OLD.zone_id AND stage = OLD.stage AND status = OLD.status AND industry = OLD.industry;
    INSERT INTO project_counts (zone_id, stage, status, industry, n, known, yuan)
        VALUES (NEW.zone_id, NEW.stage, NEW.status, NEW.industry, 1, NEW.total_yuan IS NOT NULL, COALESCE(CAST(NEW.total_yuan AS REAL), 0))
        ON CONFLICT (zone_id, stage, status, industry) DO UPDATE
        SET n = n + 1, known = known + excluded.known, yuan = yuan + excluded.yuan;
END;
