-- The audit log is append-only: the database refuses to change or delete a
-- row, except rows covered by a purge allowance that the retention purge
-- writes, uses and removes in one transaction.
CREATE TABLE audit_purge_allowance (
    upto_id INTEGER NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purge_allowance WHERE upto_id >= OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Which key signed a row (empty: a plain SHA-256 chain, before a key existed).
ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';

-- After a purge the chain goes on from a checkpoint: the last purged row.
CREATE TABLE audit_checkpoints (
    id         INTEGER PRIMARY KEY,
    upto_id    INTEGER NOT NULL,
    upto_hash  TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX audit_log_action_at ON audit_log(action, at);

-- Alarms for the security administrator: brute force, mass export, chain breaks.
CREATE TABLE security_alarms (
    id              INTEGER PRIMARY KEY,
    zone_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    count           INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    last_at         TIMESTAMP NOT NULL,
    acknowledged_by TEXT NOT NULL DEFAULT '',
    acknowledged_at TIMESTAMP
);
CREATE INDEX security_alarms_open ON security_alarms(zone_id, acknowledged_by, kind, subject);
