-- Amounts that may not be known yet (待定) are NULL, never 0: a lead's
-- intended investment and a plan's total and fixed-asset investment,
-- expected output and tax. Existing zeros stay zeros.
--
-- SQLite cannot drop NOT NULL with ALTER TABLE; removing a NOT NULL
-- constraint and a default is one of the changes its documentation allows
-- by editing the stored schema (https://sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"): the stored rows do not
-- change. Rebuilding the index afterwards bumps the schema cookie, so that
-- every open connection reads the new schema.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'investment_yuan    INTEGER NOT NULL DEFAULT 0', 'investment_yuan    INTEGER')
    WHERE type = 'table' AND name = 'leads';
UPDATE sqlite_schema SET sql = replace(replace(replace(replace(sql,
        'total_yuan         INTEGER NOT NULL DEFAULT 0', 'total_yuan         INTEGER'),
        'fixed_asset_yuan   INTEGER NOT NULL DEFAULT 0', 'fixed_asset_yuan   INTEGER'),
        'output_yuan        INTEGER NOT NULL DEFAULT 0', 'output_yuan        INTEGER'),
        'tax_yuan           INTEGER NOT NULL DEFAULT 0', 'tax_yuan           INTEGER')
    WHERE type = 'table' AND name = 'projects';
PRAGMA writable_schema = RESET;
PRAGMA writable_schema = OFF;
DROP INDEX projects_zone_stage;
CREATE INDEX projects_zone_stage ON projects(zone_id, stage, status, total_yuan);
