-- Rows of the audit log may only be deleted when a purge checkpoint covers
-- them; checkpoints are signed with the audit key by the purge that writes
-- them (the signature is checked by verification, outside the database's
-- reach), refer to a row that exists, and are never changed or deleted.
-- The purge allowance, which a plain INSERT could grant, is gone.
CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_checkpoints WHERE upto_id >= OLD.id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
DROP TABLE audit_purge_allowance;

ALTER TABLE audit_checkpoints ADD COLUMN mac TEXT NOT NULL DEFAULT '';

CREATE FUNCTION audit_checkpoints_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.upto_id AND hash = NEW.upto_hash) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'an audit checkpoint must name an existing row and its hash';
    END IF;
    RAISE EXCEPTION 'audit_checkpoints is append-only';
END
$$;

CREATE TRIGGER audit_checkpoints_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_guard();

CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM PUBLIC;
