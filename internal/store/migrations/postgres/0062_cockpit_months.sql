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
-- Statement triggers keep the rows in the transaction that changes the
-- records, one upsert per group in key order; the functions *_rows say
-- what one record contributes, for the triggers and for a recount (the
-- view cockpit_facts). The key leads with the dimension, so that each read
-- of the cockpit is a range of the key.
CREATE TABLE cockpit_months (
    zone_id BIGINT NOT NULL,
    month   TEXT NOT NULL,
    measure TEXT NOT NULL,
    dim     TEXT NOT NULL,
    key     TEXT NOT NULL,
    n       BIGINT NOT NULL,
    yuan    DOUBLE PRECISION NOT NULL,
    fixed   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (zone_id, dim, month, measure, key)
);

-- cockpit_workdays counts the working days after a up to and including b.
CREATE FUNCTION cockpit_workdays(zone BIGINT, a TEXT, b TEXT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT GREATEST(0, 5 * (nb / 7) + LEAST(nb % 7 + 1, 5) - 5 * (na / 7) - LEAST(na % 7 + 1, 5)
        - (SELECT COUNT(*) FROM calendar_days c WHERE c.zone_id = zone AND c.kind = 'holiday' AND c.date > a AND c.date <= b)
        + (SELECT COUNT(*) FROM calendar_days c WHERE c.zone_id = zone AND c.kind = 'workday' AND c.date > a AND c.date <= b))
    FROM (SELECT CAST(a AS DATE) - DATE '2000-01-03' AS na, CAST(b AS DATE) - DATE '2000-01-03' AS nb) d
$$;

CREATE FUNCTION cockpit_project_rows(zone BIGINT, lead BIGINT, created TIMESTAMPTZ, industry TEXT, park BIGINT, sponsor BIGINT,
    six_new TEXT, signed_on TEXT, contract_yuan BIGINT, fixed_asset_yuan BIGINT, started_on TEXT, produced_on TEXT)
RETURNS TABLE (zone_id BIGINT, month TEXT, measure TEXT, dim TEXT, key TEXT, n BIGINT, yuan BIGINT, fixed BIGINT)
LANGUAGE sql STABLE AS $$
    WITH ms (measure, on_date, yuan, fixed) AS (
        SELECT 'created', to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 0::BIGINT, 0::BIGINT
        UNION ALL SELECT 'signed', signed_on, contract_yuan, COALESCE(fixed_asset_yuan, 0) WHERE signed_on <> ''
        UNION ALL SELECT 'started', started_on, 0, 0 WHERE started_on <> ''
        UNION ALL SELECT 'produced', produced_on, 0, 0 WHERE produced_on <> ''
    ), ds (dim, key) AS (
        SELECT '', '' UNION ALL SELECT 'industry', industry
        UNION ALL SELECT 'park', CAST(COALESCE(park, 0) AS TEXT) UNION ALL SELECT 'sponsor', CAST(COALESCE(sponsor, 0) AS TEXT)
        UNION ALL SELECT 'six_new', t FROM unnest(ARRAY['new_infrastructure', 'new_technology', 'new_materials', 'new_equipment',
            'new_products', 'new_business_forms']) t WHERE position(',' || t || ',' IN ',' || six_new || ',') > 0
    ), steps (step, a, b) AS (
        SELECT 'accept', (SELECT to_char(l.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM leads l WHERE l.id = lead),
            to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD')
        UNION ALL SELECT 'sign', to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD'), signed_on
        UNION ALL SELECT 'start', signed_on, started_on
        UNION ALL SELECT 'produce', started_on, produced_on
    )
    SELECT zone, substr(ms.on_date, 1, CASE WHEN ds.dim = '' THEN 7 ELSE 4 END), ms.measure, ds.dim, ds.key, 1::BIGINT, ms.yuan, ms.fixed
    FROM ms CROSS JOIN ds
    UNION ALL
    SELECT zone, substr(s.b, 1, 4), s.step, 'days', CAST(cockpit_workdays(zone, s.a, s.b) AS TEXT), 1, 0, 0
    FROM steps s WHERE s.a IS NOT NULL AND s.a <> '' AND s.b <> ''
$$;

CREATE FUNCTION cockpit_lead_rows(zone BIGINT, reported TIMESTAMPTZ, industry TEXT, reporter BIGINT)
RETURNS TABLE (zone_id BIGINT, month TEXT, measure TEXT, dim TEXT, key TEXT, n BIGINT, yuan BIGINT, fixed BIGINT)
LANGUAGE sql IMMUTABLE AS $$
    SELECT zone, to_char(reported AT TIME ZONE 'UTC', CASE WHEN d.dim = '' THEN 'YYYY-MM' ELSE 'YYYY' END), 'lead', d.dim, d.key,
        1::BIGINT, 0::BIGINT, 0::BIGINT
    FROM (VALUES ('', ''), ('industry', industry), ('reporter', CAST(reporter AS TEXT))) d (dim, key)
$$;

CREATE FUNCTION cockpit_funds_rows(zone BIGINT, on_date TEXT, amount BIGINT)
RETURNS TABLE (zone_id BIGINT, month TEXT, measure TEXT, dim TEXT, key TEXT, n BIGINT, yuan BIGINT, fixed BIGINT)
LANGUAGE sql IMMUTABLE AS $$
    SELECT zone, substr(on_date, 1, 7), 'funds', '', '', 1::BIGINT, amount, 0::BIGINT
$$;

CREATE VIEW cockpit_facts AS
SELECT f.* FROM projects p, LATERAL cockpit_project_rows(p.zone_id, p.lead_id, p.created_at, p.industry, p.park_id, p.sponsor_id,
    p.six_new, p.signed_on, p.contract_yuan, p.fixed_asset_yuan, p.started_on, p.produced_on) f
UNION ALL SELECT f.* FROM leads l, LATERAL cockpit_lead_rows(l.zone_id, l.reported_at, l.industry, l.reporter_id) f
UNION ALL SELECT zone_id, substr(on_date, 1, 7), 'funds', '', '', 1, amount_yuan, 0 FROM funds_in_place;

INSERT INTO cockpit_months (zone_id, month, measure, dim, key, n, yuan, fixed)
    SELECT zone_id, month, measure, dim, key, SUM(n), SUM(yuan), SUM(fixed) FROM cockpit_facts GROUP BY 1, 2, 3, 4, 5;

-- Each statement adds what its new rows contribute and takes away what
-- its old rows did.
CREATE FUNCTION cockpit_projects_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT 1 AS sign, r.* FROM new_rows r) d, LATERAL cockpit_project_rows(d.zone_id, d.lead_id, d.created_at, d.industry, d.park_id, d.sponsor_id,
                d.six_new, d.signed_on, d.contract_yuan, d.fixed_asset_yuan, d.started_on, d.produced_on) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT -1 AS sign, r.* FROM old_rows r) d, LATERAL cockpit_project_rows(d.zone_id, d.lead_id, d.created_at, d.industry, d.park_id, d.sponsor_id,
                d.six_new, d.signed_on, d.contract_yuan, d.fixed_asset_yuan, d.started_on, d.produced_on) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    ELSE
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT 1 AS sign, r.* FROM new_rows r UNION ALL SELECT -1, r.* FROM old_rows r) d, LATERAL cockpit_project_rows(d.zone_id, d.lead_id, d.created_at, d.industry, d.park_id, d.sponsor_id,
                d.six_new, d.signed_on, d.contract_yuan, d.fixed_asset_yuan, d.started_on, d.produced_on) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER projects_cockpit_insert AFTER INSERT ON projects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_projects_apply();
CREATE TRIGGER projects_cockpit_update AFTER UPDATE ON projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_projects_apply();
CREATE TRIGGER projects_cockpit_delete AFTER DELETE ON projects REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_projects_apply();

CREATE FUNCTION cockpit_leads_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT 1 AS sign, r.* FROM new_rows r) d, LATERAL cockpit_lead_rows(d.zone_id, d.reported_at, d.industry, d.reporter_id) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT -1 AS sign, r.* FROM old_rows r) d, LATERAL cockpit_lead_rows(d.zone_id, d.reported_at, d.industry, d.reporter_id) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    ELSE
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT 1 AS sign, r.* FROM new_rows r UNION ALL SELECT -1, r.* FROM old_rows r) d, LATERAL cockpit_lead_rows(d.zone_id, d.reported_at, d.industry, d.reporter_id) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER leads_cockpit_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_leads_apply();
CREATE TRIGGER leads_cockpit_update AFTER UPDATE ON leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_leads_apply();
CREATE TRIGGER leads_cockpit_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_leads_apply();

CREATE FUNCTION cockpit_funds_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT 1 AS sign, r.* FROM new_rows r) d, LATERAL cockpit_funds_rows(d.zone_id, d.on_date, d.amount_yuan) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT -1 AS sign, r.* FROM old_rows r) d, LATERAL cockpit_funds_rows(d.zone_id, d.on_date, d.amount_yuan) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    ELSE
        INSERT INTO cockpit_months AS c (zone_id, month, measure, dim, key, n, yuan, fixed)
            SELECT f.zone_id, f.month, f.measure, f.dim, f.key, SUM(d.sign * f.n), SUM(d.sign * f.yuan), SUM(d.sign * f.fixed)
            FROM (SELECT 1 AS sign, r.* FROM new_rows r UNION ALL SELECT -1, r.* FROM old_rows r) d, LATERAL cockpit_funds_rows(d.zone_id, d.on_date, d.amount_yuan) f
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.sign * f.n) <> 0 OR SUM(d.sign * f.yuan) <> 0 OR SUM(d.sign * f.fixed) <> 0
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (zone_id, dim, month, measure, key) DO UPDATE
            SET n = c.n + EXCLUDED.n, yuan = c.yuan + EXCLUDED.yuan, fixed = c.fixed + EXCLUDED.fixed;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER funds_in_place_cockpit_insert AFTER INSERT ON funds_in_place REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_funds_apply();
CREATE TRIGGER funds_in_place_cockpit_update AFTER UPDATE ON funds_in_place REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_funds_apply();
CREATE TRIGGER funds_in_place_cockpit_delete AFTER DELETE ON funds_in_place REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_funds_apply();
