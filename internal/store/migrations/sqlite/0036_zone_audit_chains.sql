-- Each zone's audit rows form a chain of their own, so that writes in one
-- zone never wait for another's. seq numbers a row in its zone's chain;
-- rows from before keep seq 0 and form the single chain they always
-- formed, which ends at the row audit_chain_start names: every zone's
-- first row chains to that row's hash, so that the switch is verified
-- like any link. Checkpoints name the chain they cut (zone_id; -1 is the
-- single chain from before) and its row (upto_seq).
ALTER TABLE audit_log ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX audit_log_zone_seq ON audit_log(zone_id, seq);

CREATE TABLE audit_chain_start (
    id   INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chain_start (id, hash) VALUES (
    COALESCE((SELECT id FROM audit_log ORDER BY id DESC LIMIT 1), (SELECT upto_id FROM audit_checkpoints ORDER BY upto_id DESC LIMIT 1), 0),
    COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), (SELECT upto_hash FROM audit_checkpoints ORDER BY upto_id DESC LIMIT 1), ''));
CREATE TRIGGER audit_chain_start_no_update BEFORE UPDATE ON audit_chain_start
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_start is written once');
END;
CREATE TRIGGER audit_chain_start_no_delete BEFORE DELETE ON audit_chain_start
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_start is written once');
END;
CREATE TRIGGER audit_chain_start_no_insert BEFORE INSERT ON audit_chain_start
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_start is written once');
END;

ALTER TABLE audit_checkpoints ADD COLUMN zone_id INTEGER NOT NULL DEFAULT -1;
ALTER TABLE audit_checkpoints ADD COLUMN upto_seq INTEGER NOT NULL DEFAULT 0;

-- A checkpoint makes deletable the rows of its own chain up to its row.
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_checkpoints c WHERE
    (c.zone_id = -1 AND OLD.seq = 0 AND c.upto_id >= OLD.id) OR
    (c.zone_id = OLD.zone_id AND OLD.seq > 0 AND c.upto_seq >= OLD.seq))
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
