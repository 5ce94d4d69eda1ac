-- Funds put in place by the sponsor of their project, per zone and year
-- (measure 'funds', dimension 'sponsor', key the sponsor's member id or 0),
-- for the cockpit's people: a payment counts for its project's sponsor as
-- the project stands, so a new sponsor takes the project's funds along.
CREATE OR REPLACE VIEW cockpit_facts AS
SELECT f.* FROM projects p, LATERAL cockpit_project_rows(p.zone_id, p.lead_id, p.created_at, p.industry, p.park_id, p.sponsor_id,
    p.six_new, p.signed_on, p.contract_yuan, p.fixed_asset_yuan, p.started_on, p.produced_on) f
UNION ALL SELECT f.* FROM leads l, LATERAL cockpit_lead_rows(l.zone_id, l.reported_at, l.industry, l.reporter_id) f
UNION ALL SELECT zone_id, substr(on_date, 1, 7), 'funds', '', '', 1, amount_yuan, 0 FROM funds_in_place
UNION ALL SELECT f.zone_id, substr(f.on_date, 1, 4), 'funds', 'sponsor', CAST(COALESCE(p.sponsor_id, 0) AS TEXT), 1, f.amount_yuan, 0
    FROM funds_in_place f JOIN projects p ON p.id = f.project_id;

INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
    SELECT f.zone_id, substr(f.on_date, 1, 4), 'funds', 'sponsor', CAST(COALESCE(p.sponsor_id, 0) AS TEXT), COUNT(*), SUM(f.amount_yuan), 0
    FROM funds_in_place f JOIN projects p ON p.id = f.project_id GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION cockpit_funds_sponsor_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT d.zone_id, substr(d.on_date, 1, 4), 'funds', 'sponsor', CAST(COALESCE(p.sponsor_id, 0) AS TEXT), SUM(d.sign), SUM(d.sign * d.amount_yuan), 0
            FROM (SELECT 1 AS sign, r.zone_id, r.project_id, r.on_date, r.amount_yuan FROM new_rows r) d JOIN projects p ON p.id = d.project_id
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign) <> 0 OR SUM(d.sign * d.amount_yuan) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT d.zone_id, substr(d.on_date, 1, 4), 'funds', 'sponsor', CAST(COALESCE(p.sponsor_id, 0) AS TEXT), SUM(d.sign), SUM(d.sign * d.amount_yuan), 0
            FROM (SELECT -1 AS sign, r.zone_id, r.project_id, r.on_date, r.amount_yuan FROM old_rows r) d JOIN projects p ON p.id = d.project_id
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign) <> 0 OR SUM(d.sign * d.amount_yuan) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan;
    ELSE
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT d.zone_id, substr(d.on_date, 1, 4), 'funds', 'sponsor', CAST(COALESCE(p.sponsor_id, 0) AS TEXT), SUM(d.sign), SUM(d.sign * d.amount_yuan), 0
            FROM (SELECT 1 AS sign, r.zone_id, r.project_id, r.on_date, r.amount_yuan FROM new_rows r
                UNION ALL SELECT -1, r.zone_id, r.project_id, r.on_date, r.amount_yuan FROM old_rows r) d JOIN projects p ON p.id = d.project_id
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign) <> 0 OR SUM(d.sign * d.amount_yuan) <> 0 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER funds_in_place_sponsor_insert AFTER INSERT ON funds_in_place REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_funds_sponsor_apply();
CREATE TRIGGER funds_in_place_sponsor_update AFTER UPDATE ON funds_in_place REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_funds_sponsor_apply();
CREATE TRIGGER funds_in_place_sponsor_delete AFTER DELETE ON funds_in_place REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_funds_sponsor_apply();

-- A project's funds move with its sponsor.
CREATE FUNCTION cockpit_funds_sponsor_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
        SELECT f.zone_id, substr(f.on_date, 1, 4), 'funds', 'sponsor', CAST(COALESCE(x.sponsor_id, 0) AS TEXT), SUM(x.sign), SUM(x.sign * f.amount_yuan), 0
        FROM (SELECT 1 AS sign, nr.id, nr.sponsor_id FROM new_rows nr JOIN old_rows o ON o.id = nr.id AND o.sponsor_id IS DISTINCT FROM nr.sponsor_id
            UNION ALL SELECT -1, o.id, o.sponsor_id FROM new_rows nr JOIN old_rows o ON o.id = nr.id AND o.sponsor_id IS DISTINCT FROM nr.sponsor_id) x
        JOIN funds_in_place f ON f.project_id = x.id
        GROUP BY 1, 2, 3, 4, 5 HAVING SUM(x.sign) <> 0 OR SUM(x.sign * f.amount_yuan) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan;
    RETURN NULL;
END
$$;
CREATE TRIGGER projects_funds_sponsor_move AFTER UPDATE ON projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_funds_sponsor_move();
