-- Enterprises in the zone (在区企业) with yearly figures, and the zone's
-- per-mu efficiency evaluation scheme (亩均效益评价).
--
-- enterprises: imported, or made when a project starts production
--   (project_id); names are unique in a zone (the import's key).
-- enterprise_years: one row per enterprise and year; amounts in yuan.
-- efficiency_settings: weights (JSON: indicator → points) and the least
--   scores of classes A, B and C.
CREATE TABLE enterprises (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    name        TEXT NOT NULL,
    credit_code TEXT NOT NULL DEFAULT '',
    industry    TEXT NOT NULL,
    park_id     INTEGER REFERENCES parks(id),
    project_id  INTEGER REFERENCES projects(id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (zone_id, name)
);
CREATE INDEX enterprises_project ON enterprises(project_id);

CREATE TABLE enterprise_years (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    year          INTEGER NOT NULL,
    output_yuan   INTEGER NOT NULL DEFAULT 0,
    tax_yuan      INTEGER NOT NULL DEFAULT 0,
    energy_tce    REAL NOT NULL DEFAULT 0,
    emissions_t   REAL NOT NULL DEFAULT 0,
    land_mu       REAL NOT NULL DEFAULT 0,
    employees     INTEGER NOT NULL DEFAULT 0,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (enterprise_id, year)
);
CREATE INDEX enterprise_years_zone ON enterprise_years(zone_id, year);

CREATE TABLE efficiency_settings (
    zone_id    INTEGER PRIMARY KEY REFERENCES zones(id),
    weights    TEXT NOT NULL,
    class_a    REAL NOT NULL,
    class_b    REAL NOT NULL,
    class_c    REAL NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
