-- The investment pipeline: leads, projects, their timeline, approvals and funds.

CREATE TABLE leads (
    id                 INTEGER PRIMARY KEY,
    zone_id            INTEGER NOT NULL REFERENCES zones(id),
    reporter_id        INTEGER NOT NULL REFERENCES members(id),
    company            TEXT NOT NULL,
    company_key        TEXT NOT NULL,
    project_name       TEXT NOT NULL,
    industry           TEXT NOT NULL,
    investment_yuan    INTEGER NOT NULL DEFAULT 0,
    channel            TEXT NOT NULL DEFAULT '',
    contact_name       TEXT NOT NULL DEFAULT '',
    contact_phone      TEXT NOT NULL DEFAULT '',
    contact_phone_hash TEXT NOT NULL DEFAULT '',
    description        TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL,
    reason             TEXT NOT NULL DEFAULT '',
    veto_ground        TEXT NOT NULL DEFAULT '',
    veto_reason        TEXT NOT NULL DEFAULT '',
    merged_into        INTEGER REFERENCES leads(id),
    project_id         INTEGER,
    reported_at        TIMESTAMP NOT NULL,
    screening_due      TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX leads_zone_status ON leads(zone_id, status, industry, id);
CREATE INDEX leads_zone_industry ON leads(zone_id, industry, id);
CREATE INDEX leads_company_key ON leads(zone_id, company_key);
CREATE INDEX leads_reporter ON leads(reporter_id, id);

-- Later reporters of a merged lead share it as co-reporters.
CREATE TABLE lead_coreporters (
    lead_id        INTEGER NOT NULL REFERENCES leads(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    merged_lead_id INTEGER NOT NULL REFERENCES leads(id),
    added_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (lead_id, merged_lead_id)
);

CREATE TABLE projects (
    id                 INTEGER PRIMARY KEY,
    zone_id            INTEGER NOT NULL REFERENCES zones(id),
    lead_id            INTEGER REFERENCES leads(id),
    code               TEXT NOT NULL DEFAULT '',
    name               TEXT NOT NULL,
    company            TEXT NOT NULL,
    company_key        TEXT NOT NULL,
    industry           TEXT NOT NULL,
    stage              TEXT NOT NULL,
    status             TEXT NOT NULL,
    lost_reason        TEXT NOT NULL DEFAULT '',
    sponsor_id         INTEGER REFERENCES members(id),
    content            TEXT NOT NULL DEFAULT '',
    total_yuan         INTEGER NOT NULL DEFAULT 0,
    fixed_asset_yuan   INTEGER NOT NULL DEFAULT 0,
    land_mu            REAL NOT NULL DEFAULT 0,
    water_tpd          REAL NOT NULL DEFAULT 0,
    power_kva          REAL NOT NULL DEFAULT 0,
    gas_m3pd           REAL NOT NULL DEFAULT 0,
    heat_tph           REAL NOT NULL DEFAULT 0,
    output_yuan        INTEGER NOT NULL DEFAULT 0,
    tax_yuan           INTEGER NOT NULL DEFAULT 0,
    jobs               INTEGER NOT NULL DEFAULT 0,
    six_new            TEXT NOT NULL DEFAULT '',
    chain_position     TEXT NOT NULL DEFAULT '',
    park_id            INTEGER REFERENCES parks(id),
    signed_on          TEXT NOT NULL DEFAULT '',
    contract_yuan      INTEGER NOT NULL DEFAULT 0,
    promised_start     TEXT NOT NULL DEFAULT '',
    promised_produce   TEXT NOT NULL DEFAULT '',
    funds_schedule     TEXT NOT NULL DEFAULT '',
    started_on         TEXT NOT NULL DEFAULT '',
    produced_on        TEXT NOT NULL DEFAULT '',
    full_on            TEXT NOT NULL DEFAULT '',
    stage_due          TEXT NOT NULL DEFAULT '',
    import_key         TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX projects_zone_stage ON projects(zone_id, stage, status);
CREATE INDEX projects_zone_industry ON projects(zone_id, industry);
CREATE INDEX projects_company_key ON projects(zone_id, company_key);
CREATE INDEX projects_sponsor ON projects(sponsor_id);
CREATE UNIQUE INDEX projects_code ON projects(zone_id, code) WHERE code <> '';
CREATE UNIQUE INDEX projects_import_key ON projects(zone_id, import_key) WHERE import_key <> '';

-- Every event of a project, for its timeline: stage changes, negotiations,
-- supervision orders, milestones, funds, approvals.
CREATE TABLE project_events (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    at         TIMESTAMP NOT NULL,
    actor_id   INTEGER NOT NULL,
    actor_name TEXT NOT NULL,
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_events_project ON project_events(project_id, at);

CREATE TABLE approval_items (
    id           INTEGER PRIMARY KEY,
    zone_id      INTEGER NOT NULL REFERENCES zones(id),
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    name         TEXT NOT NULL,
    agent_id     INTEGER REFERENCES members(id),
    limit_days   INTEGER NOT NULL DEFAULT 20,
    status       TEXT NOT NULL DEFAULT 'preparing',
    committed    BOOLEAN NOT NULL DEFAULT FALSE,
    started_on   TEXT NOT NULL DEFAULT '',
    due_on       TEXT NOT NULL DEFAULT '',
    closed_on    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    sort_order   INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX approval_items_project ON approval_items(project_id, sort_order);
CREATE INDEX approval_items_due ON approval_items(zone_id, status, due_on);

CREATE TABLE funds_in_place (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    on_date     TEXT NOT NULL,
    amount_yuan INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX funds_project ON funds_in_place(project_id, on_date);
