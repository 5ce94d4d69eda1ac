-- The provincial self-assessment (开发区考核自评): the zone's category,
-- which the province ranks zones within, and each zone's indicator sheet
-- per year, computed from the records or entered with evidence.
ALTER TABLE zones ADD COLUMN category TEXT NOT NULL DEFAULT '';

CREATE TABLE assessment_indicators (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    year       INTEGER NOT NULL,
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    weight     REAL NOT NULL,
    target     REAL NOT NULL DEFAULT 0,
    source     TEXT NOT NULL DEFAULT '',
    lower_good BOOLEAN NOT NULL DEFAULT FALSE,
    deduction  BOOLEAN NOT NULL DEFAULT FALSE,
    value      REAL,
    evidence   TEXT NOT NULL DEFAULT '',
    links      TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (zone_id, year, name)
);
