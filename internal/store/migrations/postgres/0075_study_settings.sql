-- A zone's settings of study campaigns: the copying check's warning and
-- flag thresholds in percent, and the points (hundredths) an excellent
-- reflection earns through the incentive ledger. No row: the defaults.
CREATE TABLE study_settings (
    zone_id          BIGINT PRIMARY KEY REFERENCES zones(id),
    warn_percent     INTEGER NOT NULL,
    flag_percent     INTEGER NOT NULL,
    excellent_points BIGINT NOT NULL,
    version          INTEGER NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
