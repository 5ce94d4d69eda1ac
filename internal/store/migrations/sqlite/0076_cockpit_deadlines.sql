-- The cockpit's red and yellow: open records with a deadline, counted per
-- zone, kind and due date, so that how many are late (due before today) or
-- near (due before the first green day) is a sum over a zone's few hundred
-- dates, whatever the size of the pipeline. Kinds: lead (reported,
-- screening or asked for information, by its screening deadline), project
-- (active, by its stage's deadline), approval (an open item of a project
-- not lost, by its limit) and supervision (an order not closed, by its due
-- date). A row with the empty date holds the kind's total, so that the
-- late are the total less those due today or later: a read of the few
-- rows from today on. Triggers keep the rows in the transaction that
-- changes the records; the view cockpit_deadline_facts is the recount.
CREATE TABLE cockpit_deadlines (
    zone_id INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    due_on  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (zone_id, kind, due_on)
) WITHOUT ROWID;

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

-- Each record's old row is taken away and its new one added when it counts.
CREATE TRIGGER leads_deadlines_insert AFTER INSERT ON leads WHEN NEW.status IN ('reported', 'screening', 'info_requested') AND NEW.screening_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'lead', NEW.screening_due, 1),
        (NEW.zone_id, 'lead', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER leads_deadlines_delete BEFORE DELETE ON leads WHEN OLD.status IN ('reported', 'screening', 'info_requested') AND OLD.screening_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'lead', OLD.screening_due, -1),
        (OLD.zone_id, 'lead', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER leads_deadlines_update_old BEFORE UPDATE OF zone_id, status, screening_due ON leads WHEN OLD.status IN ('reported', 'screening', 'info_requested') AND OLD.screening_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'lead', OLD.screening_due, -1),
        (OLD.zone_id, 'lead', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER leads_deadlines_update_new AFTER UPDATE OF zone_id, status, screening_due ON leads WHEN NEW.status IN ('reported', 'screening', 'info_requested') AND NEW.screening_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'lead', NEW.screening_due, 1),
        (NEW.zone_id, 'lead', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER projects_deadlines_insert AFTER INSERT ON projects WHEN NEW.status = 'active' AND NEW.stage_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'project', NEW.stage_due, 1),
        (NEW.zone_id, 'project', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER projects_deadlines_delete BEFORE DELETE ON projects WHEN OLD.status = 'active' AND OLD.stage_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'project', OLD.stage_due, -1),
        (OLD.zone_id, 'project', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER projects_deadlines_update_old BEFORE UPDATE OF zone_id, status, stage_due ON projects WHEN OLD.status = 'active' AND OLD.stage_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'project', OLD.stage_due, -1),
        (OLD.zone_id, 'project', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER projects_deadlines_update_new AFTER UPDATE OF zone_id, status, stage_due ON projects WHEN NEW.status = 'active' AND NEW.stage_due <> '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'project', NEW.stage_due, 1),
        (NEW.zone_id, 'project', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER approval_items_deadlines_insert AFTER INSERT ON approval_items WHEN NEW.status IN ('preparing', 'submitted', 'correction') AND NEW.due_on <> ''
    AND (SELECT status FROM projects WHERE id = NEW.project_id) <> 'lost' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'approval', NEW.due_on, 1),
        (NEW.zone_id, 'approval', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER approval_items_deadlines_delete BEFORE DELETE ON approval_items WHEN OLD.status IN ('preparing', 'submitted', 'correction') AND OLD.due_on <> ''
    AND (SELECT status FROM projects WHERE id = OLD.project_id) <> 'lost' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'approval', OLD.due_on, -1),
        (OLD.zone_id, 'approval', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER approval_items_deadlines_update_old BEFORE UPDATE OF zone_id, project_id, status, due_on ON approval_items WHEN OLD.status IN ('preparing', 'submitted', 'correction') AND OLD.due_on <> ''
    AND (SELECT status FROM projects WHERE id = OLD.project_id) <> 'lost' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'approval', OLD.due_on, -1),
        (OLD.zone_id, 'approval', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER approval_items_deadlines_update_new AFTER UPDATE OF zone_id, project_id, status, due_on ON approval_items WHEN NEW.status IN ('preparing', 'submitted', 'correction') AND NEW.due_on <> ''
    AND (SELECT status FROM projects WHERE id = NEW.project_id) <> 'lost' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'approval', NEW.due_on, 1),
        (NEW.zone_id, 'approval', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER supervision_orders_deadlines_insert AFTER INSERT ON supervision_orders WHEN NEW.closed_on = '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'supervision', NEW.due_on, 1),
        (NEW.zone_id, 'supervision', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER supervision_orders_deadlines_delete BEFORE DELETE ON supervision_orders WHEN OLD.closed_on = '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'supervision', OLD.due_on, -1),
        (OLD.zone_id, 'supervision', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER supervision_orders_deadlines_update_old BEFORE UPDATE OF zone_id, closed_on, due_on ON supervision_orders WHEN OLD.closed_on = '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (OLD.zone_id, 'supervision', OLD.due_on, -1),
        (OLD.zone_id, 'supervision', '', -1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER supervision_orders_deadlines_update_new AFTER UPDATE OF zone_id, closed_on, due_on ON supervision_orders WHEN NEW.closed_on = '' BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n) VALUES (NEW.zone_id, 'supervision', NEW.due_on, 1),
        (NEW.zone_id, 'supervision', '', 1)
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
-- A project lost (or brought back) takes its open approval items out (or
-- puts them back).
CREATE TRIGGER projects_deadlines_lost AFTER UPDATE OF status ON projects
    WHEN (OLD.status = 'lost') <> (NEW.status = 'lost') BEGIN
    INSERT INTO cockpit_deadlines (zone_id, kind, due_on, n)
        SELECT a.zone_id, 'approval', CASE WHEN t.total THEN '' ELSE a.due_on END,
            CASE WHEN NEW.status = 'lost' THEN -COUNT(*) ELSE COUNT(*) END
        FROM approval_items a CROSS JOIN (SELECT 0 AS total UNION ALL SELECT 1) t
        WHERE a.project_id = NEW.id AND a.status IN ('preparing', 'submitted', 'correction') AND a.due_on <> '' GROUP BY 1, 3
        ON CONFLICT (zone_id, kind, due_on) DO UPDATE SET n = n + excluded.n;
END;
