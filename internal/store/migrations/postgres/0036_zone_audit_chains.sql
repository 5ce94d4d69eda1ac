-- Each zone's audit rows form a chain of their own, so that writes in one
-- zone never wait for another's (appenders lock their zone only). seq
-- numbers a row in its zone's chain; rows from before keep seq 0 and form
-- the single chain they always formed, which ends at the row
-- audit_chain_start names: every zone's first row chains to that row's
-- hash, so that the switch is verified like any link. Checkpoints name the
-- chain they cut (zone_id; -1 is the single chain from before) and its row
-- (upto_seq). Ids now come from the column's sequence.
ALTER TABLE audit_log ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX audit_log_zone_seq ON audit_log(zone_id, seq);

CREATE TABLE audit_chain_start (
    id   BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chain_start (id, hash) VALUES (
    COALESCE((SELECT id FROM audit_log ORDER BY id DESC LIMIT 1), (SELECT upto_id FROM audit_checkpoints ORDER BY upto_id DESC LIMIT 1), 0),
    COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), (SELECT upto_hash FROM audit_checkpoints ORDER BY upto_id DESC LIMIT 1), ''));
CREATE FUNCTION audit_chain_start_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_chain_start is written once';
END
$$;
CREATE TRIGGER audit_chain_start_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_start
    FOR EACH ROW EXECUTE FUNCTION audit_chain_start_guard();
CREATE TRIGGER audit_chain_start_no_truncate BEFORE TRUNCATE ON audit_chain_start
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_start FROM PUBLIC;

SELECT setval(pg_get_serial_sequence('audit_log', 'id'), GREATEST((SELECT id FROM audit_chain_start), 0) + 1, false);

ALTER TABLE audit_checkpoints ADD COLUMN zone_id BIGINT NOT NULL DEFAULT -1;
ALTER TABLE audit_checkpoints ADD COLUMN upto_seq BIGINT NOT NULL DEFAULT 0;

-- A checkpoint makes deletable the rows of its own chain up to its row.
CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_checkpoints c WHERE
            (c.zone_id = -1 AND OLD.seq = 0 AND c.upto_id >= OLD.id) OR
            (c.zone_id = OLD.zone_id AND OLD.seq > 0 AND c.upto_seq >= OLD.seq)) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
