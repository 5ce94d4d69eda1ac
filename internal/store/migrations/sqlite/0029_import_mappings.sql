-- Column mappings of imports (列对应): when a zone's workbook has headers
-- no dictionary knows, the user picks the field of each column once; the
-- choice is kept per zone, importer kind ('ledger', 'calendar') and layout
-- (a hash of the normalised header row) and applied to the next import of
-- the same layout. mapping is JSON: normalised header → field, or '-' for
-- a column not imported; headers is the header row as the file wrote it.
CREATE TABLE import_mappings (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    kind       TEXT NOT NULL,
    layout     TEXT NOT NULL,
    headers    TEXT NOT NULL DEFAULT '',
    mapping    TEXT NOT NULL,
    updated_by INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (zone_id, kind, layout)
);
