-- Matching keeps what it reads of a zone in memory. Every write that
-- changes any of it (parcels, utilities with their running totals and
-- build-outs, thresholds, parks) takes the zone's next land version and
-- notes what it changed under that version, in its own transaction; a
-- server compares its version with the notes on each match and reads again
-- only what changed, whichever server wrote it. Versions are taken under
-- the zone's row here, so they commit in order and without gaps.
CREATE TABLE land_versions (
    zone_id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);

-- kind: parcel or utility (ref_id the row), standard (the thresholds),
-- zone (read everything again); old notes are dropped as versions grow.
CREATE TABLE land_changes (
    zone_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    ref_id  INTEGER NOT NULL,
    PRIMARY KEY (zone_id, version, kind, ref_id)
);
