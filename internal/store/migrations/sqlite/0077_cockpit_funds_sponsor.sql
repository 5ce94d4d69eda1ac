-- Funds put in place by the sponsor of their project, per zone and year
-- (measure 'funds', dimension 'sponsor', key the sponsor's member id or 0),
-- for the cockpit's people: a payment counts for its project's sponsor as
-- the project stands, so a new sponsor takes the project's funds along.
DROP VIEW cockpit_facts;
DROP VIEW cockpit_funds_facts;
CREATE VIEW cockpit_funds_facts AS
SELECT f.id AS funds_id, f.zone_id, substr(f.on_date, 1, 7) AS month, 'funds' AS measure, '' AS dim, '' AS key,
    1 AS n, f.amount_yuan AS yuan, 0 AS fixed
FROM funds_in_place f
UNION ALL SELECT f.id, f.zone_id, substr(f.on_date, 1, 4), 'funds', 'sponsor',
    CAST(COALESCE((SELECT p.sponsor_id FROM projects p WHERE p.id = f.project_id), 0) AS TEXT), 1, f.amount_yuan, 0
FROM funds_in_place f;
CREATE VIEW cockpit_facts AS
SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_project_facts
UNION ALL SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_lead_facts
UNION ALL SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_funds_facts;

INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
    SELECT zone_id, month, measure, dim, key, SUM(n), TOTAL(yuan), 0 FROM cockpit_funds_facts WHERE dim = 'sponsor' GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER cockpit_funds_sponsor_insert AFTER INSERT ON funds_in_place BEGIN
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_funds_facts WHERE funds_id = NEW.id AND dim = 'sponsor'
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + excluded.n, yuan = yuan + excluded.yuan;
END;
CREATE TRIGGER cockpit_funds_sponsor_delete BEFORE DELETE ON funds_in_place BEGIN
    UPDATE cockpit_months SET n = n - 1, yuan = yuan - OLD.amount_yuan
        WHERE (zone_id, month, measure, dim, key) IN (SELECT zone_id, month, measure, dim, key FROM cockpit_funds_facts WHERE funds_id = OLD.id AND dim = 'sponsor');
END;
CREATE TRIGGER cockpit_funds_sponsor_update_old BEFORE UPDATE OF zone_id, project_id, on_date, amount_yuan ON funds_in_place BEGIN
    UPDATE cockpit_months SET n = n - 1, yuan = yuan - OLD.amount_yuan
        WHERE (zone_id, month, measure, dim, key) IN (SELECT zone_id, month, measure, dim, key FROM cockpit_funds_facts WHERE funds_id = OLD.id AND dim = 'sponsor');
END;
CREATE TRIGGER cockpit_funds_sponsor_update_new AFTER UPDATE OF zone_id, project_id, on_date, amount_yuan ON funds_in_place BEGIN
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT zone_id, month, measure, dim, key, n, yuan, fixed FROM cockpit_funds_facts WHERE funds_id = NEW.id AND dim = 'sponsor'
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + excluded.n, yuan = yuan + excluded.yuan;
END;
-- A project's funds move with its sponsor.
CREATE TRIGGER cockpit_funds_sponsor_move AFTER UPDATE OF sponsor_id ON projects WHEN OLD.sponsor_id IS NOT NEW.sponsor_id BEGIN
    UPDATE cockpit_months SET n = cockpit_months.n - f.n, yuan = cockpit_months.yuan - f.yuan
        FROM (SELECT zone_id, substr(on_date, 1, 4) AS month, COUNT(*) AS n, TOTAL(amount_yuan) AS yuan FROM funds_in_place
            WHERE project_id = NEW.id GROUP BY 1, 2) f
        WHERE cockpit_months.zone_id = f.zone_id AND cockpit_months.dim = 'sponsor' AND cockpit_months.month = f.month
            AND cockpit_months.measure = 'funds' AND cockpit_months.key = CAST(COALESCE(OLD.sponsor_id, 0) AS TEXT);
    INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT zone_id, substr(on_date, 1, 4), 'funds', 'sponsor', CAST(COALESCE(NEW.sponsor_id, 0) AS TEXT), COUNT(*), TOTAL(amount_yuan), 0
        FROM funds_in_place WHERE project_id = NEW.id GROUP BY 1, 2
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = n + excluded.n, yuan = yuan + excluded.yuan;
END;
