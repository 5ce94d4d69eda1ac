-- Rows of the audit log may only be deleted when a purge checkpoint covers
-- them; checkpoints are signed with the audit key by the purge that writes
-- them (the signature is checked by verification, outside the database's
-- reach), refer to a row that exists, and are never changed or deleted.
-- The purge allowance, which a plain INSERT could grant, is gone.
DROP TRIGGER audit_log_no_delete;
DROP TABLE audit_purge_allowance;

ALTER TABLE audit_checkpoints ADD COLUMN mac TEXT NOT NULL DEFAULT '';

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_checkpoints WHERE upto_id >= OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_checkpoints_real_row BEFORE INSERT ON audit_checkpoints
WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.upto_id AND hash = NEW.upto_hash)
BEGIN
    SELECT RAISE(ABORT, 'an audit checkpoint must name an existing row and its hash');
END;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;

CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoints is append-only');
END;
