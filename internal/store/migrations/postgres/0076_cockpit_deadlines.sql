-- The cockpit's red and yellow: open records with a deadline, counted per
-- zone, kind and due date, so that how many are late (due before today) or
-- near (due before the first green day) is a sum over a zone's few hundred
-- dates, whatever the size of the pipeline. Kinds: lead (reported,
-- screening or asked for information, by its screening deadline), project
-- (active, by its stage's deadline), approval (an open item of a project
-- not lost, by its limit) and supervision (an order not closed, by its due
-- date). A row with the empty date holds the kind's total, so that the
-- late are the total less those due today or later: a read of the few
-- rows from today on. Statement triggers keep the rows in the transaction
-- that changes the records; the view cockpit_deadline_facts is the
-- recount.
CREATE TABLE cockpit_deadlines (
    zone_id BIGINT NOT NULL,
    kind    TEXT NOT NULL,
    due_on  TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (zone_id, kind, due_on)
);

CREATE VIEW cockpit_deadline_facts AS
SELECT zone_id, 'lead' AS kind, screening_due AS due_on, id FROM leads
    WHERE status IN ('reported', 'screening', 'info_requested') AND screening_due <> ''
UNION ALL SELECT zone_id, 'project', stage_due, id FROM projects WHERE status = 'active' AND stage_due <> ''
UNION ALL SELECT a.zone_id, 'approval', a.due_on, a.id FROM approval_items a JOIN projects p ON p.id = a.project_id
    WHERE a.status IN ('preparing', 'submitted', 'correction') AND a.due_on <> '' AND p.status <> 'lost'
UNION ALL SELECT zone_id, 'supervision', due_on, id FROM supervision_orders WHERE closed_on = '';

INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n)
    SELECT zone_id, kind, due_on, COUNT(*) FROM cockpit_deadline_facts GROUP BY 1, 2, 3
    UNION ALL SELECT zone_id, kind, '', COUNT(*) FROM cockpit_deadline_facts GROUP BY 1, 2;

-- The red and yellow lists read the most overdue first from these.
CREATE INDEX leads_open_due ON leads(zone_id, screening_due, id)
    WHERE status IN ('reported', 'screening', 'info_requested') AND screening_due <> '';
CREATE INDEX approval_items_open_due ON approval_items(zone_id, due_on, id)
    WHERE status IN ('preparing', 'submitted', 'correction') AND due_on <> '';

-- Each statement adds what its new rows count and takes away what its old
-- rows did, in key order (two transactions lock the rows in one order).
CREATE FUNCTION cockpit_deadlines_leads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'lead', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.screening_due, r.status FROM new_rows r) d
                CROSS JOIN LATERAL (VALUES (d.screening_due), ('')) k (due_on)
            WHERE d.status IN ('reported', 'screening', 'info_requested') AND d.screening_due <> ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'lead', k.due_on, SUM(d.sign) FROM (SELECT -1 AS sign, r.zone_id, r.screening_due, r.status FROM old_rows r) d
                CROSS JOIN LATERAL (VALUES (d.screening_due), ('')) k (due_on)
            WHERE d.status IN ('reported', 'screening', 'info_requested') AND d.screening_due <> ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'lead', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.screening_due, r.status FROM new_rows r UNION ALL SELECT -1, r.zone_id, r.screening_due, r.status FROM old_rows r) d
                CROSS JOIN LATERAL (VALUES (d.screening_due), ('')) k (due_on)
            WHERE d.status IN ('reported', 'screening', 'info_requested') AND d.screening_due <> ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

-- A project counts itself while active with a deadline, and its open
-- approval items while not lost: a project lost (or brought back) takes
-- its items out (or puts them back).
CREATE FUNCTION cockpit_deadlines_projects() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'project', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.stage_due, r.status FROM new_rows r) d
                CROSS JOIN LATERAL (VALUES (d.stage_due), ('')) k (due_on)
            WHERE d.status = 'active' AND d.stage_due <> ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'project', k.due_on, SUM(d.sign) FROM (SELECT -1 AS sign, r.zone_id, r.stage_due, r.status FROM old_rows r) d
                CROSS JOIN LATERAL (VALUES (d.stage_due), ('')) k (due_on)
            WHERE d.status = 'active' AND d.stage_due <> ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'project', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.stage_due, r.status FROM new_rows r UNION ALL SELECT -1, r.zone_id, r.stage_due, r.status FROM old_rows r) d
                CROSS JOIN LATERAL (VALUES (d.stage_due), ('')) k (due_on)
            WHERE d.status = 'active' AND d.stage_due <> ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT a.zone_id, 'approval', k.due_on, SUM(CASE WHEN nr.status = 'lost' THEN -1 ELSE 1 END) FROM new_rows nr
                JOIN old_rows o ON o.id = nr.id AND (o.status = 'lost') <> (nr.status = 'lost')
                JOIN approval_items a ON a.project_id = nr.id
                CROSS JOIN LATERAL (VALUES (a.due_on), ('')) k (due_on)
            WHERE a.status IN ('preparing', 'submitted', 'correction') AND a.due_on <> ''
            GROUP BY 1, 2, 3 HAVING SUM(CASE WHEN nr.status = 'lost' THEN -1 ELSE 1 END) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION cockpit_deadlines_approvals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'approval', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.due_on, r.status, r.project_id FROM new_rows r) d JOIN projects p ON p.id = d.project_id
                CROSS JOIN LATERAL (VALUES (d.due_on), ('')) k (due_on)
            WHERE d.status IN ('preparing', 'submitted', 'correction') AND d.due_on <> '' AND p.status <> 'lost'
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'approval', k.due_on, SUM(d.sign) FROM (SELECT -1 AS sign, r.zone_id, r.due_on, r.status, r.project_id FROM old_rows r) d JOIN projects p ON p.id = d.project_id
                CROSS JOIN LATERAL (VALUES (d.due_on), ('')) k (due_on)
            WHERE d.status IN ('preparing', 'submitted', 'correction') AND d.due_on <> '' AND p.status <> 'lost'
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'approval', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.due_on, r.status, r.project_id FROM new_rows r UNION ALL SELECT -1, r.zone_id, r.due_on, r.status, r.project_id FROM old_rows r) d JOIN projects p ON p.id = d.project_id
                CROSS JOIN LATERAL (VALUES (d.due_on), ('')) k (due_on)
            WHERE d.status IN ('preparing', 'submitted', 'correction') AND d.due_on <> '' AND p.status <> 'lost'
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION cockpit_deadlines_supervision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'supervision', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.due_on, r.closed_on FROM new_rows r) d
                CROSS JOIN LATERAL (VALUES (d.due_on), ('')) k (due_on)
            WHERE d.closed_on = ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'supervision', k.due_on, SUM(d.sign) FROM (SELECT -1 AS sign, r.zone_id, r.due_on, r.closed_on FROM old_rows r) d
                CROSS JOIN LATERAL (VALUES (d.due_on), ('')) k (due_on)
            WHERE d.closed_on = ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO cockpit_deadlines AS c (zone_id, kind, due_on, n)
            SELECT d.zone_id, 'supervision', k.due_on, SUM(d.sign) FROM (SELECT 1 AS sign, r.zone_id, r.due_on, r.closed_on FROM new_rows r UNION ALL SELECT -1, r.zone_id, r.due_on, r.closed_on FROM old_rows r) d
                CROSS JOIN LATERAL (VALUES (d.due_on), ('')) k (due_on)
            WHERE d.closed_on = ''
            GROUP BY 1, 2, 3 HAVING SUM(d.sign) <> 0 ORDER BY 1, 2, 3
            ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER leads_deadlines_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_leads();
CREATE TRIGGER leads_deadlines_update AFTER UPDATE ON leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_leads();
CREATE TRIGGER leads_deadlines_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_leads();
CREATE TRIGGER projects_deadlines_insert AFTER INSERT ON projects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_projects();
CREATE TRIGGER projects_deadlines_update AFTER UPDATE ON projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_projects();
CREATE TRIGGER projects_deadlines_delete AFTER DELETE ON projects REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_projects();
CREATE TRIGGER approval_items_deadlines_insert AFTER INSERT ON approval_items REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_approvals();
CREATE TRIGGER approval_items_deadlines_update AFTER UPDATE ON approval_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_approvals();
CREATE TRIGGER approval_items_deadlines_delete AFTER DELETE ON approval_items REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_approvals();
CREATE TRIGGER supervision_orders_deadlines_insert AFTER INSERT ON supervision_orders REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_supervision();
CREATE TRIGGER supervision_orders_deadlines_update AFTER UPDATE ON supervision_orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_supervision();
CREATE TRIGGER supervision_orders_deadlines_delete AFTER DELETE ON supervision_orders REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cockpit_deadlines_supervision();
