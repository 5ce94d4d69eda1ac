-- Issued monthly briefings (月度通报): the director's comment and the
-- month's figures as they were on issue (JSON), one per zone and month.
CREATE TABLE briefings (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    month       TEXT NOT NULL,
    comment     TEXT NOT NULL,
    figures     TEXT NOT NULL,
    issued_by   INTEGER NOT NULL REFERENCES users(id),
    issued_name TEXT NOT NULL,
    issued_at   TIMESTAMP NOT NULL,
    UNIQUE (zone_id, month)
);
