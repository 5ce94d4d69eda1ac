-- Appraisal: schemes of weighted indicators, periods with their
-- distribution rule, ratings, results with the rule behind each band,
-- appeals and corrections; the incentive ledger, consequences and
-- fault-tolerance claims; supervision orders as records of their own.

-- Each member's monthly base performance pay, kept by finance.
CREATE TABLE member_pay (
    member_id  INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    base_yuan  INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE appraisal_schemes (
    id            INTEGER PRIMARY KEY,
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    name          TEXT NOT NULL,
    position_kind TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (zone_id, name)
);

CREATE TABLE appraisal_indicators (
    id        INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES appraisal_schemes(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    metric    TEXT NOT NULL DEFAULT '',
    target    INTEGER NOT NULL DEFAULT 0,
    weight    INTEGER NOT NULL DEFAULT 0,
    key_task  BOOLEAN NOT NULL DEFAULT FALSE,
    sort      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appraisal_indicators_scheme ON appraisal_indicators(scheme_id, sort);

CREATE TABLE appraisal_periods (
    id               INTEGER PRIMARY KEY,
    zone_id          INTEGER NOT NULL REFERENCES zones(id),
    kind             TEXT NOT NULL,
    label            TEXT NOT NULL,
    starts_on        TEXT NOT NULL,
    ends_on          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'draft',
    group_by         TEXT NOT NULL DEFAULT 'department',
    top_ratio        REAL NOT NULL DEFAULT 0.2,
    bottom_ratio     REAL NOT NULL DEFAULT 0.2,
    min_group        INTEGER NOT NULL DEFAULT 5,
    tie_breakers     TEXT NOT NULL DEFAULT 'key_task,deductions',
    coef_top         INTEGER NOT NULL DEFAULT 120,
    coef_middle      INTEGER NOT NULL DEFAULT 100,
    coef_bottom      INTEGER NOT NULL DEFAULT 80,
    publication_days INTEGER NOT NULL DEFAULT 5,
    published_on     TEXT NOT NULL DEFAULT '',
    publication_ends TEXT NOT NULL DEFAULT '',
    pool_yuan        INTEGER NOT NULL DEFAULT 0,
    pool_decision    TEXT NOT NULL DEFAULT '',
    pool_note        TEXT NOT NULL DEFAULT '',
    calculated_at    TIMESTAMP,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (zone_id, kind, label)
);

-- Working days a member was absent in a period (leave, secondment), as
-- entered or imported by the appraisal office.
CREATE TABLE appraisal_absences (
    period_id   INTEGER NOT NULL REFERENCES appraisal_periods(id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    absent_days INTEGER NOT NULL,
    PRIMARY KEY (period_id, member_id)
);

-- Assessed and peer scores, hundredths; one per rater, member and indicator.
CREATE TABLE appraisal_ratings (
    id           INTEGER PRIMARY KEY,
    period_id    INTEGER NOT NULL REFERENCES appraisal_periods(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    indicator_id INTEGER NOT NULL REFERENCES appraisal_indicators(id),
    rater_id     INTEGER NOT NULL REFERENCES members(id),
    score        INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (period_id, member_id, indicator_id, rater_id)
);
CREATE INDEX appraisal_ratings_rater ON appraisal_ratings(period_id, rater_id);

CREATE TABLE appraisal_results (
    id                 INTEGER PRIMARY KEY,
    period_id          INTEGER NOT NULL REFERENCES appraisal_periods(id) ON DELETE CASCADE,
    zone_id            INTEGER NOT NULL,
    member_id          INTEGER NOT NULL REFERENCES members(id),
    scheme_id          INTEGER,
    department_id      INTEGER,
    position_kind      TEXT NOT NULL DEFAULT '',
    group_key          TEXT NOT NULL DEFAULT '',
    group_size         INTEGER NOT NULL DEFAULT 0,
    top_quota          INTEGER NOT NULL DEFAULT 0,
    bottom_quota       INTEGER NOT NULL DEFAULT 0,
    score              INTEGER NOT NULL DEFAULT 0,
    key_task           INTEGER NOT NULL DEFAULT 0,
    points             INTEGER NOT NULL DEFAULT 0,
    missing            INTEGER NOT NULL DEFAULT 0, -- assessed or peer indicators nobody scored
    rank               INTEGER NOT NULL DEFAULT 0,
    ord                INTEGER NOT NULL DEFAULT 0,
    band               TEXT NOT NULL,
    rule               TEXT NOT NULL,
    calibrated_from    TEXT NOT NULL DEFAULT '',
    calibration_reason TEXT NOT NULL DEFAULT '',
    exclusion          TEXT NOT NULL DEFAULT '',
    coefficient        INTEGER NOT NULL DEFAULT 100,
    base_yuan          INTEGER NOT NULL DEFAULT 0,
    pay_yuan           INTEGER NOT NULL DEFAULT 0,
    grade              TEXT NOT NULL DEFAULT '',
    breakdown          TEXT NOT NULL DEFAULT '[]',
    version            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (period_id, member_id)
);
-- Lists run in group order: ord is the place in the group, unranked last.
CREATE INDEX appraisal_results_order ON appraisal_results(period_id, group_key, ord);
CREATE INDEX appraisal_results_member ON appraisal_results(member_id, period_id);

CREATE TABLE appraisal_appeals (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL,
    period_id  INTEGER NOT NULL REFERENCES appraisal_periods(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'filed',
    response   TEXT NOT NULL DEFAULT '',
    decided_by INTEGER,
    decided_at TIMESTAMP,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX appraisal_appeals_period ON appraisal_appeals(period_id, status);

CREATE TABLE appraisal_corrections (
    id         INTEGER PRIMARY KEY,
    period_id  INTEGER NOT NULL REFERENCES appraisal_periods(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    field      TEXT NOT NULL,
    old_value  TEXT NOT NULL,
    new_value  TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Per-zone incentive settings: the reporter's reward at signing, the
-- per-mille of funds in place, the deduction for a missed milestone.
CREATE TABLE appraisal_settings (
    zone_id          INTEGER PRIMARY KEY REFERENCES zones(id),
    sign_reward_yuan INTEGER NOT NULL DEFAULT 2000,
    funds_permille   INTEGER NOT NULL DEFAULT 1,
    missed_points    INTEGER NOT NULL DEFAULT 200,
    -- The consequence ladder: runs of bottom placements and their actions,
    -- and the actions after one and two bottom years ('' proposes nothing).
    ladder           TEXT NOT NULL DEFAULT '1:reminder_talk,2:admonition_talk,3:post_adjustment',
    annual_bottom    TEXT NOT NULL DEFAULT 'post_adjustment',
    two_years_bottom TEXT NOT NULL DEFAULT 'non_renewal',
    version          INTEGER NOT NULL DEFAULT 1,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE incentives (
    id             INTEGER PRIMARY KEY,
    zone_id        INTEGER NOT NULL REFERENCES zones(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    kind           TEXT NOT NULL,
    amount_yuan    INTEGER NOT NULL DEFAULT 0,
    points         INTEGER NOT NULL DEFAULT 0,
    reason         TEXT NOT NULL,
    evidence_type  TEXT NOT NULL,
    evidence_id    INTEGER NOT NULL DEFAULT 0,
    evidence_text  TEXT NOT NULL DEFAULT '',
    occurred_on    TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'proposed',
    auto           TEXT NOT NULL DEFAULT '',
    proposed_by    INTEGER NOT NULL DEFAULT 0,
    decided_by     INTEGER NOT NULL DEFAULT 0,
    decision_note  TEXT NOT NULL DEFAULT '',
    neutralised_by INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX incentives_auto ON incentives(zone_id, auto) WHERE auto <> '';
CREATE INDEX incentives_member ON incentives(member_id, occurred_on);
CREATE INDEX incentives_zone ON incentives(zone_id, status, id);

CREATE TABLE consequences (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    period_id  INTEGER NOT NULL REFERENCES appraisal_periods(id),
    action     TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'proposed',
    reason     TEXT NOT NULL DEFAULT '',
    decided_by INTEGER NOT NULL DEFAULT 0,
    decided_at TIMESTAMP,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (member_id, period_id, action)
);
CREATE INDEX consequences_zone ON consequences(zone_id, status, id);

CREATE TABLE tolerance_claims (
    id            INTEGER PRIMARY KEY,
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    filed_by      INTEGER NOT NULL,
    incentive_id  INTEGER NOT NULL REFERENCES incentives(id),
    distinction   TEXT NOT NULL,
    facts         TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'submitted',
    negative_hits TEXT NOT NULL DEFAULT '',
    accept_note   TEXT NOT NULL DEFAULT '',
    decision      TEXT NOT NULL DEFAULT '',
    deciding_body TEXT NOT NULL DEFAULT '',
    meeting_on    TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by    INTEGER NOT NULL DEFAULT 0,
    appealed      BOOLEAN NOT NULL DEFAULT FALSE,
    appeal_reason TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX tolerance_claims_zone ON tolerance_claims(zone_id, status, id);
CREATE INDEX tolerance_claims_incentive ON tolerance_claims(incentive_id);

-- Supervision orders (督办单): a task for a member by a date, closed with
-- evidence. They also appear on the project's timeline.
CREATE TABLE supervision_orders (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    task        TEXT NOT NULL,
    assignee_id INTEGER NOT NULL REFERENCES members(id),
    due_on      TEXT NOT NULL,
    closed_on   TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX supervision_orders_project ON supervision_orders(project_id, id);
CREATE INDEX supervision_orders_closed ON supervision_orders(zone_id, closed_on);

-- Computed indicators read the pipeline by member and date.
CREATE INDEX leads_zone_reported ON leads(zone_id, reported_at, reporter_id, status);
CREATE INDEX projects_zone_created ON projects(zone_id, created_at);
CREATE INDEX projects_signed ON projects(zone_id, signed_on);
CREATE INDEX approval_items_closed ON approval_items(zone_id, closed_on);
CREATE INDEX funds_zone_date ON funds_in_place(zone_id, on_date);
