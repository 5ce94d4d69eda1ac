-- The foundation: zones, organisation, people, accounts, sessions, audit, calendar.

CREATE TABLE zones (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE departments (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    parent_id  INTEGER REFERENCES departments(id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (zone_id, code)
);
CREATE INDEX departments_parent ON departments(parent_id);

CREATE TABLE positions (
    id            INTEGER PRIMARY KEY,
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    department_id INTEGER REFERENCES departments(id),
    name          TEXT NOT NULL,
    grade         TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT 'staff',
    sort_order    INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (zone_id, name)
);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    zone_id       INTEGER NOT NULL REFERENCES zones(id),
    department_id INTEGER REFERENCES departments(id),
    position_id   INTEGER REFERENCES positions(id),
    staff_no      TEXT NOT NULL,
    name          TEXT NOT NULL,
    gender        TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    id_number     TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'active',
    joined_on     TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (zone_id, staff_no)
);
CREATE INDEX members_department ON members(department_id);

CREATE TABLE contracts (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    position_id INTEGER REFERENCES positions(id),
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',
    note        TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX contracts_member ON contracts(member_id);
CREATE INDEX contracts_end ON contracts(zone_id, status, end_date);

CREATE TABLE terms (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    member_id  INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    targets    TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX terms_member ON terms(member_id);

CREATE TABLE parks (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    name        TEXT NOT NULL,
    area_mu     INTEGER NOT NULL DEFAULT 0,
    industries  TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (zone_id, name)
);

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL REFERENCES zones(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (zone_id, name)
);

CREATE TABLE team_members (
    team_id   INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    is_lead   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (team_id, member_id)
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    zone_id              INTEGER NOT NULL REFERENCES zones(id),
    username             TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    member_id            INTEGER UNIQUE REFERENCES members(id),
    password_hash        TEXT NOT NULL,
    lang                 TEXT NOT NULL DEFAULT '',
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Browser sessions and API tokens: only a hash of the secret is kept.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    csrf_token   TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       TIMESTAMP NOT NULL,
    ok       BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_lookup ON login_attempts(username, ip, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    zone_id     INTEGER NOT NULL,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    before_json TEXT NOT NULL,
    after_json  TEXT NOT NULL,
    ip          TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_zone_at ON audit_log(zone_id, at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TABLE calendar_days (
    id         INTEGER PRIMARY KEY,
    zone_id    INTEGER NOT NULL REFERENCES zones(id),
    date       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (zone_id, date)
);
