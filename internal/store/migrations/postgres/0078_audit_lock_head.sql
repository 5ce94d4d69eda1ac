-- audit_lock_head takes the lock on a zone's audit chain and then reads
-- the chain's head: the newest row's place and hash; or the last row a
-- purge removed (its checkpoint); or, for a chain not begun, place 0 and
-- the hash every zone's chain starts from. One round trip for the two: the
-- function is VOLATILE, so the read after the lock takes a snapshot of its
-- own and sees every row committed before the lock was had.
CREATE FUNCTION audit_lock_head(zone BIGINT) RETURNS TABLE (head_seq BIGINT, head_hash TEXT) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7311, CAST(zone AS INTEGER));
    RETURN QUERY SELECT a.seq, a.hash FROM audit_log a WHERE a.zone_id = zone AND a.seq > 0 ORDER BY a.seq DESC LIMIT 1;
    IF FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT c.upto_seq, c.upto_hash FROM audit_checkpoints c WHERE c.zone_id = zone ORDER BY c.upto_seq DESC LIMIT 1;
    IF FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT CAST(0 AS BIGINT), s.hash FROM audit_chain_start s;
END
$$;
