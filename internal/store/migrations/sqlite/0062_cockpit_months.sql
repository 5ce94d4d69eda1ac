-- Cockpit summary rows: per zone and month (YYYY-MM, by the UTC date), how
-- many leads were reported, projects created, signed (with the contracted
-- and fixed-asset amounts), started and producing, and the funds put in
-- place; and per zone and year (YYYY) the same by dimension (industry,
-- park, sponsor, six_new tag, reporter), which the cockpit reads by year.
-- Rows of dimension 'days' count the transitions that ended in the year by
-- the working days they took (key), for the medians of the funnel: accept
-- (lead reported to project created), sign (created to signed), start
-- (signed to construction started), produce (started to producing).
-- Amounts are summed in double precision and read saturated, like
-- project_counts (see sumYuan). Working days count Monday to Friday, less the zone's holidays, plus its
-- make-up working days, as the calendar stood when the row was counted.
-- Triggers keep the rows in the transaction that changes the records; the
-- views *_facts say what each record contributes, for the triggers and for
-- a recount. The key leads with the dimension, so that each read of the
-- cockpit is a range of an index.
CREATE TABLE cockpit_months (
    zone_id INTEGER NOT NULL,
    month   TEXT NOT NULL,
    measure TEXT NOT NULL,
    dim     TEXT NOT NULL,
    key     TEXT NOT NULL,
    n       INTEGER NOT NULL,
    yuan    REAL NOT NULL,
    fixed   REAL NOT NULL,
    PRIMARY KEY (zone_id, dim, month, measure, key)
);
-- The cockpit's reads come from this index alone.
CREATE INDEX cockpit_months_read ON cockpit_months(zone_id, dim, month, measure, key, n, yuan, fixed);

CREATE TABLE cockpit_measures (measure TEXT PRIMARY KEY);
INSERT INTO cockpit_measures VALUES ('created'), ('signed'), ('started'), ('produced');
CREATE TABLE cockpit_dims (dim TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (dim, tag));
INSERT INTO cockpit_dims VALUES ('', ''), ('industry', ''), ('park', ''), ('sponsor', ''),
    ('six_new', 'new_infrastructure'), ('six_new', 'new_technology'), ('six_new', 'new_materials'),
    ('six_new', 'new_equipment'), ('six_new', 'new_products'), ('six_new', 'new_business_forms');
CREATE TABLE cockpit_steps (step TEXT PRIMARY KEY);
INSERT INTO cockpit_steps VALUES ('accept'), ('sign'), ('start'), ('produce');

CREATE VIEW cockpit_project_facts AS
SELECT p.id AS project_id, p.zone_id,
    substr(CASE ms.measure WHEN 'created' THEN p.created_at WHEN 'signed' THEN p.signed_on
        WHEN 'started' THEN p.started_on ELSE p.produced_on END, 1, CASE WHEN d.dim = '' THEN 7 ELSE 4 END) AS month,
    ms.measure, d.dim,
    CASE d.dim WHEN '' THEN '' WHEN 'industry' THEN p.industry WHEN 'park' THEN CAST(COALESCE(p.park_id, 0) AS TEXT)
        WHEN 'sponsor' THEN CAST(COALESCE(p.sponsor_id, 0) AS TEXT) ELSE d.tag END AS key,
    1 AS n,
    CASE WHEN ms.measure = 'signed' THEN p.contract_yuan ELSE 0 END AS yuan,
    CASE WHEN ms.measure = 'signed' THEN COALESCE(p.fixed_asset_yuan, 0) ELSE 0 END AS fixed
FROM projects p
JOIN cockpit_measures ms ON ms.measure = 'created' OR (ms.measure = 'signed' AND p.signed_on <> '')
    OR (ms.measure = 'started' AND p.started_on <> '') OR (ms.measure = 'produced' AND p.produced_on <> '')
JOIN cockpit_dims d ON d.dim <> 'six_new' OR instr(',' || p.six_new || ',', ',' || d.tag || ',') > 0
UNION ALL
SELECT project_id, zone_id, substr(b, 1, 4), step, 'days',
    CAST(max(0, 5 * (nb / 7) + min(nb % 7 + 1, 5) - 5 * (na / 7) - min(na % 7 + 1, 5)
        - (SELECT COUNT(*) FROM calendar_days c WHERE c.zone_id = x.zone_id AND c.kind = 'holiday' AND c.date > x.a AND c.date <= x.b)
        + (SELECT COUNT(*) FROM calendar_days c WHERE c.zone_id = x.zone_id AND c.kind = 'workday' AND c.date > x.a AND c.date <= x.b)) AS TEXT),
    1, 0, 0
FROM (SELECT y.*, CAST(julianday(y.a) - julianday('2000-01-03') AS INTEGER) AS na,
        CAST(julianday(y.b) - julianday('2000-01-03') AS INTEGER) AS nb
    FROM (SELECT p.id AS project_id, p.zone_id, s.step,
            CASE s.step WHEN 'accept' THEN (SELECT substr(l.reported_at, 1, 10) FROM leads l WHERE l.id = p.lead_id)
                WHEN 'sign' THEN substr(p.created_at, 1, 10) WHEN 'start' THEN p.signed_on ELSE p.started_on END AS a,
            CASE s.step WHEN 'accept' THEN substr(p.created_at, 1, 10) WHEN 'sign' THEN p.signed_on
                WHEN 'start' THEN p.started_on ELSE p.produced_on END AS b
        FROM projects p CROSS JOIN cockpit_steps s) y
    WHERE y.a IS NOT NULL AND y.a <> '' AND y.b <> '') x;

CREATE VIEW cockpit_lead_facts AS
SELECT l.id AS lead_id, l.zone_id, substr(l.reported_at, 1, 7) AS month, 'lead' AS measure, '' AS dim, '' AS key,
    1 AS n, 0 AS yuan, 0 AS fixed FROM leads l
UNION ALL SELECT l.id, l.zone_id, substr(l.reported_at, 1, 4), 'lead', 'industry', l.industry, 1, 0, 0 FROM leads l
UNION ALL SELECT l.id, l.zone_id, substr(l.reported_at, 1, 4), 'lead', 'reporter', CAST(l.reporter_id AS TEXT), 1, 0, 0 FROM leads l;

CREATE VIEW cockpit_funds_facts AS
SELECT f.id AS funds_id, f.zone_id, substr(f.on_date, 1, 7) AS month, 'funds' AS measure, '' AS dim, '' AS key,
    1 AS n, f.amount_yuan AS yuan, 0 AS fixed
FROM funds_in_place f;

CREATE VIEW cockpit_facts AS
SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_project_facts
UNION ALL SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_lead_facts
UNION ALL SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_funds_facts;

INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
    SELECT zone_id, month, measure, dim, key, SUM(n), SUM(yuan), SUM(fixed) FROM cockpit_facts GROUP BY 1, 2, 3, 4, 5;

-- Each trigger takes away what the old row contributed and adds what the
-- new one does; BEFORE reads the row as it was, AFTER as it is.
CREATE TRIGGER cockpit_projects_insert AFTER INSERT ON projects BEGIN
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT zone_id, month, measure, dim, key, SUM(n), SUM(yuan), SUM(fixed) FROM cockpit_project_facts WHERE project_id = NEW.id
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + excluded.n, yuan = yuan + excluded.yuan, fixed = fixed + excluded.fixed;
END;
CREATE TRIGGER cockpit_projects_delete BEFORE DELETE ON projects BEGIN
    UPDATE cockpit_months SET n = cockpit_months.n - f.n, yuan = cockpit_months.yuan - f.yuan, fixed = cockpit_months.fixed - f.fixed
        FROM (SELECT zone_id, month, measure, dim, key, SUM(n) AS n, SUM(yuan) AS yuan, SUM(fixed) AS fixed
            FROM cockpit_project_facts WHERE project_id = OLD.id GROUP BY 1, 2, 3, 4, 5) f
        WHERE cockpit_months.zone_id = f.zone_id AND cockpit_months.month = f.month AND cockpit_months.measure = f.measure
            AND cockpit_months.dim = f.dim AND cockpit_months.key = f.key;
END;
CREATE TRIGGER cockpit_projects_update_old BEFORE UPDATE OF zone_id, lead_id, industry, park_id, sponsor_id, six_new, signed_on,
    contract_yuan, fixed_asset_yuan, started_on, produced_on, created_at ON projects
    WHEN OLD.zone_id IS NOT NEW.zone_id OR OLD.lead_id IS NOT NEW.lead_id OR OLD.industry IS NOT NEW.industry
        OR OLD.park_id IS NOT NEW.park_id OR OLD.sponsor_id IS NOT NEW.sponsor_id OR OLD.six_new IS NOT NEW.six_new
        OR OLD.signed_on IS NOT NEW.signed_on OR OLD.contract_yuan IS NOT NEW.contract_yuan OR OLD.fixed_asset_yuan IS NOT NEW.fixed_asset_yuan
        OR OLD.started_on IS NOT NEW.started_on OR OLD.produced_on IS NOT NEW.produced_on OR OLD.created_at IS NOT NEW.created_at BEGIN
    UPDATE cockpit_months SET n = cockpit_months.n - f.n, yuan = cockpit_months.yuan - f.yuan, fixed = cockpit_months.fixed - f.fixed
        FROM (SELECT zone_id, month, measure, dim, key, SUM(n) AS n, SUM(yuan) AS yuan, SUM(fixed) AS fixed
            FROM cockpit_project_facts WHERE project_id = OLD.id GROUP BY 1, 2, 3, 4, 5) f
        WHERE cockpit_months.zone_id = f.zone_id AND cockpit_months.month = f.month AND cockpit_months.measure = f.measure
            AND cockpit_months.dim = f.dim AND cockpit_months.key = f.key;
END;
CREATE TRIGGER cockpit_projects_update_new AFTER UPDATE OF zone_id, lead_id, industry, park_id, sponsor_id, six_new, signed_on,
    contract_yuan, fixed_asset_yuan, started_on, produced_on, created_at ON projects
    WHEN OLD.zone_id IS NOT NEW.zone_id OR OLD.lead_id IS NOT NEW.lead_id OR OLD.industry IS NOT NEW.industry
        OR OLD.park_id IS NOT NEW.park_id OR OLD.sponsor_id IS NOT NEW.sponsor_id OR OLD.six_new IS NOT NEW.six_new
        OR OLD.signed_on IS NOT NEW.signed_on OR OLD.contract_yuan IS NOT NEW.contract_yuan OR OLD.fixed_asset_yuan IS NOT NEW.fixed_asset_yuan
        OR OLD.started_on IS NOT NEW.started_on OR OLD.produced_on IS NOT NEW.produced_on OR OLD.created_at IS NOT NEW.created_at BEGIN
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT zone_id, month, measure, dim, key, SUM(n), SUM(yuan), SUM(fixed) FROM cockpit_project_facts WHERE project_id = NEW.id
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + excluded.n, yuan = yuan + excluded.yuan, fixed = fixed + excluded.fixed;
END;

CREATE TRIGGER cockpit_leads_insert AFTER INSERT ON leads BEGIN
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_lead_facts WHERE lead_id = NEW.id
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER cockpit_leads_delete BEFORE DELETE ON leads BEGIN
    UPDATE cockpit_months SET n = n - 1
        WHERE (zone_id, month, measure, dim, key) IN (SELECT zone_id, month, measure, dim, key FROM cockpit_lead_facts WHERE lead_id = OLD.id);
END;
CREATE TRIGGER cockpit_leads_update_old BEFORE UPDATE OF zone_id, reported_at, industry, reporter_id ON leads
    WHEN OLD.zone_id <> NEW.zone_id OR OLD.reported_at <> NEW.reported_at OR OLD.industry <> NEW.industry OR OLD.reporter_id <> NEW.reporter_id BEGIN
    UPDATE cockpit_months SET n = n - 1
        WHERE (zone_id, month, measure, dim, key) IN (SELECT zone_id, month, measure, dim, key FROM cockpit_lead_facts WHERE lead_id = OLD.id);
END;
CREATE TRIGGER cockpit_leads_update_new AFTER UPDATE OF zone_id, reported_at, industry, reporter_id ON leads
    WHEN OLD.zone_id <> NEW.zone_id OR OLD.reported_at <> NEW.reported_at OR OLD.industry <> NEW.industry OR OLD.reporter_id <> NEW.reporter_id BEGIN
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_lead_facts WHERE lead_id = NEW.id
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER cockpit_funds_insert AFTER INSERT ON funds_in_place BEGIN
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        VALUES (NEW.zone_id, substr(NEW.on_date, 1, 7), 'funds', '', '', 1, NEW.amount_yuan, 0)
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + 1, yuan = yuan + excluded.yuan;
END;
CREATE TRIGGER cockpit_funds_delete AFTER DELETE ON funds_in_place BEGIN
    UPDATE cockpit_months SET n = n - 1, yuan = yuan - OLD.amount_yuan
        WHERE zone_id = OLD.zone_id AND month = substr(OLD.on_date, 1, 7) AND measure = 'funds' AND dim = '' AND key = '';
END;
CREATE TRIGGER cockpit_funds_update AFTER UPDATE OF zone_id, on_date, amount_yuan ON funds_in_place BEGIN
    UPDATE cockpit_months SET n = n - 1, yuan = yuan - OLD.amount_yuan
        WHERE zone_id = OLD.zone_id AND month = substr(OLD.on_date, 1, 7) AND measure = 'funds' AND dim = '' AND key = '';
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        VALUES (NEW.zone_id, substr(NEW.on_date, 1, 7), 'funds', '', '', 1, NEW.amount_yuan, 0)
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + 1, yuan = yuan + excluded.yuan;
END;
