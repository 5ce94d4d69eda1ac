-- The director's year targets (年度目标): one value per zone, year and
-- measure (amounts in yuan, counts as such).
CREATE TABLE cockpit_targets (
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    year       INTEGER NOT NULL,
    measure    TEXT NOT NULL,
    value      INTEGER NOT NULL,
    updated_by INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (zone_id, year, measure)
);
