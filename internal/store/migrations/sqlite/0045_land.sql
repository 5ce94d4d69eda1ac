-- Parks, land and factors (园区与要素).
--
-- parcels: plots of a park (地块) in mu, with status planned → serviced →
--   listed → sold → in_use; project_id is the project the parcel is
--   reserved for (before sale) or sold to; idle_since is set by the hourly
--   job when a sold parcel's agreed start passed without construction
--   (闲置土地); shape is its outline on the park plan ("x,y x,y …", 0–1000).
-- land_standards: standard-land thresholds (标准地) of a park, or of the
--   zone (park_id 0); amounts in yuan per mu.
-- utilities: a park's water, power, gas (per supplier) and heat, with the
--   capacity in service before any build-out and the running totals of the
--   ledger (committed: producing; reserved: signed, not producing).
-- buildouts: added capacity with planned and actual commissioning dates.
-- utility_ledger: every change of reserved and committed (deltas), by
--   project, who and why; the running totals are its sums.
CREATE TABLE parcels (
    id           INTEGER PRIMARY KEY,
    zone_id      INTEGER NOT NULL REFERENCES zones(id),
    park_id      INTEGER NOT NULL REFERENCES parks(id),
    code         TEXT NOT NULL,
    area_mu      REAL NOT NULL,
    land_use     TEXT NOT NULL,
    far_min      REAL NOT NULL DEFAULT 0,
    far_max      REAL NOT NULL DEFAULT 0,
    status       TEXT NOT NULL,
    project_id   INTEGER REFERENCES projects(id),
    agreed_start TEXT NOT NULL DEFAULT '',
    idle_since   TEXT NOT NULL DEFAULT '',
    shape        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (zone_id, code)
);
CREATE INDEX parcels_park ON parcels(park_id, status);
CREATE INDEX parcels_project ON parcels(project_id);
CREATE INDEX parcels_zone_status ON parcels(zone_id, status);

CREATE TABLE land_standards (
    zone_id            INTEGER NOT NULL REFERENCES zones(id),
    park_id            INTEGER NOT NULL DEFAULT 0,
    invest_per_mu_yuan INTEGER NOT NULL DEFAULT 0,
    tax_per_mu_yuan    INTEGER NOT NULL DEFAULT 0,
    far_min            REAL NOT NULL DEFAULT 0,
    far_max            REAL NOT NULL DEFAULT 0,
    energy_per_output  REAL NOT NULL DEFAULT 0,
    updated_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (zone_id, park_id)
);

CREATE TABLE utilities (
    id            INTEGER PRIMARY KEY,
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    park_id       INTEGER NOT NULL REFERENCES parks(id),
    kind          TEXT NOT NULL,
    supplier      TEXT NOT NULL DEFAULT '',
    base_capacity REAL NOT NULL DEFAULT 0,
    warn_ratio    REAL NOT NULL DEFAULT 0.3,
    committed     REAL NOT NULL DEFAULT 0,
    reserved      REAL NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (park_id, kind, supplier)
);
CREATE INDEX utilities_zone ON utilities(zone_id, park_id);

CREATE TABLE buildouts (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    utility_id INTEGER NOT NULL REFERENCES utilities(id),
    name       TEXT NOT NULL,
    added      REAL NOT NULL,
    planned_on TEXT NOT NULL,
    actual_on  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX buildouts_utility ON buildouts(utility_id);
CREATE INDEX buildouts_zone ON buildouts(zone_id, planned_on);

CREATE TABLE utility_ledger (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    utility_id INTEGER NOT NULL REFERENCES utilities(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    kind       TEXT NOT NULL,
    reserved   REAL NOT NULL DEFAULT 0,
    committed  REAL NOT NULL DEFAULT 0,
    reason     TEXT NOT NULL DEFAULT '',
    override   BOOLEAN NOT NULL DEFAULT FALSE,
    actor_id   INTEGER NOT NULL,
    actor_name TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX utility_ledger_utility ON utility_ledger(utility_id, id);
CREATE INDEX utility_ledger_project ON utility_ledger(project_id, utility_id);
