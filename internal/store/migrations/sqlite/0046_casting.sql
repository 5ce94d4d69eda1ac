-- Casting capacity replacement (铸造产能置换).
--
-- casting_capacity: the register of casting capacity (t/year) by
--   enterprise and process; retired capacity carries its date and the
--   on-site verification of its removal.
-- casting_plans: a project's replacement plan: its new capacity and the
--   ratio required when it was made; status draft → submitted → publicity
--   → announced → retirement_verified → done, or rejected.
-- casting_claims: the capacity a plan counts; the key on capacity_id makes
--   each entry count for one plan only, whatever runs at the same time.
-- casting_settings: a zone's required ratio (retired : new; 1 by default).
CREATE TABLE casting_capacity (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    enterprise  TEXT NOT NULL,
    process     TEXT NOT NULL,
    tonnes      REAL NOT NULL,
    status      TEXT NOT NULL,
    retired_on  TEXT NOT NULL DEFAULT '',
    verified    BOOLEAN NOT NULL DEFAULT FALSE,
    verify_note TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX casting_capacity_zone ON casting_capacity(zone_id, status);

CREATE TABLE casting_plans (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    new_tonnes REAL NOT NULL,
    ratio      REAL NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX casting_plans_project ON casting_plans(project_id);
CREATE INDEX casting_plans_zone ON casting_plans(zone_id, status);

CREATE TABLE casting_claims (
    capacity_id INTEGER PRIMARY KEY REFERENCES casting_capacity(id),
    plan_id     INTEGER NOT NULL REFERENCES casting_plans(id),
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX casting_claims_plan ON casting_claims(plan_id);

CREATE TABLE casting_settings (
    zone_id    INTEGER PRIMARY KEY REFERENCES zones(id),
    ratio      REAL NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
