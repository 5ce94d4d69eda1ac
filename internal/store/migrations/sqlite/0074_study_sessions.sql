-- Discussion sessions (专题讨论, 座谈会) of study campaigns, per
-- department: held_on YYYY-MM-DD, the chair (a member), the minutes, the
-- speakers' member ids comma-separated; and the attendance of each member
-- of the department the campaign asks: present, leave (reason), absent.
CREATE TABLE study_sessions (
    id            INTEGER PRIMARY KEY,
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    campaign_id   INTEGER NOT NULL REFERENCES study_campaigns(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    held_on       TEXT NOT NULL,
    place         TEXT NOT NULL,
    chair_id      INTEGER NOT NULL REFERENCES members(id),
    minutes       TEXT NOT NULL DEFAULT '',
    speaker_ids   TEXT NOT NULL DEFAULT '',
    created_by    INTEGER NOT NULL REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX study_sessions_campaign ON study_sessions(campaign_id, held_on, id);

CREATE TABLE study_session_attendance (
    session_id INTEGER NOT NULL REFERENCES study_sessions(id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    status     TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, member_id)
);
