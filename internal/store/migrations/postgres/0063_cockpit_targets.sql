-- The director's year targets (年度目标): one value per zone, year and
-- measure (amounts in yuan, counts as such).
CREATE TABLE cockpit_targets (
    zone_id    BIGINT NOT NULL REFERENCES zones(id),
    year       INTEGER NOT NULL,
    measure    TEXT NOT NULL,
    value      BIGINT NOT NULL,
    updated_by BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (zone_id, year, measure)
);
