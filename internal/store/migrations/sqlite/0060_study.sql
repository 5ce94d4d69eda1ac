-- Study campaigns (学习活动) and the members' reflections (心得体会).
--   audience            zone | departments | members; the listed ids are
--                       kept as comma-separated lists (department_ids,
--                       member_ids), as are the named reviewers' member ids
--   opens_on, closes_on YYYY-MM-DD; closes_on is the last day on time
--   min_length          characters a reflection needs, blanks not counted
-- A reflection is one member's in one campaign: draft, submitted,
-- returned (review_comment), resubmitted, accepted (grade when graded).
-- late is set by the first submission after closes_on and kept.
CREATE TABLE study_campaigns (
    id             INTEGER PRIMARY KEY,
    zone_id        INTEGER NOT NULL REFERENCES zones(id),
    title          TEXT NOT NULL,
    theme          TEXT NOT NULL DEFAULT '',
    source_text    TEXT NOT NULL DEFAULT '',
    audience       TEXT NOT NULL,
    department_ids TEXT NOT NULL DEFAULT '',
    member_ids     TEXT NOT NULL DEFAULT '',
    reviewer_ids   TEXT NOT NULL DEFAULT '',
    opens_on       TEXT NOT NULL,
    closes_on      TEXT NOT NULL,
    min_length     INTEGER NOT NULL,
    graded         BOOLEAN NOT NULL DEFAULT FALSE,
    status         TEXT NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX study_campaigns_zone ON study_campaigns(zone_id, status, id);

CREATE TABLE study_reflections (
    id             INTEGER PRIMARY KEY,
    zone_id        INTEGER NOT NULL REFERENCES zones(id),
    campaign_id    INTEGER NOT NULL REFERENCES study_campaigns(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    department_id  INTEGER REFERENCES departments(id),
    body           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    late           BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_on   TEXT NOT NULL DEFAULT '',
    review_comment TEXT NOT NULL DEFAULT '',
    grade          TEXT NOT NULL DEFAULT '',
    reviewer_id    INTEGER REFERENCES users(id),
    reviewed_at    TIMESTAMP,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, member_id)
);
CREATE INDEX study_reflections_member ON study_reflections(member_id, id);
