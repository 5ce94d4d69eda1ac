-- Transformation targets (四高 and industry structure): indicators in
-- sets, a target per year, and monthly actuals entered by hand (computed
-- indicators are worked out from the records when read).
CREATE TABLE target_indicators (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    set_code   TEXT NOT NULL,
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    lower_good BOOLEAN NOT NULL DEFAULT FALSE,
    cumulative BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (zone_id, name)
);

CREATE TABLE target_years (
    indicator_id INTEGER NOT NULL REFERENCES target_indicators(id),
    year         INTEGER NOT NULL,
    target       REAL NOT NULL,
    PRIMARY KEY (indicator_id, year)
);

CREATE TABLE target_actuals (
    indicator_id INTEGER NOT NULL REFERENCES target_indicators(id),
    year         INTEGER NOT NULL,
    month        INTEGER NOT NULL,
    value        REAL NOT NULL,
    actor_name   TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (indicator_id, year, month)
);
